"""Findings back to sheets: a validation finding on the written package, named again by the
worksheet (or CSV file), the row number Excel shows and the Chinese column title."""

from __future__ import annotations

import re
from pathlib import Path

from generator.core.findings import Finding, display_path
from generator.core.schema import (
    ALL_RESOURCES,
    field_info,
    resource_spec,
    table_of_file,
    table_schema,
)
from generator.intake.base import Problem, SourceTable

_OTHER_ROW = re.compile(r"与第 (\d+) 行重复")


def map_finding(finding: Finding, tables: dict[str, SourceTable], data_dir: Path) -> Problem:
    """A validation finding in the written CSV, named by worksheet, Excel row and Chinese column."""
    filename = finding.file.rsplit("/", 1)[-1]
    table = table_of_file(filename)
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
