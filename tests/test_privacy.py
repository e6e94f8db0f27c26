"""The personal-information guard: a clerk pastes an ID-card, mobile or bank-card number into a
published text field; validation (and so the build) refuses, naming file, row and column and
showing the number only masked. The masked form passes, and so does the whole demo portal."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from generator.core.schema import PACKAGE_RESOURCES, resource_spec
from generator.validate import validate_data
from generator.validate.privacy import find_personal_numbers, id_check_digit, is_id_card, luhn_ok, mask

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "data"


def id_number(first17: str) -> str:
    return first17 + id_check_digit(first17)


def luhn_number(prefix: str) -> str:
    """``prefix`` + the Luhn check digit."""
    for digit in "0123456789":
        if luhn_ok(prefix + digit):
            return prefix + digit
    raise AssertionError


ID18 = id_number("32010219900307123")  # Nanjing, born 1990-03-07
ID18_X = "11010519491231002X"  # the example of GB 11643-1999
ID15 = "320102900307123"  # old form: born 1990-03-07
MOBILE = "13812345678"
CARD = luhn_number("622202123456789012")  # 19 digits


def test_the_check_digits_are_computed_correctly() -> None:
    # GB 11643-1999 example number.
    assert id_check_digit("11010519491231002") == "X"
    assert is_id_card("11010519491231002X")
    assert not is_id_card("110105194912310021")  # wrong check digit
    assert not is_id_card(id_number("11010519491331002"))  # month 13
    assert luhn_ok("4111111111111111")
    assert not luhn_ok("4111111111111112")


@pytest.mark.parametrize(
    ("text", "kind", "masked"),
    [
        (f"身份证号{ID18}", "id-card", f"{ID18[:4]}**********{ID18[-4:]}"),
        (f"证件：{ID18_X.lower()}。", "id-card", None),
        (f"老证件号 {ID15}", "id-card", f"{ID15[:4]}*******{ID15[-4:]}"),
        (f"联系电话{MOBILE}", "mobile", "138****5678"),
        ("手机 138-1234-5678", "mobile", "138****5678"),
        ("手机 +86 13812345678", "mobile", "138****5678"),
        (f"收款账号{CARD}", "bank-card", f"{CARD[:4]}***********{CARD[-4:]}"),
        ("卡号 4111 1111 1111 1111", "bank-card", "4111********1111"),
        ("护照号码 E12345678", "passport", "E1234****"),
    ],
)
def test_each_kind_of_personal_number_is_found(text: str, kind: str, masked: str | None) -> None:
    found = find_personal_numbers(text)
    assert [match.kind for match in found] == [kind]
    if masked:
        assert found[0].masked == masked


@pytest.mark.parametrize(
    "text",
    [
        f"身份证号{ID18[:4]}**********{ID18[-4:]}",  # masked
        "3201********1234",
        "联系电话138****5678",
        "卡号6222 **** **** 1234",
        "示例市纪委监委派驻第三纪检监察组，电话 0000-12345680（示例）",  # landline
        "12345 热线；400-123-4567",
        "涉及金额1903600元，2025-04-11 召开，编号 jc2025-0031",
        "总投资 12345678901234 元的分期",  # 14 digits, fails Luhn
        "比例 0.13812345678",  # decimals, not a phone
        "统一编号 2138123456789",  # 13 digits: a mobile would be inside a longer run
        "E12345678 号图纸",  # passport-like, but no 护照 before it
    ],
)
def test_masked_and_harmless_numbers_pass(text: str) -> None:
    assert find_personal_numbers(text) == []


def test_mask_keeps_only_the_ends() -> None:
    assert mask(ID18, "id-card") == f"{ID18[:4]}**********{ID18[-4:]}"
    assert mask("13812345678", "mobile") == "138****5678"
    assert "*" in mask(CARD, "bank-card") and CARD not in mask(CARD, "bank-card")


def _edit(path: Path, row: int, column: str, value: str) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        records = list(csv.reader(handle))
    records[row - 1][records[0].index(column)] = value
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(records)


@pytest.mark.parametrize(
    ("file", "column", "template", "number", "masked"),
    [
        (
            "fgw/2025Q2/members.csv",
            "portfolio",
            "分管规划（身份证{}）",
            ID18,
            f"{ID18[:4]}**********{ID18[-4:]}",
        ),
        ("fgw/2025Q2/decisions.csv", "execution_note", "联系人手机{}", MOBILE, "138****5678"),
        ("fgw/2025Q2/stances.csv", "remark", "请打款至{}", CARD, f"{CARD[:4]}***********{CARD[-4:]}"),
        (
            "fgw/2025Q1/power_list.csv",
            "complaint_channel",
            "举报人旧证{}",
            ID15,
            f"{ID15[:4]}*******{ID15[-4:]}",
        ),
        ("units.csv", "description", "办公室手机 {}", MOBILE, "138****5678"),
    ],
)
def test_validation_blocks_each_kind_with_file_row_column_and_masked_value(
    mini_data: Path, file: str, column: str, template: str, number: str, masked: str
) -> None:
    _edit(mini_data / file, 2, column, template.format(number))
    report = validate_data(mini_data, jobs=1)
    assert not report.valid
    [finding] = [f for f in report.errors if f.type == "personal-info"]
    assert (finding.file, finding.row, finding.column) == (file, 2, column)
    assert finding.value == masked
    assert f"{file} 第 2 行“" in finding.message and masked in finding.message
    assert (
        number not in report.to_text() and number not in report.to_json() and number not in report.to_github()
    )

    # The clerk masks it: the same cell passes.
    _edit(mini_data / file, 2, column, template.format(masked))
    assert validate_data(mini_data, jobs=1).valid


def test_the_command_exits_1_and_never_prints_the_number(mini_data: Path) -> None:
    _edit(mini_data / "fgw/2025Q2/decisions.csv", 2, "summary", f"收款人身份证号码：{ID18}")
    run = subprocess.run(
        [sys.executable, "-m", "generator.cli", "validate", str(mini_data)],
        cwd=REPO,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    assert run.returncode == 1
    assert "居民身份证号码" in run.stdout and "事项概要" in run.stdout
    assert ID18 not in run.stdout + run.stderr
    assert "Traceback" not in run.stderr


def test_the_demo_data_passes_the_guard() -> None:
    """No false positives on 示例市: amounts, dates, IDs, landline complaint channels."""
    from generator.core.messages import Place
    from generator.validate.privacy import personal_info_findings

    findings = []
    for package in sorted(DEMO.glob("*/20*Q*")):
        for table in PACKAGE_RESOURCES:
            path = package / resource_spec(table)["path"]
            with path.open(encoding="utf-8", newline="") as handle:
                records = list(csv.reader(handle))
            findings += personal_info_findings(records, Place(path.name, path.name, table))
    assert findings == []
    assert not [f for f in validate_data(DEMO).errors if f.type == "personal-info"]
