"""Nothing lost: a published record changes only by a correction and disappears only by a withdrawal.

The previous release is the site currently published in the output directory: its
``downloads/<unit>/<period>/*.csv`` are the records exactly as readers saw them. Records are matched
by table, unit, quarter and primary key (``generator.release.changes`` diffs them). Every field
of a published record whose value changed needs a row in the package's ``corrections.csv`` (更正记录:
which record, which field, old value, new value, reason, date); every published record that is gone
needs a row in ``withdrawals.csv`` (撤回记录), which also withdraws the rows that belong to it (a
decision's stances). Both files only ever grow: a published correction or withdrawal stays.

The entries are checked against the data too: a correction names a field of a record that exists,
its old value is the published one and its new value the current one; a withdrawn record is gone
from the data and was published. A first release (no previous site) has nothing to compare.
Files identical to the published ones are skipped without being parsed, so a quarterly release
reads only what changed.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

from generator.core.datatree import DESCRIPTOR, PackageRef, Period, package_dirs
from generator.core.findings import Finding, Report, display_path
from generator.core.messages import Place, expected_header, table_title
from generator.core.records import changed_fields, read_records, record_label
from generator.core.schema import (
    OPTIONAL_RESOURCES,
    PACKAGE_RESOURCES,
    dependent_tables,
    field_info,
    field_names,
    resource_spec,
    table_schema,
)
from generator.guard.redact import (
    CORRECTIONS,
    KEPT,
    REDACTED_ENTRY_FIELDS,
    WITHHELD_TEXT,
    redact_data,
    withheld_field,
)

#: Where a built site keeps the packages as published.
DOWNLOADS = "downloads"


def check_published(
    data_dir: Path,
    site_dir: Path | None,
    view: Mapping[str, Path] | None = None,
    reader: Callable[..., Any] = read_records,
) -> Report:
    """Findings for every published record changed or removed without a correction or withdrawal,
    and for every correction or withdrawal that does not match the data.

    What is compared with the published copy is the data *as published*: records withheld by law
    (依法不予公开) in their redacted form. ``view`` maps a package key to its redacted copy (the build's
    own, ``generator.guard.redact``); without it, the redacted copies are made here, in a temporary directory.
    ``reader`` parses a CSV by primary key (the build's ``RecordReader``, shared with its change list)."""
    data_dir = Path(data_dir)
    if view is None:
        with tempfile.TemporaryDirectory(prefix="gongkai-published-check-") as work:
            return check_published(data_dir, site_dir, redact_data(data_dir, Path(work)).sources)
    root = data_dir.as_posix()
    packages = {ref.key: replace(ref, path=view.get(ref.key, ref.path)) for ref in package_dirs(data_dir)}
    published = published_packages(site_dir)
    findings: list[Finding] = []
    for key, ref in packages.items():
        try:
            findings.extend(_PackageCheck(root, ref, published.get(key), reader).run())
        except (OSError, UnicodeDecodeError, csv.Error) as exc:  # e.g. a damaged published copy
            place = Place(file=key, display=display_path(root, key))
            findings.append(
                place.finding("internal-error", detail=f"与已发布的数据比对失败：{type(exc).__name__}: {exc}")
            )
    for key in sorted(set(published) - set(packages)):
        period = Period.parse(key.split("/")[1])
        place = Place(file=key, display=display_path(root, key))
        findings.append(
            place.finding("published-package-removed", period_label=period.label if period else key)
        )
    return Report(errors=findings, packages_checked=len(packages), root=root)


def published_packages(site_dir: Path | None) -> dict[str, Path]:
    """``unit/period`` → directory of that package in the published site's downloads."""
    downloads = site_dir / DOWNLOADS if site_dir is not None else None
    if downloads is None or not downloads.is_dir():
        return {}
    return {
        f"{unit.name}/{period.name}": period
        for unit in sorted(p for p in downloads.iterdir() if p.is_dir())
        for period in sorted(p for p in unit.iterdir() if p.is_dir())
        if Period.parse(period.name) is not None and (period / DESCRIPTOR).is_file()
    }


@dataclass
class _Indexed:
    """One table of one package: rows by record id (``/``-joined primary key), with their row numbers."""

    rows: dict[str, tuple[int, dict[str, str]]] = field(default_factory=dict)

    @classmethod
    def read(cls, path: Path, table: str, reader: Callable[..., Any] = read_records) -> _Indexed:
        if not path.is_file():
            return cls()
        records = reader(path, table)
        return cls(
            {"/".join(key): (number, row) for number, (key, row) in enumerate(records.items(), start=2)}
        )


class _PackageCheck:
    """Every check of one package: its entries against its data, its data against the published copy."""

    def __init__(
        self, root: str, ref: PackageRef, old_dir: Path | None, reader: Callable[..., Any] = read_records
    ) -> None:
        self.root, self.ref, self.old_dir, self.reader = root, ref, old_dir, reader
        self._current: dict[str, _Indexed] = {}
        self._old: dict[str, _Indexed] = {}
        self.findings: list[Finding] = []

    def run(self) -> list[Finding]:
        self._check_corrections()
        self._check_withdrawals()
        if self.old_dir is not None:
            self._check_entries_kept()
            for table in PACKAGE_RESOURCES:
                self._check_table(table)
        return self.findings

    # --- Reading ------------------------------------------------------------------------------------

    def current(self, table: str) -> _Indexed:
        if table not in self._current:
            self._current[table] = _Indexed.read(
                self.ref.path / resource_spec(table)["path"], table, self.reader
            )
        return self._current[table]

    def old(self, table: str) -> _Indexed:
        if table not in self._old:
            assert self.old_dir is not None
            self._old[table] = _Indexed.read(self.old_dir / resource_spec(table)["path"], table, self.reader)
        return self._old[table]

    def place(self, table: str) -> Place:
        rel = f"{self.ref.key}/{resource_spec(table)['path']}"
        return Place(file=rel, display=display_path(self.root, rel), table=table)

    def entries(self, name: str) -> list[tuple[int, dict[str, str]]]:
        return list(self.current(name).rows.values())

    def is_new(self, name: str, entry: dict[str, str]) -> bool:
        """True for a correction or withdrawal that the previous release did not have."""
        if self.old_dir is None:
            return True
        return all(old != entry for _, old in self.old(name).rows.values())

    @cached_property
    def withdrawn(self) -> set[tuple[str, str]]:
        return {(w["table"], w["record_id"]) for _, w in self.entries("withdrawals")}

    def is_withdrawn(self, table: str, rid: str) -> bool:
        """The record is withdrawn, itself or with the record it belongs to (a stance's decision)."""
        if (table, rid) in self.withdrawn:
            return True
        parent_id = rid.split("/")[0]
        return any(
            (parent, parent_id) in self.withdrawn
            for parent in PACKAGE_RESOURCES
            if table in dependent_tables(parent)
        )

    @cached_property
    def corrected(self) -> set[tuple[str, str, str, str, str]]:
        return {
            (c["table"], c["record_id"], c["field"], c["old_value"], c["new_value"])
            for _, c in self.entries("corrections")
        }

    # --- The entries against the data ---------------------------------------------------------------

    def _check_corrections(self) -> None:
        place = self.place("corrections")
        latest: dict[tuple[str, str, str], tuple[int, dict[str, str]]] = {}
        earliest: dict[tuple[str, str, str], tuple[int, dict[str, str]]] = {}
        for number, entry in sorted(self.entries("corrections"), key=lambda e: (e[1]["corrected_on"], e[0])):
            table, rid, name = entry["table"], entry["record_id"], entry["field"]
            context = {"table": table, "table_title": table_title(table)}
            if name not in field_names(table):
                allowed = "、".join(field_names(table))
                self.findings.append(
                    place.finding(
                        "correction-target:field",
                        row=number,
                        column="field",
                        value=name,
                        allowed=allowed,
                        **context,
                    )
                )
                continue
            if name in table_schema(table).get("primaryKey", []):
                self.findings.append(
                    place.finding("correction-target:key", row=number, column="field", value=name, **context)
                )
                continue
            if self.is_withdrawn(table, rid):
                continue  # corrected once, withdrawn since: the correction stays on record
            if rid not in self.current(table).rows:
                data_file = self.place(table).display
                self.findings.append(
                    place.finding(
                        "correction-target:record",
                        row=number,
                        column="record_id",
                        value=rid,
                        data_file=data_file,
                    )
                )
                continue
            if self._redacted(entry):
                continue  # a withheld field: its values are not published, so there is nothing to match
            if self.is_new("corrections", entry):
                earliest.setdefault((table, rid, name), (number, entry))
                latest[(table, rid, name)] = (number, entry)
        for (table, rid, name), (number, entry) in earliest.items():
            if self.old_dir is None:
                continue
            context = {
                "table_title": table_title(table),
                "record": rid,
                "field_label": _field_label(table, name),
            }
            published = self.old(table).rows.get(rid)
            if published is None:
                self.findings.append(
                    place.finding(
                        "correction-mismatch:unpublished",
                        row=number,
                        column="record_id",
                        value=rid,
                        **context,
                    )
                )
            elif published[1].get(name, "") != entry["old_value"]:
                self.findings.append(
                    place.finding(
                        "correction-mismatch:old",
                        row=number,
                        column="old_value",
                        value=entry["old_value"],
                        expected=published[1].get(name, ""),
                        published=published[1].get(name, ""),
                        **context,
                    )
                )
        for (table, rid, name), (number, entry) in latest.items():
            current = self.current(table).rows[rid][1].get(name, "")
            if current != entry["new_value"]:
                self.findings.append(
                    place.finding(
                        "correction-mismatch:new",
                        row=number,
                        column="new_value",
                        value=entry["new_value"],
                        expected=current,
                        current=current,
                        data_file=self.place(table).display,
                        table_title=table_title(table),
                        record=rid,
                        field_label=_field_label(table, name),
                    )
                )

    def _check_withdrawals(self) -> None:
        place = self.place("withdrawals")
        for number, entry in self.entries("withdrawals"):
            table, rid = entry["table"], entry["record_id"]
            still = self.current(table).rows.get(rid)
            if still is not None:
                self.findings.append(
                    place.finding(
                        "withdrawal-target:present",
                        row=number,
                        column="record_id",
                        value=rid,
                        data_file=self.place(table).display,
                        other_row=still[0],
                    )
                )
            elif (
                self.old_dir is not None
                and self.is_new("withdrawals", entry)
                and rid not in self.old(table).rows
            ):
                self.findings.append(
                    place.finding(
                        "withdrawal-target:unpublished",
                        row=number,
                        column="record_id",
                        value=rid,
                        table_title=table_title(table),
                    )
                )

    def _check_entries_kept(self) -> None:
        for name in OPTIONAL_RESOURCES:
            current = [row for _, row in self.entries(name)]
            for _, row in self.old(name).rows.values():
                if row not in current and not (
                    name == CORRECTIONS and self._redacted(row) and _redacted_entry(row) in current
                ):
                    shown = " ".join(row.get(f, "") for f in ("table", "record_id", "field") if f in row)
                    self.findings.append(
                        self.place(name).finding(
                            "published-entry-removed", value=shown, table_title=table_title(name)
                        )
                    )

    # --- The data against the previous release -------------------------------------------------------

    def _check_table(self, table: str) -> None:
        assert self.old_dir is not None
        path = resource_spec(table)["path"]
        old_file, new_file = self.old_dir / path, self.ref.path / path
        if not old_file.is_file() or (new_file.is_file() and old_file.read_bytes() == new_file.read_bytes()):
            return
        place = self.place(table)
        covered = self._withdrawn_with_parent(table)
        current = self.current(table).rows
        for rid, (_, old_row) in self.old(table).rows.items():
            label = record_label(old_row) or rid
            context: dict[str, Any] = {
                "table": table,
                "table_title": table_title(table),
                "record": rid,
                "label": label,
            }
            if rid not in current:
                if not covered(rid, old_row):
                    self.findings.append(
                        place.finding(
                            "published-removal",
                            value=rid,
                            fix_file=self._fix_file("withdrawals"),
                            **context,
                        )
                    )
                continue
            number, new_row = current[rid]
            for name, (old, new) in changed_fields(old_row, new_row).items():
                if self._withholding(table, rid, new_row, name):
                    continue  # withheld by law since: the mark and its basis are the published reason
                if (table, rid, name, old, new) not in self.corrected:
                    self.findings.append(
                        place.finding(
                            "published-edit",
                            row=number,
                            column=name,
                            value=new,
                            expected=old,
                            old=old,
                            field=name,
                            field_title=(field_info(table, name).title if field_info(table, name) else name),  # type: ignore[union-attr]
                            fix_file=self._fix_file("corrections"),
                            **context,
                        )
                    )

    @cached_property
    def _withheld_now(self) -> tuple[set[str], set[str]]:
        """The decisions and hearings of the package withheld by law in the current data."""
        decisions, hearings = (
            {rid for rid, (_, row) in self.current(table).rows.items() if row.get("withheld") == "是"}
            for table in ("decisions", "hearings")
        )
        return decisions, hearings

    def _redacted(self, entry: dict[str, str]) -> bool:
        """Whether a 更正记录 entry corrects a field that is withheld now (published redacted)."""
        return withheld_field(entry["table"], entry["record_id"], entry["field"], *self._withheld_now)

    @cached_property
    def _newly_withheld(self) -> set[tuple[str, str]]:
        """(table, record id) of the decisions and hearings published in the open and withheld by law now."""
        found = set()
        for table in ("decisions", "hearings"):
            old = self.old(table).rows
            for rid, (_, row) in self.current(table).rows.items():
                if row.get("withheld") == "是" and rid in old and old[rid][1].get("withheld") != "是":
                    found.add((table, rid))
        return found

    def _withholding(self, table: str, rid: str, row: dict[str, str], name: str) -> bool:
        """Whether a changed field is the redaction of a record withheld since it was published."""
        if table == "stances":  # a stance is withheld with its decision
            decision = ("decisions", row.get("decision_id", ""))
            return decision in self._newly_withheld and name not in KEPT[table]
        if (table, rid) not in self._newly_withheld:
            return False
        return name not in KEPT[table] or name in ("withheld", "withheld_basis")

    def _withdrawn_with_parent(self, table: str) -> Callable[[str, dict[str, str]], bool]:
        """Whether a removed row is withdrawn itself or belongs to a removed row (its decision)."""
        parents = [
            (parent, fk["fields"])
            for parent in PACKAGE_RESOURCES
            if table in dependent_tables(parent)
            for fk in table_schema(table).get("foreignKeys", [])
            if fk["reference"]["resource"] == parent
        ]

        def covered(rid: str, row: dict[str, str]) -> bool:
            if (table, rid) in self.withdrawn:
                return True
            for parent, fields in parents:
                parent_id = "/".join(row.get(f, "") for f in fields)
                # Withdrawn with its parent, or gone with it (then the parent has its own finding).
                if (parent, parent_id) in self.withdrawn or parent_id not in self.current(parent).rows:
                    return True
            return False

        return covered

    def _fix_file(self, name: str) -> str:
        rel = f"{self.ref.key}/{resource_spec(name)['path']}"
        shown = display_path(self.root, rel)
        if (self.ref.path / resource_spec(name)["path"]).exists():
            return shown
        return (
            f"{shown}（该文件还没有：新建时表头为 {expected_header(name)}，"
            f"并在 datapackage.json 的 resources 中加入资源“{name}”，gongkai validate 会提示缺少的内容）"
        )


def _field_label(table: str, name: str) -> str:
    info = field_info(table, name)
    return info.label if info else name


def _redacted_entry(entry: dict[str, str]) -> dict[str, str]:
    """A 更正记录 entry as the published view shows it once its field is withheld."""
    return {**entry, **dict.fromkeys(REDACTED_ENTRY_FIELDS, WITHHELD_TEXT)}


__all__ = ["check_published", "published_packages"]
