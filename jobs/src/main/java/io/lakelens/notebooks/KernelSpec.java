package io.lakelens.notebooks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Writes the Jupyter kernel spec of {@link LakelensKernel}: {@code <jupyter-data-dir>/kernels/lakelens-java/kernel.json}.
 *
 * @param argv the command Jupyter runs, with the placeholder {@code {connection_file}}
 * @param env environment variables for the kernel process
 */
public record KernelSpec(List<String> argv, Map<String, String> env) {

    public static final String CONNECTION_FILE = "{connection_file}";

    public KernelSpec {
        argv = List.copyOf(argv);
        env = Map.copyOf(env);
        if (!argv.contains(CONNECTION_FILE)) {
            throw new IllegalArgumentException("the kernel command needs " + CONNECTION_FILE + ": " + argv);
        }
    }

    /** The kernel started through the repository's launcher (its JVM flags, logging and classpath). */
    public static KernelSpec viaLauncher(Path lakelensHome, Map<String, String> env) {
        return new KernelSpec(List.of(lakelensHome.resolve("lakelens").toAbsolutePath().toString(),
                "notebooks", "kernel", CONNECTION_FILE), env);
    }

    /** The kernel started as {@code java FLAGS -cp CLASSPATH io.lakelens.notebooks.LakelensKernel}. */
    public static KernelSpec direct(String java, List<String> jvmFlags, String classpath, Map<String, String> env) {
        List<String> argv = new java.util.ArrayList<>();
        argv.add(java);
        argv.addAll(jvmFlags);
        argv.add("-cp");
        argv.add(classpath);
        argv.add(LakelensKernel.class.getName());
        argv.add(CONNECTION_FILE);
        return new KernelSpec(argv, env);
    }

    /** kernel.json's text. */
    public String json() {
        return "{\n"
                + "  \"argv\": [" + argv.stream().map(KernelSpec::quote).collect(Collectors.joining(", ")) + "],\n"
                + "  \"display_name\": " + quote(LakelensKernel.DISPLAY_NAME) + ",\n"
                + "  \"language\": \"java\",\n"
                + "  \"interrupt_mode\": \"message\",\n"
                + "  \"env\": {" + env.entrySet().stream().sorted(Map.Entry.comparingByKey())
                        .map(e -> quote(e.getKey()) + ": " + quote(e.getValue())).collect(Collectors.joining(", ")) + "}\n"
                + "}\n";
    }

    /** Writes {@code dataDir/kernels/lakelens-java/kernel.json}; returns the kernel's folder. */
    public Path install(Path dataDir) throws IOException {
        Path dir = dataDir.resolve("kernels").resolve(LakelensKernel.KERNEL_NAME);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("kernel.json"), json(), StandardCharsets.UTF_8);
        return dir;
    }

    /** Jupyter's per-user data folder: $JUPYTER_DATA_DIR, else ~/.local/share/jupyter (Linux) or ~/Library/Jupyter (macOS). */
    public static Path userDataDir() {
        String env = System.getenv("JUPYTER_DATA_DIR");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        Path home = Path.of(System.getProperty("user.home"));
        if (System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("mac")) {
            return home.resolve("Library").resolve("Jupyter");
        }
        String xdg = System.getenv("XDG_DATA_HOME");
        return (xdg != null && !xdg.isBlank() ? Path.of(xdg) : home.resolve(".local").resolve("share")).resolve("jupyter");
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
