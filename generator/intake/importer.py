"""``gongkai import``: a filled workbook (or a folder of CSVs) becomes a validated data package.

Steps, in order:

1. read: every table from its worksheet (named by the table's Chinese title, e.g. 决策事项) or
   from ``<table>.csv`` (UTF-8 with or without BOM, else GB18030/GBK: tried strictly in that
   order, never guessed); columns are found by field name (the template's hidden row 2) or by
   Chinese title, so reordered columns are fine; a workbook's archive is measured first
   (``workbook_archive``);
2. normalise (``normalise``): text trimmed, dates (Excel date cells, ``2025/7/5``, ``2025年7月5日``,
   ``20250705``) written ``2025-07-05``, 是/否 (also TRUE/FALSE, Y/N), numbers without thousands
   separators, whole numbers without ``.0``; blank rows dropped;
3. publish: ``generator.intake.publish_package`` writes the UTF-8 package into a staging tree,
   validates it, and only then moves it into ``data/<unit>/<quarter>/``;
4. report (``sheet_findings``): every finding is named by worksheet (or CSV file), the row number Excel shows and the
   Chinese column title.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator.core.config import ConfigError, load_config
from generator.core.datatree import Period, check_regular_tree
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
from generator.intake.base import (
    _MB,
    DEFAULT_BOUNDS,
    EXCEL_MAX_ROWS,
    MAX_COLUMNS,
    Bounds,
    ImportResult,
    Problem,
    SourceTable,
)
from generator.intake.choices import resolve_choices
from generator.intake.normalise import _clean_label, _text, normalise
from generator.intake.sheet_findings import map_finding
from generator.intake.template import META_SHEET, sheet_name
from generator.intake.workbook_archive import check_workbook_archive


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
            f"{target} 已存在：{unit_id} 的 {period} 数据已经导入过。如要用本工作簿替换它（例如补充更正记录后重新导入），"
            "请加上 --replace 参数；已公开的记录有改动的，须在“更正记录”或“撤回记录”工作表中登记。"
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
    # Chinese choices (table and column titles, members by name) become codes.
    problems = resolve_choices(tables)
    changes = [change for source in tables.values() for change in source.changes]
    if problems:
        return ImportResult(problems, written=False, target=target, changes=changes)
    # Publish: staged, validated, judged by the rules, then moved into place.
    result = publish_package(
        data_dir,
        unit_id,
        period,
        {t: s.rows for t, s in tables.items()},
        replace=replace,
        source="" if source.is_dir() else "workbook",
    )
    problems = [map_finding(finding, tables, data_dir) for finding in result.blocking]
    notes = [finding.message for finding in result.other]
    return ImportResult(
        problems,
        written=result.written,
        target=target,
        counts={t: len(s.rows) for t, s in tables.items()},
        notes=notes,
        changes=changes,
        warnings=[map_finding(finding, tables, data_dir) for finding in result.warnings],
    )


# --- Reading ---------------------------------------------------------------------------------------


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
        raw = [row[columns[name]] if columns.get(name, len(row)) < len(row) else None for name in names]
        values = [normalise(cell, kind) for cell, kind in zip(raw, kinds, strict=True)]
        if not any(values):
            continue
        for cell, value, kind, title in zip(raw, values, kinds, titles, strict=True):
            if isinstance(cell, str) and kind != "string" and value != cell.strip():
                source.changes.append(f"已将{label} 第 {offset} 行“{title}”的“{cell.strip()}”读作 {value}。")
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
