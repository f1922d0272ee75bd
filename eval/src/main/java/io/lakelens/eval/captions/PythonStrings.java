package io.lakelens.eval.captions;

import java.util.ArrayList;
import java.util.List;

/**
 * The few Python 3 {@code str} operations the COCO caption toolkit relies on, with Python's exact
 * semantics. Java's {@code String.split("\\s+")} and {@code strip()} differ from Python on empty
 * strings and on which characters count as whitespace, and those differences change scores
 * (README pitfalls, quirk T5).
 *
 * <p>Python whitespace ({@code str.isspace()}, used by {@code split()} and {@code rstrip()}) is:
 * U+0009..U+000D, U+001C..U+001F, U+0020, U+0085, U+00A0, U+1680, U+2000..U+200A, U+2028,
 * U+2029, U+202F, U+205F, U+3000. U+200B (zero-width space) is not whitespace.
 */
public final class PythonStrings {

  private PythonStrings() {}

  /** Python {@code ch.isspace()} for one code point. */
  public static boolean isSpace(int codePoint) {
    if (codePoint <= 0x20) {
      return codePoint == 0x20 || (codePoint >= 0x09 && codePoint <= 0x0D)
          || (codePoint >= 0x1C && codePoint <= 0x1F);
    }
    switch (codePoint) {
      case 0x85, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
        return true;
      default:
        return codePoint >= 0x2000 && codePoint <= 0x200A;
    }
  }

  /**
   * Python {@code s.split()}: splits on runs of Python whitespace and drops empty pieces, so
   * {@code ""} and {@code "   "} give an empty list (Java's {@code split} would give {@code [""]}).
   */
  public static List<String> split(String s) {
    List<String> tokens = new ArrayList<>();
    int start = -1;
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      if (isSpace(cp)) {
        if (start >= 0) {
          tokens.add(s.substring(start, i));
          start = -1;
        }
      } else if (start < 0) {
        start = i;
      }
      i += Character.charCount(cp);
    }
    if (start >= 0) {
      tokens.add(s.substring(start));
    }
    return tokens;
  }

  /**
   * Python {@code s.split(" ")}: splits on every single U+0020 and keeps empty pieces, so
   * {@code ""} gives {@code [""]} (one empty token) and {@code "a  b"} gives {@code ["a", "", "b"]}.
   * Other whitespace, U+00A0 included, stays inside tokens.
   */
  public static List<String> splitOnSpace(String s) {
    List<String> tokens = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == ' ') {
        tokens.add(s.substring(start, i));
        start = i + 1;
      }
    }
    tokens.add(s.substring(start));
    return tokens;
  }

  /** Python {@code s.rstrip()}: removes trailing Python whitespace. */
  public static String rstrip(String s) {
    int end = s.length();
    while (end > 0) {
      int cp = s.codePointBefore(end);
      if (!isSpace(cp)) {
        break;
      }
      end -= Character.charCount(cp);
    }
    return s.substring(0, end);
  }
}
