"""决策反对意见的记录: a 不同意 (or 保留意见) stance carries its reasons."""

from __future__ import annotations

from collections.abc import Iterator

from generator.core.model import Disclosure, Portal
from generator.rules._util import decision_outcome
from generator.rules.base import Outcome, RuleInfo, RuleSettings, rule
from generator.rules.sources import CHENGDU

INFO = RuleInfo(
    slug="dissent_recorded",
    title="反对意见记录",
    summary="班子成员表示不同意或保留意见的，应记录其理由。",
    basis=f"“决策反对意见的实施记录”机制（{CHENGDU}）",
    params={"stances": ["不同意", "保留意见"]},
    setting_text="表态为{stances}的须说明理由",
    messages={
        "silent": "{names}未记录理由。",
        "met": "{count} 条不同意或保留意见均记录了理由。",
        "named": "{name}（{stance}）",
    },
)


@rule(INFO)
def check(dis: Disclosure, settings: RuleSettings, portal: Portal) -> Iterator[Outcome]:
    for d in dis.decisions:
        dissent = [s for s in d.stances if s.stance in settings.params["stances"]]
        if not dissent:
            continue
        silent = [s for s in dissent if not s.remark.strip()]
        if silent:
            names = "、".join(
                INFO.say("named", name=s.member.name if s.member else s.member_id, stance=s.stance)
                for s in silent
            )
            yield decision_outcome(INFO.slug, d, False, INFO.say("silent", names=names), "remark")
        else:
            yield decision_outcome(INFO.slug, d, True, INFO.say("met", count=len(dissent)))
