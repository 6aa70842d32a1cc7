"""HTML → PDF with WeasyPrint and Debian's Noto CJK fonts (embedded in the PDF).

WeasyPrint needs Pango (Debian: ``libpango-1.0-0 libpangoft2-1.0-0``) and the
CJK fonts (``fonts-noto-cjk``); without the fonts the Chinese text would be
blank, so their absence is an error, not a silent empty document. Either is
reported as ``RendererUnavailable`` with a message the page shows as it is.
"""

from __future__ import annotations

import functools
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

# Debian's fonts-noto-cjk; any one of them is enough.
DEFAULT_FONT_FILES = (
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
)


class RendererUnavailable(Exception):
    """The PDF renderer or its Chinese fonts are not installed here."""


def _font_files() -> tuple[str, ...]:
    return tuple(getattr(settings, "DOCUMENT_FONT_FILES", DEFAULT_FONT_FILES))


@functools.cache
def _weasyprint():
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # OSError: Pango missing
        raise RendererUnavailable(str(exc)) from exc
    return weasyprint


def check_renderer() -> None:
    """Raise RendererUnavailable (with a message in the user's language) if a PDF cannot be made."""
    try:
        _weasyprint()
    except RendererUnavailable as exc:
        raise RendererUnavailable(
            _(
                "PDF documents cannot be produced on this server: the WeasyPrint libraries are missing "
                "(install the Debian packages libpango-1.0-0 and libpangoft2-1.0-0). The record itself is kept."
            )
        ) from exc
    if not any(Path(p).exists() for p in _font_files()):
        raise RendererUnavailable(
            _(
                "PDF documents cannot be produced on this server: the Chinese fonts are missing "
                "(install the Debian package fonts-noto-cjk). The record itself is kept."
            )
        )


def html_to_pdf(html: str) -> bytes:
    check_renderer()
    return _weasyprint().HTML(string=html).write_pdf()
