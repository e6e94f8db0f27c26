"""Scorecards, trends and member records: the numbers the rule pages show, and static SVG charts.

Charts are plain SVG drawn at build time (readable without JavaScript, no external library), each
with a title, a description and the same numbers as a table: the text alternative.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from generator.core.model import Decision, Disclosure, MemberRecord, Unit
from generator.rules import REGISTRY, Outcome, RuleReport

CATEGORIES = ("重大事项决策", "重要干部任免", "重大项目安排", "大额度资金运作")
EXECUTION = ("已完成", "推进中", "未启动", "已终止")
STANCES = ("同意", "不同意", "弃权", "保留意见")


@dataclass
class RuleRate:
    slug: str
    title: str
    basis: str
    met: int
    checked: int

    @property
    def percent(self) -> float | None:
        return 100 * self.met / self.checked if self.checked else None


@dataclass
class Scorecard:
    disclosure: Disclosure
    meetings: int
    decisions: int
    by_category: Counter[str]
    amount_by_category: dict[str, float]
    execution: Counter[str]
    hearings: int
    rates: list[RuleRate]
    findings: int

    @property
    def compliance(self) -> float | None:
        """Share of all checks met, over every rule (None when nothing was checked)."""
        met = sum(r.met for r in self.rates)
        checked = sum(r.checked for r in self.rates)
        return 100 * met / checked if checked else None


def scorecard(dis: Disclosure, report: RuleReport) -> Scorecard:
    rates = report.rates(dis.unit.unit_id, str(dis.period))
    amounts: dict[str, float] = dict.fromkeys(CATEGORIES, 0.0)
    for d in dis.decisions:
        amounts[d.category] += d.amount_yuan or 0
    return Scorecard(
        disclosure=dis,
        meetings=len(dis.meetings),
        decisions=len(dis.decisions),
        by_category=Counter(d.category for d in dis.decisions),
        amount_by_category=amounts,
        execution=Counter(d.execution_status for d in dis.decisions),
        hearings=len(dis.hearings),
        rates=[
            RuleRate(rule.info.slug, rule.info.title, rule.info.basis, *rates.get(rule.info.slug, (0, 0)))
            for rule in report.enabled_rules
        ],
        findings=sum(1 for o in report.for_package(dis.unit.unit_id, str(dis.period)) if not o.passed),
    )


def member_quarter_records(dis: Disclosure) -> list[MemberRecord]:
    """Each member's record in one quarter, from its package alone: the stances they took, the
    items they led and the meetings they attended. What a member's quarter page shows, kept with its
    quarter when the quarter is unchanged (``generator.render.pages.quarter_pages``)."""
    records = {m.member_id: MemberRecord(dis.unit, m, period=dis.period) for m in dis.members}
    for meeting in dis.meetings:
        if not meeting.decisions:
            continue  # attendance is read from stances: a meeting without items tells nothing
        spoke = {s.member_id for d in meeting.decisions for s in d.stances}
        for member_id, record in records.items():
            record.meetings_eligible += 1
            record.meetings_present += member_id in spoke
    for d in dis.decisions:
        for s in d.stances:
            if s.member_id in records:
                records[s.member_id].stances.append((d, s))
        if d.lead_member_id in records:
            records[d.lead_member_id].led.append(d)
    return sorted(records.values(), key=_member_order)


def member_records(unit: Unit) -> list[MemberRecord]:
    """Each member's record over their whole time in the unit: the sum of their quarters' records
    (``quarters``, oldest first), named as in the latest quarter they appear in."""
    records: dict[str, MemberRecord] = {}
    for dis in unit.disclosures:
        for quarter in member_quarter_records(dis):
            record = records.setdefault(quarter.member.member_id, MemberRecord(unit, quarter.member))
            record.member = quarter.member
            record.stances += quarter.stances
            record.led += quarter.led
            record.meetings_eligible += quarter.meetings_eligible
            record.meetings_present += quarter.meetings_present
            record.quarters.append(quarter)
    return sorted(records.values(), key=_member_order)


def _member_order(record: MemberRecord) -> tuple[bool, int, str]:
    return (not record.member.is_principal, record.member.rank, record.member.member_id)


def member_findings(record: MemberRecord, report: RuleReport) -> list[tuple[Decision | None, Outcome]]:
    """The breaches a member is party to: their own record (e.g. their portfolio), the items they led,
    their own unexplained dissent, and, for a principal, not speaking last."""
    unit = record.unit.unit_id
    member_id = record.member.member_id
    found: list[tuple[Decision | None, Outcome]] = [
        (None, o) for o in report.for_record(unit, f"member:{member_id}") if not o.passed
    ]
    seen = set()
    for d, stance in record.stances:
        for o in report.for_record(unit, f"decision:{d.decision_id}"):
            if o.passed or (d.decision_id, o.rule) in seen:
                continue
            mine = (
                (
                    o.rule == "dissent_recorded"
                    and stance.stance in ("不同意", "保留意见")
                    and not stance.remark.strip()
                )
                or (o.rule == "last_stance" and record.member.is_principal)
                or d.lead_member_id == member_id
            )
            if mine:
                seen.add((d.decision_id, o.rule))
                found.append((d, o))
    for d in record.led:
        for o in report.for_record(unit, f"decision:{d.decision_id}"):
            if not o.passed and (d.decision_id, o.rule) not in seen:
                seen.add((d.decision_id, o.rule))
                found.append((d, o))
    return found


def rule_title(slug: str) -> str:
    return REGISTRY[slug].info.title
