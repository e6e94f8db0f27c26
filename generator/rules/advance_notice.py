"""预告会商: meeting materials reach members at least one day before the meeting."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from generator.core.model import Disclosure, Portal
from generator.rules._util import meeting_outcome
from generator.rules.base import Outcome, RuleInfo, RuleSettings, rule
from generator.rules.sources import PILOT

INFO = RuleInfo(
    slug="advance_notice",
    title="预告会商",
    summary="会议议题材料至少提前 1 天送达参会人员。",
    basis=f"预告会商机制：召开“三重一大”决策会议前，“至少提前1天将相关议题材料预告并送达参会人员审阅”（{PILOT}）",
    params={"min_days": 1},
    setting_text="议题材料至少提前 {min_days} 天送达",
    messages={
        "met": "议题材料于会前 {days} 天送达。",
        "late": "{title}（{date}）的议题材料{when}（{notice_date}）才送达，应至少提前 {need} 天。",
        "same_day": "会议当天",
        "after": "会议之后",
        "before": "会前 {days} 天",
    },
)


@rule(INFO)
def check(dis: Disclosure, settings: RuleSettings, portal: Portal) -> Iterator[Outcome]:
    need = settings.params["min_days"]
    for m in dis.meetings:
        days = (dt.date.fromisoformat(m.date) - dt.date.fromisoformat(m.notice_date)).days
        if days >= need:
            yield meeting_outcome(INFO.slug, dis, m, True, INFO.say("met", days=days))
        else:
            when = (
                INFO.say("same_day")
                if days == 0
                else (INFO.say("after") if days < 0 else INFO.say("before", days=days))
            )
            yield meeting_outcome(
                INFO.slug, dis, m, False,
                INFO.say("late", title=m.title, date=m.date, when=when, notice_date=m.notice_date, need=need),
                "notice_date",
            )  # fmt: skip
