"""Validation's domain checks: what the Table Schemas cannot say about a package, or about a unit's
packages together. Each package check takes the package's tables (``collect.Table``: the values the
checks need, cast) and adds its findings; ``PACKAGE_CHECKS`` lists them in the order they run.

- ``check_foreign_keys``: every reference exists in the same package (with a hint for stray spaces
  or letter case);
- ``check_principal``: exactly one member is the principal (一把手);
- ``check_dates``: meetings and hearings of a quarterly package took place in that quarter;
- ``check_withheld``: a record withheld by law (依法不予公开) names its legal basis, only a withheld
  record has one, and a hearing about a withheld decision is withheld too;
- ``check_ids_across_quarters``: a unit never reuses a meeting, decision or hearing ID in another
  quarter.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from generator.core.datatree import Period
from generator.core.findings import Finding
from generator.core.schema import field_info, resource_spec, table_schema
from generator.validate.collect import STABLE_IDS, Findings, PackageResult, Table, place_of
from generator.validate.explain import foreign_key_finding


def check_foreign_keys(tables: dict[str, Table], period: Period, out: Findings) -> None:
    """Every reference exists in the referenced table of the same package (as Frictionless does)."""
    for name, child in tables.items():
        if not child.usable:
            continue
        for fk in table_schema(name).get("foreignKeys", []):
            ref_name = fk["reference"]["resource"]
            parent = tables.get(ref_name)
            if parent is None or not parent.usable:
                continue  # The referenced file has its own finding; its keys cannot be trusted.
            fields, ref_fields = list(fk["fields"]), list(fk["reference"]["fields"])
            keys = {
                cells
                for cells in zip(*(parent.columns[f] for f in ref_fields), strict=True)
                if any(cell is not None for cell in cells)
            }
            near_miss = _NearMiss(keys)
            for row, cells in zip(
                child.row_numbers, zip(*(child.columns[f] for f in fields), strict=True), strict=True
            ):
                if all(cell is None for cell in cells) or cells in keys:
                    continue
                out.add(
                    foreign_key_finding(
                        child.place,
                        row,
                        fields,
                        [str(c) for c in cells],
                        ref_name,
                        ref_fields,
                        hint=near_miss.hint(cells),
                    )
                )


class _NearMiss:
    """Why a reference that looks right is not found: stray spaces or letter case."""

    def __init__(self, keys: set[tuple[Any, ...]]) -> None:
        self._keys = keys
        self._folded: dict[tuple[Any, ...], tuple[Any, ...]] | None = None

    @staticmethod
    def _fold(cells: tuple[Any, ...]) -> tuple[Any, ...]:
        return tuple(cell.strip().lower() if isinstance(cell, str) else cell for cell in cells)

    def hint(self, cells: tuple[Any, ...]) -> str:
        stripped = tuple(cell.strip() if isinstance(cell, str) else cell for cell in cells)
        if stripped != cells and stripped in self._keys:
            return "值的前后有多余的空格。"
        if self._folded is None:
            self._folded = {self._fold(key): key for key in self._keys}
        match = self._folded.get(self._fold(cells))
        if match is not None:
            return f"编号区分大小写，是否应为“{'、'.join(str(k) for k in match)}”？"
        return ""


def check_principal(tables: dict[str, Table], period: Period, out: Findings) -> None:
    """Exactly one member is the principal (一把手)."""
    members = tables["members"]
    if not members.usable:
        return
    rows = [
        row
        for row, flag in zip(members.row_numbers, members.columns["is_principal"], strict=True)
        if flag is True
    ]
    place = members.place
    if not rows:
        out.add(
            place.finding(
                "principal-count:none", column="is_principal", where=place.display, expected="恰好一名"
            )
        )
        return
    if len(rows) > 1:
        out.add(
            place.finding(
                "principal-count:many",
                row=rows[1],
                column="is_principal",
                value="是",
                expected="恰好一名",
                count=len(rows),
                rows="、".join(str(row) for row in rows),
            )
        )


def check_withheld(tables: dict[str, Table], period: Period, out: Findings) -> None:
    """A record withheld by law (依法不予公开) names its legal basis, a basis is given only for a
    withheld record, and a hearing about a withheld decision is withheld too."""
    withheld_decisions: set[str] = set()
    for name in ("decisions", "hearings"):
        table = tables[name]
        if not table.usable:
            continue
        columns = table.columns
        for index, row in enumerate(table.row_numbers):
            withheld, basis = columns["withheld"][index], columns["withheld_basis"][index]
            has_basis = isinstance(basis, str) and bool(basis.strip())
            if withheld is True and not has_basis:
                out.add(table.place.finding("withheld-basis:missing", row=row, column="withheld_basis"))
            elif withheld is not True and has_basis:
                value = "否" if withheld is False else None
                out.add(table.place.finding("withheld-basis:unused", row=row, column="withheld", value=value))
            if name == "decisions" and withheld is True:
                withheld_decisions.add(columns["decision_id"][index])
    hearings = tables["hearings"]
    if not withheld_decisions or not hearings.usable:
        return
    columns = hearings.columns
    for index, row in enumerate(hearings.row_numbers):
        decision_id = columns["decision_id"][index]
        if decision_id in withheld_decisions and columns["withheld"][index] is not True:
            out.add(
                hearings.place.finding("withheld-hearing", row=row, column="decision_id", value=decision_id)
            )


def check_dates(tables: dict[str, Table], period: Period, out: Findings) -> None:
    """Meetings and hearings of a quarterly package took place in that quarter."""
    start = datetime.date(period.year, period.first_month, 1)
    end = (
        datetime.date(period.year + 1, 1, 1)
        if period.quarter == 4
        else datetime.date(period.year, period.first_month + 3, 1)
    ) - datetime.timedelta(days=1)
    for name, column in (("meetings", "date"), ("hearings", "date"), ("progress", "reported_on")):
        table = tables.get(name)
        if table is None or not table.usable:
            continue
        for row, value in zip(table.row_numbers, table.columns[column], strict=True):
            if isinstance(value, datetime.date) and not start <= value <= end:
                out.add(
                    table.place.finding(
                        "date-out-of-period",
                        row=row,
                        column=column,
                        value=value.isoformat(),
                        expected=f"{start.isoformat()} 至 {end.isoformat()}",
                        period_label=period.label,
                        start=start.isoformat(),
                        end=end.isoformat(),
                    )
                )


def check_ids_across_quarters(root: str, results: list[PackageResult]) -> list[Finding]:
    """A unit never reuses a meeting, decision or hearing ID in another quarter."""
    findings: list[Finding] = []
    first_use: dict[tuple[str, str, str], tuple[str, str, int]] = {}
    for result in sorted(results, key=lambda r: (r.unit_id, Period.parse(r.period) or Period(0, 0))):
        for table, pairs in result.ids.items():
            path = resource_spec(table)["path"]
            rel = f"{result.unit_id}/{result.period}/{path}"
            place = place_of(root, rel, table)
            column = STABLE_IDS[table]
            info = field_info(table, column)
            for value, row in pairs:
                key = (result.unit_id, table, value)
                earlier = first_use.get(key)
                if earlier is None:
                    first_use[key] = (result.period, rel, row)
                    continue
                if earlier[0] == result.period:
                    continue  # A duplicate within one file is a primary-key finding.
                findings.append(
                    place.finding(
                        "id-reused",
                        row=row,
                        column=column,
                        value=value,
                        expected="本单位其他季度未使用过的编号",
                        other_file=place_of(root, earlier[1]).display,
                        other_row=earlier[2],
                        id_title=info.title if info else column,
                    )
                )
    return findings


def check_progress(root: str, results: list[PackageResult]) -> list[Finding]:
    """执行进展 reports on a decision this unit published in an earlier quarter, and gives no note
    for one withheld by law (依法不予公开)."""
    findings: list[Finding] = []
    decided: dict[tuple[str, str], str] = {}  # (unit, decision) → the quarter that published it
    withheld: set[tuple[str, str]] = set()
    ordered = sorted(results, key=lambda r: (r.unit_id, Period.parse(r.period) or Period(0, 0)))
    for result in ordered:
        for decision_id, _ in result.ids.get("decisions", []):
            decided.setdefault((result.unit_id, decision_id), result.period)
        withheld |= {(result.unit_id, d) for d in result.withheld}
    for result in ordered:
        rel = f"{result.unit_id}/{result.period}/{resource_spec('progress')['path']}"
        place = place_of(root, rel, "progress")
        for decision_id, row, has_note in result.progress:
            when = decided.get((result.unit_id, decision_id))
            if when is None or (Period.parse(when) or Period(0, 0)) >= (
                Period.parse(result.period) or Period(0, 0)
            ):
                out = "progress:unknown" if when is None else "progress:not-earlier"
                findings.append(
                    place.finding(out, row=row, column="decision_id", value=decision_id, period=when or "")
                )
            elif has_note and (result.unit_id, decision_id) in withheld:
                findings.append(
                    place.finding("progress:withheld-note", row=row, column="note", value=decision_id)
                )
    return findings


#: The checks across the tables of one package, in the order they run.
PACKAGE_CHECKS: tuple[Callable[[dict[str, Table], Period, Findings], None], ...] = (
    check_foreign_keys,
    check_principal,
    check_dates,
    check_withheld,
)
