"""票决: personnel items are decided by secret ballot."""

from __future__ import annotations

from collections.abc import Iterator

from generator.core.model import Disclosure, Portal
from generator.rules._util import decision_outcome
from generator.rules.base import Outcome, RuleInfo, RuleSettings, rule
from generator.rules.sources import SUINING

INFO = RuleInfo(
    slug="ballot",
    title="干部任免票决",
    summary="重要干部任免事项实行无记名票决。",
    basis=f"“对干部事项实行无记名票决制”，重大事项“实行记名票决”（{SUINING}）",
    params={"method": "无记名票决"},
    setting_text="干部任免事项的表决方式应为{method}",
    judges_withheld=True,
    messages={
        "met": "干部任免事项实行{method}。",
        "other": "干部任免事项采用“{vote_method}”，应实行{method}。",
    },
)


@rule(INFO)
def check(dis: Disclosure, settings: RuleSettings, portal: Portal) -> Iterator[Outcome]:
    method = settings.params["method"]
    for d in dis.decisions:
        if d.category != "重要干部任免":
            continue
        if d.vote_method == method:
            yield decision_outcome(INFO.slug, d, True, INFO.say("met", method=method))
        else:
            yield decision_outcome(
                INFO.slug,
                d,
                False,
                INFO.say("other", vote_method=d.vote_method, method=method),
                "vote_method",
            )
