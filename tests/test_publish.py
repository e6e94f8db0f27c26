"""Quarterly publishing as a clerk does it: get the Excel template, fill it in, import it (or a
folder of CSVs saved by Excel/WPS in GBK or with a BOM), be told exactly which sheet, row and
column is wrong, start a new quarter from the last one, and see who has not published yet.

Commands run for real, in a subprocess, on private copies of the mini fixture; they must answer in
Chinese, with the documented exit codes, and never with a traceback.
"""

from __future__ import annotations

import codecs
import datetime
import json
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from openpyxl import load_workbook

from generator.cli import build_parser
from generator.core.findings import Finding, Report
from generator.core.schema import PACKAGE_RESOURCES, field_names, resource_spec
from generator.intake.importer import normalise
from generator.intake.template import sheet_name
from generator.validate import validate_data

from .conftest import upgrade_package

REPO = Path(__file__).resolve().parents[1]
PORTAL_CI = REPO / "portal-ci"


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def gongkai(*args: str | Path, cwd: Path = REPO) -> Run:
    completed = subprocess.run(
        [sys.executable, "-m", "generator.cli", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    run = Run(completed.returncode, completed.stdout, completed.stderr)
    assert "Traceback" not in run.output, run.output
    return run


def tree_snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def make_template(data: Path, unit: str = "fgw") -> Path:
    out = data.parent / f"{unit}.xlsx"
    run = gongkai("template", unit, "--data", data, "--out", out)
    assert run.code == 0, run.output
    return out


def fill(sheet: Any, rows: list[dict[str, Any]], start: int = 3) -> None:
    """Write ``rows`` (by field name) from ``start``, finding columns by the hidden field-name row."""
    columns = {cell.value: cell.column for cell in sheet[2] if cell.value}
    for offset, row in enumerate(rows):
        for name, value in row.items():
            sheet.cell(row=start + offset, column=columns[name], value=value)


MEETING = {
    "meeting_id": "hy2025-101",
    "meeting_type": "党组会议",
    "title": "2025年第5次党组会议",
    "date": datetime.date(2025, 7, 15),  # an Excel date cell
    "notice_date": "2025/7/10",  # typed as text
    "members_total": 3,
    "members_present": 3.0,  # Excel numbers are floats
    "host_member_id": " fgw-m01 ",  # stray spaces
    "recorded": "是",
}


def decision(number: int, **changes: Any) -> dict[str, Any]:
    row = {
        "decision_id": f"jc2025-10{number}",
        "meeting_id": "hy2025-101",
        "agenda_no": number,
        "category": "大额度资金运作",
        "title": f"关于第{number}批专项资金分配的决定",
        "summary": "审议专项资金分配方案。",
        "power_item_id": "qz-002",
        "amount_yuan": "1,250,000",  # thousands separators
        "vote_method": "逐位表态",
        "result": "通过",
        "pre_research": "已完成",
        "pre_expert_review": "已完成",
        "pre_risk_assessment": "已完成",
        "pre_legality_review": "已完成",
        "pre_contingency_plan": "已完成",
        "lead_member_id": "fgw-m02",
        "execution_status": "推进中",
        "execution_note": "已拨付首期资金。",
    }
    row.update(changes)
    return row


def stances(decision_id: str) -> list[dict[str, Any]]:
    order = ["fgw-m03", "fgw-m02", "fgw-m01"]  # the principal speaks last
    return [
        {"decision_id": decision_id, "order": i, "member_id": m, "stance": "同意", "remark": None}
        for i, m in enumerate(order, start=1)
    ]


def filled_workbook(data: Path, decisions: list[dict[str, Any]] | None = None) -> Path:
    path = make_template(data)
    book = load_workbook(path)
    decisions = decisions if decisions is not None else [decision(1), decision(2, amount_yuan=980000.0)]
    fill(book[sheet_name("meetings")], [MEETING])
    fill(book[sheet_name("decisions")], decisions)
    fill(book[sheet_name("stances")], [s for d in decisions for s in stances(d["decision_id"])])
    book.save(path)
    return path


def read_csv(path: Path) -> list[dict[str, str]]:
    import csv

    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


# --- gongkai template ---------------------------------------------------------------------------------


def test_template_has_instructions_chinese_headers_dropdowns_dates_and_current_lists(mini_data: Path) -> None:
    path = make_template(mini_data)
    book = load_workbook(path)
    assert book.sheetnames[0] == "说明"
    assert [sheet_name(t) for t in PACKAGE_RESOURCES] == book.sheetnames[1:9]
    assert book.sheetnames[9:11] == ["更正记录", "撤回记录"]  # optional, empty
    assert book["_gongkai"].sheet_state == "hidden"
    instructions = "\n".join(str(c.value) for row in book["说明"].iter_rows() for c in row if c.value)
    for needed in (
        "编号规则",
        "2025-07-15",
        "“是”或“否”",
        "gongkai import",
        "3201**********1234",
        "决策事项",
    ):
        assert needed in instructions

    decisions = book[sheet_name("decisions")]
    assert [c.value for c in decisions[1]][:4] == ["事项编号", "会议编号", "议题序号", "事项类别"]
    assert [c.value for c in decisions[2]] == field_names("decisions")
    assert decisions.row_dimensions[2].hidden
    assert decisions.max_row == 2  # empty, headers only
    lists = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in decisions.data_validations.dataValidation}
    assert lists["D3"] == '"重大事项决策,重要干部任免,重大项目安排,大额度资金运作"'
    assert lists["J3"] == '"通过,修改后通过,暂缓,不通过"'

    meetings = book[sheet_name("meetings")]
    kinds = {
        str(dv.sqref).split(":")[0]: (dv.type, dv.formula1) for dv in meetings.data_validations.dataValidation
    }
    assert kinds["I3"] == ("list", '"是,否"')  # recorded: 是/否
    assert kinds["D3"][0] == "date"
    assert meetings.column_dimensions["D"].number_format == "yyyy-mm-dd"

    members = book[sheet_name("members")]
    prefilled = [[c.value for c in row] for row in members.iter_rows(min_row=3)]
    expected = [
        [
            row["member_id"],
            row["name"],
            row["position"],
            row["is_principal"],
            int(row["rank"]),
            row["portfolio"],
        ]
        for row in read_csv(mini_data / "fgw" / "2025Q2" / "members.csv")
    ]
    assert prefilled == expected and len(expected) == 3
    assert book[sheet_name("power_list")].max_row == 2 + 2
    assert book[sheet_name("power_steps")].max_row > 2
    assert book[sheet_name("negative_list")].max_row > 2


def test_template_for_an_unknown_unit_is_a_usage_error(mini_data: Path) -> None:
    run = gongkai("template", "nosuch", "--data", mini_data, "--out", mini_data.parent / "x.xlsx")
    assert run.code == 2
    assert "未在" in run.stderr and "登记" in run.stderr and "fgw" in run.stderr


# --- gongkai import: workbook ----------------------------------------------------------------------------


def test_filled_template_round_trips_into_a_valid_package(mini_data: Path) -> None:
    workbook = filled_workbook(mini_data)
    run = gongkai("import", workbook, "--unit", "fgw", "--quarter", "2025Q3", "--data", mini_data)
    assert run.code == 0, run.output
    assert "已导入并通过校验" in run.stdout
    package = mini_data / "fgw" / "2025Q3"
    assert validate_data(mini_data, jobs=1).valid
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    # the import says where the data came from, so that later messages can name the sheets
    assert descriptor["gongkai"] == {
        "unit_id": "fgw",
        "period": "2025Q3",
        "schema_version": 1,
        "source": "workbook",
    }
    [meeting] = read_csv(package / "meetings.csv")
    assert (meeting["date"], meeting["notice_date"]) == ("2025-07-15", "2025-07-10")
    assert (meeting["members_present"], meeting["host_member_id"], meeting["recorded"]) == (
        "3",
        "fgw-m01",
        "是",
    )
    rows = read_csv(package / "decisions.csv")
    assert [r["amount_yuan"] for r in rows] == ["1250000", "980000"]
    assert [r["agenda_no"] for r in rows] == ["1", "2"]
    assert len(read_csv(package / "stances.csv")) == 6
    assert read_csv(package / "hearings.csv") == []
    # The optional 更正记录 and 撤回记录 sheets were left empty: no files, not in the descriptor.
    assert not (package / "corrections.csv").exists() and not (package / "withdrawals.csv").exists()
    assert [r["name"] for r in descriptor["resources"]] == list(PACKAGE_RESOURCES)
    # The carried-over lists come back byte for byte.
    for table in ("members", "power_list", "power_steps", "negative_list"):
        name = resource_spec(table)["path"]
        assert (package / name).read_bytes() == (mini_data / "fgw" / "2025Q2" / name).read_bytes()
    assert not [p for p in (mini_data / "fgw").iterdir() if p.name.startswith(".")]


def test_a_filled_corrections_sheet_is_imported_and_listed_in_the_descriptor(mini_data: Path) -> None:
    workbook = filled_workbook(mini_data)
    book = load_workbook(workbook)
    entry = {
        "table": "decisions",
        "record_id": "jc2025-101",
        "field": "amount_yuan",
        "old_value": "1200000",
        "new_value": "1250000",
        "reason": "金额笔误",
        "corrected_on": datetime.date(2025, 7, 20),
    }
    fill(book["更正记录"], [entry])
    book.save(workbook)
    run = gongkai("import", workbook, "--unit", "fgw", "--quarter", "2025Q3", "--data", mini_data)
    assert run.code == 0, run.output
    package = mini_data / "fgw" / "2025Q3"
    [row] = read_csv(package / "corrections.csv")
    assert (row["field"], row["new_value"], row["corrected_on"]) == ("amount_yuan", "1250000", "2025-07-20")
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    assert [r["name"] for r in descriptor["resources"]] == [*PACKAGE_RESOURCES, "corrections"]
    assert validate_data(mini_data, jobs=1).valid


def test_import_errors_name_sheet_excel_row_and_chinese_column(mini_data: Path) -> None:
    bad = [
        decision(1),
        decision(2, category="重大决策"),  # not an allowed value: Excel row 4
        decision(3, meeting_id="hy2025-999"),  # no such meeting: Excel row 5
        decision(1, title="重复"),  # same decision_id as row 3: Excel row 6
    ]
    workbook = filled_workbook(mini_data, bad)
    book = load_workbook(workbook)
    book[sheet_name("members")]["F4"] = "分管规划（手机 13812345678）"
    book.save(workbook)
    before = tree_snapshot(mini_data)

    run = gongkai("import", workbook, "--unit", "fgw", "--quarter", "2025Q3", "--data", mini_data)
    assert run.code == 1
    err = run.stderr
    assert "工作表“决策事项” 第 4 行“事项类别”：值“重大决策”不在允许的取值中" in err
    assert "工作表“决策事项” 第 5 行“会议编号”：值“hy2025-999”在工作表“会议”的“会议编号”中不存在" in err
    assert "工作表“决策事项” 第 6 行“事项编号”：编号“jc2025-101”与第 3 行重复" in err
    assert "工作表“班子成员及分工” 第 4 行“分管领域”：含有疑似手机号码“138****5678”" in err
    assert "13812345678" not in err
    assert "（meeting_id）" not in err and ".csv" not in err.split("导入未完成")[0].replace("datapackage", "")
    assert "数据目录未做任何修改" in err
    assert tree_snapshot(mini_data) == before  # nothing half-written


def test_reimport_needs_replace_and_replace_swaps_the_quarter(mini_data: Path) -> None:
    workbook = filled_workbook(mini_data)
    args = ("import", workbook, "--unit", "fgw", "--quarter", "2025Q2", "--data", mini_data)
    run = gongkai(*args)
    assert run.code == 2 and "已存在" in run.stderr and "--replace" in run.stderr
    # 2025Q2 with a July meeting: refused by validation, the old 2025Q2 stays as it was.
    before = tree_snapshot(mini_data)
    run = gongkai(*args, "--replace")
    assert run.code == 1 and "不在本数据包所属的2025年第二季度" in run.stderr
    assert tree_snapshot(mini_data) == before
    # A fitting workbook replaces it.
    run = gongkai("import", workbook, "--unit", "fgw", "--quarter", "2025Q3", "--data", mini_data)
    assert run.code == 0
    run = gongkai(
        "import", workbook, "--unit", "fgw", "--quarter", "2025Q3", "--data", mini_data, "--replace"
    )
    assert run.code == 0, run.output
    assert validate_data(mini_data, jobs=1).valid


def test_workbook_structure_problems_are_reported_before_anything_is_written(mini_data: Path) -> None:
    workbook = filled_workbook(mini_data)
    book = load_workbook(workbook)
    meetings = book[sheet_name("meetings")]
    meetings.delete_cols(4)  # 会议日期 gone
    meetings.delete_rows(2)  # hidden name row gone too: columns found by Chinese title
    meetings["K1"] = "备注"
    del book[sheet_name("hearings")]
    book.save(workbook)
    before = tree_snapshot(mini_data)
    run = gongkai("import", workbook, "--unit", "fgw", "--quarter", "2025Q3", "--data", mini_data)
    assert run.code == 1
    assert "工作表“会议” 第 1 行：缺少列“会议日期”" in run.stderr
    assert "工作表“会议” 第 1 行：第 11 列“备注”不是“会议”的列" in run.stderr
    assert "工作表“听证、论证和质询结果”：工作簿中没有这个工作表" in run.stderr
    assert tree_snapshot(mini_data) == before


def test_template_of_another_unit_is_refused(mini_data: Path) -> None:
    workbook = filled_workbook(mini_data)
    run = gongkai("import", workbook, "--unit", "rmyy", "--quarter", "2025Q3", "--data", mini_data)
    assert run.code == 1 and "是为单位“fgw”生成的模板" in run.stderr


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda d: d.parent / "missing.xlsx", "找不到"),
        (lambda d: _write(d.parent / "notes.txt", b"hello"), "不是 .xlsx 工作簿"),
        (lambda d: _write(d.parent / "broken.xlsx", b"PK\x03\x04 not really"), "无法打开工作簿"),
    ],
)
def test_bad_sources_are_usage_errors(mini_data: Path, make: Any, expected: str) -> None:
    run = gongkai("import", make(mini_data), "--unit", "fgw", "--quarter", "2025Q3", "--data", mini_data)
    assert run.code == 2 and expected in run.stderr


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--unit", "nosuch", "--quarter", "2025Q3"), "未在"),
        (("--unit", "fgw", "--quarter", "2025-3"), "格式不正确"),
    ],
)
def test_bad_unit_or_quarter_is_a_usage_error(mini_data: Path, args: tuple[str, ...], expected: str) -> None:
    run = gongkai("import", mini_data / "fgw" / "2025Q2", *args, "--data", mini_data)
    assert run.code == 2 and expected in run.stderr


def _write(path: Path, content: bytes) -> Path:
    path.write_bytes(content)
    return path


# --- gongkai import: CSV folders in every encoding Excel and WPS write -------------------------------------


@pytest.mark.parametrize(
    "encode",
    [
        pytest.param(lambda text: text.encode("gbk"), id="gbk"),
        pytest.param(lambda text: text.encode("gb18030"), id="gb18030"),
        pytest.param(lambda text: codecs.BOM_UTF8 + text.encode("utf-8"), id="utf-8-bom"),
        pytest.param(lambda text: text.replace("\n", "\r\n").encode("utf-8"), id="utf-8-crlf"),
    ],
)
def test_csv_folders_in_gbk_or_with_bom_import_as_the_utf8_originals(mini_data: Path, encode: Any) -> None:
    original = mini_data / "fgw" / "2025Q2"
    upgrade_package(original)  # import writes the current format (with the withheld columns)
    folder = mini_data.parent / "csv"
    folder.mkdir()
    for table in PACKAGE_RESOURCES:
        name = resource_spec(table)["path"]
        (folder / name).write_bytes(encode((original / name).read_text(encoding="utf-8")))
    saved = tree_snapshot(original)
    shutil.rmtree(original)
    run = gongkai("import", folder, "--unit", "fgw", "--quarter", "2025Q2", "--data", mini_data)
    assert run.code == 0, run.output
    assert tree_snapshot(original) == saved  # CSVs and datapackage.json, byte for byte
    assert validate_data(mini_data, jobs=1).valid


def test_csv_folder_with_chinese_headers_and_errors_names_file_row_and_column(mini_data: Path) -> None:
    folder = mini_data.parent / "csv"
    shutil.copytree(mini_data / "fgw" / "2025Q2", folder)
    (folder / "datapackage.json").unlink()
    lines = (folder / "meetings.csv").read_text(encoding="utf-8").splitlines()
    lines[0] = "会议编号,会议类型,会议名称,会议日期,议题预告日期,应到人数,实到人数,主持人,全程纪实"
    lines[1] = lines[1].replace("2025-04-18", "2025年4月18日").replace(",是", ",否否")
    (folder / "meetings.csv").write_bytes("\n".join(lines).encode("gbk"))
    run = gongkai("import", folder, "--unit", "fgw", "--quarter", "2025Q2", "--data", mini_data, "--replace")
    assert run.code == 1
    assert "meetings.csv 第 2 行“全程纪实”：值“否否”无效，只能填“是”或“否”" in run.stderr
    # 2025年4月18日 was normalised, not refused, and the clerk is told so (issue 18)
    assert "已将meetings.csv 第 2 行“会议日期”的“2025年4月18日”读作 2025-04-18。" in run.stderr
    assert run.stderr.count("会议日期") == 1


@pytest.mark.parametrize(
    ("value", "kind", "expected"),
    [
        (datetime.datetime(2025, 7, 15), "date", "2025-07-15"),
        ("2025/7/5", "date", "2025-07-05"),
        ("2025年7月5日", "date", "2025-07-05"),
        ("20250705", "date", "2025-07-05"),
        ("2025.07.05", "date", "2025-07-05"),
        (45853, "date", "2025-07-15"),  # an Excel serial in a General cell
        ("2025-02-30", "date", "2025-02-30"),  # left for validation to explain
        ("1,250,000", "number", "1250000"),
        ("１２５０", "number", "1250"),
        (1250000.0, "number", "1250000"),
        (95.5, "number", "95.5"),
        ("12万元", "number", "12万元"),
        (3.0, "integer", "3"),
        (True, "boolean", "是"),
        ("FALSE", "boolean", "否"),
        ("Y", "boolean", "是"),
        ("  张某 \u3000", "string", "张某"),
        (None, "string", ""),
        (7, "string", "7"),
    ],
)
def test_cells_are_normalised(value: Any, kind: str, expected: str) -> None:
    assert normalise(value, kind) == expected


# --- gongkai new-quarter ------------------------------------------------------------------------------------


def test_new_quarter_carries_the_lists_over_and_is_valid_at_once(mini_data: Path) -> None:
    run = gongkai("new-quarter", "fgw", "2025Q3", "--data", mini_data)
    assert run.code == 0, run.output
    assert "沿用 2025Q2" in run.stdout
    new, old = mini_data / "fgw" / "2025Q3", mini_data / "fgw" / "2025Q2"
    for table in ("members", "power_list", "power_steps", "negative_list"):
        name = resource_spec(table)["path"]
        assert (new / name).read_bytes() == (old / name).read_bytes()
    for table in ("meetings", "decisions", "stances", "hearings"):
        assert (new / resource_spec(table)["path"]).read_text(encoding="utf-8") == ",".join(
            field_names(table)
        ) + "\n"
    assert validate_data(mini_data, jobs=1).valid
    assert not (new / "corrections.csv").exists() and not (new / "withdrawals.csv").exists()

    again = gongkai("new-quarter", "fgw", "2025Q3", "--data", mini_data)
    assert again.code == 2 and "已存在" in again.stderr
    first = gongkai("new-quarter", "rmyy", "2024Q4", "--data", mini_data)
    assert first.code == 2 and "没有已公开的季度" in first.stderr


# --- gongkai status ------------------------------------------------------------------------------------------


def test_status_lists_published_and_unpublished_units(mini_data: Path) -> None:
    run = gongkai("status", "--data", mini_data)
    assert run.code == 0
    assert "2025年第二季度（2025Q2）" in run.stdout
    assert re.search(r"fgw\s+市发展改革委\s+已公开\s+2025Q2", run.stdout)
    assert re.search(r"rmyy\s+市人民医院\s+未公开\s+2025Q1", run.stdout)
    assert "已公开 1 个单位，未公开 1 个单位" in run.stdout

    gongkai("new-quarter", "rmyy", "2025Q3", "--data", mini_data)
    data = json.loads(gongkai("status", "--data", mini_data, "--format", "json").stdout)
    assert data["period"] == "2025Q3"  # the latest quarter any unit published
    assert {u["unit_id"]: u["published"] for u in data["units"]} == {"fgw": False, "rmyy": True}
    q1 = json.loads(gongkai("status", "--quarter", "2025Q1", "--data", mini_data, "--format", "json").stdout)
    assert q1["published"] == 2 and q1["not_published"] == 0


# --- CI files and --format github --------------------------------------------------------------------------------


def test_github_format_prints_one_error_annotation_per_finding(mini_data: Path) -> None:
    path = mini_data / "fgw" / "2025Q2" / "decisions.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("重大事项决策", "重大决策"), encoding="utf-8")
    run = gongkai("validate", mini_data, "--format", "github")
    assert run.code == 1
    lines = run.stdout.strip().splitlines()
    pattern = re.compile(r"^::error file=([^,:]+),line=(\d+),title=([^,:]+)::(.+)$")
    [annotation] = [line for line in lines if line.startswith("::")]
    match = pattern.match(annotation)
    assert match, annotation
    assert match.group(1) == f"{mini_data.as_posix()}/fgw/2025Q2/decisions.csv".replace(":", "%3A")
    assert match.group(2) == "2" and "值“重大决策”不在允许的取值中" in match.group(4)
    assert lines[-1].startswith("校验未通过")
    assert gongkai("validate", mini_data, "--format", "github").stdout.count("::error") == 1


def test_github_annotations_escape_newlines_and_separators() -> None:
    finding = Finding(type="x", title="a:b,c", message="第一行\n第二行 100%", file="u/2025Q1/x.csv", row=3)
    text = Report(errors=[finding], root="data").to_github()
    assert (
        text.splitlines()[0]
        == "::error file=data/u/2025Q1/x.csv,line=3,title=a%3Ab%2Cc::第一行%0A第二行 100%25"
    )
    assert Report(root="data").to_github().startswith("校验通过")


def _gongkai_commands(text: str) -> list[list[str]]:
    """Every ``gongkai …`` command line in a file (arguments up to the first non-ASCII character)."""
    return [match.split() for match in re.findall(r"(?<![\w-])gongkai(?: [A-Za-z0-9_./${}:=-]+)+", text)]


def test_ci_files_parse_and_use_real_commands() -> None:
    files = {
        "github": PORTAL_CI / "github" / "workflows" / "gongkai.yml",
        "gitlab": PORTAL_CI / "gitlab-ci.yml",
        "hooks": PORTAL_CI / "pre-commit-hooks.yaml",
        "example": PORTAL_CI / ".pre-commit-config.yaml",
    }
    parsed = {key: yaml.safe_load(path.read_text(encoding="utf-8")) for key, path in files.items()}
    assert (PORTAL_CI / "README.md").is_file()

    workflow = parsed["github"]
    triggers = workflow.get("on") or workflow.get(True)  # YAML 1.1 reads a bare `on` as true
    assert "pull_request" in triggers and "schedule" in triggers and "push" in triggers
    assert all(cron["cron"].split()[3] in ("1,4,7,10", "*/3", "1/3") for cron in triggers["schedule"])
    steps = [step for job in workflow["jobs"].values() for step in job.get("steps", [])]
    uses = {step.get("uses", "").split("@")[0] for step in steps}
    assert {"actions/upload-pages-artifact", "actions/deploy-pages"} <= uses
    runs = "\n".join(step.get("run", "") for step in steps)
    assert "--format github" in runs
    # A fresh CI machine has no published site: the record is fetched from the live site first.
    build_runs = "\n".join(step.get("run", "") for step in workflow["jobs"]["build"]["steps"])
    assert build_runs.index("gongkai fetch-published --data data --out public") < build_runs.index(
        "gongkai build --data data --out public"
    )
    build_steps = workflow["jobs"]["build"]["steps"]
    [cache] = [i for i, step in enumerate(build_steps) if step.get("uses", "").startswith("actions/cache@")]
    built = next(i for i, step in enumerate(build_steps) if "gongkai build" in step.get("run", ""))
    assert cache < built and build_steps[cache]["with"]["path"] == "~/.cache/gongkai"  # gongkai's default
    assert "github.ref_name" in build_steps[cache]["with"]["key"]  # kept per branch
    # The cache keeps every unit's pages too: a fresh runner renders only the changed units.
    assert build_steps[built]["env"]["GONGKAI_CACHE_PAGES"] == "1"
    validate_runs = "\n".join(step.get("run", "") for step in workflow["jobs"]["validate"]["steps"])
    assert "--published published" in validate_runs and "fetch-published" in validate_runs

    gitlab = parsed["gitlab"]
    assert "pages" in gitlab and gitlab["pages"]["artifacts"]["paths"] == ["public"]
    # The build cache survives between runs (a quarterly build on a fresh runner is incremental),
    # kept per branch: GitHub's outside the checkout, GitLab's under the variable gongkai reads.
    assert gitlab["pages"]["cache"]["key"] == "gongkai-$CI_COMMIT_REF_SLUG"
    assert gitlab["pages"]["variables"]["GONGKAI_CACHE_PAGES"] == "1"
    assert gitlab["pages"]["variables"]["GONGKAI_CACHE_DIR"].endswith(
        "/" + gitlab["pages"]["cache"]["paths"][0].rstrip("/")
    )
    pages = "\n".join(gitlab["pages"]["script"])
    assert pages.index("gongkai fetch-published --data data --out public") < pages.index("gongkai build")
    assert "--published published" in "\n".join(gitlab["validate"]["script"])
    hook = parsed["hooks"][0]
    assert hook["entry"].startswith("gongkai validate") and hook["id"]
    assert parsed["example"]["repos"][0]["hooks"][0]["id"] == hook["id"]

    parser = build_parser()
    commands = [cmd for path in files.values() for cmd in _gongkai_commands(path.read_text(encoding="utf-8"))]
    commands += _gongkai_commands((PORTAL_CI / "README.md").read_text(encoding="utf-8"))
    assert len(commands) >= 5
    for command in commands:
        argv = [arg for arg in command[1:] if not arg.startswith("$")]
        try:
            parser.parse_args(argv)
        except SystemExit as exit_:
            pytest.fail(f"not a valid gongkai command: {' '.join(command)} ({exit_.code})")
