package io.lakelens.eval.captions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Expected values are what CPython 3.11 returns for the same expressions. */
class PythonStringsTest {

  @Test
  void splitOfEmptyOrBlankIsEmpty() {
    assertEquals(List.of(), PythonStrings.split(""));
    assertEquals(List.of(), PythonStrings.split(" \t\n "));
  }

  @Test
  void splitTreatsUnicodeSpacesAsSeparators() {
    // "a\u00a0b\u2009c\u3000d\u0085e".split() == ['a', 'b', 'c', 'd', 'e']
    assertEquals(List.of("a", "b", "c", "d", "e"), PythonStrings.split("a\u00a0b\u2009c\u3000d\u0085e"));
    // U+200B is not whitespace in Python 3: "a\u200bb".split() == ['a\u200bb']
    assertEquals(List.of("a\u200bb"), PythonStrings.split("a\u200bb"));
    assertEquals(List.of("x", "y"), PythonStrings.split("  x   y  "));
  }

  @Test
  void splitKeepsSupplementaryCharactersWhole() {
    assertEquals(List.of("\uD83D\uDC36", "dog"), PythonStrings.split("\uD83D\uDC36 dog"));
  }

  @Test
  void splitOnSpaceKeepsEmptyPiecesAndOtherWhitespace() {
    assertEquals(List.of(""), PythonStrings.splitOnSpace(""));
    assertEquals(List.of("a", "", "b"), PythonStrings.splitOnSpace("a  b"));
    assertEquals(List.of("", "a", ""), PythonStrings.splitOnSpace(" a "));
    // "<b\u00a0a>".split(" ") == ['<b\xa0a>']: the no-break space stays inside (quirk T5)
    assertEquals(List.of("<b\u00a0a>"), PythonStrings.splitOnSpace("<b\u00a0a>"));
  }

  @Test
  void rstripRemovesOnlyTrailingPythonWhitespace() {
    assertEquals(" a b", PythonStrings.rstrip(" a b \u00a0\r\u2028"));
    assertEquals("a\u200b", PythonStrings.rstrip("a\u200b"));
    assertEquals("", PythonStrings.rstrip("   "));
  }

  @Test
  void isSpaceMatchesPythonTable() {
    int[] spaces = {0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1C, 0x1D, 0x1E, 0x1F, 0x20, 0x85, 0xA0, 0x1680,
        0x2000, 0x2005, 0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000};
    for (int cp : spaces) {
      assertTrue(PythonStrings.isSpace(cp), Integer.toHexString(cp));
    }
    int[] notSpaces = {0x08, 0x0E, 0x21, 0x180E, 0x200B, 0xFEFF, 0x2060, 'a'};
    for (int cp : notSpaces) {
      assertFalse(PythonStrings.isSpace(cp), Integer.toHexString(cp));
    }
  }
}
