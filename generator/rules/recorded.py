"""全程纪实: minutes, summary and recording are archived for each meeting."""

from __future__ import annotations

from collections.abc import Iterator

from generator.core.model import Disclosure, Portal
from generator.rules._util import meeting_outcome
from generator.rules.base import Outcome, RuleInfo, RuleSettings, rule
from generator.rules.sources import CHENGDU, PILOT

INFO = RuleInfo(
    slug="recorded",
    title="全程纪实",
    summary="会议记录、会议纪要和全程录音统一归档备查。",
    basis=f"全程纪实制度：“将会议记录、会议纪要以及全程录音载体统一归档备查”（{PILOT}）；“三重一大”决策全程纪实（{CHENGDU}）",
    messages={
        "met": "会议全程纪实并归档。",
        "missing": "{title}（{date}）未全程纪实。",
    },
)


@rule(INFO)
def check(dis: Disclosure, settings: RuleSettings, portal: Portal) -> Iterator[Outcome]:
    for m in dis.meetings:
        if m.recorded:
            yield meeting_outcome(INFO.slug, dis, m, True, INFO.say("met"))
        else:
            yield meeting_outcome(
                INFO.slug, dis, m, False, INFO.say("missing", title=m.title, date=m.date), "recorded"
            )
