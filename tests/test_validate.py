"""``gongkai validate``: a clerk breaks one thing in a small valid data tree and is told exactly
which file, row, column and value is wrong, in Chinese, without a traceback.

Every case runs the real command twice: in a subprocess (``python -m generator.cli``) and
in-process (``generator.cli.main``), the latter with ``--format json`` so the finding can be
checked field by field.
"""

from __future__ import annotations

import csv
import inspect
import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import frictionless.errors
import pytest
from frictionless.error import Error as FrictionlessError

from generator import cli
from generator.core.findings import Finding, Report
from generator.core.messages import MESSAGES, Place
from generator.validate import LIMIT_PER_FILE, validate_data
from generator.validate.explain import FRICTIONLESS_TITLES, finding_from_frictionless

REPO = Path(__file__).resolve().parents[1]
MINI = Path(__file__).parent / "fixtures" / "mini"


# --- Helpers ----------------------------------------------------------------------------------------


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str


def run_subprocess(*args: str) -> Run:
    completed = subprocess.run(
        [sys.executable, "-m", "generator.cli", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    return Run(completed.returncode, completed.stdout, completed.stderr)


def run_in_process(capsys: pytest.CaptureFixture[str], *args: str) -> Run:
    capsys.readouterr()
    try:
        code = cli.main(list(args))
    except SystemExit as exit_:  # argparse usage errors
        code = int(exit_.code or 0)
    captured = capsys.readouterr()
    return Run(code, captured.out, captured.err)


def no_traceback(run: Run) -> None:
    assert "Traceback" not in run.stdout
    assert "Traceback" not in run.stderr


def read_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def write_rows(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def set_cell(path: Path, row: int, column: str, value: str) -> None:
    """Set one cell; ``row`` is the spreadsheet row number (the header is row 1)."""
    rows = read_rows(path)
    rows[row - 1][rows[0].index(column)] = value
    write_rows(path, rows)


def append_text(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8", newline="") as handle:
        handle.write(text)


def replace_text(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A fresh copy of the small valid tree: units fgw (2025Q1, 2025Q2) and rmyy (2025Q1)."""
    target = tmp_path / "data"
    shutil.copytree(MINI, target)
    return target


# --- The valid tree -------------------------------------------------------------------------------------


def test_valid_tree_passes(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Header-only tables are valid: fgw 2025Q2 had no hearings, rmyy 2025Q1 no roll-call stances.
    assert len(read_rows(data / "fgw/2025Q2/hearings.csv")) == 1
    assert len(read_rows(data / "rmyy/2025Q1/stances.csv")) == 1

    for run in (run_subprocess("validate", str(data)), run_in_process(capsys, "validate", str(data))):
        no_traceback(run)
        assert run.code == 0, run.stdout
        assert run.stdout.strip() == "校验通过：2 个单位、3 个数据包、47 行数据。"

    report = validate_data(data, jobs=1)
    assert report.valid
    assert (report.units_checked, report.packages_checked, report.rows_checked) == (2, 3, 47)


def test_committed_fixture_is_valid() -> None:
    assert validate_data(MINI, jobs=1).valid


# --- One bad input at a time ---------------------------------------------------------------------------


@dataclass
class Case:
    id: str
    breaks: Callable[[Path], None]
    type: str
    file: str
    row: int | None = None
    column: str | None = None
    value: str | None = None
    #: Fragments the Chinese message must contain (besides the file, row, column and value).
    says: tuple[str, ...] = ()


def _gbk(data: Path) -> None:
    path = data / "fgw/2025Q1/members.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("gbk"))


def _gb18030(data: Path) -> None:
    path = data / "rmyy/2025Q1/members.csv"
    text = path.read_text(encoding="utf-8").replace("孙某", "䶮某")  # 䶮 is in GB18030, not in GBK
    with pytest.raises(UnicodeEncodeError):
        text.encode("gbk")
    path.write_bytes(text.encode("gb18030"))


def _bom(data: Path) -> None:
    path = data / "fgw/2025Q1/decisions.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())


def _reuse_decision_id(data: Path) -> None:
    for name in ("decisions.csv", "stances.csv"):
        replace_text(data / "fgw/2025Q2" / name, "jc2025-004", "jc2025-001")


def _second_principal(data: Path) -> None:
    set_cell(data / "rmyy/2025Q1/members.csv", 3, "is_principal", "是")


def _unregistered_unit(data: Path) -> None:
    shutil.copytree(data / "rmyy/2025Q1", data / "jtj/2025Q1")


CASES: list[Case] = [
    Case(
        "missing-csv",
        lambda d: (d / "fgw/2025Q1/meetings.csv").unlink(),
        "missing-file",
        "fgw/2025Q1/meetings.csv",
        says=("文件不存在", "没有数据时也要保留表头行"),
    ),
    Case(
        "missing-descriptor",
        lambda d: (d / "rmyy/2025Q1/datapackage.json").unlink(),
        "missing-file",
        "rmyy/2025Q1/datapackage.json",
        says=("文件不存在",),
    ),
    Case(
        "malformed-json",
        lambda d: (d / "fgw/2025Q2/datapackage.json").write_text(
            '{\n  "name": "fgw-2025q2",\n  "resources": [}\n', encoding="utf-8"
        ),
        "json-error",
        "fgw/2025Q2/datapackage.json",
        row=3,
        says=("第 3 行第 17 列", "JSON 格式错误"),
    ),
    Case(
        "unbalanced-quote",
        lambda d: append_text(
            d / "fgw/2025Q1/power_list.csv", 'qz-003,财务资金,"未闭合的名称,党组会议,依据,程序,12345,低\n'
        ),
        "csv-syntax",
        "fgw/2025Q1/power_list.csv",
        row=4,
        says=("引号",),
    ),
    Case(
        "extra-cell",
        lambda d: append_text(d / "fgw/2025Q1/stances.csv", "jc2025-003,1,fgw-m01,同意,,多余的值\n"),
        "extra-cell",
        "fgw/2025Q1/stances.csv",
        row=8,
        value="多余的值",
        says=("比表头多 1 个",),
    ),
    Case(
        "missing-cell",
        lambda d: append_text(d / "fgw/2025Q1/stances.csv", "jc2025-003,1,fgw-m01\n"),
        "missing-cell",
        "fgw/2025Q1/stances.csv",
        row=8,
        column="stance",
        says=("只有 3 个单元格", "比表头少 2 个", "表态（stance）"),
    ),
    Case(
        "gbk",
        _gbk,
        "encoding-gbk",
        "fgw/2025Q1/members.csv",
        row=2,
        says=("GBK/GB18030", "Excel", "fgw-m01,张某,党组书记、主任,是,1,主持全面工作", "UTF-8"),
    ),
    Case(
        "gb18030",
        _gb18030,
        "encoding-gbk",
        "rmyy/2025Q1/members.csv",
        row=2,
        says=("GBK/GB18030", "m01,赵某,党委书记", "UTF-8"),
    ),
    Case(
        "bom",
        _bom,
        "encoding-bom",
        "fgw/2025Q1/decisions.csv",
        row=1,
        says=("文件以 UTF-8 BOM 开头", "请另存为“UTF-8（无 BOM）”"),
    ),
    Case(
        "empty-file",
        lambda d: (d / "fgw/2025Q1/negative_list.csv").write_bytes(b""),
        "empty-file",
        "fgw/2025Q1/negative_list.csv",
        says=("文件为空，至少应包含表头行",),
    ),
    Case(
        "whitespace-only-file",
        lambda d: (d / "fgw/2025Q1/negative_list.csv").write_bytes(b" \r\n\n"),
        "empty-file",
        "fgw/2025Q1/negative_list.csv",
        says=("文件为空，至少应包含表头行",),
    ),
    Case(
        "misnamed-column",
        lambda d: replace_text(
            d / "fgw/2025Q1/decisions.csv", "decision_id,meeting_id,", "decision_id,meeting,"
        ),
        "incorrect-label",
        "fgw/2025Q1/decisions.csv",
        row=1,
        column="meeting_id",
        value="meeting",
        says=("第 2 列的列名为“meeting”，应为“meeting_id”（会议编号）",),
    ),
    Case(
        "missing-column",
        lambda d: write_rows(
            d / "fgw/2025Q1/power_steps.csv",
            [[r[0], r[1], r[2], r[4]] for r in read_rows(d / "fgw/2025Q1/power_steps.csv")],
        ),
        "missing-label",
        "fgw/2025Q1/power_steps.csv",
        row=1,
        column="actor",
        says=("表头缺少列“责任主体（actor）”",),
    ),
    Case(
        "duplicate-id",
        lambda d: append_text(d / "fgw/2025Q1/members.csv", "fgw-m02,李四,党组成员,否,4,\n"),
        "primary-key",
        "fgw/2025Q1/members.csv",
        row=5,
        column="member_id",
        value="fgw-m02",
        says=("与第 3 行重复",),
    ),
    Case(
        "dangling-foreign-key",
        lambda d: set_cell(d / "fgw/2025Q1/decisions.csv", 4, "meeting_id", "hy2025-099"),
        "foreign-key",
        "fgw/2025Q1/decisions.csv",
        row=4,
        column="meeting_id",
        value="hy2025-099",
        says=(
            "decisions.csv 第 4 行“会议编号（meeting_id）”：值“hy2025-099”在 meetings.csv 的“会议编号”中不存在。",
        ),
    ),
    Case(
        "foreign-key-letter-case",
        lambda d: set_cell(d / "fgw/2025Q1/stances.csv", 3, "member_id", "FGW-M02"),
        "foreign-key",
        "fgw/2025Q1/stances.csv",
        row=3,
        column="member_id",
        value="FGW-M02",
        says=("在 members.csv 的“成员编号”中不存在", "是否应为“fgw-m02”"),
    ),
    Case(
        "nonexistent-date",
        lambda d: set_cell(d / "rmyy/2025Q1/meetings.csv", 2, "date", "2025-02-30"),
        "type-error",
        "rmyy/2025Q1/meetings.csv",
        row=2,
        column="date",
        value="2025-02-30",
        says=("不是有效的日期（YYYY-MM-DD）", "这一天不存在"),
    ),
    Case(
        "slash-date",
        lambda d: set_cell(d / "rmyy/2025Q1/meetings.csv", 2, "notice_date", "2025/02/03"),
        "type-error",
        "rmyy/2025Q1/meetings.csv",
        row=2,
        column="notice_date",
        value="2025/02/03",
        says=("请写成 2025-02-03",),
    ),
    Case(
        "unpadded-date",
        lambda d: set_cell(d / "rmyy/2025Q1/hearings.csv", 2, "date", "2025-2-18"),
        "type-error",
        "rmyy/2025Q1/hearings.csv",
        row=2,
        column="date",
        value="2025-2-18",
        says=("请写成 2025-02-18",),
    ),
    Case(
        "bad-enum",
        lambda d: set_cell(d / "fgw/2025Q1/decisions.csv", 3, "category", "重大决策"),
        "constraint-error",
        "fgw/2025Q1/decisions.csv",
        row=3,
        column="category",
        value="重大决策",
        says=(
            "“事项类别（category）”：值“重大决策”不在允许的取值中，"
            "应为以下之一：重大事项决策、重要干部任免、重大项目安排、大额度资金运作。",
        ),
    ),
    Case(
        "bad-integer",
        lambda d: set_cell(d / "fgw/2025Q1/stances.csv", 3, "order", "二"),
        "type-error",
        "fgw/2025Q1/stances.csv",
        row=3,
        column="order",
        value="二",
        says=("不是有效的整数",),
    ),
    Case(
        "decimal-integer",
        lambda d: set_cell(d / "fgw/2025Q1/meetings.csv", 3, "members_present", "2.5"),
        "type-error",
        "fgw/2025Q1/meetings.csv",
        row=3,
        column="members_present",
        value="2.5",
        says=("不能带小数",),
    ),
    Case(
        "bad-boolean",
        lambda d: set_cell(d / "fgw/2025Q1/meetings.csv", 2, "recorded", "true"),
        "type-error",
        "fgw/2025Q1/meetings.csv",
        row=2,
        column="recorded",
        value="true",
        says=("只能填“是”或“否”",),
    ),
    Case(
        "required-empty",
        lambda d: set_cell(d / "fgw/2025Q1/decisions.csv", 2, "title", ""),
        "constraint-error",
        "fgw/2025Q1/decisions.csv",
        row=2,
        column="title",
        says=("必填，不能为空",),
    ),
    Case(
        "bad-id-pattern",
        lambda d: set_cell(d / "fgw/2025Q1/power_list.csv", 2, "item_id", "qz 001"),
        "constraint-error",
        "fgw/2025Q1/power_list.csv",
        row=2,
        column="item_id",
        value="qz 001",
        says=("格式不正确", "英文字母、数字"),
    ),
    Case(
        "above-maximum",
        lambda d: set_cell(d / "fgw/2025Q1/hearings.csv", 2, "satisfaction_rate", "101"),
        "constraint-error",
        "fgw/2025Q1/hearings.csv",
        row=2,
        column="satisfaction_rate",
        value="101",
        says=("大于允许的最大值 100",),
    ),
    Case(
        "blank-row",
        lambda d: append_text(d / "fgw/2025Q1/power_steps.csv", ",,,,\n"),
        "blank-row",
        "fgw/2025Q1/power_steps.csv",
        row=5,
        says=("空行",),
    ),
    Case(
        "unregistered-unit",
        _unregistered_unit,
        "unregistered-unit",
        "jtj",
        value="jtj",
        says=("units.csv 中没有单位编号（unit_id）为“jtj”的行",),
    ),
    Case(
        "bad-period-dir",
        lambda d: shutil.copytree(d / "fgw/2025Q2", d / "fgw/2025-Q3"),
        "period-dir",
        "fgw/2025-Q3",
        value="2025-Q3",
        says=("例如 2025Q1",),
    ),
    Case(
        "id-reused-across-quarters",
        _reuse_decision_id,
        "id-reused",
        "fgw/2025Q2/decisions.csv",
        row=2,
        column="decision_id",
        value="jc2025-001",
        says=("fgw/2025Q1/decisions.csv 第 2 行", "不同季度之间不能重复使用"),
    ),
    Case(
        "date-outside-quarter",
        lambda d: set_cell(d / "fgw/2025Q2/meetings.csv", 2, "date", "2025-07-01"),
        "date-out-of-period",
        "fgw/2025Q2/meetings.csv",
        row=2,
        column="date",
        value="2025-07-01",
        says=("2025年第二季度（2025-04-01 至 2025-06-30）",),
    ),
    Case(
        "two-principals",
        _second_principal,
        "principal-count",
        "rmyy/2025Q1/members.csv",
        row=3,
        column="is_principal",
        value="是",
        says=("共有 2 名主要负责人（第 2、3 行）",),
    ),
    Case(
        "no-principal",
        lambda d: set_cell(d / "rmyy/2025Q1/members.csv", 2, "is_principal", "否"),
        "principal-count",
        "rmyy/2025Q1/members.csv",
        column="is_principal",
        says=("没有", "主要负责人"),
    ),
    Case(
        "schema-loosened",
        lambda d: replace_text(
            d / "fgw/2025Q1/datapackage.json", '"大额度资金运作"', '"大额度资金运作",\n"其他"'
        ),
        "schema-changed",
        "fgw/2025Q1/datapackage.json",
        says=("“决策事项”（decisions）的表结构（schema）被修改", "字段“category”的 constraints 不同"),
    ),
    Case(
        "descriptor-wrong-unit",
        lambda d: replace_text(d / "rmyy/2025Q1/datapackage.json", '"unit_id": "rmyy"', '"unit_id": "fgw"'),
        "descriptor",
        "rmyy/2025Q1/datapackage.json",
        value="fgw",
        says=("gongkai.unit_id 为“fgw”", "rmyy"),
    ),
    Case(
        "unit-registry-duplicate",
        lambda d: append_text(d / "units.csv", "fgw,重复的单位,重复,部门党组,书记,\n"),
        "primary-key",
        "units.csv",
        row=4,
        column="unit_id",
        value="fgw",
        says=("与第 2 行重复",),
    ),
]


def _matching(findings: list[dict[str, Any]], case: Case) -> list[dict[str, Any]]:
    return [
        f
        for f in findings
        if f["type"] == case.type
        and f["file"] == case.file
        and f["row"] == case.row
        and (case.column is None or f["column"] == case.column)
        and (case.value is None or f["value"] == case.value)
    ]


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_bad_input_is_reported(case: Case, data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    case.breaks(data)
    shown = f"{data.as_posix()}/{case.file}"

    # In-process, JSON: the finding itself.
    run = run_in_process(capsys, "validate", str(data), "--format", "json")
    no_traceback(run)
    assert run.code == 1, run.stdout
    report = json.loads(run.stdout)
    assert report["valid"] is False
    found = _matching(report["errors"], case)
    assert found, json.dumps(report["errors"], ensure_ascii=False, indent=1)
    message = found[0]["message"]
    assert message.startswith(shown), message
    if case.row is not None:
        assert f"第 {case.row} 行" in message
    if case.column is not None:
        assert case.column in message
        assert found[0]["column_title"]
    if case.value is not None:
        assert f"“{case.value}”" in message
    for fragment in case.says:
        assert fragment in message, message
    assert found[0]["title"] in catalog_titles(found[0]["type"])

    # Subprocess, text: the same sentence on one line.
    run = run_subprocess("validate", str(data))
    no_traceback(run)
    assert run.code == 1
    assert any(line.strip().endswith(message) for line in run.stdout.splitlines()), run.stdout
    assert run.stdout.splitlines()[-1].startswith("校验未通过：")


def catalog_titles(kind: str) -> set[str]:
    """Titles the catalog has for a finding type (any of its variants)."""
    return {message.title for key, message in MESSAGES.items() if key.split(":")[0] == kind}


def test_validation_uses_canonical_schema_not_the_packages_own(data: Path) -> None:
    """A package that adds a value to its own enum still gets that value rejected."""
    replace_text(data / "fgw/2025Q1/datapackage.json", '"大额度资金运作"', '"大额度资金运作",\n"其他"')
    set_cell(data / "fgw/2025Q1/decisions.csv", 2, "category", "其他")
    flat = validate_data(data, jobs=1).flatten(("file", "row", "column", "type"))
    assert ["fgw/2025Q1/datapackage.json", None, None, "schema-changed"] in flat
    assert ["fgw/2025Q1/decisions.csv", 2, "category", "constraint-error"] in flat


# --- Many errors, JSON, determinism, limits ---------------------------------------------------------------


def _break_many(data: Path) -> None:
    set_cell(data / "fgw/2025Q1/decisions.csv", 2, "category", "重大决策")
    set_cell(data / "fgw/2025Q1/decisions.csv", 3, "agenda_no", "第二")
    set_cell(data / "fgw/2025Q1/decisions.csv", 4, "meeting_id", "hy2025-099")
    set_cell(data / "fgw/2025Q1/meetings.csv", 2, "date", "2025/01/15")
    set_cell(data / "rmyy/2025Q1/members.csv", 3, "is_principal", "是")
    (data / "fgw/2025Q2/negative_list.csv").write_bytes(b"")
    _bom(data)


def test_many_errors_are_all_reported(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _break_many(data)
    report = validate_data(data, jobs=1)
    assert report.flatten(("file", "row", "column", "type")) == [
        ["fgw/2025Q1/meetings.csv", 2, "date", "type-error"],
        ["fgw/2025Q1/decisions.csv", 1, None, "encoding-bom"],
        ["fgw/2025Q1/decisions.csv", 2, "category", "constraint-error"],
        ["fgw/2025Q1/decisions.csv", 3, "agenda_no", "type-error"],
        ["fgw/2025Q1/decisions.csv", 4, "meeting_id", "foreign-key"],
        ["fgw/2025Q2/negative_list.csv", None, None, "empty-file"],
        ["rmyy/2025Q1/members.csv", 3, "is_principal", "principal-count"],
    ]
    text = report.to_text()
    assert text.splitlines()[-1] == "校验未通过：4 个文件中共 7 个错误。"
    assert f"{data.as_posix()}/fgw/2025Q1/decisions.csv（4 个错误）" in text


def test_json_output_has_the_same_findings_as_text(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _break_many(data)
    as_json = run_in_process(capsys, "validate", str(data), "--format", "json")
    as_text = run_in_process(capsys, "validate", str(data))
    assert as_json.code == as_text.code == 1
    report = json.loads(as_json.stdout)
    assert list(report) == ["valid", "summary", "counts", "truncated", "errors"]
    assert report["counts"] == {"units": 2, "packages": 3, "rows": 45, "files_with_errors": 4, "errors": 7}
    assert report["summary"] == as_text.stdout.splitlines()[-1]
    for finding in report["errors"]:
        assert list(finding) == [
            "type",
            "title",
            "message",
            "file",
            "row",
            "column",
            "column_title",
            "value",
            "expected",
        ]
        assert f"[{finding['title']}] {finding['message']}" in as_text.stdout
    assert "\\u" not in as_json.stdout  # Chinese stays readable


def test_output_does_not_depend_on_the_number_of_processes(
    data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("generator.validate.packages.PARALLEL_MIN_BYTES", 0)  # use worker processes even here
    _break_many(data)
    _reuse_decision_id(data)
    reports = [validate_data(data, jobs=jobs).to_json() for jobs in (1, 2, 3, None)]
    assert len(set(reports)) == 1


def test_errors_beyond_the_limit_are_counted_as_truncated(data: Path) -> None:
    rows = [f"jc2025-001,{n},fgw-m01,赞成,\n" for n in range(10, 10 + LIMIT_PER_FILE + 200)]
    append_text(data / "fgw/2025Q1/stances.csv", "".join(rows))
    report = validate_data(data, jobs=1)
    stances = [f for f in report.errors if f.file == "fgw/2025Q1/stances.csv"]
    assert len(stances) == LIMIT_PER_FILE
    assert report.truncated == ["fgw/2025Q1/stances.csv"]
    assert f"只列出前 {LIMIT_PER_FILE} 个" in report.to_text()
    assert json.loads(report.to_json())["truncated"] == ["fgw/2025Q1/stances.csv"]


def test_everything_broken_at_once_never_raises(data: Path) -> None:
    """A hostile tree: every file damaged in a different way; still only findings."""
    (data / "datapackage.json").write_text("[]", encoding="utf-8")
    (data / "units.csv").write_bytes(b"\xff\xfe" + "unit_id".encode("utf-16-le"))
    (data / "portal.yml").write_text("demo: 也许\n", encoding="utf-8")
    package = data / "fgw/2025Q1"
    (package / "members.csv").write_bytes(bytes(range(256)))
    (package / "decisions.csv").unlink()
    (package / "decisions.csv").mkdir()
    (package / "stances.csv").write_text('"\n' * 3, encoding="utf-8")
    (package / "meetings.csv").write_text("\n\n\n", encoding="utf-8")
    (package / "power_list.csv").write_text("a\x00b\n", encoding="utf-8")
    (package / "datapackage.json").write_text('{"resources": [1, {"name": 2}, {"name": "members"}]}')
    (data / "rmyy/2025Q1/hearings.csv").write_text(",,,\n,,,\n", encoding="utf-8")
    (data / "loose-file.txt").write_text("不是目录", encoding="utf-8")
    report = validate_data(data, jobs=2)
    assert not report.valid
    types = {f.type for f in report.errors}
    assert "internal-error" not in types, report.to_text()
    assert {"config", "descriptor", "encoding-error", "missing-file", "csv-syntax", "empty-file"} <= types
    assert {"blank-header"} <= types
    json.loads(report.to_json())


def test_an_unexpected_exception_becomes_an_internal_error_finding(
    data: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import generator.validate.csvfile as validate_module  # where the header check is called

    original = validate_module._check_header

    def explode(header: list[str], place: Place, out: Any) -> bool:
        if place.file == "fgw/2025Q1/hearings.csv":
            raise RuntimeError("模拟的意外错误")
        return original(header, place, out)

    monkeypatch.setattr(validate_module, "_check_header", explode)
    report = validate_data(data, jobs=1)
    assert [(f.type, f.file) for f in report.errors] == [("internal-error", "fgw/2025Q1/hearings.csv")]
    assert "RuntimeError: 模拟的意外错误" in report.errors[0].message
    assert "校验时发生意外错误" in report.errors[0].message


# --- Usage errors -------------------------------------------------------------------------------------------


def test_missing_data_dir_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nowhere"
    for run in (run_subprocess("validate", str(missing)), run_in_process(capsys, "validate", str(missing))):
        no_traceback(run)
        assert run.code == 2
        assert "找不到数据目录" in run.stderr


def test_bad_format_is_a_usage_error(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for run in (
        run_subprocess("validate", str(data), "--format", "xml"),
        run_in_process(capsys, "validate", str(data), "--format", "xml"),
    ):
        no_traceback(run)
        assert run.code == 2
        assert "用法错误" in run.stderr


# --- Messages and the report as data ------------------------------------------------------------------------


def test_every_frictionless_error_type_has_a_chinese_title() -> None:
    classes = [
        cls
        for _, cls in inspect.getmembers(frictionless.errors, inspect.isclass)
        if issubclass(cls, FrictionlessError)
    ]
    assert len(classes) > 50
    for cls in classes:
        assert cls.type in MESSAGES or cls.type in FRICTIONLESS_TITLES, cls.type


def test_unknown_frictionless_errors_get_chinese_with_the_english_note() -> None:
    error = frictionless.errors.RowConstraintError(
        note="the row constraint to conform is: a > b", cells=["1", "2"], row_number=3
    )
    finding = finding_from_frictionless(error, Place("x/2025Q1/decisions.csv", "data/x/2025Q1/decisions.csv"))
    assert finding.type == "row-constraint"
    assert finding.title == "不满足行约束"
    assert finding.message.startswith("data/x/2025Q1/decisions.csv 第 3 行：不满足行约束。原始信息（英文）：")
    assert "a > b" in finding.message


def test_frictionless_own_errors_convert_to_chinese(data: Path) -> None:
    """Frictionless run on its own (keys, labels and all) on broken files: every error it reports
    becomes a Chinese finding naming the file and row."""
    from frictionless import Package

    package_dir = data / "fgw/2025Q1"
    replace_text(package_dir / "decisions.csv", "decision_id,meeting_id,", "decision_id,meeting,")
    append_text(package_dir / "members.csv", "fgw-m02,李四,党组成员,否,4,\n,,,,,\n")
    append_text(package_dir / "stances.csv", "jc2025-404,1,fgw-m09,赞成,,多余\n")
    package = Package(str(package_dir / "datapackage.json"))
    report = package.validate(limit_errors=1000)
    errors = report.flatten(["type"])
    kinds = {kind for (kind,) in errors}
    assert {
        "incorrect-label",
        "primary-key",
        "foreign-key",
        "constraint-error",
        "extra-cell",
        "blank-row",
    } <= kinds
    for task in report.tasks:
        table = task.name
        place = Place(f"fgw/2025Q1/{table}.csv", f"data/fgw/2025Q1/{table}.csv", table)
        for error in task.errors:
            finding = finding_from_frictionless(error, place)
            assert finding.message.startswith(place.display), finding
            assert (
                finding.title in catalog_titles(finding.type) or finding.title in FRICTIONLESS_TITLES.values()
            )
            assert "{" not in finding.message, finding.message
            if getattr(error, "row_number", None):
                assert f"第 {error.row_number} 行" in finding.message
            if finding.type == "foreign-key":
                assert finding.value and f"“{finding.value}”" in finding.message


def test_keys_are_checked_exactly_as_frictionless_checks_them(data: Path) -> None:
    """Our primary/foreign key checks report the same rows as Frictionless's own."""
    from frictionless import Package

    package_dir = data / "fgw/2025Q1"
    append_text(package_dir / "members.csv", "fgw-m02,李四,党组成员,否,4,\nfgw-m02,王五,党组成员,否,5,\n")
    append_text(package_dir / "power_steps.csv", "qz-001,2,重复步骤,投资科,\nqz-009,1,步骤,投资科,\n")
    append_text(
        package_dir / "stances.csv",
        "jc2025-001,1,fgw-m01,同意,\njc2025-404,4,fgw-m09,同意,\njc2025-002,x,fgw-m01,同意,\n",
    )
    set_cell(package_dir / "decisions.csv", 2, "power_item_id", "qz-404")
    set_cell(package_dir / "decisions.csv", 3, "lead_member_id", "fgw-m404")
    set_cell(package_dir / "decisions.csv", 4, "hearing_id", "tz-404")
    set_cell(package_dir / "meetings.csv", 2, "host_member_id", "nobody")
    set_cell(package_dir / "hearings.csv", 2, "decision_id", "jc2025-404")

    ours = {
        (f.file.rsplit("/", 1)[1], f.row, f.type)
        for f in validate_data(data, jobs=1).errors
        if f.type in ("primary-key", "foreign-key")
    }
    theirs = set()
    for task in Package(str(package_dir / "datapackage.json")).validate(limit_errors=10_000).tasks:
        for error in task.errors:
            if error.type in ("primary-key", "foreign-key"):
                theirs.add((f"{task.name}.csv", error.row_number, error.type))
    assert ours == theirs
    assert len(ours) >= 10


def test_report_views() -> None:
    finding = Finding(
        type="foreign-key",
        title="引用的编号不存在",
        message="data/fgw/2025Q1/decisions.csv 第 7 行“会议编号（meeting_id）”：值“hy2025-099”在 meetings.csv 的“会议编号”中不存在。",
        file="fgw/2025Q1/decisions.csv",
        row=7,
        column="meeting_id",
        column_title="会议编号",
        value="hy2025-099",
        expected="meetings.csv 中已有的会议编号",
    )
    report = Report(errors=[finding], packages_checked=1, rows_checked=9, units_checked=1, root="data")
    assert not report.valid
    assert report.flatten() == [["fgw/2025Q1/decisions.csv", 7, "meeting_id", "foreign-key"]]
    assert report.to_text().splitlines() == [
        "data/fgw/2025Q1/decisions.csv（1 个错误）",
        f"  [引用的编号不存在] {finding.message}",
        "",
        "校验未通过：1 个文件中共 1 个错误。",
    ]
    assert json.loads(report.to_json())["errors"] == [finding.to_dict()]
    with pytest.raises(ValueError):
        report.flatten(("nope",))
    assert Report(packages_checked=2, rows_checked=5, units_checked=1).to_text() == (
        "校验通过：1 个单位、2 个数据包、5 行数据。"
    )
