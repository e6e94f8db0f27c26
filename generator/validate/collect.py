"""What validation collects as it goes: findings (at most ``LIMIT_PER_FILE`` a file), one CSV file's
state and the values the checks across tables need (``Table``), one package's result
(``PackageResult``), and where a finding points (``place_of``)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from generator.core.datatree import shown_name
from generator.core.findings import Finding, display_path
from generator.core.messages import Place

#: Most findings listed per file; the report says when a file had more.
LIMIT_PER_FILE = 1000
#: IDs that must not be reused by the same unit in another quarter.
STABLE_IDS: dict[str, str] = {"meetings": "meeting_id", "decisions": "decision_id", "hearings": "hearing_id"}


class Findings:
    """Findings in the order found, at most ``LIMIT_PER_FILE`` per file."""

    def __init__(self) -> None:
        self.items: list[Finding] = []
        self.truncated: list[str] = []
        self._counts: dict[str, int] = {}

    def add(self, finding: Finding) -> None:
        count = self._counts.get(finding.file, 0)
        if count >= LIMIT_PER_FILE:
            if finding.file not in self.truncated:
                self.truncated.append(finding.file)
            return
        self._counts[finding.file] = count + 1
        self.items.append(finding)

    def overflowing(self, file: str) -> bool:
        """True once ``file`` has had more findings than are listed: the rest can be skipped."""
        return file in self.truncated

    def extend(self, findings: Iterable[Finding]) -> None:
        for finding in findings:
            self.add(finding)

    def merge(self, findings: Iterable[Finding], truncated: Iterable[str]) -> None:
        self.extend(findings)
        for file in truncated:
            if file not in self.truncated:
                self.truncated.append(file)


def place_of(root: str, rel: str, table: str | None = None) -> Place:
    # A folder named "fgw\n" is shown as fgw<U+000A>: a message is one line, whatever the name.
    return Place(file=rel, display=display_path(root, shown_name(rel)), table=table)


@dataclass
class PackageResult:
    unit_id: str
    period: str
    rows: int = 0
    #: For each table with stable IDs: (id, spreadsheet row) in file order.
    ids: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    #: The decisions withheld by law (依法不予公开) in this package.
    withheld: set[str] = field(default_factory=set)
    #: The 执行进展 reported in this package: (decision_id, spreadsheet row, whether it has a note).
    progress: list[tuple[str, int, bool]] = field(default_factory=list)


@dataclass
class Table:
    place: Place
    #: The parsed CSV (header first) while it waits for the row checks.
    records: list[list[str]] | None = None
    #: True when every row was checked: the file was read, parsed and had the canonical header.
    usable: bool = False
    #: True when the header left out the table's later columns (a package from before they existed).
    earlier_header: bool = False
    rows: int = 0
    row_numbers: list[int] = field(default_factory=list)
    #: Cast values of the columns used by checks across tables, aligned with ``row_numbers``.
    columns: dict[str, list[Any]] = field(default_factory=dict)
