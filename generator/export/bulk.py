"""Whole-portal bulk downloads, one set per table: CSV, Excel CSV, XLSX, JSON; plus zips.

``downloads/all/`` holds, for each table, ``<table>.csv`` (UTF-8, the published columns plus
unit_id and period), ``<table>-excel.csv`` (UTF-8 with BOM and Chinese headers: what Excel on
Windows needs to show Chinese), ``<table>.xlsx`` (Chinese headers) and ``<table>.json``; the
combined ``datapackage.json`` (valid for ``frictionless validate``) and its zip
``gongkai-all.zip``; ``gongkai-packages.zip`` with every unit-quarter package as published; and
the SQLite database (``generator.export.sqlite``). Every file is byte-identical for identical
input: zip entries sorted with fixed dates, XLSX timestamps taken from the data.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.core.archive import zip_bytes
from generator.core.datatree import DESCRIPTOR, REGISTRY_CSV
from generator.core.model import Portal
from generator.core.schema import PROFILE, REGISTRY_RESOURCE, SCHEMA_VERSION, resource_spec
from generator.core.spreadsheet import excel_number, excel_text, may_hold_formula
from generator.export import xlsx
from generator.export.jsonout import Ledger
from generator.export.tables import (
    STANCE_DETAILS,
    TABLES,
    Table,
    combined_schema,
    converter,
    source_files,
    stance_details,
)
from generator.export.xlsx import WorkbookWriter, about_sheet, sheet_head, table_workbook

BULK_DIR = "downloads/all"
PACKAGE_NAME = "gongkai-all"
COMBINED_ZIP = "gongkai-all.zip"
COMBINED_XLSX = "gongkai-all.xlsx"
PACKAGES_ZIP = "gongkai-packages.zip"


@dataclass(frozen=True)
class BulkFile:
    """One file in ``downloads/all/``, for the download page and the catalog."""

    name: str
    table: str  # table name, or "" for whole-portal files
    kind: str  # csv, excel-csv, xlsx, json, datapackage, zip, sqlite
    rows: int
    note: str = ""  # said beside the file on the downloads page (a workbook split for Excel's row limit)


def _write_workbooks(
    ledger: Ledger,
    name: str,
    table: str,
    parts: list[tuple[str, Table]],
    about: list[tuple[str, str]],
    data_date: str,
    limit: int,
    also: tuple[WorkbookWriter, ...] = (),
) -> list[BulkFile]:
    """The XLSX of one bulk table (``name``.xlsx, or one a year when a sheet could not hold it:
    ``excel_parts``), each also streamed into ``also``; what was written, said so when split."""
    note = (
        f"超过 Excel 一张工作表的上限（{limit:,} 行），按年份分为 {len(parts)} 个工作簿"
        if len(parts) > 1
        else ""
    )
    for suffix, part in parts:
        ledger.write(f"{name}{suffix}.xlsx", table_workbook(part, data_date, about, also))
    return [BulkFile(f"{name}{suffix}.xlsx", table, "xlsx", len(part.rows), note) for suffix, part in parts]


def excel_parts(table: Table, limit: int = xlsx.MAX_ROWS) -> list[tuple[str, Table]]:
    """``table`` as Excel can open it: whole, or split by year (then in numbered parts) when it has
    more rows than a sheet holds (``limit``: 1,048,576 with the header). Each part: (file suffix, table)."""
    limit -= 1
    if len(table.rows) <= limit:
        return [("", table)]
    at = table.header.index("period") if "period" in table.header else None
    years: dict[str, list[list[str]]] = {}
    for row in table.rows:
        years.setdefault(row[at][:4] if at is not None else "all", []).append(row)
    parts = []
    for year, rows in years.items():
        chunks = [rows[i : i + limit] for i in range(0, len(rows), limit)]
        for number, chunk in enumerate(chunks, start=1):
            suffix = f"-{year}" if len(chunks) == 1 else f"-{year}-{number}"
            parts.append((suffix, Table(table.name, f"{table.title} {suffix[1:]}", table.fields, chunk)))
    return parts


def _csv_bytes(header: list[str], rows: list[list[str]]) -> bytes:
    """The machine-readable CSV: UTF-8, every value exactly as published."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _excel_csv_bytes(table: Table) -> bytes:
    """The CSV for Excel: BOM, Chinese headers, CRLF, every field quoted, and a leading apostrophe
    before any text a spreadsheet could run as a formula (``generator.core.spreadsheet``)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    writer.writerow([excel_text(title) for title in table.titles])
    fixes: list[tuple[int, Any]] = []
    for i, field in enumerate(table.fields):
        if field.get("type") in ("integer", "number"):
            fixes.append((i, excel_number))
        elif may_hold_formula(field):
            fixes.append((i, excel_text))
    for row in table.rows:
        safe = row.copy()
        for i, make_safe in fixes:
            safe[i] = make_safe(safe[i])
        writer.writerow(safe)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _json_bytes(table: Table) -> bytes:
    names = table.header
    convert = [converter(f) for f in table.fields]
    records = [
        dict(zip(names, [c(value) for c, value in zip(convert, row, strict=True)], strict=True))
        for row in table.rows
    ]
    return (json.dumps(records, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def workbook_about(portal: Portal, data_date: str, what: str) -> list[tuple[str, str]]:
    """The 说明 sheet of a workbook: what it holds, then the database's own ``about`` rows (title,
    publisher, source, licence, data date …) but for its note on full-text search."""
    from generator.export.sqlite import about_rows

    return [("内容", what), *about_rows(portal, container="本工作簿", search=False)]


def combined_descriptor(portal: Portal) -> dict[str, Any]:
    """The ``datapackage.json`` of the whole-portal package (one resource per combined table)."""
    config = portal.config
    resources = []
    for name in TABLES:
        spec = resource_spec(name)
        resources.append(
            {
                "name": name,
                "path": f"{name}.csv",
                "title": spec["title"],
                "description": spec["description"]
                + (
                    ""
                    if name == REGISTRY_RESOURCE
                    else "本表合并了全部单位、全部季度的数据，前两列为单位编号和季度。"
                ),
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": combined_schema(name),
            }
        )
    return {
        "profile": PROFILE,
        "name": PACKAGE_NAME,
        "title": f"{config.title}全部数据（合并）",
        "description": "全部单位、全部季度的公开数据，按表合并；每张表的主键和外键均加上单位编号和季度。",
        "licenses": [config.licence_info],
        "gongkai": {"schema_version": SCHEMA_VERSION, "periods": [str(p) for p in portal.periods]},
        "resources": resources,
    }


def write_bulk(
    portal: Portal,
    tables: dict[str, Table],
    target: Path,
    data_date: str,
    ledger: Ledger | None = None,
    excel_limit: int | None = None,
) -> list[BulkFile]:
    """Write every bulk file into ``target`` (``downloads/all/`` of the site); return what was written.

    ``ledger`` (rooted at ``target``) records the size and SHA-256 of each file written. The work
    is in two halves (``write_bulk_tables``, ``write_bulk_extras``) that the build runs in two
    processes at once; ``bulk_listing`` puts what they wrote in the downloads page's order."""
    target.mkdir(parents=True, exist_ok=True)
    ledger = ledger or Ledger(target)
    tables_part = write_bulk_tables(portal, tables, data_date, ledger, excel_limit)
    extras_part = write_bulk_extras(portal, tables, target, data_date, ledger, excel_limit)
    return bulk_listing(tables_part, extras_part)


BulkPart = tuple[list[BulkFile], list[BulkFile]]


def bulk_listing(tables_part: BulkPart, extras_part: BulkPart) -> list[BulkFile]:
    """The bulk files in the order the downloads page lists them: each table's files, 表态明细, the
    whole-portal workbook, package and zip, the packages' zip and the database."""
    return [*tables_part[0], *extras_part[0], *tables_part[1], *extras_part[1]]


def write_bulk_tables(
    portal: Portal,
    tables: dict[str, Table],
    data_date: str,
    ledger: Ledger,
    excel_limit: int | None = None,
) -> BulkPart:
    """Each table's CSV, Excel CSV, XLSX and JSON; the whole-portal workbook, ``datapackage.json``
    and zip. Returns (each table's files, the whole-portal files)."""
    files: list[BulkFile] = []
    combined: list[tuple[str, bytes]] = []
    # One workbook of the whole portal (a sheet per table, then 说明), written table by table as the
    # per-table workbooks are; zipped at deflate level 1, a fifth larger and three times faster.
    limit = excel_limit or xlsx.MAX_ROWS
    whole_about = about_sheet(
        workbook_about(portal, data_date, "全部数据表，每张表一个工作表（全部单位、全部季度）")
    )
    split = {name: excel_parts(tables[name], limit) for name in TABLES}
    whole = WorkbookWriter(
        [*(sheet_head(part) for name in TABLES for _, part in split[name]), whole_about],
        f"{portal.config.title}全部数据",
        data_date,
        level=1,
    )
    for name in TABLES:
        table = tables[name]
        count = len(table.rows)
        plain = _csv_bytes(table.header, table.rows)
        ledger.write(f"{name}.csv", plain)
        combined.append((f"{name}.csv", plain))
        ledger.write(f"{name}-excel.csv", _excel_csv_bytes(table))
        ledger.write(f"{name}.json", _json_bytes(table))
        about = workbook_about(portal, data_date, f"{table.title}（全部单位、全部季度）")
        files += [
            BulkFile(f"{name}.csv", name, "csv", count),
            BulkFile(f"{name}-excel.csv", name, "excel-csv", count),
            *_write_workbooks(ledger, name, name, split[name], about, data_date, limit, (whole,)),
            BulkFile(f"{name}.json", name, "json", count),
        ]
    whole.add(whole_about)
    ledger.write(COMBINED_XLSX, whole.getvalue())
    descriptor = (json.dumps(combined_descriptor(portal), ensure_ascii=False, indent=2) + "\n").encode()
    ledger.write(DESCRIPTOR, descriptor)
    # At the top of the zip, so that `frictionless validate` reads the zip as a package.
    combined.append((DESCRIPTOR, descriptor))
    total = sum(len(t.rows) for t in tables.values())
    ledger.write(COMBINED_ZIP, zip_bytes(combined))
    whole_files = [
        BulkFile(COMBINED_XLSX, "", "xlsx", total),
        BulkFile(DESCRIPTOR, "", "datapackage", total),
        BulkFile(COMBINED_ZIP, "", "zip", total),
    ]
    return files, whole_files


def write_bulk_extras(
    portal: Portal,
    tables: dict[str, Table],
    target: Path,
    data_date: str,
    ledger: Ledger,
    excel_limit: int | None = None,
) -> BulkPart:
    """表态明细 (CSV, XLSX), every package as published in one zip, and the SQLite database.
    Returns (the 表态明细 files, the packages' zip and the database)."""
    from generator.export.sqlite import DB_NAME, write_database

    target.mkdir(parents=True, exist_ok=True)
    limit = excel_limit or xlsx.MAX_ROWS
    # Stances as a reader wants them: with the member's name and the decision's title (a view, not
    # part of the data package; in the database, the view of the same name).
    details = stance_details(tables)
    about = workbook_about(portal, data_date, "表态明细：每位成员对每个事项的表态，附姓名、职务和事项名称")
    ledger.write(f"{STANCE_DETAILS}.csv", _csv_bytes(details.header, details.rows))
    detail_files = [BulkFile(f"{STANCE_DETAILS}.csv", "", "csv", len(details.rows))]
    parts = excel_parts(details, limit)
    detail_files += _write_workbooks(ledger, STANCE_DETAILS, "", parts, about, data_date, limit)
    del details, parts
    total = sum(len(t.rows) for t in tables.values())

    # Every package as published, in the data tree's layout (each folder a valid package).
    packages = [
        (f"gongkai-packages/{path.removeprefix('downloads/')}", source.read_bytes())
        for path, source in source_files(portal)
    ]
    assert packages[0][0].endswith(DESCRIPTOR) and packages[1][0].endswith(REGISTRY_CSV)
    ledger.write(PACKAGES_ZIP, zip_bytes(packages))
    write_database(portal, tables, target / DB_NAME)
    return detail_files, [BulkFile(PACKAGES_ZIP, "", "zip", total), BulkFile(DB_NAME, "", "sqlite", total)]
