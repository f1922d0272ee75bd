/**
 * CLIP (Radford et al. 2021) on DJL's PyTorch engine, reading Hugging Face {@code CLIPModel}
 * checkpoints. Files follow the data flow, as {@code transformers/models/clip/modeling_clip.py}:
 *
 * <ul>
 *   <li>{@link io.lakelens.models.clip.ClipConfig} ({@link io.lakelens.models.clip.ClipTextConfig},
 *       {@link io.lakelens.models.clip.ClipVisionConfig}): {@code config.json} with transformers'
 *       defaults for omitted fields.
 *   <li>{@link io.lakelens.models.clip.ClipTextEmbeddings}, {@link
 *       io.lakelens.models.clip.ClipVisionEmbeddings} ({@link
 *       io.lakelens.models.clip.ClipPatchEmbedding}): tokens and patches to vectors.
 *   <li>{@link io.lakelens.models.clip.ClipAttention}, {@link io.lakelens.models.clip.ClipMlp},
 *       {@link io.lakelens.models.clip.ClipEncoderLayer}, {@link
 *       io.lakelens.models.clip.ClipEncoder}: the transformer shared by both towers.
 *   <li>{@link io.lakelens.models.clip.ClipTextTransformer}, {@link
 *       io.lakelens.models.clip.ClipVisionTransformer}: the towers and their pooling.
 *   <li>{@link io.lakelens.models.clip.ClipModel}: the network (Hugging Face's {@code CLIPModel}):
 *       projections, {@code logit_scale}, loading the weights.
 *   <li>{@link io.lakelens.models.clip.ClipProcessor}: the image processor and tokenizer of the
 *       folder ({@code CLIPProcessor}).
 *   <li>{@link io.lakelens.models.clip.ClipEmbedder}: network and processor loaded together, the
 *       thread-safe array API for inference (the entry point).
 *   <li>{@link io.lakelens.models.clip.ZeroShotClassifier}: prompt-ensembled class embeddings and the
 *       one zero-shot scorer.
 * </ul>
 *
 * <p>Every block is named as in the checkpoint ({@code vision_model.encoder.layers.0.mlp.fc1}),
 * so loading is {@link io.lakelens.models.checkpoint.ParameterBinder}'s table lookup; layers are
 * built from their config ({@link io.lakelens.models.clip.ClipEncoderConfig}). The model sees tensors
 * only: texts and images become tensors in the processor. Speed on CPU: {@link io.lakelens.models.bench.ClipBenchmark}.
 */
package io.lakelens.models.clip;
