package io.lakelens.jobs.dashboard;

/** One row of {@code eval_per_class}; precision, recall, f1 and top-5 recall may be null. */
public record ClassResult(String label, long support, Double precision, Double recall, Double f1, Double top5Recall) {}
