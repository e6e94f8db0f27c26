"""逾期未公开: units that have not published a quarter whose disclosure deadline has passed.

"Now" is the date of the data's latest git commit, not the wall clock, so that the same input always
gives the same site. The deadline is the ``timely_disclosure`` rule's (quarter end + ``deadline_days``);
with that rule disabled, nothing is reported overdue.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from generator.core.datatree import Period
from generator.core.model import Portal, Unit
from generator.rules import RuleReport


@dataclass(frozen=True)
class Overdue:
    unit: Unit
    period: Period
    deadline: dt.date


def overdue_units(portal: Portal, rules: RuleReport, as_of: dt.date | None) -> list[Overdue]:
    setting = rules.settings.get("timely_disclosure")
    if as_of is None or setting is None or not setting.enabled or not portal.periods:
        return []
    days = dt.timedelta(days=setting.params["deadline_days"])
    periods = [*portal.periods, portal.periods[-1].next()]
    found = []
    for unit in portal.units:
        published = {d.period for d in unit.disclosures}
        first = min(published) if published else portal.periods[0]
        for period in periods:
            deadline = period.end + days
            if period >= first and period not in published and deadline < as_of:
                found.append(Overdue(unit, period, deadline))
    return found
