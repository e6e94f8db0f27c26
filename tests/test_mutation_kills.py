"""Tests written to kill mutants that survived ``make mutate`` (docs/mutation.md).

Each class holds the tests for one module; the mutation that a test kills is named next to it. The
tests check behaviour a user depends on (a personal number at the edge of a rule is found, a
harmless number is not), not the shape of the code.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from generator.messages import Place
from generator.opendata.verify import verify
from generator.privacy import (
    find_personal_numbers,
    id_check_digit,
    is_id_card,
    luhn_ok,
    mask,
    personal_info_findings,
)
from generator.schema import field_info, field_names
from generator.validate import validate_data

from .conftest import MINI_DATA, upgrade_package
from .test_history import FUNDS, NEW_TITLE, correction, delete_rows, withdraw_funds_decision, withdrawal
from .test_published_withheld import _mark_withheld
from .test_site import add_entries, rewrite_csv

MOBILE = "13812345678"


def id_number(first17: str) -> str:
    return first17 + id_check_digit(first17)


def luhn_number(prefix: str) -> str:
    return next(prefix + digit for digit in "0123456789" if luhn_ok(prefix + digit))


class TestPrivacy:
    def test_birth_years_1900_and_2100_are_the_edges_of_an_id_number(self) -> None:
        # _real_date: 1900 <= year <= 2100 (mutants 8–11 moved either end)
        assert is_id_card(id_number("32010219000101123"))
        assert is_id_card(id_number("32010221001231123"))
        assert not is_id_card(id_number("32010218991231123"))
        assert not is_id_card(id_number("32010221010101123"))

    def test_every_digit_of_the_birth_date_counts(self) -> None:
        # The day's tens digit of an 18-digit number; the old 15-digit form's year, month and day.
        assert is_id_card(id_number("32010219900430123"))  # 30 April (day[13:14] would be "0")
        assert is_id_card("320102961231123")  # 1996-12-31 (month[9:10] would be "2": 2-31)
        assert is_id_card("320102960430123")  # 1996-04-30 (day[11:12] would be "0")
        assert is_id_card("320102960229123")  # 29 Feb 1996, a leap year (year[7:8] would be 1906)
        assert not is_id_card("320102990229123")  # 29 Feb 1999 does not exist (1901+99 = 2000 would)

    def test_an_id_number_never_starts_with_0_or_9(self) -> None:
        for first in "09":
            assert not is_id_card(id_number(first + "3010219900307123"))
            assert not is_id_card(first + "30102900307123")

    def test_only_15_or_18_digits_make_an_id_number(self) -> None:
        assert not is_id_card("3201029003071234")  # 16 digits with a real 15-digit birth date inside
        assert not is_id_card("32010219900307123")  # 17
        assert not is_id_card("3201021990030712A3")  # 18 characters, a letter among the first 17

    def test_two_numbers_in_one_text_are_both_found_in_text_order(self) -> None:
        id18 = id_number("32010219900307123")
        text = f"手机{MOBILE}，身份证{id18}"
        found = find_personal_numbers(text)
        assert [m.kind for m in found] == ["mobile", "id-card"]
        assert [text[m.start : m.end] for m in found] == [MOBILE, id18]

    def test_bank_cards_have_13_to_19_digits(self) -> None:
        card13 = luhn_number("622202123456")
        assert [m.kind for m in find_personal_numbers(f"卡号{card13}")] == ["bank-card"]
        card19 = luhn_number("622202123456789012")
        assert [m.kind for m in find_personal_numbers(f"卡号{card19}")] == ["bank-card"]
        twenty = luhn_number("6222021234567890123")
        grouped = " ".join(twenty[i : i + 4] for i in range(0, 20, 4))
        assert find_personal_numbers(f"编号 {grouped}") == []

    def test_luhn_doubles_a_5_into_1(self) -> None:
        # A doubled 5 makes 10, counted as 1 (mutant: value > 10)
        assert luhn_ok("5555555555554444")
        assert not luhn_ok("5555555555554445")

    def test_a_mobile_written_with_86_is_masked_to_its_own_11_digits(self) -> None:
        assert mask("+86 138 1234 5678", "mobile") == "138****5678"
        [match] = find_personal_numbers("手机 +8613812345678")
        assert match.masked == "138****5678"

    def test_a_number_column_is_not_scanned(self, mini_data: Path) -> None:
        # An amount of 13 812 345 678 yuan is not a mobile number: only text fields are scanned.
        records = [field_names("decisions"), ["" for _ in field_names("decisions")]]
        records[1][records[0].index("amount_yuan")] = MOBILE
        records[1][records[0].index("summary")] = f"联系人手机{MOBILE}"
        place = Place("d.csv", "data/d.csv", "decisions")
        assert [f.column for f in personal_info_findings(records, place)] == ["summary"]

    def test_a_file_that_holds_no_table_has_no_findings(self) -> None:
        records = [["summary"], [f"手机{MOBILE}"]]
        assert personal_info_findings(records, Place("x.csv", "data/x.csv", None)) == []

    def test_a_number_after_a_clean_row_is_found(self) -> None:
        header = field_names("decisions")
        clean = ["" for _ in header]
        dirty = list(clean)
        dirty[header.index("summary")] = f"手机{MOBILE}"
        findings = personal_info_findings([header, clean, dirty], Place("d.csv", "data/d.csv", "decisions"))
        assert [(f.row, f.column) for f in findings] == [(3, "summary")]

    def test_a_short_row_is_read_as_far_as_it_goes(self) -> None:
        header = ["summary", "title"]
        findings = personal_info_findings(
            [header, [f"手机{MOBILE}"]], Place("d.csv", "data/d.csv", "decisions")
        )
        assert [(f.row, f.column) for f in findings] == [(2, "summary")]

    def test_a_finding_names_the_column_title_and_what_is_expected(self) -> None:
        header = field_names("decisions")
        row = ["" for _ in header]
        row[header.index("summary")] = f"手机{MOBILE}"
        [finding] = personal_info_findings([header, row], Place("d.csv", "data/d.csv", "decisions"))
        assert finding.column_title == field_info("decisions", "summary").title == "事项概要"
        assert finding.expected == "不含手机号码，或已打码"
        assert finding.value == "138****5678"

    def test_a_number_in_datapackage_json_is_named_by_its_key(self, mini_data: Path) -> None:
        path = mini_data / "datapackage.json"
        descriptor = json.loads(path.read_text(encoding="utf-8"))
        descriptor["description"] = f"咨询请联系{MOBILE}"
        path.write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
        report = validate_data(mini_data, jobs=1)
        [finding] = [f for f in report.errors if f.type == "personal-info"]
        assert finding.title == "含有个人信息"
        assert (finding.file, finding.column, finding.value) == (
            "datapackage.json",
            "description",
            "138****5678",
        )
        assert finding.expected == "不含手机号码，或已打码"
        assert "“description”中含有疑似手机号码“138****5678”" in finding.message
        assert "datapackage.json" in finding.message and "例如 138****5678" in finding.message
        assert MOBILE not in report.to_text()


def _rule_outcomes(data: Path, rule: str, record: str) -> list:
    from generator.load import load_portal
    from generator.rules import check_portal

    report = check_portal(load_portal(data))
    return [o for o in report.outcomes if o.rule == rule and o.record == record and o.unit_id == "fgw"]


def _meeting(data: Path, change: dict[str, str], row_index: int = 0) -> None:
    from .test_site import rewrite_csv

    rewrite_csv(data / "fgw" / "2025Q1" / "meetings.csv", change, row_index=row_index)


class TestQuorum:
    def test_exactly_half_present_is_not_a_quorum(self, mini_data: Path) -> None:
        # A general meeting needs more than half (mutant: share >= 1/2).
        _meeting(mini_data, {"members_total": "4", "members_present": "2"})
        [outcome] = _rule_outcomes(mini_data, "quorum", "meeting:hy2025-001")
        assert not outcome.passed
        assert outcome.message == "2025年第1次党组会议应到 4 人，实到 2 人，未达到半数以上（>1/2）。"
        assert (outcome.file, outcome.row, outcome.column) == (
            "fgw/2025Q1/meetings.csv",
            2,
            "members_present",
        )

    def test_three_of_five_is_enough_for_a_general_meeting(self, mini_data: Path) -> None:
        # More than half but less than two thirds: met, because no personnel item is decided.
        _meeting(mini_data, {"members_total": "5", "members_present": "3"})
        [outcome] = _rule_outcomes(mini_data, "quorum", "meeting:hy2025-001")
        assert outcome.passed
        assert outcome.message == "应到 5 人，实到 3 人，达到半数以上（>1/2）。"

    def test_a_personnel_meeting_short_of_two_thirds_says_so(self, mini_data: Path) -> None:
        _meeting(mini_data, {"members_present": "1"}, row_index=1)
        [outcome] = _rule_outcomes(mini_data, "quorum", "meeting:hy2025-002")
        assert outcome.message == (
            "2025年第2次党组会议审议干部任免事项，应到 3 人，实到 1 人，未达到三分之二以上（2/3）。"
        )


def _stances(data: Path, keep) -> None:  # type: ignore[no-untyped-def]
    path = data / "fgw" / "2025Q1" / "stances.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([lines[0], *keep(lines[1:])]) + "\n", encoding="utf-8")


class TestLastStance:
    def test_the_met_outcome_says_how_many_stated(self, mini_data: Path) -> None:
        [outcome] = _rule_outcomes(mini_data, "last_stance", "decision:jc2025-001")
        assert outcome.passed and outcome.message == "3 位参会成员逐一表态，主要负责人最后表态。"

    def test_a_member_stating_twice_is_named(self, mini_data: Path) -> None:
        _stances(mini_data, lambda rows: [*rows, "jc2025-001,4,fgw-m02,同意,"])
        [outcome] = _rule_outcomes(mini_data, "last_stance", "decision:jc2025-001")
        assert (
            outcome.message
            == "会议实到 3 人，但只有 4 人表态；有成员重复表态；主要负责人张某第 3 位表态，没有最后表态（共 4 人）。"
        )

    def test_a_principal_who_did_not_state_is_named(self, mini_data: Path) -> None:
        _stances(mini_data, lambda rows: [r for r in rows if not r.startswith("jc2025-001,3,")])
        [outcome] = _rule_outcomes(mini_data, "last_stance", "decision:jc2025-001")
        assert outcome.message == "会议实到 3 人，但只有 2 人表态；主要负责人张某未表态。"

    def test_no_stance_at_all_is_one_problem(self, mini_data: Path) -> None:
        _stances(mini_data, lambda rows: [r for r in rows if not r.startswith("jc2025-001,")])
        [outcome] = _rule_outcomes(mini_data, "last_stance", "decision:jc2025-001")
        assert outcome.message == "会议实到 3 人，但只有 0 人表态。"

    def test_without_a_principal_only_the_count_is_judged(self, mini_data: Path) -> None:
        from .test_site import rewrite_csv

        rewrite_csv(mini_data / "fgw" / "2025Q1" / "members.csv", {"is_principal": "否"})
        [outcome] = _rule_outcomes(mini_data, "last_stance", "decision:jc2025-001")
        assert outcome.passed

    def test_a_decision_without_its_meeting_does_not_stop_the_others(self, mini_data: Path) -> None:
        # Validation refuses an unknown meeting_id; the rule skips that decision, not the rest
        # (mutant: continue → break).
        from .test_site import rewrite_csv

        rewrite_csv(mini_data / "fgw" / "2025Q1" / "decisions.csv", {"meeting_id": "hy2099-999"})
        assert _rule_outcomes(mini_data, "last_stance", "decision:jc2025-001") == []
        assert _rule_outcomes(mini_data, "last_stance", "decision:jc2025-002")


class TestAdvanceNotice:
    def test_materials_on_the_day_are_named_so(self, mini_data: Path) -> None:
        _meeting(mini_data, {"notice_date": "2025-01-15"})
        [outcome] = _rule_outcomes(mini_data, "advance_notice", "meeting:hy2025-001")
        assert outcome.message == (
            "2025年第1次党组会议（2025-01-15）的议题材料会议当天（2025-01-15）才送达，应至少提前 1 天。"
        )

    def test_one_day_ahead_is_enough(self, mini_data: Path) -> None:
        _meeting(mini_data, {"notice_date": "2025-01-14"})
        [outcome] = _rule_outcomes(mini_data, "advance_notice", "meeting:hy2025-001")
        assert outcome.passed and outcome.message == "议题材料于会前 1 天送达。"

    def test_materials_after_the_meeting_are_named_so(self, mini_data: Path) -> None:
        _meeting(mini_data, {"notice_date": "2025-01-16"})
        [outcome] = _rule_outcomes(mini_data, "advance_notice", "meeting:hy2025-001")
        assert outcome.message == (
            "2025年第1次党组会议（2025-01-15）的议题材料会议之后（2025-01-16）才送达，应至少提前 1 天。"
        )

    def test_too_few_days_are_counted(self, mini_data: Path) -> None:
        config = mini_data / "portal.yml"
        config.write_text(
            config.read_text(encoding="utf-8") + "rules:\n  advance_notice:\n    min_days: 3\n",
            encoding="utf-8",
        )
        _meeting(mini_data, {"notice_date": "2025-01-14"})
        [outcome] = _rule_outcomes(mini_data, "advance_notice", "meeting:hy2025-001")
        assert outcome.message == (
            "2025年第1次党组会议（2025-01-15）的议题材料会前 1 天（2025-01-14）才送达，应至少提前 3 天。"
        )


def _csv_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


class TestRedact:
    """redact_data on a package with a withheld decision (its stances) and hearing, and corrections
    of withheld and published fields: every published file compared with what it must hold."""

    def _withheld_data(self, tmp_path: Path) -> Path:
        import shutil

        from .conftest import MINI_DATA
        from .test_site import add_entries
        from .test_withheld import PACKAGE, withhold

        data = tmp_path / "data"
        shutil.copytree(MINI_DATA, data)
        withhold(data)

        def entry(table: str, record: str, field: str) -> dict[str, str]:
            return {"table": table, "record_id": record, "field": field, "old_value": "旧值",
                    "new_value": "新值", "reason": "理由", "corrected_on": "2025-07-01"}  # fmt: skip

        add_entries(
            data / PACKAGE,
            "corrections",
            [
                entry("decisions", "jc2025-001", "summary"),  # withheld field: redacted
                entry("decisions", "jc2025-001", "execution_status"),  # kept field: published
                entry("stances", "jc2025-001/1", "remark"),  # the withheld decision's stance
                entry("stances", "jc2025-002/1", "remark"),  # another decision's stance
                entry("decisions", "jc2025-002", "summary"),  # a published decision
                entry("hearings", "tz2025-001", "outcome"),  # withheld hearing
                {**entry("meetings", "hy2025-001", "title"), "reason": "第一行\r\n第二行"},  # never withheld
            ],
        )
        # 撤回记录 comes after 更正记录: it is published as it is.
        withdrawal = {"table": "decisions", "record_id": "jc2025-002", "label": "撤回", "reason": "重复",
                      "withdrawn_on": "2025-07-02"}  # fmt: skip
        add_entries(data / PACKAGE, "withdrawals", [withdrawal])
        # A published decision's summary on two lines, as Excel on Windows writes them (CRLF in a cell).
        path = data / PACKAGE / "decisions.csv"
        header, *rows = _csv_rows(path)
        for row in rows:
            if row[0] == "jc2025-002":
                row[header.index("summary")] = "第一行\r\n第二行"
        with path.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle, lineterminator="\n").writerows([header, *rows])
        return data

    def test_every_published_file_holds_exactly_what_it_must(self, tmp_path: Path) -> None:
        from generator.redact import (
            DECISION_TITLE,
            HEARING_SUBJECT,
            KEPT,
            WITHHELD_TEXT,
            redact_data,
        )

        from .test_withheld import PACKAGE

        data = self._withheld_data(tmp_path)
        view = redact_data(data, tmp_path / "view")
        assert list(view.sources) == [PACKAGE] and view.withheld == 2
        published = view.sources[PACKAGE]
        assert published == tmp_path / "view" / PACKAGE
        original = data / PACKAGE
        assert sorted(p.name for p in published.iterdir()) == sorted(p.name for p in original.iterdir())
        placeholders = {
            "decisions": {"title": DECISION_TITLE, "summary": WITHHELD_TEXT},
            "stances": {},
            "hearings": {"subject": HEARING_SUBJECT, "participants": WITHHELD_TEXT, "outcome": WITHHELD_TEXT},
        }
        withheld = {"decisions": {"jc2025-001"}, "stances": {"jc2025-001"}, "hearings": {"tz2025-001"}}
        key = {"decisions": "decision_id", "stances": "decision_id", "hearings": "hearing_id"}
        for path in original.iterdir():
            table = path.stem
            if table in withheld:
                header, *rows = _csv_rows(path)
                expected = [header]
                for row in rows:
                    if row[header.index(key[table])] in withheld[table]:
                        row = [
                            value if name in KEPT[table] else placeholders[table].get(name, "")
                            for name, value in zip(header, row, strict=True)
                        ]
                    expected.append(row)
                assert _csv_rows(published / path.name) == expected, path.name
                assert expected != _csv_rows(path)
                # Rows not withheld are written back as they were, lines ending in \n.
                lines = (published / path.name).read_bytes().split(b"\n")
                kept = [line for line in path.read_bytes().split(b"\n") if b"jc2025-001" not in line]
                kept = [line for line in kept if b"tz2025-001" not in line]
                assert all(line in lines for line in kept), path.name
            elif table == "corrections":
                header, *rows = _csv_rows(published / path.name)
                values = [row[3:6] for row in rows]
                redacted = [WITHHELD_TEXT] * 3
                assert values == [redacted, ["旧值", "新值", "理由"], redacted, ["旧值", "新值", "理由"],
                                  ["旧值", "新值", "理由"], redacted, ["旧值", "新值", "第一行\r\n第二行"]]  # fmt: skip
                # Written in the original's dialect: the one CRLF is the one inside the cell.
                assert (published / path.name).read_bytes().count(b"\r\n") == 1
                assert [row[:3] + row[6:] for row in rows] == [
                    row[:3] + row[6:] for row in _csv_rows(path)[1:]
                ]
                assert header == _csv_rows(path)[0]
            else:
                assert (published / path.name).read_bytes() == path.read_bytes(), path.name

    @pytest.mark.parametrize("q2_says_yes", [True, False])
    def test_every_package_with_a_withheld_record_is_redacted(
        self, tmp_path: Path, q2_says_yes: bool
    ) -> None:
        """A decision withheld without its hearing (fgw 2025Q1), a package with nothing withheld
        (fgw 2025Q2: with 是 somewhere in its text, or without), and a withheld decision in the last
        package (rmyy)."""
        import shutil

        from generator.redact import WITHHELD_TEXT, redact_data

        from .conftest import MINI_DATA, upgrade_package
        from .test_withheld import BASIS, PACKAGE, _rows, _write, withhold

        data = tmp_path / "data"
        shutil.copytree(MINI_DATA, data)
        withhold(data, hearing=False)
        hearings = data / PACKAGE / "hearings.csv"  # nothing withheld in it: published byte for byte
        rows = _csv_rows(hearings)
        with hearings.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows(rows)
        q2 = data / "fgw" / "2025Q2" / "decisions.csv"
        q2_rows = _rows(q2)
        if q2_says_yes:
            q2_rows[0]["title"] += "（是）"
        _write(q2, "decisions", q2_rows)
        rmyy = data / "rmyy" / "2025Q1"
        upgrade_package(rmyy)
        decisions = _rows(rmyy / "decisions.csv")
        decisions[0].update(withheld="是", withheld_basis=BASIS)
        _write(rmyy / "decisions.csv", "decisions", decisions)

        view = redact_data(data, tmp_path / "view")
        assert sorted(view.sources) == [PACKAGE, "rmyy/2025Q1"] and view.withheld == 2
        assert (view.sources[PACKAGE] / "hearings.csv").read_bytes() == hearings.read_bytes()
        for package, decision in ((PACKAGE, "jc2025-001"), ("rmyy/2025Q1", decisions[0]["decision_id"])):
            published = _rows(view.sources[package] / "decisions.csv")
            assert next(r for r in published if r["decision_id"] == decision)["summary"] == WITHHELD_TEXT

    def test_a_package_whose_withheld_column_is_all_no_is_read_where_it_is(self, tmp_path: Path) -> None:
        import shutil

        from generator.redact import redact_data

        from .conftest import MINI_DATA, upgrade_package
        from .test_withheld import PACKAGE

        data = tmp_path / "data"
        shutil.copytree(MINI_DATA, data)
        upgrade_package(data / PACKAGE)
        # 是 appears in the text (the fast path reads on) but no record is withheld.
        path = data / PACKAGE / "decisions.csv"
        path.write_text(path.read_text(encoding="utf-8").replace("同意", "是"), encoding="utf-8")
        view = redact_data(data, tmp_path / "view")
        assert view.sources == {} and view.withheld == 0
        assert not (tmp_path / "view").exists()

    def test_which_records_and_fields_are_withheld(self) -> None:
        from generator.redact import PublishedView, withheld_field, withheld_record

        decisions, hearings = {"jc1"}, {"tz1"}
        assert withheld_record("decisions", "jc1", decisions, hearings)
        assert not withheld_record("decisions", "tz1", decisions, hearings)
        assert withheld_record("hearings", "tz1", decisions, hearings)
        assert not withheld_record("hearings", "jc1", decisions, hearings)
        assert withheld_record("stances", "jc1/2", decisions, hearings)
        assert not withheld_record("stances", "jc2/1", decisions, hearings)
        assert not withheld_record("meetings", "jc1", decisions, hearings)
        assert withheld_field("decisions", "jc1", "summary", decisions, hearings)
        assert not withheld_field("decisions", "jc1", "execution_status", decisions, hearings)
        assert not withheld_field("decisions", "jc2", "summary", decisions, hearings)
        assert withheld_field("stances", "jc1/1", "remark", decisions, hearings)
        assert not withheld_field("stances", "jc1/1", "stance", decisions, hearings)
        view = PublishedView({"fgw/2025Q1": Path("/view/fgw/2025Q1")})
        assert view.path("fgw/2025Q1", Path("/data/fgw/2025Q1")) == Path("/view/fgw/2025Q1")
        assert view.path("fgw/2025Q2", Path("/data/fgw/2025Q2")) == Path("/data/fgw/2025Q2")

    def test_the_withheld_records_of_each_package_as_loaded(self, tmp_path: Path) -> None:
        import shutil

        from generator.load import load_portal
        from generator.redact import withheld_by_package

        from .conftest import MINI_DATA
        from .test_withheld import withhold

        data = tmp_path / "data"
        shutil.copytree(MINI_DATA, data)
        withhold(data)
        assert withheld_by_package(load_portal(data)) == {
            ("fgw", "2025Q1"): ({"jc2025-001"}, {"tz2025-001"}),
            ("fgw", "2025Q2"): (set(), set()),
            ("rmyy", "2025Q1"): (set(), set()),
        }


#: Rule → the changes to fgw 2025Q1 (table, change, row index; "copy" adds a later quarter).
#: A name after ":" is a second scenario of the same rule.
RULE_SCENARIOS: dict[str, list[tuple[str, dict[str, str], int]]] = {
    "recorded": [("meetings", {"recorded": "否"}, 0)],
    "five_preconditions": [
        ("decisions", {"pre_risk_assessment": "未完成"}, 0),
        ("decisions", {"exemption_reason": ""}, 1),
    ],
    "five_preconditions:skip": [
        ("decisions", {"category": "重要干部任免"}, 0),
        ("decisions", {"pre_research": "未完成"}, 1),
    ],
    "ballot": [("decisions", {"vote_method": "举手表决"}, 2)],
    "principal_portfolio": [("members", {"portfolio": "主持全面工作，分管财务和工程项目"}, 0)],
    "principal_portfolio:met": [],
    "dissent_recorded": [
        ("stances", {"stance": "不同意", "remark": ""}, 0),
        ("stances", {"stance": "不同意", "remark": "", "member_id": "fgw-m99"}, 1),
    ],
    "dissent_recorded:skip": [("stances", {"stance": "不同意", "remark": ""}, 3)],
    "dissent_recorded:met": [("stances", {"stance": "不同意", "remark": "测算依据不足"}, 0)],
    "power_basis": [],
    "negative_list": [("decisions", {"lead_member_id": "fgw-m01"}, 1)],
    "negative_list:skip": [
        ("decisions", {"category": "重要干部任免"}, 0),
        ("decisions", {"lead_member_id": "fgw-m01"}, 1),
    ],
    "negative_list:noitem": [
        ("negative_list", {"content": "不得以个人意见代替集体决策"}, 0),
        ("decisions", {"lead_member_id": "fgw-m01"}, 1),
    ],
    "execution_followup": [("decisions", {"execution_status": "未启动"}, 0), ("copy", {}, 0)],
    "ballot:met": [],
    "five_preconditions:two": [
        ("decisions", {"pre_risk_assessment": "未完成", "pre_research": "未完成"}, 0),
        ("decisions", {"pre_contingency_plan": "不适用", "exemption_reason": ""}, 1),
    ],
}

#: Every outcome of the rule for unit fgw: (period, record, passed, message, file, row, column).
#: Messages, files, rows and columns are what a clerk reads and follows to the cell.
PINNED: dict[str, list[tuple[object, ...]]] = {
    "recorded": [
        (
            "2025Q1",
            "meeting:hy2025-001",
            False,
            "2025年第1次党组会议（2025-01-15）未全程纪实。",
            "fgw/2025Q1/meetings.csv",
            2,
            "recorded",
        ),
        ("2025Q1", "meeting:hy2025-002", True, "会议全程纪实并归档。", "fgw/2025Q1/meetings.csv", 3, None),
        ("2025Q2", "meeting:hy2025-003", True, "会议全程纪实并归档。", "fgw/2025Q2/meetings.csv", 2, None),
    ],
    "five_preconditions": [
        (
            "2025Q1",
            "decision:jc2025-001",
            False,
            "未经风险评估即上会决策。",
            "fgw/2025Q1/decisions.csv",
            2,
            "pre_*",
        ),
        (
            "2025Q1",
            "decision:jc2025-002",
            False,
            "专家论证标为“不适用”，但没有说明理由。",
            "fgw/2025Q1/decisions.csv",
            3,
            "exemption_reason",
        ),
        (
            "2025Q2",
            "decision:jc2025-004",
            True,
            "五项前置程序均已完成或已说明不适用的理由。",
            "fgw/2025Q2/decisions.csv",
            2,
            None,
        ),
    ],
    "five_preconditions:skip": [
        (
            "2025Q1",
            "decision:jc2025-002",
            False,
            "未经调查研究即上会决策。",
            "fgw/2025Q1/decisions.csv",
            3,
            "pre_*",
        ),
        (
            "2025Q2",
            "decision:jc2025-004",
            True,
            "五项前置程序均已完成或已说明不适用的理由。",
            "fgw/2025Q2/decisions.csv",
            2,
            None,
        ),
    ],
    "ballot": [
        (
            "2025Q1",
            "decision:jc2025-003",
            False,
            "干部任免事项采用“举手表决”，应实行无记名票决。",
            "fgw/2025Q1/decisions.csv",
            4,
            "vote_method",
        ),
    ],
    "principal_portfolio": [
        (
            "2025Q1",
            "member:fgw-m01",
            False,
            "主要负责人张某的分工“主持全面工作，分管财务和工程项目”含财务、工程，属于不得直接分管的领域。",
            "fgw/2025Q1/members.csv",
            2,
            "portfolio",
        ),
        (
            "2025Q2",
            "member:fgw-m01",
            True,
            "主要负责人张某不直接分管财务、人事、物资采购和工程项目。",
            "fgw/2025Q2/members.csv",
            2,
            None,
        ),
    ],
    "principal_portfolio:met": [
        (
            "2025Q1",
            "member:fgw-m01",
            True,
            "主要负责人张某不直接分管财务、人事、物资采购和工程项目。",
            "fgw/2025Q1/members.csv",
            2,
            None,
        ),
        (
            "2025Q2",
            "member:fgw-m01",
            True,
            "主要负责人张某不直接分管财务、人事、物资采购和工程项目。",
            "fgw/2025Q2/members.csv",
            2,
            None,
        ),
    ],
    "dissent_recorded": [
        (
            "2025Q1",
            "decision:jc2025-001",
            False,
            "王某（不同意）、fgw-m99（不同意）未记录理由。",
            "fgw/2025Q1/decisions.csv",
            2,
            "remark",
        ),
        (
            "2025Q1",
            "decision:jc2025-002",
            True,
            "1 条不同意或保留意见均记录了理由。",
            "fgw/2025Q1/decisions.csv",
            3,
            None,
        ),
    ],
    "dissent_recorded:skip": [
        (
            "2025Q1",
            "decision:jc2025-002",
            False,
            "王某（不同意）未记录理由。",
            "fgw/2025Q1/decisions.csv",
            3,
            "remark",
        ),
    ],
    "dissent_recorded:met": [
        (
            "2025Q1",
            "decision:jc2025-001",
            True,
            "1 条不同意或保留意见均记录了理由。",
            "fgw/2025Q1/decisions.csv",
            2,
            None,
        ),
        (
            "2025Q1",
            "decision:jc2025-002",
            True,
            "1 条不同意或保留意见均记录了理由。",
            "fgw/2025Q1/decisions.csv",
            3,
            None,
        ),
    ],
    "power_basis": [
        (
            "2025Q1",
            "decision:jc2025-001",
            True,
            "依据权力清单事项“政府投资项目审批”作出。",
            "fgw/2025Q1/decisions.csv",
            2,
            None,
        ),
        (
            "2025Q1",
            "decision:jc2025-002",
            True,
            "依据权力清单事项“专项资金分配”作出。",
            "fgw/2025Q1/decisions.csv",
            3,
            None,
        ),
        (
            "2025Q1",
            "decision:jc2025-003",
            False,
            "未注明依据的权力清单事项。",
            "fgw/2025Q1/decisions.csv",
            4,
            "power_item_id",
        ),
        (
            "2025Q2",
            "decision:jc2025-004",
            False,
            "未注明依据的权力清单事项。",
            "fgw/2025Q2/decisions.csv",
            2,
            "power_item_id",
        ),
    ],
    "negative_list": [
        (
            "2025Q1",
            "decision:jc2025-001",
            True,
            "不由主要负责人直接牵头，未触及负面清单。",
            "fgw/2025Q1/decisions.csv",
            2,
            None,
        ),
        (
            "2025Q1",
            "decision:jc2025-002",
            False,
            "由主要负责人张某直接牵头大额度资金运作事项，触及负面清单第 fm-001 条“不得直接分管财务、人事、工程项目和物资采购”。",
            "fgw/2025Q1/decisions.csv",
            3,
            "lead_member_id",
        ),
    ],
    "negative_list:skip": [
        (
            "2025Q1",
            "decision:jc2025-002",
            False,
            "由主要负责人张某直接牵头大额度资金运作事项，触及负面清单第 fm-001 条“不得直接分管财务、人事、工程项目和物资采购”。",
            "fgw/2025Q1/decisions.csv",
            3,
            "lead_member_id",
        ),
    ],
    "negative_list:noitem": [
        (
            "2025Q1",
            "decision:jc2025-001",
            True,
            "不由主要负责人直接牵头，未触及负面清单。",
            "fgw/2025Q1/decisions.csv",
            2,
            None,
        ),
        (
            "2025Q1",
            "decision:jc2025-002",
            False,
            "由主要负责人张某直接牵头大额度资金运作事项，触及“主要负责人不直接分管”的要求。",
            "fgw/2025Q1/decisions.csv",
            3,
            "lead_member_id",
        ),
    ],
    "execution_followup": [
        (
            "2025Q1",
            "decision:jc2025-001",
            False,
            "决策作出已 2 个季度（截至2025年第三季度），仍未启动执行。",
            "fgw/2025Q1/decisions.csv",
            2,
            "execution_status",
        ),
        ("2025Q1", "decision:jc2025-002", True, "执行状态：已完成。", "fgw/2025Q1/decisions.csv", 3, None),
        ("2025Q1", "decision:jc2025-003", True, "执行状态：已完成。", "fgw/2025Q1/decisions.csv", 4, None),
    ],
    "ballot:met": [
        (
            "2025Q1",
            "decision:jc2025-003",
            True,
            "干部任免事项实行无记名票决。",
            "fgw/2025Q1/decisions.csv",
            4,
            None,
        ),
    ],
    "five_preconditions:two": [
        (
            "2025Q1",
            "decision:jc2025-001",
            False,
            "未经调查研究、风险评估即上会决策。",
            "fgw/2025Q1/decisions.csv",
            2,
            "pre_*",
        ),
        (
            "2025Q1",
            "decision:jc2025-002",
            False,
            "专家论证、预案标为“不适用”，但没有说明理由。",
            "fgw/2025Q1/decisions.csv",
            3,
            "exemption_reason",
        ),
        (
            "2025Q2",
            "decision:jc2025-004",
            True,
            "五项前置程序均已完成或已说明不适用的理由。",
            "fgw/2025Q2/decisions.csv",
            2,
            None,
        ),
    ],
}


class TestRules:
    """Every outcome of the other rules, pinned whole, in the scenarios of tests/test_rules.py and in
    one where a skipped decision comes first (a loop's continue must not become break)."""

    @pytest.mark.parametrize("scenario", list(RULE_SCENARIOS))
    def test_every_outcome_of_the_rule(self, mini_data: Path, scenario: str) -> None:
        import shutil

        from .test_site import rewrite_csv

        rule = scenario.partition(":")[0]
        for table, change, row in RULE_SCENARIOS[scenario]:
            if table == "copy":
                shutil.copytree(mini_data / "fgw" / "2025Q2", mini_data / "fgw" / "2025Q3")
            else:
                rewrite_csv(mini_data / "fgw" / "2025Q1" / f"{table}.csv", change, row_index=row)
        from generator.load import load_portal
        from generator.rules import check_portal

        got = [
            (o.period, o.record, o.passed, o.message, o.file, o.row, o.column)
            for o in check_portal(load_portal(mini_data)).outcomes
            if o.rule == rule and o.unit_id == "fgw"
        ]
        expected = PINNED[scenario]
        if rule == "dissent_recorded":  # its file and row are those of the decision: not pinned
            got = [(*g[:4], g[6]) for g in got]
            expected = [(*e[:4], e[6]) for e in expected]
        assert got == expected

    def test_a_package_committed_on_the_deadline_day_is_on_time(self, mini_data: Path) -> None:
        from generator.load import load_portal
        from generator.rules import check_portal

        from .test_rules import git

        git(mini_data, "init", "-q")
        git(mini_data, "add", ".")
        git(mini_data, "commit", "-q", "-m", "公开", date="2025-04-15")  # Q1 ends 03-31; 15 days
        got = [
            (o.period, o.passed, o.message)
            for o in check_portal(load_portal(mini_data)).outcomes
            if o.rule == "timely_disclosure" and o.unit_id == "fgw"
        ]
        assert got[0] == ("2025Q1", True, "季度结束后 15 天内（2025-04-15）公开。")


def _with_rules(data: Path, yaml: str) -> None:
    config = data / "portal.yml"
    config.write_text(config.read_text(encoding="utf-8") + yaml, encoding="utf-8")


class TestRuleSettings:
    """rules: in portal.yml read in the process (tests/test_rules.py tries them through the command,
    which a mutant of the package never reaches), and the rule report as the clerk reads it."""

    @pytest.mark.parametrize(
        ("yaml", "message"),
        [
            (
                "rules:\n  no_such_rule: {}\n  other_rule: {}\n",
                "portal.yml：未知的规则“no_such_rule、other_rule”。可用的规则：advance_notice、ballot、"
                "dissent_recorded、execution_followup、five_preconditions、last_stance、negative_list、"
                "power_basis、principal_portfolio、quorum、recorded、timely_disclosure。",
            ),
            ("rules: [quorum]\n", "portal.yml：设置项“rules”应为“规则编号: 设置”的形式。"),
            ("rules:\n  quorum: 3\n", "portal.yml：规则“quorum”的设置应为“键: 值”的形式。"),
            (
                "rules:\n  quorum:\n    severity: fatal\n",
                "portal.yml：规则“quorum”的 severity 应为 error 或 warning，实为“fatal”。",
            ),
            (
                "rules:\n  quorum:\n    enabled: 1\n",
                "portal.yml：规则“quorum”的 enabled 应为 true 或 false，实为“1”。",
            ),
            (
                "rules:\n  advance_notice:\n    min_hours: 24\n",
                "portal.yml：规则“advance_notice”没有设置项“min_hours”，可用：enabled、severity、min_days。",
            ),
            (
                "rules:\n  recorded:\n    foo: 1\n",
                "portal.yml：规则“recorded”没有设置项“foo”，可用：enabled、severity。",
            ),
            (
                "rules:\n  quorum:\n    general: 2\n",
                "portal.yml：规则“quorum”的“general”取值“2”类型不对，应与默认值 '1/2' 相同。",
            ),
            (
                "rules:\n  advance_notice:\n    min_days: 一天\n",
                "portal.yml：规则“advance_notice”的“min_days”取值“一天”类型不对，应与默认值 1 相同。",
            ),
        ],
    )
    def test_bad_settings_are_refused_in_chinese(self, mini_data: Path, yaml: str, message: str) -> None:
        from generator.config import ConfigError, load_config
        from generator.rules.base import rule_settings

        _with_rules(mini_data, yaml)
        with pytest.raises(ConfigError) as refused:
            rule_settings(load_config(mini_data))
        assert str(refused.value) == message

    def test_good_settings_override_the_defaults(self, mini_data: Path) -> None:
        from generator.config import load_config
        from generator.rules.base import RuleSettings, rule_settings

        _with_rules(
            mini_data, 'rules:\n  quorum:\n    enabled: false\n    severity: error\n    general: "2/3"\n'
        )
        settings = rule_settings(load_config(mini_data))
        assert settings["quorum"] == RuleSettings(False, "error", {"general": "2/3", "appointments": "2/3"})
        assert settings["advance_notice"] == RuleSettings(True, "warning", {"min_days": 1})
        assert len(settings) == 12

    def test_the_report_names_errors_and_warnings_and_counts_them(self, mini_data: Path) -> None:
        from generator.load import load_portal
        from generator.rules import check_portal

        _with_rules(mini_data, "rules:\n  power_basis:\n    severity: error\n")
        report = check_portal(load_portal(mini_data))
        assert report.to_text().replace(str(mini_data), "data") == (
            "[警示] data/fgw/2025Q1/decisions.csv 第 4 行：【逐位表态、一把手末位表态】会议实到 2 人，但只有 0 人表态。\n"
            "[警示] data/rmyy/2025Q1/decisions.csv 第 2 行：【逐位表态、一把手末位表态】会议实到 2 人，但只有 0 人表态。\n"
            "[错误] data/fgw/2025Q1/decisions.csv 第 4 行：【权力清单依据】未注明依据的权力清单事项。\n"
            "[错误] data/fgw/2025Q2/decisions.csv 第 2 行：【权力清单依据】未注明依据的权力清单事项。\n"
            "规则检查未通过：2 项错误阻止发布，另有 2 项警示。"
        )
        assert (len(report.outcomes), len(report.findings), len(report.errors)) == (34, 4, 2)
        assert report.rates("fgw", "2025Q1") == {
            "advance_notice": (2, 2), "ballot": (1, 1), "dissent_recorded": (1, 1), "five_preconditions": (2, 2),
            "last_stance": (2, 3), "negative_list": (2, 2), "power_basis": (2, 3), "principal_portfolio": (1, 1),
            "quorum": (2, 2), "recorded": (2, 2),
        }  # fmt: skip
        assert report.rates(None, "2025Q1")["last_stance"] == (2, 4)
        assert report.rates("fgw", None)["quorum"] == (3, 3)
        as_dict = report.to_dict()
        assert as_dict["valid"] is False
        assert {k: v for k, v in as_dict["rules"]["power_basis"].items() if k != "basis"} == {
            "title": "权力清单依据", "enabled": True, "severity": "error", "params": {}, "met": 3, "checked": 5,
        }  # fmt: skip
        assert as_dict["findings"][0] == {
            "rule": "last_stance", "unit_id": "fgw", "period": "2025Q1", "record": "decision:jc2025-003",
            "passed": False, "message": "会议实到 2 人，但只有 0 人表态。", "file": "fgw/2025Q1/decisions.csv",
            "row": 4, "column": None, "severity": "warning",
        }  # fmt: skip
        assert [o.rule for o in report.for_record("fgw", "decision:jc2025-003")] == [
            "ballot",
            "last_stance",
            "power_basis",
        ]
        assert len(report.for_package("fgw", "2025Q2")) == 7
        assert [r.info.slug for r in report.enabled_rules][:3] == [
            "advance_notice",
            "ballot",
            "dissent_recorded",
        ]

    def test_a_report_with_only_warnings_or_nothing_says_so(self, mini_data: Path) -> None:
        from generator.load import load_portal
        from generator.rules import check_portal

        warned = check_portal(load_portal(mini_data))
        assert warned.to_text().endswith("规则检查完成：共检查 34 项，4 项警示将在网站上公开显示。")
        assert warned.to_dict()["valid"] is True
        _with_rules(
            mini_data,
            "".join(
                ["rules:\n"] + [f"  {slug}:\n    enabled: false\n" for slug in ("last_stance", "power_basis")]
            ),
        )
        clean = check_portal(load_portal(mini_data))
        assert clean.to_text() == f"规则检查完成：共检查 {len(clean.outcomes)} 项，全部符合。"

    def test_the_report_answers_for_any_record_package_and_rule(self, mini_data: Path) -> None:
        from generator.load import load_portal
        from generator.rules import REGISTRY, check_portal

        report = check_portal(load_portal(mini_data))
        assert report.for_record("fgw", "decision:no-such") == []
        assert report.for_package("fgw", "2099Q1") == []
        assert {o.rule for o in report.for_package("fgw", "2025Q2")} >= {"power_basis", "quorum"}
        rules = report.to_dict()["rules"]
        # A rule with nothing to judge (no git history, no later quarter) met 0 of 0.
        assert (rules["timely_disclosure"]["met"], rules["timely_disclosure"]["checked"]) == (0, 0)
        assert (rules["execution_followup"]["met"], rules["execution_followup"]["checked"]) == (0, 0)
        assert json.loads(report.to_json()) == json.loads(json.dumps(report.to_dict()))
        assert "\n  " in report.to_json() and "逐位表态" in report.to_json()  # indented, not escaped
        info = REGISTRY["advance_notice"].info
        assert info.describe(info.params) == "议题材料至少提前 1 天送达"
        info = REGISTRY["five_preconditions"].info
        assert info.describe(info.params) == "适用于重大事项决策、重大项目安排、大额度资金运作事项"

    def test_a_finding_about_a_whole_package_names_no_row(self, mini_data: Path) -> None:
        from generator.load import load_portal
        from generator.rules import check_portal

        from .test_rules import git

        git(mini_data, "init", "-q")
        git(mini_data, "add", ".")
        git(mini_data, "commit", "-q", "-m", "公开", date="2025-08-01")
        report = check_portal(load_portal(mini_data))
        assert report.to_json().startswith('{\n  "valid"')
        late = [
            line for line in report.to_text().splitlines() if "【按时公开】" in line or "才提交公开" in line
        ]
        assert late[0].replace(str(mini_data), "data") == (
            "[警示] data/fgw/2025Q1/datapackage.json：【"
            + late[0].split("【")[1].split("】")[0]
            + "】2025年第一季度数据于 2025-08-01 才提交公开，晚于期限 2025-04-15（季度结束后 15 天）。"
        )


# --- generator/published.py ---------------------------------------------------------------------------

_PUBLISHED_PACKAGES = ("fgw/2025Q1", "fgw/2025Q2", "rmyy/2025Q1")


def _published_release(tmp_path: Path) -> tuple[Path, Path]:
    """The mini data and a previous release of it: its packages copied to ``site/downloads`` as a
    build publishes them (the mini data withholds nothing, so the published view is the data)."""
    data, site = tmp_path / "data", tmp_path / "site"
    shutil.copytree(MINI_DATA, data)
    for key in _PUBLISHED_PACKAGES:
        shutil.copytree(MINI_DATA / key, site / "downloads" / key)
    return data, site


def _published_findings(data: Path, site: Path | None, packages: int = 3) -> list[tuple[object, ...]]:
    from generator.published import check_published

    report = check_published(data, site)
    assert report.packages_checked == packages
    assert report.valid == (not report.errors) and report.root == data.as_posix()
    root = str(data)
    return [
        (f.type, f.file, f.row, f.column, f.value, f.expected, f.message.replace(root, "data"))
        for f in report.errors
    ]


class TestPublished:
    """The published-records check, called in-process on a release made by copying packages (no
    build): every finding pinned whole — kind, file, row, column, value and the clerk's sentence."""

    def test_edits(self, tmp_path: Path) -> None:
        """A same-length edit of a stance and a hearing removed, neither entered: both refused."""
        data, site = _published_release(tmp_path)
        q1 = data / "fgw/2025Q1"
        rewrite_csv(q1 / "stances.csv", {"stance": "弃权"}, 1)
        delete_rows(q1 / "hearings.csv", "tz2025-001")
        assert _published_findings(data, site, 3) == (
            [
                (
                    "published-edit",
                    "fgw/2025Q1/stances.csv",
                    3,
                    "stance",
                    "弃权",
                    "同意",
                    "data/fgw/2025Q1/stances.csv 第 3 "
                    "行“表态（stance）”：已公开的逐位表态“jc2025-001/2”（jc2025-001/2）被修改：上次发布为“同意”，现为“弃权”。已公开的记录不能直接修改。如确需更正，请在 "
                    "data/fgw/2025Q1/corrections.csv（该文件还没有：新建时表头为 "
                    "table,record_id,field,old_value,new_value,reason,corrected_on，并在 datapackage.json 的 resources "
                    "中加入资源“corrections”，gongkai validate 会提示缺少的内容） 中添加一行更正记录：table 填 stances，record_id 填 "
                    "jc2025-001/2，field 填 stance，old_value 填“同意”，new_value "
                    "填“弃权”，并写明更正理由（reason）和更正日期（corrected_on）；否则请恢复原值。",
                ),
                (
                    "published-removal",
                    "fgw/2025Q1/hearings.csv",
                    None,
                    None,
                    "tz2025-001",
                    None,
                    "data/fgw/2025Q1/hearings.csv：已公开的听证、论证和质询结果“tz2025-001”（城东综合交通枢纽项目社会稳定风险听证）在本次数据中不存在。已公开的记录不能直接删除。如确需撤回，请在 "
                    "data/fgw/2025Q1/withdrawals.csv（该文件还没有：新建时表头为 table,record_id,label,reason,withdrawn_on，并在 "
                    "datapackage.json 的 resources 中加入资源“withdrawals”，gongkai validate 会提示缺少的内容） 中添加一行撤回记录：table 填 "
                    "hearings，record_id 填 tz2025-001，label "
                    "填“城东综合交通枢纽项目社会稳定风险听证”，并写明撤回理由（reason）和撤回日期（withdrawn_on）；否则请恢复这一行。",
                ),
            ]
        )

    def test_entries(self, tmp_path: Path) -> None:
        """Every kind of wrong correction and withdrawal, each pinned to its row and column."""
        data, site = _published_release(tmp_path)
        q1 = data / "fgw/2025Q1"
        add_entries(
            q1,
            "corrections",
            [
                correction(field="nope"),
                correction(field="decision_id"),
                correction(record_id="jc2025-999"),
                correction(old_value="X"),
            ],
        )
        add_entries(q1, "withdrawals", [withdrawal(), withdrawal(record_id="jc2025-777")])
        assert _published_findings(data, site, 3) == (
            [
                (
                    "correction-target",
                    "fgw/2025Q1/corrections.csv",
                    2,
                    "field",
                    "nope",
                    None,
                    "data/fgw/2025Q1/corrections.csv 第 2 "
                    "行“更正字段（field）”：“nope”不是决策事项（decisions）的字段，应为以下之一：decision_id、meeting_id、agenda_no、category、title、summary、power_item_id、amount_yuan、vote_method、result、pre_research、pre_expert_review、pre_risk_assessment、pre_legality_review、pre_contingency_plan、exemption_reason、lead_member_id、hearing_id、execution_status、execution_note、withheld、withheld_basis。",
                ),
                (
                    "correction-target",
                    "fgw/2025Q1/corrections.csv",
                    3,
                    "field",
                    "decision_id",
                    None,
                    "data/fgw/2025Q1/corrections.csv 第 3 "
                    "行“更正字段（field）”：“decision_id”是决策事项的编号字段，编号不能更正；请撤回原记录，再以新编号公开。",
                ),
                (
                    "correction-target",
                    "fgw/2025Q1/corrections.csv",
                    4,
                    "record_id",
                    "jc2025-999",
                    None,
                    "data/fgw/2025Q1/corrections.csv 第 4 行“记录编号（record_id）”：data/fgw/2025Q1/decisions.csv "
                    "中没有编号为“jc2025-999”的记录。请核对所在表（table）和记录编号（record_id）；已撤回的记录不能再更正。",
                ),
                (
                    "correction-mismatch",
                    "fgw/2025Q1/corrections.csv",
                    5,
                    "old_value",
                    "X",
                    "关于城东综合交通枢纽项目立项的决定",
                    "data/fgw/2025Q1/corrections.csv 第 5 "
                    "行“原值（old_value）”：更正记录写明决策事项“jc2025-001”的“事项名称（title）”原值为“X”，但上次发布的值为“关于城东综合交通枢纽项目立项的决定”。原值（old_value）应填已公开的值。",
                ),
                (
                    "correction-mismatch",
                    "fgw/2025Q1/corrections.csv",
                    5,
                    "new_value",
                    "关于城东综合交通枢纽项目（一期）立项的决定",
                    "关于城东综合交通枢纽项目立项的决定",
                    "data/fgw/2025Q1/corrections.csv 第 5 "
                    "行“新值（new_value）”：更正记录写明决策事项“jc2025-001”的“事项名称（title）”新值为“关于城东综合交通枢纽项目（一期）立项的决定”，但 "
                    "data/fgw/2025Q1/decisions.csv 中的值为“关于城东综合交通枢纽项目立项的决定”。新值（new_value）应与本次数据一致。",
                ),
                (
                    "withdrawal-target",
                    "fgw/2025Q1/withdrawals.csv",
                    2,
                    "record_id",
                    "jc2025-002",
                    None,
                    "data/fgw/2025Q1/withdrawals.csv 第 2 行“记录编号（record_id）”：data/fgw/2025Q1/decisions.csv 第 3 "
                    "行仍是编号为“jc2025-002”的记录。撤回的记录要从数据中删除。",
                ),
                (
                    "withdrawal-target",
                    "fgw/2025Q1/withdrawals.csv",
                    3,
                    "record_id",
                    "jc2025-777",
                    None,
                    "data/fgw/2025Q1/withdrawals.csv 第 3 "
                    "行“记录编号（record_id）”：上次发布的决策事项中没有编号为“jc2025-777”的记录，不需要撤回记录；请删除这一行。",
                ),
            ]
        )

    def test_fixed(self, tmp_path: Path) -> None:
        """An edit with its correction and a removal with its withdrawal (stances go with their decision): valid."""
        data, site = _published_release(tmp_path)
        q1 = data / "fgw/2025Q1"
        rewrite_csv(q1 / "decisions.csv", {"title": NEW_TITLE}, 0)
        withdraw_funds_decision(data)
        add_entries(q1, "corrections", [correction()])
        add_entries(q1, "withdrawals", [withdrawal()])
        assert _published_findings(data, site, 3) == ([])

    def test_removed(self, tmp_path: Path) -> None:
        """A published package gone, a published correction gone: both refused."""
        data, site = _published_release(tmp_path)
        shutil.rmtree(data / "fgw/2025Q2")
        (site / "downloads/fgw/2025Q1/corrections.csv").write_text(
            "table,record_id,field,old_value,new_value,reason,corrected_on\ndecisions,jc2025-001,title,a,b,c,2025-04-01\n",
            encoding="utf-8",
        )
        assert _published_findings(data, site, 2) == (
            [
                (
                    "published-entry-removed",
                    "fgw/2025Q1/corrections.csv",
                    None,
                    None,
                    "decisions jc2025-001 title",
                    None,
                    "data/fgw/2025Q1/corrections.csv：上次发布的更正记录中的“decisions jc2025-001 "
                    "title”在本次数据中不存在或被修改。更正记录和撤回记录一经公开，只能增加，不能修改或删除；请恢复这一行。",
                ),
                (
                    "published-package-removed",
                    "fgw/2025Q2",
                    None,
                    None,
                    None,
                    None,
                    "data/fgw/2025Q2：2025年第二季度的数据包已经公开，但数据目录中已没有这个目录。已公开的数据包不能删除；请恢复该目录。如需撤回其中的记录，删除要撤回的行，并在该目录的 "
                    "withdrawals.csv 中逐条登记撤回理由。",
                ),
            ]
        )

    def test_no_previous_release_compares_nothing(self, tmp_path: Path) -> None:
        """A first release (no site, or a site without downloads) checks only the entries."""
        data, _ = _published_release(tmp_path)
        rewrite_csv(data / "fgw/2025Q1/stances.csv", {"stance": "弃权"}, 1)
        assert _published_findings(data, None) == []
        assert _published_findings(data, tmp_path / "empty") == []
        add_entries(data / "fgw/2025Q1", "withdrawals", [withdrawal(record_id="jc2025-777")])
        assert _published_findings(data, None) == []  # nothing published: nothing to match
        add_entries(data / "fgw/2025Q1", "corrections", [correction()])  # the data keeps the old title
        assert [(f[0], f[3]) for f in _published_findings(data, None)] == [
            ("correction-mismatch", "new_value")
        ]

    def test_only_dated_packages_with_a_descriptor_count_as_published(self, tmp_path: Path) -> None:
        from generator.published import published_packages

        _, site = _published_release(tmp_path)
        downloads = site / "downloads"
        (downloads / "fgw" / "notes").mkdir()
        (downloads / "fgw" / "notes" / "datapackage.json").write_text("{}", encoding="utf-8")
        (downloads / "fgw" / "2025Q3").mkdir()  # no descriptor
        (downloads / "readme.txt").write_text("x", encoding="utf-8")
        (downloads / "fgw" / "2025Q4.zip").write_text("x", encoding="utf-8")
        assert published_packages(site) == {key: downloads / key for key in _PUBLISHED_PACKAGES}
        assert published_packages(None) == {}

    def test_a_correction_of_an_unpublished_record_and_a_damaged_copy(self, tmp_path: Path) -> None:
        data, site = _published_release(tmp_path)
        withdraw_funds_decision(site / "downloads")  # jc2025-002 was not in the previous release
        add_entries(
            data / "fgw/2025Q1",
            "corrections",
            [correction(record_id="jc2025-002", old_value="旧", new_value=FUNDS)],
        )
        (site / "downloads/rmyy/2025Q1/decisions.csv").write_bytes(b"\xff\xfe\x00bad")
        found = _published_findings(data, site)
        assert [(f[0], f[1], f[2], f[3], f[4]) for f in found] == [
            ("correction-mismatch", "fgw/2025Q1/corrections.csv", 2, "record_id", "jc2025-002"),
            ("internal-error", "rmyy/2025Q1", None, None, None),
        ]
        assert found[0][6] == (
            "data/fgw/2025Q1/corrections.csv 第 2 行“记录编号（record_id）”：决策事项“jc2025-002”"
            "在上次发布中还没有公开，不需要更正记录；请直接修改数据并删除这一行。"
        )
        assert found[1][6].startswith(
            "data/rmyy/2025Q1：校验时发生意外错误（与已发布的数据比对失败：UnicodeDecodeError"
        )

    def test_a_correction_of_a_withdrawn_record_stays_and_stances_go_with_their_decision(
        self, tmp_path: Path
    ) -> None:
        data, site = _published_release(tmp_path)
        q1 = data / "fgw/2025Q1"
        withdraw_funds_decision(data)
        add_entries(q1, "corrections", [correction(record_id="jc2025-002", old_value=FUNDS, new_value="x")])
        add_entries(q1, "withdrawals", [withdrawal()])
        assert _published_findings(data, site) == []
        # the stances alone withdrawn by their decision's entry, the decision kept: still refused
        data2, site2 = _published_release(tmp_path / "b")
        delete_rows(data2 / "fgw/2025Q1/stances.csv", "jc2025-002")
        assert {(f[0], f[1], f[4]) for f in _published_findings(data2, site2)} == {
            ("published-removal", "fgw/2025Q1/stances.csv", "jc2025-002/1"),
            ("published-removal", "fgw/2025Q1/stances.csv", "jc2025-002/2"),
            ("published-removal", "fgw/2025Q1/stances.csv", "jc2025-002/3"),
        }

    # --- withheld by law (依法不予公开): the published copy is the redacted view --------------------

    def _upgraded_release(self, tmp_path: Path) -> tuple[Path, Path]:
        """The mini data with the withheld columns, published as it is (nothing withheld yet)."""
        from generator.published import published_packages

        data, site = _published_release(tmp_path)
        upgrade_package(data / "fgw/2025Q1")
        shutil.rmtree(site / "downloads/fgw/2025Q1")
        shutil.copytree(data / "fgw/2025Q1", site / "downloads/fgw/2025Q1")
        assert set(published_packages(site)) == set(_PUBLISHED_PACKAGES)
        return data, site

    def test_a_record_withheld_since_it_was_published_needs_no_correction(self, tmp_path: Path) -> None:
        """Kills the ``_withholding`` mutants: the redacted fields of a newly withheld decision, of its
        hearing and of its stances are not edits; a kept field of it, and any field of another record,
        still is."""
        data, site = self._upgraded_release(tmp_path)
        q1 = data / "fgw/2025Q1"
        _mark_withheld(q1 / "decisions.csv", "decision_id", "jc2025-001")
        _mark_withheld(q1 / "hearings.csv", "hearing_id", "tz2025-001")
        assert _published_findings(data, site) == []
        rewrite_csv(q1 / "decisions.csv", {"execution_status": "已完成"}, 0)  # kept: still shown
        rewrite_csv(q1 / "decisions.csv", {"title": "关于下达2025年第一批节能专项资金的通知"}, 1)
        rewrite_csv(q1 / "stances.csv", {"remark": "建议加强资金监督"}, 1)  # of the withheld decision
        rewrite_csv(q1 / "stances.csv", {"stance": "弃权"}, 0)  # kept field of a withheld stance
        rows = list(csv.DictReader((q1 / "stances.csv").open(encoding="utf-8")))
        other = next(i for i, r in enumerate(rows) if r["decision_id"] == "jc2025-002")
        rewrite_csv(q1 / "stances.csv", {"remark": "另有意见"}, other)
        found = [(f[0], f[1], f[2], f[3], f[4]) for f in _published_findings(data, site)]
        assert found == [
            ("published-edit", "fgw/2025Q1/decisions.csv", 2, "execution_status", "已完成"),
            (
                "published-edit",
                "fgw/2025Q1/decisions.csv",
                3,
                "title",
                "关于下达2025年第一批节能专项资金的通知",
            ),
            ("published-edit", "fgw/2025Q1/stances.csv", 2, "stance", "弃权"),
            ("published-edit", "fgw/2025Q1/stances.csv", other + 2, "remark", "另有意见"),
        ]

    def test_a_record_withheld_at_the_last_release_is_compared_in_its_redacted_form(
        self, tmp_path: Path
    ) -> None:
        """Kills ``view.get`` mutated: the published copy holds the redacted record, so the data has
        to be compared as redacted too, not as the clerk keeps it."""
        from generator.redact import redact_data

        data, site = self._upgraded_release(tmp_path)
        _mark_withheld(data / "fgw/2025Q1/decisions.csv", "decision_id", "jc2025-001")
        shutil.rmtree(site / "downloads/fgw/2025Q1")
        view = redact_data(data, tmp_path / "view").sources["fgw/2025Q1"]
        shutil.copytree(view, site / "downloads/fgw/2025Q1")
        assert _published_findings(data, site) == []

    def test_a_published_correction_of_a_field_withheld_since_stays_in_its_redacted_form(
        self, tmp_path: Path
    ) -> None:
        """Kills the ``_check_entries_kept``/``_redacted``/``_redacted_entry`` mutants: the entry is
        published with 依法不予公开 for its values and reason, which is not a removal, and it is not
        checked against the (withheld) values; the entry after it still is."""
        data, site = _published_release(tmp_path)
        q1 = data / "fgw/2025Q1"
        upgrade_package(q1)
        rewrite_csv(q1 / "decisions.csv", {"title": NEW_TITLE}, 0)
        add_entries(q1, "corrections", [correction()])
        shutil.rmtree(site / "downloads/fgw/2025Q1")
        shutil.copytree(q1, site / "downloads/fgw/2025Q1")  # the correction published in the open
        _mark_withheld(q1 / "decisions.csv", "decision_id", "jc2025-001")
        assert _published_findings(data, site) == []
        add_entries(
            q1,
            "corrections",
            [
                correction(record_id="jc2025-002", old_value="X", new_value=FUNDS),
                # a kept field of the withheld decision is published, so it is still matched
                correction(field="execution_status", old_value="X", new_value="推进中"),
            ],
        )
        found = [(f[0], f[2], f[3], f[4]) for f in _published_findings(data, site)]
        assert found == [
            ("correction-mismatch", 3, "old_value", "X"),
            ("correction-mismatch", 4, "old_value", "X"),
        ]

    # --- a second release: entries already published are not checked again -------------------------

    def test_a_second_release_keeps_published_entries_and_orders_new_ones_by_date(
        self, tmp_path: Path
    ) -> None:
        """Kills the ``is_new`` mutants (a published entry is not matched again against data that has
        moved on), the sort key of the corrections (two corrections of one field in one release are
        matched in date order, not row order), ``continue`` → ``break`` after a correction of a
        withdrawn record, and a published withdrawal of a record no longer published."""
        data, site = _published_release(tmp_path)
        q1 = data / "fgw/2025Q1"
        rewrite_csv(q1 / "decisions.csv", {"title": NEW_TITLE}, 0)
        withdraw_funds_decision(data)
        add_entries(q1, "corrections", [correction()])
        add_entries(q1, "withdrawals", [withdrawal()])
        shutil.rmtree(site / "downloads/fgw/2025Q1")
        shutil.copytree(q1, site / "downloads/fgw/2025Q1")  # release 1
        assert _published_findings(data, site) == []
        third, final = (
            "关于城东综合交通枢纽项目（一期工程）立项的决定",
            "关于城东交通枢纽项目（一期工程）立项的决定",
        )
        rewrite_csv(q1 / "decisions.csv", {"title": final}, 0)
        add_entries(
            q1,
            "corrections",
            [
                correction(old_value=third, new_value=final, corrected_on="2025-07-08"),
                correction(
                    table="stances",
                    record_id="jc2025-002/2",
                    field="remark",
                    old_value="a",
                    new_value="b",
                    corrected_on="2025-07-05",
                ),
                correction(old_value=NEW_TITLE, new_value=third, corrected_on="2025-07-01"),
            ],
        )
        # The chain matches, entry by entry (only the corrections file is judged here: the table
        # check wants one entry from the published value to the current one, see docs/mutation.md).
        assert [f for f in _published_findings(data, site) if f[1].endswith("corrections.csv")] == []
        # a published entry removed is refused; one kept is not
        lines = (q1 / "withdrawals.csv").read_text(encoding="utf-8").splitlines(keepends=True)
        (q1 / "withdrawals.csv").write_text(lines[0], encoding="utf-8")
        found = [(f[0], f[4]) for f in _published_findings(data, site) if f[1].endswith("withdrawals.csv")]
        assert found == [("published-entry-removed", "decisions jc2025-002")]

    def test_a_decision_removed_without_withdrawal_is_one_finding_not_one_per_stance(
        self, tmp_path: Path
    ) -> None:
        """Kills ``or`` → ``and`` in ``covered``: stances gone with their decision are the decision's
        finding, whether or not it is withdrawn."""
        data, site = _published_release(tmp_path)
        withdraw_funds_decision(data)
        found = [(f[0], f[1], f[4]) for f in _published_findings(data, site)]
        assert found == [("published-removal", "fgw/2025Q1/decisions.csv", "jc2025-002")]

    def test_a_column_missing_from_both_copies_counts_as_empty(self, tmp_path: Path) -> None:
        """Kills the ``.get(name, "")`` defaults: a package written before the withheld columns has
        none of them, and a correction of one is matched as empty on both sides."""
        data, site = _published_release(tmp_path)
        add_entries(
            data / "fgw/2025Q1",
            "corrections",
            [correction(field="withheld_basis", old_value="", new_value="")],
        )
        assert _published_findings(data, site) == []
        add_entries(
            data / "fgw/2025Q1",
            "corrections",
            [correction(record_id="jc2025-002", field="withheld_basis", old_value="x", new_value="")],
        )
        assert [(f[3], f[4], f[5], f[6]) for f in _published_findings(data, site)] == [
            (
                "old_value",
                "x",
                "",
                "data/fgw/2025Q1/corrections.csv 第 3 行“原值（old_value）”：更正记录写明决策事项“jc2025-002”的"
                "“不予公开依据（withheld_basis）”原值为“x”，但上次发布的值为“”。原值（old_value）应填已公开的值。",
            )
        ]


# --- generator/opendata/verify.py ----------------------------------------------------------------------


def _two_releases(tmp_path: Path) -> Path:
    """A site of two releases made by ``write_manifest`` alone (no build): two covered files, the
    second release changing one of them."""
    from generator.opendata.manifest import read_previous, write_manifest

    site = tmp_path / "site"
    (site / "downloads").mkdir(parents=True)
    (site / "downloads/a.csv").write_text("a\n1\n", encoding="utf-8")
    (site / "data.json").write_text("{}\n", encoding="utf-8")
    assert write_manifest(site, None, None, "2025Q1", {"added": []}) == (1, True)
    (site / "downloads/a.csv").write_text("a\n2\n", encoding="utf-8")
    assert write_manifest(site, read_previous(site), None, "2025Q2", {"added": []}) == (2, True)
    return site


class TestVerify:
    """``gongkai verify`` in-process on a two-release site: every problem list pinned whole."""

    def test_an_untouched_site_verifies(self, tmp_path: Path) -> None:
        from generator.opendata.verify import verify

        site = _two_releases(tmp_path)
        report = verify(str(site))
        assert report.ok and (report.release, report.checked) == (2, 2)
        assert report.to_text() == (
            f"校验通过：{site} 与第 2 次发布的清单一致（2 个文件的大小和 SHA-256 均相符，"
            "第 1 至 2 次发布的清单哈希链完整）。"
        )

    def test_changed_file_and_rewritten_earlier_manifest(self, tmp_path: Path) -> None:
        site = _two_releases(tmp_path)
        (site / "downloads/a.csv").write_text("a\n3\n", encoding="utf-8")
        (site / "releases/1/manifest.json").write_text("{}", encoding="utf-8")
        report = verify(str(site))
        assert (report.release, report.checked, report.problems) == (
            (
                2,
                2,
                [
                    "downloads/a.csv：文件内容与发布清单不符（清单记录 4 字节、SHA-256 fa39ab7bea45…，实际 4 字节、SHA-256 0f6d02483734…）。",
                    "releases/1/manifest.json：第 1 次发布的清单已被改写（其 SHA-256 与第 2 次发布清单记录的不符）。",
                ],
            )
        )

    def test_current_release_copy_missing(self, tmp_path: Path) -> None:
        site = _two_releases(tmp_path)
        (site / "releases/2/manifest.json").unlink()
        report = verify(str(site))
        assert (report.release, report.checked, report.problems) == (
            (2, 2, ["releases/2/manifest.json：第 2 次发布的清单缺失。"])
        )

    def test_current_release_copy_rewritten(self, tmp_path: Path) -> None:
        site = _two_releases(tmp_path)
        (site / "releases/2/manifest.json").write_text("{}", encoding="utf-8")
        report = verify(str(site))
        assert (report.release, report.checked, report.problems) == (
            (2, 2, ["releases/2/manifest.json：与当前发布清单 manifest.json 不一致，已被改写。"])
        )

    def test_damaged_manifest(self, tmp_path: Path) -> None:
        site = _two_releases(tmp_path)
        (site / "manifest.json").write_text("{", encoding="utf-8")
        report = verify(str(site))
        assert (report.release, report.checked, report.problems) == (
            (None, 0, ["发布清单 manifest.json 已损坏（不是有效的 JSON）。"])
        )

    def test_many_stray_files(self, tmp_path: Path) -> None:
        site = _two_releases(tmp_path)
        for n in range(25):
            (site / f"releases/2/x{n:02}.txt").write_text("x", encoding="utf-8")
        report = verify(str(site))
        assert (report.release, report.checked, report.problems) == (
            (
                2,
                2,
                [
                    "releases/2/x00.txt：不属于任何一次发布的清单或更新记录（多余的文件，下一次生成不会接续）。",
                    "releases/2/x01.txt：不属于任何一次发布的清单或更新记录（多余的文件，下一次生成不会接续）。",
                    "releases/2/x02.txt：不属于任何一次发布的清单或更新记录（多余的文件，下一次生成不会接续）。",
                    "releases/2/x03.txt：不属于任何一次发布的清单或更新记录（多余的文件，下一次生成不会接续）。",
                    "releases/2/x04.txt：不属于任何一次发布的清单或更新记录（多余的文件，下一次生成不会接续）。",
                    "releases/2/x05.txt：不属于任何一次发布的清单或更新记录（多余的文件，下一次生成不会接续）。",
                    "releases/2/x06.txt：不属于任何一次发布的清单或更新记录（多余的文件，下一次生成不会接续）。",
                    "releases/2/x07.txt：不属于任何一次发布的清单或更新记录（多余的文件，下一次生成不会接续）。",
                    "releases/2/x08.txt：不属于任何一次发布的清单或更新记录（多余的文件，下一次生成不会接续）。",
                    "releases/2/x09.txt：不属于任何一次发布的清单或更新记录（多余的文件，下一次生成不会接续）。",
                    "releases/2/x10.txt：不属于任何一次发布的清单或更新记录（多余的文件，下一次生成不会接续）。",
                    "releases/2/x11.txt：不属于任何一次发布的清单或更新记录（多余的文件，下一次生成不会接续）。",
                    "releases/2/x12.txt：不属于任何一次发布的清单或更新记录（多余的文件，下一次生成不会接续）。",
                    "releases/2/x13.txt：不属于任何一次发布的清单或更新记录（多余的文件，下一次生成不会接续）。",
                    "releases/2/x14.txt：不属于任何一次发布的清单或更新记录（多余的文件，下一次生成不会接续）。",
                    "releases/2/x15.txt：不属于任何一次发布的清单或更新记录（多余的文件，下一次生成不会接续）。",
                    "releases/2/x16.txt：不属于任何一次发布的清单或更新记录（多余的文件，下一次生成不会接续）。",
                    "releases/2/x17.txt：不属于任何一次发布的清单或更新记录（多余的文件，下一次生成不会接续）。",
                    "releases/2/x18.txt：不属于任何一次发布的清单或更新记录（多余的文件，下一次生成不会接续）。",
                    "releases/2/x19.txt：不属于任何一次发布的清单或更新记录（多余的文件，下一次生成不会接续）。",
                    "另有 5 个多余的文件或目录在 releases/ 下。",
                ],
            )
        )

    def test_missing_earlier_manifest(self, tmp_path: Path) -> None:
        site = _two_releases(tmp_path)
        (site / "releases/1/manifest.json").unlink()
        report = verify(str(site))
        assert (report.release, report.checked, report.problems) == (
            (2, 2, ["releases/1/manifest.json：第 1 次发布的清单缺失，哈希链断裂。"])
        )

    def test_missing_file_and_files_no_release_names(self, tmp_path: Path) -> None:
        site = _two_releases(tmp_path)
        (site / "data.json").unlink()
        (site / "releases/stray.txt").write_text("x", encoding="utf-8")
        (site / "releases/3").mkdir()
        (site / "releases/2/extra.json").write_text("x", encoding="utf-8")
        (site / "releases/link").symlink_to(site / "downloads")
        (site / "releases/1/changes.json").write_text("{}", encoding="utf-8")
        report = verify(str(site))
        assert (report.release, report.checked, report.problems) == (
            (
                2,
                2,
                [
                    "data.json：文件缺失。",
                    "releases/1/changes.json（第 1 次发布的更新记录）：文件内容与发布清单不符（清单记录 32 字节、SHA-256 48e43436d970…，实际 2 "
                    "字节、SHA-256 44136fa355b3…）。",
                    "releases/3/：不属于任何一次发布的目录（多余，下一次生成不会接续）。",
                    "releases/link：是符号链接，不属于任何一次发布。",
                    "releases/stray.txt：不属于任何一次发布的清单或更新记录（多余的文件，下一次生成不会接续）。",
                    "releases/2/extra.json：不属于任何一次发布的清单或更新记录（多余的文件，下一次生成不会接续）。",
                ],
            )
        )

    def test_no_manifest(self, tmp_path: Path) -> None:
        site = _two_releases(tmp_path)
        (site / "manifest.json").unlink()
        report = verify(str(site))
        assert (report.release, report.checked, report.problems) == (
            (None, 0, ["找不到发布清单 manifest.json：这不是 gongkai 生成的网站，或清单已被删除。"])
        )

    def test_releases_is_a_file(self, tmp_path: Path) -> None:
        site = _two_releases(tmp_path)
        import shutil

        shutil.rmtree(site / "releases")
        (site / "releases").write_text("x", encoding="utf-8")
        report = verify(str(site))
        assert (report.release, report.checked, report.problems) == (
            (
                2,
                2,
                [
                    "releases/2/changes.json（第 2 次发布的更新记录）：文件缺失。",
                    "releases/2/manifest.json：第 2 次发布的清单缺失。",
                    "releases/1/manifest.json：第 1 次发布的清单缺失，哈希链断裂。",
                ],
            )
        )

    def test_releases_is_a_link(self, tmp_path: Path) -> None:
        site = _two_releases(tmp_path)
        import shutil

        shutil.move(site / "releases", site / "elsewhere")
        (site / "releases").symlink_to(site / "elsewhere")
        report = verify(str(site))
        assert (report.release, report.checked, report.problems) == (
            (2, 2, ["releases/2/manifest.json：是符号链接或经过符号链接，拒绝读取。"])
        )

    def test_a_failing_report_lists_every_problem(self, tmp_path: Path) -> None:
        site = _two_releases(tmp_path)
        (site / "data.json").unlink()
        (site / "downloads/a.csv").unlink()
        assert verify(str(site)).to_text() == (
            f"校验未通过：{site} 发现 2 个问题：\n  · data.json：文件缺失。\n  · downloads/a.csv：文件缺失。"
        )

    def test_a_missing_manifest_is_told_apart_from_a_damaged_one(self, tmp_path: Path) -> None:
        from generator.opendata.source import Source
        from generator.opendata.verify import ManifestError, read_manifest

        site = _two_releases(tmp_path)
        error = ManifestError(["甲", "乙"])
        assert (error.args, error.missing) == (("甲",), False)
        (site / "manifest.json").write_text("{", encoding="utf-8")
        with pytest.raises(ManifestError) as damaged:
            read_manifest(Source(str(site)))
        assert damaged.value.missing is False
        (site / "manifest.json").unlink()
        with pytest.raises(ManifestError) as missing:
            read_manifest(Source(str(site)))
        assert missing.value.missing is True

    def test_limits_name_what_was_exceeded(self, tmp_path: Path) -> None:
        from generator.opendata.source import Limits

        site = _two_releases(tmp_path)
        size = (site / "manifest.json").stat().st_size
        assert verify(str(site), Limits(max_manifest_bytes=size - 1)).problems == [
            f"无法读取发布清单 manifest.json（大于发布清单的大小上限（{size - 1} 字节），"
            f"读到第 {size} 字节即停止读取，已拒绝）。"
        ]
        (site / "releases/1/manifest.json").write_bytes(b" " * (size + 1))  # larger than the limit
        assert verify(str(site), Limits(max_manifest_bytes=size)).problems == [
            f"releases/1/manifest.json：大于发布清单的大小上限（{size} 字节），读到第 {size + 1} 字节即停止读取，已拒绝。"
        ]
        # all files together: the manifests fit, the covered files do not; a stop is said once, alone
        site = _two_releases(tmp_path / "b")
        manifests = sum(
            (site / p).stat().st_size
            for p in ("manifest.json", "releases/2/manifest.json", "releases/1/manifest.json")
        )
        problems = verify(str(site), Limits(max_total_bytes=manifests + 1)).problems
        assert problems == ["读取的总量超过上限 0 MB（--max-mb），已停止读取。"]

    def test_a_grown_file_and_a_grown_copy_of_the_current_manifest(self, tmp_path: Path) -> None:
        site = _two_releases(tmp_path)
        (site / "elsewhere.json").write_bytes((site / "data.json").read_bytes())
        (site / "data.json").unlink()
        (site / "data.json").symlink_to(site / "elsewhere.json")  # refused, named by its path
        (site / "downloads/a.csv").write_text("a\n2\n3\n", encoding="utf-8")
        (site / "releases/2/manifest.json").write_bytes((site / "manifest.json").read_bytes() + b" ")
        assert verify(str(site)).problems == [
            "data.json：是符号链接或经过符号链接，拒绝读取。",
            "downloads/a.csv：文件内容与发布清单不符（大于发布清单记录的大小（4 字节），读到第 5 字节即停止读取，已拒绝）。",
            "releases/2/manifest.json：与当前发布清单 manifest.json 不一致，已被改写。",
        ]

    def test_a_file_of_many_chunks_verifies_and_streams_whole(self, tmp_path: Path) -> None:
        from generator.opendata.manifest import write_manifest
        from generator.opendata.source import Source
        from generator.opendata.verify import check_file, read_manifest

        site = _two_releases(tmp_path)
        big = bytes(range(256)) * 1000  # 256,000 bytes: several chunks of 64 KiB
        (site / "downloads/a.csv").write_bytes(big)
        shutil.rmtree(site / "releases")
        (site / "manifest.json").unlink()
        write_manifest(site, None, None, "2025Q1", {})
        assert verify(str(site)).ok
        source = Source(str(site))
        entry = next(e for e in read_manifest(source)[1]["files"] if e["path"] == "downloads/a.csv")
        chunks: list[bytes] = []
        assert check_file(source, entry, chunks.append) is None
        assert b"".join(chunks) == big

    def test_three_releases_the_walk_reaches_the_first_and_hands_over_each_manifest(
        self, tmp_path: Path
    ) -> None:
        from generator.opendata.manifest import read_previous, write_manifest
        from generator.opendata.source import Source
        from generator.opendata.verify import read_manifest, release_chain

        site = _two_releases(tmp_path)
        (site / "downloads/a.csv").write_text("a\n4\n", encoding="utf-8")
        assert write_manifest(site, read_previous(site), None, "2025Q3", {})[0] == 3
        seen: list[tuple[int, bytes]] = []
        source = Source(str(site))
        raw, manifest = read_manifest(source)
        assert release_chain(source, raw, manifest, lambda n, data, _: seen.append((n, data))) == []
        assert seen == [(n, (site / f"releases/{n}/manifest.json").read_bytes()) for n in (3, 2, 1)]
        (site / "releases/1/manifest.json").unlink()
        assert verify(str(site)).problems == ["releases/1/manifest.json：第 1 次发布的清单缺失，哈希链断裂。"]

    def test_an_earlier_manifest_that_matches_its_hash_is_still_checked(self, tmp_path: Path) -> None:
        """Release 1's manifest rewritten with a wrong release number, and release 2's manifest
        updated to name its new SHA-256: the chain holds, the content is refused."""
        import hashlib

        site = _two_releases(tmp_path)
        first = json.loads((site / "releases/1/manifest.json").read_text(encoding="utf-8"))
        first["release"] = 5
        raw_first = (json.dumps(first, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
        (site / "releases/1/manifest.json").write_bytes(raw_first)
        second = json.loads((site / "manifest.json").read_text(encoding="utf-8"))
        second["previous"]["sha256"] = hashlib.sha256(raw_first).hexdigest()
        raw_second = (json.dumps(second, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
        (site / "manifest.json").write_bytes(raw_second)
        (site / "releases/2/manifest.json").write_bytes(raw_second)
        (site / "releases/2/stray.txt").write_text("x", encoding="utf-8")  # not looked for: the chain broke
        assert verify(str(site)).problems == ["releases/1/manifest.json：发布序号（release）为 5，应为 1。"]
        (site / "releases/2/manifest.json").write_bytes(raw_second + b" ")  # and its copy rewritten too
        assert verify(str(site)).problems == [
            "releases/2/manifest.json：与当前发布清单 manifest.json 不一致，已被改写。",
            "releases/1/manifest.json：发布序号（release）为 5，应为 1。",
        ]

    def test_files_under_releases_that_no_release_names(self, tmp_path: Path) -> None:
        from generator.opendata.verify import _unexpected_release_files

        site = _two_releases(tmp_path)
        named = {
            "releases/1/manifest.json",
            "releases/1/changes.json",
            "releases/2/manifest.json",
            "releases/2/changes.json",
        }
        assert _unexpected_release_files(site, named) == []
        (site / "releases/3").mkdir()
        (site / "releases/3/inside.txt").write_text("x", encoding="utf-8")
        assert _unexpected_release_files(site, named) == [
            "releases/3/：不属于任何一次发布的目录（多余，下一次生成不会接续）。"
        ]
        shutil.rmtree(site / "releases/3")
        for n in range(20):  # exactly as many as are listed: no "另有" line
            (site / f"releases/2/x{n:02}.txt").write_text("x", encoding="utf-8")
        assert len(_unexpected_release_files(site, named)) == 20
        shutil.move(site / "releases", site / "elsewhere")
        assert _unexpected_release_files(site, named) == []  # no releases folder: nothing extra
        (site / "releases").symlink_to(site / "elsewhere")
        assert _unexpected_release_files(site, named) == ["releases：不是目录（或是符号链接）。"]
        (site / "releases").unlink()
        (site / "releases").write_text("x", encoding="utf-8")
        assert _unexpected_release_files(site, named) == ["releases：不是目录（或是符号链接）。"]

    def test_the_next_build_carries_exactly_the_chain_and_refuses_a_broken_one(self, tmp_path: Path) -> None:
        from generator.opendata import OpenDataError
        from generator.opendata.manifest import carry_releases, read_previous, write_manifest

        site = _two_releases(tmp_path)
        (site / "releases/2/stray.txt").write_text("x", encoding="utf-8")
        new = tmp_path / "new"
        carry_releases(site, new)
        carried = sorted(p.relative_to(new).as_posix() for p in new.rglob("*") if p.is_file())
        assert carried == [
            f"releases/{n}/{name}" for n in (1, 2) for name in ("changes.json", "manifest.json")
        ]
        for path in carried:
            assert (new / path).read_bytes() == (site / path).read_bytes()
        carry_releases(None, tmp_path / "none")
        assert not (tmp_path / "none").exists()
        # the same files again: the same release, its manifest written back byte for byte
        raw = (site / "manifest.json").read_bytes()
        assert write_manifest(site, read_previous(site), None, "2025Q2", {}) == (2, False)
        assert (site / "manifest.json").read_bytes() == raw
        (site / "releases/1/manifest.json").write_text("{}", encoding="utf-8")
        with pytest.raises(OpenDataError) as broken:
            carry_releases(site, tmp_path / "new2")
        assert str(broken.value) == (
            f"已发布的网站“{site}”的发布历史（manifest.json、releases/）不完整或已被改动，无法接续哈希链，"
            "未生成网站（1 个问题）：\n"
            "  · releases/1/manifest.json：第 1 次发布的清单已被改写（其 SHA-256 与第 2 次发布清单记录的不符）。\n"
            "请用 gongkai verify 核对该目录，或用 gongkai fetch-published 从线上网站重新取回。"
        )
