package io.lakelens.models.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.EOFException;
import java.io.IOException;
import javax.imageio.IIOException;
import org.junit.jupiter.api.Test;

/** Decode failures read as one line of the readers' words, without Java class names. */
class DecodeFailuresTest {

    @Test
    void truncationNamesTheReadersWordsOutermostFirst() {
        IIOException failure = new IIOException("Error reading PNG image data",
                new EOFException("Unexpected end of ZLIB input stream"));
        assertEquals("png data ends early: Error reading PNG image data (Unexpected end of ZLIB input stream)",
                DecodeFailures.classify(failure, ImageFormat.PNG, null).getMessage());
    }

    @Test
    void wrapperMessagesThatRepeatTheirCauseAndMessagelessCausesAreReadable() {
        IOException cause = new IOException("bad Huffman table");
        RuntimeException wrapper = new RuntimeException(cause); // message: "java.io.IOException: bad Huffman table"
        assertEquals("image is malformed: bad Huffman table", DecodeFailures.classify(wrapper, null, null).getMessage());
        assertEquals("jpeg data ends early: unexpected end of data",
                DecodeFailures.classify(new EOFException(), ImageFormat.JPEG, null).getMessage());
    }
}
