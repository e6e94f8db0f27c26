"""Typed records of a portal, as loaded from validated data packages."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.core.config import PortalConfig
from generator.core.datatree import Period
from generator.core.schema import dependent_tables, field_info, resource_spec


@dataclass(slots=True)
class Member:
    member_id: str
    name: str
    position: str
    is_principal: bool
    rank: int
    portfolio: str
    row: int = 0  # row in members.csv as a spreadsheet shows it (header = 1)


@dataclass(slots=True)
class PowerStep:
    step_no: int
    step: str
    actor: str
    time_limit: str


@dataclass(slots=True)
class PowerItem:
    item_id: str
    category: str
    name: str
    holder: str
    basis: str
    procedure: str
    complaint_channel: str
    risk_level: str
    steps: list[PowerStep] = field(default_factory=list)


@dataclass(slots=True)
class NegativeItem:
    item_id: str
    applies_to: str
    content: str
    basis: str
    consequence: str


@dataclass(slots=True)
class Meeting:
    meeting_id: str
    meeting_type: str
    title: str
    date: str
    notice_date: str
    members_total: int
    members_present: int
    host_member_id: str
    recorded: bool
    row: int = 0
    decisions: list[Decision] = field(default_factory=list)


@dataclass(slots=True)
class Stance:
    order: int
    member_id: str
    stance: str
    remark: str
    member: Member | None = None


@dataclass(slots=True)
class Hearing:
    hearing_id: str
    hearing_type: str
    date: str
    subject: str
    decision_id: str
    participants: str
    participant_count: int
    opinions_received: int
    opinions_adopted: int
    outcome: str
    satisfaction_rate: float | None
    withheld: bool = False  # 依法不予公开: only the skeleton was published (generator.guard.redact)
    withheld_basis: str = ""
    disclosure: Disclosure | None = None
    decision: Decision | None = None


PRECONDITIONS: tuple[tuple[str, str], ...] = (
    ("pre_research", "调查研究"),
    ("pre_expert_review", "专家论证"),
    ("pre_risk_assessment", "风险评估"),
    ("pre_legality_review", "合法性审查"),
    ("pre_contingency_plan", "预案"),
)


@dataclass(slots=True)
class Decision:
    decision_id: str
    meeting_id: str
    agenda_no: int
    category: str
    title: str
    summary: str
    power_item_id: str
    amount_yuan: float | None
    vote_method: str
    result: str
    pre_research: str
    pre_expert_review: str
    pre_risk_assessment: str
    pre_legality_review: str
    pre_contingency_plan: str
    exemption_reason: str
    lead_member_id: str
    hearing_id: str
    execution_status: str
    execution_note: str
    withheld: bool = False  # 依法不予公开: only the skeleton was published (generator.guard.redact)
    withheld_basis: str = ""
    row: int = 0
    disclosure: Disclosure | None = None
    meeting: Meeting | None = None
    power_item: PowerItem | None = None
    lead_member: Member | None = None
    hearing: Hearing | None = None
    stances: list[Stance] = field(default_factory=list)
    #: 执行进展 reported in later quarters (决策跟踪反馈), oldest first.
    progress: list[Progress] = field(default_factory=list)

    @property
    def preconditions(self) -> list[tuple[str, str]]:
        """(Chinese name, status) of the five 五不上会 preconditions."""
        return [(label, getattr(self, name)) for name, label in PRECONDITIONS]

    @property
    def date(self) -> str:
        return self.meeting.date if self.meeting else ""


@dataclass(slots=True)
class Correction:
    """A row of corrections.csv (更正记录): one field of a published record, old → new."""

    table: str
    record_id: str
    field: str
    old_value: str
    new_value: str
    reason: str
    corrected_on: str

    @property
    def field_title(self) -> str:
        """The field's Chinese name from the schema, e.g. 事项名称."""
        info = field_info(self.table, self.field)
        return info.title if info else self.field

    @property
    def table_title(self) -> str:
        return str(resource_spec(self.table)["title"])


@dataclass(slots=True)
class Withdrawal:
    """A row of withdrawals.csv (撤回记录): a published record taken back, kept as a tombstone."""

    table: str
    record_id: str
    label: str
    reason: str
    withdrawn_on: str
    disclosure: Disclosure | None = None

    @property
    def table_title(self) -> str:
        return str(resource_spec(self.table)["title"])


@dataclass(slots=True)
class Progress:
    """A row of progress.csv (执行进展): how an earlier quarter's decision stands, as reported later."""

    decision_id: str
    reported_on: str
    execution_status: str
    note: str
    period: str = ""  # the quarter that reported it


@dataclass
class Disclosure:
    """One unit's quarterly disclosure: the contents of one data package."""

    unit: Unit
    period: Period
    path: Path
    members: list[Member]
    power_items: list[PowerItem]
    negative_items: list[NegativeItem]
    meetings: list[Meeting]
    decisions: list[Decision]
    hearings: list[Hearing]
    corrections: list[Correction] = field(default_factory=list)
    withdrawals: list[Withdrawal] = field(default_factory=list)
    progress: list[Progress] = field(default_factory=list)
    #: Each file of the package as loaded (its name → size and SHA-256), read once for the unit's
    #: ``source_key``: what the downloads and the release's change list compare without reading it.
    files: dict[str, tuple[int, str]] = field(default_factory=dict, repr=False)

    def corrections_of(self, table: str, record_id: str) -> list[Correction]:
        """The corrections of one record and of the rows that belong to it (a decision's stances),
        oldest first."""
        children = dependent_tables(table)
        return [
            c
            for c in self.corrections
            if (c.table == table and c.record_id == record_id)
            or (c.table in children and c.record_id.startswith(record_id + "/"))
        ]

    @property
    def principal(self) -> Member | None:
        return next((m for m in self.members if m.is_principal), None)

    def table_rows(self) -> dict[str, int]:
        """The rows of each of the package's tables as published (an optional table only when the
        package has it): what its downloads list beside each file."""
        return {
            "members": len(self.members),
            "power_list": len(self.power_items),
            "power_steps": sum(len(item.steps) for item in self.power_items),
            "negative_list": len(self.negative_items),
            "meetings": len(self.meetings),
            "decisions": len(self.decisions),
            "stances": sum(len(d.stances) for d in self.decisions),
            "hearings": len(self.hearings),
            **({"corrections": len(self.corrections)} if self.corrections else {}),
            **({"withdrawals": len(self.withdrawals)} if self.withdrawals else {}),
            **({"progress": len(self.progress)} if self.progress else {}),
        }


@dataclass
class Unit:
    unit_id: str
    name: str
    short_name: str
    unit_type: str
    principal_title: str
    description: str
    disclosures: list[Disclosure] = field(default_factory=list)
    #: SHA-256 of the unit's registry entry and every file of its packages as loaded (the published
    #: view), with the generator's code: what the unit's rule outcomes and pages are made from
    #: (``generator.sources.load``, ``generator.rules``, ``generator.render.keys``).
    source_key: str = field(default="", repr=False, compare=False)

    @property
    def latest(self) -> Disclosure | None:
        return self.disclosures[-1] if self.disclosures else None


#: (unit_id, period, table, record id) → ISO date of the first commit that held the record.
FirstPublished = dict[tuple[str, str, str, str], str]


@dataclass(frozen=True)
class History:
    """What the build takes from the data's git history (``generator.sources.history``, one walk);
    empty outside git."""

    #: 首次公开 of every committed decision, hearing and correction (最近更正 comes from the latter).
    first_published: FirstPublished = field(default_factory=dict)
    #: ``unit_id/period`` → date of the commit that first added its datapackage.json (按期公开).
    packages_added: dict[str, str] = field(default_factory=dict)
    #: Date of the latest commit of the data: "today" for 逾期未公开, never the wall clock.
    as_of: dt.date | None = None
    #: The data's commit and whether it has uncommitted changes (the release manifest's ``data``).
    commit: dict[str, Any] | None = None


@dataclass
class Portal:
    config: PortalConfig
    data_dir: Path
    units: list[Unit]
    history: History = field(default_factory=History)

    @property
    def disclosures(self) -> list[Disclosure]:
        return [d for unit in self.units for d in unit.disclosures]

    @property
    def periods(self) -> list[Period]:
        return sorted({d.period for d in self.disclosures})

    def decisions(self) -> list[Decision]:
        return [dec for d in self.disclosures for dec in d.decisions]


@dataclass
class MemberRecord:
    """One leadership member's voting record within their unit (identified within the unit only):
    over their whole time in office (``period`` None: the member's page), or in one quarter (that
    quarter's page, made from its package alone)."""

    unit: Unit
    member: Member  # as in the quarter, or in the latest quarter the member appears in
    stances: list[tuple[Decision, Stance]] = field(default_factory=list)
    led: list[Decision] = field(default_factory=list)
    meetings_eligible: int = 0
    meetings_present: int = 0
    period: Period | None = None
    #: The member's record in each quarter they appear in, oldest first (a whole record only).
    quarters: list[MemberRecord] = field(default_factory=list)

    @property
    def counts(self) -> Counter[str]:
        return Counter(s.stance for _, s in self.stances)

    @property
    def attendance(self) -> float | None:
        return 100 * self.meetings_present / self.meetings_eligible if self.meetings_eligible else None

    @property
    def periods(self) -> list[str]:
        """The quarters the record covers, oldest first, as a reader reads them (2025年第一季度)."""
        return (
            [self.period.label]
            if self.period is not None
            else [q.period.label for q in self.quarters if q.period]
        )
