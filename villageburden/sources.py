"""The policy documents the registry's lists and rules come from, and how a reader sees them cited.

The data cites each document by its number in the registry's sources
(``种子002第三部分第（九）项``, ``seed 003 §7``): short and exact for the people
who keep the lists. People reading a page, a slip or a notice see the
document's own title instead (``cite``), never the registry's numbering.
"""

from __future__ import annotations

import re

# By number: the title a citizen or an official would recognise.
DOCUMENTS = {
    "000": "内蒙古自治区《关于规范村级组织工作事务、机制牌子和证明事项的实施意见》",
    "001": "重庆市渝北区村级组织“四张清单”制度",
    "002": "《关于进一步规范村级组织工作事务、机制牌子和证明事项的实施方案》",
    "003": "中办、国办《关于规范村级组织工作事务、机制牌子和证明事项的意见》",
    "004": "《关于开展村（社区）减负工作的实施方案》",
}
_CITED = re.compile(r"(?:种子(?:文件)?|[Ss]eeds?\s*)(00[0-4])(?![0-9])")


def cite_fields(answer: dict, *keys: str) -> dict:
    """``answer`` with the text under each of ``keys`` cited (a public answer, for the page and the API alike)."""
    for key in keys:
        if isinstance(answer.get(key), str):
            answer[key] = cite(answer[key])
    return answer


def cite(text: str) -> str:
    """``text`` with each "种子00N" / "seed 00N" replaced by that document's title."""
    if not text:
        return text
    return _CITED.sub(lambda m: DOCUMENTS[m.group(1)], str(text))
