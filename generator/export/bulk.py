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
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from generator.core.datatree import DESCRIPTOR, REGISTRY_CSV
from generator.core.model import Portal
from generator.core.schema import PROFILE, REGISTRY_RESOURCE, SCHEMA_VERSION, resource_spec
from generator.core.spreadsheet import excel_number, excel_text, may_hold_formula, runs_as_formula
from generator.export.downloads import ZIP_DATE
from generator.export.jsonout import Ledger
from generator.export.tables import TABLES, Table, combined_schema, converter, source_files, typed

BULK_DIR = "downloads/all"
PACKAGE_NAME = "gongkai-all"
COMBINED_ZIP = "gongkai-all.zip"
PACKAGES_ZIP = "gongkai-packages.zip"


@dataclass(frozen=True)
class BulkFile:
    """One file in ``downloads/all/``, for the download page and the catalog."""

    name: str
    table: str  # table name, or "" for whole-portal files
    kind: str  # csv, excel-csv, xlsx, json, datapackage, zip, sqlite
    rows: int


def zip_bytes(entries: list[tuple[str, bytes]]) -> bytes:
    """A zip with sorted entries, fixed dates and permissions: identical input, identical bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for name, data in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return out.getvalue()


def write_zip(target: Path, entries: list[tuple[str, bytes]]) -> None:
    """``zip_bytes`` written to ``target``."""
    target.write_bytes(zip_bytes(entries))


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


_XLSX_STATIC = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
        "</Relationships>"
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
        "</Relationships>"
    ),
    "xl/styles.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<fonts count="2"><font><sz val="11"/><name val="等线"/></font><font><b/><sz val="11"/><name val="等线"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
        '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/></cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>"
    ),
}
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _column(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def _xlsx_bytes(table: Table, data_date: str) -> bytes:
    """An XLSX workbook with one sheet: Chinese headers (bold, frozen), typed number cells, text as
    inline strings, timestamps from the data. Written directly as SpreadsheetML: at 150,000 rows this
    is many times faster than openpyxl (which the tests use as the independent reader)."""
    columns = [_column(i) for i in range(len(table.fields))]

    def cells(number: int, values: list[Any], style: str = "") -> str:
        out = []
        for column, value in zip(columns, values, strict=True):
            if value is None:
                continue
            if isinstance(value, int | float) and not isinstance(value, bool):
                out.append(f'<c r="{column}{number}"{style}><v>{value!r}</v></c>')
            else:
                out.append(f'<c r="{column}{number}{_text_cell(str(value), style)}')
        return f'<row r="{number}">{"".join(out)}</row>'

    rows = [cells(1, table.titles, ' s="1"')]
    rows += _xlsx_rows(table, columns)
    sheet = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        "</sheetView></sheetViews>"
        f"<sheetData>{''.join(rows)}</sheetData></worksheet>"
    )
    sheet_name = xml_escape(table.title[:31], {'"': "&quot;"})
    workbook = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f'<sheets><sheet name="{sheet_name}" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    stamp = f"{data_date}T00:00:00Z"
    core = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{xml_escape(table.title)}</dc:title><dc:creator>gongkai</dc:creator>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified></cp:coreProperties>'
    )
    parts = {
        **_XLSX_STATIC,
        "docProps/core.xml": core,
        "xl/workbook.xml": workbook,
        "xl/worksheets/sheet1.xml": sheet,
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for name, text in parts.items():  # [Content_Types].xml first, as Excel expects
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, text.encode("utf-8"))
    return out.getvalue()


def _text_style(text: str) -> str:
    """The quote-prefix style (``s="2"``) for a text a spreadsheet could otherwise run as a formula."""
    return ' s="2"' if runs_as_formula(text) else ""


def _text_cell(text: str, style: str = "") -> str:
    """The rest of a cell (after ``<c r="A2``) holding ``text`` as an inline string: never a formula;
    ``style`` (the header's bold) is replaced by the quote-prefix style where the text needs it."""
    clean = _XML_ILLEGAL.sub("", text)
    style = _text_style(clean) or style
    return f'"{style} t="inlineStr"><is><t xml:space="preserve">{xml_escape(clean)}</t></is></c>'


def _plain_text_cell(text: str) -> str:
    """``_text_cell`` for a column that cannot hold a formula-like value (``may_hold_formula``)."""
    return (
        f'" t="inlineStr"><is><t xml:space="preserve">{xml_escape(_XML_ILLEGAL.sub("", text))}</t></is></c>'
    )


def _number_cell(field: dict[str, Any]) -> Any:
    def cell(text: str) -> str:
        return f'"><v>{typed(field, text)!r}</v></c>'

    return cell


def _xlsx_rows(table: Table, columns: list[str]) -> list[str]:
    """The data rows of the sheet: what ``cells`` gives for the typed values (empty cells left out,
    numbers as numbers, 是/否 as text), with the cell writer chosen once per column."""
    writers: list[Any] = []
    for field in table.fields:
        kind = field.get("type", "string")
        if kind == "integer":
            writers.append(lambda text: f'"><v>{int(text)}</v></c>')
        elif kind == "number":
            writers.append(_number_cell(field))
        elif kind == "boolean":
            writers.append(lambda text: _text_cell("是" if text == "是" else "否"))
        elif may_hold_formula(field):
            writers.append(_text_cell)
        else:
            writers.append(_plain_text_cell)
    pairs = list(zip(columns, writers, strict=True))
    out = []
    for n, row in enumerate(table.rows, start=2):
        suffix = str(n)
        parts = [
            f'<c r="{column}{suffix}{write(text)}'
            for (column, write), text in zip(pairs, row, strict=True)
            if text != ""
        ]
        out.append(f'<row r="{n}">{"".join(parts)}</row>')
    return out


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
) -> list[BulkFile]:
    """Write every bulk file into ``target`` (``downloads/all/`` of the site); return what was written.

    ``ledger`` (rooted at ``target``) records the size and SHA-256 of each file written."""
    from generator.export.sqlite import DB_NAME, write_database

    target.mkdir(parents=True, exist_ok=True)
    ledger = ledger or Ledger(target)
    files: list[BulkFile] = []
    combined: list[tuple[str, bytes]] = []
    for name in TABLES:
        table = tables[name]
        count = len(table.rows)
        plain = _csv_bytes(table.header, table.rows)
        ledger.write(f"{name}.csv", plain)
        combined.append((f"{PACKAGE_NAME}/{name}.csv", plain))
        ledger.write(f"{name}-excel.csv", _excel_csv_bytes(table))
        ledger.write(f"{name}.xlsx", _xlsx_bytes(table, data_date))
        ledger.write(f"{name}.json", _json_bytes(table))
        files += [
            BulkFile(f"{name}.csv", name, "csv", count),
            BulkFile(f"{name}-excel.csv", name, "excel-csv", count),
            BulkFile(f"{name}.xlsx", name, "xlsx", count),
            BulkFile(f"{name}.json", name, "json", count),
        ]
    descriptor = (json.dumps(combined_descriptor(portal), ensure_ascii=False, indent=2) + "\n").encode()
    ledger.write(DESCRIPTOR, descriptor)
    combined.append((f"{PACKAGE_NAME}/{DESCRIPTOR}", descriptor))
    total = sum(len(t.rows) for t in tables.values())
    ledger.write(COMBINED_ZIP, zip_bytes(combined))
    files.append(BulkFile(DESCRIPTOR, "", "datapackage", total))
    files.append(BulkFile(COMBINED_ZIP, "", "zip", total))

    # Every package as published, in the data tree's layout (each folder a valid package).
    packages = [
        (f"gongkai-packages/{path.removeprefix('downloads/')}", source.read_bytes())
        for path, source in source_files(portal)
    ]
    assert packages[0][0].endswith(DESCRIPTOR) and packages[1][0].endswith(REGISTRY_CSV)
    ledger.write(PACKAGES_ZIP, zip_bytes(packages))
    files.append(BulkFile(PACKAGES_ZIP, "", "zip", total))

    write_database(portal, tables, target / DB_NAME)
    files.append(BulkFile(DB_NAME, "", "sqlite", total))
    return files
