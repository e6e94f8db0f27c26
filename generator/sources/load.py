"""Load stage: read a validated data tree into typed records (``generator.core.model``).

Validation has already checked every value against the schemas, so loading uses the plain
``csv`` module and converts by field type: that is what keeps 20,000-decision portals fast.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from generator.core.cache import ContentHash, code_fingerprint
from generator.core.config import PortalConfig, load_config
from generator.core.datatree import REGISTRY_CSV, Period, package_dirs
from generator.core.model import (
    Correction,
    Decision,
    Disclosure,
    Hearing,
    History,
    Meeting,
    Member,
    NegativeItem,
    Portal,
    PowerItem,
    PowerStep,
    Progress,
    Stance,
    Unit,
    Withdrawal,
)
from generator.core.schema import table_schema
from generator.sources.history import read_history


def _converter(field_type: str, pool: dict[str, str] | None) -> Callable[[str], Any]:
    if field_type == "integer":
        return lambda text: int(text) if text else None
    if field_type == "number":
        return lambda text: float(text) if text else None
    if field_type == "boolean":
        return lambda text: text == "是"
    if pool is not None:
        return lambda text: pool.setdefault(text, text)
    return lambda text: text


def read_table(
    path: Path, table: str, numbered: bool = False, pool: dict[str, str] | None = None
) -> Iterator[dict[str, Any]]:
    """Rows of one CSV as dicts typed by the table's schema (with ``numbered``, plus ``row``: the row
    number a spreadsheet shows, header = 1). With ``pool``, equal text values are one string object:
    a package repeats its codes, dates, member IDs and set phrases on every row, and a portal's
    records are held in memory for the whole build."""
    fields = table_schema(table)["fields"]
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, [])
        width = len(header)
        position = {name: index for index, name in enumerate(header)}  # a repeated name: the last
        # Each schema column's cell, by position; a column the file lacks (a later column that an
        # earlier file has not) reads the empty cell added after the row's own.
        columns = [
            (f["name"], position.get(f["name"], width), _converter(f.get("type", "string"), pool))
            for f in fields
        ]
        number = 1
        for row in reader:
            if not row:
                continue  # a blank line is no record (as csv.DictReader reads it)
            number += 1
            if len(row) != width:
                row = row[:width] + [""] * (width - len(row))
            row.append("")
            values = {name: convert(row[index]) for name, index, convert in columns}
            if numbered:
                values["row"] = number
            yield values


def load_portal(
    data_dir: Path,
    sources: Mapping[str, Path] | None = None,
    *,
    config: PortalConfig | None = None,
    history: History | None = None,
) -> Portal:
    """Every unit in registry order, each with its disclosures in period order.

    ``sources`` maps a package key (``unit_id/period``) to the directory to read it from instead
    (the redacted copy of a package with withheld records, ``generator.guard.redact``). ``config``
    and ``history`` are what the build gathered (``generator.sources``); without them they are read."""
    config = config or load_config(data_dir)
    if history is None:
        history = read_history(data_dir, config.max_file_mb)
    units, packages = _packages(data_dir, sources)
    for unit, period, path in packages:
        unit.disclosures.append(_load_disclosure(unit, period, path))
    for unit in units:
        unit.source_key = source_key(unit)
    for unit in units:  # 执行进展: each report joins its decision, from whichever quarter it came
        decisions = {d.decision_id: d for dis in unit.disclosures for d in dis.decisions}
        for dis in unit.disclosures:
            for report in dis.progress:
                if report.decision_id in decisions:
                    decisions[report.decision_id].progress.append(report)
        for decision in decisions.values():
            decision.progress.sort(key=lambda r: r.reported_on)
    return Portal(config=config, data_dir=data_dir, units=units, history=history)


def source_key(unit: Unit) -> str:
    """The key of what was loaded for ``unit``: the generator's code and schemas, its registry entry
    and every file of each of its packages as read (the published view: withheld records redacted),
    each by its SHA-256 (kept in ``Disclosure.files``). Everything the unit's records are is a
    function of it."""
    digest = ContentHash("gongkai-sources/unit")
    digest.add("code", code_fingerprint().encode("ascii"))
    entry = (unit.unit_id, unit.name, unit.short_name, unit.unit_type, unit.principal_title, unit.description)
    digest.add("unit", repr(entry).encode("utf-8"))
    for dis in unit.disclosures:
        digest.add("package", str(dis.period).encode("ascii"))
        dis.files = {}
        for path in sorted(p for p in dis.path.iterdir() if p.is_file()):
            data = path.read_bytes()
            dis.files[path.name] = (len(data), hashlib.sha256(data).hexdigest())
            digest.add(path.name, dis.files[path.name][1].encode("ascii"))
    return digest.hexdigest()


def load_outline(
    data_dir: Path, sources: Mapping[str, Path] | None, config: PortalConfig, history: History
) -> Portal:
    """The portal as ``load_portal`` gives it, but every package without its records: its unit,
    quarter and the directory its files are read from. For work that reads the packages' files
    itself (the bulk downloads), in a process that never holds the records."""
    units, packages = _packages(data_dir, sources)
    for unit, period, path in packages:
        unit.disclosures.append(Disclosure(unit, period, path, [], [], [], [], [], []))
    return Portal(config=config, data_dir=data_dir, units=units, history=history)


def _packages(
    data_dir: Path, sources: Mapping[str, Path] | None
) -> tuple[list[Unit], list[tuple[Unit, Period, Path]]]:
    """The registry's units (without disclosures), and each package of the data in period order:
    its unit, its quarter and the directory it is read from (``sources``: the published view)."""
    units = [Unit(**row) for row in read_table(data_dir / REGISTRY_CSV, "units")]
    by_id = {unit.unit_id: unit for unit in units}
    packages = [
        (by_id[ref.unit_id], ref.period, sources.get(ref.key, ref.path) if sources else ref.path)
        for ref in package_dirs(data_dir)
    ]
    return units, packages


def _load_disclosure(unit: Unit, period: Period, path: Path) -> Disclosure:
    pool: dict[str, str] = {}  # one string object per distinct value within the package
    members = [Member(**row) for row in read_table(path / "members.csv", "members", numbered=True, pool=pool)]
    members.sort(key=lambda m: m.rank)
    power_items = [PowerItem(**row) for row in read_table(path / "power_list.csv", "power_list", pool=pool)]
    items_by_id = {item.item_id: item for item in power_items}
    for row in read_table(path / "power_steps.csv", "power_steps", pool=pool):
        items_by_id[row.pop("item_id")].steps.append(PowerStep(**row))
    for item in power_items:
        item.steps.sort(key=lambda step: step.step_no)
    negative_items = [
        NegativeItem(**row) for row in read_table(path / "negative_list.csv", "negative_list", pool=pool)
    ]
    meetings = [
        Meeting(**row) for row in read_table(path / "meetings.csv", "meetings", numbered=True, pool=pool)
    ]
    decisions = [
        Decision(**row) for row in read_table(path / "decisions.csv", "decisions", numbered=True, pool=pool)
    ]
    hearings = [Hearing(**row) for row in read_table(path / "hearings.csv", "hearings", pool=pool)]
    disclosure = Disclosure(
        unit, period, path, members, power_items, negative_items, meetings, decisions, hearings
    )
    # Optional: the 更正记录 and 撤回记录 of records published before.
    if (path / "corrections.csv").is_file():
        disclosure.corrections = [
            Correction(**row) for row in read_table(path / "corrections.csv", "corrections", pool=pool)
        ]
        disclosure.corrections.sort(key=lambda c: c.corrected_on)
    if (path / "progress.csv").is_file():
        disclosure.progress = [
            Progress(**row, period=str(period))
            for row in read_table(path / "progress.csv", "progress", pool=pool)
        ]
    if (path / "withdrawals.csv").is_file():
        disclosure.withdrawals = [
            Withdrawal(**row, disclosure=disclosure)
            for row in read_table(path / "withdrawals.csv", "withdrawals", pool=pool)
        ]

    members_by_id = {m.member_id: m for m in members}
    meetings_by_id = {m.meeting_id: m for m in meetings}
    decisions_by_id = {d.decision_id: d for d in decisions}
    hearings_by_id = {h.hearing_id: h for h in hearings}
    for row in read_table(path / "stances.csv", "stances", pool=pool):
        decision = decisions_by_id[row.pop("decision_id")]
        decision.stances.append(Stance(**row, member=members_by_id.get(row["member_id"])))
    for decision in decisions:
        decision.disclosure = disclosure
        decision.meeting = meetings_by_id.get(decision.meeting_id)
        decision.power_item = items_by_id.get(decision.power_item_id)
        decision.lead_member = members_by_id.get(decision.lead_member_id)
        decision.hearing = hearings_by_id.get(decision.hearing_id)
        decision.stances.sort(key=lambda s: s.order)
        if decision.meeting is not None:
            decision.meeting.decisions.append(decision)
    for meeting in meetings:
        meeting.decisions.sort(key=lambda d: d.agenda_no)
    meetings.sort(key=lambda m: (m.date, m.meeting_id))
    for hearing in hearings:
        hearing.disclosure = disclosure
        hearing.decision = decisions_by_id.get(hearing.decision_id)
        if hearing.decision is not None and hearing.decision.hearing is None:
            hearing.decision.hearing = hearing
    hearings.sort(key=lambda h: (h.date, h.hearing_id))
    return disclosure
