"""One CSV file, read within its bounds: present and regular, UTF-8 without BOM (GBK/GB18030,
UTF-16 and BOM files recognised and explained), parsed as CSV, its cells within bounds."""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

from generator.core.datatree import (
    FileTooLarge,
    NotRegularFile,
    read_regular,
)
from generator.core.messages import Place, expected_header, table_title
from generator.core.schema import (
    REGISTRY_RESOURCE,
    table_schema,
)
from generator.validate.base import Bounds, _control_pattern, _internal_error, _special_finding
from generator.validate.collect import Findings as _Findings
from generator.validate.collect import Table
from generator.validate.explain import csv_detail
from generator.validate.header import _check_header
from generator.validate.privacy import personal_info_findings
from generator.validate.rows import _check_rows_safely


def _check_table(path: Path, place: Place, bounds: Bounds, out: _Findings) -> Table:
    """Every check of one CSV file on its own (used for ``units.csv``)."""
    table = _prepare_table(path, place, bounds, out)
    if table.records is not None and place.table is not None:
        _check_rows_safely(place.table, [table], out)
    return table


def _prepare_table(path: Path, place: Place, bounds: Bounds, out: _Findings) -> Table:
    """Read and pre-check one CSV; ``records`` is set when its rows are ready to be checked."""
    table = Table(place)
    try:
        table.records = _read_records(path, place, bounds, out, table)
        if table.records is not None:  # Personal-information guard: every text field of every CSV.
            out.extend(personal_info_findings(table.records, place))
    except Exception as exc:
        table.records = None
        out.add(_internal_error(place, exc))
    return table


def _read_file(path: Path, place: Place, bounds: Bounds, out: _Findings, hint: str) -> bytes | None:
    """The bytes of one file of the tree, or None with a finding: missing, a folder, too large.

    Links, FIFOs, devices and sockets are never opened (``read_regular``); the tree walk has
    reported them already."""
    try:
        return read_regular(path, bounds.max_bytes)
    except FileNotFoundError:
        out.add(place.finding("missing-file", hint=hint))
    except NotRegularFile as exc:
        if exc.kind == "文件夹":
            out.add(place.finding("missing-file:not-a-file", hint=hint))
        else:
            out.add(_special_finding(place, exc.kind))
    except FileTooLarge as exc:
        out.add(
            place.finding(
                "file-too-large",
                value=f"{exc.size / 1024 / 1024:.1f} MB",
                expected=f"不超过 {bounds.max_file_mb} MB",
                size=f"{exc.size / 1024 / 1024:.1f} MB",
                limit=bounds.max_file_mb,
            )
        )
    except OSError as exc:
        out.add(place.finding("io-error", detail=str(exc)))
    return None


def _read_records(
    path: Path, place: Place, bounds: Bounds, out: _Findings, table: Table
) -> list[list[str]] | None:
    name = place.table
    assert name is not None
    # File: exists, is a regular file within the size bound.
    hint = (
        f"每个数据包都必须包含 {path.name}（{table_title(name)}）；"
        f"没有数据时也要保留表头行：{expected_header(name)}"
        if name != REGISTRY_RESOURCE
        else f"数据目录中必须有单位名录 units.csv，表头为：{expected_header(name)}"
    )
    raw = _read_file(path, place, bounds, out, hint)
    if raw is None:
        return None
    # Encoding: UTF-8 without BOM.
    text = _decode(raw, place, out)
    del raw
    if text is None:
        return None
    if not text.strip():
        out.add(place.finding("empty-file", hint=f"表头行为：{expected_header(name)}"))
        return None
    newline = text.find("\n")
    if "\x00" in (
        text if newline < 0 else text[:newline]
    ):  # NUL in the header: not a text file (UTF-16 without BOM …)
        out.add(place.finding("encoding-error:nul", row=1, expected="UTF-8（无 BOM）"))
        return None
    # CSV syntax, at most ``max_rows`` data rows.
    records = _parse_csv(text, place, bounds, out)
    if records is None:
        return None
    # Header: exactly the canonical field names, in order; a package written before the later
    # columns existed may leave them all out, and then reads as if their cells were empty.
    if not _check_header(records[0], place, out):
        return None
    # Cells: within the length bound, no control characters.
    if not _check_cells(text, records, place, bounds, out):
        return None
    full = [spec["name"] for spec in table_schema(name)["fields"]]
    _cut_extra_cells(records, len(full), place, out)
    if records[0] != full:  # the earlier header: pad every row with the later columns, empty
        width = len(records[0])
        padding = [""] * (len(full) - width)
        records = [full] + [row + padding if len(row) == width else row for row in records[1:]]
        table.earlier_header = True
    return records


def _cut_extra_cells(records: list[list[str]], width: int, place: Place, out: _Findings) -> None:
    """A row with more cells than the table has fields gets its ``extra-cell`` finding here, and
    its extra cells are dropped before the row checks: Frictionless takes time growing faster than
    the number of extra cells (a 1 MB row of commas ran for more than 5 minutes)."""
    for number, record in enumerate(records[1:], start=2):
        if len(record) <= width:
            continue
        extras = record[width:]
        if not out.overflowing(place.file):
            shown = "、".join(extras[:10]) + ("……" if len(extras) > 10 else "")
            out.add(
                place.finding(
                    "extra-cell",
                    row=number,
                    value=shown,
                    expected=f"{width} 个单元格",
                    cells=len(record),
                    extra=len(extras),
                )
            )
        del record[width:]


def _check_cells(text: str, records: list[list[str]], place: Place, bounds: Bounds, out: _Findings) -> bool:
    """Every cell within ``max_cell_chars`` and free of control characters (tabs and line breaks
    are allowed); False when a cell is not (its rows are then not checked further)."""
    control = _control_pattern()
    has_control = control.search(text) is not None
    if not has_control and len(text) <= bounds.max_cell_chars:
        return True
    header = records[0]
    ok = True
    for number, record in enumerate(records[1:], start=2):
        if not has_control and max(map(len, record), default=0) <= bounds.max_cell_chars:
            continue
        for index, cell in enumerate(record):
            too_long = len(cell) > bounds.max_cell_chars
            bad = control.search(cell) if has_control else None
            if not too_long and bad is None:
                continue
            ok = False
            column = header[index] if index < len(header) else None
            where = place.where(number, column) if column else f"{place.where(number)}第 {index + 1} 列"
            if too_long:
                out.add(
                    place.finding(
                        "cell-too-long",
                        row=number,
                        column=column,
                        where=where,
                        value=f"{len(cell)} 个字符",
                        expected=f"不超过 {bounds.max_cell_chars} 个字符",
                        length=len(cell),
                        limit=bounds.max_cell_chars,
                    )
                )
            if bad is not None:
                char = f"U+{ord(bad.group()):04X}"
                out.add(
                    place.finding(
                        "control-character",
                        row=number,
                        column=column,
                        where=where,
                        value=char,
                        expected="不含控制字符",
                        char=char,
                        position=bad.start() + 1,
                    )
                )
            if out.overflowing(place.file):
                return False
    return ok


def _decode(raw: bytes, place: Place, out: _Findings) -> str | None:
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        out.add(place.finding("encoding-error:utf16", expected="UTF-8（无 BOM）"))
        return None
    if raw.startswith(codecs.BOM_UTF8):
        out.add(place.finding("encoding-bom", row=1, expected="UTF-8（无 BOM）"))
        raw = raw[len(codecs.BOM_UTF8) :]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        bad = raw[exc.start : exc.start + 4].hex(" ")
        try:
            text = raw.decode("gb18030")
        except UnicodeDecodeError:
            out.add(
                place.finding(
                    "encoding-error",
                    row=line,
                    detail=f"第 {line} 行有无法识别的字节 {bad}",
                    expected="UTF-8（无 BOM）",
                )
            )
            return None
        lines = text.splitlines()
        shown = lines[line - 1] if line - 1 < len(lines) else ""
        if len(shown) > 80:
            shown = shown[:80] + "……"
        row = _record_of_line(text, line)
        out.add(place.finding("encoding-gbk", row=row, value=shown, line=shown, expected="UTF-8（无 BOM）"))
        return text  # Go on with the GB18030 text so that every other problem is reported too.


def _record_of_line(text: str, line: int) -> int:
    """The spreadsheet row (CSV record) that contains physical line ``line``."""
    reader = csv.reader(io.StringIO(text, newline=""))
    record = 0
    try:
        for record, _ in enumerate(reader, start=1):
            if reader.line_num >= line:
                return record
    except csv.Error:
        pass
    return max(record, 1) if record else line


#: A line as ``io.StringIO(newline="")`` reads it: ended by \r\n, \r or \n, or the last one.
_LINE = re.compile(r"[^\r\n]*(?:\r\n?|\n)|[^\r\n]+")


def _lines(text: str) -> Iterator[str]:
    """The lines of ``text``, each with its ``\n``, one at a time (``io.StringIO`` would hold a
    copy of the whole text at four bytes a character)."""
    for match in _LINE.finditer(text):
        yield match.group()


def _parse_csv(text: str, place: Place, bounds: Bounds, out: _Findings) -> list[list[str]] | None:
    """The records of a CSV text, header first; None with a finding for a syntax error or more
    than ``max_rows`` data rows (reading stops there)."""
    # A cell may be as long as the file: its length is checked with a clear message afterwards.
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    reader = csv.reader(_lines(text), strict=True)
    records: list[list[str]] = []
    try:
        for record in reader:
            if len(records) > bounds.max_rows:  # header + max_rows data rows already read
                row = len(records) + 1
                out.add(
                    place.finding(
                        "too-many-rows",
                        row=row,
                        first_row=row,
                        where=place.display,
                        value=f"超过 {bounds.max_rows} 行",
                        expected=f"不超过 {bounds.max_rows} 行数据",
                        limit=bounds.max_rows,
                    )
                )
                return None
            records.append(record)
    except csv.Error as exc:
        row = len(records) + 1
        out.add(place.finding("csv-syntax", row=row, detail=csv_detail(str(exc))))
        return None
    return records
