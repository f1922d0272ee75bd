package io.lakelens.jobs.runs;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.lit;

import io.lakelens.jobs.spark.LakelensSession;
import io.lakelens.jobs.tables.DeltaMerge;
import io.lakelens.jobs.tables.LakelensTables;
import io.lakelens.jobs.tables.TableSpec;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * The run of one lakelens job, and the lifecycle every job shares (as Spark's {@code
 * FileCommitProtocol} is the one shape of every write): {@link #execute} records the run in {@code
 * job_runs} as "running" when it starts and as succeeded (with counts, duration and speed) or failed
 * (with the error) when it ends, so a crashed run stays visible as such. In between the job counts,
 * names what Spark is doing ({@link #describe}), quarantines failed inputs under the run ({@link
 * #quarantine}) and records its evaluations in {@code eval_runs} ({@link #record}).
 */
public final class JobRun {

    /** The work of a job, given its run. */
    @FunctionalInterface
    public interface Work<R, E extends Exception> {
        R run(JobRun run) throws E;
    }

    /**
     * An {@code eval_runs} row, written under the run's id (or the id with a suffix, for a job that
     * writes several). Kinds and metric names are {@link io.lakelens.jobs.tables.MetricNames}'.
     *
     * @param reportPath folder with the report files, or null
     */
    public record Evaluation(String kind, String modelId, String dataset, Map<String, String> parameters,
            Map<String, Double> metrics, String reportPath) {}

    private final LakelensSession session;
    private final String runId;
    private final String job;
    private final String dataset;
    private final String modelId;
    private final Map<String, String> parameters;
    private final Map<String, Long> counts = new LinkedHashMap<>();
    private final Instant startedAt;
    private long items;

    private JobRun(LakelensSession session, String job, String dataset, String modelId, Map<String, String> parameters) {
        this.session = session;
        this.runId = job + "-" + Instant.now().toString().replaceAll("[^0-9]", "").substring(0, 14)
                + "-" + UUID.randomUUID().toString().substring(0, 8);
        this.job = job;
        this.dataset = dataset;
        this.modelId = modelId;
        this.parameters = new LinkedHashMap<>(parameters);
        this.startedAt = Instant.now();
    }

    /**
     * Runs a job's work as one recorded run.
     *
     * @param job the job's name in {@code job_runs}, e.g. {@code embed}
     * @param dataset the dataset, or null
     * @param modelId the model's id, or null
     * @param parameters the job's options, as recorded
     * @return what the work returns; its exception is recorded and rethrown
     */
    public static <R, E extends Exception> R execute(LakelensSession session, String job, String dataset,
            String modelId, Map<String, String> parameters, Work<R, E> work) throws E {
        JobRun run = start(session, job, dataset, modelId, parameters);
        try {
            R result = work.run(run);
            run.succeed(run.items);
            return result;
        } catch (Exception e) {
            run.fail(e);
            throw e;
        } finally {
            session.spark().sparkContext().setJobDescription(null);
        }
    }

    /** Records the start of a run whose end the caller records ({@link #succeed}, {@link #fail}). */
    public static JobRun start(
            LakelensSession session, String job, String dataset, String modelId, Map<String, String> parameters) {
        JobRun run = new JobRun(session, job, dataset, modelId, parameters);
        run.write("running", null, null);
        return run;
    }

    public String runId() {
        return runId;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public JobRun count(String name, long value) {
        counts.put(name, value);
        return this;
    }

    public Map<String, Long> counts() {
        return counts;
    }

    /** What the run's speed is measured in (images, texts ...); 0 unless set. */
    public JobRun items(long processed) {
        this.items = processed;
        return this;
    }

    /** Names the Spark jobs that follow in the UI: {@code <job> <dataset>: <what>}. */
    public void describe(String what) {
        session.spark().sparkContext().setJobDescription(job + (dataset == null ? "" : " " + dataset) + ": " + what);
    }

    /**
     * Writes failed inputs to {@code quarantine} under this run, job and dataset.
     *
     * @param failures rows with {@code image_id}, {@code uri}, {@code stage}, {@code reason_code} and
     *     {@code reason} (a NULL reason becomes the code)
     * @param failedModelId the model they failed with, or null
     * @return the number of rows given
     */
    public long quarantine(Dataset<Row> failures, String failedModelId) {
        return Quarantine.write(session, failures.select(lit(job).as("job"), col("stage"), lit(dataset).as("dataset"),
                col("uri"), col("image_id"), lit(failedModelId).cast("string").as("model_id"), col("reason_code"),
                coalesce(col("reason"), col("reason_code")).as("reason"), lit(runId).as("run_id"),
                current_timestamp().as("quarantined_at")));
    }

    /** Writes an evaluation under the run's id. */
    public void record(Evaluation evaluation) {
        record("", evaluation);
    }

    /** Writes an evaluation under the run's id plus {@code idSuffix} (e.g. {@code -before}). */
    public void record(String idSuffix, Evaluation e) {
        Row row = RowFactory.create(runId + idSuffix, e.kind(), e.modelId(), e.dataset(),
                new LinkedHashMap<>(e.parameters()), new LinkedHashMap<>(e.metrics()), e.reportPath(),
                Timestamp.from(startedAt), Timestamp.from(Instant.now()));
        DeltaMerge.upsert(session.spark(), session.catalog(), LakelensTables.EVAL_RUNS,
                session.spark().createDataFrame(List.of(row), LakelensTables.EVAL_RUNS.schema()));
    }

    /** Marks the run succeeded; {@code processed} is what the speed is measured in. */
    public void succeed(long processed) {
        write("succeeded", null, processed);
    }

    /** Marks the run failed with the error's message. */
    public void fail(Throwable error) {
        try {
            write("failed", String.valueOf(error.getMessage()), null);
        } catch (RuntimeException e) {
            error.addSuppressed(e);
        }
    }

    private void write(String status, String error, Long processed) {
        boolean finished = !status.equals("running");
        Instant end = Instant.now();
        double seconds = (end.toEpochMilli() - startedAt.toEpochMilli()) / 1000.0;
        Row row = RowFactory.create(
                runId, job, dataset, modelId,
                new LinkedHashMap<>(parameters),
                new LinkedHashMap<>(counts),
                status, error, Timestamp.from(startedAt),
                finished ? Timestamp.from(end) : null,
                finished ? seconds : null,
                finished && processed != null && seconds > 0 ? processed / seconds : null);
        TableSpec spec = LakelensTables.JOB_RUNS;
        Dataset<Row> df = session.spark().createDataFrame(List.of(row), spec.schema());
        DeltaMerge.upsert(session.spark(), session.catalog(), spec, df);
    }
}
