"""Validation results as data: a ``Finding`` per problem and a ``Report`` over a whole data tree.

Shaped after Frictionless-py's ``Error``/``Report``: every finding has a stable ``type`` slug, a
short Chinese ``title`` and a full Chinese ``message``, plus where it is (file, spreadsheet row,
column) and what was found and expected. A report has ``valid``, a text view for people, a JSON
view for tools and ``flatten()`` for tests and tables.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, fields
from typing import Any


@dataclass(frozen=True)
class Finding:
    """One problem in the data tree."""

    #: Stable slug, e.g. ``type-error``, ``foreign-key``, ``encoding-gbk`` (see ``generator.core.messages``).
    type: str
    #: Short Chinese title, e.g. 引用的编号不存在.
    title: str
    #: The full Chinese sentence shown to the clerk; it names the file, row, column and value.
    message: str
    #: Path relative to the data directory, posix style, e.g. ``fgw/2025Q1/decisions.csv``.
    file: str
    #: Row number as seen in a spreadsheet (the header is row 1); ``None`` for a whole-file finding.
    row: int | None = None
    #: Field name (the CSV header), e.g. ``meeting_id``.
    column: str | None = None
    #: Chinese title of the field, e.g. 会议编号.
    column_title: str | None = None
    #: The offending value as written in the file.
    value: str | None = None
    #: What is allowed, in Chinese.
    expected: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


FINDING_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Finding))


@dataclass
class Report:
    """The result of validating a data tree."""

    errors: list[Finding] = field(default_factory=list)
    #: Quarterly packages (``<unit>/<YYYY>Q<n>/``) looked at.
    packages_checked: int = 0
    #: Data rows (not counting header rows) read from every CSV, including ``units.csv``.
    rows_checked: int = 0
    #: Units registered in ``units.csv``.
    units_checked: int = 0
    #: The data directory as given on the command line (used in the text view).
    root: str = ""
    #: Files whose findings were cut off after ``limit`` findings.
    truncated: list[str] = field(default_factory=list)
    #: Most findings listed per file.
    limit: int = 0
    #: Wall-clock seconds the validation took (not part of the JSON view, which is deterministic).
    seconds: float = 0.0

    @property
    def valid(self) -> bool:
        return not self.errors

    @property
    def files_with_errors(self) -> list[str]:
        """Files that have findings, in report order."""
        return list(dict.fromkeys(finding.file for finding in self.errors))

    def flatten(self, spec: Sequence[str] = ("file", "row", "column", "type")) -> list[list[Any]]:
        """One list per finding with the requested attributes, like ``frictionless.Report.flatten``."""
        unknown = [name for name in spec if name not in FINDING_FIELDS]
        if unknown:
            raise ValueError(f"Finding has no attribute(s): {', '.join(unknown)}")
        return [[getattr(finding, name) for name in spec] for finding in self.errors]

    def summary(self) -> str:
        if self.valid:
            return (
                f"校验通过：{self.units_checked} 个单位、{self.packages_checked} 个数据包、"
                f"{self.rows_checked} 行数据。"
            )
        return f"校验未通过：{len(self.files_with_errors)} 个文件中共 {len(self.errors)} 个错误。"

    def to_text(self) -> str:
        """Chinese, grouped by file; one line per finding, then a summary line."""
        lines: list[str] = []
        groups: dict[str, list[Finding]] = {}
        for finding in self.errors:
            groups.setdefault(finding.file, []).append(finding)
        for file, findings in groups.items():
            shown = display_path(self.root, file)
            lines.append(f"{shown}（{len(findings)} 个错误）")
            lines.extend(f"  [{finding.title}] {finding.message}" for finding in findings)
            if file in self.truncated:
                lines.append(f"  ……该文件错误过多，只列出前 {self.limit} 个；请先修正以上错误后重新校验。")
            lines.append("")
        lines.append(self.summary())
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {
            "valid": self.valid,
            "summary": self.summary(),
            "counts": {
                "units": self.units_checked,
                "packages": self.packages_checked,
                "rows": self.rows_checked,
                "files_with_errors": len(self.files_with_errors),
                "errors": len(self.errors),
            },
            "truncated": list(self.truncated),
            "errors": [finding.to_dict() for finding in self.errors],
        }

    def to_json(self) -> str:
        """The report as JSON: Chinese kept readable, keys in a stable order."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)

    def to_github(self) -> str:
        """GitHub Actions workflow commands: one ``::error file=…,line=…::message`` per finding,
        so each error is annotated on the file (and row) in the pull request; then the summary."""
        lines: list[str] = []
        for finding in self.errors:
            props = [f"file={_github_property(display_path(self.root, finding.file))}"]
            if finding.row is not None:
                props.append(f"line={finding.row}")
            props.append(f"title={_github_property(finding.title)}")
            lines.append(f"::error {','.join(props)}::{_github_data(finding.message)}")
        for file in self.truncated:
            shown = _github_property(display_path(self.root, file))
            lines.append(
                f"::warning file={shown}::{_github_data(f'该文件错误过多，只列出前 {self.limit} 个。')}"
            )
        lines.append(self.summary())
        return "\n".join(lines)


def display_path(root: str, file: str) -> str:
    """How a file is named to the reader: the data directory as given, then the relative path."""
    if not file or file == ".":
        return root or "."
    if not root or root == ".":
        return file
    return f"{root.rstrip('/')}/{file}"


def _github_data(text: str) -> str:
    """Escape the message of a workflow command (``%``, CR and LF)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _github_property(text: str) -> str:
    """Escape a property value of a workflow command (also ``:`` and ``,``)."""
    return _github_data(text).replace(":", "%3A").replace(",", "%2C")
