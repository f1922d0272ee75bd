package io.lakelens.finetune;

import io.lakelens.models.clip.ClipModel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

/** The tiny pairs as a {@link BatchSource}, shuffled per epoch from a seed. */
final class InMemoryPairs implements BatchSource {

    private final ClipModel tokenizerModel;
    private final int batchSize;
    private final long seed;

    InMemoryPairs(ClipModel tokenizerModel, int batchSize, long seed) {
        this.tokenizerModel = tokenizerModel;
        this.batchSize = batchSize;
        this.seed = seed;
    }

    @Override
    public long batchesPerEpoch() {
        return TinyPairs.CAPTIONS.size() / batchSize;
    }

    @Override
    public Iterator<TrainingBatch> epoch(int epoch, long skip) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < TinyPairs.CAPTIONS.size(); i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(seed * 1_000_003 + epoch));
        List<TrainingBatch> batches = new ArrayList<>();
        for (long b = skip; b < batchesPerEpoch(); b++) {
            batches.add(TinyPairs.batch(tokenizerModel, order.subList((int) b * batchSize, (int) (b + 1) * batchSize)));
        }
        return batches.iterator();
    }
}
