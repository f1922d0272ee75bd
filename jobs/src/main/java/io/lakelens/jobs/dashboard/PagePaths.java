package io.lakelens.jobs.dashboard;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Where each page and image lives in the site, relative to its root: the same paths on disk and on
 * the live server, so links work in both.
 */
public final class PagePaths {

    public static final String INDEX = "index.html";
    public static final String ASSETS = "assets/";

    private PagePaths() {}

    public static String evalRun(String runId) {
        return "runs/" + fileName(runId) + ".html";
    }

    public static String trainingRun(String runId) {
        return "training/" + fileName(runId) + ".html";
    }

    /** Image ids are SHA-256 hex, so the file name is the id itself. */
    public static String thumbnail(String imageId) {
        return "thumbs/" + fileName(imageId) + ".jpg";
    }

    /**
     * A file name for an id: the id itself when it is a plain name, else its plain characters and a
     * hash of the whole id (so two ids never share a file, and no id escapes its folder).
     */
    static String fileName(String id) {
        if (id.matches("[A-Za-z0-9_-][A-Za-z0-9._-]{0,119}")) {
            return id;
        }
        String plain = id.replaceAll("[^A-Za-z0-9_-]", "_");
        return plain.substring(0, Math.min(plain.length(), 60)) + "-" + sha256(id).substring(0, 12);
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
