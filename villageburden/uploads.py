"""Upload checks shared by every app: attached documents and photos taken on a phone.

Two kinds of upload, one place each:

- **Attachments** (:func:`attachment_check`): a file is accepted when its name
  *and* its first bytes say the same type (an ``.exe`` renamed ``.pdf`` is
  refused), and it is at most ``MAX_ATTACHMENT_BYTES``. Downloads are always
  served as attachments, with the content type of the checked kind
  (:func:`content_type_for`; ``application/octet-stream`` for anything older or
  unknown), and ``nosniff``, so that no browser runs or renders what was uploaded.
- **Photos** (:func:`photo_clean`): only JPEG, PNG and WebP images, up to
  ``MAX_PHOTO_BYTES``; the file is opened by Pillow (not trusted by its name or
  content type), turned upright by its EXIF orientation, shrunk to ``MAX_EDGE``
  pixels and saved as a fresh JPEG, which also drops the EXIF data (a phone's
  photo carries the GPS position of whoever took it — for a monitor's report,
  who took it is exactly what must not leak).

Both raise a ``ValidationError`` naming the form field, with a message in words.
"""

from __future__ import annotations

import io
import uuid
import zipfile
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

# --- attachments ------------------------------------------------------------------

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc, .xls, .wps, .et (WPS Office)
ZIP = b"PK\x03\x04"  # .docx, .xlsx, .ofd

# extension → (content type, magic prefix, member a zip of that kind holds)
KINDS: dict[str, tuple[str, bytes, str]] = {
    ".pdf": ("application/pdf", b"%PDF-", ""),
    ".ofd": ("application/ofd", ZIP, "OFD.xml"),
    ".doc": ("application/msword", OLE2, ""),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ZIP,
        "[Content_Types].xml",
    ),
    ".xls": ("application/vnd.ms-excel", OLE2, ""),
    ".xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ZIP,
        "[Content_Types].xml",
    ),
    ".wps": ("application/vnd.ms-works", OLE2, ""),
    ".et": ("application/vnd.ms-excel", OLE2, ""),
    ".jpg": ("image/jpeg", b"\xff\xd8\xff", ""),
    ".jpeg": ("image/jpeg", b"\xff\xd8\xff", ""),
    ".png": ("image/png", b"\x89PNG\r\n\x1a\n", ""),
}


def content_type_for(name: str) -> str:
    kind = KINDS.get(PurePath(name).suffix.lower())
    return kind[0] if kind else "application/octet-stream"


def attachment_check(upload, *, field: str = "attachment") -> str:
    """Refuse what the workflow does not need; return the checked content type."""

    def refuse(message: str) -> ValidationError:
        return ValidationError({field: [message]})

    name = getattr(upload, "name", "") or ""
    suffix = PurePath(name).suffix.lower()
    if suffix not in KINDS:
        raise refuse(_("Only PDF, OFD, Word, Excel, WPS, JPEG or PNG files may be attached."))
    size = getattr(upload, "size", None) or 0
    if size > MAX_ATTACHMENT_BYTES:
        raise refuse(_("The file is larger than %(mb)s MB.") % {"mb": MAX_ATTACHMENT_BYTES // (1024 * 1024)})
    if size == 0:
        raise refuse(_("The file is empty."))
    content_type, magic, member = KINDS[suffix]
    upload.seek(0)
    head = upload.read(len(magic))
    upload.seek(0)
    ok = head == magic
    if ok and member:
        try:
            with zipfile.ZipFile(upload) as archive:
                ok = member in archive.namelist()
        except zipfile.BadZipFile:
            ok = False
        upload.seek(0)
    if not ok:
        raise refuse(
            _("The file's content is not a %(kind)s file; it cannot be attached.")
            % {"kind": suffix.lstrip(".").upper()}
        )
    return content_type


# --- photos -------------------------------------------------------------------------

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
