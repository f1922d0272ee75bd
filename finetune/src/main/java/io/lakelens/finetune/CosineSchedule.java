package io.lakelens.finetune;

/**
 * Learning rate per optimizer step: linear warmup to {@code baseLr}, then half a cosine down to 0 at
 * {@code totalSteps} (open_clip's {@code cosine_lr}).
 *
 * @param baseLr peak learning rate, > 0
 * @param warmupSteps steps of linear warmup (step s of the warmup uses {@code baseLr * (s+1)/warmup})
 * @param totalSteps steps of the whole run
 */
public record CosineSchedule(double baseLr, long warmupSteps, long totalSteps) {

    public CosineSchedule {
        if (!(baseLr > 0) || Double.isInfinite(baseLr)) {
            throw new IllegalArgumentException("learning rate must be > 0, got " + baseLr);
        }
        if (warmupSteps < 0 || totalSteps < 1) {
            throw new IllegalArgumentException("warmup steps must be >= 0 and total steps >= 1, got "
                    + warmupSteps + " and " + totalSteps);
        }
    }

    /**
     * @param step 0-based optimizer step
     * @return its learning rate; 0 from {@code totalSteps} on
     */
    public double lr(long step) {
        if (step < warmupSteps) {
            return baseLr * (step + 1) / warmupSteps;
        }
        long decaySteps = totalSteps - warmupSteps;
        if (decaySteps <= 0) {
            return baseLr;
        }
        double progress = Math.min(1.0, (double) (step - warmupSteps) / decaySteps);
        return 0.5 * (1 + Math.cos(Math.PI * progress)) * baseLr;
    }
}
