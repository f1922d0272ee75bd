package io.lakelens.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The jobs module's packages in layers, each using only its own layer and those below: the session
 * setup does not know the SQL functions, the jobs do not know the dashboard, and no package cycle
 * exists. Read from the sources (imports and qualified names in code, comments left out), so a new
 * dependency that breaks the layering fails here before review.
 */
class PackageLayersTest {

    /** Lowest first. A package not listed fails the test: a new package must be given its place. */
    private static final List<List<String>> LAYERS = List.of(
            List.of("io.lakelens.jobs", "io.lakelens.jobs.tables"),
            List.of("io.lakelens.jobs.spark"),
            List.of("io.lakelens.jobs.runs"),
            List.of("io.lakelens.jobs.inference"),
            List.of("io.lakelens.jobs.sql"),
            List.of("io.lakelens.jobs.ingest", "io.lakelens.jobs.embed", "io.lakelens.jobs.caption",
                    "io.lakelens.jobs.zeroshot", "io.lakelens.jobs.retrieval", "io.lakelens.jobs.captioneval",
                    "io.lakelens.jobs.finetune"),
            List.of("io.lakelens.jobs.dashboard", "io.lakelens.jobs.demo", "io.lakelens.jobs.bench",
                    "io.lakelens.notebooks"),
            List.of("io.lakelens.cli"));

    private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+);", Pattern.MULTILINE);
    /** A reference to a lakelens class: its package is everything before the first capitalised part. */
    private static final Pattern REFERENCE = Pattern.compile("\\b(io\\.lakelens(?:\\.[a-z]\\w*)*)\\.[A-Z]");
    private static final Pattern COMMENTS = Pattern.compile("//[^\\n]*|/\\*.*?\\*/", Pattern.DOTALL);
    private static final Pattern STRINGS = Pattern.compile("\"(?:\\\\.|[^\"\\\\])*\"");

    @Test
    void everyPackageUsesOnlyItsLayerAndThoseBelow() {
        Map<String, Set<String>> uses = dependencies();
        List<String> violations = new ArrayList<>();
        for (Map.Entry<String, Set<String>> e : uses.entrySet()) {
            int from = layerOf(e.getKey());
            assertTrue(from >= 0, "package " + e.getKey() + " has no layer in " + getClass().getSimpleName());
            for (String used : e.getValue()) {
                int to = layerOf(used);
                if (to > from) {
                    violations.add(e.getKey() + " (layer " + from + ") uses " + used + " (layer " + to + ")");
                }
            }
        }
        assertEquals(List.of(), violations);
        // The two rules the layers exist for, spelled out.
        assertTrue(!uses.getOrDefault("io.lakelens.jobs.spark", Set.of()).contains("io.lakelens.jobs.sql"));
        for (String job : LAYERS.get(5)) {
            assertTrue(!uses.getOrDefault(job, Set.of()).contains("io.lakelens.jobs.dashboard"), job);
        }
    }

    @Test
    void noPackageCycles() {
        Map<String, Set<String>> uses = dependencies();
        List<String> cycles = new ArrayList<>();
        for (String start : uses.keySet()) {
            for (String next : uses.get(start)) {
                if (reaches(uses, next, start, new TreeSet<>())) {
                    cycles.add(start + " -> " + next + " -> ... -> " + start);
                }
            }
        }
        assertEquals(List.of(), cycles);
    }

    private static boolean reaches(Map<String, Set<String>> uses, String from, String target, Set<String> seen) {
        if (from.equals(target)) {
            return true;
        }
        if (!seen.add(from)) {
            return false;
        }
        for (String next : uses.getOrDefault(from, Set.of())) {
            if (reaches(uses, next, target, seen)) {
                return true;
            }
        }
        return false;
    }

    private static int layerOf(String pkg) {
        for (int i = 0; i < LAYERS.size(); i++) {
            if (LAYERS.get(i).contains(pkg)) {
                return i;
            }
        }
        return pkg.startsWith("io.lakelens.jobs") || pkg.startsWith("io.lakelens.cli")
                || pkg.startsWith("io.lakelens.notebooks") ? -1 : Integer.MIN_VALUE; // other modules: below all
    }

    /** Package to the other jobs-module packages its main sources use. */
    private static Map<String, Set<String>> dependencies() {
        Path root = Path.of(System.getProperty("lakelens.repoRoot"), "jobs", "src", "main", "java");
        Map<String, Set<String>> uses = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".java"))::iterator) {
                String source = Files.readString(file);
                Matcher p = PACKAGE.matcher(source);
                assertTrue(p.find(), file + " has no package");
                String pkg = p.group(1);
                Set<String> used = uses.computeIfAbsent(pkg, k -> new TreeSet<>());
                String code = STRINGS.matcher(COMMENTS.matcher(source).replaceAll(" ")).replaceAll("\"\"");
                Matcher r = REFERENCE.matcher(code);
                while (r.find()) {
                    String other = r.group(1);
                    if (!other.equals(pkg) && layerOf(other) != Integer.MIN_VALUE) {
                        used.add(other);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertTrue(uses.size() > 15, "packages found: " + uses.keySet());
        return uses;
    }
}
