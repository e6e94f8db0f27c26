"""The workbook import's edges, called in the test process (docs/mutation.md: the last survivors of
``generator/intake/importer.py``): a workbook of exactly its size limit, a member packed exactly at
the ratio limit, a sheet of exactly Excel's row limit, a data tree with a file over its limit, and
the notes an import passes on about other packages."""

from __future__ import annotations

import shutil
import struct
import zipfile
from pathlib import Path
from typing import Any

import pytest

from generator.intake import PublishError, parse_period
from generator.intake.base import MAX_RATIO
from generator.intake.importer import (
    EXCEL_MAX_ROWS,
    Bounds,
    _sheet_rows,
    check_workbook_archive,
    import_source,
)

MB = 1 << 20


def stored_zip(path: Path, size: int) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("x.bin", b"\0" * size)


def test_a_workbook_of_exactly_its_size_limit_is_opened(tmp_path: Path) -> None:
    book = tmp_path / "b.xlsx"
    stored_zip(book, MB)
    overhead = book.stat().st_size - MB
    stored_zip(book, MB - overhead)  # the file: exactly 1 MB
    assert book.stat().st_size == MB
    assert check_workbook_archive(book, Bounds(1, 20, 100, 100)) is None
    stored_zip(book, MB - overhead + 1)
    with pytest.raises(PublishError) as refused:
        check_workbook_archive(book, Bounds(1, 20, 100, 100))
    assert str(refused.value).startswith(
        "工作簿“b.xlsx”有 1.0 MB，超过上限 1 MB（portal.yml 的 max_workbook_mb）"
    )


def declared(path: Path, file_size: int) -> None:
    """Make the zip directory declare ``file_size`` unpacked bytes for its one member (a zip bomb's lie)."""
    data = bytearray(path.read_bytes())
    central = data.index(b"PK\x01\x02")
    struct.pack_into("<I", data, central + 24, file_size)
    path.write_bytes(bytes(data))


def test_a_member_packed_exactly_at_the_ratio_limit_is_opened(tmp_path: Path) -> None:
    book = tmp_path / "r.xlsx"
    stored_zip(book, 10_000)
    declared(book, 10_000 * MAX_RATIO)  # 2,000,000 bytes from 10,000: exactly 200 times
    assert check_workbook_archive(book, Bounds(50, 20, 100, 100)) is None
    declared(book, 10_000 * MAX_RATIO + 10_000)
    with pytest.raises(PublishError) as refused:
        check_workbook_archive(book, Bounds(50, 20, 100, 100))
    assert str(refused.value).startswith(
        "工作簿“r.xlsx”中的“x.bin”压缩比高达 201 倍（正常的工作簿不超过 200 倍）"
    )


class Sheet:
    """A read-only worksheet of ``count`` blank rows (what openpyxl streams from a sheet's XML)."""

    def __init__(self, count: int) -> None:
        self.count = count

    def reset_dimensions(self) -> None:
        pass

    def iter_rows(self, **_: Any) -> Any:
        return ((None,) for _ in range(self.count))


def test_a_sheet_of_exactly_excels_row_limit_is_read_and_one_row_more_is_refused() -> None:
    assert len(_sheet_rows(Sheet(EXCEL_MAX_ROWS), "工作表“s”", Bounds(1, 1, 10, 10))) == EXCEL_MAX_ROWS
    with pytest.raises(PublishError) as refused:
        _sheet_rows(Sheet(EXCEL_MAX_ROWS + 1), "工作表“s”", Bounds(1, 1, 10, 10))
    assert str(refused.value) == "工作表“s”：行数超过 Excel 的上限 1,048,576 行，文件已损坏或被改造过。"


def test_an_import_refuses_a_data_tree_with_a_file_over_max_file_mb(mini_data: Path) -> None:
    config = mini_data / "portal.yml"
    config.write_text(config.read_text(encoding="utf-8") + "max_file_mb: 1\n", encoding="utf-8")
    (mini_data / "rmyy" / "2025Q1" / "notes.txt").write_bytes(b"x" * (MB + 1))
    source = mini_data.parent / "q3"
    shutil.copytree(mini_data / "fgw" / "2025Q2", source)
    with pytest.raises(PublishError) as refused:
        import_source(source, mini_data, "fgw", parse_period("2025Q3"))
    assert str(refused.value) == (
        f"以下文件超过上限 1 MB：{(mini_data / 'rmyy/2025Q1/notes.txt').as_posix()}（1.0 MB）。请检查文件是否有误；"
        "如确需公开这么大的文件，可在 portal.yml 中调高上限 max_file_mb。"
    )


def test_an_import_passes_on_what_is_wrong_in_other_packages(mini_data: Path) -> None:
    members = mini_data / "fgw" / "2025Q1" / "members.csv"  # the unit's earlier quarter
    members.write_text(members.read_text(encoding="utf-8").replace(",是,", ",否,", 1), encoding="utf-8")
    source = mini_data.parent / "q2"
    shutil.copytree(mini_data / "fgw" / "2025Q2", source)
    result = import_source(source, mini_data, "fgw", parse_period("2025Q2"), replace=True)
    assert result.ok and result.written
    assert len(result.notes) == 1 and "fgw/2025Q1/members.csv" in result.notes[0]
    assert "没有“是否主要负责人（is_principal）”为“是”的成员" in result.notes[0]
