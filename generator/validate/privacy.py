"""Personal-information guard: no ID-card, mobile or bank-card number reaches a published page.

``personal_info_findings`` scans every text (``string``) field of a CSV and returns one
``personal-info`` finding per personal number it finds; ``personal_info_text_findings`` does the
same for every other published text (each string of a ``datapackage.json``, each setting of
``portal.yml``). Validation runs them on every file, so a
package that contains one cannot be built. The finding names the file, row and column and shows
the number only masked (``3201**********1234``), so that the report itself, which may end up in
a CI log, leaks nothing.

What counts as a personal number:

- **Mainland resident ID card**: 18 characters (17 digits and a digit or ``X``) whose check digit
  is right by GB 11643-1999 and whose digits 7–14 are a real birth date; or the old 15-digit form
  whose digits 7–12 are a real birth date (19YYMMDD).
- **Mobile phone**: ``1[3-9]`` followed by 9 digits (also written ``138-1234-5678``,
  ``138 1234 5678`` or with ``+86``), not part of a longer run of digits.
- **Bank card**: 13 to 19 digits (also in groups of four separated by spaces or hyphens) that pass
  the Luhn check; a grouped card followed by a space and four more digits (``… 7890 2025年``) is
  still found: a fifth group of four is another number, not part of the card.
- **Passport**: a letter ``E``/``G`` and 8 digits (or ``E`` + letter + 7 digits) right after the
  word 护照.

What does not count: landlines and hotlines of an office (``0000-12345678``, ``12345``,
``400-123-4567``: an area code or a service number, never 11 digits starting ``1[3-9]``), dates,
amounts, record IDs (``jc2025-0001``), document numbers, and any number that is already masked:
a ``*`` (or ``x``/``X`` in the middle) breaks the run of digits, so ``3201********1234`` and
``138****5678`` pass.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass

from generator.core.findings import Finding
from generator.core.messages import Place
from generator.core.schema import field_info, table_schema

FINDING_TYPE = "personal-info"
FINDING_TITLE = "含有个人信息"

#: How each kind is named to the clerk, and a masked example.
KINDS: dict[str, tuple[str, str]] = {
    "id-card": ("居民身份证号码", "3201**********1234"),
    "mobile": ("手机号码", "138****5678"),
    "bank-card": ("银行卡号", "6222***********1234"),
    "passport": ("护照号码", "E1234****"),
}

# Digit runs are never taken from inside a longer run, nor from the decimals of a number.
_START = r"(?<![0-9])(?<![0-9]\.)"
_END = r"(?![0-9])(?!\.[0-9])"
_ID18 = re.compile(_START + r"([0-9]{17}[0-9Xx])(?![0-9A-Za-z])(?!\.[0-9])")
_ID15 = re.compile(_START + r"([0-9]{15})" + _END)
_MOBILE = re.compile(_START + r"(?:\+?86[ -]?)?(1[3-9][0-9](?:[0-9]{8}|[ -][0-9]{4}[ -][0-9]{4}))" + _END)
_CARD = re.compile(_START + r"([0-9]{13,19}|[0-9]{4}(?:[ -][0-9]{4}){2,3}(?:[ -][0-9]{1,3})?)" + _END)
_PASSPORT = re.compile(
    r"护照[^0-9A-Za-z]{0,8}((?:[EGeg][0-9]{8}|[Ee][A-HJ-NP-Za-hj-np-z][0-9]{7}))(?![0-9A-Za-z])"
)
#: A quick test: only text with one of these can hold a personal number.
_CANDIDATE = re.compile(r"[0-9]{11}|[0-9]{3,4}[ -][0-9]{4}|护照")

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


@dataclass(frozen=True)
class Match:
    """One personal number found in a text."""

    kind: str
    #: The number as written (may contain spaces or hyphens).
    value: str
    start: int
    end: int

    @property
    def masked(self) -> str:
        return mask(self.value, self.kind)


def id_check_digit(first17: str) -> str:
    """The GB 11643-1999 check character of the first 17 digits of an ID-card number."""
    total = sum(int(digit) * weight for digit, weight in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def _real_date(year: int, month: int, day: int) -> bool:
    try:
        datetime.date(year, month, day)
    except ValueError:
        return False
    return 1900 <= year <= 2100


def is_id_card(number: str) -> bool:
    """An 18-digit ID number with the right check digit and birth date, or a 15-digit old one."""
    if number[:1] in ("", "0", "9"):
        return False
    if len(number) == 18:
        if not number[:17].isdigit():
            return False
        if id_check_digit(number[:17]) != number[17].upper():
            return False
        return _real_date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    if len(number) == 15 and number.isdigit():
        return _real_date(1900 + int(number[6:8]), int(number[8:10]), int(number[10:12]))
    return False


def luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def _digits(text: str) -> str:
    return "".join(char for char in text if char.isdigit())


def mask(value: str, kind: str = "") -> str:
    """The number with only its first and last digits shown: 3201**********1234, 138****5678."""
    plain = "".join(char for char in value if char.isalnum())
    if kind == "mobile":
        plain = plain[-11:]
        return f"{plain[:3]}****{plain[-4:]}"
    if kind == "passport":
        return f"{plain[:5]}{'*' * (len(plain) - 5)}"
    keep = 4 if len(plain) >= 12 else 2
    return f"{plain[:keep]}{'*' * (len(plain) - 2 * keep)}{plain[-keep:]}"


def find_personal_numbers(text: str) -> list[Match]:
    """Every personal number in ``text``, left to right; overlapping candidates count once."""
    if not text or not _CANDIDATE.search(text):
        return []
    found: list[Match] = []
    taken: list[tuple[int, int]] = []

    def add(kind: str, match: re.Match[str]) -> None:
        start, end = match.span(1)
        if any(start < other_end and other_start < end for other_start, other_end in taken):
            return
        taken.append((start, end))
        found.append(Match(kind, match.group(1), start, end))

    for match in _ID18.finditer(text):
        if is_id_card(match.group(1)):
            add("id-card", match)
    for match in _ID15.finditer(text):
        if is_id_card(match.group(1)):
            add("id-card", match)
    for match in _MOBILE.finditer(text):
        add("mobile", match)
    for match in _CARD.finditer(text):
        digits = _digits(match.group(1))
        if 13 <= len(digits) <= 19 and luhn_ok(digits):
            add("bank-card", match)
    for match in _PASSPORT.finditer(text):
        add("passport", match)
    return sorted(found, key=lambda item: item.start)


def text_columns(table: str) -> list[int]:
    """Positions of the text (``string``) fields of a table: the fields that are scanned."""
    return [
        index
        for index, spec in enumerate(table_schema(table)["fields"])
        if spec.get("type", "string") == "string"
    ]


def personal_info_findings(records: Sequence[Sequence[str]], place: Place) -> list[Finding]:
    """One ``personal-info`` finding per personal number in the text fields of a parsed CSV.

    ``records[0]`` is the header row; a record's spreadsheet row is its index + 1.
    """
    if place.table is None or len(records) < 2:
        return []
    header = list(records[0])
    names = {spec["name"] for spec in table_schema(place.table)["fields"]}
    wanted = {table_schema(place.table)["fields"][i]["name"] for i in text_columns(place.table)}
    columns = [(index, name) for index, name in enumerate(header) if name in wanted and name in names]
    findings: list[Finding] = []
    for number, record in enumerate(records[1:], start=2):
        if not _CANDIDATE.search("\x1f".join(record)):
            continue
        for index, name in columns:
            if index >= len(record):
                continue
            for match in find_personal_numbers(record[index]):
                findings.append(personal_info_finding(place, number, name, match))
    return findings


def personal_info_finding(place: Place, row: int, column: str, match: Match) -> Finding:
    kind_name, example = KINDS[match.kind]
    info = field_info(place.table, column) if place.table else None
    message = (
        f"{place.where(row, column)}：含有疑似{kind_name}“{match.masked}”。个人信息不得公开，"
        f"请删除该号码，或只保留首尾几位、其余用 * 代替（例如 {example}）后再发布。"
    )
    return Finding(
        type=FINDING_TYPE,
        title=FINDING_TITLE,
        message=message,
        file=place.file,
        row=row,
        column=column,
        column_title=info.title if info else None,
        value=match.masked,
        expected=f"不含{kind_name}，或已打码",
    )


def personal_info_text_findings(text: str, place: Place, key: str) -> list[Finding]:
    """One ``personal-info`` finding per personal number in one published text outside a CSV:
    a string of a ``datapackage.json`` or a setting of ``portal.yml``, named by ``key``
    (``description``, ``resources[0].title``, ``contact.phone``)."""
    findings = []
    for match in find_personal_numbers(text):
        kind_name, example = KINDS[match.kind]
        findings.append(
            Finding(
                type=FINDING_TYPE,
                title=FINDING_TITLE,
                message=(
                    f"{place.display}：“{key}”中含有疑似{kind_name}“{match.masked}”。个人信息不得公开，"
                    f"请删除该号码，或只保留首尾几位、其余用 * 代替（例如 {example}）后再发布。"
                ),
                file=place.file,
                column=key,
                value=match.masked,
                expected=f"不含{kind_name}，或已打码",
            )
        )
    return findings


__all__ = [
    "FINDING_TYPE",
    "Match",
    "find_personal_numbers",
    "is_id_card",
    "luhn_ok",
    "mask",
    "personal_info_findings",
    "personal_info_text_findings",
]
