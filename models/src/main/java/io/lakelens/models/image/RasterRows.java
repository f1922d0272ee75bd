package io.lakelens.models.image;

import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferUShort;
import java.awt.image.Raster;

/**
 * Reads a raster one row at a time as band-interleaved ints, with a direct path for the byte and
 * short layouts decoders produce (the generic {@code Raster.getPixels} goes through virtual calls
 * per sample and is several times slower).
 */
final class RasterRows {
    private final Raster raster;
    private final int width;
    private final int bands;
    private final byte[] bytes;
    private final short[] shorts;
    private final int pixelStride;
    private final int scanlineStride;
    private final int[] bandOffsets;
    private final int origin;

    RasterRows(Raster raster) {
        this.raster = raster;
        this.width = raster.getWidth();
        this.bands = raster.getNumBands();
        DataBuffer buffer = raster.getDataBuffer();
        if (raster.getSampleModel() instanceof ComponentSampleModel && buffer.getNumBanks() == 1
                && (buffer instanceof DataBufferByte || buffer instanceof DataBufferUShort)) {
            ComponentSampleModel sm = (ComponentSampleModel) raster.getSampleModel();
            this.bytes = buffer instanceof DataBufferByte ? ((DataBufferByte) buffer).getData() : null;
            this.shorts = buffer instanceof DataBufferUShort ? ((DataBufferUShort) buffer).getData() : null;
            this.pixelStride = sm.getPixelStride();
            this.scanlineStride = sm.getScanlineStride();
            this.bandOffsets = sm.getBandOffsets();
            // Child rasters share the parent's buffer; the translate says where this one starts.
            int x0 = raster.getMinX() - raster.getSampleModelTranslateX();
            int y0 = raster.getMinY() - raster.getSampleModelTranslateY();
            this.origin = buffer.getOffset() + y0 * scanlineStride + x0 * pixelStride;
        } else {
            this.bytes = null;
            this.shorts = null;
            this.pixelStride = 0;
            this.scanlineStride = 0;
            this.bandOffsets = null;
            this.origin = 0;
        }
    }

    int bands() {
        return bands;
    }

    /** A buffer of the right length for {@link #read}. */
    int[] newRow() {
        return new int[width * bands];
    }

    /** True when {@link #readBytes} can copy rows straight out of a byte buffer. */
    boolean hasBytes() {
        return bytes != null;
    }

    /**
     * Fills {@code row} (length width x bands) with row {@code y} of an 8-bit raster, samples of
     * pixel x at {@code x * bands() + band}. A plain array copy when the raster is already laid
     * out that way, as decoders' rasters usually are.
     */
    void readBytes(int y, byte[] row) {
        int base = origin + y * scanlineStride;
        if (pixelStride == bands && isIdentity(bandOffsets)) {
            System.arraycopy(bytes, base, row, 0, width * bands);
            return;
        }
        for (int x = 0, i = 0; x < width; x++, base += pixelStride) {
            for (int b = 0; b < bands; b++) {
                row[i++] = bytes[base + bandOffsets[b]];
            }
        }
    }

    private static boolean isIdentity(int[] offsets) {
        for (int i = 0; i < offsets.length; i++) {
            if (offsets[i] != i) {
                return false;
            }
        }
        return true;
    }

    /** Fills {@code row} with row {@code y} (0-based): samples of pixel x at {@code x * bands() + band}. */
    void read(int y, int[] row) {
        if (bytes != null) {
            int base = origin + y * scanlineStride;
            for (int x = 0, i = 0; x < width; x++, base += pixelStride) {
                for (int b = 0; b < bands; b++) {
                    row[i++] = bytes[base + bandOffsets[b]] & 0xFF;
                }
            }
        } else if (shorts != null) {
            int base = origin + y * scanlineStride;
            for (int x = 0, i = 0; x < width; x++, base += pixelStride) {
                for (int b = 0; b < bands; b++) {
                    row[i++] = shorts[base + bandOffsets[b]] & 0xFFFF;
                }
            }
        } else {
            raster.getPixels(raster.getMinX(), raster.getMinY() + y, width, 1, row);
        }
    }
}
