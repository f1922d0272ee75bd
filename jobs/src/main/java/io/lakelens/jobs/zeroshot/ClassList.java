package io.lakelens.jobs.zeroshot;

import io.lakelens.jobs.LakelensException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The classes of a zero-shot run: the labels as stored in {@code images.label}, and the names the
 * prompts use. A labels file has one class per line, {@code label} or {@code label: prompt name}
 * ("traffic-light: traffic light"); without a prompt name, '-' and '_' in the label become spaces.
 */
public record ClassList(List<String> labels, List<String> promptNames) {

    /**
     * Parses {@code --labels}: a file path, or an inline comma-separated list.
     *
     * @throws LakelensException for an empty list, a duplicate label or an unreadable file
     */
    public static ClassList parse(String spec) {
        List<String> lines;
        Path file = Path.of(spec);
        String source;
        if (Files.isRegularFile(file)) {
            try {
                lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new LakelensException("--labels " + spec + ": cannot read (" + e.getMessage() + ")", e);
            }
            source = spec;
        } else if (spec.contains(",") || !spec.contains("/")) {
            lines = List.of(spec.split(","));
            source = "--labels";
        } else {
            throw new LakelensException("--labels " + spec + ": no such file (give a file or a comma-separated list)");
        }
        List<String> labels = new ArrayList<>();
        List<String> names = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            String label = (colon < 0 ? line : line.substring(0, colon)).strip();
            String name = colon < 0 ? label.replace('-', ' ').replace('_', ' ') : line.substring(colon + 1).strip();
            if (label.isEmpty() || name.isEmpty()) {
                throw new LakelensException(source + " line " + (i + 1) + ": empty label or prompt name");
            }
            if (!seen.add(label)) {
                throw new LakelensException(source + " line " + (i + 1) + ": label '" + label + "' appears twice");
            }
            labels.add(label);
            names.add(name);
        }
        if (labels.size() < 2) {
            throw new LakelensException(source + ": zero-shot classification needs at least 2 classes, got " + labels.size());
        }
        return new ClassList(List.copyOf(labels), List.copyOf(names));
    }
}
