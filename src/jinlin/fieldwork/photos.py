"""Patrol photos: accept only real images within limits, and re-encode them without metadata.

A phone photo carries EXIF, often with the GPS position of the person who took it; the
re-encoded JPEG keeps the pixels (turned upright) and nothing else.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 40_000_000
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
            if probe.width * probe.height > MAX_PIXELS:
                raise ValidationError({"photo": MSG_TOO_MANY_PIXELS})
            probe.verify()
            image = Image.open(io.BytesIO(data))
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError({"photo": MSG_TOO_MANY_PIXELS}) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError({"photo": MSG_NOT_IMAGE}) from None
    image = ImageOps.exif_transpose(image)
    if image.mode != "RGB":
        background = Image.new("RGB", image.size, "white")
        rgba = image.convert("RGBA")
        background.paste(rgba, mask=rgba.getchannel("A"))
        image = background
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    out = io.BytesIO()
    # A fresh image from the pixels only: no exif=, icc_profile= or xmp= is passed on.
    Image.frombytes("RGB", image.size, image.tobytes()).save(
        out, format="JPEG", quality=85, optimize=True
    )
    return CleanPhoto(content=out.getvalue(), width=image.width, height=image.height)
