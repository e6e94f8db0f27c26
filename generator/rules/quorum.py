"""到会人数: enough members present for the meeting to decide (more for personnel items)."""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction

from generator.core.model import Disclosure, Portal
from generator.rules._util import meeting_outcome
from generator.rules.base import Outcome, RuleInfo, RuleSettings, rule

INFO = RuleInfo(
    slug="quorum",
    title="到会人数",
    summary="会议须有半数以上成员到会；讨论决定干部任免事项须有三分之二以上成员到会。",
    basis="《中国共产党地方委员会工作条例》《中国共产党党组工作条例》关于到会人数的规定",
    params={"general": "1/2", "appointments": "2/3"},
    setting_text="一般事项到会人数须超过应到人数的 {general}，干部任免事项须达到 {appointments}",
    messages={
        "need_two_thirds": "三分之二以上（{share}）",
        "need_half": "半数以上（>{share}）",
        "attendance": "应到 {total} 人，实到 {present} 人",
        "met": "{attendance}，达到{need}。",
        "personnel": "审议干部任免事项，",
        "short": "{title}{what}{attendance}，未达到{need}。",
    },
)


@rule(INFO)
def check(dis: Disclosure, settings: RuleSettings, portal: Portal) -> Iterator[Outcome]:
    general, appointments = Fraction(settings.params["general"]), Fraction(settings.params["appointments"])
    for m in dis.meetings:
        personnel = any(d.category == "重要干部任免" for d in m.decisions)
        share = Fraction(m.members_present, m.members_total)
        # appointments: at least two thirds; otherwise: more than half
        ok = share >= appointments if personnel else share > general
        need = (
            INFO.say("need_two_thirds", share=appointments)
            if personnel
            else INFO.say("need_half", share=general)
        )
        text = INFO.say("attendance", total=m.members_total, present=m.members_present)
        if ok:
            yield meeting_outcome(INFO.slug, dis, m, True, INFO.say("met", attendance=text, need=need))
        else:
            what = INFO.say("personnel") if personnel else ""
            yield meeting_outcome(
                INFO.slug,
                dis,
                m,
                False,
                INFO.say("short", title=m.title, what=what, attendance=text, need=need),
                "members_present",
            )
