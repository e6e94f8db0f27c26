"""Tests written to kill mutants that survived ``make mutate`` (docs/mutation.md).

Each class holds the tests for one module; the mutation that a test kills is named next to it. The
tests check behaviour a user depends on (a personal number at the edge of a rule is found, a
harmless number is not), not the shape of the code.
"""

from __future__ import annotations

import csv
import datetime
import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from generator.core.messages import Place
from generator.core.schema import field_info, field_names
from generator.release.verify import verify
from generator.validate import validate_data
from generator.validate.privacy import (
    find_personal_numbers,
    id_check_digit,
    is_id_card,
    luhn_ok,
    mask,
    personal_info_findings,
)

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
    def test_a_bank_card_has_13_to_19_digits_and_no_more(self) -> None:
        # 13 <= len(digits) <= 19 (mutant 62 let a 20-digit number pass for a card)
        for length in (13, 16, 19):
            card = luhn_number("6" + "2" * (length - 2))
            assert [(m.kind, m.value) for m in find_personal_numbers(f"卡号 {card}")] == [("bank-card", card)]
        assert find_personal_numbers("编号 " + luhn_number("6" + "2" * 18)) == []  # 20 digits
        assert find_personal_numbers("编号 " + luhn_number("6" + "2" * 10)) == []  # 12 digits

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
    from generator.rules import check_portal
    from generator.sources.load import load_portal

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
        from generator.guard.redact import (
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

        from generator.guard.redact import WITHHELD_TEXT, redact_data

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

        from generator.guard.redact import redact_data

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
        from generator.guard.redact import PublishedView, withheld_field, withheld_record

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

        from generator.guard.redact import withheld_by_package
        from generator.sources.load import load_portal

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
        from generator.rules import check_portal
        from generator.sources.load import load_portal

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
        from generator.rules import check_portal
        from generator.sources.load import load_portal

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
        from generator.core.config import ConfigError, load_config
        from generator.rules.base import rule_settings

        _with_rules(mini_data, yaml)
        with pytest.raises(ConfigError) as refused:
            rule_settings(load_config(mini_data))
        assert str(refused.value) == message

    def test_good_settings_override_the_defaults(self, mini_data: Path) -> None:
        from generator.core.config import load_config
        from generator.rules.base import RuleSettings, rule_settings

        _with_rules(
            mini_data, 'rules:\n  quorum:\n    enabled: false\n    severity: error\n    general: "2/3"\n'
        )
        settings = rule_settings(load_config(mini_data))
        assert settings["quorum"] == RuleSettings(False, "error", {"general": "2/3", "appointments": "2/3"})
        assert settings["advance_notice"] == RuleSettings(True, "warning", {"min_days": 1})
        assert len(settings) == 12

    def test_the_report_names_errors_and_warnings_and_counts_them(self, mini_data: Path) -> None:
        from generator.rules import check_portal
        from generator.sources.load import load_portal

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
        from generator.rules import check_portal
        from generator.sources.load import load_portal

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
        from generator.rules import REGISTRY, check_portal
        from generator.sources.load import load_portal

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
        from generator.rules import check_portal
        from generator.sources.load import load_portal

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


# --- generator/guard/nothing_lost.py ---------------------------------------------------------------------------

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
    from generator.guard.nothing_lost import check_published

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
                    "填“弃权”，并写明更正理由（reason）和更正日期（corrected_on）；否则请恢复原值。"
                    "用 Excel 工作簿填报的，在该季度工作簿的“更正记录”工作表中添加一行：所在表选“逐位表态”，"
                    "记录编号填 jc2025-001/2，更正字段选“表态”，填写原值、新值、更正理由和更正日期，"
                    "再用 gongkai import … --replace 重新导入。",
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
                    "填“城东综合交通枢纽项目社会稳定风险听证”，并写明撤回理由（reason）和撤回日期（withdrawn_on）；否则请恢复这一行。"
                    "用 Excel 工作簿填报的，在该季度工作簿的“撤回记录”工作表中添加一行（所在表选“听证、论证和质询结果”），"
                    "再用 gongkai import … --replace 重新导入。",
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
        from generator.guard.nothing_lost import published_packages

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
        from generator.guard.nothing_lost import published_packages

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
        from generator.guard.redact import redact_data

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


# --- generator/release/verify.py ----------------------------------------------------------------------


def _two_releases(tmp_path: Path) -> Path:
    """A site of two releases made by ``write_manifest`` alone (no build): two covered files, the
    second release changing one of them."""
    from generator.release.manifest import read_previous, write_manifest

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
        from generator.release.verify import verify

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
            (
                2,
                2,
                [
                    "releases/2/changes.json（第 2 次发布的更新记录）：是符号链接或经过符号链接，拒绝读取。",
                    "releases/2/manifest.json：是符号链接或经过符号链接，拒绝读取。",
                    "releases/1/manifest.json：是符号链接或经过符号链接，拒绝读取。",
                ],
            )
        )

    def test_a_failing_report_lists_every_problem(self, tmp_path: Path) -> None:
        site = _two_releases(tmp_path)
        (site / "data.json").unlink()
        (site / "downloads/a.csv").unlink()
        assert verify(str(site)).to_text() == (
            f"校验未通过：{site} 发现 2 个问题：\n  · data.json：文件缺失。\n  · downloads/a.csv：文件缺失。"
        )

    def test_a_missing_manifest_is_told_apart_from_a_damaged_one(self, tmp_path: Path) -> None:
        from generator.release.source import Source
        from generator.release.verify import ManifestError, read_manifest

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
        from generator.release.source import Limits

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
        from generator.release.manifest import write_manifest
        from generator.release.source import Source
        from generator.release.verify import check_file, read_manifest

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
        from generator.release.manifest import read_previous, write_manifest
        from generator.release.source import Source
        from generator.release.verify import read_manifest, release_chain

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
        head = json.loads((site / "releases/2/manifest.json").read_text(encoding="utf-8"))
        head["previous"] = second["previous"]
        raw_head = (json.dumps(head, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
        second["head"].update(size=len(raw_head), sha256=hashlib.sha256(raw_head).hexdigest())
        raw_second = (json.dumps(second, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
        (site / "manifest.json").write_bytes(raw_second)
        (site / "releases/2/manifest.json").write_bytes(raw_head)
        (site / "releases/2/stray.txt").write_text("x", encoding="utf-8")  # not looked for: the chain broke
        assert verify(str(site)).problems == ["releases/1/manifest.json：发布序号（release）为 5，应为 1。"]
        (site / "releases/2/manifest.json").write_bytes(raw_head + b" ")  # and its head rewritten too
        assert verify(str(site)).problems == [
            "releases/2/manifest.json：与当前发布清单 manifest.json 不一致，已被改写。",
            "releases/1/manifest.json：发布序号（release）为 5，应为 1。",
        ]

    def test_files_under_releases_that_no_release_names(self, tmp_path: Path) -> None:
        from generator.release.verify import _unexpected_release_files

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
        from generator.export import OpenDataError
        from generator.release.manifest import carry_releases, read_previous, write_manifest

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


def _workbook_with(tmp_path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    path = tmp_path / "book.xlsx"
    book.save(path)
    return path


class TestImporter:
    """generator/intake/importer.py, called in the test process: the import tests of
    tests/test_publish.py run the command in a subprocess and cannot kill a mutant."""

    def test_a_filled_template_is_read_sheet_by_sheet(self, mini_data: Path, tmp_path: Path) -> None:
        import datetime

        from openpyxl import load_workbook

        from generator.intake.importer import read_workbook
        from generator.intake.template import sheet_name, write_template

        path = tmp_path / "fgw.xlsx"
        write_template(mini_data, "fgw", path)
        book = load_workbook(path)
        sheet = book[sheet_name("meetings")]
        columns = {cell.value: cell.column for cell in sheet[2] if cell.value}
        row = {
            "meeting_id": " hy2025-101 ",
            "meeting_type": "党组会议",
            "title": "2025年第5次党组会议",
            "date": datetime.date(2025, 7, 15),
            "notice_date": "2025/7/10",
            "members_total": 3,
            "members_present": 3.0,
            "host_member_id": "fgw-m01",
            "recorded": True,
        }
        for name, value in row.items():
            sheet.cell(row=5, column=columns[name], value=value)  # row 4 left blank
        book.save(path)
        tables, problems = read_workbook(path, "fgw")
        assert problems == []
        meetings = tables["meetings"]
        assert meetings.label == "工作表“会议”" or meetings.label.startswith("工作表“")
        assert meetings.origins == [5]
        assert meetings.rows[0][:9] == [
            "hy2025-101",
            "党组会议",
            "2025年第5次党组会议",
            "2025-07-15",
            "2025-07-10",
            "3",
            "3",
            "fgw-m01",
            "是",
        ]
        assert len(tables["members"].rows) > 0  # carried over from 2025Q2
        _, problems = read_workbook(path, "rmyy")
        assert [(p.type, p.message, p.source) for p in problems] == [
            (
                "wrong-unit",
                "工作簿“fgw.xlsx”是为单位“fgw”生成的模板，不能导入为单位“rmyy”的数据；请确认 --unit 参数或使用本单位的模板。",
                "fgw.xlsx",
            )
        ]

    MEETING_HEADER = (
        "会议编号",
        "会议类型",
        "会议名称",
        "会议日期",
        "议题预告日期",
        "应到人数",
        "实到人数",
        "主持人",
        "全程纪实",
    )
    MEETING_ROW = ("hy1", "党组会议", "第1次", "2025/1/2", "20250101", "3", "3.0", "m1", "Y")

    def test_columns_are_found_by_title_label_or_name_in_any_order(self) -> None:
        from generator.intake.importer import _table_from_rows

        header = ["meeting_id", " 会议 类型 ", *self.MEETING_HEADER[2:]]
        header[5], header[6] = header[6], header[5]  # 实到人数 before 应到人数
        row = list(self.MEETING_ROW)
        row[5], row[6] = "2", "3"
        rows = [header, [], row, ["", None, "  "], ["hy2", "", "", "", "", "", "", "", ""]]
        source, problems = _table_from_rows("meetings", "L", rows, allow_name_row=False)
        assert problems == []
        assert source.rows == [
            ["hy1", "党组会议", "第1次", "2025-01-02", "2025-01-01", "3", "2", "m1", "是"],
            ["hy2", "", "", "", "", "", "", "", ""],
        ]
        assert source.origins == [3, 5]

    def test_the_hidden_name_row_is_used_and_skipped(self) -> None:
        from generator.core.schema import field_names
        from generator.intake.importer import _table_from_rows

        names = field_names("meetings")
        rows = [["x"] * len(names), list(names), list(self.MEETING_ROW)]
        source, problems = _table_from_rows("meetings", "L", rows, allow_name_row=True)
        assert problems == [] and source.origins == [3] and source.rows[0][0] == "hy1"
        # Without allow_name_row (a CSV), the same header of x is wrong.
        _, problems = _table_from_rows("meetings", "L", rows, allow_name_row=False)
        assert problems and problems[0].type == "extra-column"
        # A second row that is data, not names, is data.
        source, problems = _table_from_rows(
            "meetings", "L", [self.MEETING_HEADER, list(self.MEETING_ROW)], allow_name_row=True
        )
        assert problems == [] and source.origins == [2]
        # The template with no data: the header and the name row only.
        source, problems = _table_from_rows("meetings", "L", rows[:2], allow_name_row=True)
        assert problems == [] and source.rows == [] and source.table == "meetings"
        # A name row shorter than the header.
        source, problems = _table_from_rows(
            "meetings",
            "L",
            [list(self.MEETING_HEADER), list(names[:8]), list(self.MEETING_ROW)],
            allow_name_row=True,
        )
        assert problems == [] and source.rows[0][8] == "是"
        # A data cell that happens to be a field name is data.
        row = list(self.MEETING_ROW)
        row[2] = "recorded"
        source, problems = _table_from_rows(
            "meetings", "L", [list(self.MEETING_HEADER), row], allow_name_row=True
        )
        assert problems == [] and source.rows[0][2] == "recorded"

    def test_every_header_problem_is_named(self) -> None:
        from generator.intake.importer import Problem, _table_from_rows

        header = [*self.MEETING_HEADER[:3], "会议编号", *self.MEETING_HEADER[4:8], "备注", None]
        rows = [header, [*self.MEETING_ROW, "", "数据"]]
        _, problems = _table_from_rows("meetings", "工作表“会议”", rows, allow_name_row=False)
        label = "工作表“会议”"
        assert problems == [
            Problem(
                "duplicate-column",
                f"{label} 第 1 行：列“会议编号”出现了两次（第 1 列和第 4 列）。",
                label,
                1,
                "会议编号",
            ),
            Problem(
                "extra-column",
                f"{label} 第 1 行：第 9 列“备注”不是“会议”的列；请删除该列，或改为正确的列名。",
                label,
                1,
                "备注",
            ),
            Problem(
                "blank-header", f"{label} 第 1 行：第 11 列有数据但没有列名；请补上列名或删除该列。", label, 1
            ),
            Problem(
                "missing-column",
                f"{label} 第 1 行：缺少列“会议日期”。请使用 gongkai template 生成的模板，不要删除列。",
                label,
                1,
                "会议日期",
            ),
            Problem(
                "missing-column",
                f"{label} 第 1 行：缺少列“全程纪实”。请使用 gongkai template 生成的模板，不要删除列。",
                label,
                1,
                "全程纪实",
            ),
        ]
        # A blank column without a title is no problem.
        _, problems = _table_from_rows(
            "meetings", "L", [[*self.MEETING_HEADER, None], list(self.MEETING_ROW)], allow_name_row=False
        )
        assert problems == []

    def test_a_missing_header_is_named(self) -> None:
        from generator.intake.importer import Problem, _table_from_rows

        titles = "、".join(self.MEETING_HEADER)
        expected = [Problem("missing-header", f"L：第 1 行应为列名（{titles}），实为空。", "L", 1)]
        assert _table_from_rows("meetings", "L", [], allow_name_row=True)[1] == expected
        assert (
            _table_from_rows("meetings", "L", [["", None], self.MEETING_ROW], allow_name_row=True)[1]
            == expected
        )

    def test_a_cell_longer_than_the_bound_is_named(self) -> None:
        from generator.intake.importer import Bounds, Problem, _table_from_rows

        bounds = Bounds(workbook_mb=1, file_mb=1, rows=10, cell_chars=4)
        rows = [self.MEETING_HEADER, ["hy12", *self.MEETING_ROW[1:2], "第1次会议", *self.MEETING_ROW[3:]]]
        source, problems = _table_from_rows("meetings", "L", rows, allow_name_row=False, bounds=bounds)
        assert problems == [
            Problem(
                "cell-too-long",
                "L 第 2 行“会议名称”：有 5 个字，超过上限 4 个字（portal.yml 的 max_cell_chars）；请精简内容，详细材料可另行公开。",
                "L",
                2,
                "会议名称",
            ),
            Problem(
                "cell-too-long",
                "L 第 2 行“会议日期”：有 10 个字，超过上限 4 个字（portal.yml 的 max_cell_chars）；请精简内容，详细材料可另行公开。",
                "L",
                2,
                "会议日期",
            ),
            Problem(
                "cell-too-long",
                "L 第 2 行“议题预告日期”：有 10 个字，超过上限 4 个字（portal.yml 的 max_cell_chars）；请精简内容，详细材料可另行公开。",
                "L",
                2,
                "议题预告日期",
            ),
        ]
        assert len(source.rows) == 1

    @pytest.mark.parametrize(
        ("value", "kind", "expected"),
        [
            (datetime.datetime(2025, 7, 15, 9, 30), "string", "2025-07-15 09:30:00"),
            (datetime.datetime(2025, 7, 15, 9, 30), "date", "2025-07-15"),
            (datetime.datetime(2025, 7, 15), "string", "2025-07-15"),
            (datetime.date(2025, 7, 5), "string", "2025-07-05"),
            (False, "string", "否"),
            (20000, "date", "1954-10-03"),
            (80000, "date", "2119-01-11"),
            (19999, "date", "19999"),
            (80001, "date", "80001"),
            (45853, "number", "45853"),
            (3, "integer", "3"),
            (0.1, "number", "0.1"),
            (Decimal("2.50"), "number", "2.5"),
            ("a\r\nb\rc", "string", "a\nb\nc"),
            ("   ", "date", ""),
            ("是", "boolean", "是"),
            ("ｙｅｓ", "boolean", "是"),
            ("✗", "boolean", "否"),
            ("也许", "boolean", "也许"),
            ("+1，250 000.50", "number", "1250000.5"),
            ("-3", "integer", "-3"),
            ("1.0", "integer", "1"),
            ("12.", "number", "12."),
            ("2025-07-05 00:00", "date", "2025-07-05"),
            ("2025-07-05T00:00:00", "date", "2025-07-05"),
            ("2025-07-05 09:00", "date", "2025-07-05 09:00"),
            ("２０２５ 年 7 月 5 日", "date", "2025-07-05"),
            ("2025-7-5", "date", "2025-07-05"),
            ("0.00001", "number", "0.00001"),
            ("0.0000001", "number", "0.0000001"),
            ("20251305", "date", "20251305"),
            ("下周", "date", "下周"),
            ("1,250", "string", "1,250"),
        ],
    )
    def test_more_cells_are_normalised(self, value: object, kind: str, expected: str) -> None:
        from generator.intake.importer import normalise

        assert normalise(value, kind) == expected

    def test_a_csv_folder_is_read_within_its_bounds(self, mini_data: Path) -> None:
        import shutil

        from generator.intake.importer import DEFAULT_BOUNDS, Bounds, Problem, read_csv_dir

        folder = mini_data / "fgw" / "2025Q1"
        tables, problems = read_csv_dir(folder)
        assert problems == []
        assert tables["meetings"].rows[0][:3] == ["hy2025-001", "党组会议", "2025年第1次党组会议"]
        assert tables["meetings"].origins[:2] == [2, 3]
        assert tables["meetings"].label == "meetings.csv"
        small = Bounds(DEFAULT_BOUNDS.workbook_mb, DEFAULT_BOUNDS.file_mb, 1, DEFAULT_BOUNDS.cell_chars)
        _, problems = read_csv_dir(folder, small)
        assert (
            Problem(
                "too-many-rows",
                "meetings.csv：有 2 行数据，超过上限 1 行（portal.yml 的 max_rows）；请分次导入，或删除多余的行。",
                "meetings.csv",
            )
            in problems
        )
        _, problems = read_csv_dir(folder, Bounds(1, 0, 100, 100))
        too_large = {p.source: p for p in problems}["meetings.csv"]
        assert too_large.type == "file-too-large" and too_large.message.startswith(
            "meetings.csv：文件有 0.0 MB"
        )
        assert too_large.message.endswith(
            "超过上限 0 MB（portal.yml 的 max_file_mb）；请分次导入，或删除多余的行。"
        )
        copy = mini_data.parent / "csv"
        shutil.copytree(folder, copy)
        (copy / "meetings.csv").unlink()
        (copy / "members.csv").write_bytes(b"\xff\xfe\x00\xd8bad")
        (copy / "stances.csv").write_text('decision_id,order\n"a,1\n', encoding="utf-8")
        tables, problems = read_csv_dir(copy)
        by_type = {p.type: p for p in problems}
        assert by_type["missing-file"] == Problem(
            "missing-file",
            f"meetings.csv：文件夹“{copy}”中没有这个文件（会议）；没有数据时也要保留只有列名的文件。",
            "meetings.csv",
        )
        assert by_type["encoding-error"].source == "members.csv"
        assert by_type["encoding-error"].message.startswith("members.csv：")
        assert "meetings" not in tables and "members" not in tables

    def test_a_validation_finding_is_named_by_sheet_excel_row_and_title(self, tmp_path: Path) -> None:
        from generator.core.findings import Finding
        from generator.intake.importer import Problem, SourceTable, map_finding

        data = tmp_path / "data"
        tables = {
            "decisions": SourceTable("decisions", "工作表“决策事项”", [[], [], []], [4, 7, 9]),
            "meetings": SourceTable("meetings", "工作表“会议”", [[]], [3]),
        }
        where = f"{data.as_posix()}/fgw/2025Q3/decisions.csv"

        def mapped(message: str, row: int | None = 3, column: str | None = "decision_id") -> Problem:
            finding = Finding(
                "primary-key", "编号重复", message, "fgw/2025Q3/decisions.csv", row, column, "x"
            )
            return map_finding(finding, tables, data)

        assert mapped(
            f"{where} 第 3 行“事项编号（decision_id）”：编号“a”与第 2 行重复，在 meetings.csv 的“事项类别（category）”。"
        ) == Problem(
            "primary-key",
            "工作表“决策事项” 第 7 行“事项编号”：编号“a”与第 4 行重复，在工作表“会议”的“事项类别”。",
            "工作表“决策事项”",
            7,
            "事项编号",
        )
        assert mapped(f"{where} 第 4 行：整行有误。", row=4, column=None) == Problem(
            "primary-key", "工作表“决策事项” 第 9 行：整行有误。", "工作表“决策事项”", 9, None
        )
        assert mapped(f"{where}：缺少数据。", row=None, column=None).message == "工作表“决策事项”：缺少数据。"
        assert mapped(f"{where} 第 3 行：第 9 行与第 5 行重复。") == Problem(
            "primary-key",
            "工作表“决策事项” 第 7 行：第 9 行与第 5 行重复。",
            "工作表“决策事项”",
            7,
            "事项编号",
        )
        # Rows outside the sheet's data (the header, past the end) keep their number.
        assert mapped("别处的问题。", row=1).message == "工作表“决策事项” 第 1 行“事项编号”：别处的问题。"
        assert mapped("别处的问题。", row=5, column=None).row == 5
        assert mapped("别处的问题。", row=None, column=None).message == "工作表“决策事项”：别处的问题。"
        # A file the import did not write is left as it was.
        other = Finding("x", "t", "原文。", "fgw/units.csv", 2, "name", "名称")
        assert map_finding(other, tables, data) == Problem("x", "原文。", "fgw/units.csv", 2, "名称")
        tables.pop("decisions")
        assert mapped("原文。").message == "原文。"

    def test_a_workbook_beyond_its_bounds_is_refused_before_it_is_opened(self, tmp_path: Path) -> None:
        import zipfile

        from generator.intake import PublishError
        from generator.intake.importer import DEFAULT_BOUNDS, Bounds, check_workbook_archive

        unreadable = "无法打开工作簿“{}”：文件已损坏或不是 .xlsx 格式"

        def refusal(path: Path, bounds: Bounds = DEFAULT_BOUNDS) -> str:
            with pytest.raises(PublishError) as caught:
                check_workbook_archive(path, bounds)
            return str(caught.value)

        text = tmp_path / "text.xlsx"
        text.write_bytes(b"not a zip at all")
        assert refusal(text) == unreadable.format("text.xlsx") + "（不是 zip 压缩包）。"
        book = _workbook_with(tmp_path, {"会议": [["a"], ["b"], ["c"], ["d"], ["e"]]})
        check_workbook_archive(book)
        assert refusal(book, Bounds(0, 1, 10, 10)).startswith(
            "工作簿“book.xlsx”有 0.0 MB，超过上限 0 MB（portal.yml 的 max_workbook_mb）"
        )
        assert refusal(book, Bounds(1, 1, 2, 10)).startswith(
            "工作簿“book.xlsx”的工作表文件“xl/worksheets/sheet1.xml”有 5 行（包括带格式的空行），超过上限 2 行"
        )
        check_workbook_archive(book, Bounds(1, 1, 3, 10))  # two header rows beyond max_rows

        def zipped(name: str, members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> Path:
            path = tmp_path / name
            with zipfile.ZipFile(path, "w", method) as archive:
                for member, content in members.items():
                    archive.writestr(member, content)
            return path

        bomb = zipped("bomb.xlsx", {"xl/a.xml": b" " * (3 << 20)})
        assert refusal(bomb, Bounds(2, 1, 10, 10)).startswith("工作簿“bomb.xlsx”解压后有 3 MB，超过上限 2 MB")
        message = refusal(bomb, Bounds(4, 1, 10, 10))
        assert message.startswith("工作簿“bomb.xlsx”中的“xl/a.xml”压缩比高达 ")
        assert "倍（正常的工作簿不超过 200 倍）" in message
        # Above 1 MB at a low ratio, or exactly 1 MB at any ratio, is read.
        import random

        ordinary = zipped("ordinary.xlsx", {"xl/b.xml": random.Random(0).randbytes(1100000)})
        check_workbook_archive(ordinary)
        check_workbook_archive(zipped("small.xlsx", {"xl/d.xml": b" " * (1 << 20)}))
        bzip = zipped("bzip.xlsx", {"xl/c.xml": b"<row>"}, zipfile.ZIP_BZIP2)
        assert (
            refusal(bzip)
            == unreadable.format("bzip.xlsx") + "（其中“xl/c.xml”使用了 Excel 不使用的压缩方式）。"
        )
        many = zipped("many.xlsx", {f"{i}.txt": b"" for i in range(10001)}, zipfile.ZIP_STORED)
        assert refusal(many) == unreadable.format("many.xlsx") + "（压缩包内文件多达 10001 个）。"
        check_workbook_archive(
            zipped("enough.xlsx", {f"{i}.txt": b"" for i in range(10000)}, zipfile.ZIP_STORED)
        )
        # A tag cut by the 1 MB read boundary is counted once; <rows> is no row.
        head = b"<x:row r='1'/><row>"
        xml = head + b" " * ((1 << 20) - 3 - len(head)) + b"<row/><rows><row\n"
        rows = zipped("rows.xlsx", {"XL/S.XML": xml}, zipfile.ZIP_STORED)
        assert "有 4 行" in refusal(rows, Bounds(5, 1, 1, 10))
        check_workbook_archive(rows, Bounds(5, 1, 2, 10))

    def test_a_sheet_is_streamed_within_its_bounds(self, tmp_path: Path) -> None:
        from openpyxl import load_workbook

        from generator.intake import PublishError
        from generator.intake.importer import Bounds, _sheet_rows

        book = _workbook_with(tmp_path, {"s": [["h"], ["n"], [None, ""], [1, None, 2, None], [3]]})
        sheet = load_workbook(book, read_only=True).worksheets[0]
        assert _sheet_rows(sheet, "L", Bounds(1, 1, 2, 10)) == [["h"], ["n"], [], [1, None, 2], [3]]
        sheet = load_workbook(book, read_only=True).worksheets[0]
        with pytest.raises(PublishError) as caught:
            _sheet_rows(sheet, "工作表“s”", Bounds(1, 1, 1, 10))
        assert str(caught.value) == (
            "工作表“s”：数据超过 1 行（portal.yml 的 max_rows），读到第 5 行时停止；请分次导入，或删除多余的行。"
        )

    def test_bounds_come_from_portal_yml(self) -> None:
        from generator.core.config import PortalConfig
        from generator.intake.importer import Bounds

        config = PortalConfig(max_workbook_mb=1, max_file_mb=2, max_rows=3, max_cell_chars=4)
        assert Bounds.of(config) == Bounds(workbook_mb=1, file_mb=2, rows=3, cell_chars=4)

    def test_an_import_publishes_a_valid_folder_and_names_what_is_wrong(self, mini_data: Path) -> None:
        import shutil

        from generator.intake import PublishError, parse_period
        from generator.intake.importer import import_source

        source = mini_data.parent / "q2"
        shutil.copytree(mini_data / "fgw" / "2025Q2", source)
        q2, q3 = parse_period("2025Q2"), parse_period("2025Q3")
        target = mini_data / "fgw" / "2025Q2"
        with pytest.raises(PublishError) as caught:
            import_source(source, mini_data, "fgw", q2)
        assert str(caught.value) == (
            f"{target} 已存在：fgw 的 2025Q2 数据已经导入过。如要用本工作簿替换它（例如补充更正记录后重新导入），"
            "请加上 --replace 参数；已公开的记录有改动的，须在“更正记录”或“撤回记录”工作表中登记。"
        )
        result = import_source(source, mini_data, "fgw", q2, replace=True)
        assert result.ok and result.written and result.problems == [] and result.target == target
        assert result.counts["meetings"] == 1 and result.counts["stances"] == 3
        assert result.to_text().endswith(
            f"已导入并通过校验，写入 {target}：班子成员及分工 3 行、权力清单 2 行、权力运行流程 3 行、负面清单 2 行、"
            "会议 1 行、决策事项 1 行、逐位表态 3 行、听证、论证和质询结果 0 行。"
        )
        # The same rows as another quarter: nothing written, every problem named by file and row.
        result = import_source(source, mini_data, "fgw", q3)
        assert not result.ok and not result.written and not (mini_data / "fgw" / "2025Q3").exists()
        assert [(p.source, p.row, p.column) for p in result.problems] == [
            ("meetings.csv", 2, "会议日期"),
            ("meetings.csv", 2, "会议编号"),
            ("decisions.csv", 2, "事项编号"),
        ]
        assert (
            result.to_text().splitlines()[-1]
            == "导入未完成：共 3 个问题，数据目录未做任何修改。请修正后重新导入。"
        )
        (mini_data / "portal.yml").write_text(
            (mini_data / "portal.yml").read_text(encoding="utf-8") + "max_rows: 2\n", encoding="utf-8"
        )
        result = import_source(source, mini_data, "fgw", q3)
        assert {p.type for p in result.problems} == {"too-many-rows"}
        assert "stances.csv" in {p.source for p in result.problems} and not result.written
        (mini_data / "portal.yml").write_text("max_rows: 全部\n", encoding="utf-8")
        with pytest.raises(PublishError):
            import_source(source, mini_data, "fgw", q3)

    def test_only_a_workbook_or_a_folder_is_imported(self, mini_data: Path, tmp_path: Path) -> None:
        from generator.intake import PublishError, parse_period
        from generator.intake.importer import import_source

        q3 = parse_period("2025Q3")
        text = tmp_path / "data.csv"
        text.write_text("a\n", encoding="utf-8")
        for source, message in (
            (
                text,
                f"“{text}”不是 .xlsx 工作簿；请另存为 Excel 工作簿（.xlsx），或指定存放 CSV 文件的文件夹。",
            ),
            (
                tmp_path / "nothing",
                f"找不到“{tmp_path / 'nothing'}”：请指定填好的 .xlsx 工作簿，或存放 CSV 文件的文件夹。",
            ),
        ):
            with pytest.raises(PublishError) as caught:
                import_source(source, mini_data, "fgw", q3)
            assert str(caught.value) == message
        for name in ("book.XLSX", "book.xlsm"):
            book = _workbook_with(tmp_path, {"会议": [["会议编号"]]}).rename(tmp_path / name)
            result = import_source(book, mini_data, "fgw", q3)
            assert "missing-sheet" in {p.type for p in result.problems}
            assert not result.written

    def test_a_workbook_is_read_by_sheet_title_or_table_name(self, tmp_path: Path) -> None:
        from generator.core.schema import field_names
        from generator.intake import PublishError
        from generator.intake.importer import Bounds, Problem, read_workbook
        from generator.intake.template import META_SHEET

        names = field_names("meetings")
        row = list(self.MEETING_ROW)
        sheets: dict[str, list[list[object]]] = {
            name: [list(field_names(name))]
            for name in ("power_list", "power_steps", "negative_list", "withdrawals")
        }
        sheets[" meetings "] = [
            list(self.MEETING_HEADER),
            list(names),
            row,
            ["hy2", "=1+1", None, None, None, None, None, None, "XXXX"],
        ]
        sheets[META_SHEET] = [["template_version", "1"]] + [["x", "y"]] * 19 + [["unit_id", "rmyy"]]
        book = _workbook_with(tmp_path, sheets)
        tables, problems = read_workbook(book, "fgw")
        assert problems == [
            Problem(
                "missing-sheet",
                f"工作表“{title}”：工作簿中没有这个工作表；请使用 gongkai template 生成的模板，不要删除或改名工作表。",
                f"工作表“{title}”",
            )
            for title in ("班子成员及分工", "决策事项", "逐位表态", "听证、论证和质询结果")
        ]
        meetings = tables["meetings"]
        assert (meetings.table, meetings.label, meetings.origins) == (
            "meetings",
            "工作表“ meetings ”",
            [3, 4],
        )
        # A formula's cached value (none: openpyxl wrote it) is read, not the formula.
        assert meetings.rows[1][:2] == ["hy2", ""] and meetings.rows[1][8] == "XXXX"
        assert "withdrawals" in tables and "corrections" not in tables
        with pytest.raises(PublishError) as caught:
            read_workbook(book, "fgw", Bounds(1, 1, 0, 10))
        assert "超过上限 0 行" in str(caught.value)
        with pytest.raises(PublishError) as caught:
            read_workbook(book, "fgw", Bounds(50, 1, 3, 10))
        assert str(caught.value).startswith("工作簿“book.xlsx”的工作表文件“xl/worksheets/sheet6.xml”有 21 行")
        _, problems = read_workbook(book, "fgw", Bounds(50, 1, 20, 3))
        assert {p.type for p in problems} == {"missing-sheet", "cell-too-long"}
        # The unit is read from the first 20 rows of the hidden sheet; a template without it fits any unit.
        assert "wrong-unit" not in {p.type for p in problems}

    def test_a_cell_past_column_200_is_not_read(self, tmp_path: Path) -> None:
        from openpyxl import Workbook, load_workbook

        from generator.intake.importer import DEFAULT_BOUNDS, _sheet_rows

        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.cell(row=1, column=1, value="a")
        sheet.cell(row=1, column=201, value="far")
        sheet.cell(row=2, column=201, value="far")
        path = tmp_path / "wide.xlsx"
        book.save(path)
        read = load_workbook(path, read_only=True).worksheets[0]
        assert _sheet_rows(read, "L", DEFAULT_BOUNDS) == [["a"], []]

    def test_a_broken_workbook_is_named_by_its_error(self, tmp_path: Path) -> None:
        import zipfile

        from generator.intake import PublishError
        from generator.intake.importer import Bounds, check_workbook_archive, read_workbook

        unreadable = "无法打开工作簿“{}”：文件已损坏或不是 .xlsx 格式"
        plain = tmp_path / "plain.xlsx"
        with zipfile.ZipFile(plain, "w") as archive:
            archive.writestr("a.txt", "not a workbook")
        with pytest.raises(PublishError) as caught:
            read_workbook(plain)
        assert str(caught.value) == f"无法打开工作簿“{plain}”：文件已损坏或不是 .xlsx 格式（KeyError）。"
        good = _workbook_with(tmp_path, {"s": [["a"]]})
        raw = good.read_bytes()
        directory = tmp_path / "directory.xlsx"
        directory.write_bytes(raw.replace(b"PK\x01\x02", b"PK\x09\x09", 1))
        with pytest.raises(PublishError) as caught:
            check_workbook_archive(directory)
        assert str(caught.value) == unreadable.format("directory.xlsx") + "（BadZipFile）。"
        crc = tmp_path / "crc.xlsx"
        with zipfile.ZipFile(crc, "w", zipfile.ZIP_STORED) as archive:
            archive.writestr("x.xml", b"<row/>" * 50)
        crc.write_bytes(crc.read_bytes().replace(b"<row/><row/>", b"<rox/><row/>", 1))
        with pytest.raises(PublishError) as caught:
            check_workbook_archive(crc)
        assert str(caught.value) == unreadable.format("crc.xlsx") + "（BadZipFile）。"
        exact = tmp_path / "exact.xlsx"
        with zipfile.ZipFile(exact, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("a.bin", b" " * (1 << 20))
        check_workbook_archive(exact, Bounds(1, 1, 10, 10))  # exactly max_workbook_mb unpacked

    def test_the_refusals_say_how_to_recover(self, tmp_path: Path) -> None:
        import zipfile

        from generator.intake import PublishError
        from generator.intake.importer import Bounds, check_workbook_archive

        bomb = tmp_path / "bomb.xlsx"
        with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("xl/a.xml", b" " * (3 << 20))
        for bounds, end in (
            (
                Bounds(2, 1, 10, 10),
                "（portal.yml 的 max_workbook_mb）；文件可能已损坏或被改造过，请在 Excel 中另存为新的 .xlsx 后重试。",
            ),
            (Bounds(4, 1, 10, 10), "可能是被改造过的文件，不予读取；请在 Excel 中另存为新的 .xlsx 后重试。"),
        ):
            with pytest.raises(PublishError) as caught:
                check_workbook_archive(bomb, bounds)
            assert str(caught.value).endswith(end)

    def test_a_csv_folder_keeps_its_header_row_and_its_optional_files(self, mini_data: Path) -> None:
        import shutil

        from generator.core.schema import field_names
        from generator.intake.importer import Bounds, read_csv_dir

        folder = mini_data.parent / "csv"
        shutil.copytree(mini_data / "fgw" / "2025Q1", folder)
        (folder / "withdrawals.csv").write_text(",".join(field_names("withdrawals")) + "\n", encoding="utf-8")
        tables, problems = read_csv_dir(folder, Bounds(1, 1, 6, 10000))
        assert problems == [] and "withdrawals" in tables
        _, problems = read_csv_dir(folder, Bounds(1, 1, 100, 3))
        assert {p.type for p in problems} == {"cell-too-long"}
        # A second row of field names in a CSV is data, not the template's hidden row.
        meetings = folder / "meetings.csv"
        names = ",".join(field_names("meetings"))
        meetings.write_text(f"{names}\n{names}\n", encoding="utf-8")
        tables, _ = read_csv_dir(folder)
        assert tables["meetings"].origins == [2]
        # Empty files within a bound of 0 MB are read (and lack their header).
        for path in folder.iterdir():
            path.write_bytes(b"")
        (folder / "members.csv").unlink()
        (folder / "stances.csv").write_text("decision_id\n" + "x" * 140000 + "\n", encoding="utf-8")
        tables, problems = read_csv_dir(folder, Bounds(1, 0, 10, 10))
        assert problems[0].type == "missing-file" and problems[1].type == "missing-header"

    def test_the_import_checks_the_tree_the_config_and_the_unit(
        self, mini_data: Path, tmp_path: Path
    ) -> None:
        from generator.intake import PublishError, parse_period
        from generator.intake.importer import ImportResult, import_source
        from generator.intake.template import write_template

        q3 = parse_period("2025Q3")
        book = tmp_path / "fgw.xlsx"
        write_template(mini_data, "fgw", book)
        result = import_source(book, mini_data, "rmyy", q3)
        assert result.written is False and result.target == mini_data / "rmyy" / "2025Q3"
        assert result.problems[0].type == "wrong-unit"
        portal = (mini_data / "portal.yml").read_text(encoding="utf-8")
        (mini_data / "portal.yml").write_text("max_rows: 全部\n", encoding="utf-8")
        with pytest.raises(PublishError) as caught:
            import_source(book, mini_data, "fgw", q3)
        assert str(caught.value) == f"{mini_data}/portal.yml：设置项“max_rows”应为整数，实为“全部”。"
        (mini_data / "portal.yml").write_text(portal, encoding="utf-8")
        result = import_source(book, mini_data, "fgw", q3)
        assert "wrong-unit" not in {p.type for p in result.problems}
        (mini_data / "portal.yml").write_text(portal + "max_rows: 1\n", encoding="utf-8")
        with pytest.raises(PublishError) as caught:
            import_source(book, mini_data, "fgw", q3, replace=True)
        assert "超过上限 1 行（portal.yml 的 max_rows）" in str(caught.value)
        (mini_data / "portal.yml").write_text(portal, encoding="utf-8")
        (mini_data / "fgw" / "link").symlink_to(tmp_path)
        with pytest.raises(PublishError) as caught:
            import_source(book, mini_data, "fgw", q3)
        assert "link" in str(caught.value)
        text = ImportResult([], True, Path("t"), {"meetings": 1}, ["n1", "n2"]).to_text()
        assert text.splitlines() == [
            "另外，该单位已公开的其他季度数据中有以下问题（与本次导入无关）：",
            "  n1",
            "  n2",
            "已导入并通过校验，写入 t：会议 1 行。",
        ]

    def test_a_csv_that_is_not_csv_is_named(self, mini_data: Path) -> None:
        import shutil

        from generator.intake.importer import Bounds, Problem, read_csv_dir

        folder = mini_data.parent / "broken"
        shutil.copytree(mini_data / "fgw" / "2025Q1", folder)
        # A field beyond the csv module's limit. Validation raises that limit for the whole process
        # (generator/validate/__init__.py), so an earlier test may have; a fresh ``gongkai import`` starts at
        # Python's default, restored here.
        csv.field_size_limit(131072)
        (folder / "members.csv").write_text("member_id\n" + "x" * 140000 + "\n", encoding="utf-8")
        tables, problems = read_csv_dir(folder, Bounds(1, 1, 100000, 1 << 20))
        assert problems[0].type == "csv-syntax" and problems[0].source == "members.csv"
        assert problems[0] == Problem("csv-syntax", problems[0].message, "members.csv")
        assert problems[0].message.startswith(
            "members.csv：无法按 CSV 格式读取（field larger than field limit"
        )
        assert "members" not in tables and "meetings" in tables  # the other files are still read
