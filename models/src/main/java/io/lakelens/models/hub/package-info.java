/**
 * Model specs to local Hugging Face model folders: {@link io.lakelens.models.hub.ModelLocator}.
 *
 * <p>Specs: a local folder, or {@code hf://ORG/NAME[@REVISION]} (branch, tag, {@code refs/pr/N} or
 * commit; default {@code main}).
 *
 * <p>Model ids, written to tables: {@code hf://ORG/NAME@<commit sha>}, and for local folders
 * {@code local:<real path>#<12 hex of SHA-256 over config.json and the safetensors weights>}
 * (see {@link io.lakelens.models.hub.ResolvedModel}).
 *
 * <p>Environment: {@code LAKELENS_HUB_CACHE} (cache folder, default {@code ~/.cache/lakelens/hub}),
 * {@code HF_ENDPOINT} (default {@code https://huggingface.co}), {@code HF_TOKEN} (sent as a Bearer
 * token to the endpoint only), {@code HF_HUB_OFFLINE} / {@code LAKELENS_OFFLINE} (never touch the
 * network). {@link io.lakelens.models.hub.HubOptions} settings override them.
 *
 * <p>Cache layout, the same as huggingface_hub's (see {@code HubCache}):
 * <pre>
 * models--ORG--NAME/blobs/ETAG              content; ETAG is the SHA-256 for LFS files
 * models--ORG--NAME/snapshots/COMMIT/FILE   relative symlink to ../../blobs/ETAG
 * models--ORG--NAME/refs/REVISION           commit sha, written once the snapshot is complete
 * .locks/models--ORG--NAME/ETAG.lock        one downloader per blob, across threads and processes
 * </pre>
 * Offline, a spec is usable when its ref names a commit whose snapshot has config.json and all its
 * safetensors weights; copying a cache folder to a machine without internet is enough.
 */
package io.lakelens.models.hub;
