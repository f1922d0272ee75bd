package io.lakelens.jobs.dashboard;

/** An image of a confused pair, with the probability the model gave its (wrong) top-1 label. */
public record Example(ImageRef image, Double probability) {}
