"""逐位表态、一把手末位表态: every member present states a position on every item; the principal last."""

from __future__ import annotations

from collections.abc import Iterator

from generator.core.model import Disclosure, Portal
from generator.rules._util import decision_outcome
from generator.rules.base import Outcome, RuleInfo, RuleSettings, rule
from generator.rules.sources import CHENGDU, JINHU, PILOT

INFO = RuleInfo(
    slug="last_stance",
    title="逐位表态、一把手末位表态",
    summary="每位参会班子成员逐一表态，主要负责人最后表态。",
    basis=f"逐位表态、“一把手”末位表态和逐项表决制度（{PILOT}）；“一把手”末位表态（{CHENGDU}）；乡镇党政正职最后表态（{JINHU}）",
    judges_withheld=True,
    messages={
        "count": "会议实到 {present} 人，但只有 {spoke} 人表态",
        "repeated": "有成员重复表态",
        "silent_principal": "主要负责人{name}未表态",
        "not_last": "主要负责人{name}第 {position} 位表态，没有最后表态（共 {spoke} 人）",
        "problems": "{problems}。",
        "met": "{spoke} 位参会成员逐一表态，主要负责人最后表态。",
    },
)


@rule(INFO)
def check(dis: Disclosure, settings: RuleSettings, portal: Portal) -> Iterator[Outcome]:
    principal = dis.principal
    for d in dis.decisions:
        if d.meeting is None:
            continue
        speakers = [s.member_id for s in d.stances]
        problems = []
        if len(speakers) != d.meeting.members_present:
            problems.append(INFO.say("count", present=d.meeting.members_present, spoke=len(speakers)))
        if len(set(speakers)) != len(speakers):
            problems.append(INFO.say("repeated"))
        if principal is not None and speakers:
            if principal.member_id not in speakers:
                problems.append(INFO.say("silent_principal", name=principal.name))
            elif speakers[-1] != principal.member_id:
                position = speakers.index(principal.member_id) + 1
                problems.append(
                    INFO.say("not_last", name=principal.name, position=position, spoke=len(speakers))
                )
        if problems:
            yield decision_outcome(INFO.slug, d, False, INFO.say("problems", problems="；".join(problems)))
        else:
            yield decision_outcome(INFO.slug, d, True, INFO.say("met", spoke=len(speakers)))
