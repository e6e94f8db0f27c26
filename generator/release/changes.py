"""What changed since the previous release: records added, corrected (old → new) and withdrawn.

The previous release's data is the currently published site (its ``downloads/``), compared file
by file: a CSV whose SHA-256 is in the previous manifest unchanged is skipped, so a quarterly
release reads only the files that changed. Records are matched by table, unit, quarter and
primary key. The first release records only how many records it published.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from generator.core.files import sha256_file
from generator.core.model import Portal
from generator.core.records import changed_fields, read_records, record_label, table_of
from generator.core.schema import table_schema
from generator.core.urls import download_dir
from generator.export.tables import source_files
from generator.guard.redact import KEPT, withheld_by_package, withheld_record


def compute_changes(
    portal: Portal,
    previous_site: Path | None,
    previous_files: dict[str, str] | None,
    data_through: str,
    reader: Callable[..., Any] = read_records,
) -> tuple[dict[str, Any], dict[str, str]]:
    """The change list of this release, and the SHA-256 of every current source file (by site path)."""
    current = {path: source for path, source in source_files(portal) if table_of(path)}
    # Each package file's hash as it was loaded (``Disclosure.files``): only the rest are read.
    known = {
        download_dir(dis) + name: digest
        for dis in portal.disclosures
        for name, (_size, digest) in dis.files.items()
    }
    hashes = {path: known.get(path) or sha256_file(source) for path, source in current.items()}
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
        old = reader(old_file, table) if path in old_paths and old_file.is_file() else {}
        new = reader(current[path], table) if path in current else {}
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
