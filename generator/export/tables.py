"""The whole portal as one set of tables: every unit-quarter package combined, per table.

Combined tables start with two columns, ``unit_id`` and ``period``, that say which package a row
comes from; their schemas are derived from the canonical ones (``generator.core.schema``) with every
primary and foreign key extended by those two columns. Values are kept as the text that was
published (the CSV files passed validation), and typed only where a format needs it.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from copy import deepcopy
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path
from typing import Any

from generator.core.cache import ContentHash, code_fingerprint
from generator.core.datatree import DESCRIPTOR, REGISTRY_CSV
from generator.core.model import Disclosure, Portal
from generator.core.schema import (
    OPTIONAL_RESOURCES,
    PACKAGE_RESOURCES,
    REGISTRY_RESOURCE,
    field_names,
    present_resources,
    resource_spec,
    table_schema,
)

#: Bump when the bytes of any open-data output change for the same input (invalidates the cache).
FORMAT_VERSION = "opendata-3"
#: The registry first, then the package tables in their documented order, then the 更正记录 and
#: 撤回记录 of the packages that have them.
TABLES: tuple[str, ...] = (REGISTRY_RESOURCE, *PACKAGE_RESOURCES, *OPTIONAL_RESOURCES)
#: The readable view of stances: each column and the field it is joined from (its Chinese title and
#: type are that field's), from stances, members, decisions and units (``stance_details``; in
#: SQLite the view of the same name).
STANCE_DETAILS = "stance_details"
#: The data's date when it has no meeting or hearing yet.
NO_DATA_DATE = "1980-01-01"
STANCE_DETAIL_FIELDS: tuple[tuple[str, str], ...] = (
    ("unit_id", "stances.unit_id"),
    ("unit_name", "units.name"),
    ("period", "stances.period"),
    ("decision_id", "stances.decision_id"),
    ("title", "decisions.title"),
    ("category", "decisions.category"),
    ("result", "decisions.result"),
    ("order", "stances.order"),
    ("member_id", "stances.member_id"),
    ("name", "members.name"),
    ("position", "members.position"),
    ("is_principal", "members.is_principal"),
    ("stance", "stances.stance"),
    ("remark", "stances.remark"),
)
PREFIX_FIELDS: tuple[dict[str, Any], ...] = (
    {
        "name": "unit_id",
        "title": "单位编号",
        "type": "string",
        "description": "该行所属单位（单位名录 units.csv 的单位编号）。",
        "constraints": {"required": True},
    },
    {
        "name": "period",
        "title": "季度",
        "type": "string",
        "description": "该行所属的季度数据包，例如 2025Q1。",
        "constraints": {"required": True, "pattern": "^[0-9]{4}Q[1-4]$"},
    },
)
PREFIX = ("unit_id", "period")


@dataclass
class Table:
    name: str
    title: str
    fields: list[dict[str, Any]]  # schema fields, in column order
    rows: list[list[str]]  # published text, one list per row

    @property
    def header(self) -> list[str]:
        return [f["name"] for f in self.fields]

    @property
    def titles(self) -> list[str]:
        return [f.get("title", f["name"]) for f in self.fields]


@cache
def combined_schema(table: str, *, optional_keys: bool = False) -> dict[str, Any]:
    """The Table Schema of a whole-portal table: unit_id and period first, keys extended by them.

    A foreign key on an optional column (a decision's hearing_id) is declared only with
    ``optional_keys`` (for SQLite, where a NULL in a composite key satisfies it): Frictionless
    checks a composite key whose last part is empty as a dangling reference.
    """
    base = deepcopy(table_schema(table))
    required = {f["name"] for f in base["fields"] if f.get("constraints", {}).get("required")}
    if table == REGISTRY_RESOURCE:
        return base
    schema: dict[str, Any] = {"fields": [deepcopy(f) for f in PREFIX_FIELDS] + base["fields"]}
    schema["primaryKey"] = [*PREFIX, *base.get("primaryKey", [])]
    keys = [{"fields": ["unit_id"], "reference": {"resource": REGISTRY_RESOURCE, "fields": ["unit_id"]}}]
    for fk in base.get("foreignKeys", []):
        if not optional_keys and not set(fk["fields"]) <= required:
            continue
        keys.append(
            {
                "fields": [*PREFIX, *fk["fields"]],
                "reference": {
                    "resource": fk["reference"]["resource"],
                    "fields": [*PREFIX, *fk["reference"]["fields"]],
                },
            }
        )
    schema["foreignKeys"] = keys
    for key in ("missingValues", "trueValues", "falseValues"):
        if key in base:
            schema[key] = base[key]
    return schema


def _read(path: Any, table: str) -> list[list[str]]:
    """The rows of a CSV file in the schema's column order (what ``csv.DictReader`` would give:
    blank lines skipped, a missing column empty), read with the faster ``csv.reader``."""
    names = field_names(table)
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header is None:
            return []
        position = {name: i for i, name in enumerate(header)}
        width = len(header)
        picks = [position.get(name) for name in names]
        if picks == list(range(width)):
            return [row if len(row) == width else _pad(row, picks) for row in reader if row]
        return [_pad(row, picks) for row in reader if row]


def _pad(row: list[str], picks: list[int | None]) -> list[str]:
    size = len(row)
    return [row[i] if i is not None and i < size else "" for i in picks]


def registry_table(portal: Portal) -> Table:
    """The unit registry (units.csv) as the bulk table holds it."""
    return Table(
        REGISTRY_RESOURCE,
        resource_spec(REGISTRY_RESOURCE)["title"],
        combined_schema(REGISTRY_RESOURCE)["fields"],
        _read(portal.data_dir / REGISTRY_CSV, REGISTRY_RESOURCE),
    )


def combined_tables(portal: Portal) -> dict[str, Table]:
    """Every table of the portal, all packages combined in registry order (unit, then quarter)."""
    tables = {REGISTRY_RESOURCE: registry_table(portal)}
    for name in (*PACKAGE_RESOURCES, *OPTIONAL_RESOURCES):
        tables[name] = Table(name, resource_spec(name)["title"], combined_schema(name)["fields"], [])
    for dis in portal.disclosures:
        prefix = [dis.unit.unit_id, str(dis.period)]
        for name in present_resources(dis.path):
            rows = _read(dis.path / resource_spec(name)["path"], name)
            tables[name].rows.extend(prefix + row for row in rows)
    return tables


def _source_field(source: str) -> dict[str, Any]:
    table, name = source.split(".")
    return next(f for f in combined_schema(table)["fields"] if f["name"] == name)


@cache
def detail_fields() -> tuple[dict[str, Any], ...]:
    """The columns of 表态明细: each its source field (title, type and constraints: the spreadsheet
    writers know which can never hold a formula-like text), under the view's column name."""
    return tuple({**_source_field(source), "name": name} for name, source in STANCE_DETAIL_FIELDS)


def stance_details(tables: dict[str, Table]) -> Table:
    """Every stance with the member's name and position and the decision's title, category and
    result, its unit's name and quarter: what a reader wants without joining four tables."""

    def index(table: str, *keys: str) -> dict[tuple[str, ...], list[str]]:
        header = tables[table].header
        at = [header.index(k) for k in keys]
        return {tuple(row[i] for i in at): row for row in tables[table].rows}

    units = index(REGISTRY_RESOURCE, "unit_id")
    decisions = index("decisions", "unit_id", "period", "decision_id")
    members = index("members", "unit_id", "period", "member_id")
    picks = []
    for _, source in STANCE_DETAIL_FIELDS:
        table, name = source.split(".")
        picks.append((table, tables[table].header.index(name)))
    at = {
        name: tables["stances"].header.index(name)
        for name in ("unit_id", "period", "decision_id", "member_id")
    }
    rows = []
    for stance in tables["stances"].rows:
        key = (stance[at["unit_id"]], stance[at["period"]])
        sources = {
            "stances": stance,
            "units": units.get((key[0],)),
            "decisions": decisions.get((*key, stance[at["decision_id"]])),
            "members": members.get((*key, stance[at["member_id"]])),
        }
        rows.append([(found[i] if (found := sources[table]) is not None else "") for table, i in picks])
    details = Table(STANCE_DETAILS, "表态明细", list(detail_fields()), rows)
    order = [details.header.index(name) for name in ("unit_id", "period", "decision_id", "order")]
    rows.sort(key=lambda r: (*(r[i] for i in order[:3]), int(r[order[3]] or 0)))
    return details


def package_sources(dis: Disclosure, base: str) -> list[tuple[str, Path]]:
    """(``base`` + its name in the package, source file) of each file of one published package:
    ``datapackage.json``, then its tables' CSV files."""
    names = [DESCRIPTOR, *(resource_spec(n)["path"] for n in present_resources(dis.path))]
    return [(base + name, dis.path / name) for name in names]


def source_files(portal: Portal) -> list[tuple[str, Any]]:
    """(path in the published downloads, source file) of every published data file, in stable order."""
    files: list[tuple[str, Any]] = [(f"downloads/{DESCRIPTOR}", portal.data_dir / DESCRIPTOR)]
    files.append((f"downloads/{REGISTRY_CSV}", portal.data_dir / REGISTRY_CSV))
    for dis in portal.disclosures:
        files += package_sources(dis, f"downloads/{dis.unit.unit_id}/{dis.period}/")
    return files


def input_hash(portal: Portal, kind: str) -> str:
    """A content hash of everything the open-data outputs are derived from."""
    config = portal.config
    digest = ContentHash(f"{FORMAT_VERSION}/{kind}")
    digest.add("code", code_fingerprint().encode())
    digest.add("config", repr(config).encode())
    # The workbooks' 说明 and the database's ``about`` name the data's commit (not whether it is dirty).
    commit = portal.history.commit["commit"] if portal.history.commit else ""
    digest.add("commit", commit.encode())
    for name, source in source_files(portal):
        digest.add(name, source.read_bytes())
    return digest.hexdigest()


def _integer(text: str) -> int | None:
    return int(text) if text else None


def _boolean(text: str) -> bool | None:
    return text == "是" if text else None


def _string(text: str) -> str | None:
    return text or None


def converter(field: dict[str, Any]) -> Callable[[str], Any]:
    """``typed`` for one column, chosen once: what the bulk writers call for every cell."""
    kind = field.get("type", "string")
    if kind == "integer":
        return _integer
    if kind == "boolean":
        return _boolean
    if kind == "number":
        return partial(typed, field)
    return _string


def typed(field: dict[str, Any], text: str) -> Any:
    """A published value as JSON/XLSX/SQLite want it: None for empty, numbers and booleans typed."""
    if text == "":
        return None
    kind = field.get("type", "string")
    if kind == "integer":
        return int(text)
    if kind == "number":
        number = float(text)
        return int(number) if number.is_integer() and "." not in text else number
    if kind == "boolean":
        return text == "是"
    return text
