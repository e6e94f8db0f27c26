"""How a validated package's CSV is read into typed rows (``generator.sources.load.read_table``), and
the control-character class that validation searches every cell with."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from generator.core.config import control_character
from generator.sources.load import read_table
from generator.validate.base import KNOWN_CONTROL_RANGES, _control_pattern, control_ranges


def test_rows_are_typed_in_schema_order_with_a_missing_later_column_empty(tmp_path: Path) -> None:
    # A column the file lacks (as an earlier package lacks a later one) reads empty; columns come in
    # any order; a
    # short row reads its missing cells as empty; a blank line is no record and takes no number.
    path = tmp_path / "stances.csv"
    path.write_text("member_id,order,decision_id,stance\ncy01,2,jc1,同意\n\ncy02,,jc1\n", encoding="utf-8")
    rows = list(read_table(path, "stances", numbered=True, pool={}))
    assert rows == [
        {"decision_id": "jc1", "order": 2, "member_id": "cy01", "stance": "同意", "remark": "", "row": 2},
        {"decision_id": "jc1", "order": None, "member_id": "cy02", "stance": "", "remark": "", "row": 3},
    ]
    assert [list(row) for row in rows] == [
        ["decision_id", "order", "member_id", "stance", "remark", "row"]
    ] * 2


def test_equal_text_of_a_package_is_one_string_object(tmp_path: Path) -> None:
    path = tmp_path / "stances.csv"
    path.write_text(
        "decision_id,order,member_id,stance\njc1,1,cy01,同意\njc2,1,cy01,同意\n", encoding="utf-8"
    )
    first, second = read_table(path, "stances", pool={})
    assert first["stance"] is second["stance"] and first["member_id"] is second["member_id"]


def test_the_control_class_matches_exactly_the_characters_refused_one_by_one() -> None:
    pattern = _control_pattern()
    for code in range(0x110000):
        char = chr(code)
        assert (pattern.match(char) is not None) == (control_character(char) is not None), hex(code)
    assert (
        pattern.search("正文\u202e倒序")
        and pattern.search("a\x00")
        and not pattern.search("甲\t乙\n👨\u200d👩")
    )


def test_the_shipped_control_ranges_are_this_pythons_unicode() -> None:
    # Validation uses the shipped table for the running Python's Unicode version instead of scanning
    # every code point; the table must be what the scan finds (the suite runs on 3.11, CI's Python).
    assert KNOWN_CONTROL_RANGES[unicodedata.unidata_version] == control_ranges()
