"""负面清单: a money or project decision led by the principal touches the 四不直接分管 negative item."""

from __future__ import annotations

from collections.abc import Iterator

from generator.core.model import Disclosure, Portal
from generator.rules._util import decision_outcome
from generator.rules.base import Outcome, RuleInfo, RuleSettings, rule
from generator.rules.sources import PILOT

INFO = RuleInfo(
    slug="negative_list",
    title="负面清单",
    summary="资金、项目、采购类事项不由主要负责人直接牵头（触及负面清单中“不直接分管”的条目即标记）。",
    basis=f"三重一大决策事项负面清单制度；正职“不直接分管或主管”财务、人事、物资采购、工程项目等事项（{PILOT}）",
    params={"categories": ["大额度资金运作", "重大项目安排"]},
    setting_text="检查{categories}事项的牵头人",
    messages={
        "cite_item": "负面清单第 {item_id} 条“{content}”",
        "cite_rule": "“主要负责人不直接分管”的要求",
        "led": "由主要负责人{name}直接牵头{category}事项，触及{cite}。",
        "met": "不由主要负责人直接牵头，未触及负面清单。",
    },
)


@rule(INFO)
def check(dis: Disclosure, settings: RuleSettings, portal: Portal) -> Iterator[Outcome]:
    item = next((n for n in dis.negative_items if "分管" in n.content), None)
    cite = (
        INFO.say("cite_item", item_id=item.item_id, content=item.content) if item else INFO.say("cite_rule")
    )
    for d in dis.decisions:
        if d.category not in settings.params["categories"]:
            continue
        if d.lead_member is not None and d.lead_member.is_principal:
            yield decision_outcome(
                INFO.slug,
                d,
                False,
                INFO.say("led", name=d.lead_member.name, category=d.category, cite=cite),
                "lead_member_id",
            )
        else:
            yield decision_outcome(INFO.slug, d, True, INFO.say("met"))
