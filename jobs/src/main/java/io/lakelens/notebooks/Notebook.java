package io.lakelens.notebooks;

import io.lakelens.jobs.spark.LakelensSession;
import io.lakelens.jobs.spark.SessionOptions;
import io.lakelens.jobs.tables.Warehouse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import scala.collection.Seq;

/**
 * What the notebooks use besides plain Spark: one lakelens session on the warehouse, and tables
 * shown as HTML. Outside a notebook kernel, {@link #show} prints text.
 */
public final class Notebook {

    /** The warehouse the notebooks open: this variable, else {@code $LAKELENS_HOME/lakelens-warehouse}, else ./lakelens-warehouse. */
    public static final String WAREHOUSE_ENV = "LAKELENS_WAREHOUSE";

    private static LakelensSession session;

    private Notebook() {}

    /** Where the notebooks' warehouse is. */
    public static String warehouse() {
        String env = System.getenv(WAREHOUSE_ENV);
        if (env != null && !env.isBlank()) {
            return env;
        }
        String home = System.getenv("LAKELENS_HOME");
        if (home != null && !home.isBlank()) {
            // Jupyter starts kernels in the notebook's folder; the launcher's default is relative to the repository.
            return Path.of(home).resolve(Warehouse.DEFAULT_LOCATION).normalize().toString();
        }
        return Warehouse.DEFAULT_LOCATION;
    }

    /**
     * The kernel's lakelens session (Spark with Delta, the warehouse's tables registered as
     * {@code lakelens.<table>}), started on first use. Spark settings come as for every lakelens
     * command: conf/spark-defaults.conf, then {@code -Dspark.*} JVM flags of the kernel.
     */
    public static synchronized LakelensSession session() {
        if (session == null) {
            session = LakelensSession.start(SessionOptions.local("lakelens notebook", warehouse()));
            Runtime.getRuntime().addShutdownHook(new Thread(session::close));
        }
        return session;
    }

    /** Runs a Spark SQL query on the warehouse. */
    public static Dataset<Row> sql(String query) {
        return session().spark().sql(query);
    }

    /** Shows the first 20 rows of a query's result as a table. */
    public static void show(Dataset<Row> df) {
        show(df, 20);
    }

    /** Shows the first {@code maxRows} rows as a table (HTML in a notebook, text elsewhere). */
    public static void show(Dataset<Row> df, int maxRows) {
        List<Row> rows = df.limit(maxRows + 1).collectAsList();
        boolean more = rows.size() > maxRows;
        show(df.schema().fieldNames(), more ? rows.subList(0, maxRows) : rows, more);
    }

    /** Shows collected rows with the given column names. */
    public static void show(String[] columns, List<Row> rows) {
        show(columns, rows, false);
    }

    private static void show(String[] columns, List<Row> rows, boolean more) {
        StringBuilder html = new StringBuilder("<table><thead><tr>");
        for (String c : columns) {
            html.append("<th>").append(escape(c)).append("</th>");
        }
        html.append("</tr></thead><tbody>");
        StringBuilder text = new StringBuilder(String.join("\t", columns)).append('\n');
        for (Row r : rows) {
            html.append("<tr>");
            List<String> cells = new ArrayList<>();
            for (int i = 0; i < r.length(); i++) {
                String v = format(r.get(i));
                cells.add(v);
                html.append("<td>").append(escape(v)).append("</td>");
            }
            html.append("</tr>");
            text.append(String.join("\t", cells)).append('\n');
        }
        html.append("</tbody></table>");
        String note = rows.size() + (rows.size() == 1 ? " row" : " rows") + (more ? " (more not shown)" : "");
        html.append("<p>").append(note).append("</p>");
        text.append(note);
        DisplayData data = new DisplayData(text.toString());
        data.putHTML(html.toString());
        display(data);
    }

    /** Shows Markdown (in a notebook) or prints it. */
    public static void markdown(String md) {
        DisplayData data = new DisplayData(md);
        data.putMarkdown(md);
        display(data);
    }

    /** Shows HTML (in a notebook); elsewhere prints {@code text}. */
    public static void html(String html, String text) {
        DisplayData data = new DisplayData(text);
        data.putHTML(html);
        display(data);
    }

    /** An image (bytes as stored in lakelens.images.content) as an HTML {@code <img>}, at most {@code maxWidth} pixels wide. */
    public static String imgTag(byte[] bytes, String format, int maxWidth) {
        String mime = "jpg".equals(format) ? "image/jpeg" : "image/" + (format == null ? "png" : format);
        return "<img style=\"max-width:" + maxWidth + "px\" src=\"data:" + mime + ";base64,"
                + java.util.Base64.getEncoder().encodeToString(bytes) + "\">";
    }

    /** HTML-escapes text. */
    public static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /**
     * Cosine similarity of two vectors of equal length (NaN for a zero vector), the same function
     * as SQL's {@code cosine_similarity}.
     */
    public static double cosine(float[] a, float[] b) {
        return io.lakelens.jobs.sql.VectorFunctions.cosine(a, b, "cosine");
    }

    /** An {@code array<float>} column of a collected row as a {@code float[]}. */
    public static float[] floats(Row row, String column) {
        List<Object> list = row.getList(row.fieldIndex(column));
        float[] out = new float[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Number) list.get(i)).floatValue();
        }
        return out;
    }

    private static void display(DisplayData data) {
        BaseKernel kernel = BaseKernel.notebookKernel();
        if (kernel != null && kernel.getIO().isAttached()) {
            kernel.display(data);
        } else {
            System.out.println(data.getData(org.dflib.jjava.jupyter.kernel.display.mime.MIMEType.TEXT_PLAIN));
        }
    }

    private static String format(Object v) {
        if (v == null) {
            return "NULL";
        }
        if (v instanceof Double || v instanceof Float) {
            return String.format(Locale.ROOT, "%.4f", ((Number) v).doubleValue());
        }
        if (v instanceof Seq<?> seq) {
            StringBuilder sb = new StringBuilder("[");
            scala.collection.Iterator<?> it = seq.iterator();
            int n = 0;
            while (it.hasNext() && n < 8) {
                sb.append(n++ == 0 ? "" : ", ").append(format(it.next()));
            }
            return sb.append(seq.length() > 8 ? ", … (" + seq.length() + ")]" : "]").toString();
        }
        if (v instanceof scala.collection.Map<?, ?> map) {
            StringBuilder sb = new StringBuilder("{");
            scala.collection.Iterator<? extends scala.Tuple2<?, ?>> it = map.iterator();
            int n = 0;
            while (it.hasNext()) {
                scala.Tuple2<?, ?> kv = it.next();
                sb.append(n++ == 0 ? "" : ", ").append(kv._1()).append('=').append(format(kv._2()));
            }
            return sb.append('}').toString();
        }
        return v.toString();
    }

}
