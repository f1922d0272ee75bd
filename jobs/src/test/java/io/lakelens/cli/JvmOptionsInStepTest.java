package io.lakelens.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

/** conf/jvm-options (used by ./lakelens) and the pom's surefire flags must list the same opens. */
class JvmOptionsInStepTest {

    @Test
    void launcherAndTestJvmUseTheSameFlags() throws IOException {
        Path conf = Path.of(System.getProperty("lakelens.repoRoot"), "conf", "jvm-options");
        List<String> launcher = Files.readAllLines(conf).stream()
                .map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        List<String> surefire = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-opens") || a.startsWith("-Djdk.reflect")).toList();
        assertEquals(launcher, surefire);
    }
}
