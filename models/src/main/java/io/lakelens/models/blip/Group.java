package io.lakelens.models.blip;

import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.lakelens.models.nn.ModelBlock;
import java.util.ArrayList;
import java.util.List;

/**
 * A level of the checkpoint's name tree with no computation of its own, such as {@code encoder},
 * {@code cls} or a numbered layer list ({@code layers.0}, {@code layers.1}, ...). The owning block
 * calls the children directly, so the Java structure mirrors the parameter names one to one.
 */
final class Group<B extends Block> extends ModelBlock {

    private final List<B> members = new ArrayList<>();

    /** An empty level; fill it with {@link #add}. */
    Group() {}

    /** A numbered list: members named {@code 0 .. n-1}. */
    static <B extends Block> Group<B> numbered(List<B> blocks) {
        Group<B> g = new Group<>();
        for (int i = 0; i < blocks.size(); i++) {
            g.add(Integer.toString(i), blocks.get(i));
        }
        return g;
    }

    B add(String name, B block) {
        members.add(child(name, block));
        return block;
    }

    B get(int index) {
        return members.get(index);
    }

    int size() {
        return members.size();
    }

    List<B> members() {
        return members;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        throw new UnsupportedOperationException("a naming level has no forward of its own");
    }
}
