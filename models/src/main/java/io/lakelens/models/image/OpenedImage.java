package io.lakelens.models.image;

import io.lakelens.models.image.ImageDecodeException.Reason;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.ImageInputStream;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * An ImageIO reader attached to one encoded image, with only its header read. Shared by
 * {@link ImageProbe} (which stops here) and {@link ImageDecoder} (which goes on to the pixels).
 * Not thread-safe: one per image.
 */
final class OpenedImage implements AutoCloseable {

    static {
        // Spark adds jars through a context class loader that ImageIO's registry may not have seen
        // when it was first used; rescanning once makes the TwelveMonkeys readers visible.
        ImageIO.scanForPlugins();
    }

    final ImageReader reader;
    final ImageInfo info;
    /** JPEG marker facts; null for other formats. */
    final JpegHeader jpeg;
    private final List<String> warnings;

    private OpenedImage(ImageReader reader, ImageInfo info, JpegHeader jpeg, List<String> warnings) {
        this.reader = reader;
        this.info = info;
        this.jpeg = jpeg;
        this.warnings = warnings;
    }

    /** Warnings the reader has issued so far (libjpeg reports truncation this way). */
    List<String> warnings() {
        return Collections.unmodifiableList(warnings);
    }

    /**
     * Finds a reader for the stream and reads the header.
     *
     * @param encoded the whole input when it is in memory, for a better truncation diagnosis; may be null
     */
    static OpenedImage open(ImageInputStream in, byte[] encoded) {
        ImageReader reader = findReader(in);
        ImageFormat format = ImageFormat.fromReaderFormatName(reader.getOriginatingProvider().getFormatNames()[0]);
        List<String> warnings = Collections.synchronizedList(new ArrayList<>());
        try {
            JpegHeader jpeg = format == ImageFormat.JPEG ? JpegHeader.read(in) : null;
            // seekForwardOnly=false: TIFF readers jump back to directories; ignoreMetadata=true keeps
            // the PNG reader from walking text chunks after the image data.
            reader.setInput(in, false, true);
            reader.addIIOReadWarningListener((source, message) -> warnings.add(message));
            int width = reader.getWidth(0);
            int height = reader.getHeight(0);
            if (width <= 0 || height <= 0) {
                throw new ImageDecodeException(Reason.CORRUPT, format.id() + " header declares size " + width + "x" + height);
            }
            ImageInfo info = describe(reader, format, width, height, jpeg);
            return new OpenedImage(reader, info, jpeg, warnings);
        } catch (IOException | RuntimeException e) {
            reader.dispose();
            throw DecodeFailures.classify(e, format, encoded);
        }
    }

    private static ImageReader findReader(ImageInputStream in) {
        byte[] head = new byte[KnownUnsupportedFormats.PREFIX_LENGTH];
        int n;
        try {
            in.mark();
            n = Math.max(0, in.read(head));
            in.reset();
        } catch (IOException e) {
            throw new ImageDecodeException(Reason.CORRUPT, "cannot read input: " + e.getMessage(), e);
        }
        if (n == 0) {
            throw new ImageDecodeException(Reason.EMPTY, "input has no bytes");
        }
        String otherFormat = null;
        Iterator<ImageReader> readers;
        try {
            readers = ImageIO.getImageReaders(in);
        } catch (RuntimeException e) {
            throw new ImageDecodeException(Reason.NOT_AN_IMAGE, "no image reader accepts the input", e);
        }
        while (readers.hasNext()) {
            ImageReader candidate = readers.next();
            String name = candidate.getOriginatingProvider().getFormatNames()[0];
            if (ImageFormat.fromReaderFormatName(name) != null) {
                return candidate;
            }
            // WBMP has no real signature and claims many binary files; it is not evidence of an image.
            if (!name.equalsIgnoreCase("wbmp")) {
                otherFormat = name.toLowerCase(Locale.ROOT);
            }
            candidate.dispose();
        }
        if (otherFormat == null) {
            otherFormat = KnownUnsupportedFormats.identify(head, n);
        }
        if (otherFormat != null) {
            throw new ImageDecodeException(Reason.UNSUPPORTED, "image format " + otherFormat + " is not supported");
        }
        throw new ImageDecodeException(Reason.NOT_AN_IMAGE, "no supported image format recognised (first bytes " + hex(head, n) + ")");
    }

    private static ImageInfo describe(ImageReader reader, ImageFormat format, int width, int height, JpegHeader jpeg)
            throws IOException {
        switch (format) {
            case PNG: {
                Element ihdr = pngHeader(reader.getImageMetadata(0));
                int bitDepth = Integer.parseInt(ihdr.getAttribute("bitDepth"));
                return new ImageInfo(format, width, height, PilModes.png(ihdr.getAttribute("colorType"), bitDepth), bitDepth);
            }
            case JPEG:
                if (jpeg == null) {
                    throw new ImageDecodeException(Reason.CORRUPT, "jpeg has no frame header");
                }
                return new ImageInfo(format, width, height, jpeg.pilMode(), jpeg.precision());
            default: {
                if (format == ImageFormat.GIF) {
                    // Pillow sizes a GIF by its canvas (logical screen), ImageIO by its first frame.
                    Element screen = child(reader.getStreamMetadata(), "LogicalScreenDescriptor");
                    if (screen != null) {
                        width = Integer.parseInt(screen.getAttribute("logicalScreenWidth"));
                        height = Integer.parseInt(screen.getAttribute("logicalScreenHeight"));
                    }
                }
                ImageTypeSpecifier type = reader.getRawImageType(0);
                if (type == null) {
                    Iterator<ImageTypeSpecifier> types = reader.getImageTypes(0);
                    if (!types.hasNext()) {
                        throw new ImageDecodeException(Reason.UNSUPPORTED, format.id() + " pixel layout not supported");
                    }
                    type = types.next();
                }
                return new ImageInfo(format, width, height, PilModes.fromType(type), PilModes.bitsPerSample(type));
            }
        }
    }

    private static Element pngHeader(IIOMetadata metadata) {
        Element ihdr = child(metadata, "IHDR");
        if (ihdr == null) {
            throw new ImageDecodeException(Reason.CORRUPT, "png has no IHDR chunk");
        }
        return ihdr;
    }

    /** A top-level element of the metadata's native tree, or null. */
    private static Element child(IIOMetadata metadata, String name) {
        if (metadata == null) {
            return null;
        }
        Node root = metadata.getAsTree(metadata.getNativeMetadataFormatName());
        for (Node child = root.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child.getNodeName().equals(name)) {
                return (Element) child;
            }
        }
        return null;
    }

    private static String hex(byte[] b, int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < Math.min(n, 8); i++) {
            s.append(String.format("%02x", b[i] & 0xFF));
        }
        return s.toString();
    }

    @Override
    public void close() {
        reader.dispose();
    }
}
