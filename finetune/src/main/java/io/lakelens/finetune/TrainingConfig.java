package io.lakelens.finetune;

/**
 * What a fine-tuning run does, apart from its data.
 *
 * @param learningRate peak learning rate of the cosine schedule, > 0
 * @param warmupSteps linear warmup steps
 * @param adam AdamW settings (betas, eps, weight decay)
 * @param maxGradNorm global gradient norm clip; 0 or less disables clipping
 * @param microBatchSize pairs embedded with gradients at once; the contrastive batch stays whole
 *     (GradCache). 0 or at least the batch size: no accumulation
 * @param locking which towers train
 */
public record TrainingConfig(
        double learningRate,
        long warmupSteps,
        AdamW.Settings adam,
        double maxGradNorm,
        int microBatchSize,
        TowerLocking locking) {

    public TrainingConfig {
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be > 0, got " + learningRate);
        }
        if (warmupSteps < 0) {
            throw new IllegalArgumentException("warmup steps must be >= 0, got " + warmupSteps);
        }
        if (microBatchSize < 0) {
            throw new IllegalArgumentException("micro-batch size must be >= 0, got " + microBatchSize);
        }
    }

    /** open_clip-like defaults for fine-tuning: lr 1e-5, warmup 0, wd 0.1, clip at 1.0, no locking. */
    public static TrainingConfig defaults() {
        return new TrainingConfig(1e-5, 0, AdamW.Settings.clip(0.1), 1.0, 0, TowerLocking.none());
    }

    public TrainingConfig withLearningRate(double lr) {
        return new TrainingConfig(lr, warmupSteps, adam, maxGradNorm, microBatchSize, locking);
    }

    public TrainingConfig withWarmupSteps(long steps) {
        return new TrainingConfig(learningRate, steps, adam, maxGradNorm, microBatchSize, locking);
    }

    public TrainingConfig withWeightDecay(double wd) {
        return new TrainingConfig(learningRate, warmupSteps,
                new AdamW.Settings(adam.beta1(), adam.beta2(), adam.eps(), wd), maxGradNorm, microBatchSize, locking);
    }

    public TrainingConfig withMicroBatchSize(int size) {
        return new TrainingConfig(learningRate, warmupSteps, adam, maxGradNorm, size, locking);
    }

    public TrainingConfig withLocking(TowerLocking l) {
        return new TrainingConfig(learningRate, warmupSteps, adam, maxGradNorm, microBatchSize, l);
    }

    public TrainingConfig withMaxGradNorm(double norm) {
        return new TrainingConfig(learningRate, warmupSteps, adam, norm, microBatchSize, locking);
    }
}
