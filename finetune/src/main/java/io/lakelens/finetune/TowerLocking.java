package io.lakelens.finetune;

/**
 * Which parts of CLIP train. LiT (Zhai et al. 2022) locks the image tower and tunes only the text
 * tower; partial unfreezing trains only the last layers of a tower.
 *
 * <ul>
 *   <li>{@code lockImage}: the vision tower and {@code visual_projection} stay as loaded, except its
 *       last {@code unlockLastLayers} encoder layers (with {@code post_layernorm} and the projection
 *       when that is more than 0).
 *   <li>{@code lockText}: the same for the text tower, {@code final_layer_norm} and {@code
 *       text_projection}.
 *   <li>{@code unlockLastLayers} alone (neither tower locked): both towers are locked except their last
 *       K layers, final norms and projections.
 * </ul>
 *
 * {@code logit_scale} always trains.
 *
 * @param lockImage lock the image tower
 * @param lockText lock the text tower
 * @param unlockLastLayers layers left trainable at the top of each locked tower; 0 for none
 */
public record TowerLocking(boolean lockImage, boolean lockText, int unlockLastLayers) {

    public TowerLocking {
        if (unlockLastLayers < 0) {
            throw new IllegalArgumentException("--unlock-last-layers must be >= 0, got " + unlockLastLayers);
        }
        if (lockImage && lockText && unlockLastLayers == 0) {
            throw new IllegalArgumentException(
                    "both towers are locked: only logit_scale would train (use --unlock-last-layers K)");
        }
    }

    /** Everything trains. */
    public static TowerLocking none() {
        return new TowerLocking(false, false, 0);
    }

    /** Whether the image tower is (partly) locked. */
    public boolean imageLocked() {
        return lockImage || (unlockLastLayers > 0 && !lockText);
    }

    /** Whether the text tower is (partly) locked. */
    public boolean textLocked() {
        return lockText || (unlockLastLayers > 0 && !lockImage);
    }

    /**
     * Whether a parameter trains, from its Hugging Face name.
     *
     * @param name e.g. {@code vision_model.encoder.layers.11.mlp.fc1.weight}
     * @param imageLayers encoder layers of the vision tower
     * @param textLayers encoder layers of the text tower
     */
    public boolean trains(String name, int imageLayers, int textLayers) {
        if (name.startsWith("vision_model.") || name.startsWith("visual_projection.")) {
            return !imageLocked() || unlocked(name, "vision_model.", "post_layernorm.", "visual_projection.", imageLayers);
        }
        if (name.startsWith("text_model.") || name.startsWith("text_projection.")) {
            return !textLocked() || unlocked(name, "text_model.", "final_layer_norm.", "text_projection.", textLayers);
        }
        return true;
    }

    private boolean unlocked(String name, String tower, String finalNorm, String projection, int layers) {
        if (unlockLastLayers == 0) {
            return false;
        }
        if (name.startsWith(projection) || name.startsWith(tower + finalNorm)) {
            return true;
        }
        String layerPrefix = tower + "encoder.layers.";
        if (name.startsWith(layerPrefix)) {
            String rest = name.substring(layerPrefix.length());
            int index = Integer.parseInt(rest.substring(0, rest.indexOf('.')));
            return index >= layers - unlockLastLayers;
        }
        return false;
    }
}
