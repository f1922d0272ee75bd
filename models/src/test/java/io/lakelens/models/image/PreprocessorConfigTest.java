package io.lakelens.models.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lakelens.models.image.PreprocessorConfig.HeightWidth;
import io.lakelens.models.image.PreprocessorConfig.ShortestEdge;
import org.junit.jupiter.api.Test;

class PreprocessorConfigTest {
    private static final double[] CLIP_MEAN = {0.48145466, 0.4578275, 0.40821073};
    private static final double[] CLIP_STD = {0.26862954, 0.26130258, 0.27577711};

    @Test
    void goldenClipConfig() {
        PreprocessorConfig config = PreprocessorConfig.fromJson(TestImages.resource("golden/clip-tiny/preprocessor_config.json"));
        assertEquals(new ShortestEdge(32), config.size());
        assertTrue(config.doCenterCrop());
        assertEquals(new HeightWidth(32, 32), config.cropSize());
        assertEquals(3, config.resample());
        assertEquals(0.00392156862745098, config.rescaleFactor());
        assertArrayEquals(CLIP_MEAN, config.imageMean());
        assertArrayEquals(CLIP_STD, config.imageStd());
        assertEquals("CLIPImageProcessor", config.processorType());
    }

    @Test
    void goldenBlipConfig() {
        PreprocessorConfig config = PreprocessorConfig.fromJson(TestImages.resource("golden/blip-tiny/preprocessor_config.json"));
        assertEquals(new HeightWidth(32, 32), config.size());
        assertFalse(config.doCenterCrop());
        assertNull(config.cropSize());
        assertEquals("BlipImageProcessor", config.processorType());
    }

    @Test
    void legacyIntegerSizesFollowTheProcessorClass() {
        // The shape of openai/clip-vit-base-patch32's file (a CLIPFeatureExtractor config).
        PreprocessorConfig clip = PreprocessorConfig.fromJson("{\"crop_size\": 224, \"do_center_crop\": true, \"do_normalize\": true,"
                + " \"do_resize\": true, \"feature_extractor_type\": \"CLIPFeatureExtractor\", \"image_mean\": [0.48145466, 0.4578275,"
                + " 0.40821073], \"image_std\": [0.26862954, 0.26130258, 0.27577711], \"resample\": 3, \"size\": 224}");
        assertEquals(new ShortestEdge(224), clip.size());
        assertEquals(new HeightWidth(224, 224), clip.cropSize());
        assertEquals(1.0 / 255, clip.rescaleFactor());

        PreprocessorConfig blip = PreprocessorConfig.fromJson("{\"image_processor_type\": \"BlipImageProcessor\", \"size\": 384,"
                + " \"image_mean\": [0.48145466, 0.4578275, 0.40821073], \"image_std\": [0.26862954, 0.26130258, 0.27577711]}");
        assertEquals(new HeightWidth(384, 384), blip.size());
        assertFalse(blip.doCenterCrop());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PreprocessorConfig.fromJson("{\"image_processor_type\": \"SomethingElse\", \"size\": 224, \"do_normalize\": false}"));
        assertTrue(e.getMessage().contains("ambiguous"), e.getMessage());
    }

    @Test
    void missingCropFlagFollowsCropSizeAndUnknownKeysAreIgnored() {
        PreprocessorConfig config = PreprocessorConfig.fromJson("{\"size\": {\"shortest_edge\": 10, \"longest_edge\": 99},"
                + " \"crop_size\": {\"height\": 8, \"width\": 6}, \"image_mean\": 0.5, \"image_std\": [1, 2, 3],"
                + " \"some_future_key\": {\"nested\": [1]}, \"processor_class\": \"X\"}");
        assertTrue(config.doCenterCrop());
        assertEquals(new HeightWidth(8, 6), config.cropSize());
        assertEquals(new ShortestEdge(10), config.size());
        assertArrayEquals(new double[] {0.5, 0.5, 0.5}, config.imageMean());
        assertTrue(config.doConvertRgb() && config.doResize() && config.doRescale() && config.doNormalize());
    }

    @Test
    void badConfigsAreRejectedWithTheFieldName() {
        assertThrows(IllegalArgumentException.class, () -> PreprocessorConfig.fromJson("[1, 2]"));
        assertThrows(IllegalArgumentException.class, () -> PreprocessorConfig.fromJson("{not json"));
        IllegalArgumentException noMean = assertThrows(IllegalArgumentException.class,
                () -> PreprocessorConfig.fromJson("{\"size\": {\"height\": 4, \"width\": 4}}"));
        assertTrue(noMean.getMessage().contains("image_mean"));
        assertThrows(IllegalArgumentException.class,
                () -> PreprocessorConfig.fromJson("{\"size\": {\"height\": 0, \"width\": 4}, \"do_normalize\": false}"));
        assertThrows(IllegalArgumentException.class,
                () -> PreprocessorConfig.fromJson("{\"size\": {\"longest_edge\": 4}, \"do_normalize\": false}"));
    }

    @Test
    void onlyBicubicResamplingIsAccepted() {
        PreprocessorConfig bilinear = PreprocessorConfig.fromJson("{\"size\": {\"height\": 4, \"width\": 4}, \"resample\": 2,"
                + " \"do_normalize\": false}");
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> new ImagePreprocessor(bilinear));
        assertTrue(e.getMessage().contains("bilinear"), e.getMessage());
        // Without a resize the filter is never used, so it does not matter.
        new ImagePreprocessor(PreprocessorConfig.fromJson("{\"do_resize\": false, \"resample\": 2, \"do_normalize\": false}"));
    }
}
