"""四不直接分管: the principal does not directly run finance, personnel, procurement or construction."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from generator.core.model import Disclosure, Portal
from generator.rules._util import csv_path
from generator.rules.base import Outcome, RuleInfo, RuleSettings, rule
from generator.rules.sources import JINHU, PILOT

INFO = RuleInfo(
    slug="principal_portfolio",
    title="四不直接分管",
    summary="主要负责人不直接分管财务、人事、物资采购和工程项目。",
    basis=f"正职统筹、副职分管制度：“财务、人事、物资采购、工程项目等涉及三重一大事项由副职分管，正职不直接分管或主管”（{PILOT}）；乡镇党政正职“四不直接分管”（{JINHU}）",
    params={"keywords": ["财务", "人事", "采购", "工程"]},
    setting_text="主要负责人的分管领域不含{keywords}",
    messages={
        "found": "主要负责人{name}的分工“{portfolio}”含{found}，属于不得直接分管的领域。",
        "met": "主要负责人{name}不直接分管财务、人事、物资采购和工程项目。",
    },
)


@rule(INFO)
def check(dis: Disclosure, settings: RuleSettings, portal: Portal) -> Iterator[Outcome]:
    principal = dis.principal
    if principal is None:
        return
    found = [word for word in settings.params["keywords"] if word in principal.portfolio]
    record = f"member:{principal.member_id}"
    where: dict[str, Any] = {"file": csv_path(dis, "members"), "row": principal.row}
    if found:
        message = INFO.say(
            "found", name=principal.name, portfolio=principal.portfolio, found="、".join(found)
        )
        yield Outcome(
            INFO.slug, dis.unit.unit_id, str(dis.period), record, False, message, column="portfolio", **where
        )
    else:
        message = INFO.say("met", name=principal.name)
        yield Outcome(INFO.slug, dis.unit.unit_id, str(dis.period), record, True, message, **where)
