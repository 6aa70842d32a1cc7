"""Read and check one spreadsheet as the catalogue import does, in a fresh process; print its cost.

    python tests/spreadsheet_probe.py FILE [FILE ...]

Prints one JSON line per file: the peak memory of the process that read it
(max RSS in MB, the loaded Django included), seconds, rows checked, errors
(row, column, message) and the refusal, if the file was refused. Django is set
up once; each file is then read in a child forked from it, so each peak is
that file's own. It reads and validates rows (where a hostile file costs
memory) without a database.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
import traceback
from pathlib import Path


def probe(path: str) -> dict:
    from catalogs.spreadsheets import IMPORTER
    from spreadsheets.reading import SpreadsheetError, open_sheet, sniff_format

    started = time.perf_counter()
    rows, errors, refused = 0, [], ""
    try:
        with open(path, "rb") as fh:
            fmt = sniff_format(path, fh.read(8))
        sheet = open_sheet(path, fmt, IMPORTER.schema)
        for n, _values, row_errors in IMPORTER.validate_rows(sheet):
            rows += 1
            for key, messages in row_errors.items():
                for message in messages:
                    if len(errors) < 20:
                        errors.append([n, IMPORTER.schema.error_column(key, sheet.labels), message])
    except SpreadsheetError as exc:
        refused = str(exc)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "peak_mb": round(peak_mb),
        "seconds": round(seconds, 2),
        "rows": rows,
        "errors": errors,
        "refused": refused,
    }


def main(paths: list[str]) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "villageburden.settings")
    import django

    django.setup()
    import catalogs.spreadsheets  # noqa: F401 - loaded before the fork, as in a worker

    for path in paths:
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(read)
            try:
                result = {"file": path, **probe(path)}
            except BaseException:  # reported to the test, which fails on it
                result = {"file": path, "crash": traceback.format_exc()}
            with os.fdopen(write, "w") as out:
                out.write(json.dumps(result, ensure_ascii=False))
            os._exit(0)
        os.close(write)
        with os.fdopen(read) as result:
            line = result.read()
        os.waitpid(pid, 0)
        print(line, flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
