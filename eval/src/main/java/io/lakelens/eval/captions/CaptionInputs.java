package io.lakelens.eval.captions;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link CocoCaptionFiles} read, ready for {@link CaptionEvaluator#evaluate}: the images in
 * order of first appearance in the candidates file, their raw references (in annotation order)
 * and their raw candidate.
 */
public record CaptionInputs(
    List<ImageId> imageOrder, Map<ImageId, List<String>> references, Map<ImageId, String> candidates) {

  public CaptionInputs {
    imageOrder = List.copyOf(imageOrder);
    Map<ImageId, List<String>> refs = new LinkedHashMap<>();
    references.forEach((id, list) -> refs.put(id, List.copyOf(list)));
    references = Collections.unmodifiableMap(refs);
    candidates = Collections.unmodifiableMap(new LinkedHashMap<>(candidates));
  }
}
