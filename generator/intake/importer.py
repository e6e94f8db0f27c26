"""``gongkai import``: a filled workbook (or a folder of CSVs) becomes a validated data package.

Steps, in order:

1. read: every table from its worksheet (named by the table's Chinese title, e.g. 决策事项) or
   from ``<table>.csv`` (UTF-8 with or without BOM, else GB18030/GBK: tried strictly in that
   order, never guessed); columns are found by field name (the template's hidden row 2) or by
   Chinese title, so reordered columns are fine;
2. normalise: text trimmed, dates (Excel date cells, ``2025/7/5``, ``2025年7月5日``,
   ``20250705``) written ``2025-07-05``, 是/否 (also TRUE/FALSE, Y/N), numbers without thousands
   separators, whole numbers without ``.0``; blank rows dropped;
3. publish: ``generator.intake.publish_package`` writes the UTF-8 package into a staging tree,
   validates it, and only then moves it into ``data/<unit>/<quarter>/``;
4. report: every finding is named by worksheet (or CSV file), the row number Excel shows and the
   Chinese column title.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from generator.core.config import ConfigError, PortalConfig, load_config
from generator.core.datatree import Period, check_regular_tree
from generator.core.findings import Finding, display_path
from generator.core.schema import (
    ALL_RESOURCES,
    LATER_COLUMNS,
    OPTIONAL_RESOURCES,
    field_info,
    resource_spec,
    table_schema,
)
from generator.intake import (
    PublishError,
    package_target,
    publish_package,
    read_csv_records,
    tree_bound,
    unit_record,
)
from generator.intake.template import META_SHEET, sheet_name

#: Most members an XLSX holds is a few dozen; more is not a workbook.
MAX_WORKBOOK_MEMBERS = 10000
#: Members larger than this (uncompressed) may not unpack to more than MAX_RATIO times their
#: compressed size. Worksheets saved by Excel or WPS unpack to 5 to 20 times their size; the
#: whitespace of a zip bomb to a thousand times.
RATIO_MIN_BYTES, MAX_RATIO = 1 << 20, 200
#: Excel's own limits: no worksheet has more rows; columns past MAX_COLUMNS are never read.
EXCEL_MAX_ROWS = 1_048_576
MAX_COLUMNS = 200
_MB = 1 << 20


@dataclass(frozen=True)
class Bounds:
    """What one import may read (``portal.yml``: max_workbook_mb, max_file_mb, max_rows,
    max_cell_chars), so that ``import`` stays in bounded memory and time on any input."""

    workbook_mb: int
    file_mb: int
    rows: int
    cell_chars: int

    @classmethod
    def of(cls, config: PortalConfig) -> Bounds:
        return cls(config.max_workbook_mb, config.max_file_mb, config.max_rows, config.max_cell_chars)


DEFAULT_BOUNDS = Bounds.of(PortalConfig())


@dataclass
class SourceTable:
    """One table as read from the clerk's file, already normalised."""

    table: str
    #: How the clerk names where it came from: 工作表“决策事项” or decisions.csv.
    label: str
    #: Rows in the canonical column order.
    rows: list[list[str]] = field(default_factory=list)
    #: The spreadsheet row number of each row in ``rows``.
    origins: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class Problem:
    """One thing to fix, named as the clerk sees it."""

    type: str
    message: str
    #: 工作表“决策事项” or decisions.csv (or the whole file).
    source: str
    row: int | None = None
    #: Chinese column title, e.g. 事项类别.
    column: str | None = None


@dataclass
class ImportResult:
    problems: list[Problem]
    written: bool
    target: Path
    counts: dict[str, int] = field(default_factory=dict)
    #: Findings in the unit's other quarters (not caused by this import; shown as notes).
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.written and not self.problems

    def to_text(self) -> str:
        lines = [problem.message for problem in self.problems]
        if self.notes:
            lines.append("另外，该单位已公开的其他季度数据中有以下问题（与本次导入无关）：")
            lines.extend(f"  {note}" for note in self.notes)
        if self.ok:
            counts = "、".join(f"{sheet_name(t)} {n} 行" for t, n in self.counts.items())
            lines.append(f"已导入并通过校验，写入 {self.target}：{counts}。")
        else:
            lines.append(
                f"导入未完成：共 {len(self.problems)} 个问题，数据目录未做任何修改。请修正后重新导入。"
            )
        return "\n".join(lines)


def import_source(
    source: Path, data_dir: Path, unit_id: str, period: Period, *, replace: bool = False
) -> ImportResult:
    """Import a workbook (.xlsx) or a folder of CSVs as ``data/<unit>/<period>/``."""
    source, data_dir = Path(source), Path(data_dir)
    # The unit's other quarters are copied into the staging tree: a link there would be followed.
    problem = check_regular_tree(data_dir, tree_bound(data_dir))
    if problem:
        raise PublishError(problem)
    unit_record(data_dir, unit_id)
    target = package_target(data_dir, unit_id, period)
    if target.exists() and not replace:
        raise PublishError(
            f"{target} 已存在：{unit_id} 的 {period} 数据已经公开过。如确需整体替换，请加上 --replace 参数。"
        )
    try:
        bounds = Bounds.of(load_config(data_dir))
    except ConfigError as error:
        raise PublishError(str(error)) from None
    # Read and normalise.
    if source.is_dir():
        tables, problems = read_csv_dir(source, bounds)
    elif source.is_file():
        if source.suffix.lower() not in (".xlsx", ".xlsm"):
            raise PublishError(
                f"“{source}”不是 .xlsx 工作簿；请另存为 Excel 工作簿（.xlsx），或指定存放 CSV 文件的文件夹。"
            )
        tables, problems = read_workbook(source, unit_id, bounds)
    else:
        raise PublishError(f"找不到“{source}”：请指定填好的 .xlsx 工作簿，或存放 CSV 文件的文件夹。")
    if problems:
        return ImportResult(problems, written=False, target=target)
    # Publish: staged, validated, then moved into place.
    result = publish_package(
        data_dir, unit_id, period, {t: s.rows for t, s in tables.items()}, replace=replace
    )
    problems = [map_finding(finding, tables, data_dir) for finding in result.blocking]
    notes = [finding.message for finding in result.other]
    return ImportResult(
        problems,
        written=result.written,
        target=target,
        counts={t: len(s.rows) for t, s in tables.items()},
        notes=notes,
    )


# --- Reading ---------------------------------------------------------------------------------------


def check_workbook_archive(path: Path, bounds: Bounds = DEFAULT_BOUNDS) -> None:
    """Refuse a workbook before openpyxl opens it if it is not a zip, or unpacks to more than
    ``bounds.workbook_mb`` (the sizes its zip directory declares, which are all that Python's
    zipfile ever unpacks), or holds a member packed beyond any spreadsheet's ratio (a zip bomb)."""
    limit = bounds.workbook_mb * _MB
    name = path.name
    unreadable = f"无法打开工作簿“{name}”：文件已损坏或不是 .xlsx 格式"
    size = path.stat().st_size
    if size > limit:
        raise PublishError(
            f"工作簿“{name}”有 {size / _MB:.1f} MB，超过上限 {bounds.workbook_mb} MB"
            "（portal.yml 的 max_workbook_mb）；请删除多余的工作表、图片和空行后重新保存，或分次导入。"
        )
    try:
        with path.open("rb") as handle:
            end = zipfile._EndRecData(handle)  # type: ignore[attr-defined]  # the zip's own count
        if end is None:
            raise PublishError(f"{unreadable}（不是 zip 压缩包）。")
        if end[zipfile._ECD_ENTRIES_TOTAL] > MAX_WORKBOOK_MEMBERS:  # type: ignore[attr-defined]
            raise PublishError(f"{unreadable}（压缩包内文件多达 {end[zipfile._ECD_ENTRIES_TOTAL]} 个）。")  # type: ignore[attr-defined]
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (OSError, zipfile.BadZipFile, ValueError) as error:
        raise PublishError(f"{unreadable}（{type(error).__name__}）。") from None
    total = sum(member.file_size for member in members)
    if total > limit:
        raise PublishError(
            f"工作簿“{name}”解压后有 {total / _MB:,.0f} MB，超过上限 {bounds.workbook_mb} MB"
            "（portal.yml 的 max_workbook_mb）；文件可能已损坏或被改造过，请在 Excel 中另存为新的 .xlsx 后重试。"
        )
    for member in members:
        if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise PublishError(f"{unreadable}（其中“{member.filename}”使用了 Excel 不使用的压缩方式）。")
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > RATIO_MIN_BYTES and ratio > MAX_RATIO:
            raise PublishError(
                f"工作簿“{name}”中的“{member.filename}”压缩比高达 {ratio:,.0f} 倍（正常的工作簿不超过 {MAX_RATIO} 倍），"
                "可能是被改造过的文件，不予读取；请在 Excel 中另存为新的 .xlsx 后重试。"
            )
    # Every XML part, not only xl/worksheets/: the workbook's relationships may put a sheet anywhere.
    for member in (m for m in members if m.filename.lower().endswith(".xml")):
        try:
            with zipfile.ZipFile(path) as archive:
                rows = _count_rows(archive, member)
        except (OSError, zipfile.BadZipFile, zlib.error, EOFError, ValueError) as error:
            raise PublishError(f"{unreadable}（{type(error).__name__}）。") from None
        if rows > bounds.rows + 2:
            raise PublishError(
                f"工作簿“{name}”的工作表文件“{member.filename}”有 {rows:,} 行（包括带格式的空行），"
                f"超过上限 {bounds.rows:,} 行（portal.yml 的 max_rows）；请删除多余的行，或分次导入。"
            )


_ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s>/]")


def _count_rows(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> int:
    """The ``<row>`` elements of a worksheet, counted on the stream without parsing it: openpyxl
    would otherwise read a sheet without a size declaration whole before the first row."""
    count, carry = 0, b""
    with archive.open(member) as stream:
        while chunk := stream.read(1 << 20):
            buffer = carry + chunk
            cut = buffer.rfind(b"<")
            cut = len(buffer) if cut < 0 else cut
            count += len(_ROW_TAG.findall(buffer, 0, cut))
            carry = buffer[cut:]
    return count + len(_ROW_TAG.findall(carry))


def _sheet_rows(sheet: Any, label: str, bounds: Bounds) -> list[list[Any]]:
    """The rows of a read-only worksheet, streamed: at most ``bounds.rows`` non-blank rows after
    the two header rows, and ``MAX_COLUMNS`` columns; blank rows kept as ``[]`` for row numbers."""
    sheet.reset_dimensions()  # the declared size may lie; rows are padded to MAX_COLUMNS only
    rows: list[list[Any]] = []
    filled = 0
    for number, values in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), start=1):
        if number > EXCEL_MAX_ROWS:
            raise PublishError(
                f"{label}：行数超过 Excel 的上限 {EXCEL_MAX_ROWS:,} 行，文件已损坏或被改造过。"
            )
        last = max((i for i, value in enumerate(values) if value is not None and value != ""), default=-1)
        if last < 0:
            rows.append([])
            continue
        filled += 1
        if filled > bounds.rows + 2:
            raise PublishError(
                f"{label}：数据超过 {bounds.rows:,} 行（portal.yml 的 max_rows），读到第 {number:,} 行时停止；"
                "请分次导入，或删除多余的行。"
            )
        rows.append(list(values[: last + 1]))
    return rows


def read_workbook(
    path: Path, unit_id: str | None = None, bounds: Bounds = DEFAULT_BOUNDS
) -> tuple[dict[str, SourceTable], list[Problem]]:
    from openpyxl import load_workbook

    check_workbook_archive(path, bounds)
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # not a zip, not a workbook, unreadable: openpyxl raises many kinds
        raise PublishError(
            f"无法打开工作簿“{path}”：文件已损坏或不是 .xlsx 格式（{type(error).__name__}）。"
        ) from None
    try:
        return _read_sheets(workbook, path, unit_id, bounds)
    finally:
        workbook.close()


def _read_sheets(
    workbook: Any, path: Path, unit_id: str | None, bounds: Bounds
) -> tuple[dict[str, SourceTable], list[Problem]]:
    problems: list[Problem] = []
    if unit_id and META_SHEET in workbook.sheetnames:
        meta_sheet = workbook[META_SHEET]
        meta_sheet.reset_dimensions()
        meta = {
            str(row[0]): row[1]
            for row in meta_sheet.iter_rows(max_row=20, max_col=2, values_only=True)
            if row and row[0]
        }
        made_for = str(meta.get("unit_id") or "")
        if made_for and made_for != unit_id:
            problems.append(
                Problem(
                    "wrong-unit",
                    f"工作簿“{path.name}”是为单位“{made_for}”生成的模板，不能导入为单位“{unit_id}”的数据；"
                    "请确认 --unit 参数或使用本单位的模板。",
                    path.name,
                )
            )
    by_name = {name.strip(): name for name in workbook.sheetnames}
    tables: dict[str, SourceTable] = {}
    for table in ALL_RESOURCES:
        wanted = sheet_name(table)
        actual = by_name.get(wanted) or by_name.get(table)
        label = f"工作表“{wanted}”"
        if actual is None and table in OPTIONAL_RESOURCES:
            continue  # 更正记录 and 撤回记录 are optional
        if actual is None:
            problems.append(
                Problem(
                    "missing-sheet",
                    f"{label}：工作簿中没有这个工作表；请使用 gongkai template 生成的模板，不要删除或改名工作表。",
                    label,
                )
            )
            continue
        rows = _sheet_rows(workbook[actual], label, bounds)
        source, found = _table_from_rows(table, f"工作表“{actual}”", rows, allow_name_row=True, bounds=bounds)
        tables[table] = source
        problems.extend(found)
    return tables, problems


def read_csv_dir(
    folder: Path, bounds: Bounds = DEFAULT_BOUNDS
) -> tuple[dict[str, SourceTable], list[Problem]]:
    problems: list[Problem] = []
    tables: dict[str, SourceTable] = {}
    for table in ALL_RESOURCES:
        filename = resource_spec(table)["path"]
        path = folder / filename
        if not path.is_file() and table in OPTIONAL_RESOURCES:
            continue  # 更正记录 and 撤回记录 are optional
        if not path.is_file():
            problems.append(
                Problem(
                    "missing-file",
                    f"{filename}：文件夹“{folder}”中没有这个文件（{sheet_name(table)}）；没有数据时也要保留只有列名的文件。",
                    filename,
                )
            )
            continue
        size = path.stat().st_size
        if size > bounds.file_mb * _MB:
            problems.append(
                Problem(
                    "file-too-large",
                    f"{filename}：文件有 {size / _MB:.1f} MB，超过上限 {bounds.file_mb} MB（portal.yml 的 max_file_mb）；"
                    "请分次导入，或删除多余的行。",
                    filename,
                )
            )
            continue
        try:
            records: list[list[Any]] = [list(r) for r in read_csv_records(path)]
        except PublishError as error:
            problems.append(Problem("encoding-error", f"{filename}：{error}", filename))
            continue
        except Exception as error:  # csv.Error: a broken quote and the like
            problems.append(Problem("csv-syntax", f"{filename}：无法按 CSV 格式读取（{error}）。", filename))
            continue
        if len(records) > bounds.rows + 1:
            problems.append(
                Problem(
                    "too-many-rows",
                    f"{filename}：有 {len(records) - 1:,} 行数据，超过上限 {bounds.rows:,} 行（portal.yml 的 max_rows）；"
                    "请分次导入，或删除多余的行。",
                    filename,
                )
            )
            continue
        source, found = _table_from_rows(table, filename, records, allow_name_row=False, bounds=bounds)
        tables[table] = source
        problems.extend(found)
    return tables, problems


def _table_from_rows(
    table: str,
    label: str,
    rows: list[list[Any]],
    *,
    allow_name_row: bool,
    bounds: Bounds = DEFAULT_BOUNDS,
) -> tuple[SourceTable, list[Problem]]:
    """Map the header to fields, then normalise every non-blank data row."""
    source = SourceTable(table, label)
    problems: list[Problem] = []
    specs = table_schema(table)["fields"]
    names = [spec["name"] for spec in specs]
    by_label: dict[str, str] = {}
    for spec in specs:
        info = field_info(table, spec["name"])
        assert info is not None
        for key in (spec["name"], info.title, info.label, f"{info.title}({spec['name']})"):
            by_label[_clean_label(key)] = spec["name"]
    if not rows or not any(_text(cell) for cell in rows[0]):
        problems.append(
            Problem(
                "missing-header",
                f"{label}：第 1 行应为列名（{'、'.join(s['title'] for s in specs)}），实为空。",
                label,
                1,
            )
        )
        return source, problems
    header = rows[0]
    first_data = 1
    name_row = rows[1] if allow_name_row and len(rows) > 1 else None
    use_names = (
        bool(name_row)
        and all(_text(cell) in names for cell in name_row if _text(cell))  # type: ignore[union-attr]  # not None: bool() above
        and any(_text(cell) for cell in name_row)  # type: ignore[union-attr]
    )
    if use_names:
        first_data = 2
    columns: dict[str, int] = {}
    width = max(len(row) for row in rows)
    for index in range(width):
        shown = _text(header[index]) if index < len(header) else ""
        name = _text(name_row[index]) if use_names and name_row and index < len(name_row) else ""
        field_name = name if name in names else by_label.get(_clean_label(shown))
        if field_name is None:
            has_data = any(index < len(row) and _text(row[index]) for row in rows[first_data:])
            if shown:
                problems.append(
                    Problem(
                        "extra-column",
                        f"{label} 第 1 行：第 {index + 1} 列“{shown}”不是“{sheet_name(table)}”的列；请删除该列，或改为正确的列名。",
                        label,
                        1,
                        shown,
                    )
                )
            elif has_data:
                problems.append(
                    Problem(
                        "blank-header",
                        f"{label} 第 1 行：第 {index + 1} 列有数据但没有列名；请补上列名或删除该列。",
                        label,
                        1,
                    )
                )
            continue
        if field_name in columns:
            title = field_info(table, field_name).title  # type: ignore[union-attr]
            problems.append(
                Problem(
                    "duplicate-column",
                    f"{label} 第 1 行：列“{title}”出现了两次（第 {columns[field_name] + 1} 列和第 {index + 1} 列）。",
                    label,
                    1,
                    title,
                )
            )
            continue
        columns[field_name] = index
    for spec in specs:
        if spec["name"] not in columns and spec["name"] not in LATER_COLUMNS.get(table, ()):
            problems.append(
                Problem(
                    "missing-column",
                    f"{label} 第 1 行：缺少列“{spec['title']}”。请使用 gongkai template 生成的模板，不要删除列。",
                    label,
                    1,
                    spec["title"],
                )
            )
    if problems:
        return source, problems
    kinds = [spec.get("type", "string") for spec in specs]
    titles = [spec.get("title", spec["name"]) for spec in specs]
    for offset, row in enumerate(rows[first_data:], start=first_data + 1):
        values = [
            normalise(row[columns[name]] if columns.get(name, len(row)) < len(row) else None, kind)
            for name, kind in zip(names, kinds, strict=True)
        ]
        if not any(values):
            continue
        for value, title in zip(values, titles, strict=True):
            if len(value) > bounds.cell_chars:
                problems.append(
                    Problem(
                        "cell-too-long",
                        f"{label} 第 {offset} 行“{title}”：有 {len(value):,} 个字，超过上限 {bounds.cell_chars:,} 个字"
                        "（portal.yml 的 max_cell_chars）；请精简内容，详细材料可另行公开。",
                        label,
                        offset,
                        title,
                    )
                )
        source.rows.append(values)
        source.origins.append(offset)
    return source, problems


# --- Normalising ----------------------------------------------------------------------------------

_TRUE = {"是", "true", "yes", "y", "1", "√", "✓"}
_FALSE = {"否", "false", "no", "n", "0", "×", "✗"}
_DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_DATE_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_DATE_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T]00:00(:00)?$")
_NUMBER_TEXT = re.compile(r"^[+-]?[0-9][0-9,，\s]*(\.[0-9]+)?$")


def _clean_label(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).replace("(", "（").replace(")", "）")


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _plain_number(value: float | int | Decimal) -> str:
    if isinstance(value, int):
        return str(value)
    number = Decimal(repr(value)) if isinstance(value, float) else value
    if number == number.to_integral_value():
        return str(int(number))
    text = format(number.normalize(), "f")
    return text


def normalise(value: Any, kind: str) -> str:
    """One cell as the CSV text of a field of ``kind`` (see the module docstring)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime.datetime):
        if kind == "date" or value.time() == datetime.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, int | float):
        if kind == "date" and 20000 <= value <= 80000:  # an Excel date serial in a General cell
            from openpyxl.utils.datetime import from_excel

            return from_excel(value).date().isoformat()
        return _plain_number(value)
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        return ""
    if kind == "boolean":
        lowered = unicodedata.normalize("NFKC", text).lower()
        if lowered in _TRUE:
            return "是"
        if lowered in _FALSE:
            return "否"
        return text
    if kind in ("integer", "number"):
        folded = unicodedata.normalize("NFKC", text)
        if _NUMBER_TEXT.match(folded):
            compact = re.sub(r"[,，\s]", "", folded).lstrip("+")
            try:
                return _plain_number(Decimal(compact))
            except InvalidOperation:
                return text
        return text
    if kind == "date":
        folded = unicodedata.normalize("NFKC", text)
        match = _DATE_TIME.match(folded)
        if match:
            return match.group(1)
        match = _DATE_TEXT.match(folded) or _DATE_COMPACT.match(folded)
        if match:
            try:
                return datetime.date(*(int(part) for part in match.groups())).isoformat()
            except ValueError:
                return text
        return text
    return text


# --- Findings back to sheets ------------------------------------------------------------------------

_OTHER_ROW = re.compile(r"与第 (\d+) 行重复")


def map_finding(finding: Finding, tables: dict[str, SourceTable], data_dir: Path) -> Problem:
    """A validation finding in the written CSV, named by worksheet, Excel row and Chinese column."""
    filename = finding.file.rsplit("/", 1)[-1]
    table = next((t for t in ALL_RESOURCES if resource_spec(t)["path"] == filename), None)
    source = tables.get(table) if table else None
    if source is None or table is None:
        return Problem(finding.type, finding.message, finding.file, finding.row, finding.column_title)
    display = display_path(data_dir.as_posix(), finding.file)

    def sheet_row(csv_row: int | None) -> int | None:
        if csv_row is None or csv_row < 2 or csv_row - 2 >= len(source.origins):
            return csv_row
        return source.origins[csv_row - 2]

    row = sheet_row(finding.row)
    info = field_info(table, finding.column) if finding.column else None
    title = info.title if info else None
    message = finding.message
    old_where = [display]
    if finding.row is not None:
        old_where.insert(0, f"{display} 第 {finding.row} 行")
        if info is not None:
            old_where.insert(0, f"{display} 第 {finding.row} 行“{info.label}”")
    new_where = source.label
    if row is not None and finding.row is not None:
        new_where += f" 第 {row} 行"
    for candidate in old_where:
        if message.startswith(candidate):
            suffix = f"“{title}”" if candidate == old_where[0] and info is not None else ""
            message = new_where + suffix + message[len(candidate) :]
            break
    else:
        message = f"{new_where}{f'“{title}”' if title else ''}：{message}"
    # Row numbers and column names inside the sentence, as the clerk sees them.
    message = _OTHER_ROW.sub(lambda m: f"与第 {sheet_row(int(m.group(1)))} 行重复", message)
    for other in ALL_RESOURCES:
        other_source = tables.get(other)
        if other_source is not None:
            message = message.replace(f"在 {resource_spec(other)['path']} 的", f"在{other_source.label}的")
    for spec in table_schema(table)["fields"]:
        spec_info = field_info(table, spec["name"])
        if spec_info is not None:
            message = message.replace(f"“{spec_info.label}”", f"“{spec_info.title}”")
    return Problem(finding.type, message, source.label, row, title)
