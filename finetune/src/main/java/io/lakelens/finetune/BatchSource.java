package io.lakelens.finetune;

import java.util.Iterator;

/**
 * Where training batches come from: an epoch is a deterministic sequence of batches (the same
 * epoch number gives the same order), so a resumed run can skip exactly the batches it had done.
 * The trainer takes batches one at a time and never holds the data set.
 */
public interface BatchSource {

    /** Full batches in one epoch (a last partial batch is dropped, as open_clip does). */
    long batchesPerEpoch();

    /**
     * The batches of epoch {@code epoch} (0-based), after skipping the first {@code skip}.
     */
    Iterator<TrainingBatch> epoch(int epoch, long skip);
}
