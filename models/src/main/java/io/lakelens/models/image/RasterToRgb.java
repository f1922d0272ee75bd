package io.lakelens.models.image;

import io.lakelens.models.image.ImageDecodeException.Reason;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;

/**
 * Pillow's {@code convert("RGB")} applied to a decoded ImageIO raster (every format but JPEG,
 * which has its own path in {@link JpegRgb}). Works on stored samples only: no colour management,
 * no alpha compositing.
 */
final class RasterToRgb {
    private RasterToRgb() {
    }

    static byte[] convert(BufferedImage image, ImageInfo info) {
        ColorModel cm = image.getColorModel();
        if (cm.isAlphaPremultiplied()) {
            // Only un-premultiplied samples still carry the stored colour of transparent pixels.
            image.coerceData(false);
            cm = image.getColorModel();
        }
        Raster raster = image.getRaster();
        int width = raster.getWidth();
        int height = raster.getHeight();
        byte[] out = new byte[width * height * 3];
        RasterRows rows = new RasterRows(raster);
        int[] row = rows.newRow();
        int bands = rows.bands();

        if (cm instanceof IndexColorModel) {
            IndexColorModel palette = (IndexColorModel) cm;
            int size = palette.getMapSize();
            byte[] r = new byte[size];
            byte[] g = new byte[size];
            byte[] b = new byte[size];
            palette.getReds(r);
            palette.getGreens(g);
            palette.getBlues(b);
            for (int y = 0, o = 0; y < height; y++) {
                rows.read(y, row);
                for (int x = 0; x < width; x++, o += 3) {
                    // An index past the palette end reads as black, as Pillow's zero-filled palette does.
                    int index = row[x * bands];
                    if (index < size) {
                        out[o] = r[index];
                        out[o + 1] = g[index];
                        out[o + 2] = b[index];
                    }
                }
            }
            return out;
        }

        int dataType = raster.getSampleModel().getDataType();
        if (dataType == DataBuffer.TYPE_FLOAT || dataType == DataBuffer.TYPE_DOUBLE) {
            throw new ImageDecodeException(Reason.UNSUPPORTED, info.format().id() + " with floating-point samples is not supported");
        }
        int colorBands = cm.getNumColorComponents();
        int csType = cm.getColorSpace().getType();
        SampleScale[] scale = new SampleScale[colorBands];
        for (int c = 0; c < colorBands; c++) {
            scale[c] = SampleScale.of(raster.getSampleModel().getSampleSize(c), "I;16".equals(info.mode()) || "I".equals(info.mode()));
        }
        boolean allBytes = rows.hasBytes();
        for (SampleScale sc : scale) {
            allBytes &= sc == SampleScale.IDENTITY;
        }
        if (allBytes && (csType == ColorSpace.TYPE_GRAY && colorBands == 1 || csType == ColorSpace.TYPE_RGB && colorBands == 3)) {
            // 8-bit grey or RGB, with or without alpha: the common case, copied without per-sample calls.
            byte[] bytes = new byte[width * bands];
            for (int y = 0, o = 0; y < height; y++) {
                rows.readBytes(y, bytes);
                if (colorBands == 3 && bands == 3) {
                    System.arraycopy(bytes, 0, out, o, width * 3);
                    o += width * 3;
                } else if (colorBands == 3) {
                    for (int i = 0; i < bytes.length; i += bands, o += 3) {
                        out[o] = bytes[i];
                        out[o + 1] = bytes[i + 1];
                        out[o + 2] = bytes[i + 2];
                    }
                } else {
                    for (int i = 0; i < bytes.length; i += bands, o += 3) {
                        out[o] = out[o + 1] = out[o + 2] = bytes[i];
                    }
                }
            }
        } else if (csType == ColorSpace.TYPE_GRAY && colorBands == 1) {
            for (int y = 0, o = 0; y < height; y++) {
                rows.read(y, row);
                for (int x = 0; x < width; x++, o += 3) {
                    byte v = (byte) scale[0].apply(row[x * bands]);
                    out[o] = v;
                    out[o + 1] = v;
                    out[o + 2] = v;
                }
            }
        } else if (csType == ColorSpace.TYPE_RGB && colorBands == 3) {
            for (int y = 0, o = 0; y < height; y++) {
                rows.read(y, row);
                for (int x = 0, i = 0; x < width; x++, o += 3, i += bands) {
                    out[o] = (byte) scale[0].apply(row[i]);
                    out[o + 1] = (byte) scale[1].apply(row[i + 1]);
                    out[o + 2] = (byte) scale[2].apply(row[i + 2]);
                }
            }
        } else if (csType == ColorSpace.TYPE_CMYK && colorBands == 4) {
            for (int y = 0, o = 0; y < height; y++) {
                rows.read(y, row);
                for (int x = 0, i = 0; x < width; x++, o += 3, i += bands) {
                    PillowCmyk.toRgb(scale[0].apply(row[i]), scale[1].apply(row[i + 1]), scale[2].apply(row[i + 2]),
                            scale[3].apply(row[i + 3]), out, o);
                }
            }
        } else {
            throw new ImageDecodeException(Reason.UNSUPPORTED, info.format().id() + " colour space "
                    + cm.getColorSpace().getClass().getSimpleName() + " (type " + csType + ", " + colorBands + " components) is not supported");
        }
        return out;
    }

    /** Brings one stored sample to 0..255 the way Pillow's unpackers and converters do. */
    enum SampleScale {
        /** 8-bit samples are taken as they are. */
        IDENTITY,
        /** Pillow loads 16-bit RGB(A)/LA through "RGB;16B"-style unpackers that keep the high byte. */
        HIGH_BYTE,
        /** Pillow's I;16 and I to RGB conversions clamp the value to 0..255, they do not scale it. */
        CLAMP,
        /** 1-, 2- and 4-bit grey ("1", "L;2", "L;4") are widened to 0..255. */
        WIDEN_1, WIDEN_2, WIDEN_4, WIDEN_5, WIDEN_6;

        static SampleScale of(int bits, boolean clampWideGrey) {
            switch (bits) {
                case 8: return IDENTITY;
                case 16: return clampWideGrey ? CLAMP : HIGH_BYTE;
                case 32: return CLAMP;
                case 1: return WIDEN_1;
                case 2: return WIDEN_2;
                case 4: return WIDEN_4;
                case 5: return WIDEN_5; // BMP 555/565 bit fields ("BGR;15", "BGR;16")
                case 6: return WIDEN_6;
                default:
                    throw new ImageDecodeException(Reason.UNSUPPORTED, bits + "-bit samples are not supported");
            }
        }

        int apply(int v) {
            switch (this) {
                case IDENTITY: return v;
                case HIGH_BYTE: return v >>> 8;
                case CLAMP: return v < 0 ? 0 : Math.min(v, 255);
                case WIDEN_1: return v * 255;
                case WIDEN_2: return v * 85;
                case WIDEN_4: return v * 17;
                case WIDEN_5: return v * 255 / 31;
                case WIDEN_6: return v * 255 / 63;
                default: throw new AssertionError(this);
            }
        }
    }
}
