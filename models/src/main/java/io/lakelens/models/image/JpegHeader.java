package io.lakelens.models.image;

import java.io.EOFException;
import java.io.IOException;
import javax.imageio.stream.ImageInputStream;

/**
 * The JPEG markers that decide how the decoded components become RGB: the frame's component count
 * and ids, and the JFIF and Adobe APP14 markers. Read by walking the marker segments up to the
 * first scan, so it costs a few hundred bytes of input.
 *
 * <p>Pillow hands JPEG decoding to libjpeg-turbo, and {@link #colorSpace()} repeats libjpeg's
 * guess of the stored colour space ({@code default_decompress_parms} in {@code jdapimin.c}). We
 * need the guess ourselves because we read the un-converted components (see {@link JpegRgb}).
 */
record JpegHeader(int components, int precision, int[] componentIds, boolean sawJfif, int adobeTransform) {

    /** How the stored components are to be interpreted. */
    enum ColorSpace { GRAY, YCBCR, RGB, CMYK, YCCK }

    static final int NO_ADOBE_MARKER = -1;

    /**
     * Reads the header from the stream's current position and leaves the position where it was.
     * Returns {@code null} when no frame header is found before the data ends: the ImageIO reader
     * then reports the problem in its own words.
     */
    static JpegHeader read(ImageInputStream in) throws IOException {
        in.mark();
        try {
            return scan(in);
        } catch (EOFException e) {
            return null;
        } finally {
            in.reset();
        }
    }

    private static JpegHeader scan(ImageInputStream in) throws IOException {
        if (in.readUnsignedByte() != 0xFF || in.readUnsignedByte() != 0xD8) {
            return null;
        }
        boolean jfif = false;
        int adobe = NO_ADOBE_MARKER;
        while (true) {
            int b = in.readUnsignedByte();
            if (b != 0xFF) {
                continue; // garbage between segments: libjpeg skips it with a warning
            }
            int marker;
            do {
                marker = in.readUnsignedByte();
            } while (marker == 0xFF); // fill bytes
            if (marker == 0x00 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8)) {
                continue; // stuffed zero, TEM, RSTn, SOI: no length field
            }
            if (marker == 0xD9 || marker == 0xDA) {
                return null; // EOI or SOS before any frame header
            }
            int length = in.readUnsignedShort() - 2;
            if (length < 0) {
                return null;
            }
            long next = in.getStreamPosition() + length;
            if (marker == 0xE0 && length >= 14) {
                // libjpeg only counts a JFIF marker with at least 14 bytes of payload.
                jfif = in.readUnsignedByte() == 'J' && in.readUnsignedByte() == 'F' && in.readUnsignedByte() == 'I'
                        && in.readUnsignedByte() == 'F' && in.readUnsignedByte() == 0 || jfif;
            } else if (marker == 0xEE && length >= 12) {
                byte[] payload = new byte[12];
                in.readFully(payload);
                if (payload[0] == 'A' && payload[1] == 'd' && payload[2] == 'o' && payload[3] == 'b' && payload[4] == 'e') {
                    adobe = payload[11] & 0xFF;
                }
            } else if (isStartOfFrame(marker)) {
                int precision = in.readUnsignedByte();
                in.readUnsignedShort(); // lines
                in.readUnsignedShort(); // samples per line
                int count = in.readUnsignedByte();
                int[] ids = new int[count];
                for (int i = 0; i < count; i++) {
                    ids[i] = in.readUnsignedByte();
                    in.readUnsignedByte(); // sampling factors
                    in.readUnsignedByte(); // quantisation table
                }
                // The APP markers that matter precede the frame header in every real file.
                return new JpegHeader(count, precision, ids, jfif, adobe);
            }
            in.seek(next);
        }
    }

    private static boolean isStartOfFrame(int marker) {
        // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC), which share the range.
        return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    }

    /** libjpeg's guess: JFIF means YCbCr, Adobe's transform flag decides next, then component ids. */
    ColorSpace colorSpace() {
        switch (components) {
            case 1:
                return ColorSpace.GRAY;
            case 3:
                if (sawJfif) {
                    return ColorSpace.YCBCR;
                }
                if (adobeTransform != NO_ADOBE_MARKER) {
                    return adobeTransform == 0 ? ColorSpace.RGB : ColorSpace.YCBCR;
                }
                if (componentIds[0] == 'R' && componentIds[1] == 'G' && componentIds[2] == 'B') {
                    return ColorSpace.RGB;
                }
                return ColorSpace.YCBCR; // ids 1,2,3 or anything else
            case 4:
                if (adobeTransform != NO_ADOBE_MARKER) {
                    return adobeTransform == 0 ? ColorSpace.CMYK : ColorSpace.YCCK;
                }
                return ColorSpace.CMYK;
            default:
                return null;
        }
    }

    /** Pillow's mode for a JPEG, which depends on the component count only. */
    String pilMode() {
        switch (components) {
            case 1: return "L";
            case 3: return "RGB";
            case 4: return "CMYK";
            default: return "UNKNOWN";
        }
    }
}
