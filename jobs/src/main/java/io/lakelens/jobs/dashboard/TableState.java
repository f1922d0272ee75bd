package io.lakelens.jobs.dashboard;

/** Whether a table a page reads exists and has rows, so a page can say why it is empty. */
public enum TableState {
    MISSING, EMPTY, PRESENT
}
