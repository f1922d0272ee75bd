package io.lakelens.models.testing;

import ai.djl.nn.Block;
import java.util.Locale;

/** Finds blocks of a model by their checkpoint names, for tests that call one block on its own. */
public final class Blocks {

    private Blocks() {}

    /** A child block by its checkpoint name (DJL prefixes stored names with their position). */
    public static Block child(Block parent, String name) {
        var children = parent.getChildren();
        for (int i = 0; i < children.size(); i++) {
            if (children.get(i).getKey().equals(String.format(Locale.ROOT, "%02d%s", i + 1, name))) {
                return children.get(i).getValue();
            }
        }
        throw new AssertionError(parent.getClass().getSimpleName() + " has no child " + name + ": " + children.keys());
    }
}
