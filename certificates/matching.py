"""Understanding how people type a certificate's name: traditional characters, colloquial and partial names.

A query is normalised (traditional → simplified with zhconv, full-width →
half-width, punctuation and filler words such as 开、办、需要、村里 removed,
证明书/证明信 → 证明) and compared with every name of every item in force
(its name and its common names): an exact name wins; then a name contained in
the query or the query in a name; then the overlap of character pairs
(Dice coefficient). Below ``THRESHOLD`` the certificate is "not listed".

Published versions never change, so the normalised names of a version are
computed once per process and kept (``_index``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import zhconv

THRESHOLD = 0.55

# Words that carry no meaning for which certificate it is (longest first).
FILLERS = sorted(
    [
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
        "想要",
        "怎么",
        "如何",
        "哪里",
        "去哪",
        "村委会",
        "居委会",
        "村委",
        "村里",
        "村上",
        "社区",
        "嘎查",
        "开具",
        "出具",
        "开个",
        "开一个",
        "开张",
        "开一张",
        "开份",
        "开一份",
        "办理",
        "办个",
        "一个",
        "一份",
        "一张",
        "这个",
        "那个",
        "还要",
        "得",
        "吗",
        "呢",
        "吧",
        "啊",
        "的",
        "开",
        "办",
        "要",
        "给",
        "我",
        "个",
        "份",
        "张",
    ],
    key=len,
    reverse=True,
)
SUFFIXES = [
    ("证明书", "证明"),
    ("证明信", "证明"),
    ("证明材料", "证明"),
    ("的证明", "证明"),
    ("证明函", "证明"),
]
PUNCT = re.compile(r"[\s\W_]+", re.UNICODE)


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "")
    text = zhconv.convert(text, "zh-cn")
    text = PUNCT.sub("", text)
    for old, new in SUFFIXES:
        text = text.replace(old, new)
    for word in FILLERS:
        if len(text) > len(word) + 1:
            text = text.replace(word, "")
    return text


def core(name: str) -> str:
    """The name without its 证明 suffix: 健在证明 → 健在."""
    return name[:-2] if name.endswith("证明") and len(name) > 3 else name


def _pairs(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)} or {text}


def similarity(query: str, name: str) -> float:
    if not query or not name:
        return 0.0
    if query == name:
        return 1.0
    q, n = core(query), core(name)
    if q == n:
        return 0.98
    if len(n) >= 2 and n in q:
        return 0.9 * (0.7 + 0.3 * len(n) / len(q))
    if len(q) >= 2 and q in n:
        return 0.85 * (0.6 + 0.4 * len(q) / len(n))
    a, b = _pairs(q), _pairs(n)
    return 2 * len(a & b) / (len(a) + len(b))


@dataclass(frozen=True)
class Match:
    item_id: int
    name: str
    score: float


@lru_cache(maxsize=256)
def _index(version_key: tuple[int, ...], entries: tuple[tuple[int, tuple[str, ...]], ...]):
    return [(item_id, name, normalise(name)) for item_id, names in entries for name in names]


def best_match(query: str, version_key: tuple[int, ...], entries) -> Match | None:
    """The best-scoring item for ``query`` among ``entries`` ((item id, names) pairs)."""
    q = normalise(query)
    if not q:
        return None
    best: Match | None = None
    for item_id, name, norm in _index(version_key, entries):
        score = similarity(q, norm)
        if best is None or score > best.score:
            best = Match(item_id, name, score)
    return best if best is not None and best.score >= THRESHOLD else None
