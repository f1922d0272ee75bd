package io.lakelens.models.image;

import java.nio.charset.StandardCharsets;

/**
 * Recognises image formats that no installed ImageIO reader handles, so that an AVIF or HEIC file
 * is reported as {@code UNSUPPORTED} rather than as "not an image".
 */
final class KnownUnsupportedFormats {
    static final int PREFIX_LENGTH = 16;

    private KnownUnsupportedFormats() {
    }

    /** The format's name, or {@code null} when the first bytes match none we know. */
    static String identify(byte[] head, int n) {
        if (n >= 12 && ascii(head, 4, "ftyp")) {
            String brand = new String(head, 8, 4, StandardCharsets.ISO_8859_1);
            switch (brand) {
                case "avif": case "avis": return "avif";
                case "heic": case "heix": case "hevc": case "hevx": case "mif1": case "msf1": return "heif";
                default: return null;
            }
        }
        if (n >= 12 && (head[0] == 0 && head[1] == 0 && head[2] == 0 && head[3] == 12)) {
            if (ascii(head, 4, "jP  ")) {
                return "jpeg2000";
            }
            if (ascii(head, 4, "JXL ")) {
                return "jpegxl";
            }
        }
        if (n >= 4 && (head[0] & 0xFF) == 0xFF && (head[1] & 0xFF) == 0x4F && (head[2] & 0xFF) == 0xFF && (head[3] & 0xFF) == 0x51) {
            return "jpeg2000";
        }
        if (n >= 2 && (head[0] & 0xFF) == 0xFF && (head[1] & 0xFF) == 0x0A) {
            return "jpegxl";
        }
        if (n >= 4 && ascii(head, 0, "8BPS")) {
            return "psd";
        }
        return null;
    }

    private static boolean ascii(byte[] b, int at, String s) {
        for (int i = 0; i < s.length(); i++) {
            if (b[at + i] != (byte) s.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
