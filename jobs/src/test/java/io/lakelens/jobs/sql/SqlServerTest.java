package io.lakelens.jobs.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lakelens.cli.LakelensCli;
import io.lakelens.jobs.spark.LakelensSession;
import io.lakelens.jobs.tables.LakelensTables;
import io.lakelens.jobs.tables.Warehouse;
import io.lakelens.jobs.testing.SparkTestSession;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Acceptance test of {@code lakelens sql-server}: the command serves a small warehouse on a loopback
 * port and a JDBC client (the Hive driver, as beeline and DBeaver use) runs the nearest-neighbour
 * query, whose ranking and scores must equal the library's own.
 */
class SqlServerTest {

    private static final String QUERY = "SELECT image_id, cosine_similarity(embedding, clip_text_embedding('a red bicycle'))"
            + " AS score FROM lakelens.image_embeddings WHERE model_id = '%s' ORDER BY score DESC LIMIT 10";

    @TempDir
    static Path tmp;

    static Path wh;
    static EmbeddingsWarehouse warehouse;

    @BeforeAll
    static void setUp() throws ClassNotFoundException {
        wh = tmp.resolve("wh");
        try (LakelensSession session = SparkTestSession.on(wh)) {
            warehouse = EmbeddingsWarehouse.write(session);
        }
        Class.forName("org.apache.hive.jdbc.HiveDriver");
    }

    @AfterAll
    static void tearDown() {
        SparkTestSession.on(tmp.resolve("empty")).close();
    }

    @Test
    void servesTheNearestNeighbourQueryOverJdbc() throws Exception {
        try (RunningServer server = RunningServer.start("--warehouse", wh.toString(), "sql-server", "--table-refresh", "1")) {
            assertTrue(server.output().contains("JDBC URL: jdbc:hive2://127.0.0.1:" + server.port + "/lakelens"), server.output());
            try (Connection c = DriverManager.getConnection(server.url(), "anyone", "");
                    Statement st = c.createStatement()) {
                long before = ClipFunctions.textsEmbedded();
                List<Row> rows = rows(st, String.format(QUERY, warehouse.modelId));
                assertEquals(1, ClipFunctions.textsEmbedded() - before, "the query's text is embedded once");
                float[] query = EmbeddingsWarehouse.textEmbedding("a red bicycle");
                SqlFunctionsTest.assertRanking(warehouse.ranking(query).subList(0, 10), rows);

                // The top-k helper, and unqualified names (the URL's database is lakelens).
                List<Row> top3 = rows(st, "SELECT image_id, score FROM nearest_images('a red bicycle', 3)");
                SqlFunctionsTest.assertRanking(warehouse.ranking(query).subList(0, 3), top3);
                assertEquals(EmbeddingsWarehouse.IMAGES, rows(st, "SELECT count(*) FROM image_embeddings").get(0).getLong(0));

                // Bad inputs: the client gets the analysis error, naming the function and argument.
                assertSqlError(st, "clip_text_embedding: unknown model 'no-such-model'",
                        "SELECT clip_text_embedding('a cat', 'no-such-model')");
                assertSqlError(st, "cosine_similarity: argument 2 ('x') is string", "SELECT cosine_similarity(array(1.0), 'x')");
                assertSqlError(st, "cosine_similarity: the arrays have different lengths (2 and 1)",
                        "SELECT cosine_similarity(array(1.0, 2.0), a) FROM VALUES (array(3.0)) AS t(a)");
                assertSqlError(st, "TABLE_OR_VIEW_NOT_FOUND", "SELECT * FROM lakelens.no_such_table");
                // A table a job creates while the server runs becomes visible.
                assertSqlError(st, "TABLE_OR_VIEW_NOT_FOUND", "SELECT count(*) FROM lakelens.text_embeddings");
                SparkTestSession.spark().createDataFrame(List.of(), LakelensTables.TEXT_EMBEDDINGS.schema()).write()
                        .format("delta").save(Warehouse.at(wh.toString()).tableLocation(LakelensTables.TEXT_EMBEDDINGS.name()));
                long deadline = System.currentTimeMillis() + 30_000;
                while (!tableVisible(st, "lakelens.text_embeddings") && System.currentTimeMillis() < deadline) {
                    Thread.sleep(500);
                }
                assertEquals(0L, rows(st, "SELECT count(*) FROM lakelens.text_embeddings").get(0).getLong(0));

                String comment = rows(st, "DESCRIBE lakelens.image_embeddings").stream()
                        .filter(r -> "embedding".equals(r.getString(0))).map(r -> r.getString(2)).findFirst().orElse("");
                assertEquals("L2-normalised image embedding", comment);
            }
        }
    }

    @Test
    void aPasswordFileRejectsWrongPasswords() throws Exception {
        Path passwords = Files.writeString(tmp.resolve("passwords"), "# users\nalice:s3cret:with:colons\n");
        try (RunningServer server = RunningServer.start("--warehouse", wh.toString(), "sql-server",
                "--password-file", passwords.toString())) {
            SQLException wrong = assertThrows(SQLException.class,
                    () -> DriverManager.getConnection(server.url(), "alice", "wrong").close());
            assertTrue(String.valueOf(wrong.getMessage()).contains("Could not open client transport")
                    || String.valueOf(wrong.getMessage()).contains("Peer indicated failure"), wrong.getMessage());
            assertThrows(SQLException.class, () -> DriverManager.getConnection(server.url(), "mallory", "s3cret:with:colons").close());
            try (Connection c = DriverManager.getConnection(server.url(), "alice", "s3cret:with:colons");
                    Statement st = c.createStatement()) {
                assertEquals(1, rows(st, "SELECT 1").get(0).getInt(0));
            }
        }
    }

    @Test
    void aNonLoopbackHostNeedsAPasswordFile() {
        StringWriter err = new StringWriter();
        CommandLine cl = LakelensCli.newCommandLine();
        cl.setErr(new PrintWriter(err));
        int code = cl.execute("--warehouse", wh.toString(), "sql-server", "--host", "0.0.0.0");
        assertEquals(2, code);
        assertTrue(err.toString().contains("--host 0.0.0.0 is reachable from other machines: give --password-file"), err.toString());
    }

    // ------------------------------------------------------------------ helpers

    private static List<Row> rows(Statement st, String sql) throws SQLException {
        List<Row> out = new ArrayList<>();
        try (ResultSet rs = st.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                Object[] values = new Object[n];
                for (int i = 0; i < n; i++) {
                    values[i] = rs.getObject(i + 1);
                }
                out.add(RowFactory.create(values));
            }
        }
        return out;
    }

    private static boolean tableVisible(Statement st, String table) {
        try {
            rows(st, "SELECT 1 FROM " + table + " LIMIT 0");
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    private static void assertSqlError(Statement st, String expected, String sql) {
        SQLException e = assertThrows(SQLException.class, () -> rows(st, sql), sql);
        assertTrue(e.getMessage().contains(expected), "for " + sql + "\n expected: " + expected + "\n got: " + e.getMessage());
    }

    /** {@code lakelens ... sql-server} running in a thread on a free loopback port until closed. */
    private static final class RunningServer implements AutoCloseable {
        private static final AtomicInteger THREADS = new AtomicInteger();
        final int port;
        private final Thread thread;
        private final StringWriter out = new StringWriter();
        private volatile int exitCode = -1;

        private RunningServer(int port, String... args) {
            this.port = port;
            List<String> all = new ArrayList<>(List.of(args));
            all.addAll(List.of("--port", Integer.toString(port)));
            CommandLine cl = LakelensCli.newCommandLine();
            cl.setOut(new PrintWriter(out, true));
            thread = new Thread(() -> exitCode = cl.execute(all.toArray(new String[0])),
                    "sql-server-test-" + THREADS.incrementAndGet());
        }

        static RunningServer start(String... args) throws Exception {
            RunningServer s = new RunningServer(freePort(), args);
            s.thread.start();
            long deadline = System.currentTimeMillis() + 120_000;
            while (!s.listening()) {
                if (!s.thread.isAlive() || System.currentTimeMillis() > deadline) {
                    throw new AssertionError("sql-server did not start (exit " + s.exitCode + "): " + s.output());
                }
                Thread.sleep(200);
            }
            // The URL is printed right after the port opens.
            while (!s.output().contains("JDBC URL") && s.thread.isAlive()) {
                Thread.sleep(50);
            }
            return s;
        }

        String url() {
            return "jdbc:hive2://127.0.0.1:" + port + "/lakelens";
        }

        String output() {
            return out.toString();
        }

        private boolean listening() {
            try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return true;
            } catch (IOException e) {
                return false;
            }
        }

        @Override
        public void close() throws InterruptedException {
            thread.interrupt();
            thread.join(60_000);
            assertEquals(0, exitCode, output());
        }

        private static int freePort() throws IOException {
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                return s.getLocalPort();
            }
        }
    }
}
