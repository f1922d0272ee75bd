package io.lakelens.jobs.inference;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.xxhash64;

import io.lakelens.jobs.LakelensException;
import io.lakelens.jobs.runs.JobRun;
import io.lakelens.jobs.spark.HadoopConf;
import io.lakelens.jobs.spark.LakelensSession;
import io.lakelens.jobs.tables.DeltaMerge;
import io.lakelens.jobs.tables.LakelensTables;
import io.lakelens.jobs.tables.TableSpec;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * The driver side shared by the model jobs (embed, caption): find the dataset's images that have no
 * result yet for this model (and options), cut them into chunks, run the job's {@link
 * ImageBatchPartition.Job} over each chunk in executors and MERGE the chunk's results before starting
 * the next. A crash loses at most the chunk in flight; a rerun skips what was committed; nothing is
 * ever appended blindly.
 */
public final class ChunkedImageJob {

    /** Told after each committed chunk (a seam for tests that stop a run half way). */
    @FunctionalInterface
    public interface ChunkListener {
        /**
         * @param committed chunks committed so far (1-based)
         * @param chunks chunks of the run
         */
        void committed(long committed, long chunks);
    }

    /**
     * What a model job says about itself; built with {@link #builder}.
     *
     * @param <R> the result of one image in the executors
     */
    public static final class Spec<R> {
        private final String job;
        private final String dataset;
        private final String modelId;
        private final TableSpec output;
        private final String doneCondition;
        private final StructType resultSchema;
        private final ImageBatchPartition.Job<R> executor;
        private final Function<Dataset<Row>, Dataset<Row>> toOutputRows;
        private final ImageJobOptions options;

        private Spec(Builder<R> b) {
            this.job = Objects.requireNonNull(b.job, "job");
            this.options = Objects.requireNonNull(b.options, "options");
            this.dataset = options.dataset();
            this.modelId = Objects.requireNonNull(b.modelId, "modelId");
            this.output = Objects.requireNonNull(b.output, "output");
            this.doneCondition = Objects.requireNonNull(b.doneCondition, "doneCondition");
            this.resultSchema = Objects.requireNonNull(b.resultSchema, "resultSchema");
            this.executor = Objects.requireNonNull(b.executor, "executor");
            this.toOutputRows = Objects.requireNonNull(b.toOutputRows, "toOutputRows");
        }

        /**
         * @param job the job's name, e.g. {@code embed}
         * @param modelId the model's stable id
         * @param options the dataset, sizes and retry choice of the run
         */
        public static <R> Builder<R> builder(String job, String modelId, ImageJobOptions options) {
            return new Builder<R>().job(job, modelId, options);
        }

        public static final class Builder<R> {
            private String job;
            private String modelId;
            private ImageJobOptions options;
            private TableSpec output;
            private String doneCondition;
            private StructType resultSchema;
            private ImageBatchPartition.Job<R> executor;
            private Function<Dataset<Row>, Dataset<Row>> toOutputRows;

            private Builder<R> job(String job, String modelId, ImageJobOptions options) {
                this.job = job;
                this.modelId = modelId;
                this.options = options;
                return this;
            }

            /**
             * @param table the results table
             * @param doneCondition SQL condition on it selecting this model's (and options') finished
             *     rows, e.g. {@code model_id = '...'}
             */
            public Builder<R> output(TableSpec table, String doneCondition) {
                this.output = table;
                this.doneCondition = doneCondition;
                return this;
            }

            /**
             * @param results the result columns the executors add to {@link BatchOutcome}'s
             * @param job what the executors run on each batch
             */
            public Builder<R> executors(StructType results, ImageBatchPartition.Job<R> job) {
                this.resultSchema = results;
                this.executor = job;
                return this;
            }

            /** Outcome rows with a result to rows of the output table. */
            public Builder<R> toOutputRows(Function<Dataset<Row>, Dataset<Row>> rows) {
                this.toOutputRows = rows;
                return this;
            }

            public Spec<R> build() {
                return new Spec<>(this);
            }
        }
    }

    /**
     * Counts of a run: {@code input = written + alreadyDone + quarantined}, where quarantined counts
     * images quarantined by this run and, unless retried, by earlier runs of the same job and model.
     */
    public record Result(
            long input, long written, long alreadyDone, long quarantined, long quarantinedNow, long chunks, double seconds) {
        /** Images processed (written or newly quarantined) per second of the run. */
        public double imagesPerSecond() {
            return seconds > 0 ? (written + quarantinedNow) / seconds : 0;
        }

        /** The line the CLI prints; the equation always holds. */
        public String summary(String job) {
            return String.format(Locale.ROOT,
                    "%s: input %d = written %d + already done %d + quarantined %d (%d new); %.1f images/s over %.1f s",
                    job, input, written, alreadyDone, quarantined, quarantinedNow, imagesPerSecond(), seconds);
        }
    }

    private final LakelensSession session;
    private final ChunkListener listener;

    public ChunkedImageJob(LakelensSession session) {
        this(session, (committed, chunks) -> {});
    }

    public ChunkedImageJob(LakelensSession session, ChunkListener listener) {
        this.session = session;
        this.listener = listener;
    }

    /**
     * Runs the job inside its run: records the counts ({@code input}, {@code written}, {@code
     * already_done}, {@code quarantined}, {@code chunks}) and the images processed.
     *
     * @param out where the progress lines go
     */
    public <R> Result run(Spec<R> spec, JobRun run, PrintStream out) {
        long start = System.nanoTime();
        Plan plan = plan(spec, run);
        out.printf("%s: %d images in dataset %s, %d already done, %d quarantined earlier, %d to do%n",
                spec.job, plan.input(), spec.dataset, plan.alreadyDone(), plan.quarantinedBefore(), plan.todoCount());
        out.flush();
        try (Progress progress = new Progress(
                session.spark().sparkContext(), spec.job, "images", plan.todoCount(), out, Duration.ofSeconds(10))) {
            long[] writtenAndQuarantined = runChunks(spec, plan, progress, run, out);
            Result r = new Result(plan.input(), writtenAndQuarantined[0], plan.alreadyDone(),
                    plan.quarantinedBefore() + writtenAndQuarantined[1], writtenAndQuarantined[1], plan.chunks(),
                    (System.nanoTime() - start) / 1e9);
            run.count("input", r.input()).count("written", r.written()).count("already_done", r.alreadyDone())
                    .count("quarantined", r.quarantined()).count("chunks", r.chunks())
                    .items(r.written() + r.quarantinedNow());
            return r;
        }
    }

    /** The images still to do, and how the rest divides into done and quarantined earlier. */
    private record Plan(Dataset<Row> todo, long input, long alreadyDone, long quarantinedBefore, long todoCount, long chunks) {}

    private Plan plan(Spec<?> spec, JobRun run) {
        SparkSession spark = session.spark();
        if (!session.catalog().exists(LakelensTables.IMAGES)) {
            throw new LakelensException("there are no images yet: run `lakelens ingest --dataset "
                    + spec.dataset + " --source ...` first");
        }
        Dataset<Row> input = spark.table(LakelensTables.IMAGES.qualifiedName())
                .where(col("dataset").equalTo(spec.dataset))
                .select("image_id", "uri", "content");
        run.describe("counting images");
        long inputCount = input.count();
        if (inputCount == 0) {
            throw new LakelensException("dataset '" + spec.dataset + "' has no images in "
                    + LakelensTables.IMAGES.qualifiedName());
        }
        session.catalog().ensure(spec.output);
        Dataset<Row> done = spark.table(spec.output.qualifiedName()).where(spec.doneCondition).select("image_id");
        Dataset<Row> todo = input.join(done, input.col("image_id").equalTo(done.col("image_id")), "left_anti");
        long quarantinedBefore = 0;
        if (!spec.options.retryQuarantined() && session.catalog().exists(LakelensTables.QUARANTINE)) {
            Dataset<Row> failed = spark.table(LakelensTables.QUARANTINE.qualifiedName())
                    .where(col("job").equalTo(spec.job).and(col("model_id").equalTo(spec.modelId)))
                    .select("image_id").where(col("image_id").isNotNull()).distinct();
            quarantinedBefore = todo.join(failed, todo.col("image_id").equalTo(failed.col("image_id")), "left_semi").count();
            todo = todo.join(failed, todo.col("image_id").equalTo(failed.col("image_id")), "left_anti");
        }
        long todoCount = todo.count();
        int chunkSize = spec.options.chunkSize();
        long chunks = todoCount == 0 ? 0 : (todoCount + chunkSize - 1) / chunkSize;
        return new Plan(todo, inputCount, inputCount - todoCount - quarantinedBefore, quarantinedBefore, todoCount, chunks);
    }

    /** Runs and commits chunk after chunk; returns {written, newly quarantined}. */
    private <R> long[] runChunks(Spec<R> spec, Plan plan, Progress progress, JobRun run, PrintStream out) {
        SparkSession spark = session.spark();
        int batchSize = spec.options.batchSize();
        ImageBatchPartition<R> partition = new ImageBatchPartition<>(spec.executor, spec.resultSchema, batchSize,
                HadoopConf.of(spark.sparkContext().hadoopConfiguration()), progress.accumulator());
        StructType outcomeSchema = BatchOutcome.schema(spec.resultSchema);
        long written = 0;
        long quarantined = 0;
        long chunks = plan.chunks();
        for (long k = 0; k < chunks; k++) {
            run.describe("chunk " + (k + 1) + "/" + chunks + " (model " + spec.modelId + ")");
            Dataset<Row> chunk = chunks == 1 ? plan.todo()
                    : plan.todo().where(pmod(xxhash64(col("image_id")), lit(chunks)).equalTo(k));
            long expected = Math.max(1, plan.todoCount() / chunks);
            int partitions = (int) Math.max(1, Math.min(expected / Math.max(1, batchSize),
                    spark.sparkContext().defaultParallelism() * 4L));
            Dataset<Row> outcomes = chunk.repartition(partitions)
                    .mapPartitions(partition, Encoders.row(outcomeSchema))
                    .persist(StorageLevel.MEMORY_AND_DISK());
            try {
                written += DeltaMerge.insertNew(spark, session.catalog(), spec.output,
                        spec.toOutputRows.apply(outcomes.where(col("reason_code").isNull()))).inserted();
                quarantined += run.quarantine(outcomes.where(col("reason_code").isNotNull()), spec.modelId);
            } finally {
                outcomes.unpersist();
            }
            out.println(progress.line());
            out.flush();
            listener.committed(k + 1, chunks);
        }
        return new long[] {written, quarantined};
    }
}
