package io.lakelens.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code lakelens finetune} options as the command line parses them, without Spark (the training
 * itself, {@code --lock-image} included, is in FinetuneJobTest).
 */
class FinetuneCommandTest {

    private static final String[] REQUIRED = {"finetune", "--dataset", "d", "--model", "m", "--out", "o"};

    private static FinetuneCommand parse(String... extra) {
        String[] args = new String[REQUIRED.length + extra.length];
        System.arraycopy(REQUIRED, 0, args, 0, REQUIRED.length);
        System.arraycopy(extra, 0, args, REQUIRED.length, extra.length);
        CommandLine.ParseResult result = LakelensCli.newCommandLine().parseArgs(args);
        FinetuneCommand command = result.subcommand().commandSpec().commandLine().getCommand();
        command.validate();
        return command;
    }

    @Test
    void lockImageReachesTheTrainingConfig() {
        FinetuneCommand locked = parse("--lock-image");
        assertTrue(locked.options().lockImage());
        assertFalse(locked.options().lockText());
        assertTrue(locked.options().training().locking().imageLocked());
        assertFalse(locked.options().training().locking().textLocked());
        assertFalse(parse().options().training().locking().imageLocked(), "nothing locked by default");
        assertEquals(2, parse("--unlock-last-layers", "2", "--lock-text").options().training().locking()
                .unlockLastLayers());
    }

    @Test
    void impossibleLockingIsAUsageErrorBeforeSparkStarts() {
        CommandLine cl = LakelensCli.newCommandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        cl.setOut(new PrintWriter(new StringWriter()));
        String[] args = {"finetune", "--dataset", "d", "--model", "m", "--out", "o", "--lock-image", "--lock-text"};
        assertEquals(2, cl.execute(args), err.toString());
        assertTrue(err.toString().contains("both towers are locked"), err.toString());
    }

    @Test
    void deviceTakesACommaSeparatedList() {
        assertEquals("cuda:0,cuda:1", parse("--device", "cuda:0,cuda:1").options().device());
        assertEquals("cpu,cpu", parse("--device", "cpu,cpu").options().device());
        for (String bad : new String[] {"cuda:0,", "cuda:0,tpu", ",cpu"}) {
            CommandLine cl = LakelensCli.newCommandLine();
            StringWriter err = new StringWriter();
            cl.setErr(new PrintWriter(err));
            cl.setOut(new PrintWriter(new StringWriter()));
            String[] args = {"finetune", "--dataset", "d", "--model", "m", "--out", "o", "--device", bad};
            assertEquals(2, cl.execute(args), bad + ": " + err);
            assertTrue(err.toString().contains("--device '" + bad + "'"), err.toString());
        }
    }
}
