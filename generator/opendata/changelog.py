"""What changed since the previous release: records added, corrected (old → new) and withdrawn.

The previous release's data is the currently published site (its ``downloads/``), compared file
by file: a CSV whose SHA-256 is in the previous manifest unchanged is skipped, so a quarterly
release reads only the files that changed. Records are matched by table, unit, quarter and
primary key. The first release records only how many records it published.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from generator.layout import REGISTRY_CSV
from generator.model import Portal
from generator.opendata.manifest import sha256_file
from generator.opendata.tables import source_files
from generator.redact import KEPT, withheld_by_package, withheld_record
from generator.schema import PACKAGE_RESOURCES, REGISTRY_RESOURCE, resource_spec, table_schema

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


def changed_fields(old: dict[str, str], new: dict[str, str]) -> dict[str, list[str]]:
    """The fields of one record whose value differs: name → [old value, new value]."""
    return {name: [old.get(name, ""), value] for name, value in new.items() if old.get(name, "") != value}


def record_label(row: dict[str, str]) -> str:
    """What a record is called to readers: its title, name, subject, content or step."""
    for name in ("title", "name", "subject", "content", "step"):
        if row.get(name):
            return row[name]
    return ""


def compute_changes(
    portal: Portal, previous_site: Path | None, previous_files: dict[str, str] | None, data_through: str
) -> tuple[dict[str, Any], dict[str, str]]:
    """The change list of this release, and the SHA-256 of every current source file (by site path)."""
    current = {path: source for path, source in source_files(portal) if table_of(path)}
    hashes = {path: sha256_file(source) for path, source in current.items()}
    counts = {"added": 0, "changed": 0, "withdrawn": 0}
    result: dict[str, Any] = {"data_through": data_through, "first": previous_files is None}
    if previous_files is None or previous_site is None:
        published: dict[str, int] = {}
        for path, source in current.items():
            table = table_of(path)[0]  # type: ignore[index]
            with source.open(encoding="utf-8", newline="") as handle:
                published[table] = published.get(table, 0) + max(sum(1 for _ in handle) - 1, 0)
        counts["added"] = sum(published.values())
        result.update(counts=counts, published=published, records=[])
        return result, hashes

    records: list[dict[str, Any]] = []
    old_paths = {p for p in previous_files if table_of(p)}
    withheld = withheld_by_package(portal)  # 依法不予公开 now: stances are withheld with their decision

    for path in sorted(set(current) | old_paths):
        if previous_files.get(path) == hashes.get(path):
            continue
        table, unit, period = table_of(path)  # type: ignore[misc]
        key_names = table_schema(table).get("primaryKey", [])
        old_file = previous_site / path
        old = read_records(old_file, table) if path in old_paths and old_file.is_file() else {}
        new = read_records(current[path], table) if path in current else {}
        for key in sorted(set(old) | set(new)):
            base = {
                "table": table,
                "unit_id": unit,
                "period": period,
                "key": dict(zip(key_names, key, strict=True)),
            }
            if key not in old:
                records.append({**base, "change": "added", "label": record_label(new[key])})
                counts["added"] += 1
            elif key not in new:
                records.append({**base, "change": "withdrawn", "label": record_label(old[key])})
                counts["withdrawn"] += 1
            else:
                fields = changed_fields(old[key], new[key])
                # Withheld by law since: the old values of the withheld fields are not repeated.
                ids = withheld.get((unit, period), (set(), set()))
                if withheld_record(table, "/".join(key), *ids):
                    fields = {name: change for name, change in fields.items() if name in KEPT[table]}
                if fields:
                    records.append(
                        {**base, "change": "changed", "label": record_label(new[key]), "fields": fields}
                    )
                    counts["changed"] += 1
    result.update(counts=counts, records=records)
    return result, hashes
