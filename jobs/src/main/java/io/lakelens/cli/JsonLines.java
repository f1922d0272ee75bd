package io.lakelens.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;

/** One JSON object per line on standard output. */
final class JsonLines {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PrintWriter out;

    JsonLines(PrintWriter out) {
        this.out = out;
    }

    ObjectNode object() {
        return JSON.createObjectNode();
    }

    static ArrayNode floats(ObjectNode parent, String name, float[] values) {
        ArrayNode a = parent.putArray(name);
        for (float v : values) {
            a.add(v);
        }
        return a;
    }

    static ArrayNode longs(ObjectNode parent, String name, long[] values) {
        ArrayNode a = parent.putArray(name);
        for (long v : values) {
            a.add(v);
        }
        return a;
    }

    void print(ObjectNode node) {
        try {
            out.println(JSON.writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        out.flush();
    }
}
