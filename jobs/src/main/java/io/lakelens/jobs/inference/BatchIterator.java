package io.lakelens.jobs.inference;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Pulls rows from a partition in batches and hands out the processed rows one by one, so a task
 * holds one batch in memory however large its partition is.
 */
public abstract class BatchIterator<I, O> implements Iterator<O> {

    private final Iterator<I> input;
    private final int batchSize;
    private Iterator<O> current = Collections.emptyIterator();

    protected BatchIterator(Iterator<I> input, int batchSize) {
        this.input = input;
        this.batchSize = batchSize;
    }

    /** Processes one batch; returns its output rows. */
    protected abstract List<O> process(List<I> batch);

    @Override
    public boolean hasNext() {
        while (!current.hasNext() && input.hasNext()) {
            List<I> batch = new ArrayList<>(batchSize);
            while (batch.size() < batchSize && input.hasNext()) {
                batch.add(input.next());
            }
            current = process(batch).iterator();
        }
        return current.hasNext();
    }

    @Override
    public O next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return current.next();
    }
}
