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
 *   <li>{@link io.lakelens.models.clip.ClipModel}: projections, {@code logit_scale}, loading, and
 *       the thread-safe array API for inference.
 *   <li>{@link io.lakelens.models.clip.ZeroShotClassifier}: prompt-ensembled class embeddings.
 * </ul>
 *
 * <p>Every block is named as in the checkpoint ({@code vision_model.encoder.layers.0.mlp.fc1}),
 * so loading is {@link io.lakelens.models.checkpoint.ParameterBinder}'s table lookup. The model
 * sees tensors only: the tokenizer is {@link io.lakelens.models.text.ClipTokenizer}, and images
 * arrive preprocessed. Speed on CPU: {@link io.lakelens.models.bench.ClipBenchmark}.
 */
package io.lakelens.models.clip;
