"""Validation's domain checks (``generator.validate.domain``), called in the test process.

Each check gets the tables of one package as validation has cast them (``collect.Table``: the
values of the columns the checks need, with their spreadsheet rows) and adds its findings. The
tests give each check the values at its edges and pin every finding whole: type, file, row, column,
value and the Chinese message a clerk follows to the cell (docs/mutation.md: they kill the mutants
of ``generator/validate/domain.py``). tests/test_validate.py and tests/test_boundaries.py check the
same rules through ``gongkai validate`` on whole trees.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from generator.core.datatree import Period
from generator.core.findings import Finding
from generator.core.messages import Place
from generator.validate.collect import Findings, PackageResult, Table
from generator.validate.domain import (
    PACKAGE_CHECKS,
    check_dates,
    check_foreign_keys,
    check_ids_across_quarters,
    check_principal,
    check_withheld,
)

Q2 = Period(2025, 2)


def table(name: str, rows: list[int], usable: bool = True, **columns: list[Any]) -> Table:
    place = Place(file=f"u1/2025Q2/{name}.csv", display=f"data/u1/2025Q2/{name}.csv", table=name)
    return Table(place, usable=usable, rows=len(rows), row_numbers=rows, columns=dict(columns))


def run(check: Any, tables: dict[str, Table], period: Period = Q2) -> list[Finding]:
    out = Findings()
    check(tables, period, out)
    return out.items


def brief(findings: list[Finding]) -> list[tuple[Any, ...]]:
    return [(f.type, f.file, f.row, f.column, f.value, f.expected, f.message) for f in findings]


def test_the_package_checks_run_in_order() -> None:
    assert (check_foreign_keys, check_principal, check_dates, check_withheld) == PACKAGE_CHECKS


# -- references --------------------------------------------------------------------------------------


def members(*ids: str | None) -> Table:
    return table("members", list(range(2, 2 + len(ids))), member_id=list(ids))


def meetings(*hosts: str | None, usable: bool = True) -> Table:
    return table("meetings", list(range(2, 2 + len(hosts))), usable=usable, host_member_id=list(hosts))


def test_every_reference_exists_or_is_named_with_a_hint() -> None:
    found = run(
        check_foreign_keys,
        {"members": members("m1", "m2"), "meetings": meetings("m1", None, " m2", "M1", "x")},
    )
    where = "data/u1/2025Q2/meetings.csv 第 {} 行“主持人（host_member_id）”"
    assert brief(found) == [
        (
            "foreign-key",
            "u1/2025Q2/meetings.csv",
            4,
            "host_member_id",
            " m2",
            "members.csv 中已有的成员编号",
            where.format(4) + "：值“ m2”在 members.csv 的“成员编号”中不存在。值的前后有多余的空格。",
        ),
        (
            "foreign-key",
            "u1/2025Q2/meetings.csv",
            5,
            "host_member_id",
            "M1",
            "members.csv 中已有的成员编号",
            where.format(5) + "：值“M1”在 members.csv 的“成员编号”中不存在。编号区分大小写，是否应为“m1”？",
        ),
        (
            "foreign-key",
            "u1/2025Q2/meetings.csv",
            6,
            "host_member_id",
            "x",
            "members.csv 中已有的成员编号",
            where.format(6) + "：值“x”在 members.csv 的“成员编号”中不存在。",
        ),
    ]


def test_a_stray_space_and_a_wrong_case_together() -> None:
    found = run(check_foreign_keys, {"members": members("m1"), "meetings": meetings(" M1 ", "m1 ")})
    assert [f.message.split("中不存在。")[1] for f in found] == [
        "编号区分大小写，是否应为“m1”？",
        "值的前后有多余的空格。",
    ]


def test_empty_parent_keys_match_nothing() -> None:
    found = run(check_foreign_keys, {"members": members(None, "m1"), "meetings": meetings("None", "")})
    assert [f.value for f in found] == ["None", ""]


def test_references_to_an_unusable_or_missing_table_are_not_judged() -> None:
    unusable = table("members", [2], usable=False, member_id=["m1"])
    assert run(check_foreign_keys, {"members": unusable, "meetings": meetings("x")}) == []
    assert run(check_foreign_keys, {"meetings": meetings("x")}) == []
    assert run(check_foreign_keys, {"members": members("m1"), "meetings": meetings("x", usable=False)}) == []


def test_every_reference_of_a_table_is_checked() -> None:
    decisions = table(
        "decisions",
        [2, 3],
        decision_id=["jc1", "jc2"],
        meeting_id=["hy1", "hy9"],
        power_item_id=["p1", "p1"],
        lead_member_id=["m1", "m9"],
        hearing_id=[None, "tz9"],
    )
    tables = {
        "members": members("m1"),
        "meetings": table("meetings", [2], meeting_id=["hy1"], host_member_id=["m1"]),
        "power_list": table("power_list", [2], item_id=["p1"]),
        "hearings": table("hearings", [], hearing_id=[], decision_id=[]),
        "decisions": decisions,
    }
    found = run(check_foreign_keys, tables)
    assert [(f.row, f.column, f.value) for f in found] == [
        (3, "meeting_id", "hy9"),
        (3, "lead_member_id", "m9"),
        (3, "hearing_id", "tz9"),
    ]


# -- the principal ------------------------------------------------------------------------------------


def principals(*flags: Any, usable: bool = True) -> dict[str, Table]:
    return {
        "members": table("members", list(range(2, 2 + len(flags))), usable=usable, is_principal=list(flags))
    }


def test_exactly_one_principal_passes() -> None:
    assert run(check_principal, principals(False, True, False)) == []


def test_no_principal() -> None:
    assert brief(run(check_principal, principals(False, "是", None))) == [
        (
            "principal-count",
            "u1/2025Q2/members.csv",
            None,
            "is_principal",
            None,
            "恰好一名",
            "data/u1/2025Q2/members.csv：没有“是否主要负责人（is_principal）”为“是”的成员；每个班子应有且只有一名主要负责人。",
        )
    ]


def test_more_than_one_principal_names_the_second_and_every_row() -> None:
    assert brief(run(check_principal, principals(False, True, True, False, True))) == [
        (
            "principal-count",
            "u1/2025Q2/members.csv",
            4,
            "is_principal",
            "是",
            "恰好一名",
            "data/u1/2025Q2/members.csv 第 4 行“是否主要负责人（is_principal）”：值为“是”，但本表共有 3 名主要负责人"
            "（第 3、4、6 行）；每个班子应有且只有一名主要负责人。",
        )
    ]


def test_unusable_members_are_not_judged() -> None:
    assert run(check_principal, principals(True, True, usable=False)) == []


# -- withheld records -----------------------------------------------------------------------------------


def withheld_tables(
    decisions: list[tuple[str, Any, Any]],
    hearings: list[tuple[str, Any, Any]],
    *,
    decisions_usable: bool = True,
    hearings_usable: bool = True,
) -> dict[str, Table]:
    return {
        "decisions": table(
            "decisions",
            list(range(2, 2 + len(decisions))),
            usable=decisions_usable,
            decision_id=[d[0] for d in decisions],
            withheld=[d[1] for d in decisions],
            withheld_basis=[d[2] for d in decisions],
        ),
        "hearings": table(
            "hearings",
            list(range(2, 2 + len(hearings))),
            usable=hearings_usable,
            hearing_id=[f"tz{n}" for n in range(len(hearings))],
            decision_id=[h[0] for h in hearings],
            withheld=[h[1] for h in hearings],
            withheld_basis=[h[2] for h in hearings],
        ),
    }


BASIS = "《中华人民共和国政府信息公开条例》第十四条"


def test_a_withheld_record_names_its_basis_and_only_it_does() -> None:
    tables = withheld_tables(
        [
            ("d1", True, BASIS),
            ("d2", True, None),
            ("d3", True, "  "),
            ("d4", False, BASIS),
            ("d5", None, BASIS),
            ("d6", False, None),
        ],
        [("d6", False, "x"), ("d6", True, "")],
    )
    missing = "：本行“依法不予公开”为“是”，必须填写不予公开所依据的法律法规条款，例如《中华人民共和国保守国家秘密法》第十三条、《中华人民共和国政府信息公开条例》第十四条。"
    unused = "：未填“是”，但本行填写了“不予公开依据”。该行依法不予公开的，应填“是”；应当公开的，请清空“不予公开依据”。"
    decisions, hearings = "data/u1/2025Q2/decisions.csv", "data/u1/2025Q2/hearings.csv"
    assert brief(run(check_withheld, tables)) == [
        ("withheld-basis", "u1/2025Q2/decisions.csv", 3, "withheld_basis", None, None, f"{decisions} 第 3 行“不予公开依据（withheld_basis）”{missing}"),
        ("withheld-basis", "u1/2025Q2/decisions.csv", 4, "withheld_basis", None, None, f"{decisions} 第 4 行“不予公开依据（withheld_basis）”{missing}"),
        ("withheld-basis", "u1/2025Q2/decisions.csv", 5, "withheld", "否", None, f"{decisions} 第 5 行“依法不予公开（withheld）”{unused}"),
        ("withheld-basis", "u1/2025Q2/decisions.csv", 6, "withheld", None, None, f"{decisions} 第 6 行“依法不予公开（withheld）”{unused}"),
        ("withheld-basis", "u1/2025Q2/hearings.csv", 2, "withheld", "否", None, f"{hearings} 第 2 行“依法不予公开（withheld）”{unused}"),
        ("withheld-basis", "u1/2025Q2/hearings.csv", 3, "withheld_basis", None, None, f"{hearings} 第 3 行“不予公开依据（withheld_basis）”{missing}"),
    ]  # fmt: skip


def test_a_hearing_about_a_withheld_decision_is_withheld_too() -> None:
    tables = withheld_tables(
        [("d1", True, BASIS), ("d2", False, None)],
        [("d1", False, None), ("d1", True, BASIS), ("d2", False, None), ("d1", None, None)],
    )
    message = (
        "data/u1/2025Q2/hearings.csv 第 {} 行“关联决策事项（decision_id）”：关联的决策事项“d1”依法不予公开，"
        "本听证、论证或质询记录也应标为依法不予公开（“依法不予公开”填“是”并填写依据），否则其议题和结果会透露该事项的内容。"
    )
    assert brief(run(check_withheld, tables)) == [
        ("withheld-hearing", "u1/2025Q2/hearings.csv", 2, "decision_id", "d1", None, message.format(2)),
        ("withheld-hearing", "u1/2025Q2/hearings.csv", 5, "decision_id", "d1", None, message.format(5)),
    ]


def test_unusable_tables_are_not_judged() -> None:
    tables = withheld_tables([("d1", True, None)], [("d1", False, "x")], decisions_usable=False)
    assert [(f.file, f.row) for f in run(check_withheld, tables)] == [("u1/2025Q2/hearings.csv", 2)]
    tables = withheld_tables([("d1", True, BASIS)], [("d1", False, None)], hearings_usable=False)
    assert run(check_withheld, tables) == []
    tables = withheld_tables([("d1", False, None)], [("d1", False, None)])
    assert run(check_withheld, tables) == []


# -- dates inside the quarter ------------------------------------------------------------------------------


def dated(meeting_dates: list[Any], hearing_dates: list[Any], usable: bool = True) -> dict[str, Table]:
    return {
        "meetings": table(
            "meetings", list(range(2, 2 + len(meeting_dates))), usable=usable, date=meeting_dates
        ),
        "hearings": table("hearings", list(range(2, 2 + len(hearing_dates))), date=hearing_dates),
    }


@pytest.mark.parametrize(
    ("period", "first", "last"),
    [
        (Period(2025, 1), "2025-01-01", "2025-03-31"),
        (Period(2025, 2), "2025-04-01", "2025-06-30"),
        (Period(2025, 3), "2025-07-01", "2025-09-30"),
        (Period(2024, 4), "2024-10-01", "2024-12-31"),
    ],
)
def test_meetings_and_hearings_from_the_first_to_the_last_day_of_the_quarter(
    period: Period, first: str, last: str
) -> None:
    day = datetime.timedelta(days=1)
    start, end = datetime.date.fromisoformat(first), datetime.date.fromisoformat(last)
    found = run(
        check_dates, dated([start - day, start, end, end + day, None, "2099-01-01"], [end + day, end]), period
    )
    label = period.label
    where = "data/u1/2025Q2/{}.csv 第 {} 行“{}（date）”"
    assert brief(found) == [
        ("date-out-of-period", "u1/2025Q2/meetings.csv", 2, "date", (start - day).isoformat(), f"{first} 至 {last}",
         f"{where.format('meetings', 2, '会议日期')}：日期“{(start - day).isoformat()}”不在本数据包所属的{label}（{first} 至 {last}）内。"),
        ("date-out-of-period", "u1/2025Q2/meetings.csv", 5, "date", (end + day).isoformat(), f"{first} 至 {last}",
         f"{where.format('meetings', 5, '会议日期')}：日期“{(end + day).isoformat()}”不在本数据包所属的{label}（{first} 至 {last}）内。"),
        ("date-out-of-period", "u1/2025Q2/hearings.csv", 2, "date", (end + day).isoformat(), f"{first} 至 {last}",
         f"{where.format('hearings', 2, '日期')}：日期“{(end + day).isoformat()}”不在本数据包所属的{label}（{first} 至 {last}）内。"),
    ]  # fmt: skip


def test_dates_of_an_unusable_table_are_not_judged() -> None:
    found = run(check_dates, dated([datetime.date(2020, 1, 1)], [datetime.date(2020, 1, 1)], usable=False))
    assert [f.file for f in found] == ["u1/2025Q2/hearings.csv"]


# -- IDs across quarters --------------------------------------------------------------------------------------


def result(unit: str, period: str, **ids: list[tuple[str, int]]) -> PackageResult:
    return PackageResult(unit, period, ids=dict(ids))


def test_an_id_used_in_an_earlier_quarter_is_named_where_first_used() -> None:
    results = [
        result("u1", "2025Q3", decisions=[("jc-1", 2), ("jc-9", 3)]),
        result("u1", "2025Q1", decisions=[("jc-1", 4)], meetings=[("hy-1", 2)]),
        result("u1", "2025Q2", decisions=[("jc-1", 5), ("jc-1", 6)], meetings=[("hy-1", 7)]),
        result("u2", "2025Q1", decisions=[("jc-1", 2)], hearings=[("tz-1", 2)]),
        result("u2", "2025Q2", hearings=[("tz-1", 3)]),
    ]
    found = check_ids_across_quarters("data", results)
    first = "data/u1/2025Q1/decisions.csv"
    assert brief(found) == [
        ("id-reused", "u1/2025Q2/decisions.csv", 5, "decision_id", "jc-1", "本单位其他季度未使用过的编号",
         f"data/u1/2025Q2/decisions.csv 第 5 行“事项编号（decision_id）”：编号“jc-1”已在 {first} 第 4 行使用过；同一单位的事项编号在不同季度之间不能重复使用。"),
        ("id-reused", "u1/2025Q2/decisions.csv", 6, "decision_id", "jc-1", "本单位其他季度未使用过的编号",
         f"data/u1/2025Q2/decisions.csv 第 6 行“事项编号（decision_id）”：编号“jc-1”已在 {first} 第 4 行使用过；同一单位的事项编号在不同季度之间不能重复使用。"),
        ("id-reused", "u1/2025Q2/meetings.csv", 7, "meeting_id", "hy-1", "本单位其他季度未使用过的编号",
         "data/u1/2025Q2/meetings.csv 第 7 行“会议编号（meeting_id）”：编号“hy-1”已在 data/u1/2025Q1/meetings.csv 第 2 行使用过；同一单位的会议编号在不同季度之间不能重复使用。"),
        ("id-reused", "u1/2025Q3/decisions.csv", 2, "decision_id", "jc-1", "本单位其他季度未使用过的编号",
         f"data/u1/2025Q3/decisions.csv 第 2 行“事项编号（decision_id）”：编号“jc-1”已在 {first} 第 4 行使用过；同一单位的事项编号在不同季度之间不能重复使用。"),
        ("id-reused", "u2/2025Q2/hearings.csv", 3, "hearing_id", "tz-1", "本单位其他季度未使用过的编号",
         "data/u2/2025Q2/hearings.csv 第 3 行“听证/论证编号（hearing_id）”：编号“tz-1”已在 data/u2/2025Q1/hearings.csv 第 2 行使用过；同一单位的听证/论证编号在不同季度之间不能重复使用。"),
    ]  # fmt: skip


def test_the_same_id_twice_in_one_quarter_is_left_to_the_primary_key() -> None:
    assert (
        check_ids_across_quarters("data", [result("u1", "2025Q1", decisions=[("jc-1", 2), ("jc-1", 3)])])
        == []
    )
    assert check_ids_across_quarters("data", []) == []


def test_an_unusable_table_does_not_stop_the_checks_of_the_next() -> None:
    tables = {
        "meetings": meetings("x", usable=False),
        "members": members("m1"),
        "decisions": table(
            "decisions", [2], decision_id=["jc1"], meeting_id=["hy1"], power_item_id=["p1"],
            lead_member_id=["m9"], hearing_id=[None],
        ),
    }  # fmt: skip
    # meetings (unusable) and power_list and hearings (absent) are skipped; lead_member_id is still judged
    assert [(f.file, f.row, f.column, f.value) for f in run(check_foreign_keys, tables)] == [
        ("u1/2025Q2/decisions.csv", 2, "lead_member_id", "m9")
    ]


def test_exactly_two_principals() -> None:
    found = run(check_principal, principals(True, False, True))
    assert [(f.row, f.value) for f in found] == [(4, "是")]
    assert "共有 2 名主要负责人（第 2、4 行）" in found[0].message


def test_every_id_of_a_package_is_remembered() -> None:
    results = [
        result("u1", "2025Q1", decisions=[("a", 2), ("a", 3), ("b", 4), ("c", 5)]),
        result("u1", "2025Q2", decisions=[("c", 2), ("b", 3)]),
    ]
    found = check_ids_across_quarters("data", results)
    assert [(f.file, f.row, f.value) for f in found] == [
        ("u1/2025Q2/decisions.csv", 2, "c"),
        ("u1/2025Q2/decisions.csv", 3, "b"),
    ]
    assert "已在 data/u1/2025Q1/decisions.csv 第 5 行使用过" in found[0].message
