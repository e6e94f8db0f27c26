"""定期公开: a quarter's package is committed within the configured number of days after the quarter."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from generator.core.model import Disclosure, Portal
from generator.rules.base import Outcome, RuleInfo, RuleSettings, rule
from generator.rules.sources import PILOT

INFO = RuleInfo(
    slug="timely_disclosure",
    title="按期公开",
    summary="每季度的公开数据在季度结束后规定天数内提交发布（以数据提交发布的日期为准）。",
    basis=f"定期公开制度：权力清单、负面清单以及决策执行情况“按季度定期在相应范围内公开”，明确“公开期限及形式”（{PILOT}）",
    params={"deadline_days": 15},
    setting_text="季度结束后 {deadline_days} 天内公开",
    messages={
        "met": "季度结束后 {days} 天内（{committed}）公开。",
        "late": "{period}数据于 {committed} 才提交公开，晚于期限 {deadline}（季度结束后 {deadline_days} 天）。",
    },
)


@rule(INFO)
def check(dis: Disclosure, settings: RuleSettings, portal: Portal) -> Iterator[Outcome]:
    committed = portal.history.packages_added.get(f"{dis.unit.unit_id}/{dis.period}")
    if committed is None:
        return  # not in git (yet): nothing to judge
    end = dis.period.end
    deadline = end + dt.timedelta(days=settings.params["deadline_days"])
    days = (dt.date.fromisoformat(committed) - end).days
    record: dict[str, Any] = {"unit_id": dis.unit.unit_id, "period": str(dis.period), "record": "package",
              "file": f"{dis.unit.unit_id}/{dis.period}/datapackage.json"}  # fmt: skip
    if dt.date.fromisoformat(committed) <= deadline:
        yield Outcome(
            INFO.slug, passed=True, message=INFO.say("met", days=days, committed=committed), **record
        )
    else:
        yield Outcome(
            INFO.slug, passed=False,
            message=INFO.say("late", period=dis.period.label, committed=committed, deadline=deadline, deadline_days=settings.params["deadline_days"]),
            **record,
        )  # fmt: skip
