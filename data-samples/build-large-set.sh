#!/usr/bin/env bash
# Builds a larger image set for lakelens benchmarks from the Debian package
# openclipart-png (public-domain clip art, see data-samples/LICENSE.md).
#
# Usage: data-samples/build-large-set.sh OUT_DIR [COUNT]
#
#   OUT_DIR  folder to create (must not exist yet, or be empty)
#   COUNT    how many images to write, at most (default 3000)
#
# It walks the package's PNG files in a fixed order (byte-wise sorted paths
# under /usr/share/openclipart/png; symbolic links are skipped because they
# are duplicates of other files in the package), flattens each image onto a
# white background, shrinks it (never enlarges) so its longest side is at
# most 256 px, and writes it as an RGB JPEG (quality 90) to
#   OUT_DIR/<top-level category folder>/<sanitised name>.jpg
# The sanitised name is the file's path below the category folder, lower-cased,
# with "/" turned into "__" and any character outside [a-z0-9._-] into "_".
# A file ImageMagick cannot read (a few are larger than the default
# ImageMagick resource policy allows) is skipped with a warning and the next
# one is taken, so the output has COUNT images unless the package runs out.
#
# It then writes OUT_DIR/manifest.jsonl (one JSON object per image, sorted by
# path) in the same schema as data-samples/openclipart/manifest.jsonl:
#   {"path": "animals/birds__crow_01.jpg", "label": "animals", "split": "train",
#    "captions": [], "source": "openclipart-png:animals/birds/crow_01.png"}
#
# Environment: JOBS = number of parallel conversions (default: number of CPUs).
#
# Prerequisites (Debian/Ubuntu): apt-get install -y openclipart-png imagemagick
set -euo pipefail

PKG=openclipart-png
PKG_ROOT=/usr/share/openclipart/png

die() { echo "build-large-set.sh: error: $*" >&2; exit 1; }
usage() { echo "usage: $0 OUT_DIR [COUNT]   (COUNT defaults to 3000)"; }

if [ $# -lt 1 ] || [ $# -gt 2 ]; then usage >&2; exit 2; fi
case "$1" in -h|--help) usage; exit 0 ;; esac
OUT_DIR=$1
COUNT=${2:-3000}
[[ $COUNT =~ ^[1-9][0-9]*$ ]] || die "COUNT must be a positive integer, got '$COUNT'"
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 1)}
[[ $JOBS =~ ^[1-9][0-9]*$ ]] || die "JOBS must be a positive integer, got '$JOBS'"

# --- prerequisites ----------------------------------------------------------
command -v dpkg-query >/dev/null 2>&1 \
  || die "dpkg-query not found: this script needs a Debian or Ubuntu system with the package $PKG (apt-get install -y $PKG imagemagick)"
dpkg-query -W -f='${Status}' "$PKG" 2>/dev/null | grep -q 'install ok installed' \
  || die "the Debian package $PKG is not installed; install it with: apt-get update && apt-get install -y $PKG"
[ -d "$PKG_ROOT" ] || die "$PKG_ROOT is missing; reinstall with: apt-get install --reinstall -y $PKG"
if command -v magick >/dev/null 2>&1; then IM=magick
elif command -v convert >/dev/null 2>&1 && convert -version 2>/dev/null | grep -q ImageMagick; then IM=convert
else die "ImageMagick (magick or convert) not found; install it with: apt-get install -y imagemagick"
fi
for fmt in PNG JPEG; do
  "$IM" -list format 2>/dev/null | grep -qE "^ *$fmt\*? " \
    || die "ImageMagick ($IM) cannot handle $fmt; install the full package with: apt-get install -y imagemagick"
done

if [ -e "$OUT_DIR" ]; then
  [ -d "$OUT_DIR" ] || die "OUT_DIR exists and is not a folder: $OUT_DIR"
  [ -z "$(ls -A "$OUT_DIR")" ] || die "OUT_DIR is not empty: $OUT_DIR (choose a new folder or empty it first)"
fi
mkdir -p "$OUT_DIR"
OUT_DIR=$(cd "$OUT_DIR" && pwd)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# --- plan: source path, label and output path for every candidate, in order ---
dpkg-query -L "$PKG" | { grep -E "^$PKG_ROOT/[^/]+/.+\.png$" || true; } | LC_ALL=C sort -u \
  | while IFS= read -r f; do
      if [ -f "$f" ] && [ ! -L "$f" ]; then printf '%s\n' "${f#"$PKG_ROOT"/}"; fi
    done > "$tmp/sources"
[ -s "$tmp/sources" ] || die "no PNG files found in $PKG_ROOT"

LC_ALL=C awk '
  {
    src = $0
    slash = index(src, "/")
    label = substr(src, 1, slash - 1)
    name = tolower(substr(src, slash + 1))
    sub(/\.png$/, "", name)
    gsub(/\//, "__", name)
    gsub(/[^a-z0-9._-]/, "_", name)
    rel = label "/" name ".jpg"
    n = 1
    while (rel in seen) { n++; rel = label "/" name "-" n ".jpg" }
    seen[rel] = 1
    print src "\t" label "\t" rel
  }' "$tmp/sources" > "$tmp/plan"

# --- convert, in parallel batches, until COUNT images are written --------------
convert_one() { # one plan line: SRC<TAB>LABEL<TAB>REL
  local src label rel out
  IFS=$'\t' read -r src label rel <<< "$1"
  out="$OUT_DIR/$rel"
  mkdir -p "$(dirname "$out")"
  if ! "$IM" "$PKG_ROOT/$src[0]" -background white -alpha remove -alpha off \
        -resize '256x256>' -colorspace sRGB -type TrueColor -depth 8 -strip \
        -quality 90 "JPEG:$out" 2> "$out.err"; then
    echo "build-large-set.sh: warning: skipped $src: $(head -n 1 "$out.err")" >&2
    rm -f "$out"
  fi
  rm -f "$out.err"
}
export -f convert_one
export IM PKG_ROOT OUT_DIR
export MAGICK_THREAD_LIMIT=1   # the parallelism comes from JOBS

total=$(wc -l < "$tmp/plan")
written=0
offset=0
: > "$tmp/ok"
while [ "$written" -lt "$COUNT" ] && [ "$offset" -lt "$total" ]; do
  need=$((COUNT - written))
  sed -n "$((offset + 1)),$((offset + need))p" "$tmp/plan" > "$tmp/batch"
  offset=$((offset + $(wc -l < "$tmp/batch")))
  tr '\n' '\0' < "$tmp/batch" | xargs -0 -n 1 -P "$JOBS" bash -c 'convert_one "$1"' _
  while IFS=$'\t' read -r src label rel; do
    if [ -s "$OUT_DIR/$rel" ]; then
      printf '%s\t%s\t%s\n' "$src" "$label" "$rel" >> "$tmp/ok"
      written=$((written + 1))
    fi
  done < "$tmp/batch"
  echo "build-large-set.sh: $written of $COUNT images written ($offset of $total files tried)" >&2
done

# --- manifest -----------------------------------------------------------------
json_str() { local s=${1//\\/\\\\}; s=${s//\"/\\\"}; printf '"%s"' "$s"; }
while IFS=$'\t' read -r src label rel; do
  printf '%s\t{"path": %s, "label": %s, "split": "train", "captions": [], "source": %s}\n' \
    "$rel" "$(json_str "$rel")" "$(json_str "$label")" "$(json_str "openclipart-png:$src")"
done < "$tmp/ok" | LC_ALL=C sort -t $'\t' -k1,1 | cut -f2- > "$OUT_DIR/manifest.jsonl"

skipped=$((offset - written))
echo "build-large-set.sh: wrote $written images ($skipped skipped) and manifest.jsonl to $OUT_DIR ($(du -sh "$OUT_DIR" | cut -f1))"
[ "$written" -eq "$COUNT" ] || echo "build-large-set.sh: note: the package has fewer usable PNG files than COUNT=$COUNT" >&2
