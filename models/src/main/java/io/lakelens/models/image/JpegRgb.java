package io.lakelens.models.image;

import io.lakelens.models.image.ImageDecodeException.Reason;
import java.io.IOException;
import java.awt.image.Raster;

/**
 * JPEG to RGB as Pillow (libjpeg-turbo) does it.
 *
 * <p>ImageIO's JPEG readers colour-manage: they apply an embedded ICC profile, and TwelveMonkeys
 * converts CMYK through a CMYK profile. Pillow does neither. So we ask the reader for the raw
 * components ({@code readRaster}: entropy decoding, IDCT and chroma upsampling by the JDK's
 * libjpeg, no colour conversion) and do libjpeg's colour conversion ourselves.
 */
final class JpegRgb {
    private static final int SCALE_BITS = 16;
    private static final int ONE_HALF = 1 << (SCALE_BITS - 1);

    // libjpeg's YCbCr -> RGB tables (jdcolor.c, build_ycc_rgb_table), indexed by the chroma byte.
    private static final int[] CR_TO_R = new int[256];
    private static final int[] CB_TO_B = new int[256];
    private static final int[] CR_TO_G = new int[256];
    private static final int[] CB_TO_G = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int x = i - 128;
            CR_TO_R[i] = (fix(1.40200) * x + ONE_HALF) >> SCALE_BITS;
            CB_TO_B[i] = (fix(1.77200) * x + ONE_HALF) >> SCALE_BITS;
            CR_TO_G[i] = -fix(0.71414) * x;
            CB_TO_G[i] = -fix(0.34414) * x + ONE_HALF; // the rounding constant rides in this table
        }
    }

    private JpegRgb() {
    }

    private static int fix(double x) {
        return (int) (x * (1 << SCALE_BITS) + 0.5);
    }

    static byte[] decode(OpenedImage image) throws IOException {
        JpegHeader header = image.jpeg;
        JpegHeader.ColorSpace colorSpace = header.colorSpace();
        if (colorSpace == null) {
            throw new ImageDecodeException(Reason.UNSUPPORTED, "jpeg with " + header.components() + " components is not supported");
        }
        if (header.precision() != 8) {
            throw new ImageDecodeException(Reason.UNSUPPORTED, header.precision() + "-bit jpeg is not supported");
        }
        Raster raw = image.reader.readRaster(0, null);
        int width = raw.getWidth();
        int height = raw.getHeight();
        if (raw.getNumBands() != header.components() || raw.getSampleModel().getSampleSize(0) != 8) {
            throw new ImageDecodeException(Reason.UNSUPPORTED, "jpeg decoded to " + raw.getNumBands() + " bands of "
                    + raw.getSampleModel().getSampleSize(0) + " bits, expected " + header.components() + " of 8");
        }
        byte[] out = new byte[width * height * 3];
        RasterRows rows = new RasterRows(raw);
        byte[] row = new byte[width * raw.getNumBands()];
        // One loop per colour space, so that the per-pixel work has no branch on it.
        for (int y = 0, o = 0; y < height; y++) {
            readRow(rows, y, row);
            switch (colorSpace) {
                case GRAY:
                    for (int x = 0; x < width; x++, o += 3) {
                        out[o] = out[o + 1] = out[o + 2] = row[x];
                    }
                    break;
                case RGB:
                    System.arraycopy(row, 0, out, o, width * 3);
                    o += width * 3;
                    break;
                case YCBCR:
                    for (int i = 0; i < width * 3; i += 3, o += 3) {
                        yccToRgb(row[i] & 0xFF, row[i + 1] & 0xFF, row[i + 2] & 0xFF, out, o);
                    }
                    break;
                case CMYK:
                    // Pillow reads every CMYK JPEG as Adobe-inverted ("CMYK;I"): stored 0 = full ink.
                    for (int i = 0; i < width * 4; i += 4, o += 3) {
                        PillowCmyk.toRgb(255 - (row[i] & 0xFF), 255 - (row[i + 1] & 0xFF), 255 - (row[i + 2] & 0xFF),
                                255 - (row[i + 3] & 0xFF), out, o);
                    }
                    break;
                case YCCK:
                    // libjpeg turns YCCK into CMYK by converting YCC to RGB and inverting it;
                    // Pillow's "CMYK;I" inverts again, so its C, M, Y are that R, G, B.
                    for (int i = 0; i < width * 4; i += 4, o += 3) {
                        yccToRgb(row[i] & 0xFF, row[i + 1] & 0xFF, row[i + 2] & 0xFF, out, o);
                        PillowCmyk.toRgb(out[o] & 0xFF, out[o + 1] & 0xFF, out[o + 2] & 0xFF, 255 - (row[i + 3] & 0xFF), out, o);
                    }
                    break;
                default:
                    throw new AssertionError(colorSpace);
            }
        }
        return out;
    }

    private static void readRow(RasterRows rows, int y, byte[] row) {
        if (rows.hasBytes()) {
            rows.readBytes(y, row);
            return;
        }
        int[] samples = rows.newRow();
        rows.read(y, samples);
        for (int i = 0; i < samples.length; i++) {
            row[i] = (byte) samples[i];
        }
    }

    private static void yccToRgb(int luma, int cb, int cr, byte[] out, int at) {
        out[at] = (byte) clip(luma + CR_TO_R[cr]);
        out[at + 1] = (byte) clip(luma + ((CB_TO_G[cb] + CR_TO_G[cr]) >> SCALE_BITS));
        out[at + 2] = (byte) clip(luma + CB_TO_B[cb]);
    }

    private static int clip(int v) {
        return v < 0 ? 0 : Math.min(v, 255);
    }
}
