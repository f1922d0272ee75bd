package io.lakelens.eval.captions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Expected tokens are the behaviour table of the golden README, observed with the reference. */
class PtbTokenizerTest {

  private final PtbTokenizer tokenizer = new PtbTokenizer();

  @Test
  void readmeBehaviourTable() {
    assertEquals("a man riding a horse", tokenizer.tokenize("A man riding a horse."));
    assertEquals("a man riding a horse !!!", tokenizer.tokenize("A MAN RIDING A HORSE!!!"));
    assertEquals("do n't ca n't wo n't i 'm it 's cats toys",
        tokenizer.tokenize("don't can't won't I'm it's cats' toys"));
    assertEquals("can not gon na", tokenizer.tokenize("cannot gonna"));
    assertEquals("u.s. mr. smith 3.5 1,000 $ 5 50 % # 1 @home",
        tokenizer.tokenize("U.S. Mr. Smith 3.5 1,000 $5 50% #1 @home"));
    assertEquals("a man -lrb- in a hat -rrb- -lsb- left -rsb- -lcb- right -rcb-",
        tokenizer.tokenize("a man (in a hat) [left] {right}"));
    assertEquals("quoted single back", tokenizer.tokenize("\"quoted\" 'single' `back`"));
    assertEquals("e-mail well-known dash hyphen", tokenizer.tokenize("e-mail well-known -- dash - hyphen"));
    assertEquals("& < at&t", tokenizer.tokenize("&amp; &lt; AT&T"));
    assertEquals("a <b\u00a0a> b", tokenizer.tokenize("a<b a>b"));
    assertEquals("café naïve 東京", tokenizer.tokenize("café naïve 東京 \uD83D\uDC36 \uD83D\uDE00"));
    assertEquals("a man riding a horse fast", tokenizer.tokenize("a\u00a0man riding\u200ba horse\u2009fast"));
    assertEquals("3:45 pm", tokenizer.tokenize("3:45pm"));
    assertEquals("100 ° f", tokenizer.tokenize("100°F"));
    for (String empty : List.of("...", "--", "   ", "")) {
      assertEquals("", tokenizer.tokenize(empty), empty);
    }
  }

  @Test
  void tokensDependOnTheNextCaptionOfTheRun() {
    // The lexer's trailing-context rules look across the joining "\n": the smiley ":-(" is one
    // token when a line follows (as in the golden corpus) but ":" + "-(" at the end of the input.
    assertEquals(List.of("smile :-rrb- :--lrb-", "next"), tokenizer.tokenizeLines(List.of("smile :) :-(", "next")));
    assertEquals("smile :-rrb- -lrb-", tokenizer.tokenize("smile :) :-("));
  }

  @Test
  void newlineInsideCaptionIsASpace() {
    assertEquals(List.of("a b", "c"), tokenizer.tokenizeLines(List.of("a\nb", "c")));
  }

  @Test
  void carriageReturnShiftsLaterCaptionsInReferenceMode() {
    Map<Integer, List<String>> captions = new LinkedHashMap<>();
    captions.put(1, List.of("one dog\rtwo"));
    captions.put(2, List.of("three"));
    Map<Integer, List<String>> out = tokenizer.tokenize(List.of(1, 2), captions);
    assertEquals(Map.of(1, List.of("one dog"), 2, List.of("two")), out);

    PtbTokenizer aligned = new PtbTokenizer(PtbTokenizer.LineBreaks.AS_SPACE);
    assertEquals(Map.of(1, List.of("one dog two"), 2, List.of("three")), aligned.tokenize(List.of(1, 2), captions));
  }

  @Test
  void everyLexerLineBreakButNelShifts() {
    for (char c : new char[] {'\r', '\u000B', '\u000C', '\u2028', '\u2029'}) {
      assertEquals(List.of("a", "b", "c"), tokenizer.tokenizeLines(List.of("a" + c + "b", "c")),
          Integer.toHexString(c));
    }
    // U+0085 is not a line break for the 3.4.1 lexer: just a separator.
    assertEquals(List.of("a b", "c"), tokenizer.tokenizeLines(List.of("a\u0085b", "c")));
    // "\r" at the end of a caption merges with the joining "\n" into one "\r\n" break: no shift.
    assertEquals(List.of("a", "c"), tokenizer.tokenizeLines(List.of("a\r", "c")));
  }

  @Test
  void imagesWithoutCaptionsGetNoEntry() {
    Map<String, List<String>> captions = new LinkedHashMap<>();
    captions.put("x", List.of());
    captions.put("y", List.of("A dog.", ""));
    Map<String, List<String>> out = tokenizer.tokenize(List.of("x", "y"), captions);
    assertEquals(Map.of("y", List.of("a dog", "")), out);
  }

  @Test
  void emptyRunGivesOneEmptyLine() {
    assertEquals(List.of(""), tokenizer.tokenizeLines(List.of()));
  }

  @Test
  void missingCaptionListIsRejectedWithTheId() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> tokenizer.tokenize(List.of(7), Map.of()));
    assertEquals("image 7 has no caption list", e.getMessage());
  }

  @Test
  void concurrentRunsGiveTheSequentialResult() throws Exception {
    GoldenCase c = GoldenCase.load("coco_human_loo_third_25.json");
    Map<Integer, List<String>> sequential = tokenizer.tokenize(c.imageOrder(), c.references());
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      List<java.util.concurrent.Future<Map<Integer, List<String>>>> runs = new java.util.ArrayList<>();
      for (int i = 0; i < 8; i++) {
        runs.add(pool.submit(() -> tokenizer.tokenize(c.imageOrder(), c.references())));
      }
      for (java.util.concurrent.Future<Map<Integer, List<String>>> run : runs) {
        assertEquals(sequential, run.get());
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
