"""Check-rules stage: the documents' rules (DOMAIN.md), checked on every build.

Each rule is one small module in this package, registered by its slug with the ``rule`` decorator.
``check_portal`` runs every enabled rule over every disclosure and returns a ``RuleReport``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from generator.core.cache import Cache, ContentHash, code_fingerprint
from generator.core.collector import collector_paused
from generator.core.model import History, Portal, Unit
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
from generator.rules.base import (
    REGISTRY,
    Outcome,
    Rule,
    RuleReport,
    RuleSettings,
    outcomes_file,
    recall_outcomes,
    rule_settings,
)
from generator.sources.load import source_key

__all__ = ["REGISTRY", "Outcome", "RuleReport", "check_portal", "outcomes_file"]


def check_portal(portal: Portal, cache: Cache | None = None) -> RuleReport:
    """Every enabled rule over every disclosure, in rule order, then unit and quarter order.

    Rules judge one unit at a time (a rule reads the unit's own quarters and the git date of its
    packages, never another unit), so each unit's outcomes are a function of its ``rules_key``.
    With ``cache``, a unit whose key is unchanged takes its outcomes from the last build that
    judged it (sealed, ``generator.core.cache``); the others are judged now and kept by
    ``RuleReport.remember``."""
    settings = rule_settings(portal.config)
    report = RuleReport(settings, root=str(portal.data_dir))
    enabled = [(slug, rule) for slug, rule in sorted(REGISTRY.items()) if settings[slug].enabled]
    context = ContentHash("gongkai-rules/settings")
    context.add("code", code_fingerprint().encode("ascii"))
    context.add("settings", repr(sorted(settings.items())).encode("utf-8"))
    context_key = context.hexdigest()
    # Outcomes live as long as the build: one string object per distinct text among them (a
    # record's ID, its quarter and file are named by each of its outcomes, and most messages recur).
    pool: dict[str, str] = {}
    by_unit: list[dict[str, list[Outcome]]] = []
    with collector_paused():
        for unit in portal.units:
            key = rules_key(unit, context_key, portal.history)
            report.unit_keys[unit.unit_id] = key
            outcomes = recall_outcomes(cache, unit.unit_id, key) if cache is not None else None
            if outcomes is None:
                outcomes = _check_unit(unit, enabled, settings, portal, pool)
                report.fresh[unit.unit_id] = (key, outcomes)
            by_unit.append(outcomes)
        for slug, _rule in enabled:
            for outcomes in by_unit:
                report.outcomes.extend(outcomes.get(slug, ()))
        report.index()
    return report


def rules_key(unit: Unit, context_key: str, history: History) -> str:
    """What a unit's outcomes are made from: the rules' code and settings (``context_key``), the
    unit's records (``Unit.source_key``) and the git dates of its packages (按期公开)."""
    digest = ContentHash("gongkai-rules/unit")
    digest.add("context", context_key.encode("ascii"))
    digest.add("sources", (unit.source_key or source_key(unit)).encode("ascii"))
    added = [
        (str(d.period), history.packages_added.get(f"{unit.unit_id}/{d.period}")) for d in unit.disclosures
    ]
    digest.add("packages added", repr(added).encode("utf-8"))
    return digest.hexdigest()


def _check_unit(
    unit: Unit,
    enabled: list[tuple[str, Rule]],
    settings: dict[str, RuleSettings],
    portal: Portal,
    pool: dict[str, str],
) -> dict[str, list[Outcome]]:
    """The unit's outcomes by rule slug (decisions withheld by law judged only by the rules that
    read what such a decision keeps)."""
    withheld = {
        (unit.unit_id, f"decision:{d.decision_id}")
        for dis in unit.disclosures
        for d in dis.decisions
        if d.withheld
    }
    found: dict[str, list[Outcome]] = {}
    for slug, rule in enabled:
        outcomes: list[Outcome] = []
        for disclosure in unit.disclosures:
            checked = rule.check(disclosure, settings[slug], portal)
            if withheld and not rule.info.judges_withheld:
                checked = (o for o in checked if (o.unit_id, o.record) not in withheld)
            outcomes.extend(_shared(checked, pool))
        if outcomes:
            found[slug] = outcomes
    return found


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
