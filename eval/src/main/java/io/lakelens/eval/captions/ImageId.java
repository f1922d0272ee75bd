package io.lakelens.eval.captions;

import java.util.Objects;

/**
 * A COCO image id as written in a JSON file: an integer or a string. The two kinds never compare
 * equal ({@code 1} and {@code "1"} are different images), as in the Python COCO API, whose dicts
 * are keyed by the parsed JSON value.
 */
public final class ImageId implements Comparable<ImageId> {

  private final Long number;
  private final String text;

  private ImageId(Long number, String text) {
    this.number = number;
    this.text = text;
  }

  public static ImageId of(long number) {
    return new ImageId(number, null);
  }

  public static ImageId of(String text) {
    return new ImageId(null, Objects.requireNonNull(text, "text"));
  }

  public boolean isNumber() {
    return number != null;
  }

  /** @throws IllegalStateException for a string id */
  public long number() {
    if (number == null) {
      throw new IllegalStateException("image id " + this + " is a string");
    }
    return number;
  }

  /** @throws IllegalStateException for an integer id */
  public String text() {
    if (text == null) {
      throw new IllegalStateException("image id " + this + " is an integer");
    }
    return text;
  }

  /** The same id with the other JSON type, if it has one (42 ↔ "42"); for error hints. */
  ImageId otherKind() {
    if (number != null) {
      return of(Long.toString(number));
    }
    try {
      return of(Long.parseLong(text));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** Integers first, by value; then strings. */
  @Override
  public int compareTo(ImageId o) {
    if (isNumber() != o.isNumber()) {
      return isNumber() ? -1 : 1;
    }
    return isNumber() ? Long.compare(number, o.number) : text.compareTo(o.text);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ImageId other && Objects.equals(number, other.number) && Objects.equals(text, other.text);
  }

  @Override
  public int hashCode() {
    return number != null ? Long.hashCode(number) : 31 * text.hashCode() + 1;
  }

  /** As JSON writes it: {@code 42} or {@code "abc"}, so messages show which kind it is. */
  @Override
  public String toString() {
    return number != null ? number.toString() : '"' + text + '"';
  }
}
