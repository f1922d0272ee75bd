package io.lakelens.jobs.runs;

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
 * The {@code job_runs} record of one job run: written as "running" when the job starts and
 * completed with counts, duration and speed when it ends, so a crashed run stays visible as such.
 */
public final class JobRun {

    private final LakelensSession session;
    private final String runId;
    private final String job;
    private final String dataset;
    private final String modelId;
    private final Map<String, String> parameters;
    private final Map<String, Long> counts = new LinkedHashMap<>();
    private final Instant startedAt;

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

    /** Records the start of a run. */
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

    /** Marks the run succeeded; {@code items} is what the speed is measured in. */
    public void succeed(long items) {
        write("succeeded", null, items);
    }

    /** Marks the run failed with the error's message. */
    public void fail(Throwable error) {
        try {
            write("failed", String.valueOf(error.getMessage()), null);
        } catch (RuntimeException e) {
            error.addSuppressed(e);
        }
    }

    private void write(String status, String error, Long items) {
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
                finished && items != null && seconds > 0 ? items / seconds : null);
        TableSpec spec = LakelensTables.JOB_RUNS;
        Dataset<Row> df = session.spark().createDataFrame(List.of(row), spec.schema());
        DeltaMerge.upsert(session.spark(), session.catalog(), spec, df);
    }

}
