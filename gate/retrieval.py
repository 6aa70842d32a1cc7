"""Finding the list item a request is about: BM25 over the words of every field of an item.

A county's lists usually carry only a code, a list, a name and the work content
(编码、清单类别、事项名称、工作内容) — no hand-written keywords. So an item is
found the way a retrieval engine finds a document: the request and every item
are cut into words by jieba (search mode, so 适龄儿童 also yields 儿童), the
domain's synonyms are folded into one word first (低保 / 最低生活保障, 住建局 /
住建部门; ``synonyms`` in ``fixtures/gate/lexicon.json``), and each item is scored
with BM25F: a word found in the name counts more than one in the content, and a
word few items share (劝返, 危房) counts more than one many share (公示, 宣传).

Whether the best item *covers* the request is a separate question from which
item is best. An item covers it when the request's telling words are the item's
words: ``coverage`` is the share of the request's word weight the item matches,
where a word no item has weighs what a word found in one item weighs, so new
work (禁毒 against a list with no drug item) keeps most of its weight unmatched.

The index is built once per catalogue version (``screening.lists_for``) and a
request is scored through postings, so the cost grows with the number of items
that share a word with it, not with the whole list.
"""

from __future__ import annotations

import math
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

# BM25F: per-field weights; a name says what the item is, the content what it does.
FIELD_WEIGHTS: dict[str, float] = {
    "name": 3.0,
    "keywords": 2.5,
    "content": 1.5,
    "category": 0.8,
    "responsible_department": 0.8,
    "scope": 0.4,
    "process": 0.4,
    "materials": 0.4,
    "legal_basis": 0.3,
}
K1, B = 1.2, 0.75
TITLE_WEIGHT = 1.5  # a request's title says what it is about more plainly than its body

_WORD = re.compile(r"[\u4e00-\u9fffa-z0-9]")
_DIGITS = re.compile(r"^[0-9.%]+$")
_HAN = re.compile(r"[\u4e00-\u9fff]")


class Segmenter:
    """A private jieba tokenizer that also knows the lexicon's words (loaded once per process)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        # a jieba.Tokenizer once loaded; jieba ships no type information
        self._tokenizer: Any = None
        self._words: list[str] = []

    def _tok(self) -> Any:
        if self._tokenizer is None:
            with self._lock:
                if self._tokenizer is None:
                    import logging

                    import jieba

                    jieba.setLogLevel(logging.WARNING)
                    t = jieba.Tokenizer()
                    t.initialize()
                    for w in self._words:
                        t.add_word(w)
                    self._tokenizer = t
        return self._tokenizer

    def preload(self, words: Iterable[str]) -> None:
        """Words the tokenizer must keep whole (the lexicon's), added before first use."""
        words = [w for w in words if 2 <= len(w) <= 12]
        with self._lock:
            self._words.extend(words)
            tok = self._tokenizer
        if tok is not None:
            for w in words:
                tok.add_word(w)

    def cut(self, text: str) -> list[list[str]]:
        """jieba's search mode, word by word: [[适龄, 儿童, 适龄儿童], [入学], ...]."""
        tok = self._tok()
        freq = tok.FREQ
        out = []
        for w in tok.cut(text, HMM=False):
            group: list[str] = []
            for n in (2, 3):
                if len(w) > n:
                    group.extend(g for g in (w[i : i + n] for i in range(len(w) - n + 1)) if freq.get(g))
            group.append(w)
            out.append(group)
        return out


segmenter = Segmenter()


@dataclass(frozen=True)
class Vocabulary:
    """How the words of requests and items are made comparable (from the lexicon)."""

    synonyms: tuple[tuple[str, str], ...]  # (variant, canonical), longest variant first
    stopwords: frozenset[str]

    def fold(self, text: str) -> str:
        for variant, canonical in self.synonyms:
            if variant in text:
                text = text.replace(variant, canonical)
        return text

    def wording(self, word: str, text: str) -> str:
        """How ``text`` says ``word``: itself, or the synonym it was folded from (最低生活保障 for 低保)."""
        if word in text:
            return word
        return next((v for v, c in self.synonyms if c == word and v in text), word)

    def groups(self, text: str) -> list[tuple[str, ...]]:
        """The telling words of ``text`` (already normalised), synonyms folded, in order.

        Each group is one word and the shorter words inside it (jieba's search
        mode: 适龄儿童 also gives 适龄, 儿童), so a request can match an item on a
        part of a word while the word still counts once. jieba runs without its
        HMM (three times faster); a run of characters it leaves single (三会一课,
        a word it does not know) gives their bigrams instead.
        """
        out: list[tuple[str, ...]] = []
        run: list[str] = []

        def flush() -> None:
            out.extend((b,) for b in ("".join(run[i : i + 2]) for i in range(len(run) - 1)) if self._keep(b))
            run.clear()

        for group in segmenter.cut(self.fold(text)):
            w = group[-1]
            if len(w) == 1 and _HAN.match(w):
                run.append(w)
                continue
            flush()
            kept = tuple(g for g in group if self._keep(g))
            if kept:
                out.append(kept)
        flush()
        return out

    def words(self, text: str) -> list[str]:
        return [w for group in self.groups(text) for w in group]

    def _keep(self, w: str) -> bool:
        return len(w) >= 2 and w not in self.stopwords and not _DIGITS.match(w) and bool(_WORD.match(w))


@dataclass
class Match:
    """One item's match to a request: the words shared, by field."""

    index: int
    score: float
    coverage: float
    words: dict[str, list[str]] = field(default_factory=dict)  # field -> request words found there
    strength: float = 0.0  # the score in units of the weight of a word only one item has


@dataclass(frozen=True)
class Index:
    """An inverted index over listed items: word -> [(item, weighted tf)], field by field.

    Each posting also holds its BM25 term score, computed once at build time
    (``contrib``: idf × saturated tf, the item's length norm folded in), so a
    search only adds numbers along the postings of the request's words.
    """

    size: int
    postings: dict[str, dict[int, float]]
    fields_of: dict[tuple[str, int], tuple[str, ...]]  # (word, item) -> fields the word is in
    idf: dict[str, float]
    lengths: tuple[float, ...]
    average: float
    unseen_idf: float
    contrib: dict[str, dict[int, float]] = field(default_factory=dict)  # word -> item -> term score

    @classmethod
    def build(cls, docs: list[dict[str, str]], vocab: Vocabulary) -> Index:
        tf: dict[str, dict[int, float]] = {}
        fields_of: dict[tuple[str, int], list[str]] = {}
        lengths = []
        for i, doc in enumerate(docs):
            length = 0.0
            for name, weight in FIELD_WEIGHTS.items():
                text = doc.get(name) or ""
                if not text:
                    continue
                words = vocab.words(text)
                length += weight * len(words)
                for w in words:
                    tf.setdefault(w, {})
                    tf[w][i] = tf[w].get(i, 0.0) + weight
                    seen = fields_of.setdefault((w, i), [])
                    if name not in seen:
                        seen.append(name)
            lengths.append(length)
        n = len(docs)
        idf = {w: math.log(1 + (n - len(p) + 0.5) / (len(p) + 0.5)) for w, p in tf.items()}
        average = (sum(lengths) / n) if n else 1.0
        postings = {w: dict(sorted(p.items())) for w, p in tf.items()}
        norms = [K1 * (1 - B + B * length / average) for length in lengths]
        contrib = {
            w: {i: idf[w] * f * (K1 + 1) / (f + norms[i]) for i, f in p.items()} for w, p in postings.items()
        }
        return cls(
            size=n,
            postings=postings,
            fields_of={k: tuple(v) for k, v in fields_of.items()},
            idf=idf,
            lengths=tuple(lengths),
            average=average,
            # A word no item has weighs like a word exactly one item has.
            unseen_idf=math.log(1 + (n - 1 + 0.5) / 1.5) if n else 1.0,
            contrib=contrib,
        )

    def search(self, query: Query, limit: int = 3) -> list[Match]:
        """The best items for a query, best first (ties by position in the list)."""
        if not self.size or not query.weights:
            return []
        scores: dict[int, float] = {}
        get = scores.get
        for w, qw in query.weights.items():
            postings = self.contrib.get(w)
            if postings is None:
                continue
            for i, c in postings.items():
                scores[i] = get(i, 0.0) + qw * c
        best = sorted(scores, key=lambda i: (-scores[i], i))[:limit]
        # Coverage counts each word of the request once, at its most telling part.
        total = sum(qw * max(self.idf.get(w, self.unseen_idf) for w in g) for g, qw in query.groups)
        out = []
        for i in best:
            matched = 0.0
            for g, qw in query.groups:
                inside = [self.idf[w] for w in g if i in self.postings.get(w, ())]
                if inside:
                    matched += qw * max(inside)
            where: dict[str, list[str]] = {}
            for w in query.weights:
                for name in self.fields_of.get((w, i), ()):
                    where.setdefault(name, []).append(w)
            out.append(
                Match(i, scores[i], matched / total if total else 0.0, where, scores[i] / self.unseen_idf)
            )
        return out


@dataclass(frozen=True)
class Query:
    weights: dict[str, float]  # each word once, a title word weighing more
    groups: tuple[tuple[tuple[str, ...], float], ...]  # (a word and its parts, weight)


def query_of(title: list[tuple[str, ...]], body: list[tuple[str, ...]]) -> Query:
    weights: dict[str, float] = {}
    groups: dict[tuple[str, ...], float] = {}
    for source, weight in ((body, 1.0), (title, TITLE_WEIGHT)):
        for g in source:
            groups[g] = max(groups.get(g, 0.0), weight)
            for w in g:
                weights[w] = max(weights.get(w, 0.0), weight)
    return Query(weights, tuple(groups.items()))
