/**
 * Image bytes to model input, reproducing Hugging Face's slow (Pillow-based) image processors.
 *
 * <p>The models never see an image, only the {@code float[]} this package produces. Data flows
 * through the classes in this order:
 * <ol>
 * <li>{@link io.lakelens.models.image.ImageProbe}: header only: format, size and Pillow colour
 *     mode ({@link io.lakelens.models.image.ImageInfo}), for cheap scans of many files.</li>
 * <li>{@link io.lakelens.models.image.ImageDecoder}: bytes to
 *     {@link io.lakelens.models.image.RgbImage} with Pillow's {@code convert("RGB")} pixel values,
 *     a pixel limit checked before decoding, and every failure an
 *     {@link io.lakelens.models.image.ImageDecodeException} with a stable reason code.</li>
 * <li>{@link io.lakelens.models.image.PillowBicubicResize}: bit-exact port of Pillow's bicubic
 *     resample.</li>
 * <li>{@link io.lakelens.models.image.ImagePreprocessor}, configured by
 *     {@link io.lakelens.models.image.PreprocessorConfig} ({@code preprocessor_config.json}):
 *     resize, centre crop, rescale, normalise, channels first.</li>
 * </ol>
 * The reference is {@code golden/README.md} section 4.1 (test resources); the golden
 * {@code pixel_values} of clip-tiny and blip-tiny are reproduced bit for bit, and
 * {@code images/pillow_corpus.json} checks the decoder against Pillow 12.3 mode by mode.
 */
package io.lakelens.models.image;
