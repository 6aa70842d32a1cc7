"""Browser fixtures, shared by every app's browser tests (see tests/browser.py)."""

from .browser import browser, page  # noqa: F401
