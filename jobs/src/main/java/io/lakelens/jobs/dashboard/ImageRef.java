package io.lakelens.jobs.dashboard;

/**
 * An image as a page shows it: from its stored bytes (a thumbnail) when {@code images.content} holds
 * them, else from its original {@code uri}. {@code uri} is null when the image is not in
 * {@code images} at all.
 */
public record ImageRef(String imageId, String uri, boolean hasContent) {

    /** An image id with no {@code images} row. */
    public static ImageRef unknown(String imageId) {
        return new ImageRef(imageId, null, false);
    }
}
