package io.lakelens.jobs.dashboard;

import io.pebbletemplates.pebble.extension.AbstractExtension;
import io.pebbletemplates.pebble.extension.Filter;
import io.pebbletemplates.pebble.extension.Function;
import io.pebbletemplates.pebble.template.EvaluationContext;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The filters and functions the templates use, so formatting and links have one implementation
 * ({@link Formats}, {@link PagePaths}) rather than one per template. Everything returned is plain
 * text that Pebble then escapes.
 */
final class TemplateFunctions extends AbstractExtension {

    private final boolean live;

    /** @param live pages come from the live server: http pages may not load file:// images */
    TemplateFunctions(boolean live) {
        this.live = live;
    }

    @Override
    public Map<String, Filter> getFilters() {
        return Map.of(
                "num", filter(v -> Formats.number((Number) v)),
                "exact", filter(v -> Formats.exact((Number) v)),
                "time", filter(v -> Formats.time((Instant) v)),
                "millis", filter(v -> Formats.epochMillis((Instant) v)),
                // CSS custom property values for heatmap cells: plain decimals whatever the locale.
                "fraction", filter(v -> String.format(Locale.ROOT, "%.3f", ((Number) v).doubleValue())));
    }

    @Override
    public Map<String, Function> getFunctions() {
        return Map.of(
                "duration", function(List.of("start", "end"),
                        a -> Formats.duration((Instant) a.get("start"), (Instant) a.get("end"))),
                "runPath", function(List.of("runId"), a -> PagePaths.evalRun((String) a.get("runId"))),
                "trainingPath", function(List.of("runId"), a -> PagePaths.trainingRun((String) a.get("runId"))),
                "imageSrc", function(List.of("image", "root"), a -> imageSrc((ImageRef) a.get("image"), (String) a.get("root"), live)));
    }

    /**
     * The thumbnail when the bytes are stored, else the original location if the browser can load it
     * from this page, else null. Browsers refuse file:// images on http:// pages, so the live server
     * shows only http(s) originals.
     */
    static String imageSrc(ImageRef image, String root, boolean live) {
        if (image.hasContent()) {
            return root + PagePaths.thumbnail(image.imageId());
        }
        String uri = Formats.imageUri(image.uri());
        return live && uri != null && uri.startsWith("file:") ? null : uri;
    }

    private static Filter filter(java.util.function.Function<Object, String> f) {
        return new Filter() {
            @Override
            public List<String> getArgumentNames() {
                return List.of();
            }

            @Override
            public Object apply(Object input, Map<String, Object> args, PebbleTemplate self,
                    EvaluationContext context, int lineNumber) {
                return f.apply(input);
            }
        };
    }

    private static Function function(List<String> names, java.util.function.Function<Map<String, Object>, Object> f) {
        return new Function() {
            @Override
            public List<String> getArgumentNames() {
                return names;
            }

            @Override
            public Object execute(Map<String, Object> args, PebbleTemplate self, EvaluationContext context, int lineNumber) {
                return f.apply(args);
            }
        };
    }
}
