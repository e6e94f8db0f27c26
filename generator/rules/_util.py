"""Small helpers shared by rule modules."""

from __future__ import annotations

from generator.core.model import Decision, Disclosure, Meeting
from generator.rules.base import Outcome


def csv_path(dis: Disclosure, table: str) -> str:
    return f"{dis.unit.unit_id}/{dis.period}/{table}.csv"


def decision_outcome(
    rule: str, d: Decision, passed: bool, message: str, column: str | None = None
) -> Outcome:
    assert d.disclosure is not None
    dis = d.disclosure
    return Outcome(rule, dis.unit.unit_id, str(dis.period), f"decision:{d.decision_id}", passed, message,
                   csv_path(dis, "decisions"), d.row, column)  # fmt: skip


def meeting_outcome(
    rule: str, dis: Disclosure, m: Meeting, passed: bool, message: str, column: str | None = None
) -> Outcome:
    return Outcome(rule, dis.unit.unit_id, str(dis.period), f"meeting:{m.meeting_id}", passed, message,
                   csv_path(dis, "meetings"), m.row, column)  # fmt: skip
