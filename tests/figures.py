"""Figures a test measured, for CI's summary table.

A test that proves a bound (memory of a hostile import, requests fuzzed, rows
restored) calls ``record("hostile xlsx: peak MB", "212")``. When the variable
``VB_FIGURES`` names a file (``.ci/run`` sets it), one tab-separated line is
appended per figure; otherwise nothing is written. Appending one short line is
atomic enough for the two pytest-xdist workers.
"""

from __future__ import annotations

import os


def record(name: str, value: object) -> None:
    path = os.environ.get("VB_FIGURES")
    if not path:
        return
    line = f"{name}\t{value}".replace("\n", " ") + "\n"
    with open(path, "a", encoding="utf-8") as out:
        out.write(line)
