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
            problems.append(f"会议实到 {d.meeting.members_present} 人，但只有 {len(speakers)} 人表态")
        if len(set(speakers)) != len(speakers):
            problems.append("有成员重复表态")
        if principal is not None and speakers:
            if principal.member_id not in speakers:
                problems.append(f"主要负责人{principal.name}未表态")
            elif speakers[-1] != principal.member_id:
                position = speakers.index(principal.member_id) + 1
                problems.append(
                    f"主要负责人{principal.name}第 {position} 位表态，没有最后表态（共 {len(speakers)} 人）"
                )
        if problems:
            yield decision_outcome(INFO.slug, d, False, "；".join(problems) + "。")
        else:
            yield decision_outcome(
                INFO.slug, d, True, f"{len(speakers)} 位参会成员逐一表态，主要负责人最后表态。"
            )
