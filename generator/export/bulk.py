"""Whole-portal bulk downloads, one set per table: CSV, Excel CSV, XLSX, JSON; plus zips.

``downloads/all/`` holds, for each table, ``<table>.csv`` (UTF-8, the published columns plus
unit_id and period), ``<table>-excel.csv`` (UTF-8 with BOM and Chinese headers: what Excel on
Windows needs to show Chinese), ``<table>.xlsx`` (Chinese headers) and ``<table>.json``; the
combined ``datapackage.json`` (valid for ``frictionless validate``) and its zip
``gongkai-all.zip``; ``gongkai-packages.zip`` with every unit-quarter package as published; and
the SQLite database (``generator.export.sqlite``). Every file is byte-identical for identical
input: zip entries sorted with fixed dates, XLSX timestamps taken from the data.

Every file but the database is joined from the packages' slices (``generator.export.slices``): a
head and a tail made now, and each package's share as the cache keeps it. A rebuild after one
package changed makes that package's share and copies the rest.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.core.archive import Piece, ZipWriter, deflate
from generator.core.cache import Cache
from generator.core.datatree import DESCRIPTOR, REGISTRY_CSV
from generator.core.model import Portal
from generator.core.schema import PROFILE, REGISTRY_RESOURCE, SCHEMA_VERSION, resource_spec
from generator.export import xlsx
from generator.export.jsonout import Ledger
from generator.export.slices import (
    DETAILS_KIND,
    FILE_PREFIX,
    TABLES_KIND,
    Slices,
    SliceSet,
    csv_rows,
    excel_csv_header,
    registry_slices,
)
from generator.export.sqlite import DB_NAME, PreviousDatabase, write_database
from generator.export.tables import (
    STANCE_DETAILS,
    TABLES,
    combined_schema,
    detail_fields,
    registry_table,
    source_files,
)
from generator.export.xlsx import WorkbookWriter, about_sheet, sheet_head

BULK_DIR = "downloads/all"
PACKAGE_NAME = "gongkai-all"
COMBINED_ZIP = "gongkai-all.zip"
COMBINED_XLSX = "gongkai-all.xlsx"
PACKAGES_ZIP = "gongkai-packages.zip"
#: The database a build wrote, kept for the next one (under the bulk files' key), with what it
#: holds of each package (``_DB_PACKAGES``).
DB_CACHE_KIND = "sqlite-db"
_DB_PACKAGES = "packages.json"


@dataclass(frozen=True)
class BulkFile:
    """One file in ``downloads/all/``, for the download page and the catalog."""

    name: str
    table: str  # table name, or "" for whole-portal files
    kind: str  # csv, excel-csv, xlsx, json, datapackage, zip, sqlite
    rows: int
    note: str = ""  # said beside the file on the downloads page (a workbook split for Excel's row limit)


@dataclass
class _Part:
    """One workbook of a bulk table: its file suffix and its rows, as (package, first, end) ranges."""

    suffix: str
    segments: list[tuple[Slices, int, int]]

    @property
    def rows(self) -> int:
        return sum(end - first for _, first, end in self.segments)


def excel_parts(table: str, packages: list[Slices], limit: int = xlsx.MAX_ROWS) -> list[_Part]:
    """``table`` as Excel can open it: whole, or split by year (then in numbered parts) when it has
    more rows than a sheet holds (``limit``: 1,048,576 with the header)."""
    limit -= 1
    holding = [p for p in packages if p.count(table)]
    if sum(p.count(table) for p in holding) <= limit:
        return [_Part("", [(p, 0, p.count(table)) for p in holding])]
    years: dict[str, list[Slices]] = {}
    for package in holding:
        years.setdefault(package.year, []).append(package)
    parts = []
    for year, group in years.items():
        chunks: list[list[tuple[Slices, int, int]]] = [[]]
        room = limit
        for package in group:
            first, count = 0, package.count(table)
            while first < count:
                if room == 0:
                    chunks.append([])
                    room = limit
                take = min(room, count - first)
                chunks[-1].append((package, first, first + take))
                first += take
                room -= take
        for number, chunk in enumerate(chunks, start=1):
            parts.append(_Part(f"-{year}" if len(chunks) == 1 else f"-{year}-{number}", chunk))
    return parts


def _sheet_pieces(table: str, titles: list[str], fields: list[dict[str, Any]], part: _Part) -> list[Piece]:
    """A part's sheet, compressed: its head and tail made now, its packages' rows as kept (a package
    cut by the part's edge made again)."""
    whole = [(first, end) == (0, package.count(table)) for package, first, end in part.segments]
    widths: list[list[int]] = []
    for (package, first, end), is_whole in zip(part.segments, whole, strict=True):
        if len(widths) >= xlsx.WIDTH_ROWS:
            break
        rows = package.widths(table) if is_whole else xlsx.row_widths(package.rows(table)[first:end])
        widths += rows[: xlsx.WIDTH_ROWS - len(widths)]
    pieces = [deflate(xlsx.sheet_start(titles, widths).encode())]
    writers = xlsx.cell_writers(fields)
    for (package, first, end), is_whole in zip(part.segments, whole, strict=True):
        if is_whole:
            pieces.append(package.piece(f"{table}.sheet"))
        else:
            pieces.append(deflate(xlsx.sheet_rows(package.rows(table)[first:end], writers).encode()))
    pieces.append(deflate(xlsx.sheet_end(len(fields), part.rows).encode()))
    return pieces


def _write_workbooks(
    ledger: Ledger,
    name: str,
    table: str,
    title: str,
    fields: list[dict[str, Any]],
    parts: list[_Part],
    about: list[tuple[str, str]],
    data_date: str,
    limit: int,
    listed: str,
    also: WorkbookWriter | None = None,
) -> list[BulkFile]:
    """The XLSX of one bulk table (``name``.xlsx, or one a year when a sheet could not hold it:
    ``excel_parts``), each sheet also added to ``also``; what was written (``listed`` as of that
    table), said so when split."""
    note = (
        f"超过 Excel 一张工作表的上限（{limit:,} 行），按年份分为 {len(parts)} 个工作簿"
        if len(parts) > 1
        else ""
    )
    titles = [f.get("title", f["name"]) for f in fields]
    about_part = about_sheet(about)
    for part in parts:
        part_title = _part_title(title, part)
        head = sheet_head(part_title, part.rows, len(fields))
        pieces = _sheet_pieces(table, titles, fields, part)
        with ledger.stream(f"{name}{part.suffix}.xlsx") as out:
            workbook = WorkbookWriter([head, about_part], part_title, data_date, out)
            workbook.add_pieces(head, pieces)
            workbook.add(about_part)
            workbook.close()
        if also is not None:
            also.add_pieces(head, pieces)
    return [BulkFile(f"{name}{part.suffix}.xlsx", listed, "xlsx", part.rows, note) for part in parts]


def _part_title(title: str, part: _Part) -> str:
    return f"{title} {part.suffix[1:]}" if part.suffix else title


def workbook_about(portal: Portal, data_date: str, what: str) -> list[tuple[str, str]]:
    """The 说明 sheet of a workbook: what it holds, then the database's own ``about`` rows (title,
    publisher, source, licence, data date …) but for its note on full-text search."""
    from generator.export.sqlite import about_rows

    return [("内容", what), *about_rows(portal, data_date, container="本工作簿", search=False)]


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
    target: Path,
    data_date: str,
    ledger: Ledger | None = None,
    excel_limit: int | None = None,
    store: Cache | None = None,
) -> list[BulkFile]:
    """Write every bulk file into ``target`` (``downloads/all/`` of the site); return what was written.

    ``ledger`` (rooted at ``target``) records the size and SHA-256 of each file written; ``store``
    is the build cache that keeps the packages' slices. The work is in two halves
    (``write_bulk_tables``, ``write_bulk_extras``) that the build runs in two processes at once;
    ``bulk_listing`` puts what they wrote in the downloads page's order."""
    target.mkdir(parents=True, exist_ok=True)
    ledger = ledger or Ledger(target)
    tables_part = write_bulk_tables(portal, data_date, ledger, store, target.parent, excel_limit)
    extras_part = write_bulk_extras(portal, target, data_date, ledger, store, excel_limit)
    return bulk_listing(tables_part, extras_part)


BulkPart = tuple[list[BulkFile], list[BulkFile]]


def bulk_listing(tables_part: BulkPart, extras_part: BulkPart) -> list[BulkFile]:
    """The bulk files in the order the downloads page lists them: each table's files, 表态明细, the
    whole-portal workbook, package and zip, the packages' zip and the database."""
    return [*tables_part[0], *extras_part[0], *tables_part[1], *extras_part[1]]


def write_bulk_tables(
    portal: Portal,
    data_date: str | None,
    ledger: Ledger,
    store: Cache | None,
    work: Path,
    excel_limit: int | None = None,
    made: set[tuple[str, str]] | None = None,
) -> BulkPart:
    """Each table's CSV, Excel CSV, XLSX and JSON; the whole-portal workbook, ``datapackage.json``
    and zip, joined from the packages' slices (``generator.export.slices``; those the cache does not
    hold are made, in the scratch folder ``work``; ``made`` gets their (unit, quarter)). ``data_date``
    None: the slices' latest date. Returns (each table's files, the whole-portal files)."""
    registry = registry_slices(portal)
    slices = SliceSet(portal, TABLES_KIND, store, work)
    if made is not None:
        made |= slices.made
    try:
        date = data_date or slices.data_date()
        return _join_tables(portal, registry, slices.packages, date, ledger, excel_limit)
    finally:
        slices.close()


def _join_tables(
    portal: Portal,
    registry: Slices,
    packages: list[Slices],
    data_date: str,
    ledger: Ledger,
    excel_limit: int | None,
) -> BulkPart:
    files: list[BulkFile] = []
    zipped: list[tuple[str, list[Piece]]] = []
    limit = excel_limit or xlsx.MAX_ROWS
    sources = {name: [registry] if name == REGISTRY_RESOURCE else packages for name in TABLES}
    split = {name: excel_parts(name, sources[name], limit) for name in TABLES}
    titles = {name: resource_spec(name)["title"] for name in TABLES}
    # One workbook of the whole portal (a sheet per table, then 说明), its sheets the very pieces of
    # the per-table workbooks.
    whole_about = about_sheet(
        workbook_about(portal, data_date, "全部数据表，每张表一个工作表（全部单位、全部季度）")
    )
    heads = [
        sheet_head(_part_title(titles[name], part), part.rows, len(combined_schema(name)["fields"]))
        for name in TABLES
        for part in split[name]
    ]
    with ledger.stream(COMBINED_XLSX) as whole_out:
        whole = WorkbookWriter([*heads, whole_about], f"{portal.config.title}全部数据", data_date, whole_out)
        for name in TABLES:
            fields = combined_schema(name)["fields"]
            holding = [p for p in sources[name] if p.count(name)]
            count = sum(p.count(name) for p in holding)
            head = csv_rows([[f["name"] for f in fields]])
            with ledger.stream(f"{name}.csv") as out:
                out.write(head)
                for package in holding:
                    out.write(package.data(f"{name}.csv"))
            zipped.append((f"{name}.csv", [deflate(head), *(p.piece(f"{name}.csv.z") for p in holding)]))
            with ledger.stream(f"{name}-excel.csv") as out:
                out.write(excel_csv_header([f.get("title", f["name"]) for f in fields]))
                for package in holding:
                    out.write(package.data(f"{name}.excel"))
            with ledger.stream(f"{name}.json") as out:
                out.write(b"[")
                for number, package in enumerate(holding):
                    out.write((b"," if number else b"") + package.data(f"{name}.json"))
                out.write(b"]\n")
            about = workbook_about(portal, data_date, f"{titles[name]}（全部单位、全部季度）")
            files += [
                BulkFile(f"{name}.csv", name, "csv", count),
                BulkFile(f"{name}-excel.csv", name, "excel-csv", count),
                *_write_workbooks(
                    ledger,
                    name,
                    name,
                    titles[name],
                    fields,
                    split[name],
                    about,
                    data_date,
                    limit,
                    name,
                    whole,
                ),
                BulkFile(f"{name}.json", name, "json", count),
            ]
        whole.add(whole_about)
        whole.close()
    descriptor = (json.dumps(combined_descriptor(portal), ensure_ascii=False, indent=2) + "\n").encode()
    ledger.write(DESCRIPTOR, descriptor)
    zipped.append((DESCRIPTOR, [deflate(descriptor)]))
    total = sum(p.count(name) for name in TABLES for p in sources[name])
    with ledger.stream(COMBINED_ZIP) as out:
        archive = ZipWriter(out=out)
        for entry, pieces in sorted(zipped, key=lambda item: item[0]):
            archive.add_pieces(entry, pieces)
        archive.close()
    whole_files = [
        BulkFile(COMBINED_XLSX, "", "xlsx", total),
        BulkFile(DESCRIPTOR, "", "datapackage", total),
        BulkFile(COMBINED_ZIP, "", "zip", total),
    ]
    return files, whole_files


def _previous_database(store: Cache | None, key: str | None) -> PreviousDatabase | None:
    """The database the build of bulk key ``key`` wrote, as the cache keeps it (verified), and what
    it holds of each package; None if there is none."""
    entry = store.lookup(DB_CACHE_KIND, key) if store is not None and key else None
    if entry is None:
        return None
    with contextlib.suppress(OSError, ValueError, TypeError, KeyError):
        listed = json.loads((entry.path / _DB_PACKAGES).read_bytes())
        held = {
            (str(unit), str(period)): (str(k), {str(t): int(n) for t, n in rows.items()})
            for unit, period, k, rows in listed
        }
        return entry.path / DB_NAME, held
    return None


def write_bulk_extras(
    portal: Portal,
    target: Path,
    data_date: str | None,
    ledger: Ledger,
    store: Cache | None,
    excel_limit: int | None = None,
    made: set[tuple[str, str]] | None = None,
    key: str = "",
    previous: str | None = None,
) -> BulkPart:
    """表态明细 (CSV, XLSX), every package as published in one zip, and the SQLite database.
    Returns (the 表态明细 files, the packages' zip and the database); ``made`` gets the (unit,
    quarter) of the packages whose slices were made. The database is kept in ``store`` under
    ``key`` (the bulk files' key), and the one kept under ``previous`` (the published site's)
    gives the rows of the packages that did not change. ``data_date`` None: the slices' latest date."""
    target.mkdir(parents=True, exist_ok=True)
    limit = excel_limit or xlsx.MAX_ROWS
    slices = SliceSet(portal, DETAILS_KIND, store, target.parent)
    if made is not None:
        made |= slices.made
    try:
        date = data_date or slices.data_date()
        # Stances as a reader wants them: with the member's name and the decision's title (a view,
        # not part of the data package; in the database, the view of the same name), in order of
        # unit and quarter.
        packages = sorted(slices.packages, key=lambda p: p.sort_key)
        fields = list(detail_fields())
        holding = [p for p in packages if p.count(STANCE_DETAILS)]
        count = sum(p.count(STANCE_DETAILS) for p in holding)
        with ledger.stream(f"{STANCE_DETAILS}.csv") as out:
            out.write(csv_rows([[f["name"] for f in fields]]))
            for package in holding:
                out.write(package.data(f"{STANCE_DETAILS}.csv"))
        detail_files = [BulkFile(f"{STANCE_DETAILS}.csv", "", "csv", count)]
        about = workbook_about(portal, date, "表态明细：每位成员对每个事项的表态，附姓名、职务和事项名称")
        parts = excel_parts(STANCE_DETAILS, holding, limit)
        detail_files += _write_workbooks(
            ledger, STANCE_DETAILS, STANCE_DETAILS, "表态明细", fields, parts, about, date, limit, ""
        )
        # Every package as published, in the data tree's layout (each folder a valid package).
        entries = [
            (f"gongkai-packages/{path.removeprefix('downloads/')}", deflate(source.read_bytes()))
            for path, source in source_files(portal)[:2]
        ]
        assert entries[0][0].endswith(DESCRIPTOR) and entries[1][0].endswith(REGISTRY_CSV)
        entries += [(name, p.piece(FILE_PREFIX + name)) for p in slices.packages for name in p.files()]
        total = sum(p.total_rows for p in slices.packages) + len(registry_table(portal).rows)
        with ledger.stream(PACKAGES_ZIP) as out:
            archive = ZipWriter(out=out)
            for name, piece in sorted(entries, key=lambda item: item[0]):
                archive.add_pieces(name, [piece])
            archive.close()
        held = write_database(
            portal, target / DB_NAME, slices.packages, date, _previous_database(store, previous)
        )
        if store is not None and key:
            # Kept for the next build to copy its unchanged packages from (``write_database``).
            listing = slices.scratch / _DB_PACKAGES
            listing.write_text(
                json.dumps([[*package, *value] for package, value in held.items()], ensure_ascii=False),
                encoding="utf-8",
            )
            with contextlib.suppress(OSError):  # the cache is an optimisation only
                store.store(
                    DB_CACHE_KIND, key, target, files={DB_NAME: target / DB_NAME, _DB_PACKAGES: listing}
                )
    finally:
        slices.close()
    return detail_files, [BulkFile(PACKAGES_ZIP, "", "zip", total), BulkFile(DB_NAME, "", "sqlite", total)]
