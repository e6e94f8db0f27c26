"""五不上会: a major decision comes to the meeting only after research, expert review, risk assessment,
legality review and a contingency plan, or with an explicit, explained exemption."""

from __future__ import annotations

from collections.abc import Iterator

from generator.core.model import PRECONDITIONS, Disclosure, Portal
from generator.rules._util import decision_outcome
from generator.rules.base import Outcome, RuleInfo, RuleSettings, rule
from generator.rules.sources import SUINING

INFO = RuleInfo(
    slug="five_preconditions",
    title="五不上会",
    summary="重大决策须经调查研究、专家论证、风险评估、合法性审查并制定预案；不适用的须说明理由。",
    basis=f"“五不上会”：“凡属重大决策，未经调查研究、未经专家论证、未经风险评估、未经合法性审查、没有预案的一律不上会”（{SUINING}）",
    params={"categories": ["重大事项决策", "重大项目安排", "大额度资金运作"]},
    setting_text="适用于{categories}事项",
    messages={
        "missing": "未经{missing}即上会决策。",
        "unexplained": "{exempt}标为“不适用”，但没有说明理由。",
        "met": "五项前置程序均已完成或已说明不适用的理由。",
    },
)


@rule(INFO)
def check(dis: Disclosure, settings: RuleSettings, portal: Portal) -> Iterator[Outcome]:
    for d in dis.decisions:
        if d.category not in settings.params["categories"]:
            continue
        missing = [label for name, label in PRECONDITIONS if getattr(d, name) == "未完成"]
        exempt = [label for name, label in PRECONDITIONS if getattr(d, name) == "不适用"]
        if missing:
            yield decision_outcome(
                INFO.slug, d, False, INFO.say("missing", missing="、".join(missing)), "pre_*"
            )
        elif exempt and not d.exemption_reason.strip():
            yield decision_outcome(
                INFO.slug, d, False, INFO.say("unexplained", exempt="、".join(exempt)), "exemption_reason"
            )
        else:
            yield decision_outcome(INFO.slug, d, True, INFO.say("met"))
