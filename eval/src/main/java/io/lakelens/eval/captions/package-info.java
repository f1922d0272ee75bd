/**
 * The COCO caption evaluation of pycocoevalcap (commit ad63453), reproduced in Java to the last
 * bit on the golden cases in {@code src/test/resources/golden/captions} (README there).
 *
 * <ul>
 *   <li>{@link io.lakelens.eval.captions.CaptionEvaluator}: the COCOEvalCap flow, entry point;</li>
 *   <li>{@link io.lakelens.eval.captions.PtbTokenizer}: the PTB tokenization (CoreNLP 3.4.1,
 *       in-process), quirks T1-T6;</li>
 *   <li>{@link io.lakelens.eval.captions.Bleu}, {@link io.lakelens.eval.captions.RougeL},
 *       {@link io.lakelens.eval.captions.CiderD}: the metrics, pure functions of tokenized text,
 *       quirks B1-B4, R1, C1-C4;</li>
 *   <li>{@link io.lakelens.eval.captions.CocoCaptionFiles}: COCO results/annotations JSON in,
 *       per-image JSON lines out;</li>
 *   <li>{@link io.lakelens.eval.captions.PythonStrings}: Python's split/rstrip semantics the port
 *       depends on.</li>
 * </ul>
 *
 * METEOR and SPICE are not implemented; see {@link io.lakelens.eval.captions.CaptionEvaluator}.
 */
package io.lakelens.eval.captions;
