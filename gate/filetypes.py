"""What may be attached to an access request: the documents and images the workflow needs.

A file is accepted when its name *and* its first bytes say the same type (an
``.exe`` renamed ``.pdf`` is refused), and it is at most MAX_ATTACHMENT_BYTES.
Downloads are always served as attachments, with the content type of the
checked kind (``application/octet-stream`` for anything older or unknown),
and ``nosniff``, so that no browser runs or renders what was uploaded.
"""

from __future__ import annotations

import zipfile
from pathlib import PurePath

from django.utils.translation import gettext as _

from .exceptions import GateRefused

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


def check_attachment(upload) -> str:
    """Refuse what the workflow does not need; return the checked content type."""
    name = getattr(upload, "name", "") or ""
    suffix = PurePath(name).suffix.lower()
    if suffix not in KINDS:
        raise GateRefused(
            _("Only PDF, OFD, Word, Excel, WPS, JPEG or PNG files may be attached."),
            details={"field": "attachment"},
        )
    size = getattr(upload, "size", None) or 0
    if size > MAX_ATTACHMENT_BYTES:
        raise GateRefused(
            _("The file is larger than %(mb)s MB.") % {"mb": MAX_ATTACHMENT_BYTES // (1024 * 1024)},
            details={"field": "attachment"},
        )
    if size == 0:
        raise GateRefused(_("The file is empty."), details={"field": "attachment"})
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
        raise GateRefused(
            _("The file's content is not a %(kind)s file; it cannot be attached.")
            % {"kind": suffix.lstrip(".").upper()},
            details={"field": "attachment"},
        )
    return content_type
