"""Patrol photos: accept only real images within limits, and re-encode them without metadata.

A phone photo carries EXIF, often with the GPS position of the person who took it; the
re-encoded JPEG keeps the pixels (turned upright) and nothing else. A few KB can promise
gigapixels (a one-colour PNG compresses a thousandfold), so the size is read from the header
and checked before a pixel is decoded (docs/security.md, Uploads).
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 40_000_000  # as the header states (JINLIN_PHOTO_MAX_PIXELS)
# Pillow holds 4 bytes a pixel: this is a 12 MP phone photo (4032 × 3024), about 50 MB. A
# larger JPEG is decoded at 1/2, 1/4 or 1/8 scale, which it allows; other formats are refused.
MAX_DECODED_PIXELS = 12_600_000
MAX_SIDE = 2560
ACCEPTED_FORMATS = frozenset({"JPEG", "PNG", "WEBP"})

MSG_NOT_IMAGE = "只能上传照片（JPEG、PNG 或 WebP 图片）"
MSG_TOO_LARGE = "照片不能超过 {mb} MB"
MSG_TOO_MANY_PIXELS = "照片像素过多，请缩小后再上传"
MSG_EMPTY = "请选择要上传的照片"
MSG_TOO_MANY = "每项发现最多 {n} 张照片"
MAX_PER_FINDING = 9  # as many as a WeChat post takes


@dataclass(frozen=True)
class CleanPhoto:
    content: bytes
    width: int
    height: int


def max_per_finding() -> int:
    return int(getattr(settings, "JINLIN", {}).get("PHOTOS_PER_FINDING", MAX_PER_FINDING))


def max_bytes() -> int:
    return int(getattr(settings, "JINLIN", {}).get("PHOTO_MAX_BYTES", MAX_BYTES))


def max_pixels() -> int:
    return int(getattr(settings, "JINLIN", {}).get("PHOTO_MAX_PIXELS", MAX_PIXELS))


def _fitted(size: tuple[int, int]) -> tuple[int, int]:
    width, height = size
    scale = min(1.0, MAX_SIDE / max(width, height))
    return max(1, int(width * scale)), max(1, int(height * scale))


def clean_photo(data: bytes) -> CleanPhoto:
    """The photo re-encoded as JPEG without EXIF/XMP/ICC; ValidationError if it is not one."""
    limit = max_bytes()
    if not data:
        raise ValidationError({"photo": MSG_EMPTY})
    if len(data) > limit:
        raise ValidationError({"photo": MSG_TOO_LARGE.format(mb=limit // (1024 * 1024))})
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))
            if probe.format not in ACCEPTED_FORMATS:
                raise ValidationError({"photo": MSG_NOT_IMAGE})
            if probe.width * probe.height > max_pixels():
                raise ValidationError({"photo": MSG_TOO_MANY_PIXELS})
            probe.verify()
            image = Image.open(io.BytesIO(data))
            # A JPEG may be decoded straight to a fraction of its size: no larger than needed.
            image.draft("RGB", _fitted(image.size))
            if image.width * image.height > MAX_DECODED_PIXELS:
                raise ValidationError({"photo": MSG_TOO_MANY_PIXELS})
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError({"photo": MSG_TOO_MANY_PIXELS}) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError({"photo": MSG_NOT_IMAGE}) from None
    # Made small first, so that turning and flattening work on a small image, in place.
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    ImageOps.exif_transpose(image, in_place=True)
    # A fresh image of the pixels only: no exif=, icc_profile= or xmp= is passed on.
    clean = Image.new("RGB", image.size, "white")
    if image.mode == "RGB":
        clean.paste(image)
    else:
        rgba = image.convert("RGBA")
        clean.paste(rgba, mask=rgba.getchannel("A"))
    out = io.BytesIO()
    clean.save(out, format="JPEG", quality=85, optimize=True)
    return CleanPhoto(content=out.getvalue(), width=clean.width, height=clean.height)
