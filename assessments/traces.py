"""Cues that a criterion measures a trace (留痕) rather than a result, each with the rule it breaks.

Seed 000 §5(五) and seed 002 §(五): "坚决杜绝简单以设机制挂牌子安排村级组织任务、
以填报表格或者提供材料调度村级组织工作、以'是否留痕'印证村级组织实绩"; seed 002
§(五) and seed 000 §4: "不得简单以上传工作场景截图或者录制视频等作为评价村级组织是否
落实工作的依据". The assessment is to be "以问题解决到位、群众满意为导向" (seed 000
§5(五)) with "群众满意度为主要衡量标准" (seed 004 task 13).

A warning, not a refusal: the township may mean a result ("photos of the
repaired road" is still a trace; "the road repaired" is the result) — the
county reviewer sees the warning and the rule beside the criterion.
"""

from __future__ import annotations

from dataclasses import dataclass

from villageburden.sources import cite

RULE_TRACE = cite("坚决杜绝……以“是否留痕”印证村级组织实绩（种子000第五条（五）、种子002第三部分（五））")
RULE_SCREENSHOT = cite(
    "不得简单以上传工作场景截图或者录制视频等作为评价村级组织是否落实工作的依据（种子002第三部分（五））"
)
RULE_FORMS = cite(
    "坚决杜绝……以填报表格或者提供材料调度村级组织工作（种子000第五条（五）、种子002第三部分（五））"
)
RULE_PLAQUES = cite(
    "坚决杜绝简单以设机制挂牌子安排村级组织任务（种子000第五条（五）、种子002第三部分（五））"
)
RULE_MEETINGS = cite(
    "建立以问题解决到位、农牧民群众满意为导向的考核评价机制（种子000第五条（五））：会议次数、"
    "活动场次衡量的是过程痕迹，不是问题解决"
)


@dataclass(frozen=True)
class TraceCue:
    word: str
    what: str
    rule: str


CUES: tuple[TraceCue, ...] = (
    TraceCue("留痕", "是否留痕", RULE_TRACE),
    TraceCue("痕迹", "是否留痕", RULE_TRACE),
    TraceCue("台账", "台账资料", RULE_TRACE),
    TraceCue("档案资料", "台账资料", RULE_TRACE),
    TraceCue("截图", "工作截图", RULE_SCREENSHOT),
    TraceCue("照片", "照片", RULE_SCREENSHOT),
    TraceCue("拍照", "照片", RULE_SCREENSHOT),
    TraceCue("视频", "视频", RULE_SCREENSHOT),
    TraceCue("上传", "上传材料", RULE_SCREENSHOT),
    TraceCue("打卡", "打卡", RULE_SCREENSHOT),
    TraceCue("填报", "填报表格", RULE_FORMS),
    TraceCue("表格", "填报表格", RULE_FORMS),
    TraceCue("报表", "填报表格", RULE_FORMS),
    TraceCue("提供材料", "提供材料", RULE_FORMS),
    TraceCue("报送材料", "提供材料", RULE_FORMS),
    TraceCue("挂牌", "挂牌子", RULE_PLAQUES),
    TraceCue("牌子", "挂牌子", RULE_PLAQUES),
    TraceCue("标牌", "挂牌子", RULE_PLAQUES),
    TraceCue("会议次数", "会议次数", RULE_MEETINGS),
    TraceCue("开会次数", "会议次数", RULE_MEETINGS),
    TraceCue("召开会议", "会议次数", RULE_MEETINGS),
    TraceCue("活动场次", "活动场次", RULE_MEETINGS),
)


@dataclass(frozen=True)
class TraceWarning:
    word: str
    what: str
    rule: str


def trace_warnings(*texts: str) -> list[TraceWarning]:
    """The trace cues found in a criterion's name and description, one warning per rule."""
    text = "".join(t or "" for t in texts)
    found: dict[str, TraceWarning] = {}
    for cue in CUES:
        if cue.word in text and cue.rule not in found:
            found[cue.rule] = TraceWarning(cue.word, cue.what, cue.rule)
    return list(found.values())
