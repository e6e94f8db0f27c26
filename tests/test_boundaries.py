"""Every date, count and threshold rule at its boundaries: the last value that passes and the first
that does not, on both sides (the first and last day of each quarter, exactly half present, the
deadline day itself …). Checked on the mini fixture, as tests/test_rules.py does."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from generator.validate import validate_data

from .test_rules import Q1, assert_broken, assert_met, check, git, outcomes
from .test_site import rewrite_csv

MEETINGS = Q1 / "meetings.csv"
DECISIONS = Q1 / "decisions.csv"
STANCES = Q1 / "stances.csv"


def configure(data: Path, yaml: str) -> None:
    """Append rule settings to the fixture's portal.yml."""
    config = data / "portal.yml"
    config.write_text(config.read_text(encoding="utf-8") + yaml, encoding="utf-8")


def package(data: Path, period: str) -> Path:
    """fgw's package for ``period``: 2025Q1 and 2025Q2 as in the fixture; any other period is the
    fixture's 2025Q2 package moved there (directory and ``gongkai.period``)."""
    path = data / "fgw" / period
    if not path.exists():
        shutil.move(data / "fgw" / "2025Q2", path)
        descriptor = path / "datapackage.json"
        text = json.loads(descriptor.read_text(encoding="utf-8"))
        text["gongkai"]["period"] = period
        descriptor.write_text(json.dumps(text, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


# --- validation: a meeting or hearing lies inside its quarter ---------------------------------------

QUARTERS = {
    "2025Q1": ("2025-01-01", "2025-03-31", "2024-12-31", "2025-04-01"),
    "2025Q2": ("2025-04-01", "2025-06-30", "2025-03-31", "2025-07-01"),
    "2025Q3": ("2025-07-01", "2025-09-30", "2025-06-30", "2025-10-01"),
    "2025Q4": ("2025-10-01", "2025-12-31", "2025-09-30", "2026-01-01"),
    "2024Q1": ("2024-01-01", "2024-03-31", "2023-12-31", "2024-04-01"),  # a leap year's first quarter
}


def out_of_period(data: Path) -> list:
    return [f for f in validate_data(data, jobs=1).errors if f.type == "date-out-of-period"]


@pytest.mark.parametrize("period", sorted(QUARTERS))
def test_meeting_on_the_first_and_last_day_of_its_quarter_is_accepted(mini_data: Path, period: str) -> None:
    first, last, _, _ = QUARTERS[period]
    meetings = package(mini_data, period) / "meetings.csv"
    for day in (first, last):
        rewrite_csv(meetings, {"date": day})
        report = validate_data(mini_data, jobs=1)
        assert report.valid and not [f for f in report.errors if f.type == "date-out-of-period"], (
            day,
            report.to_text(),
        )


@pytest.mark.parametrize("period", sorted(QUARTERS))
def test_meeting_the_day_before_or_after_its_quarter_is_refused(mini_data: Path, period: str) -> None:
    first, last, before, after = QUARTERS[period]
    meetings = package(mini_data, period) / "meetings.csv"
    for day in (before, after):
        rewrite_csv(meetings, {"date": day})
        [finding] = out_of_period(mini_data)
        assert (finding.file, finding.row, finding.column, finding.value) == (
            f"fgw/{period}/meetings.csv",
            2,
            "date",
            day,
        )
        assert f"（{first} 至 {last}）" in finding.message, finding.message


def test_29_february_is_inside_a_leap_years_first_quarter(mini_data: Path) -> None:
    rewrite_csv(
        package(mini_data, "2024Q1") / "meetings.csv", {"date": "2024-02-29", "notice_date": "2024-02-28"}
    )
    assert validate_data(mini_data, jobs=1).valid


def test_29_february_of_a_common_year_is_not_a_date(mini_data: Path) -> None:
    rewrite_csv(mini_data / MEETINGS, {"date": "2025-02-29"})
    report = validate_data(mini_data, jobs=1)
    found = [f for f in report.errors if (f.file, f.row, f.column) == ("fgw/2025Q1/meetings.csv", 2, "date")]
    assert found and found[0].value == "2025-02-29", report.to_text()
    assert "Traceback" not in report.to_text()


@pytest.mark.parametrize(("day", "inside"), [("2025-03-31", True), ("2025-01-01", True), ("2025-04-01", False),
                                             ("2024-12-31", False)])  # fmt: skip
def test_hearing_date_at_the_edges_of_its_quarter(mini_data: Path, day: str, inside: bool) -> None:
    rewrite_csv(mini_data / Q1 / "hearings.csv", {"date": day})
    found = out_of_period(mini_data)
    if inside:
        assert found == []
    else:
        assert [(f.file, f.row, f.value) for f in found] == [("fgw/2025Q1/hearings.csv", 2, day)]


# --- 预告会商: notice at least min_days before the meeting -------------------------------------------


@pytest.mark.parametrize(
    ("date", "notice", "min_days", "met", "says"),
    [
        ("2025-01-15", "2025-01-14", None, True, ""),  # exactly 1 day: the default minimum
        ("2025-01-15", "2025-01-15", None, False, "会议当天"),
        ("2025-01-15", "2025-01-16", None, False, "会议之后"),
        ("2025-01-15", "2025-01-12", 3, True, ""),  # exactly min_days
        ("2025-01-15", "2025-01-13", 3, False, "会前 2 天"),
        ("2025-03-01", "2025-02-28", None, True, ""),  # across the end of February
        ("2024-03-01", "2024-02-28", 2, True, ""),  # 2024-02-29 lies between: 2 days
        ("2025-03-01", "2025-02-28", 2, False, "会前 1 天"),  # no 29 February in 2025
    ],
)
def test_advance_notice_at_min_days(
    mini_data: Path, date: str, notice: str, min_days: int | None, met: bool, says: str
) -> None:
    if min_days is not None:
        configure(mini_data, f"rules:\n  advance_notice:\n    min_days: {min_days}\n")
    rewrite_csv(mini_data / MEETINGS, {"date": date, "notice_date": notice})
    if met:
        assert_met(mini_data, "advance_notice", "meeting:hy2025-001")
    else:
        need = f"应至少提前 {min_days or 1} 天"
        assert_broken(mini_data, "advance_notice", "meeting:hy2025-001", says, need)


# --- 到会人数: more than half; at least two thirds for personnel items --------------------------------


@pytest.mark.parametrize(
    ("total", "present", "met"),
    [
        (4, 2, False),  # exactly half: not more than half
        (4, 3, True),  # half + 1
        (2, 1, False),
        (3, 2, True),
        (5, 3, True),
        (5, 2, False),
        (10, 5, False),
        (10, 6, True),
    ],
)
def test_quorum_more_than_half(mini_data: Path, total: int, present: int, met: bool) -> None:
    # hy2025-001 decides no personnel item
    rewrite_csv(mini_data / MEETINGS, {"members_total": str(total), "members_present": str(present)})
    if met:
        assert_met(mini_data, "quorum", "meeting:hy2025-001")
    else:
        assert_broken(mini_data, "quorum", "meeting:hy2025-001", f"实到 {present} 人", "未达到半数以上")


@pytest.mark.parametrize(
    ("total", "present", "met"),
    [
        (3, 2, True),  # exactly two thirds
        (6, 4, True),
        (6, 3, False),  # exactly half
        (9, 6, True),
        (9, 5, False),  # more than half, less than two thirds: enough for other items only
        (8, 5, False),
        (8, 6, True),
        (3, 3, True),
    ],
)
def test_quorum_two_thirds_for_personnel_items(mini_data: Path, total: int, present: int, met: bool) -> None:
    # hy2025-002 decides jc2025-003, a 重要干部任免 item
    rewrite_csv(
        mini_data / MEETINGS, {"members_total": str(total), "members_present": str(present)}, row_index=1
    )
    if met:
        assert_met(mini_data, "quorum", "meeting:hy2025-002")
    else:
        assert_broken(mini_data, "quorum", "meeting:hy2025-002", "审议干部任免事项", "未达到三分之二以上")


@pytest.mark.parametrize(("present", "met"), [(3, False), (4, True)])
def test_quorum_general_share_is_configurable(mini_data: Path, present: int, met: bool) -> None:
    configure(mini_data, 'rules:\n  quorum:\n    general: "3/4"\n')
    rewrite_csv(mini_data / MEETINGS, {"members_total": "4", "members_present": str(present)})
    if met:
        assert_met(mini_data, "quorum", "meeting:hy2025-001")
    else:
        assert_broken(mini_data, "quorum", "meeting:hy2025-001", "半数以上（>3/4）")


# --- 按期公开: committed at most deadline_days after the quarter ends --------------------------------


@pytest.mark.parametrize(
    ("period", "committed", "deadline_days", "met"),
    [
        ("2025Q1", "2025-04-15", None, True),  # the deadline day itself (31 March + 15)
        ("2025Q1", "2025-04-16", None, False),
        ("2025Q2", "2025-07-15", None, True),  # 30 June + 15
        ("2025Q2", "2025-07-16", None, False),
        ("2025Q4", "2026-01-15", None, True),  # across the new year
        ("2025Q4", "2026-01-16", None, False),
        ("2025Q1", "2025-03-31", 0, True),  # on the quarter's last day
        ("2025Q1", "2025-04-01", 0, False),
        ("2025Q1", "2025-05-01", 31, True),
        ("2025Q1", "2025-05-02", 31, False),
    ],
)
def test_timely_disclosure_on_the_deadline_day(
    mini_data: Path, period: str, committed: str, deadline_days: int | None, met: bool
) -> None:
    package(mini_data, period)
    if deadline_days is not None:
        configure(mini_data, f"rules:\n  timely_disclosure:\n    deadline_days: {deadline_days}\n")
    git(mini_data, "init", "-q")
    git(mini_data, "add", ".")
    git(mini_data, "commit", "-q", "-m", "公开", date=committed)
    [outcome] = [o for o in outcomes(check(mini_data), "timely_disclosure", "package") if o.period == period]
    assert outcome.passed is met, outcome.message
    if not met:
        assert f"于 {committed} 才提交公开" in outcome.message


# --- 决策执行跟踪: still 未启动 `quarters` quarters later -----------------------------------------------


@pytest.mark.parametrize(
    ("latest", "quarters", "judged"),
    [
        ("2025Q2", None, False),  # 1 quarter later: too recent
        ("2025Q3", None, True),  # exactly 2 quarters later
        ("2025Q2", 1, True),
        ("2025Q3", 3, False),
        ("2025Q4", 3, True),
        ("2026Q1", 4, True),  # across the new year: 4 quarters
        ("2026Q1", 5, False),
    ],
)
def test_execution_followup_after_exactly_the_quarters_set(
    mini_data: Path, latest: str, quarters: int | None, judged: bool
) -> None:
    if latest != "2025Q2":
        shutil.copytree(mini_data / "fgw" / "2025Q2", mini_data / "fgw" / latest)
    if quarters is not None:
        configure(mini_data, f"rules:\n  execution_followup:\n    quarters: {quarters}\n")
    rewrite_csv(mini_data / DECISIONS, {"execution_status": "未启动"})
    found = outcomes(check(mini_data), "execution_followup", "decision:jc2025-001")
    if judged:
        assert [o.passed for o in found] == [False] and "仍未启动执行" in found[0].message
    else:
        assert found == []


# --- 逐位表态、一把手末位表态: as many stances as members present, the principal last -----------------


def write_stances(data: Path, rows: list[tuple[str, str]]) -> None:
    """jc2025-001's stances as (order, member_id), in file order; jc2025-002's are kept."""
    path = data / STANCES
    lines = path.read_text(encoding="utf-8").splitlines()
    kept = [line for line in lines[1:] if not line.startswith("jc2025-001,")]
    ours = [f"jc2025-001,{order},{member},同意," for order, member in rows]
    path.write_text("\n".join([lines[0], *ours, *kept]) + "\n", encoding="utf-8")


def test_principal_last_by_the_order_column_not_the_file_order(mini_data: Path) -> None:
    write_stances(mini_data, [("3", "fgw-m01"), ("1", "fgw-m03"), ("2", "fgw-m02")])
    assert_met(mini_data, "last_stance", "decision:jc2025-001")


def test_order_is_compared_as_a_number(mini_data: Path) -> None:
    # as text, "10" sorts before "2" and "9": the principal would seem to speak first
    write_stances(mini_data, [("2", "fgw-m03"), ("9", "fgw-m02"), ("10", "fgw-m01")])
    assert_met(mini_data, "last_stance", "decision:jc2025-001")
    write_stances(mini_data, [("2", "fgw-m03"), ("10", "fgw-m02"), ("9", "fgw-m01")])
    assert_broken(mini_data, "last_stance", "decision:jc2025-001", "第 2 位表态，没有最后表态（共 3 人）")


@pytest.mark.parametrize(
    ("rows", "says"),
    [
        ([("1", "fgw-m01"), ("2", "fgw-m02"), ("3", "fgw-m03")], "第 1 位表态"),
        ([("1", "fgw-m02"), ("2", "fgw-m03")], "主要负责人张某未表态"),
        ([("1", "fgw-m02"), ("2", "fgw-m01")], "会议实到 3 人，但只有 2 人表态"),  # one short
        (
            [("1", "fgw-m03"), ("2", "fgw-m02"), ("3", "fgw-m02"), ("4", "fgw-m01")],  # one over
            "会议实到 3 人，但只有 4 人表态",
        ),
        ([("1", "fgw-m03"), ("2", "fgw-m03"), ("3", "fgw-m01")], "有成员重复表态"),  # right count, a repeat
    ],
)
def test_last_stance_broken_on_either_side(mini_data: Path, rows: list[tuple[str, str]], says: str) -> None:
    write_stances(mini_data, rows)
    assert_broken(mini_data, "last_stance", "decision:jc2025-001", says)


def test_last_stance_count_follows_members_present(mini_data: Path) -> None:
    write_stances(mini_data, [("1", "fgw-m02"), ("2", "fgw-m01")])
    rewrite_csv(mini_data / MEETINGS, {"members_present": "2"})
    assert_met(mini_data, "last_stance", "decision:jc2025-001")


# --- 五不上会, 票决, 反对意见记录: the edges of the text rules ------------------------------------------


@pytest.mark.parametrize(
    ("change", "met", "says"),
    [
        ({"pre_contingency_plan": "未完成"}, False, "未经预案即上会决策"),  # the last of five
        ({"pre_research": "未完成"}, False, "未经调查研究即上会决策"),  # the first of five
        ({"pre_research": "不适用", "exemption_reason": " "}, False, "调查研究标为“不适用”，但没有说明理由"),
        ({"pre_research": "不适用", "exemption_reason": "已有同类调研"}, True, ""),
        ({"pre_research": "未完成", "exemption_reason": "理由不能代替未完成的程序"}, False, "未经调查研究"),
    ],
)
def test_five_preconditions_edges(mini_data: Path, change: dict[str, str], met: bool, says: str) -> None:
    rewrite_csv(mini_data / DECISIONS, change)
    if met:
        assert_met(mini_data, "five_preconditions", "decision:jc2025-001")
    else:
        assert_broken(mini_data, "five_preconditions", "decision:jc2025-001", says)


def test_five_preconditions_only_for_the_categories_set(mini_data: Path) -> None:
    rewrite_csv(mini_data / DECISIONS, {"pre_research": "未完成"})
    configure(mini_data, "rules:\n  five_preconditions:\n    categories: [大额度资金运作]\n")
    assert outcomes(check(mini_data), "five_preconditions", "decision:jc2025-001") == []
    assert_met(mini_data, "five_preconditions", "decision:jc2025-002")


def test_ballot_only_for_personnel_items_and_the_method_set(mini_data: Path) -> None:
    assert outcomes(check(mini_data), "ballot", "decision:jc2025-001") == []  # not a personnel item
    configure(mini_data, "rules:\n  ballot:\n    method: 记名票决\n")
    assert_broken(mini_data, "ballot", "decision:jc2025-003", "采用“无记名票决”，应实行记名票决")
    rewrite_csv(mini_data / DECISIONS, {"vote_method": "记名票决"}, row_index=2)
    assert_met(mini_data, "ballot", "decision:jc2025-003")


@pytest.mark.parametrize(("remark", "met"), [("", False), ("  ", False), ("无", True)])
def test_dissent_reason_blank_or_one_character(mini_data: Path, remark: str, met: bool) -> None:
    rewrite_csv(mini_data / STANCES, {"stance": "保留意见", "remark": remark})
    if met:
        assert_met(mini_data, "dissent_recorded", "decision:jc2025-001")
    else:
        assert_broken(mini_data, "dissent_recorded", "decision:jc2025-001", "王某（保留意见）未记录理由")


# --- 逾期未公开: overdue only after the deadline day ---------------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "overdue"),
    [
        ("2025-07-15", []),  # rmyy's 2025Q2 deadline day itself: not yet overdue
        ("2025-07-16", [("rmyy", "2025Q2")]),
        ("2025-10-15", [("rmyy", "2025Q2")]),  # 2025Q3's deadline day
        ("2025-10-16", [("fgw", "2025Q3"), ("rmyy", "2025Q2"), ("rmyy", "2025Q3")]),
    ],
)
def test_overdue_from_the_day_after_the_deadline(mini_data: Path, as_of: str, overdue: list) -> None:
    from generator.rules.overdue import overdue_units
    from generator.sources.load import load_portal

    git(mini_data, "init", "-q")
    git(mini_data, "add", ".")
    git(mini_data, "commit", "-q", "-m", "公开", date=as_of)
    portal = load_portal(mini_data)
    found = overdue_units(portal, check(mini_data), portal.history.as_of)
    assert sorted((o.unit.unit_id, str(o.period)) for o in found) == overdue


# --- portal.yml bounds: a file, a cell and a table exactly at the bound pass; one more is refused ----


def set_bound(data: Path, key: str, value: int) -> None:
    configure(data, f"{key}: {value}\n")


def errors_of(data: Path, kind: str) -> list:
    return [f for f in validate_data(data, jobs=1).errors if f.type == kind]


@pytest.mark.parametrize(("extra", "refused"), [(0, False), (1, True)])
def test_file_of_exactly_max_file_mb(mini_data: Path, extra: int, refused: bool) -> None:
    set_bound(mini_data, "max_file_mb", 1)
    path = mini_data / "rmyy/2025Q1/datapackage.json"
    text = path.read_bytes()
    path.write_bytes(text + b" " * (1024 * 1024 - len(text) + extra))  # trailing spaces: still JSON
    found = errors_of(mini_data, "file-too-large")
    assert [f.file for f in found] == (["rmyy/2025Q1/datapackage.json"] if refused else [])


@pytest.mark.parametrize(("extra", "refused"), [(0, False), (1, True)])
def test_cell_of_exactly_max_cell_chars(mini_data: Path, extra: int, refused: bool) -> None:
    set_bound(mini_data, "max_cell_chars", 300)
    rewrite_csv(mini_data / DECISIONS, {"summary": "长" * (300 + extra)})
    found = errors_of(mini_data, "cell-too-long")
    assert [(f.row, f.column) for f in found] == ([(2, "summary")] if refused else [])


@pytest.mark.parametrize(("less", "refused"), [(0, False), (1, True)])
def test_table_of_exactly_max_rows(mini_data: Path, less: int, refused: bool) -> None:
    longest = max(len(p.read_text(encoding="utf-8").splitlines()) - 1 for p in mini_data.rglob("*.csv"))
    set_bound(mini_data, "max_rows", longest - less)
    found = errors_of(mini_data, "too-many-rows")
    assert bool(found) is refused
    if refused:
        assert {f.row for f in found} == {longest + 1}  # the first row over the bound


def test_only_the_cell_over_max_cell_chars_is_named_in_its_row(mini_data: Path) -> None:
    set_bound(mini_data, "max_cell_chars", 300)
    rewrite_csv(mini_data / DECISIONS, {"title": "题" * 300, "summary": "长" * 301})
    found = errors_of(mini_data, "cell-too-long")
    assert [(f.row, f.column) for f in found] == [(2, "summary")]


@pytest.mark.parametrize(
    "day", ["2025-3-31", "2025-03-1", "2025/03/31", "20250331", "2025-03-31 ", "2025-02-30"]
)
def test_a_date_not_written_plainly_or_not_real_is_refused(mini_data: Path, day: str) -> None:
    rewrite_csv(mini_data / MEETINGS, {"date": day})
    report = validate_data(mini_data, jobs=1)
    assert [(f.file, f.row, f.column) for f in report.errors] == [("fgw/2025Q1/meetings.csv", 2, "date")], (
        report.to_text()
    )
