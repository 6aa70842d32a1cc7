"""Screening a request against a county's lists: block, flag, listed or review.

Requests are written in free Chinese by many departments. A negative matter is
found three ways, from the most to the least literal:

1. *terms*: the matter's own words, its synonyms and the offices named after it
   (``fixtures/gate/lexicon.json``; a county's negative item adds its own name);
2. *pairs*: an action and an object close together in one clause, which catches
   paraphrase (违法建筑拆除 → 拆迁拆违; 引进项目、到位资金 → 招商引资);
3. *similarity*: character bigrams shared with a county's negative item.

The autonomy or assist item that covers a request is found by retrieval over
every field of the items (``gate/retrieval.py``: jieba words, the lexicon's
synonyms, BM25F), so lists without hand-written keywords screen as well.

Negative matters are screened for recall: a block is reviewed by people, a miss
is not (DESIGN §3 guarantee 2). Who is responsible comes from ``village_role``,
and is raised to *responsible* when the text itself makes the village the
responsible subject (由村负责, 村委会为责任主体, 村级组织承担主体责任) unless
it is negated (不得将村级组织作为责任主体).

A county's lists are compiled once per catalogue version and cached in the
process; a new version (or an item edited in place) changes the cache key.

Urban communities have lists of their own (seed 002, end: 三张清单): a request
is screened against the lists that govern each settlement kind among its target
villages (``screen_request``), and a community without a list of its own is
governed by the villages' lists ("参照执行", ``catalogs.selectors.catalogue_for``).
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import asdict, dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Count, Max
from django.utils import timezone

from .choices import Verdict, VillageRole
from .retrieval import FIELD_WEIGHTS, Index, Match, Vocabulary, query_of, segmenter

LEXICON_PATH = Path(settings.BASE_DIR) / "fixtures" / "gate" / "lexicon.json"

NEGATIVE, ASSIST, AUTONOMY = "negative", "assist", "autonomy"
# Thresholds. A negative hit needs little; a listed hit needs a clear match. Its
# evidence is the share of the request's word weight one item matches (coverage,
# 0..1) plus its strength (the BM25 score counted in words only one item has, so
# that it means the same for a list of 3 items or of 400) over STRENGTH_SCALE: a
# long request matching an item on many telling words may leave words unmatched;
# a short one must match nearly all. Set on the tuned part of fixtures/gate/eval
# (bench/bench_screening.py prints the tuned and the held-out figures).
NEGATIVE_SIMILARITY = 0.75
LISTED_EVIDENCE = 0.8
LISTED_MIN_STRENGTH = 2.4
STRENGTH_SCALE = 12.0

_CLAUSE_SPLIT = re.compile(r"[。；;！!？?\n\r]+")
_SPACE = re.compile(r"\s+")
_KEYWORD_SPLIT = re.compile(r"[\s,，、;；/|]+")
# "拆迁拆违工作的责任主体" names the matter 拆迁拆违; the rest says nothing about it.
_BOILERPLATE = re.compile(r"(工作)?(的)?(责任主体|主体责任)$|工作$")


def _simplified(text: str) -> str:
    """Traditional to simplified (seed 000 is traditional; so are some pasted texts), by zhconv's tables."""
    import zhconv  # pure Python, its tables inside the package; loaded on first use

    return zhconv.convert(text, "zh-hans")


def normalise(text: str) -> str:
    """Full-width to half-width, traditional to simplified, no spaces, lower case."""
    out = []
    for ch in text or "":
        code = ord(ch)
        if code == 0x3000:
            continue
        if 0xFF01 <= code <= 0xFF5E and ch not in "，；！？（）：":
            ch = chr(code - 0xFEE0)
        out.append(ch)
    text = _SPACE.sub("", "".join(out))
    if not text.isascii():
        text = _simplified(text)
    return text.lower()


def bigrams(text: str) -> set[str]:
    text = re.sub(r"[^\w]", "", text)
    return {text[i : i + 2] for i in range(len(text) - 1)}


def split_keywords(raw: str) -> list[str]:
    return [k for k in (normalise(w) for w in _KEYWORD_SPLIT.split(raw or "")) if len(k) >= 2]


# --- the lexicon ---------------------------------------------------------------


@dataclass(frozen=True)
class Pair:
    a: tuple[str, ...]
    b: tuple[str, ...]
    window: int


@dataclass(frozen=True)
class Matter:
    key: str
    name: str
    clause: str
    terms: tuple[str, ...]
    pairs: tuple[Pair, ...]
    exclude: tuple[str, ...]
    institutions: tuple[str, ...] = ()  # offices named after the matter (税务所, 征收办); also in terms


@dataclass(frozen=True)
class Lexicon:
    matters: tuple[Matter, ...]
    responsible_strong: tuple[str, ...]
    responsible_weak: tuple[str, ...]
    village_words: tuple[str, ...]
    negations: tuple[str, ...]
    assist_words: tuple[str, ...]
    vocabulary: Vocabulary

    def matter(self, key: str) -> Matter:
        return next(m for m in self.matters if m.key == key)


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    data = json.loads(LEXICON_PATH.read_text(encoding="utf-8"))

    def words(seq) -> tuple[str, ...]:
        # Longest first, then by the words themselves: the same order in every process.
        return tuple(sorted({normalise(w) for w in seq if w}, key=lambda w: (-len(w), w)))

    matters = tuple(
        Matter(
            key=m["key"],
            name=m["name"],
            clause=m["clause"],
            terms=words(m["terms"] + m.get("institutions", []) + [m["name"]]),
            pairs=tuple(Pair(words(p["a"]), words(p["b"]), int(p["window"])) for p in m.get("pairs", [])),
            exclude=words(m.get("exclude", [])),
            institutions=words(m.get("institutions", [])),
        )
        for m in data["matters"]
    )
    synonyms = sorted(
        {(normalise(v), normalise(group[0])) for group in data.get("synonyms", []) for v in group[1:]},
        key=lambda p: (-len(p[0]), p),
    )
    vocabulary = Vocabulary(
        synonyms=tuple(synonyms), stopwords=frozenset(normalise(w) for w in data.get("stopwords", []))
    )
    # jieba must keep the lexicon's words whole (危化品, 最低生活保障 → 低保).
    segmenter.preload([t for m in matters for t in m.terms] + [c for _v, c in synonyms])
    return Lexicon(
        matters=matters,
        responsible_strong=words(data["responsible_strong"]),
        responsible_weak=words(data["responsible_weak"]),
        village_words=words(data["village_words"]),
        negations=words(data["negations"]),
        assist_words=words(data["assist_words"]),
        vocabulary=vocabulary,
    )


def _positions(clause: str, word_list: tuple[str, ...]) -> list[tuple[int, str]]:
    found = []
    for w in word_list:
        start = clause.find(w)
        while start != -1:
            found.append((start, w))
            start = clause.find(w, start + 1)
    return found


def _mask(clause: str, phrases: tuple[str, ...]) -> str:
    for p in phrases:
        if p in clause:
            clause = clause.replace(p, "□" * len(p))
    return clause


@dataclass
class MatterMatch:
    key: str
    matched: list[str] = field(default_factory=list)
    score: float = 0.0
    clauses: set[int] = field(default_factory=set)

    def add(self, words: str, score: float, clause_no: int) -> None:
        if words not in self.matched:
            self.matched.append(words)
        self.score = max(self.score, score)
        self.clauses.add(clause_no)


def detect_matters(clauses: list[str], lex: Lexicon | None = None) -> dict[str, MatterMatch]:
    """Which negative matters the text touches, with the words that show it."""
    lex = lex or lexicon()
    found: dict[str, MatterMatch] = {}
    for m in lex.matters:
        match = MatterMatch(m.key)
        for no, raw in enumerate(clauses):
            clause = _mask(raw, m.exclude)
            masked = clause
            for term in m.terms:  # longest first; mask so a shorter term is not reported twice
                if term in masked:
                    match.add(term, 1.0 if len(term) >= 3 or term == normalise(m.name) else 0.9, no)
                    masked = masked.replace(term, "■" * len(term))
            for pair in m.pairs:
                a_pos = _positions(clause, pair.a)
                if not a_pos:
                    continue
                b_pos = _positions(clause, pair.b)
                for ia, wa in a_pos:
                    for ib, wb in b_pos:
                        if ia == ib or abs(ia - ib) > pair.window:
                            continue
                        if ia < ib + len(wb) and ib < ia + len(wa):
                            continue  # the same characters, not two words
                        first, second = (wa, wb) if ia < ib else (wb, wa)
                        if any(first in t for t in match.matched) and any(second in t for t in match.matched):
                            continue  # already reported
                        match.add(f"{first}…{second}", 0.8, no)
        if match.matched:
            found[m.key] = match
    return found


def _helps(clause: str, at: int, lex: Lexicon) -> bool:
    """Whether the part of the sentence around position ``at`` only asks the village to help."""
    start = max((clause.rfind(sep, 0, at) for sep in "，,：:"), default=-1) + 1
    ends = [i for i in (clause.find(sep, at) for sep in "，,：:") if i != -1]
    part = clause[start : min(ends) if ends else len(clause)]
    return any(w in part for w in lex.assist_words)


def detect_responsible(clauses: list[str], lex: Lexicon | None = None) -> tuple[list[str], set[int], bool]:
    """Phrases that make the village the responsible subject.

    Returns (phrases, clause numbers of weak phrases, whether a strong one was
    found). A strong phrase (责任主体, 主体责任) next to a village word counts for
    the whole request; a weak one (负责, 承担) only for its own clause.
    """
    lex = lex or lexicon()
    phrases: list[str] = []
    weak_clauses: set[int] = set()
    strong = False
    for no, clause in enumerate(clauses):
        villages = _positions(clause, lex.village_words)
        if not villages:
            continue
        for words, is_strong, before, after in (
            (lex.responsible_strong, True, 12, 12),
            (lex.responsible_weak, False, 8, 0),
        ):
            for ip, phrase in _positions(clause, words):
                if "村" in phrase:  # 落实到村, 下达到村: the phrase names the village itself
                    window = clause[max(0, ip - 6) : ip + len(phrase)]
                    if not any(n in window for n in lex.negations):
                        if phrase not in phrases:
                            phrases.append(phrase)
                        strong = strong or is_strong
                        if not is_strong:
                            weak_clauses.add(no)
                    continue
                for iv, vw in villages:
                    # the village word stands before the phrase (由村负责, 村级组织承担主体责任)
                    # or, for strong phrases, just after it (责任主体为村委会)
                    gap_before = ip - (iv + len(vw))
                    gap_after = iv - (ip + len(phrase))
                    if not (0 <= gap_before <= before or (after and 0 <= gap_after <= after)):
                        continue
                    lo = max(0, min(iv, ip) - 6)
                    hi = max(iv + len(vw), ip + len(phrase))
                    if any(n in clause[lo:hi] for n in lex.negations):
                        continue
                    if not is_strong and _helps(clause, ip, lex):
                        continue  # 由村委会负责协助…: responsible only for helping
                    text = clause[min(iv, ip) : hi]
                    if text not in phrases:
                        phrases.append(text)
                    if is_strong:
                        strong = True
                    else:
                        weak_clauses.add(no)
                    break
    return phrases, weak_clauses, strong


# Sub-clauses end at commas and colons; 、 joins the items of one list and does not.
_SUBCLAUSE_SPLIT = re.compile(r"[，,：:]+")
_ACTOR = re.compile(r"(各|每个?|由|本|该)(嘎查)?村")


def actor_subclauses(clauses: list[str], lex: Lexicon | None = None) -> list[str]:
    """Parts of sentences where a village organisation itself does something, not helping anyone.

    "各嘎查村对辖区私搭乱建进行清理拆除" makes the village the one who demolishes,
    whatever role the form claims; "村委会协助..." or "配合..." does not.
    """
    lex = lex or lexicon()
    out = []
    for clause in clauses:
        for part in _SUBCLAUSE_SPLIT.split(clause):
            has_village = _ACTOR.search(part) or any(w in part for w in lex.village_words if len(w) >= 2)
            if not has_village:
                continue
            if any(w in part for w in lex.assist_words) or any(n in part for n in lex.negations):
                continue
            out.append(part)
    return out


# --- a county's compiled lists --------------------------------------------------------


@dataclass(frozen=True)
class CompiledItem:
    code: str
    kind: str
    name: str
    terms: tuple[str, ...] = ()  # negative items: their own words
    name_bigrams: frozenset[str] = frozenset()
    matters: tuple[str, ...] = ()  # negative items: the lexicon matters they stand for
    clause: str = ""
    exclude: tuple[str, ...] = ()  # negative items: the phrases their matters' words never count in


@dataclass(frozen=True)
class CompiledLists:
    key: tuple
    negatives: tuple[CompiledItem, ...]
    listed: tuple[CompiledItem, ...]
    index: Index | None = None  # over ``listed``, in the same order


def _matters_of_item(name: str, matter_text: str, keywords: list[str]) -> tuple[str, ...]:
    """The lexicon matters a county's negative item stands for (by its words)."""
    lex = lexicon()
    text = normalise(f"{name} {matter_text} {' '.join(keywords)}")
    keys = []
    for m in lex.matters:
        if normalise(m.name) in text or any(t in text for t in m.terms if len(t) >= 3):
            keys.append(m.key)
        elif len(bigrams(normalise(m.name)) & bigrams(text)) >= 2:
            keys.append(m.key)
    if not keys:
        found = detect_matters([text])
        keys = [k for k, v in found.items() if v.score >= 0.9]
    return tuple(keys)


def _basis_text(basis: Any) -> str:
    if isinstance(basis, list):
        return " ".join(
            f"{b.get('instrument', '')}{b.get('article', '')}" for b in basis if isinstance(b, dict)
        )
    return str(basis or "")


def _document(it) -> dict[str, str]:
    """The fields of a listed item the retrieval reads (gate/retrieval.py FIELD_WEIGHTS)."""
    text = {
        f: normalise(getattr(it, f, "") or "") for f in ("name", "content", "category", "scope", "process")
    }
    text["materials"] = normalise(getattr(it, "materials", "") or "")
    text["keywords"] = " ".join(split_keywords(getattr(it, "keywords", "") or ""))
    text["legal_basis"] = normalise(_basis_text(getattr(it, "legal_basis", "")))
    return text


def compile_items(items, key: tuple = ()) -> CompiledLists:
    """Compile catalogue items (objects with code/kind/name/content and optionally the other fields)."""
    lex = lexicon()
    negatives, listed, docs = [], [], []
    for it in items:
        if it.kind == NEGATIVE:
            keywords = split_keywords(getattr(it, "keywords", "") or "")
            name = normalise(it.name)
            matter_text = _BOILERPLATE.sub("", normalise(getattr(it, "negative_matter", "") or ""))
            matters = _matters_of_item(name, matter_text, keywords)
            terms = tuple(
                sorted({t for t in [name, matter_text, *keywords] if len(t) >= 2}, key=lambda t: (-len(t), t))
            )
            negatives.append(
                CompiledItem(
                    code=it.code,
                    kind=NEGATIVE,
                    name=it.name,
                    terms=terms,
                    name_bigrams=frozenset(bigrams(matter_text or name)),
                    matters=matters,
                    clause=next((lex.matter(k).clause for k in matters), ""),
                    exclude=tuple(x for k in matters for x in lex.matter(k).exclude),
                )
            )
        else:
            listed.append(CompiledItem(code=it.code, kind=it.kind, name=it.name))
            docs.append(_document(it))
    return CompiledLists(
        key=key,
        negatives=tuple(negatives),
        listed=tuple(listed),
        index=Index.build(docs, lex.vocabulary),
    )


_cache: dict[tuple[str, str], CompiledLists] = {}
_cache_lock = threading.Lock()
VILLAGE, COMMUNITY = "village", "community"


def lists_for(county, on: date | None = None, settlement: str = VILLAGE) -> CompiledLists:
    """The compiled lists in force for ``county``'s villages or communities on ``on``, cached per version."""
    from catalogs.models import CatalogueItem
    from catalogs.selectors import catalogue_for, version_in_force

    on = on or timezone.localdate()
    catalogue = catalogue_for(county, settlement)
    version = version_in_force(catalogue, on) if catalogue else None
    if version is None:
        key: tuple = (county.pk, None, on)
    else:
        # Published versions are frozen, but an item's status may still be changed
        # in place: its count and last update are part of the key.
        stamp = CatalogueItem.objects.filter(version=version).aggregate(n=Count("id"), last=Max("updated"))
        key = (county.pk, version.pk, on, stamp["n"], stamp["last"])
    cached = _cache.get((county.pk, settlement))
    if cached is not None and cached.key == key:
        return cached
    if version is None:
        compiled = compile_items([], key)
    else:
        from catalogs.selectors import items_in_force

        compiled = compile_items(list(items_in_force(county, on, settlement)), key)
    with _cache_lock:
        _cache[(county.pk, settlement)] = compiled
    return compiled


def clear_cache() -> None:
    _cache.clear()


# --- screening ----------------------------------------------------------------------


@dataclass
class Hit:
    item_code: str
    kind: str
    name: str
    matched: list[str]
    score: float
    clause: str = ""
    # listed hits: which words were found in which field of the item, and how the
    # request worded those it says with a synonym ({"低保": "最低生活保障"})
    fields: dict[str, list[str]] = field(default_factory=dict)
    wording: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["score"] = round(self.score, 2)
        return d


@dataclass
class ScreeningResult:
    verdict: str
    hits: list[Hit]
    village_role: str
    effective_role: str
    responsible_phrases: list[str]
    lists_version: Any = None
    # Only when villages and communities are governed by different lists: the
    # verdict of each ({"village": "listed", "community": "review"}).
    by_settlement: dict[str, str] | None = None

    def as_dict(self) -> dict[str, Any]:
        out = {
            "verdict": self.verdict,
            "hits": [h.as_dict() for h in self.hits],
            "village_role": self.village_role,
            "effective_role": self.effective_role,
            "responsible_phrases": self.responsible_phrases,
            "lists_version": self.lists_version,
        }
        if self.by_settlement is not None:
            out["by_settlement"] = self.by_settlement
        return out

    @property
    def negative_hits(self) -> list[Hit]:
        return [h for h in self.hits if h.kind == NEGATIVE]


def listed_matches(compiled: CompiledLists, *, title: str, description: str, extra: str = "") -> list[Match]:
    """The autonomy and assist items closest to the request, best first (BM25F, gate/retrieval.py)."""
    if compiled.index is None or not compiled.listed:
        return []
    vocab = lexicon().vocabulary
    query = query_of(vocab.groups(normalise(title)), vocab.groups(normalise(f"{description}。{extra}")))
    return compiled.index.search(query)


def covers(match: Match) -> bool:
    """Whether the item found covers the request (see LISTED_EVIDENCE)."""
    return (
        match.strength >= LISTED_MIN_STRENGTH
        and match.coverage + match.strength / STRENGTH_SCALE >= LISTED_EVIDENCE
    )


def _clauses(*parts: str) -> list[str]:
    out: list[str] = []
    for part in parts:
        out.extend(c for c in _CLAUSE_SPLIT.split(normalise(part)) if c)
    return out


def screen_compiled(
    compiled: CompiledLists, *, title: str, description: str, village_role: str, extra: str = ""
) -> ScreeningResult:
    lex = lexicon()
    clauses = _clauses(title, description, extra)
    text = "。".join(clauses)
    text_bigrams = bigrams(text)
    matters = detect_matters(clauses, lex)
    phrases, weak_clauses, strong = detect_responsible(clauses, lex)
    actors = actor_subclauses(clauses, lex)

    def acted_by_village(words: list[str]) -> list[str]:
        pieces = {p for w in words for p in w.lstrip("≈").split("…") if len(p) >= 2}
        return [part for part in actors if any(p in part for p in pieces)]

    title_clauses = set(range(len(_clauses(title))))

    hits: list[Hit] = []
    covered: set[str] = set()
    responsible_touch = False
    # Negative items of the county: by their matters, their own words, or similarity.
    # What depends only on the request is worked out once per request, not per item:
    # whether a word occurs in it at all, and its clauses and bigrams with a set of
    # phrases masked (items share them: the exclusions come from the seven matters).
    in_text: dict[str, bool] = {}
    masked_clauses: dict[tuple[str, ...], list[str]] = {(): clauses}
    masked_bigrams: dict[tuple[str, ...], set[str]] = {(): text_bigrams}
    for item in compiled.negatives:
        matched: list[str] = []
        score = 0.0
        touched: set[int] = set()
        for key in item.matters:
            if key in matters:
                matched += [w for w in matters[key].matched if w not in matched]
                score = max(score, matters[key].score)
                touched |= matters[key].clauses
                covered.add(key)
        exclude = item.exclude
        # A word in no clause of the request is in none of its masked clauses either.
        terms = []
        for term in item.terms:
            present = in_text.get(term)
            if present is None:
                present = in_text[term] = term in text or "□" in term
            if present:
                terms.append(term)
        if terms:
            if exclude not in masked_clauses:
                masked_clauses[exclude] = [_mask(raw, exclude) for raw in clauses]
            for no, clause in enumerate(masked_clauses[exclude]):
                for term in terms:
                    if term in clause and term not in matched:
                        matched.append(term)
                        score = max(score, 1.0)
                        touched.add(no)
        if not matched and len(item.name_bigrams) >= 3:
            if exclude not in masked_bigrams:
                masked_bigrams[exclude] = bigrams(_mask(text, exclude))
            common = item.name_bigrams & masked_bigrams[exclude]
            sim = len(common) / len(item.name_bigrams)
            if sim >= NEGATIVE_SIMILARITY:
                matched.append("≈" + "".join(sorted(common)))
                score = sim
                touched = set(range(len(clauses)))
        if matched:
            hits.append(Hit(item.code, NEGATIVE, item.name, matched, score, item.clause))
            if touched & weak_clauses:
                responsible_touch = True
            for part in acted_by_village(matched):
                responsible_touch = True
                if part not in phrases:
                    phrases.append(part)
    # The seven matters bind even where a county has not (yet) listed them.
    for key, match in matters.items():
        if key in covered:
            continue
        m = lex.matter(key)
        hits.append(Hit("", NEGATIVE, m.name, match.matched, match.score, m.clause))
        if match.clauses & weak_clauses:
            responsible_touch = True
        for part in acted_by_village(match.matched):
            responsible_touch = True
            if part not in phrases:
                phrases.append(part)
    if weak_clauses & title_clauses and any(h.kind == NEGATIVE for h in hits):
        responsible_touch = True

    effective = village_role
    if strong or responsible_touch:
        effective = VillageRole.RESPONSIBLE

    # Autonomy and assist items that already cover the task (listed: no approval needed).
    # Only the best item: the one the request would be dispatched under.
    best = next(iter(listed_matches(compiled, title=title, description=description, extra=extra)), None)
    if best is not None and covers(best):
        item = compiled.listed[best.index]
        found = list(dict.fromkeys(w for words in best.words.values() for w in words))
        said = {w: lex.vocabulary.wording(w, text) for w in found}
        hits.append(
            Hit(
                item.code,
                item.kind,
                item.name,
                found,
                best.coverage,
                fields={f: best.words[f] for f in FIELD_WEIGHTS if f in best.words},
                wording={w: v for w, v in said.items() if v != w},
            )
        )

    hits.sort(key=lambda h: (h.kind != NEGATIVE, -h.score, h.item_code))
    negative = [h for h in hits if h.kind == NEGATIVE]
    if negative:
        verdict = Verdict.BLOCK if effective == VillageRole.RESPONSIBLE else Verdict.FLAG
    elif hits:
        verdict = Verdict.LISTED
    else:
        verdict = Verdict.REVIEW
    return ScreeningResult(
        verdict=str(verdict),
        hits=hits,
        village_role=village_role,
        effective_role=str(effective),
        responsible_phrases=phrases,
        lists_version=compiled.key[1] if len(compiled.key) > 1 else None,
    )


# The stricter verdict wins when a request reaches villages and communities under different lists.
_VERDICT_ORDER: list[str] = [Verdict.BLOCK, Verdict.FLAG, Verdict.REVIEW, Verdict.LISTED]


def _merge(results: dict[str, ScreeningResult]) -> ScreeningResult:
    first = next(iter(results.values()))
    hits: list[Hit] = []
    seen: set[tuple[str, str, str]] = set()
    phrases: list[str] = []
    for result in results.values():
        for h in result.hits:
            if (h.item_code, h.kind, h.name) not in seen:
                seen.add((h.item_code, h.kind, h.name))
                hits.append(h)
        phrases += [p for p in result.responsible_phrases if p not in phrases]
    hits.sort(key=lambda h: (h.kind != NEGATIVE, -h.score, h.item_code))
    responsible = any(r.effective_role == VillageRole.RESPONSIBLE for r in results.values())
    return ScreeningResult(
        verdict=str(min((r.verdict for r in results.values()), key=_VERDICT_ORDER.index)),
        hits=hits,
        village_role=first.village_role,
        effective_role=str(VillageRole.RESPONSIBLE) if responsible else first.effective_role,
        responsible_phrases=phrases,
        lists_version=first.lists_version,
        by_settlement={kind: r.verdict for kind, r in results.items()},
    )


def screen(
    *,
    county,
    title: str,
    description: str,
    village_role: str,
    extra: str = "",
    on=None,
    settlements: list[str] | None = None,
):
    """Screen one request against the lists in force for ``county`` (a Division).

    ``settlements``: the kinds of the villages it reaches (default: villages only).
    Kinds governed by the same list are screened once.
    """
    compiled: dict[str, CompiledLists] = {}
    for kind in sorted(set(settlements or [VILLAGE]), key=lambda k: k != VILLAGE):
        lists = lists_for(county, on, kind)
        if all(c.key[1:] != lists.key[1:] for c in compiled.values()):
            compiled[kind] = lists
    results = {
        kind: screen_compiled(
            lists, title=title, description=description, village_role=village_role, extra=extra
        )
        for kind, lists in compiled.items()
    }
    return next(iter(results.values())) if len(results) == 1 else _merge(results)


def settlements_of(villages) -> list[str]:
    """The settlement kinds among ``villages`` (a Division queryset); a row without one counts as a village."""
    kinds = set(villages.order_by().values_list("settlement_kind", flat=True).distinct())
    return sorted({COMMUNITY if k == COMMUNITY else VILLAGE for k in kinds}) or [VILLAGE]


def screen_request(req):
    """Screen an access request against the lists that govern the villages and communities it reaches."""
    from .services._common import scope_villages

    return screen(
        county=req.division,
        title=req.title,
        description=req.description,
        village_role=req.village_role,
        extra=f"{req.materials}\n{req.legal_basis}",
        settlements=settlements_of(scope_villages(req)),
    )


def screen_draft(
    *,
    county,
    title: str,
    description: str,
    village_role: str,
    materials: str = "",
    legal_basis: str = "",
    scope_kind: str = "county",
    scope_codes: list[str] | None = None,
):
    """What a request filed with these fields would be screened as: the form's live preview.

    The same fields and the same scope as ``screen_request`` reads once the
    request is saved, so the preview tells the submitter the verdict they will get.
    """
    from .services._common import villages_in_scope

    return screen(
        county=county,
        title=title,
        description=description,
        village_role=village_role,
        extra=f"{materials}\n{legal_basis}",
        settlements=settlements_of(villages_in_scope(county, scope_kind, scope_codes or [])),
    )
