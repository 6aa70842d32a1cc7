"""Matching what people type against the names of a list's items (certificates, seal uses).

Moved down from ``certificates/matching.py`` so that every list checked by
name ("may a village be asked for this certificate?", "may a community seal
be put on this?") uses one matcher; each list brings its own vocabulary.

A query is normalised (traditional → simplified with zhconv, full-width →
half-width, punctuation removed, the list's suffix variants folded, then its
filler words removed) and compared with every name of every item in force (its
name and its common names): an exact name wins; then the names without their
common suffix; then a name contained in the query or the query in a name; then
the overlap of character pairs (Dice coefficient). Below ``threshold`` the query
is "not listed".

Published versions never change, so the normalised names of a version are
computed once per process and kept (``_index``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import zhconv

PUNCT = re.compile(r"[\s\W_]+", re.UNICODE)

# How any question is asked ("may I ... ?"): words that say nothing about which
# item is meant. Each list adds its own (certificates: 开具、办理; seals: 盖章、用印).
QUESTION_FILLERS = (
    "请问",
    "能不能",
    "能否",
    "可不可以",
    "可以",
    "是否",
    "需不需要",
    "需要",
    "要求",
    "让我",
    "叫我",
    "给我",
    "帮我",
    "帮忙",
    "我要",
    "我想",
    "吗",
    "呢",
    "吧",
    "啊",
    "的",
)


@dataclass(frozen=True)
class Match:
    item_id: int
    name: str
    score: float


def _pairs(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)} or {text}


class NameMatcher:
    """One list's vocabulary: filler words, suffix variants, the suffix its names share, a threshold."""

    def __init__(
        self,
        *,
        fillers: Iterable[str],
        suffixes: Sequence[tuple[str, str]] = (),
        core_suffix: str = "",
        threshold: float = 0.55,
    ) -> None:
        self.fillers = sorted(fillers, key=len, reverse=True)  # longest first
        self.suffixes = list(suffixes)
        self.core_suffix = core_suffix
        self.threshold = threshold
        self._index = lru_cache(maxsize=256)(self._build_index)

    def normalise(self, text: str) -> str:
        text = unicodedata.normalize("NFKC", text or "")
        text = zhconv.convert(text, "zh-cn")
        text = PUNCT.sub("", text)
        for old, new in self.suffixes:
            text = text.replace(old, new)
        for word in self.fillers:
            if len(text) > len(word) + 1:
                text = text.replace(word, "")
        return text

    def core(self, name: str) -> str:
        """The name without the suffix the list's names share: 健在证明 → 健在."""
        s = self.core_suffix
        return name[: -len(s)] if s and name.endswith(s) and len(name) > len(s) + 1 else name

    def similarity(self, query: str, name: str) -> float:
        if not query or not name:
            return 0.0
        if query == name:
            return 1.0
        q, n = self.core(query), self.core(name)
        if q == n:
            return 0.98
        if len(n) >= 2 and n in q:
            return 0.9 * (0.7 + 0.3 * len(n) / len(q))
        if len(q) >= 2 and q in n:
            return 0.85 * (0.6 + 0.4 * len(q) / len(n))
        a, b = _pairs(q), _pairs(n)
        return 2 * len(a & b) / (len(a) + len(b))

    def _build_index(self, version_key: tuple[int, ...], entries: tuple[tuple[int, tuple[str, ...]], ...]):
        return [(item_id, name, self.normalise(name)) for item_id, names in entries for name in names]

    def best_match(self, query: str, version_key: tuple[int, ...], entries) -> Match | None:
        """The best-scoring item for ``query`` among ``entries`` ((item id, names) pairs)."""
        q = self.normalise(query)
        if not q:
            return None
        best: Match | None = None
        for item_id, name, norm in self._index(version_key, entries):
            score = self.similarity(q, norm)
            if best is None or score > best.score:
                best = Match(item_id, name, score)
        return best if best is not None and best.score >= self.threshold else None
