package io.lakelens.jobs.dashboard;

import io.lakelens.cli.LakelensCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/** {@code lakelens dashboard --serve --port 0} run in-process on a thread, as a user would start it. */
final class ServedDashboard implements AutoCloseable {

    private static final Pattern URL = Pattern.compile("serving (http://127\\.0\\.0\\.1:\\d+/)");

    private final Thread thread;
    private final StringWriter out;
    private final StringWriter err;
    private final AtomicInteger exitCode;
    private final URI url;

    private ServedDashboard(Thread thread, StringWriter out, StringWriter err, AtomicInteger exitCode, URI url) {
        this.thread = thread;
        this.out = out;
        this.err = err;
        this.exitCode = exitCode;
        this.url = url;
    }

    static ServedDashboard start(Path warehouse) throws InterruptedException {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        AtomicInteger exitCode = new AtomicInteger(-1);
        CommandLine cl = LakelensCli.newCommandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        Thread thread = new Thread(() -> exitCode.set(
                cl.execute("--warehouse", warehouse.toString(), "dashboard", "--serve", "--port", "0")), "dashboard-serve");
        thread.start();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            Matcher m;
            synchronized (out.getBuffer()) {
                m = URL.matcher(out.toString());
            }
            if (m.find()) {
                return new ServedDashboard(thread, out, err, exitCode, URI.create(m.group(1)));
            }
            if (!thread.isAlive()) {
                break;
            }
            Thread.sleep(50);
        }
        thread.interrupt();
        throw new AssertionError("the server did not start: out=" + out + " err=" + err);
    }

    URI url() {
        return url;
    }

    /** Stops the server (as an embedding application would, by interrupting) and checks it exited cleanly. */
    @Override
    public void close() throws InterruptedException {
        thread.interrupt();
        thread.join(30_000);
        if (thread.isAlive() || exitCode.get() != 0) {
            throw new AssertionError("dashboard --serve did not stop cleanly: exit " + exitCode.get() + ", err=" + err);
        }
    }
}
