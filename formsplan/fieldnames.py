"""Field names, normalised in one place: the key two forms share when they collect the same data.

A name is folded (NFKC: full-width to half-width; case; spaces, punctuation and
a trailing "（必填）" dropped) and looked up in the equivalence lexicon
``fixtures/formsplan/field_equivalents.json`` (the product's own list, not a
seed's: 身份证号 / 公民身份号码, 联系电话 / 手机号 …). A name the lexicon does
not know is its own key, so two forms that both ask for "草场面积" still meet.
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import cache
from pathlib import Path

from django.conf import settings

LEXICON = Path(settings.BASE_DIR) / "fixtures" / "formsplan" / "field_equivalents.json"
_DROP = re.compile(r"[\s\-_:：*＊·.。,，、()（）\[\]【】<>《》\"'“”‘’]+")
_REQUIRED = re.compile(r"[(（]必填[)）]$")


def fold(name: str) -> str:
    text = unicodedata.normalize("NFKC", name or "").strip().lower()
    text = _REQUIRED.sub("", text)
    return _DROP.sub("", text)


@cache
def _lexicon() -> tuple[dict[str, str], dict[str, str]]:
    data = json.loads(LEXICON.read_text(encoding="utf-8"))
    keys, labels = {}, {}
    for group in data["groups"]:
        labels[group["key"]] = group["label"]
        for name in group["names"]:
            keys[fold(name)] = group["key"]
    return keys, labels


def field_key(name: str) -> str:
    """The normalised key of a field name (the lexicon's group key, or the folded name)."""
    folded = fold(name)
    return _lexicon()[0].get(folded, folded)[:60]


def key_label(key: str, fallback: str = "") -> str:
    """How a key is shown: the lexicon's label, or the name a form used."""
    return _lexicon()[1].get(key, fallback or key)
