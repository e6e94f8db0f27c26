"""How a validated package's CSV is read into typed rows (``generator.sources.load.read_table``), and
the control-character class that validation searches every cell with."""

from __future__ import annotations

import dataclasses
import unicodedata
from pathlib import Path

from generator.core.cache import Cache
from generator.core.config import control_character
from generator.core.model import (
    Correction,
    Decision,
    Hearing,
    Meeting,
    Member,
    NegativeItem,
    PowerItem,
    PowerStep,
    Progress,
    Stance,
    Withdrawal,
)
from generator.core.schema import table_schema
from generator.sources.load import read_package, read_table, recall_package
from generator.validate.base import KNOWN_CONTROL_RANGES, _control_pattern, control_ranges

from .test_site import rewrite_csv


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


def test_the_models_fields_follow_the_schemas_order() -> None:
    """A package's rows are built into records by position (``generator.sources.load``): each
    record's fields start with its table's columns in the schema's order (the row number next), but
    for the column that links a power step to its item and a stance to its decision, read first."""
    linked = {"power_steps": "item_id", "stances": "decision_id"}
    models = {
        "members": Member, "power_list": PowerItem, "power_steps": PowerStep,
        "negative_list": NegativeItem, "meetings": Meeting, "decisions": Decision, "hearings": Hearing,
        "stances": Stance, "corrections": Correction, "progress": Progress, "withdrawals": Withdrawal,
    }  # fmt: skip
    for table, model in models.items():
        columns = [f["name"] for f in table_schema(table)["fields"]]
        if table in linked:
            assert columns[0] == linked[table]
            columns = columns[1:]
        names = [f.name for f in dataclasses.fields(model)]
        assert names[: len(columns)] == columns, table
        if table in ("members", "meetings", "decisions"):
            assert names[len(columns)] == "row", table


def test_a_packages_rows_are_kept_and_read_again_only_when_its_files_change(
    mini_data: Path, tmp_path: Path
) -> None:
    """Each package's typed rows are kept in the build cache under a key of its files' hashes: the
    same rows as parsed, a changed file parsed again, a damaged entry a miss."""
    (tmp_path / "cache").mkdir()
    cache = Cache(tmp_path / "cache", b"k" * 32)
    package = mini_data / "fgw" / "2025Q1"
    parsed, files = read_package(package)
    assert set(parsed) >= {"members", "decisions", "stances"} and "decisions.csv" in files
    assert read_package(package, cache, "fgw/2025Q1") == (parsed, files)  # made and kept
    kept = list((tmp_path / "cache").glob("rows-*"))
    assert len(kept) == 1
    stamp = kept[0].stat().st_mtime_ns
    assert read_package(package, cache, "fgw/2025Q1") == (parsed, files)  # read back, not parsed
    assert kept[0].stat().st_mtime_ns == stamp
    rewrite_csv(package / "decisions.csv", {"execution_note": "已签订合同"})
    changed, _files = read_package(package, cache, "fgw/2025Q1")
    assert changed == read_package(package)[0] != parsed
    assert "已签订合同" in changed["decisions"][0]
    data = bytearray(kept[0].read_bytes())
    data[len(data) // 2] ^= 1
    kept[0].write_bytes(bytes(data))
    assert read_package(package, cache, "fgw/2025Q1")[0] == changed  # a miss: parsed again


def test_a_packages_rows_are_recalled_as_kept_and_never_parsed_by_recall(
    mini_data: Path, tmp_path: Path
) -> None:
    """``recall_package`` (while the changed packages are validated) gives what ``read_package``
    gives for a package the cache keeps as its files are now, and None for one it does not keep:
    a changed package is not parsed before it is validated."""
    (tmp_path / "cache").mkdir()
    cache = Cache(tmp_path / "cache", b"k" * 32)
    package = mini_data / "fgw" / "2025Q1"
    assert recall_package(package, cache, "fgw/2025Q1") is None  # not kept yet
    assert not list((tmp_path / "cache").glob("rows-*"))  # and nothing made
    kept = read_package(package, cache, "fgw/2025Q1")
    assert recall_package(package, cache, "fgw/2025Q1") == kept
    rewrite_csv(package / "decisions.csv", {"execution_note": "已签订合同"})
    assert recall_package(package, cache, "fgw/2025Q1") is None
    assert recall_package(mini_data / "fgw" / "2099Q1", cache, "fgw/2099Q1") is None  # no such folder
