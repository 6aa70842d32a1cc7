"""Precision and recall of the public check on the committed evaluation set (certificates/eval/)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from .selectors import check_certificate

EVAL_SET = Path(__file__).resolve().parent / "eval" / "check_queries.json"


@dataclass
class Score:
    total: int = 0
    answered: int = 0  # the check named an item
    correct: int = 0  # ... and it was the expected one
    listed: int = 0  # queries whose expected answer is an item
    misses: list[tuple[str, str | None, str | None]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.correct / self.answered if self.answered else 0.0

    @property
    def recall(self) -> float:
        return self.correct / self.listed if self.listed else 0.0


def queries() -> list[dict]:
    return json.loads(EVAL_SET.read_text(encoding="utf-8"))["queries"]


def evaluate(division) -> Score:
    """Precision: of the answers naming an item, how many named the right one (unlisted queries
    answered with an item count against it). Recall: of the queries for a listed item, how many found it."""
    score = Score()
    for row in queries():
        result = check_certificate(division, row["q"])
        got = result.item.code if result.item else None
        score.total += 1
        score.listed += row["expect"] is not None
        if got is not None:
            score.answered += 1
            score.correct += got == row["expect"]
        if got != row["expect"]:
            score.misses.append((row["q"], row["expect"], got))
    return score
