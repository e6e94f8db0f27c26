"""Load stage: read a validated data tree into typed records (``generator.core.model``).

Validation has already checked every value against the schemas, so loading uses the plain
``csv`` module and converts by field type: that is what keeps 20,000-decision portals fast.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import marshal
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from generator.core.cache import Cache, ContentHash, code_fingerprint
from generator.core.collector import collector_paused
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
    with path.open(encoding="utf-8", newline="") as handle:
        yield from _typed_rows(handle, table, numbered, pool)


def _typed_rows(
    lines: Iterable[str], table: str, numbered: bool, pool: dict[str, str] | None
) -> Iterator[dict[str, Any]]:
    names = [f["name"] for f in table_schema(table)["fields"]] + (["row"] if numbered else [])
    for values in _typed_tuples(lines, table, numbered, pool):
        yield dict(zip(names, values, strict=True))


def _typed_tuples(
    lines: Iterable[str], table: str, numbered: bool, pool: dict[str, str] | None
) -> Iterator[tuple[Any, ...]]:
    """Each row's values in the schema's order of fields (then, with ``numbered``, its row number)."""
    fields = table_schema(table)["fields"]
    reader = csv.reader(lines)
    header = next(reader, [])
    width = len(header)
    position = {name: index for index, name in enumerate(header)}  # a repeated name: the last
    # Each schema column's cell, by position; a column the file lacks (a later column that an
    # earlier file has not) reads the empty cell added after the row's own.
    columns = [(position.get(f["name"], width), _converter(f.get("type", "string"), pool)) for f in fields]
    number = 1
    for row in reader:
        if not row:
            continue  # a blank line is no record (as csv.DictReader reads it)
        number += 1
        if len(row) != width:
            row = row[:width] + [""] * (width - len(row))
        row.append("")
        values = tuple([convert(row[index]) for index, convert in columns])
        yield (*values, number) if numbered else values


#: The tables a package is loaded from (file name → (table, numbered)); the last three optional.
_TABLES = {
    "members.csv": ("members", True),
    "power_list.csv": ("power_list", False),
    "power_steps.csv": ("power_steps", False),
    "negative_list.csv": ("negative_list", False),
    "meetings.csv": ("meetings", True),
    "decisions.csv": ("decisions", True),
    "hearings.csv": ("hearings", False),
    "stances.csv": ("stances", False),
    "corrections.csv": ("corrections", False),
    "progress.csv": ("progress", False),
    "withdrawals.csv": ("withdrawals", False),
}

#: A package's typed rows: table → each row's values in the schema's order of fields, then (for the
#: numbered tables) its row number: the order of the model's fields (``tests/test_reading.py``).
Rows = dict[str, list[tuple[Any, ...]]]
#: Each file of a package by name: its size and SHA-256 (``Disclosure.files``).
FileDigests = dict[str, tuple[int, str]]


def read_package(path: Path, cache: Cache | None = None, label: str = "") -> tuple[Rows, FileDigests]:
    """Every table of the package in ``path`` as typed rows, and each of its files' size and
    SHA-256 (every file read once). With ``cache``, the typed rows are kept (sealed, plain values:
    ``marshal``) under a key of the files' hashes and our code, so that a rebuild parses only the
    packages that changed; one entry a package (``label``: ``unit_id/period``), replaced when its
    files change."""
    data = _package_bytes(path)
    files = _digests(data)
    key = name = ""
    if cache is not None:
        key, name = _rows_key(files), Cache.slot("rows", label)
        rows = _recall_rows(cache, name, key)
        if rows is not None:
            return rows, files
    pool: dict[str, str] = {}  # one string object per distinct value within the package
    rows = {
        table: list(_typed_tuples(io.StringIO(data[file].decode("utf-8"), newline=""), table, numbered, pool))
        for file, (table, numbered) in _TABLES.items()
        if file in data
    }
    if cache is not None:
        with contextlib.suppress(OSError, ValueError):  # the cache is an optimisation only
            cache.write_keyed(name, key, marshal.dumps(rows))
    return rows, files


def recall_package(path: Path, cache: Cache, label: str) -> tuple[Rows, FileDigests] | None:
    """What ``read_package`` returns, if the cache keeps the package's typed rows as its files are
    now; else None (nothing is parsed: the package may not be validated yet)."""
    try:
        files = _digests(_package_bytes(path))
    except OSError:
        return None
    rows = _recall_rows(cache, Cache.slot("rows", label), _rows_key(files))
    return None if rows is None else (rows, files)


def _package_bytes(path: Path) -> dict[str, bytes]:
    """Every file of the package in ``path``, by name, in name order."""
    return {item.name: item.read_bytes() for item in sorted(path.iterdir()) if item.is_file()}


def _rows_key(files: FileDigests) -> str:
    """The cache key of a package's typed rows: our code and each of its files' SHA-256."""
    digest = ContentHash("gongkai-sources/rows")
    digest.add("code", code_fingerprint().encode("ascii"))
    for file, (_size, sha) in files.items():
        digest.add(file, sha.encode("ascii"))
    return digest.hexdigest()


def _digests(data: dict[str, bytes]) -> FileDigests:
    """Each file's size and SHA-256, by name (``Disclosure.files``)."""
    return {name: (len(content), hashlib.sha256(content).hexdigest()) for name, content in data.items()}


def _recall_rows(cache: Cache, name: str, key: str) -> Rows | None:
    data = cache.read_keyed(name, key)
    if data is None:
        return None
    try:
        # Plain values only (marshal: no class is looked up or called while reading); sealed with
        # this user's key, so written by our own build.
        rows = marshal.loads(data)
    except (ValueError, TypeError, EOFError):
        return None
    # Each table's rows as tuples of its width (else a miss, whatever is there).
    widths = {table: len(table_schema(table)["fields"]) + numbered for table, numbered in _TABLES.values()}
    if not isinstance(rows, dict) or any(
        table not in widths
        or not isinstance(found, list)
        or any(not isinstance(v, tuple) or len(v) != widths[table] for v in found)
        for table, found in rows.items()
    ):
        return None
    return rows


def load_portal(
    data_dir: Path,
    sources: Mapping[str, Path] | None = None,
    *,
    config: PortalConfig | None = None,
    history: History | None = None,
    cache: Cache | None = None,
    recalled: dict[Path, tuple[Rows, FileDigests]] | None = None,
) -> Portal:
    """Every unit in registry order, each with its disclosures in period order.

    ``sources`` maps a package key (``unit_id/period``) to the directory to read it from instead
    (the redacted copy of a package with withheld records, ``generator.guard.redact``). ``config``
    and ``history`` are what the build gathered (``generator.sources``); without them they are read.
    ``cache``: the build's, which keeps each package's typed rows (``read_package``). ``recalled``:
    packages' rows already recalled from it (``recall_package``), by the folder they were read from;
    each is taken out as it is loaded."""
    config = config or load_config(data_dir)
    if history is None:
        history = read_history(data_dir, config.max_file_mb)
    units, packages = _packages(data_dir, sources)
    with collector_paused():
        for unit, period, path in packages:
            got = recalled.pop(path, None) if recalled else None
            rows, files = got or read_package(path, cache, f"{unit.unit_id}/{period}")
            unit.disclosures.append(_load_disclosure(unit, period, path, rows))
            unit.disclosures[-1].files = files
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


def registry_entry(unit: Unit) -> tuple[str, ...]:
    """The unit's row of the registry (units.csv) as loaded: part of every key of its pages."""
    return (unit.unit_id, unit.name, unit.short_name, unit.unit_type, unit.principal_title, unit.description)


def source_key(unit: Unit) -> str:
    """The key of what was loaded for ``unit``: the generator's code and schemas, its registry entry
    and every file of each of its packages as read (the published view: withheld records redacted),
    each by its SHA-256 (kept in ``Disclosure.files``). Everything the unit's records are is a
    function of it."""
    digest = ContentHash("gongkai-sources/unit")
    digest.add("code", code_fingerprint().encode("ascii"))
    digest.add("unit", repr(registry_entry(unit)).encode("utf-8"))
    for dis in unit.disclosures:
        digest.add("package", str(dis.period).encode("ascii"))
        if not dis.files:  # not loaded by ``load_portal``: hashed now
            dis.files = _digests(_package_bytes(dis.path))
        for name, (_size, sha) in dis.files.items():
            digest.add(name, sha.encode("ascii"))
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


def _load_disclosure(unit: Unit, period: Period, path: Path, rows: Rows) -> Disclosure:
    members = [Member(*values) for values in rows.get("members", [])]
    members.sort(key=lambda m: m.rank)
    power_items = [PowerItem(*values) for values in rows.get("power_list", [])]
    items_by_id = {item.item_id: item for item in power_items}
    for item_id, *step in rows.get("power_steps", []):
        items_by_id[item_id].steps.append(PowerStep(*step))
    for item in power_items:
        item.steps.sort(key=lambda step: step.step_no)
    negative_items = [NegativeItem(*values) for values in rows.get("negative_list", [])]
    meetings = [Meeting(*values) for values in rows.get("meetings", [])]
    decisions = [Decision(*values) for values in rows.get("decisions", [])]
    hearings = [Hearing(*values) for values in rows.get("hearings", [])]
    disclosure = Disclosure(
        unit, period, path, members, power_items, negative_items, meetings, decisions, hearings
    )
    # Optional: the 更正记录 and 撤回记录 of records published before.
    if "corrections" in rows:
        disclosure.corrections = [Correction(*values) for values in rows["corrections"]]
        disclosure.corrections.sort(key=lambda c: c.corrected_on)
    if "progress" in rows:
        disclosure.progress = [
            Progress(decision_id, reported_on, status, note, str(period))
            for decision_id, reported_on, status, note in rows["progress"]
        ]
    if "withdrawals" in rows:
        disclosure.withdrawals = [
            Withdrawal(table, record_id, label, reason, withdrawn_on, disclosure)
            for table, record_id, label, reason, withdrawn_on in rows["withdrawals"]
        ]

    members_by_id = {m.member_id: m for m in members}
    meetings_by_id = {m.meeting_id: m for m in meetings}
    decisions_by_id = {d.decision_id: d for d in decisions}
    hearings_by_id = {h.hearing_id: h for h in hearings}
    for decision_id, order, member_id, stance, remark in rows.get("stances", []):
        decisions_by_id[decision_id].stances.append(
            Stance(order, member_id, stance, remark, members_by_id.get(member_id))
        )
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
