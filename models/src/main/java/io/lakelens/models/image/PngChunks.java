package io.lakelens.models.image;

/** Just enough of the PNG chunk layout to tell a cut-off file from a damaged one. */
final class PngChunks {
    private static final int SIGNATURE_LENGTH = 8;

    private PngChunks() {
    }

    /**
     * True when the chunk list runs past the end of the data before any {@code IEND}, or stops
     * before the first {@code IDAT} is complete. Only consulted after a reader has failed.
     */
    static boolean isTruncated(byte[] png) {
        long pos = SIGNATURE_LENGTH;
        while (pos + 8 <= png.length) {
            long length = readInt(png, (int) pos) & 0xFFFFFFFFL;
            String type = new String(png, (int) pos + 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
            long end = pos + 12 + length;
            if (end > png.length) {
                return true;
            }
            if (type.equals("IEND")) {
                return false;
            }
            pos = end;
        }
        return true;
    }

    private static int readInt(byte[] b, int at) {
        return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
    }
}
