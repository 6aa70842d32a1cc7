"""Photos taken on a phone: checked to be images, resized and re-encoded on the server.

Only JPEG, PNG and WebP images are accepted, up to ``MAX_PHOTO_BYTES``; the
file is opened by Pillow (not trusted by its name or content type), turned
upright by its EXIF orientation, shrunk to ``MAX_EDGE`` pixels and saved as a
fresh JPEG, which also drops the EXIF data (a phone's photo carries the GPS
position of whoever took it).
"""

from __future__ import annotations

import io
import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a 40-megapixel phone photo; anything larger is refused before decoding
MAX_EDGE = 1600
FORMATS = {"JPEG", "MPO", "PNG", "WEBP"}


def photo_clean(upload, *, field: str = "photo") -> ContentFile:
    """The upload as a resized JPEG ready to store, or a ValidationError naming ``field``."""
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_PHOTO_BYTES:
        raise ValidationError(
            {field: _("The photo is %(mb).1f MB; at most 10 MB is accepted.") % {"mb": size / 1024 / 1024}}
        )
    not_image = ValidationError({field: _("This file is not a photo: upload a JPEG, PNG or WebP image.")})
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            if probe.format not in FORMATS:
                raise not_image
            if probe.width * probe.height > MAX_PIXELS:
                raise ValidationError(
                    {field: _("The photo has too many pixels; take it at a lower resolution.")}
                )
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as opened:
            opened.load()
            img: Image.Image = ImageOps.exif_transpose(opened)
            img.thumbnail((MAX_EDGE, MAX_EDGE))
            if img.mode != "RGB":
                img = img.convert("RGB")
            out = io.BytesIO()
            img.save(out, format="JPEG", quality=82, optimize=True)
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise not_image from None
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.jpg")
