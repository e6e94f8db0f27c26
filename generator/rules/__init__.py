"""Check-rules stage: the documents' rules (DOMAIN.md), checked on every build.

Each rule is one small module in this package, registered by its slug with the ``rule`` decorator.
``check_portal`` runs every enabled rule over every disclosure and returns a ``RuleReport``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from generator.core.model import Portal
from generator.rules import (  # noqa: F401  (importing a rule module registers it)
    advance_notice,
    ballot,
    dissent,
    execution,
    five_preconditions,
    last_stance,
    negative_list,
    power_basis,
    principal_portfolio,
    quorum,
    recorded,
    timely,
)
from generator.rules.base import REGISTRY, Outcome, RuleReport, rule_settings

__all__ = ["REGISTRY", "Outcome", "RuleReport", "check_portal"]


def check_portal(portal: Portal) -> RuleReport:
    settings = rule_settings(portal.config)
    report = RuleReport(settings, root=str(portal.data_dir))
    withheld = {
        (d.disclosure.unit.unit_id, f"decision:{d.decision_id}")
        for d in portal.decisions()
        if d.withheld and d.disclosure is not None
    }
    # Outcomes live as long as the build: one string object per distinct text among them (a
    # record's ID, its quarter and file are named by each of its outcomes, and most messages recur).
    pool: dict[str, str] = {}
    for slug, rule in sorted(REGISTRY.items()):
        if settings[slug].enabled:
            for disclosure in portal.disclosures:
                outcomes = rule.check(disclosure, settings[slug], portal)
                if withheld and not rule.info.judges_withheld:
                    outcomes = (o for o in outcomes if (o.unit_id, o.record) not in withheld)
                report.outcomes.extend(_shared(outcomes, pool))
    report.index()
    return report


def _shared(outcomes: Iterable[Outcome], pool: dict[str, str]) -> Iterator[Outcome]:
    share = pool.setdefault
    for o in outcomes:
        yield Outcome(
            o.rule,
            o.unit_id,
            share(o.period, o.period),
            share(o.record, o.record),
            o.passed,
            share(o.message, o.message),
            share(o.file, o.file),
            o.row,
            o.column,
        )
