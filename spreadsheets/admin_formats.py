"""django-import-export formats that read uploads through this package's reader and limits.

django-import-export's own XLSX format loads the shared-strings table whole
(openpyxl) and its CSV format decodes one encoding; these read the upload
with ``reading.read_table`` instead: the same streaming .xlsx reader, the
same UTF-8 / GB18030 detection and the same limits as every other import.
Exports keep django-import-export's writers (the resources neutralise the
cells).
"""

from __future__ import annotations

import tempfile

import tablib
from import_export.formats import base_formats

from . import limits
from .reading import SpreadsheetError, read_table, unquote


def _dataset(data: bytes, fmt: str) -> tablib.Dataset:
    limit = limits.current()
    if len(data) > limit.upload_bytes:
        from django.utils.translation import gettext as _

        raise SpreadsheetError(_("The file is larger than %(mb)s MB.") % {"mb": limit.upload_mb})
    with tempfile.NamedTemporaryFile(suffix=f".{fmt}") as fh:
        fh.write(data)
        fh.flush()
        header, rows = read_table(fh.name, fmt, limit)
    dataset = tablib.Dataset(headers=[str(h).strip() if h is not None else "" for h in header])
    for row in rows:
        dataset.append([unquote(v.strip()) if isinstance(v, str) else v for v in row])
    return dataset


class XLSX(base_formats.XLSX):
    def create_dataset(self, in_stream):
        return _dataset(in_stream, "xlsx")


class CSV(base_formats.CSV):
    """CSV read as bytes (UTF-8 with or without BOM, or GB18030, as Excel and WPS save it)."""

    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream, **kwargs):
        if isinstance(in_stream, str):
            in_stream = in_stream.encode("utf-8")
        return _dataset(in_stream, "csv")
