"""Understanding how people type a certificate's name: traditional characters, colloquial and partial names.

The matcher is shared with every list checked by name (``villageburden/namematch.py``);
this module holds the certificates' vocabulary: filler words such as 开、办、需要、
村里, and 证明书/证明信 → 证明. Below ``THRESHOLD`` the certificate is "not listed".
"""

from __future__ import annotations

from villageburden.namematch import QUESTION_FILLERS, Match, NameMatcher

THRESHOLD = 0.55

# Words that carry no meaning for which certificate it is (the matcher tries the longest first).
FILLERS = [
    *QUESTION_FILLERS,
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
    "开",
    "办",
    "要",
    "给",
    "我",
    "个",
    "份",
    "张",
]
SUFFIXES = [
    ("证明书", "证明"),
    ("证明信", "证明"),
    ("证明材料", "证明"),
    ("的证明", "证明"),
    ("证明函", "证明"),
]

MATCHER = NameMatcher(fillers=FILLERS, suffixes=SUFFIXES, core_suffix="证明", threshold=THRESHOLD)
normalise = MATCHER.normalise
core = MATCHER.core
similarity = MATCHER.similarity
best_match = MATCHER.best_match

__all__ = [
    "FILLERS",
    "MATCHER",
    "SUFFIXES",
    "THRESHOLD",
    "Match",
    "best_match",
    "core",
    "normalise",
    "similarity",
]
