"""What the workbook import's parts share: the bounds of a workbook, a table as read from its
sheet or CSV, a problem named by sheet, row and Chinese column, and the import's result."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from generator.core.config import PortalConfig
from generator.intake.template import sheet_name

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
    #: What reading changed in a value the clerk typed, as sentences (已将“2025.8.20”读作 2025-08-20).
    changes: list[str] = field(default_factory=list)


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
    #: Values written differently from how they were typed (dates, numbers, 是/否), said so.
    changes: list[str] = field(default_factory=list)
    #: The documents' rules this quarter breaks at severity warning: published as 警示.
    warnings: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.written and not self.problems

    def to_text(self) -> str:
        lines = [problem.message for problem in self.problems]
        if self.changes:
            lines.append(f"读取时改写了 {len(self.changes)} 个值（请核对）：")
            lines.extend(f"  {change}" for change in self.changes)
        if self.warnings:
            lines.append(
                f"本季度数据有 {len(self.warnings)} 项不符合制度规定，发布后将作为警示在网站上公开显示："
            )
            lines.extend(f"  [警示] {warning.message}" for warning in self.warnings)
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
