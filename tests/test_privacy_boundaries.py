"""The personal-information guard at its edges, in CSV cells as a clerk writes them: every mobile
prefix the guard claims (1[3-9]x: 130–199) plain, spaced, hyphenated and with +86; ID numbers ending
in X or x and old 15-digit ones; bank cards of every length 13–19 passing Luhn, plain and in groups
of four; and what must pass: masked forms, numbers one digit too short or too long, numbers inside a
longer run of digits, cards failing Luhn, the prefixes 100–129."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from generator.validate import validate_data
from generator.validate.privacy import find_personal_numbers

REPO = Path(__file__).resolve().parents[1]
STANCES = "fgw/2025Q2/stances.csv"

PREFIXES = [str(prefix) for prefix in range(130, 200)]
#: How a clerk writes a mobile number; ``{}`` is the 3-digit prefix, the rest is always 1234 5678.
MOBILE_FORMS = [
    "{}12345678",
    "{} 1234 5678",
    "{}-1234-5678",
    "+86{}12345678",
    "+86 {}12345678",
    "+86 {} 1234 5678",
    "+86-{}-1234-5678",
    "86{}12345678",
    "联系电话{}12345678请勿外传",  # inside Chinese text, no spaces
    "手机：{}-1234-5678。",
]


def luhn_ok(number: str) -> bool:
    """The Luhn check, written here afresh (not the guard's own) so that the test is an oracle:
    from the right, every second digit doubled (its digits summed), the total a multiple of 10."""
    total = 0
    for position, char in enumerate(reversed(number)):
        doubled = int(char) * (2 if position % 2 else 1)
        total += doubled // 10 + doubled % 10
    return total % 10 == 0


def luhn_number(prefix: str) -> str:
    """``prefix`` + the digit that makes it pass the Luhn check."""
    return next(prefix + digit for digit in "0123456789" if luhn_ok(prefix + digit))


def luhn_fails(number: str) -> str:
    """``number`` with its last digit changed so that it fails the Luhn check."""
    wrong = str((int(number[-1]) + 1) % 10)
    assert not luhn_ok(number[:-1] + wrong)
    return number[:-1] + wrong


def id_check_digit(first17: str) -> str:
    """GB 11643-1999, written here afresh: weights 2^(17-i) mod 11, check (12 - sum mod 11) mod 11,
    10 written X."""
    total = sum(int(digit) * pow(2, 17 - index, 11) for index, digit in enumerate(first17))
    check = (12 - total % 11) % 11
    return "X" if check == 10 else str(check)


def id_number(first17: str) -> str:
    return first17 + id_check_digit(first17)


def id_ending_in_x(region: str, birth: str) -> str:
    """An 18-character ID number of ``region`` and ``birth`` (YYYYMMDD) whose check character is X."""
    for sequence in range(1000):
        first17 = f"{region}{birth}{sequence:03d}"
        if id_check_digit(first17) == "X":
            return first17 + "X"
    raise AssertionError


def grouped(number: str, separator: str = " ") -> str:
    """6222021234567890123 → 6222 0212 3456 7890 123."""
    return separator.join(number[i : i + 4] for i in range(0, len(number), 4))


CARDS = {length: luhn_number("6222021234567890123"[: length - 1]) for length in range(13, 20)}
#: Published test card numbers (Visa 13 and 16, Diners 14, Amex 15, Discover, Mastercard, UnionPay
#: 16 and 19 digits, from card networks' and payment processors' test lists).
PUBLISHED_CARDS = [
    "4222222222222",
    "36227206271667",
    "378282246310005",
    "4111111111111111",
    "6011000990139424",
    "5555555555554444",
    "6200000000000005",
    "6200000000000047",
    "6205500000000000004",
]
ID_X = [
    id_ending_in_x("110105", "19491231"),  # the GB 11643-1999 example, 11010519491231002X
    id_ending_in_x("320102", "20000229"),  # born on 29 February of a leap year
    id_ending_in_x("820000", "19900101"),  # region code starting 8: the highest the guard claims
]
ID18 = id_number("32010219900307123")
ID15 = "320102900307123"  # old form, born 1990-03-07


def kinds(text: str) -> list[str]:
    return [match.kind for match in find_personal_numbers(text)]


def write_cells(data: Path, texts: list[str]) -> dict[int, str]:
    """Each text as the remark of a new stance row of fgw/2025Q2; returns spreadsheet row → text."""
    path = data / STANCES
    with path.open(encoding="utf-8", newline="") as handle:
        records = list(csv.reader(handle))
    first = len(records) + 1
    records += [["jc2025-004", str(10 + index), "fgw-m02", "同意", text] for index, text in enumerate(texts)]
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(records)
    return {first + index: text for index, text in enumerate(texts)}


def guard_findings(data: Path) -> dict[int, list]:
    """Personal-information findings of the stances file, by row."""
    found: dict[int, list] = {}
    for finding in validate_data(data, jobs=1).errors:
        if finding.type == "personal-info":
            assert (finding.file, finding.column) == (STANCES, "remark"), finding
            found.setdefault(finding.row, []).append(finding)
    return found


# --- mobile numbers --------------------------------------------------------------------------------


def test_every_mobile_prefix_in_every_form_is_refused_in_a_csv_cell(mini_data: Path) -> None:
    texts = [form.format(prefix) for prefix in PREFIXES for form in MOBILE_FORMS]
    rows = write_cells(mini_data, texts)
    found = guard_findings(mini_data)
    missed = [text for row, text in rows.items() if row not in found]
    assert missed == [], f"{len(missed)} mobile numbers passed the guard, e.g. {missed[:5]}"
    for row, text in rows.items():
        [finding] = found[row]
        prefix = next(p for p in PREFIXES if f"{p}12345678" in text.replace(" ", "").replace("-", ""))
        assert finding.value == f"{prefix}****5678", (text, finding.value)
        assert "手机号码" in finding.message and "5678" in finding.message and "1234" not in finding.message


@pytest.mark.parametrize("prefix", ["100", "110", "119", "120", "129"])
def test_prefixes_below_13_are_not_mobile_numbers(prefix: str) -> None:
    for form in MOBILE_FORMS:  # (+86120… may still be a 13-digit run passing Luhn: a card)
        assert "mobile" not in kinds(form.format(prefix)), form.format(prefix)


@pytest.mark.parametrize("prefix", ["130", "139", "150", "166", "190", "199"])
def test_a_mobile_number_one_digit_short_long_or_inside_a_longer_run_is_not_one(prefix: str) -> None:
    number = f"{prefix}12345678"
    assert kinds(number) == ["mobile"]
    for text in (
        number[:-1],  # 10 digits
        number + "9",  # 12 digits
        "2" + number,  # a digit before: part of a longer number
        f"编号{number}0号",
        f"0.{number}",  # the decimals of a number
        f"{number}.5",
        f"{prefix}-1234-56789",  # the last group one digit long
        f"{prefix}-12345-678",
        f"9{prefix}-1234-5678",
    ):
        assert kinds(text) == [], text


@pytest.mark.parametrize("prefix", ["130", "199"])
def test_a_mobile_number_next_to_letters_or_punctuation_is_found(prefix: str) -> None:
    number = f"{prefix}12345678"
    for text in (f"A{number}", f"{number}B", f"（{number}）", f"tel:{number}", f"电话{number}、{number}"):
        assert set(kinds(text)) == {"mobile"}, text
    assert kinds(f"电话{number}、{prefix}-8765-4321") == ["mobile", "mobile"]


# --- ID-card numbers -------------------------------------------------------------------------------


def test_id_numbers_ending_in_x_or_x_and_old_ones_are_refused_in_a_csv_cell(mini_data: Path) -> None:
    texts = []
    for number in [*ID_X, ID18]:
        texts += [number, number.lower(), f"身份证号{number}，", f"证件号码：{number.lower()}。"]
    texts += [ID15, f"老证件{ID15}号"]
    rows = write_cells(mini_data, texts)
    found = guard_findings(mini_data)
    for row, text in rows.items():
        assert row in found, f"{text} passed the guard"
        [finding] = found[row]
        assert "居民身份证号码" in finding.message, (text, finding.message)
        digits = next(n for n in [*ID_X, ID18, ID15] if n.lower() in text.lower())
        assert finding.value.upper() == f"{digits[:4]}{'*' * (len(digits) - 8)}{digits[-4:]}", finding.value


@pytest.mark.parametrize(
    ("first17", "is_id"),
    [
        ("11010519000101123", True),  # born 1900-01-01: the first year the guard takes
        ("11010518991231123", False),  # 1899
        ("11010521001231123", True),  # 2100-12-31: the last
        ("11010521010101123", False),  # 2101
        ("11010520240229123", True),  # 29 February 2024
        ("11010520230229123", False),  # no 29 February 2023
        ("11010519000229123", False),  # 1900 was not a leap year
        ("11010519901301123", False),  # month 13
        ("11010519900132123", False),  # day 32
        ("01010519900101123", False),  # region codes start 1 to 8
        ("91010519900101123", False),
        ("81010519900101123", True),
    ],
)
def test_id_birth_date_and_region_at_their_edges(first17: str, is_id: bool) -> None:
    number = id_number(first17)
    assert ("id-card" in kinds(f"身份证{number}")) is is_id, number


def test_an_id_number_with_a_wrong_check_character_or_inside_a_longer_run_is_not_one() -> None:
    for number in [*ID_X, ID18]:
        wrong = number[:17] + ("0" if number[17] in "Xx" else "X")
        for text in (wrong, "1" + number, number + "1", number + "A", number[:-1]):
            assert "id-card" not in kinds(text), text
    assert "id-card" not in kinds("1" + ID15) and "id-card" not in kinds(ID15 + "1")
    assert "id-card" not in kinds("320102901307123")  # old form, month 13


# --- bank cards ------------------------------------------------------------------------------------


def test_cards_of_every_length_plain_and_grouped_are_refused_in_a_csv_cell(mini_data: Path) -> None:
    texts = []
    for number in CARDS.values():
        texts += [
            number,
            grouped(number),
            grouped(number, "-"),
            f"请打款至{number}谢谢",
            f"卡号：{grouped(number)}。",
        ]
    rows = write_cells(mini_data, texts)
    found = guard_findings(mini_data)
    for row, text in rows.items():
        assert row in found, f"{text} passed the guard"
        [finding] = found[row]
        assert "银行卡号" in finding.message, (text, finding.message)
        plain = text.replace(" ", "").replace("-", "")
        number = max((n for n in CARDS.values() if n in plain), key=len)
        assert finding.value == f"{number[:4]}{'*' * (len(number) - 8)}{number[-4:]}", (text, finding.value)


def test_the_test_oracles_agree_with_published_numbers() -> None:
    assert id_number("11010519491231002") == "11010519491231002X"  # the GB 11643-1999 example
    assert all(luhn_ok(number) for number in PUBLISHED_CARDS)
    assert not luhn_ok("4111111111111112")


def test_published_test_card_numbers_are_found() -> None:
    for number in PUBLISHED_CARDS:
        assert kinds(number) == ["bank-card"], number
        assert kinds(f"卡号{grouped(number)}。") == ["bank-card"], number
        assert kinds(luhn_fails(number)) == [], number


def test_a_grouped_card_followed_by_another_group_of_digits_is_found() -> None:
    # a fifth group of four after a 16-digit card is another number (a year, an amount)
    for number in (CARDS[16], "4111111111111111"):
        for text in (
            f"卡号 {grouped(number)} 2025年开户",
            f"{grouped(number, '-')}-2025",
            f"{grouped(number)} 5000 元",
        ):
            found = find_personal_numbers(text)
            assert [(m.kind, m.value.replace(" ", "").replace("-", "")) for m in found] == [
                ("bank-card", number)
            ], text


@pytest.mark.parametrize("length", range(13, 20))
def test_a_card_failing_luhn_is_accepted(length: int) -> None:
    card = CARDS[length]
    for digit in "0123456789":  # every other last digit: the Luhn total ends in 1 to 9
        number = card[:-1] + digit
        if number != card:
            assert not luhn_ok(number)
            assert kinds(number) == [] and kinds(grouped(number)) == [], number


def test_a_luhn_number_of_12_or_20_digits_is_not_a_card() -> None:
    for number in (luhn_number("62220212345"), luhn_number("6222021234567890123")):
        assert len(number) in (12, 20)
        assert kinds(number) == [] and kinds(grouped(number)) == [], number


# --- what passes ------------------------------------------------------------------------------------

MASKED = [
    "3201********1234",
    f"{ID18[:4]}**********{ID18[-4:]}",
    f"{ID_X[0][:6]}********{ID_X[0][-4:]}",
    f"{ID_X[0][:14]}***X",
    "138****5678",
    "199****5678",
    "199-****-5678",
    "+86 199****5678",
    "6222 **** **** 1234",
    "6222***********1234",
    "身份证号3201********1234，手机199****5678，卡号6222 **** **** 123",
]


def test_masked_numbers_pass_in_csv_cells_and_through_the_command(mini_data: Path) -> None:
    for text in MASKED:
        assert kinds(text) == [], text
    write_cells(mini_data, MASKED)
    assert guard_findings(mini_data) == {}
    run = subprocess.run([sys.executable, "-m", "generator.cli", "validate", str(mini_data)], cwd=REPO,
                         capture_output=True, text=True, encoding="utf-8", timeout=120)  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr


def test_the_command_refuses_the_edges_naming_each_row_and_printing_no_number(mini_data: Path) -> None:
    numbers = [
        "13012345678",
        "19912345678",
        "199-1234-5678",
        "+86 199 1234 5678",
        "19012345678",
        ID_X[0],
        ID_X[0].lower(),
        ID15,
        grouped(CARDS[16]),
        grouped(CARDS[19]),
        CARDS[17],
        CARDS[18],
    ]
    rows = write_cells(mini_data, [f"联系方式{number}" for number in numbers])
    run = subprocess.run([sys.executable, "-m", "generator.cli", "validate", str(mini_data)], cwd=REPO,
                         capture_output=True, text=True, encoding="utf-8", timeout=120)  # fmt: skip
    assert run.returncode == 1 and "Traceback" not in run.stderr
    for row in rows:
        assert f"{STANCES} 第 {row} 行" in run.stdout, row
    for number in numbers:
        assert number not in run.stdout + run.stderr
        assert number.replace(" ", "").replace("-", "") not in run.stdout + run.stderr


# --- passports --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("护照E12345678", True),
        ("护照号码：G12345678。", True),
        ("护照号 e12345678", True),
        ("护照EA1234567", True),  # E + letter + 7 digits
        ("护照EZ1234567", True),
        ("护照EI1234567", False),  # I and O are not used
        ("护照EO1234567", False),
        ("护照E1234567", False),  # 7 digits
        ("护照E123456789", False),  # 9 digits
        ("护照H12345678", False),  # not E or G
        ("E12345678", False),  # no 护照 before it
        ("护照（普通旅行证件）号E12345678", False),  # 9 characters between: too far
        ("护照（普通旅行证）号E12345678", True),  # 8 characters between
        ("护照E1234****", False),  # masked
    ],
)
def test_passport_numbers_at_their_edges(text: str, found: bool) -> None:
    assert (kinds(text) == ["passport"]) is found, kinds(text)
