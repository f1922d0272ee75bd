#!/usr/bin/env bash
# Regenerates the 80 bundled sample images in data-samples/openclipart/
# from the Debian package openclipart-png.
#
# The selection lives in openclipart/manifest.jsonl: each line's "path"
# (output file, .png or .jpg) and "source" ("openclipart-png:<path inside
# /usr/share/openclipart/png>") say which clip-art file becomes which sample.
# The captions in that manifest were written by hand and are not touched.
#
# Usage: data-samples/make-samples.sh [OUT_DIR]
#   OUT_DIR defaults to the folder holding the manifest (data-samples/openclipart),
#   i.e. the images are rewritten in place.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
MANIFEST="$HERE/openclipart/manifest.jsonl"
OUT_DIR="${1:-$HERE/openclipart}"
PKG_ROOT=/usr/share/openclipart/png

die() { echo "make-samples.sh: $*" >&2; exit 1; }

dpkg-query -W -f='${Status}' openclipart-png 2>/dev/null | grep -q "install ok installed" \
  || die "the Debian package openclipart-png is not installed; install it with: apt-get install -y openclipart-png"
[ -d "$PKG_ROOT" ] || die "$PKG_ROOT is missing; reinstall with: apt-get install --reinstall -y openclipart-png"
if command -v magick >/dev/null 2>&1; then IM=(magick)
elif command -v convert >/dev/null 2>&1; then IM=(convert)
else die "ImageMagick is not installed; install it with: apt-get install -y imagemagick"
fi
[ -f "$MANIFEST" ] || die "manifest not found: $MANIFEST"

n=0
while IFS= read -r line; do
  [ -n "$line" ] || continue
  rel="$(printf '%s\n' "$line" | sed -nE 's/.*"path": "([^"]+)".*/\1/p')"
  src="$(printf '%s\n' "$line" | sed -nE 's/.*"source": "openclipart-png:([^"]+)".*/\1/p')"
  [ -n "$rel" ] && [ -n "$src" ] || die "cannot read path/source from manifest line: $line"
  [ -f "$PKG_ROOT/$src" ] || die "source file missing: $PKG_ROOT/$src"
  out="$OUT_DIR/$rel"
  mkdir -p "$(dirname "$out")"
  case "$out" in
    *.png) fmt=(-define png:exclude-chunks=date,time "PNG24:$out") ;;
    *.jpg) fmt=(-quality 90 "JPEG:$out") ;;
    *) die "unsupported output extension: $rel" ;;
  esac
  # Flatten the alpha channel onto white, crop the empty margin, shrink (never
  # enlarge) to fit 240x240, add an 8 px white border (so the longest side is
  # at most 256 px) and write 8-bit RGB without metadata.
  "${IM[@]}" "$PKG_ROOT/$src" -background white -alpha remove -alpha off \
    -trim +repage -resize '240x240>' -bordercolor white -border 8 \
    -colorspace sRGB -type TrueColor -depth 8 -strip "${fmt[@]}"
  n=$((n + 1))
done < "$MANIFEST"

echo "make-samples.sh: wrote $n images under $OUT_DIR"
