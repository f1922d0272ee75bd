package io.lakelens.jobs.dashboard;

/** A metric before and after fine-tuning, and where the pair came from. */
public record MetricChange(String metric, double before, double after, String source) {

    public double change() {
        return after - before;
    }
}
