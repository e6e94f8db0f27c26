"""Published records compared as readers see them: the table a published CSV holds, its rows by
primary key, and which fields of a record changed. Used by the nothing-lost check, the change list
and ``fetch-published``."""

from __future__ import annotations

import csv
from pathlib import Path

from generator.core.datatree import REGISTRY_CSV
from generator.core.schema import PACKAGE_RESOURCES, REGISTRY_RESOURCE, resource_spec, table_schema

_BY_FILE = {resource_spec(name)["path"]: name for name in PACKAGE_RESOURCES}


def table_of(path: str) -> tuple[str, str, str] | None:
    """(table, unit_id, period) of a published CSV path, or None if it is not a data table."""
    parts = path.split("/")
    if parts == ["downloads", REGISTRY_CSV]:
        return REGISTRY_RESOURCE, "", ""
    if len(parts) == 4 and parts[0] == "downloads" and parts[3] in _BY_FILE:
        return _BY_FILE[parts[3]], parts[1], parts[2]
    return None


def read_records(path: Path, table: str) -> dict[tuple[str, ...], dict[str, str]]:
    """The rows of a published CSV as written, by primary key, in file order."""
    key = table_schema(table).get("primaryKey", [])
    with path.open(encoding="utf-8", newline="") as handle:
        return {tuple(row.get(k) or "" for k in key): dict(row) for row in csv.DictReader(handle)}


class RecordReader:
    """``read_records`` once per file for a whole build: the published-records check (before anything
    is written) and the change list of the release (after) compare the same changed tables, and each
    file is parsed once. Only the files they read are kept: the tables that changed."""

    def __init__(self) -> None:
        self._read: dict[tuple[Path, str], dict[tuple[str, ...], dict[str, str]]] = {}

    def __call__(self, path: Path, table: str) -> dict[tuple[str, ...], dict[str, str]]:
        key = (Path(path), table)
        if key not in self._read:
            self._read[key] = read_records(path, table)
        return self._read[key]


def changed_fields(old: dict[str, str], new: dict[str, str]) -> dict[str, list[str]]:
    """The fields of one record whose value differs: name → [old value, new value]."""
    return {name: [old.get(name, ""), value] for name, value in new.items() if old.get(name, "") != value}


def record_label(row: dict[str, str]) -> str:
    """What a record is called to readers: its title, name, subject, content or step."""
    for name in ("title", "name", "subject", "content", "step"):
        if row.get(name):
            return row[name]
    return ""
