package io.lakelens.models.image;

import java.awt.color.ColorSpace;
import java.awt.image.ColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.SampleModel;
import javax.imageio.ImageTypeSpecifier;

/** Names an image's colour mode the way Pillow does, from what the ImageIO reader reports. */
final class PilModes {
    private PilModes() {
    }

    /** Pillow's PNG table ({@code PngImagePlugin._MODES}), keyed by IHDR bit depth and colour type name. */
    static String png(String colorType, int bitDepth) {
        switch (colorType) {
            case "Grayscale":
                return bitDepth == 1 ? "1" : bitDepth == 16 ? "I;16" : "L";
            case "RGB":
                return "RGB";
            case "Palette":
                return "P";
            case "GrayAlpha":
                return bitDepth == 16 ? "RGBA" : "LA"; // Pillow has no 16-bit LA and widens to RGBA
            case "RGBAlpha":
                return "RGBA";
            default:
                return "UNKNOWN";
        }
    }

    /** Mode for the other formats, from the reader's raw image type. */
    static String fromType(ImageTypeSpecifier type) {
        ColorModel cm = type.getColorModel();
        SampleModel sm = type.getSampleModel();
        if (cm instanceof IndexColorModel) {
            return paletteMode((IndexColorModel) cm);
        }
        boolean alpha = cm.hasAlpha();
        int bits = sm.getSampleSize(0);
        int dataType = sm.getDataType();
        switch (cm.getColorSpace().getType()) {
            case ColorSpace.TYPE_GRAY:
                if (alpha) {
                    return "LA";
                }
                if (dataType == DataBuffer.TYPE_FLOAT || dataType == DataBuffer.TYPE_DOUBLE) {
                    return "F";
                }
                return bits == 1 ? "1" : bits == 16 ? "I;16" : bits == 32 ? "I" : "L";
            case ColorSpace.TYPE_RGB:
                return alpha ? "RGBA" : "RGB";
            case ColorSpace.TYPE_CMYK:
                return "CMYK";
            default:
                return "UNKNOWN";
        }
    }

    static int bitsPerSample(ImageTypeSpecifier type) {
        return type.getSampleModel().getSampleSize(0);
    }

    /**
     * Pillow's BMP and GIF plugins drop a palette that is a plain grey ramp (entry i is (i, i, i))
     * and call the image {@code "L"}; a two-entry black/white palette is {@code "1"}.
     */
    private static String paletteMode(IndexColorModel cm) {
        int n = cm.getMapSize();
        if (n == 2 && isGrey(cm, 0, 0) && isGrey(cm, 1, 255)) {
            return "1";
        }
        for (int i = 0; i < n; i++) {
            if (!isGrey(cm, i, i)) {
                return "P";
            }
        }
        return "L";
    }

    private static boolean isGrey(IndexColorModel cm, int index, int value) {
        return cm.getRed(index) == value && cm.getGreen(index) == value && cm.getBlue(index) == value;
    }
}
