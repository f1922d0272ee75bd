package io.lakelens.jobs.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The files under {@code assets/} every page loads: our stylesheet and script, and Chart.js with its
 * licence, taken from the Chart.js WebJar on the classpath so the site needs no network.
 */
public final class Assets {

    static final String CHART_JS = "chart.umd.min.js";
    static final String CHART_JS_LICENSE = "chart.js-LICENSE.md";

    /** Every asset, by file name. */
    public static final List<String> NAMES = List.of("dashboard.css", "dashboard.js", CHART_JS, CHART_JS_LICENSE);

    private static final String OWN = "io/lakelens/dashboard/assets/";
    private static final String WEBJAR_PROPERTIES = "META-INF/maven/org.webjars.npm/chart.js/pom.properties";

    private static final Map<String, String> TYPES = Map.of(
            "css", "text/css; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "md", "text/plain; charset=utf-8",
            "html", "text/html; charset=utf-8",
            "jpg", "image/jpeg");

    private Assets() {}

    /** The asset's bytes; throws for a name not in {@link #NAMES}. */
    public static byte[] read(String name) {
        String resource = switch (name) {
            case CHART_JS -> chartJsFolder() + "dist/chart.umd.min.js";
            case CHART_JS_LICENSE -> chartJsFolder() + "LICENSE.md";
            default -> {
                if (!NAMES.contains(name)) {
                    throw new IllegalArgumentException("no dashboard asset " + name);
                }
                yield OWN + name;
            }
        };
        return resource(resource);
    }

    /** The Content-Type for a file name's extension. */
    public static String contentType(String fileName) {
        String ext = fileName.substring(fileName.lastIndexOf('.') + 1);
        return TYPES.getOrDefault(ext, "application/octet-stream");
    }

    /** WebJars keep files under their version, which only the WebJar itself knows. */
    private static String chartJsFolder() {
        Properties p = new Properties();
        try (InputStream in = open(WEBJAR_PROPERTIES)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return "META-INF/resources/webjars/chart.js/" + p.getProperty("version") + "/";
    }

    private static byte[] resource(String path) {
        try (InputStream in = open(path)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream open(String path) {
        InputStream in = Assets.class.getClassLoader().getResourceAsStream(path);
        if (in == null) {
            throw new IllegalStateException("missing from the classpath: " + path + " (is the jar complete?)");
        }
        return in;
    }
}
