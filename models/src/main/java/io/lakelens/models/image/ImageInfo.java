package io.lakelens.models.image;

/**
 * What an image header says, read without decoding the pixels.
 *
 * @param format        container format
 * @param width         pixels
 * @param height        pixels
 * @param mode          colour mode in Pillow's terms, as {@code PIL.Image.open(...).mode} reports it:
 *                      {@code "RGB"}, {@code "RGBA"}, {@code "L"}, {@code "LA"}, {@code "P"},
 *                      {@code "1"}, {@code "CMYK"}, {@code "I;16"}, {@code "I"}, {@code "F"}.
 *                      Pillow's own quirks are kept (a 16-bit grey+alpha PNG is {@code "RGBA"}).
 *                      For BMP, GIF and TIFF palettes the name is derived from the palette and may
 *                      differ from Pillow's in rare cases; it never changes the decoded pixels.
 * @param bitsPerSample bits of one stored sample (1, 2, 4, 8, 16, 32); for palette images the
 *                      index width
 */
public record ImageInfo(ImageFormat format, int width, int height, String mode, int bitsPerSample) {

    public long pixelCount() {
        return (long) width * height;
    }
}
