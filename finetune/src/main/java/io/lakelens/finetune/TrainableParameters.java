package io.lakelens.finetune;

import ai.djl.nn.Parameter;
import io.lakelens.models.checkpoint.ParameterBinder;
import io.lakelens.models.checkpoint.ParameterBinder.NamedParameter;
import io.lakelens.models.clip.ClipModel;
import java.util.ArrayList;
import java.util.List;

/**
 * The parameters a fine-tuning run updates, each with its optimizer group, in the model's
 * (checkpoint) order. Building it unfreezes exactly these parameters; {@link #freezeAll} undoes it.
 */
public final class TrainableParameters {

    /**
     * A trained parameter.
     *
     * @param decays whether AdamW's decoupled weight decay applies
     */
    public record Entry(String name, Parameter parameter, boolean decays) {}

    private final List<Entry> entries;
    private final List<NamedParameter> all;

    private TrainableParameters(List<Entry> entries, List<NamedParameter> all) {
        this.entries = List.copyOf(entries);
        this.all = all;
    }

    /** Selects, groups and unfreezes the parameters of {@code model} that {@code locking} lets train. */
    public static TrainableParameters of(ClipModel model, TowerLocking locking) {
        int imageLayers = model.config().vision().numHiddenLayers();
        int textLayers = model.config().text().numHiddenLayers();
        if (locking.unlockLastLayers() > Math.max(imageLayers, textLayers)) {
            throw new IllegalArgumentException("--unlock-last-layers " + locking.unlockLastLayers()
                    + " is more than the towers have (" + imageLayers + " image, " + textLayers + " text layers)");
        }
        List<NamedParameter> all = ParameterBinder.parameters(model);
        List<Entry> entries = new ArrayList<>();
        for (NamedParameter p : all) {
            boolean trains = locking.trains(p.name(), imageLayers, textLayers);
            p.parameter().freeze(!trains);
            if (trains) {
                entries.add(new Entry(p.name(), p.parameter(), decays(p)));
            }
        }
        return new TrainableParameters(entries, all);
    }

    /**
     * open_clip's grouping, with embeddings added to the excluded side as the CLIP issue asks:
     * weight decay applies to the matrices of attention, MLPs, projections and the patch
     * convolution, never to norms, biases, embedding tables (token, position, class) or {@code
     * logit_scale}.
     */
    static boolean decays(NamedParameter p) {
        String name = p.name();
        if (p.shape().dimension() < 2 || name.equals("logit_scale")) {
            return false;
        }
        return !(name.endsWith("token_embedding.weight") || name.endsWith("position_embedding.weight")
                || name.endsWith("class_embedding"));
    }

    public List<Entry> entries() {
        return entries;
    }

    /** Number of trained scalars. */
    public long count() {
        return entries.stream().mapToLong(e -> e.parameter().getArray().size()).sum();
    }

    /** Freezes every parameter of the model again (inference builds no autograd graphs). */
    public void freezeAll() {
        all.forEach(p -> p.parameter().freeze(true));
    }
}
