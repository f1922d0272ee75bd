package io.lakelens.jobs.demo;

import io.lakelens.models.hub.DemoCheckpoints;
import io.lakelens.models.hub.HubOptions;
import io.lakelens.models.hub.ModelLocator;
import io.lakelens.models.hub.ModelResolveException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Which models the demo runs: the ones given, else the published ones (from the Hub or the cache),
 * else, on a machine that can get neither, the tiny random checkpoints of the {@code
 * lakelens-demo-models} jar ({@link DemoCheckpoints}), with a plain statement that their results
 * mean nothing.
 */
public final class DemoModels {

    public static final String PUBLISHED_CLIP = "hf://openai/clip-vit-base-patch32";
    public static final String PUBLISHED_BLIP = "hf://Salesforce/blip-image-captioning-base";
    public static final String TINY_NOTE = "Tiny random test models: these predictions, captions and scores are"
            + " MEANINGLESS; only the pipeline is real. Pass --clip-model/--blip-model, or run where"
            + " huggingface.co is reachable, for real results.";

    /** The chosen models, and the note to print on every report (null for real models). */
    public record Choice(String clip, String blip, String note) {}

    private DemoModels() {}

    /**
     * @param tinyRoot where the tiny checkpoints are unpacked if they are needed
     * @param clip a user-given CLIP model, or null
     * @param blip a user-given BLIP model, or null
     */
    public static Choice choose(Path tinyRoot, String clip, String blip, PrintStream out) {
        if (clip != null && blip != null) {
            return new Choice(clip, blip, null);
        }
        HubOptions quick = HubOptions.builder().maxAttempts(2).build();
        try {
            String c = clip != null ? clip : resolve(PUBLISHED_CLIP, quick, out);
            String b = blip != null ? blip : resolve(PUBLISHED_BLIP, quick, out);
            return new Choice(c, b, null);
        } catch (ModelResolveException e) {
            Optional<Path> tinyClip = DemoCheckpoints.unpack(DemoCheckpoints.CLIP, tinyRoot);
            Optional<Path> tinyBlip = DemoCheckpoints.unpack(DemoCheckpoints.BLIP, tinyRoot);
            if (tinyClip.isEmpty() || tinyBlip.isEmpty()) {
                throw e;
            }
            out.println();
            out.println("The published models could not be obtained here:");
            out.println("  " + e.getMessage());
            out.println("Running with the tiny random test checkpoints shipped with lakelens (unpacked in " + tinyRoot
                    + ").");
            out.println(TINY_NOTE);
            out.println();
            out.flush();
            return new Choice(
                    clip != null ? clip : tinyClip.get().toString(),
                    blip != null ? blip : tinyBlip.get().toString(),
                    TINY_NOTE);
        }
    }

    private static String resolve(String spec, HubOptions options, PrintStream out) {
        out.println("demo: getting " + spec + " (from the cache or the Hugging Face Hub)...");
        out.flush();
        ModelLocator.resolve(spec, options);
        return spec;
    }
}
