package io.lakelens.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lakelens.jobs.testing.SparkTestSession;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Exit codes, help and error output of the command line, run in-process. */
class CliTest {

    @TempDir
    Path tmp;

    record Run(int code, String out, String err) {}

    @BeforeAll
    static void sharedSpark() {
        SparkTestSession.spark(); // commands join the test JVM's Spark instead of starting their own
    }

    static Run run(String... args) {
        CommandLine cl = LakelensCli.newCommandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void helpListsTheCommandsAndExitsZero() {
        Run r = run("--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("ingest") && r.out().contains("sql"), r.out());
        assertEquals(0, run("sql", "--help").code());
    }

    @Test
    void everyCommandHasHelpThatExitsZero() {
        java.util.List<java.util.List<String>> paths = new java.util.ArrayList<>();
        collect(LakelensCli.newCommandLine(), new java.util.ArrayList<>(), paths);
        assertTrue(paths.size() > 15, "commands found: " + paths);
        for (java.util.List<String> path : paths) {
            java.util.List<String> args = new java.util.ArrayList<>(path);
            args.add("--help");
            Run r = run(args.toArray(String[]::new));
            assertEquals(0, r.code(), String.join(" ", args) + "\n" + r.err());
            assertTrue(r.out().contains("Usage: lakelens"), String.join(" ", args) + "\n" + r.out());
        }
    }

    private static void collect(CommandLine cl, java.util.List<String> path, java.util.List<java.util.List<String>> out) {
        out.add(path);
        for (java.util.Map.Entry<String, CommandLine> sub : cl.getSubcommands().entrySet()) {
            if (!sub.getValue().getCommandSpec().name().equals(sub.getKey())) {
                continue; // an alias
            }
            java.util.List<String> next = new java.util.ArrayList<>(path);
            next.add(sub.getKey());
            collect(sub.getValue(), next, out);
        }
    }

    @Test
    void usageErrorsExitTwo() {
        assertEquals(2, run("no-such-command").code());
        Run r = run("sql", "--format", "xml", "-e", "select 1");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--format 'xml'"), r.err());
        assertEquals(2, run().code(), "a command is required");
    }

    @Test
    void queriesPrintTablesAndFailuresExitOneWithoutStackTrace() {
        String wh = tmp.resolve("wh").toString();
        Run ok = run("--warehouse", wh, "sql", "-e", "SELECT 1 AS one, 'a' AS letter; SELECT 2 AS two");
        assertEquals(0, ok.code(), ok.err());
        assertTrue(ok.out().contains("| one | letter |") && ok.out().contains("|   1 | a      |"), ok.out());
        assertTrue(ok.out().contains("| two |"), ok.out());

        Run tsv = run("sql", "--warehouse", wh, "--format", "tsv", "SELECT 1 AS a, array(1.5, 2.0) AS v");
        assertEquals("a\tv\n1\t[1.5, 2.0]\n", tsv.out());

        Run bad = run("sql", "--warehouse", wh, "-e", "SELECT * FROM lakelens.missing_table");
        assertEquals(1, bad.code());
        assertTrue(bad.err().startsWith("lakelens sql: error: [TABLE_OR_VIEW_NOT_FOUND]"), bad.err());
        assertFalse(bad.err().contains("\tat "), "no stack trace without --verbose");
        assertTrue(run("sql", "--verbose", "--warehouse", wh, "-e", "SELECT * FROM lakelens.missing_table")
                .err().contains("\tat "), "--verbose prints the stack trace");
    }
}
