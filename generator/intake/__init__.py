"""Quarterly publishing for clerks: Excel template → import → validated data package.

One module per step, each called by one ``gongkai`` command:

- ``template.py``  ``gongkai template UNIT``: an XLSX workbook generated from the schemas,
  prefilled with the unit's current lists;
- ``importer.py``  ``gongkai import``: a filled workbook or a folder of CSVs (UTF-8, UTF-8 with
  BOM, GBK/GB18030) normalised into a UTF-8 data package, validated before it is moved into place;
- ``scaffold.py``  ``gongkai new-quarter``: the next quarter with the lists carried over;
- ``status.py``    ``gongkai status``: which units have and have not published a quarter.

This module holds what they share: reading the registry and a unit's quarters, and
``publish_package``, which writes a package into a staging tree, validates it together with the
unit's other quarters, and only then moves it into ``data/<unit>/<quarter>/``. A failed
validation leaves ``data/`` exactly as it was.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from generator.core.config import CONFIG_FILE, ConfigError, load_config
from generator.core.datatree import DESCRIPTOR, ID_RE, PERIOD_RE, REGISTRY_CSV, Period
from generator.core.files import write_csv, write_json
from generator.core.findings import Finding, Report
from generator.core.schema import (
    OPTIONAL_RESOURCES,
    PACKAGE_RESOURCES,
    field_names,
    package_descriptor,
    resource_spec,
    table_of_file,
)

#: Tables carried over from one quarter to the next and prefilled in the template.
CARRIED_OVER: tuple[str, ...] = ("members", "power_list", "power_steps", "negative_list")


class PublishError(Exception):
    """A problem the clerk must fix before anything is written; the message is Chinese."""


@dataclass
class PublishResult:
    """The outcome of ``publish_package``: the validation report and whether the package was written."""

    target: Path
    report: Report
    written: bool
    #: Findings in the new package (they block publication).
    blocking: list[Finding] = field(default_factory=list)
    #: Findings elsewhere in the unit's data (shown, but not caused by this package).
    other: list[Finding] = field(default_factory=list)
    #: The documents' rules this package breaks at severity ``warning``: published as 警示 (those
    #: at ``error`` are in ``blocking``).
    warnings: list[Finding] = field(default_factory=list)


def decode_csv_bytes(raw: bytes) -> str:
    """UTF-8 (with or without BOM) strictly, else GB18030 (a superset of GBK); no guessing."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise PublishError(
            "文件既不是 UTF-8 编码，也不是 GBK/GB18030 编码，无法读取；请在 Excel 或 WPS 中另存为“CSV UTF-8”。"
        ) from exc


def read_csv_records(path: Path) -> list[list[str]]:
    """Every record of a CSV file in any of the accepted encodings."""
    text = decode_csv_bytes(path.read_bytes())
    return list(csv.reader(io.StringIO(text, newline="")))


def _shown(text: str) -> str:
    """A command-line value as the message shows it: line breaks and other controls visible."""
    return text.encode("unicode_escape").decode("ascii") if not text.isprintable() else text


def parse_period(text: str) -> Period:
    """A quarter given on the command line: the whole text ``2025Q3`` (spaces around it allowed)."""
    stripped = text.strip(" ")
    period = Period.parse(stripped) if PERIOD_RE.fullmatch(stripped) else None
    if period is None:
        raise PublishError(f"季度“{_shown(text)}”格式不正确，应写成“年份Q季度”，例如 2025Q3。")
    return period


def check_unit_id(unit_id: str) -> str:
    """A unit ID given on the command line, matched to the end of the string: it becomes a folder
    name under the data tree, so ``../x``, ``/x``, ``a/b`` and a trailing line break are refused."""
    if not ID_RE.fullmatch(unit_id):
        raise PublishError(
            f"单位编号“{_shown(unit_id)}”格式不正确：只能由英文字母、数字、连字符“-”和下划线“_”组成，"
            "以字母或数字开头，最长 64 个字符，例如 fgw。"
        )
    return unit_id


def package_target(data_dir: Path, unit_id: str, period: Period) -> Path:
    """``data/<unit>/<period>/`` for a checked unit ID, refused if it resolves outside the data tree
    (a unit or quarter folder that is a symbolic link to somewhere else)."""
    check_unit_id(unit_id)
    data_dir = Path(data_dir)
    target = data_dir / unit_id / str(period)
    if not target.resolve().is_relative_to(data_dir.resolve()):
        raise PublishError(
            f"“{target}”指向数据目录“{data_dir}”之外（符号链接），不能写入；请删除该链接后重试。"
        )
    return target


def registry(data_dir: Path) -> dict[str, dict[str, str]]:
    """The registered units (``units.csv``) by unit ID, in file order."""
    path = data_dir / REGISTRY_CSV
    if not path.is_file():
        raise PublishError(f"数据目录“{data_dir}”中没有单位名录 {REGISTRY_CSV}，请确认 --data 参数。")
    try:
        records = read_csv_records(path)
    except PublishError as error:
        raise PublishError(f"{path}：{error}") from None
    if not records:
        return {}
    header = records[0]
    units: dict[str, dict[str, str]] = {}
    for record in records[1:]:
        row = dict(zip(header, record, strict=False))
        unit_id = row.get("unit_id", "").strip()
        if unit_id:
            units[unit_id] = row
    return units


def unit_record(data_dir: Path, unit_id: str) -> dict[str, str]:
    """The registry row of a unit; its ID is checked first (it names a folder of the data tree)."""
    check_unit_id(unit_id)
    units = registry(data_dir)
    if unit_id not in units:
        known = "、".join(units) or "（无）"
        raise PublishError(
            f"单位“{unit_id}”未在 {data_dir / REGISTRY_CSV} 中登记。已登记的单位编号：{known}。"
        )
    return units[unit_id]


def unit_periods(data_dir: Path, unit_id: str) -> list[Period]:
    """The quarters a unit has published, oldest first."""
    unit_dir = data_dir / unit_id
    if not unit_dir.is_dir():
        return []
    periods = [Period.parse(p.name) for p in unit_dir.iterdir() if p.is_dir()]
    return sorted(p for p in periods if p is not None)


def previous_period(data_dir: Path, unit_id: str, before: Period | None = None) -> Period | None:
    """The unit's latest published quarter (before ``before``, if given)."""
    periods = [p for p in unit_periods(data_dir, unit_id) if before is None or p < before]
    return periods[-1] if periods else None


def read_table(package_dir: Path, table: str) -> list[dict[str, str]]:
    """The rows of one table of a published package as dicts (empty if the file is missing)."""
    path = package_dir / resource_spec(table)["path"]
    if not path.is_file():
        return []
    try:
        records = read_csv_records(path)
    except PublishError as error:
        raise PublishError(f"{path}：{error}") from None
    if not records:
        return []
    header = records[0]
    return [dict(zip(header, record, strict=False)) for record in records[1:] if any(record)]


def tree_bound(data_dir: Path) -> int:
    """``max_file_mb`` of the data tree's ``portal.yml``: no file beyond it is read."""
    try:
        return load_config(data_dir).max_file_mb
    except ConfigError as error:
        raise PublishError(str(error)) from None


def licence(data_dir: Path) -> dict[str, str]:
    try:
        return load_config(data_dir).licence_info
    except ConfigError as error:
        raise PublishError(str(error)) from None


def write_package_files(
    target: Path, descriptor: dict[str, object], tables: dict[str, list[list[str]]]
) -> None:
    """``datapackage.json`` and one UTF-8 CSV per table (header always written); the optional
    更正记录 and 撤回记录 only when they have rows."""
    target.mkdir(parents=True, exist_ok=True)
    write_json(target / DESCRIPTOR, descriptor)
    for name in (*PACKAGE_RESOURCES, *package_optional(tables)):
        write_csv(target / resource_spec(name)["path"], field_names(name), tables.get(name, []))


def package_optional(tables: dict[str, list[list[str]]]) -> tuple[str, ...]:
    """The optional resources (更正记录, 撤回记录) that a package's tables fill."""
    return tuple(name for name in OPTIONAL_RESOURCES if tables.get(name))


def publish_package(
    data_dir: Path,
    unit_id: str,
    period: Period,
    tables: dict[str, list[list[str]]],
    *,
    replace: bool = False,
    source: str = "",
) -> PublishResult:
    """Write ``tables`` as ``data/<unit>/<period>/``, but only if the package validates.

    The package is written into a staging tree (portal settings, registry and the unit's other
    quarters, so that IDs reused across quarters are caught) and validated there; only then is it
    copied next to its final place and renamed into it. Nothing under ``data_dir`` changes when
    validation fails.
    """
    data_dir = Path(data_dir)
    unit = unit_record(data_dir, unit_id)
    target = package_target(data_dir, unit_id, period)
    if target.exists() and not replace:
        raise PublishError(
            f"{target} 已存在：{unit_id} 的 {period} 数据已经导入过。如要用本工作簿替换它（例如补充更正记录后重新导入），"
            "请加上 --replace 参数；已公开的记录有改动的，须在“更正记录”或“撤回记录”工作表中登记。"
        )
    resources = (*PACKAGE_RESOURCES, *package_optional(tables))
    descriptor = package_descriptor(
        unit_id, unit.get("name", unit_id), str(period), licence(data_dir), resources
    )
    if source:  # where the clerk's data came from: later messages name its sheets (workbook_hint)
        descriptor["gongkai"]["source"] = source
    rel_dir = f"{unit_id}/{period}/"
    with tempfile.TemporaryDirectory(prefix="gongkai-publish-") as tmp:
        stage = Path(tmp) / "data"
        stage.mkdir()
        for name in (CONFIG_FILE, DESCRIPTOR, REGISTRY_CSV):
            if (data_dir / name).is_file():
                shutil.copy2(data_dir / name, stage / name)
        for earlier in unit_periods(data_dir, unit_id):
            if earlier != period:
                shutil.copytree(data_dir / unit_id / str(earlier), stage / unit_id / str(earlier))
        write_package_files(stage / unit_id / str(period), descriptor, tables)

        from generator.validate import validate_data

        report = validate_data(stage, jobs=1)
        # Findings name files as they will be under data_dir, not in the staging tree.
        staged, real = stage.as_posix(), data_dir.as_posix()
        report.errors = [
            dataclasses.replace(f, message=f.message.replace(staged, real)) if staged in f.message else f
            for f in report.errors
        ]
        report.root = real
        blocking = [f for f in report.errors if f.file.startswith(rel_dir)]
        other = [f for f in report.errors if not f.file.startswith(rel_dir)]
        result = PublishResult(target, report, written=False, blocking=blocking, other=other)
        if blocking:
            return result
        if not other:  # (rules need the unit's other quarters valid too, to load them)
            # The documents' rules on this quarter, as the build will judge it: errors block here
            # and now, warnings are said before they are published.
            result.blocking, result.warnings = _rule_findings(stage, unit_id, period)
            if result.blocking:
                return result
        _move_into_place(stage / unit_id / str(period), target)
    result.written = True
    return result


def workbook_hints(findings: list[Finding], data_dir: Path) -> list[Finding]:
    """``findings`` with, for a file of a quarter imported from an Excel workbook, the sheet to
    change named in the message: the clerk knows the workbook, not its CSV files."""
    imported: dict[str, bool] = {}
    hinted = []
    for finding in findings:
        parts = finding.file.split("/")
        table = table_of_file(parts[2]) if len(parts) == 3 else None
        if table is None:
            hinted.append(finding)
            continue
        key = "/".join(parts[:2])
        if key not in imported:
            try:
                descriptor = json.loads((data_dir / key / DESCRIPTOR).read_text(encoding="utf-8"))
                imported[key] = descriptor.get("gongkai", {}).get("source") == "workbook"
            except (OSError, ValueError, AttributeError):
                imported[key] = False
        if not imported[key]:
            hinted.append(finding)
            continue
        from generator.intake.template import sheet_name

        hint = (
            f"（{key} 由 Excel 工作簿导入：请在该季度工作簿的“{sheet_name(table)}”工作表中修改，"
            "再用 gongkai import … --replace 重新导入。）"
        )
        hinted.append(dataclasses.replace(finding, message=finding.message + hint))
    return hinted


def _rule_findings(stage: Path, unit_id: str, period: Period) -> tuple[list[Finding], list[Finding]]:
    """(errors, warnings) of the documents' rules on one staged quarter, as findings."""
    from generator.core.config import ConfigError
    from generator.rules import check_portal
    from generator.sources.load import load_portal

    try:
        report = check_portal(load_portal(stage))
    except ConfigError:
        return [], []  # validation has named portal.yml's problem already
    mine = [o for o in report.for_package(unit_id, str(period)) if not o.passed]
    errors = [o for o in mine if report.settings[o.rule].severity == "error"]
    warnings = [o for o in mine if report.settings[o.rule].severity != "error"]
    return report.as_findings(errors), report.as_findings(warnings)


def _move_into_place(source: Path, target: Path) -> None:
    """Copy beside the target (same file system), then rename: the quarter appears all at once."""
    target.parent.mkdir(parents=True, exist_ok=True)
    incoming = Path(tempfile.mkdtemp(prefix=f".{target.name}.incoming-", dir=target.parent))
    old: Path | None = None
    try:
        shutil.copytree(source, incoming, dirs_exist_ok=True)
        if target.exists():
            old = target.parent / f".{target.name}.old-{os.getpid()}"
            target.rename(old)
        incoming.rename(target)
    except BaseException:
        if old is not None and old.exists() and not target.exists():
            old.rename(target)
        shutil.rmtree(incoming, ignore_errors=True)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def rows_for(table: str, dicts: Sequence[dict[str, str]]) -> list[list[str]]:
    """Rows in the canonical column order from dicts keyed by field name."""
    names = field_names(table)
    return [[row.get(name, "") or "" for name in names] for row in dicts]
