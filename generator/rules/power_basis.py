"""权力清单依据: every decision cites the power-list item that authorises it."""

from __future__ import annotations

from collections.abc import Iterator

from generator.core.model import Disclosure, Portal
from generator.rules._util import decision_outcome
from generator.rules.base import Outcome, RuleInfo, RuleSettings, rule
from generator.rules.sources import PILOT, SUINING

INFO = RuleInfo(
    slug="power_basis",
    title="权力清单依据",
    summary="每个决策事项都注明授权其作出的权力清单事项。",
    basis=f"三重一大决策事项权力清单制度（{PILOT}）；领导干部权力清单与职责清单“两张清单”制度（{SUINING}）",
    messages={
        "met": "依据权力清单事项“{item}”作出。",
        "missing": "未注明依据的权力清单事项。",
    },
)


@rule(INFO)
def check(dis: Disclosure, settings: RuleSettings, portal: Portal) -> Iterator[Outcome]:
    for d in dis.decisions:
        if d.power_item is not None:
            yield decision_outcome(INFO.slug, d, True, INFO.say("met", item=d.power_item.name))
        else:
            yield decision_outcome(INFO.slug, d, False, INFO.say("missing"), "power_item_id")
