package io.lakelens.jobs.dashboard;

/** One row of {@code training_steps}, the fields the loss curve needs. */
public record TrainingStep(long step, int epoch, double loss, double lr) {}
