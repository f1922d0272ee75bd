package io.lakelens.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.collection.Seq;

/** Prints query results as an aligned table (for people) or tab-separated values (for scripts). */
public final class ResultPrinter {

    /** Output formats. */
    public enum Format { TABLE, TSV }

    private static final int MAX_TABLE_CELL = 60;

    private final Format format;

    public ResultPrinter(Format format) {
        this.format = format;
    }

    public void print(StructType schema, List<Row> rows, PrintWriter out) {
        String[] header = schema.fieldNames();
        List<String[]> cells = new ArrayList<>();
        for (Row row : rows) {
            String[] line = new String[header.length];
            for (int i = 0; i < header.length; i++) {
                line[i] = cell(row.get(i), format == Format.TABLE);
            }
            cells.add(line);
        }
        if (format == Format.TSV) {
            out.println(String.join("\t", header));
            cells.forEach(line -> out.println(String.join("\t", line)));
        } else {
            printTable(schema, header, cells, out);
            out.println(rows.size() + (rows.size() == 1 ? " row" : " rows"));
        }
        out.flush();
    }

    private static void printTable(StructType schema, String[] header, List<String[]> cells, PrintWriter out) {
        int[] width = new int[header.length];
        for (int i = 0; i < header.length; i++) {
            width[i] = header[i].length();
            for (String[] line : cells) {
                width[i] = Math.max(width[i], line[i].length());
            }
        }
        StringBuilder rule = new StringBuilder("+");
        for (int w : width) {
            rule.append("-".repeat(w + 2)).append('+');
        }
        out.println(rule);
        out.println(line(header, width, null));
        out.println(rule);
        StructField[] fields = schema.fields();
        for (String[] line : cells) {
            out.println(line(line, width, fields));
        }
        out.println(rule);
    }

    private static String line(String[] values, int[] width, StructField[] fields) {
        StringBuilder sb = new StringBuilder("|");
        for (int i = 0; i < values.length; i++) {
            boolean numeric = fields != null && isNumeric(fields[i]);
            String v = values[i];
            String pad = " ".repeat(width[i] - v.length());
            sb.append(' ').append(numeric ? pad + v : v + pad).append(" |");
        }
        return sb.toString();
    }

    private static boolean isNumeric(StructField f) {
        String t = f.dataType().typeName().toLowerCase(Locale.ROOT);
        return t.equals("integer") || t.equals("long") || t.equals("double") || t.equals("float")
                || t.equals("short") || t.equals("byte") || t.startsWith("decimal");
    }

    /** A value as text: NULL for null, arrays and maps in brackets, long cells cut in table mode. */
    static String cell(Object value, boolean truncate) {
        String s = render(value);
        s = s.replace("\t", " ").replace("\n", " ");
        if (truncate && s.length() > MAX_TABLE_CELL) {
            s = s.substring(0, MAX_TABLE_CELL - 3) + "...";
        }
        return s;
    }

    private static String render(Object value) {
        if (value == null) {
            return "NULL";
        }
        if (value instanceof byte[] bytes) {
            return "<" + bytes.length + " bytes>";
        }
        if (value instanceof Seq<?> seq) {
            StringBuilder sb = new StringBuilder("[");
            scala.collection.Iterator<?> it = seq.iterator();
            while (it.hasNext()) {
                sb.append(render(it.next()));
                if (it.hasNext()) {
                    sb.append(", ");
                }
            }
            return sb.append(']').toString();
        }
        if (value instanceof scala.collection.Map<?, ?> map) {
            StringBuilder sb = new StringBuilder("{");
            scala.collection.Iterator<?> it = map.iterator();
            while (it.hasNext()) {
                scala.Tuple2<?, ?> e = (scala.Tuple2<?, ?>) it.next();
                sb.append(render(e._1())).append(": ").append(render(e._2()));
                if (it.hasNext()) {
                    sb.append(", ");
                }
            }
            return sb.append('}').toString();
        }
        if (value instanceof Row row) {
            StringBuilder sb = new StringBuilder("{");
            for (int i = 0; i < row.size(); i++) {
                sb.append(i == 0 ? "" : ", ").append(render(row.get(i)));
            }
            return sb.append('}').toString();
        }
        return value.toString();
    }
}
