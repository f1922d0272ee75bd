package io.lakelens.models.blip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.lakelens.models.checkpoint.CheckpointException;
import io.lakelens.models.checkpoint.CheckpointFolder;
import io.lakelens.models.checkpoint.ParameterBinder;
import io.lakelens.models.checkpoint.StateDict;
import io.lakelens.models.nn.ModelBlock;
import io.lakelens.models.runtime.ComputeDevice;
import io.lakelens.models.runtime.TorchRuntime;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * BLIP for captioning (Hugging Face's {@code BlipForConditionalGeneration}): {@code vision_model}
 * and {@code text_decoder}, with parameters named exactly as in the checkpoint. It sees tensors
 * only; tokenization and image preprocessing are elsewhere, decoding is in {@link BlipGenerator}.
 *
 * <p>Loading is strict (every parameter found with its shape, every tensor used) except for:
 * <ul>
 *   <li>tied weights: {@code text_decoder.cls.predictions.decoder.weight} and {@code .decoder.bias}
 *       are copies of the word embeddings and of {@code cls.predictions.bias}; either copy may be the
 *       one stored, or both;
 *   <li>{@code *position_ids} buffers of older checkpoints (they are {@code arange});
 *   <li>parts captioning never runs, skipped with a logged note: a text pooler
 *       ({@code text_decoder.bert.pooler.*}) and the retrieval/ITM heads of other BLIP tasks
 *       ({@code text_encoder.*}, {@code itm_head.*}, {@code vision_proj.*}, {@code text_proj.*}). A
 *       retrieval-only checkpoint still fails, for its missing decoder.
 * </ul>
 */
public final class BlipCaptioningModel extends ModelBlock implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BlipCaptioningModel.class);

    static final String WORD_EMBEDDINGS = "text_decoder.bert.embeddings.word_embeddings.weight";
    static final String LM_BIAS = "text_decoder.cls.predictions.bias";
    static final String TIED_DECODER_WEIGHT = "text_decoder.cls.predictions.decoder.weight";
    static final String TIED_DECODER_BIAS = "text_decoder.cls.predictions.decoder.bias";
    private static final List<String> UNUSED_PREFIXES =
            List.of("text_decoder.bert.pooler.", "text_encoder.", "itm_head.", "vision_proj.", "text_proj.");

    private final BlipConfig config;
    private final BlipVisionModel visionModel;
    private final BlipTextDecoder textDecoder;
    private ComputeDevice device;
    private NDManager manager;

    public BlipCaptioningModel(BlipConfig config) {
        this.config = config;
        visionModel = child("vision_model", new BlipVisionModel(config.vision()));
        textDecoder = child("text_decoder", new BlipTextDecoder(config.text()));
    }

    /**
     * Builds the model from a folder's {@code config.json} and loads its weights.
     *
     * @throws CheckpointException for a config of another architecture, unreadable or truncated
     *     weights, or tensors that do not fit (all listed in one message)
     */
    public static BlipCaptioningModel load(CheckpointFolder folder, ComputeDevice device) {
        return load(folder, BlipConfig.read(folder), device);
    }

    /** As {@link #load(CheckpointFolder, ComputeDevice)} with the folder's config already read. */
    public static BlipCaptioningModel load(CheckpointFolder folder, BlipConfig config, ComputeDevice device) {
        BlipCaptioningModel model = new BlipCaptioningModel(config);
        StateDict weights = folder.weights();
        logUnused(weights);
        NDManager manager = TorchRuntime.newManager(device);
        try {
            ParameterBinder.load(model, weights, manager, device.dataType(), model.loadRules());
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
        model.device = device;
        model.manager = manager;
        return model;
    }

    /** A model of the given sizes with random weights (N(0, 0.02^2)), for benchmarks. */
    public static BlipCaptioningModel random(BlipConfig config, ComputeDevice device) {
        BlipCaptioningModel model = new BlipCaptioningModel(config);
        NDManager manager = TorchRuntime.newManager(device);
        ParameterBinder.initRandom(model, manager, device.dataType(), 0.02f);
        model.device = device;
        model.manager = manager;
        return model;
    }

    ParameterBinder.Rules loadRules() {
        Map<String, String> alternatives = config.text().tieWordEmbeddings()
                ? Map.of(WORD_EMBEDDINGS, TIED_DECODER_WEIGHT, LM_BIAS, TIED_DECODER_BIAS)
                : Map.of(LM_BIAS, TIED_DECODER_BIAS);
        Predicate<String> ignorable = name -> name.endsWith("position_ids") || isUnusedPart(name);
        return new ParameterBinder.Rules(alternatives, ignorable);
    }

    private static boolean isUnusedPart(String name) {
        return UNUSED_PREFIXES.stream().anyMatch(name::startsWith);
    }

    private static void logUnused(StateDict weights) {
        List<String> unused = weights.names().stream().filter(BlipCaptioningModel::isUnusedPart).sorted()
                .collect(Collectors.toList());
        if (!unused.isEmpty()) {
            LOG.info("BLIP captioning does not use {} tensor(s) of this checkpoint (pooler / retrieval heads),"
                    + " skipped: {}{}", unused.size(), String.join(", ", unused.subList(0, Math.min(5, unused.size()))),
                    unused.size() > 5 ? ", ..." : "");
        }
    }

    public BlipConfig config() {
        return config;
    }

    public BlipVisionModel visionModel() {
        return visionModel;
    }

    public BlipTextDecoder textDecoder() {
        return textDecoder;
    }

    public ComputeDevice device() {
        return device;
    }

    /** The manager that owns the weights; generation calls work in sub-managers of it. */
    public NDManager manager() {
        return manager;
    }

    /** A parameter store for one call (not shared between threads). */
    public ParameterStore parameterStore(NDManager callManager) {
        return new ParameterStore(callManager, false);
    }

    /**
     * {@code BlipForConditionalGeneration.forward}: teacher-forced caption logits. {@code [pixelValues
     * [B, C, S, S], inputIds [B, T]]} in (ids starting with the BOS), {@code [logits [B, T, V]]} out.
     * Generation does not come here: {@link BlipGenerator} encodes once and decodes with a cache.
     */
    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray imageStates = visionModel.forward(ps, inputs.get(0), training);
        return new NDList(textDecoder.logits(ps, inputs.get(1), imageStates, training));
    }

    /** Frees the weights. */
    @Override
    public void close() {
        if (manager != null) {
            manager.close();
        }
    }
}
