package io.lakelens.finetune;

import io.lakelens.models.checkpoint.CheckpointFolder;
import io.lakelens.models.checkpoint.StateDict;
import io.lakelens.models.clip.ClipModel;
import io.lakelens.models.runtime.ComputeDevice;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A whole fine-tuning run over a {@link BatchSource}: epochs of {@link ContrastiveTrainer} steps,
 * checkpoints every N steps under {@code <out>/checkpoints/step-NNNNNNNN}, the final model in
 * {@code <out>} itself, and optionally the WiSE-FT interpolation in {@code <out>/wise-ft}.
 *
 * <p>With {@code resume}, the run continues from the newest complete checkpoint: its weights, AdamW
 * moments, step count and data position. Because every step is deterministic and batches of an
 * epoch come in a fixed order, a resumed run ends with the weights an uninterrupted run would have.
 */
public final class FinetuneRun {

    public static final String CHECKPOINTS = "checkpoints";
    public static final String WISE_FT = "wise-ft";

    /** What a run does; built with {@link #builder}, checked when built. */
    public static final class Options {
        private final Path startModel;
        private final Path outputDir;
        private final int epochs;
        private final TrainingConfig training;
        private final List<ComputeDevice> devices;
        private final boolean resume;
        private final long checkpointEvery;
        private final long stopAfterSteps;
        private final Double wiseFtAlpha;

        private Options(Builder b) {
            startModel = b.startModel;
            outputDir = b.outputDir;
            epochs = b.epochs;
            training = b.training;
            devices = List.copyOf(b.devices);
            resume = b.resume;
            checkpointEvery = b.checkpointEvery;
            stopAfterSteps = b.stopAfterSteps;
            wiseFtAlpha = b.wiseFtAlpha;
            if (devices.isEmpty()) {
                throw new IllegalArgumentException("--device needs at least one device");
            }
            for (ComputeDevice d : devices) {
                if (d.dataType() != devices.get(0).dataType()) {
                    throw new IllegalArgumentException("all training devices need one precision, got " + devices);
                }
            }
            if (epochs < 1) {
                throw new IllegalArgumentException("--epochs must be >= 1, got " + epochs);
            }
            if (checkpointEvery < 0 || stopAfterSteps < 0) {
                throw new IllegalArgumentException("checkpoint interval and stop step must be >= 0");
            }
            if (wiseFtAlpha != null && !(wiseFtAlpha >= 0 && wiseFtAlpha <= 1)) {
                throw new IllegalArgumentException("--wise-ft-alpha must be in [0, 1], got " + wiseFtAlpha);
            }
        }

        /**
         * @param startModel the model folder training starts from
         * @param outputDir where the fine-tuned model and the checkpoints go
         * @param devices the devices, the first primary (data parallel with several)
         */
        public static Builder builder(Path startModel, Path outputDir, TrainingConfig training,
                List<ComputeDevice> devices) {
            Builder b = new Builder();
            b.startModel = startModel;
            b.outputDir = outputDir;
            b.training = training;
            b.devices = devices;
            return b;
        }

        public Path startModel() { return startModel; }
        public Path outputDir() { return outputDir; }
        public int epochs() { return epochs; }
        public TrainingConfig training() { return training; }
        public List<ComputeDevice> devices() { return devices; }
        public boolean resume() { return resume; }
        /** Save every this many steps; 0 saves only at the end. */
        public long checkpointEvery() { return checkpointEvery; }
        /** Stop (as if interrupted) after this many steps in total; 0 runs to the end. */
        public long stopAfterSteps() { return stopAfterSteps; }
        /** Weight of the fine-tuned model in the WiSE-FT mix, or null for none. */
        public Double wiseFtAlpha() { return wiseFtAlpha; }

        /** The primary device: the model is loaded there; the others get replicas. */
        public ComputeDevice device() {
            return devices.get(0);
        }

        public static final class Builder {
            private Path startModel;
            private Path outputDir;
            private TrainingConfig training;
            private List<ComputeDevice> devices;
            private int epochs = 1;
            private boolean resume;
            private long checkpointEvery;
            private long stopAfterSteps;
            private Double wiseFtAlpha;

            private Builder() {}

            public Builder epochs(int v) { epochs = v; return this; }
            public Builder resume(boolean v) { resume = v; return this; }
            public Builder checkpointEvery(long v) { checkpointEvery = v; return this; }
            public Builder stopAfterSteps(long v) { stopAfterSteps = v; return this; }
            public Builder wiseFtAlpha(Double v) { wiseFtAlpha = v; return this; }

            public Options build() {
                return new Options(this);
            }
        }
    }

    /** Told about progress; all methods are optional. */
    public interface Listener {
        default void started(ClipModel model, TrainerState from) {}

        default void step(int epoch, ContrastiveTrainer.StepResult result) {}

        default void checkpoint(Path dir, TrainerState state) {}
    }

    /**
     * @param finalModel the fine-tuned model folder ({@code <out>})
     * @param wiseFtModel the interpolated model folder, or null
     * @param firstLoss loss of this process's first step (NaN if it took none)
     * @param lastLoss loss of the last step (NaN if none)
     * @param finished false when stopped early by {@code stopAfterSteps}
     */
    public record Result(Path finalModel, Path wiseFtModel, long steps, double firstLoss, double lastLoss,
            boolean finished, Map<String, Double> lossPerEpoch) {}

    private FinetuneRun() {}

    /**
     * Checks what can be checked before any training: an existing output folder needs {@code resume},
     * and a finished run is not trained again.
     *
     * @return the checkpoint to resume from, if any
     */
    public static Optional<Path> checkOutput(Options options) {
        Path out = options.outputDir();
        boolean hasContent;
        try (Stream<Path> s = Files.exists(out) ? Files.list(out) : Stream.empty()) {
            hasContent = s.findAny().isPresent();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (hasContent && !options.resume()) {
            throw new IllegalArgumentException("output folder " + out + " already exists and is not empty:"
                    + " pass --resume to continue its run, or choose another --out");
        }
        if (!hasContent) {
            return Optional.empty();
        }
        if (Files.isRegularFile(out.resolve(TrainerState.FILE))) {
            throw new IllegalArgumentException("the run in " + out + " has already finished (" + TrainerState.FILE
                    + " of the final model is there); choose another --out");
        }
        return latestCheckpoint(out);
    }

    /** The newest complete checkpoint under {@code <out>/checkpoints}. */
    public static Optional<Path> latestCheckpoint(Path out) {
        Path dir = out.resolve(CHECKPOINTS);
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().matches("step-\\d+"))
                    .filter(p -> Files.isRegularFile(p.resolve(TrainerState.FILE)))
                    .max(Comparator.comparing(p -> p.getFileName().toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs (or resumes) the training. */
    public static Result run(Options options, BatchSource source, Listener listener) throws IOException {
        Optional<Path> resumeFrom = checkOutput(options);
        long perEpoch = source.batchesPerEpoch();
        if (perEpoch < 1) {
            throw new IllegalArgumentException("the training data has no full batch: fewer pairs than --batch-size");
        }
        long totalSteps = perEpoch * options.epochs();
        Path weightsFrom = resumeFrom.orElse(options.startModel());
        TrainerState position = resumeFrom.isPresent() ? TrainerState.read(resumeFrom.get())
                : new TrainerState(0, 0, 0, totalSteps, options.epochs(), options.startModel().toString(), false);
        if (position.totalSteps() != totalSteps) {
            throw new IllegalArgumentException("cannot resume: the checkpoint's run has " + position.totalSteps()
                    + " steps, this one " + totalSteps + " (same --epochs, --batch-size and data needed)");
        }
        double firstLoss = Double.NaN;
        double lastLoss = Double.NaN;
        Map<String, Double> lossPerEpoch = new LinkedHashMap<>();
        try (ClipModel model = ClipModel.load(weightsFrom, options.device());
                ContrastiveTrainer trainer = new ContrastiveTrainer(model, options.training(), totalSteps,
                        options.devices().stream().map(ComputeDevice::djlDevice).toList())) {
            if (resumeFrom.isPresent()) {
                trainer.restore(readOptimizer(resumeFrom.get()), position.step());
            }
            listener.started(model, position);
            int epoch = position.epoch();
            long skip = position.batchesIntoEpoch();
            for (; epoch < options.epochs(); epoch++, skip = 0) {
                Iterator<TrainingBatch> batches = source.epoch(epoch, skip);
                long done = skip;
                double epochLoss = 0;
                int epochSteps = 0;
                while (done < perEpoch && batches.hasNext()) {
                    ContrastiveTrainer.StepResult r = trainer.step(batches.next());
                    done++;
                    firstLoss = Double.isNaN(firstLoss) ? r.loss() : firstLoss;
                    lastLoss = r.loss();
                    epochLoss += r.loss();
                    epochSteps++;
                    listener.step(epoch, r);
                    boolean stop = options.stopAfterSteps() > 0 && trainer.steps() >= options.stopAfterSteps();
                    boolean due = options.checkpointEvery() > 0 && trainer.steps() % options.checkpointEvery() == 0;
                    if ((due || stop) && trainer.steps() < totalSteps) {
                        TrainerState state = done == perEpoch
                                ? new TrainerState(trainer.steps(), epoch + 1, 0, totalSteps, options.epochs(), position.startModel(), false)
                                : new TrainerState(trainer.steps(), epoch, done, totalSteps, options.epochs(), position.startModel(), false);
                        Path dir = options.outputDir().resolve(CHECKPOINTS)
                                .resolve(String.format(java.util.Locale.ROOT, "step-%08d", trainer.steps()));
                        CheckpointWriter.write(model, weightsFrom, dir, trainer.optimizer(), state);
                        listener.checkpoint(dir, state);
                    }
                    if (stop) {
                        return new Result(null, null, trainer.steps(), firstLoss, lastLoss, false, lossPerEpoch);
                    }
                }
                if (done < perEpoch) {
                    throw new IllegalStateException("epoch " + epoch + " ended after " + done + " of " + perEpoch
                            + " batches: the data changed during the run");
                }
                if (epochSteps > 0) {
                    lossPerEpoch.put(Integer.toString(epoch), epochLoss / epochSteps);
                }
            }
            TrainerState end = new TrainerState(trainer.steps(), options.epochs(), 0, totalSteps, options.epochs(),
                    position.startModel(), true);
            writeFinal(model, weightsFrom, options.outputDir(), end);
            listener.checkpoint(options.outputDir(), end);
            Path wise = null;
            if (options.wiseFtAlpha() != null) {
                StateDict start = CheckpointFolder.open(Path.of(position.startModel())).weights();
                ModelWeights.interpolate(model, start, options.wiseFtAlpha());
                wise = options.outputDir().resolve(WISE_FT);
                CheckpointWriter.write(model, weightsFrom, wise, null, null);
            }
            return new Result(options.outputDir(), wise, trainer.steps(), firstLoss, lastLoss, true, lossPerEpoch);
        }
    }

    /** The final model's files go into {@code out} itself, beside {@code checkpoints/}. */
    private static void writeFinal(ClipModel model, Path source, Path out, TrainerState end) throws IOException {
        Path staged = out.resolve(".final");
        CheckpointWriter.write(model, source, staged, null, null);
        try (Stream<Path> files = Files.list(staged)) {
            for (Path f : files.toList()) {
                Files.move(f, out.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.delete(staged);
        // Written last: its presence marks the run finished.
        end.write(out);
    }

    private static Map<String, float[]> readOptimizer(Path checkpoint) {
        StateDict state = StateDict.ofFile(checkpoint.resolve(CheckpointWriter.OPTIMIZER));
        Map<String, float[]> out = new LinkedHashMap<>();
        for (String name : state.names()) {
            out.put(name, state.floats(name));
        }
        return out;
    }
}
