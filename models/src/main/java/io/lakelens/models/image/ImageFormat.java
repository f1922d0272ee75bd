package io.lakelens.models.image;

import java.util.Locale;

/** The container formats lakelens decodes; the names are what {@link ImageInfo} reports. */
public enum ImageFormat {
    PNG, JPEG, GIF, BMP, WEBP, TIFF;

    /** Lower-case name as stored in tables, e.g. {@code "jpeg"}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Maps an ImageIO reader's format name; {@code null} for formats we do not take (wbmp, ico, ...). */
    static ImageFormat fromReaderFormatName(String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "png": return PNG;
            case "jpeg": case "jpg": return JPEG;
            case "gif": return GIF;
            case "bmp": return BMP;
            case "webp": return WEBP;
            case "tiff": case "tif": return TIFF;
            default: return null;
        }
    }
}
