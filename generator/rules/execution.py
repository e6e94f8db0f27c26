"""决策跟踪反馈: a decision still 未启动 two quarters later is flagged."""

from __future__ import annotations

from collections.abc import Iterator

from generator.model import Disclosure, Portal
from generator.rules._util import decision_outcome
from generator.rules.base import Outcome, RuleInfo, RuleSettings, rule

INFO = RuleInfo(
    slug="execution_followup",
    title="决策执行跟踪",
    summary="决策作出两个季度后仍“未启动”的，标记为执行滞后。",
    basis="督查报告制度、决策跟踪反馈（种子文件 000、001、002）",
    params={"quarters": 2},
    judges_withheld=True,
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
                f"决策作出已 {age} 个季度（截至{latest.period.label}），仍未启动执行。",
                "execution_status",
            )
        else:
            yield decision_outcome(INFO.slug, d, True, f"执行状态：{d.execution_status}。")
