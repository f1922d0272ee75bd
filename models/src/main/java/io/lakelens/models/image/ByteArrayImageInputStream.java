package io.lakelens.models.image;

import javax.imageio.stream.ImageInputStreamImpl;

/**
 * A seekable {@code ImageInputStream} over a byte array. {@code ImageIO.createImageInputStream}
 * would wrap a {@code ByteArrayInputStream} in a file-backed cache by default, which costs a
 * temporary file per image on Spark executors; this reads the array in place.
 */
final class ByteArrayImageInputStream extends ImageInputStreamImpl {
    private final byte[] data;
    private final int offset;
    private final int length;

    ByteArrayImageInputStream(byte[] data) {
        this(data, 0, data.length);
    }

    ByteArrayImageInputStream(byte[] data, int offset, int length) {
        if (offset < 0 || length < 0 || offset > data.length - length) {
            throw new IndexOutOfBoundsException("offset " + offset + ", length " + length + ", array " + data.length);
        }
        this.data = data;
        this.offset = offset;
        this.length = length;
    }

    @Override
    public int read() {
        bitOffset = 0;
        if (streamPos >= length) {
            return -1;
        }
        return data[offset + (int) streamPos++] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (off < 0 || len < 0 || off > b.length - len) {
            throw new IndexOutOfBoundsException();
        }
        bitOffset = 0;
        if (len == 0) {
            return 0;
        }
        long remaining = length - streamPos;
        if (remaining <= 0) {
            return -1;
        }
        int n = (int) Math.min(len, remaining);
        System.arraycopy(data, offset + (int) streamPos, b, off, n);
        streamPos += n;
        return n;
    }

    @Override
    public long length() {
        return length;
    }

    @Override
    public boolean isCached() {
        return true;
    }

    @Override
    public boolean isCachedMemory() {
        return true;
    }
}
