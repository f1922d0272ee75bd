package io.lakelens.eval.captions;

import edu.stanford.nlp.ling.CoreAnnotations;
import edu.stanford.nlp.ling.CoreLabel;
import edu.stanford.nlp.process.CoreLabelTokenFactory;
import edu.stanford.nlp.process.PTBTokenizer;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PTB tokenization that precedes every COCO caption metric, reproducing pycocoevalcap's
 * {@code PTBTokenizer.tokenize} wrapper around Stanford CoreNLP 3.4.1 (the same jar, called
 * in-process instead of through {@code java ... PTBTokenizer -preserveLines -lowerCase FILE}).
 *
 * <p>One call is one run of the reference wrapper:
 * <ol>
 *   <li>the captions are joined with {@code "\n"}, after each {@code "\n"} inside a caption became
 *       a space;</li>
 *   <li>CoreNLP's lexer runs with the options {@code -preserveLines} adds ({@code tokenizeNLs},
 *       default PTB3 escaping otherwise) and every token is lower-cased with
 *       {@code Locale.ENGLISH}, as {@code PTBTokenizer.main} does; tokens are written separated by
 *       one space and each newline token starts a new output line;</li>
 *   <li>the output is split on {@code "\n"} and zipped with the caption owners (surplus lines are
 *       dropped, owners without a line get nothing, as Python's {@code zip} does); in each line
 *       ({@code rstrip()}ped, {@code split(" ")}) the tokens in {@link #PUNCTUATION} are dropped.</li>
 * </ol>
 *
 * <p><b>Quirk T2.</b> The lexer also ends a line at {@code \r}, U+000B, U+000C, U+2028 and
 * U+2029, but the wrapper only replaces {@code \n}. Such a character adds an output line, so every
 * later caption of the run receives the text of the caption before it. {@link LineBreaks#REFERENCE}
 * (the default) reproduces this, because the goal is the published toolkit's numbers, and logs a
 * WARN naming the image whose caption triggered it. {@link LineBreaks#AS_SPACE} replaces those
 * characters by a space first, so each caption keeps its own text.
 *
 * <p>Deliberate difference: the lexer option {@code untokenizable=noneDelete} replaces the default
 * {@code firstDelete}. Both delete untokenizable characters (emoji, control characters) identically;
 * the default also prints one java.util.logging warning per run, which is noise in a library.
 *
 * <p>Thread-safe: instances hold no mutable state and every call creates its own CoreNLP lexer.
 */
public final class PtbTokenizer {

  private static final Logger LOG = LoggerFactory.getLogger(PtbTokenizer.class);

  /** What to do with the non-{@code \n} line breaks the lexer honours (quirk T2). */
  public enum LineBreaks {
    /** Pass them through, as the reference does: later captions of the run shift by a line. */
    REFERENCE,
    /** Replace them by a space before tokenizing, so every caption keeps its own line. */
    AS_SPACE
  }

  /**
   * The tokens the reference removes after tokenizing. The bracket tokens are upper case while the
   * tokens are already lower-cased, so {@code -lrb-} and friends stay as words (quirk T1).
   */
  public static final Set<String> PUNCTUATION = Set.of(
      "''", "'", "``", "`", "-LRB-", "-RRB-", "-LCB-", "-RCB-",
      ".", "?", "!", ",", ":", "-", "--", "...", ";");

  /** {@code -preserveLines} appends ",tokenizeNLs" to an empty option string. */
  private static final String LEXER_OPTIONS = ",tokenizeNLs,untokenizable=noneDelete";

  private final LineBreaks lineBreaks;

  /** A tokenizer that reproduces the reference exactly, quirk T2 included. */
  public PtbTokenizer() {
    this(LineBreaks.REFERENCE);
  }

  public PtbTokenizer(LineBreaks lineBreaks) {
    this.lineBreaks = Objects.requireNonNull(lineBreaks, "lineBreaks");
  }

  public LineBreaks lineBreaks() {
    return lineBreaks;
  }

  /**
   * Tokenizes all captions of one side (all references, or all candidates) in one run, in
   * {@code imageOrder} and list order, and groups the output lines back by image.
   *
   * @return tokenized captions per image, in {@code imageOrder}. An image that received no output
   *     line (an empty caption list, or lines lost to misalignment) has no entry, as in the
   *     reference. With quirk T2 the lists hold the shifted lines, exactly like the reference.
   * @throws IllegalArgumentException if an id of {@code imageOrder} has no entry in
   *     {@code captionsPerImage} or a caption is null
   */
  public <K> Map<K, List<String>> tokenize(List<K> imageOrder, Map<K, List<String>> captionsPerImage) {
    List<K> owners = new ArrayList<>();
    List<String> captions = new ArrayList<>();
    for (K id : imageOrder) {
      List<String> list = captionsPerImage.get(id);
      if (list == null) {
        throw new IllegalArgumentException("image " + id + " has no caption list");
      }
      for (String caption : list) {
        if (caption == null) {
          throw new IllegalArgumentException("image " + id + " has a null caption");
        }
        owners.add(id);
        captions.add(caption);
      }
    }
    Run run = run(captions);
    for (ExtraLineBreak extra : run.extraLineBreaks()) {
      LOG.warn("caption {} of image {} contains U+{} which the PTB tokenizer treats as a line break;"
              + " like the reference toolkit, every later caption of this run is shifted by one line"
              + " (quirk T2)",
          indexWithinImage(owners, extra.captionIndex()), owners.get(extra.captionIndex()),
          String.format(Locale.ROOT, "%04X", extra.codePoint()));
    }
    if (run.lines().size() < captions.size()) {
      LOG.warn("the PTB tokenizer returned {} lines for {} captions; images from {} on get no"
          + " tokenized caption", run.lines().size(), captions.size(), owners.get(run.lines().size()));
    }
    Map<K, List<String>> result = new LinkedHashMap<>();
    int n = Math.min(owners.size(), run.lines().size());
    for (int i = 0; i < n; i++) {
      result.computeIfAbsent(owners.get(i), k -> new ArrayList<>()).add(run.lines().get(i));
    }
    return result;
  }

  /**
   * Tokenizes a list of captions in one run and returns the filtered output lines, one per line
   * the reference's Java process printed: normally one per caption, more under quirk T2.
   */
  public List<String> tokenizeLines(List<String> captions) {
    return run(captions).lines();
  }

  /**
   * Tokenizes one caption in a run of its own and returns its first line. Only for convenience:
   * the lexer's trailing-context rules look across the joining {@code "\n"} (":-(" before another
   * line is one token, at the end of input two), so reproducing the reference needs the whole run.
   */
  public String tokenize(String caption) {
    return run(List.of(caption)).lines().get(0);
  }

  private Run run(List<String> captions) {
    StringBuilder joined = new StringBuilder();
    int[] starts = new int[captions.size()];
    BitSet separators = new BitSet();
    for (int i = 0; i < captions.size(); i++) {
      if (i > 0) {
        separators.set(joined.length());
        joined.append('\n');
      }
      starts[i] = joined.length();
      joined.append(prepare(captions.get(i)));
    }

    StringBuilder out = new StringBuilder();
    List<ExtraLineBreak> extras = new ArrayList<>();
    String newlineToken = PTBTokenizer.getNewlineToken();
    boolean beginLine = true;
    PTBTokenizer<CoreLabel> lexer = new PTBTokenizer<>(
        new StringReader(joined.toString()), new CoreLabelTokenFactory(), LEXER_OPTIONS);
    while (lexer.hasNext()) {
      CoreLabel token = lexer.next();
      String text = token.get(CoreAnnotations.TextAnnotation.class);
      if (newlineToken.equals(text)) {
        beginLine = true;
        out.append('\n');
        int begin = token.beginPosition();
        int end = Math.max(token.endPosition(), begin + 1);
        int separator = separators.nextSetBit(begin);
        if (separator < 0 || separator >= end) {
          extras.add(new ExtraLineBreak(captionAt(starts, begin), joined.codePointAt(begin)));
        }
      } else {
        if (!beginLine) {
          out.append(' ');
        }
        beginLine = false;
        out.append(text.toLowerCase(Locale.ENGLISH));
      }
    }

    List<String> lines = new ArrayList<>();
    int from = 0;
    for (int i = 0; i <= out.length(); i++) {
      if (i == out.length() || out.charAt(i) == '\n') {
        lines.add(dropPunctuation(out.substring(from, i)));
        from = i + 1;
      }
    }
    return new Run(lines, extras);
  }

  private String prepare(String caption) {
    String text = caption.replace('\n', ' ');
    if (lineBreaks == LineBreaks.AS_SPACE) {
      text = text.replace('\r', ' ').replace('\u000B', ' ').replace('\u000C', ' ')
          .replace('\u2028', ' ').replace('\u2029', ' ');
    }
    return text;
  }

  /** {@code ' '.join(w for w in line.rstrip().split(' ') if w not in PUNCTUATIONS)}. */
  static String dropPunctuation(String line) {
    StringBuilder kept = new StringBuilder();
    boolean first = true;
    for (String word : PythonStrings.splitOnSpace(PythonStrings.rstrip(line))) {
      if (PUNCTUATION.contains(word)) {
        continue;
      }
      if (!first) {
        kept.append(' ');
      }
      first = false;
      kept.append(word);
    }
    return kept.toString();
  }

  private static int captionAt(int[] starts, int offset) {
    int lo = 0;
    int hi = starts.length - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (starts[mid] <= offset) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo;
  }

  private static <K> int indexWithinImage(List<K> owners, int captionIndex) {
    int index = 0;
    for (int i = captionIndex - 1; i >= 0 && owners.get(i).equals(owners.get(captionIndex)); i--) {
      index++;
    }
    return index;
  }

  private record ExtraLineBreak(int captionIndex, int codePoint) {}

  private record Run(List<String> lines, List<ExtraLineBreak> extraLineBreaks) {}
}
