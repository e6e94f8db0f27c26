"""决策跟踪反馈: a decision still 未启动 two quarters later is flagged."""

from __future__ import annotations

from collections.abc import Iterator

from generator.core.model import Disclosure, Portal
from generator.rules._util import decision_outcome
from generator.rules.base import Outcome, RuleInfo, RuleSettings, rule
from generator.rules.sources import PILOT, PRINCIPAL

INFO = RuleInfo(
    slug="execution_followup",
    title="决策执行跟踪",
    summary="决策作出两个季度后仍“未启动”的，标记为执行滞后。",
    basis=f"督查报告制度：“加强对三重一大决策事项执行情况的跟踪督查”（{PILOT}）；“健全决策跟踪和反馈机制”（{PRINCIPAL}）",
    params={"quarters": 2},
    setting_text="决策作出 {quarters} 个季度后仍未启动的标记为执行滞后",
    judges_withheld=True,
    messages={
        "not_started": "决策作出已 {age} 个季度（截至{latest}），仍未启动执行。",
        "status": "执行状态：{status}。",
    },
)


@rule(INFO)
def check(dis: Disclosure, settings: RuleSettings, portal: Portal) -> Iterator[Outcome]:
    latest = dis.unit.latest
    if latest is None:
        return
    age = latest.period.ordinal - dis.period.ordinal
    if age < settings.params["quarters"]:
        return  # too recent to judge
    for d in dis.decisions:
        if d.execution_status == "未启动":
            yield decision_outcome(
                INFO.slug,
                d,
                False,
                INFO.say("not_started", age=age, latest=latest.period.label),
                "execution_status",
            )
        else:
            yield decision_outcome(INFO.slug, d, True, INFO.say("status", status=d.execution_status))
