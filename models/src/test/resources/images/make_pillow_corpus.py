"""Regenerates the Pillow conformance corpus in this folder (run from this folder).

Needs Pillow 12.3.0 (the version that made the golden fixtures) and numpy. Its one argument is an
ICC profile that is not sRGB (we used the bytes of Java's `ICC_Profile.getInstance(CS_LINEAR_RGB)`). Every `*.pil.png` is
what Pillow's `Image.open(f).convert("RGB")` gave for the matching input, so the Java decoder can
be checked against Pillow without Python at test time. `resize/` holds Pillow BICUBIC resizes of
uint8 RGB images (input and output as lossless PNG) for sizes the golden files do not cover.
"""
import io, json, struct, sys, zlib
import numpy as np
from PIL import Image

rng = np.random.default_rng(20240607)
entries = []


def rgb_pattern(h, w):
    """Smooth gradients plus noise: exercises every byte value without being pure noise."""
    y, x = np.mgrid[0:h, 0:w]
    a = np.stack([x * 255 // max(1, w - 1), y * 255 // max(1, h - 1), (x * y * 7) % 256], -1)
    return ((a + rng.integers(-40, 40, a.shape)) .clip(0, 255)).astype(np.uint8)


def add(name, data, fmt, tolerance=0, note=""):
    with open(name, "wb") as f:
        f.write(data)
    im = Image.open(io.BytesIO(data))
    bits = {"I;16": 16}.get(im.mode, 8)
    rgb = im.convert("RGB")
    rgb.info.pop("transparency", None)  # keep the reference a plain RGB PNG
    rgb.save(name + ".pil.png")
    entries.append({"file": name, "format": im.format, "mode": im.mode, "width": im.width,
                    "height": im.height, "rgb": name + ".pil.png", "max_diff": tolerance, "note": note})


def save(im, fmt, **kw):
    b = io.BytesIO()
    im.save(b, fmt, **kw)
    return b.getvalue()


def png_raw(w, h, color_type, bit_depth, rows, trns=None, plte=None):
    """A PNG written by hand, for bit depths and colour types Pillow will not write."""
    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)
    out = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, bit_depth, color_type, 0, 0, 0))
    if plte is not None:
        out += chunk(b"PLTE", plte)
    if trns is not None:
        out += chunk(b"tRNS", trns)
    return out + chunk(b"IDAT", zlib.compress(b"".join(b"\x00" + r for r in rows))) + chunk(b"IEND", b"")


H, W = 9, 13
base = rgb_pattern(H, W)
rgba = np.concatenate([base, rng.integers(0, 256, (H, W, 1), dtype=np.uint8)], -1)
rgba[:, :3, 3] = 0  # fully transparent strip that still stores colour
grey = base[..., 0]

# PNG
add("png_l8.png", save(Image.fromarray(grey), "PNG"), "PNG")
add("png_la8.png", save(Image.fromarray(np.stack([grey, rgba[..., 3]], -1), "LA"), "PNG"), "PNG")
add("png_rgb8.png", save(Image.fromarray(base), "PNG"), "PNG")
add("png_rgba8.png", save(Image.fromarray(rgba), "PNG"), "PNG")
add("png_rgb8_interlaced.png", save(Image.fromarray(base), "PNG", interlace=1) if False else
    png_raw(W, H, 2, 8, [base[y].tobytes() for y in range(H)]), "PNG")
pal = Image.fromarray(base).quantize(colors=40)
add("png_p8.png", save(pal, "PNG"), "PNG")
add("png_p8_trns.png", save(pal, "PNG", transparency=3), "PNG")
pal4 = Image.fromarray(base).quantize(colors=12)
add("png_p4.png", save(pal4, "PNG", bits=4), "PNG")
add("png_1bit.png", save(Image.fromarray(grey > 128), "PNG"), "PNG")
g2 = rng.integers(0, 4, (H, 16), dtype=np.uint8)
add("png_l2.png", png_raw(16, H, 0, 2, [bytes(np.packbits(np.unpackbits(r[:, None], axis=1)[:, 6:].reshape(-1))) for r in g2]), "PNG")
g4 = rng.integers(0, 16, (H, 16), dtype=np.uint8)
add("png_l4.png", png_raw(16, H, 0, 4, [bytes((r[0::2] << 4) | r[1::2]) for r in g4]), "PNG")
v16 = rng.integers(0, 65536, (H, W)).astype(">u2")
v16[0, :6] = [0, 1, 254, 255, 256, 300]
add("png_i16.png", png_raw(W, H, 0, 16, [v16[y].tobytes() for y in range(H)]), "PNG")
add("png_l8_trns.png", png_raw(W, H, 0, 8, [grey[y].tobytes() for y in range(H)], trns=struct.pack(">H", int(grey[0, 0]))), "PNG")
add("png_rgb8_trns.png", png_raw(W, H, 2, 8, [base[y].tobytes() for y in range(H)], trns=struct.pack(">HHH", *map(int, base[0, 0]))), "PNG")
c16 = rng.integers(0, 65536, (H, W, 4)).astype(">u2")
add("png_rgb16.png", png_raw(W, H, 2, 16, [c16[y, :, :3].tobytes() for y in range(H)]), "PNG")
add("png_rgba16.png", png_raw(W, H, 6, 16, [c16[y].tobytes() for y in range(H)]), "PNG")
add("png_la16.png", png_raw(W, H, 4, 16, [c16[y, :, :2].tobytes() for y in range(H)]), "PNG")

# JPEG
jb = rgb_pattern(24, 40)
add("jpeg_l.jpg", save(Image.fromarray(jb[..., 1]), "JPEG", quality=90), "JPEG")
add("jpeg_444.jpg", save(Image.fromarray(jb), "JPEG", quality=92, subsampling=0), "JPEG")
add("jpeg_422.jpg", save(Image.fromarray(jb), "JPEG", quality=85, subsampling=1), "JPEG")
add("jpeg_420.jpg", save(Image.fromarray(jb), "JPEG", quality=75, subsampling=2), "JPEG")
add("jpeg_411.jpg", save(Image.fromarray(jb), "JPEG", quality=85, subsampling="4:1:1"), "JPEG")
add("jpeg_420_odd.jpg", save(Image.fromarray(rgb_pattern(17, 27)), "JPEG", quality=80, subsampling=2), "JPEG")
add("jpeg_progressive.jpg", save(Image.fromarray(jb), "JPEG", quality=90, progressive=True), "JPEG")
add("jpeg_icc.jpg", save(Image.fromarray(jb), "JPEG", quality=90, icc_profile=open(sys.argv[1] if len(sys.argv) > 1 else "linear_rgb.icc", "rb").read()), "JPEG",
    note="non-sRGB ICC profile: Pillow ignores it, so must we")
exif = Image.Exif(); exif[0x0112] = 6
add("jpeg_exif_rotate.jpg", save(Image.fromarray(jb), "JPEG", quality=90, exif=exif), "JPEG", note="EXIF orientation 6: not applied")
cmyk = Image.fromarray(np.concatenate([jb, jb[..., :1] // 2], -1), "CMYK")
cmyk_bytes = save(cmyk, "JPEG", quality=95)
add("jpeg_cmyk_adobe.jpg", cmyk_bytes, "JPEG", note="Adobe APP14 transform 0, inverted CMYK as Photoshop writes it")
i = cmyk_bytes.index(b"\xff\xee")
seg_len = struct.unpack(">H", cmyk_bytes[i + 2:i + 4])[0]
add("jpeg_cmyk_plain.jpg", cmyk_bytes[:i] + cmyk_bytes[i + 2 + seg_len:], "JPEG", note="no Adobe marker: Pillow still inverts")
ycck = bytearray(cmyk_bytes); ycck[i + 4 + 11] = 2
add("jpeg_ycck.jpg", bytes(ycck), "JPEG", note="same scan data declared YCCK (Adobe transform 2)")
ycc = save(Image.fromarray(jb), "JPEG", quality=90)
j = ycc.index(b"\xff\xe0"); jl = struct.unpack(">H", ycc[j + 2:j + 4])[0]
adobe_rgb = b"\xff\xee\x00\x0eAdobe\x00\x64\x00\x00\x00\x00\x00"
add("jpeg_adobe_rgb.jpg", ycc[:j] + adobe_rgb + ycc[j + 2 + jl:], "JPEG", note="3 components, Adobe transform 0: stored as RGB")

# GIF, BMP, WebP, TIFF
add("gif_p.gif", save(pal, "GIF"), "GIF")
add("bmp_rgb24.bmp", save(Image.fromarray(base), "BMP"), "BMP")
add("bmp_p8.bmp", save(pal, "BMP"), "BMP")
add("bmp_l8.bmp", save(Image.fromarray(grey), "BMP"), "BMP")
add("bmp_1bit.bmp", save(Image.fromarray(grey > 100), "BMP"), "BMP")
add("bmp_rgba32.bmp", save(Image.fromarray(rgba), "BMP"), "BMP")
add("webp_lossless_rgb.webp", save(Image.fromarray(base), "WEBP", lossless=True), "WEBP")
add("webp_lossless_rgba.webp", save(Image.fromarray(rgba), "WEBP", lossless=True, exact=True), "WEBP")
add("webp_lossy_rgb.webp", save(Image.fromarray(jb), "WEBP", quality=80), "WEBP", tolerance=64,
    note="lossy VP8: TwelveMonkeys and libwebp upsample chroma differently; the test reports the difference")
add("tiff_rgb.tif", save(Image.fromarray(base), "TIFF"), "TIFF")
add("tiff_l.tif", save(Image.fromarray(grey), "TIFF"), "TIFF")
add("tiff_rgba.tif", save(Image.fromarray(rgba), "TIFF"), "TIFF")
add("tiff_cmyk.tif", save(cmyk.resize((W, H)), "TIFF"), "TIFF")
add("tiff_i16.tif", save(Image.fromarray(v16.astype(np.uint16)), "TIFF"), "TIFF")
add("tiff_p.tif", save(pal, "TIFF"), "TIFF")
add("tiff_1bit.tif", save(Image.fromarray(grey > 100), "TIFF"), "TIFF")
add("tiff_rgb_lzw.tif", save(Image.fromarray(base), "TIFF", compression="tiff_lzw"), "TIFF")

# Resizes beyond the golden sizes: (source w, h) -> (target w, h). The sources are not stored: they
# are a formula that the Java test computes too (ResizeSource in the tests), busy enough to expose
# any rounding difference.
def resize_source(w, h):
    y, x, c = np.mgrid[0:h, 0:w, 0:3]
    return ((x * x * 3 + y * y * 5 + x * y * 7 + c * 71 + ((x * 13) ^ (y * 29)) % 64) % 256).astype(np.uint8)


resizes = []
for k, (sw, sh, tw, th) in enumerate([(500, 400, 280, 224), (224, 224, 32, 32), (7, 5, 32, 27), (300, 17, 3, 40),
                                      (64, 64, 64, 31), (64, 64, 29, 64), (1, 1, 5, 3), (33, 97, 1, 1), (200, 150, 120, 120)]):
    name = f"resize/r{k}_{sw}x{sh}_to_{tw}x{th}.png"
    Image.fromarray(resize_source(sw, sh)).resize((tw, th), Image.BICUBIC).save(name)
    resizes.append({"source_width": sw, "source_height": sh, "width": tw, "height": th, "output": name})

with open("pillow_corpus.json", "w") as f:
    json.dump({"generated_with": {"pillow": Image.__version__, "numpy": np.__version__},
               "decode": entries, "resize": resizes}, f, indent=1)
