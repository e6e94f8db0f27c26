"""The bulk downloads are joined from per-package slices: check the joins as their readers do.

Each package's share of every bulk file is made once and kept in the build cache
(``generator.export.slices``); compressed shares are raw deflate fragments joined into one stream,
whose CRC-32 is combined from theirs (``generator.core.archive``). These tests read what is joined
with independent readers (``zipfile``, openpyxl, ``csv``) and hold each workbook against its CSV,
cell by cell, so that a cell moved by one column, a row lost at a package's edge or a bad CRC
fails here.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import zipfile
import zlib
from pathlib import Path

import pytest
from openpyxl import load_workbook

from generator.build import build
from generator.core import archive
from generator.core.archive import ZipWriter, crc32_combine, deflate
from generator.export.tables import STANCE_DETAILS, TABLES

from .test_incremental import _cold, _correct_a_title, _differences, _retitle_portal, flip_a_byte

ALL = "downloads/all"


def test_a_combined_crc_is_the_crc_of_the_joined_content() -> None:
    chance = random.Random(7)
    for _ in range(300):
        first = chance.randbytes(chance.randint(0, 3000))
        second = chance.randbytes(chance.choice([0, 1, 7, 4096, chance.randint(0, 200_000)]))
        assert crc32_combine(zlib.crc32(first), zlib.crc32(second), len(second)) == zlib.crc32(first + second)


def test_pieces_compressed_apart_join_into_one_entry_every_reader_accepts() -> None:
    parts = [b"", "示例市，张某\n".encode() * 3000, bytes(range(256)) * 40, b"", b"end"]
    writer = ZipWriter()
    writer.add_pieces("sheet.xml", [deflate(part) for part in parts])
    writer.add("说明.txt", "第二个条目".encode())
    writer.add("empty", b"")
    with zipfile.ZipFile(io.BytesIO(writer.getvalue())) as zipped:
        assert zipped.testzip() is None  # every entry's CRC checks
        assert zipped.namelist() == ["sheet.xml", "说明.txt", "empty"]
        assert zipped.read("sheet.xml") == b"".join(parts)
        assert zipped.read("说明.txt").decode() == "第二个条目"
        assert zipped.read("empty") == b""
        assert all(info.date_time == archive.ZIP_DATE for info in zipped.infolist())


def test_zip64_records_are_written_where_sizes_offsets_or_counts_need_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Sizes past the limit (here lowered to 1,000 bytes, so that the test stays small) and more
    than 65,535 entries are written in ZIP64 records, which zipfile reads."""
    monkeypatch.setattr(archive, "_LIMIT", 1000)
    writer = ZipWriter()
    big = bytes(range(256)) * 20
    writer.add("big", big)
    writer.add("after", b"x" * 10)  # its offset is past the limit
    data = writer.getvalue()
    with zipfile.ZipFile(io.BytesIO(data)) as zipped:
        assert zipped.testzip() is None and zipped.read("big") == big and zipped.read("after") == b"x" * 10
    monkeypatch.undo()
    many = ZipWriter()
    for number in range(70_000):
        many.add(f"{number:05d}", b"")
    with zipfile.ZipFile(io.BytesIO(many.getvalue())) as zipped:
        names = zipped.namelist()
        assert len(names) == 70_000 and names[-1] == "69999"


def _same(value: object, text: str) -> bool:
    """Whether a workbook cell holds what the CSV says (numbers as numbers, dates as dates)."""
    if value is None:
        return text == ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() == text
    if isinstance(value, int | float):
        return float(text) == value
    return value == text


def _holds(sheet: object, rows: list[list[str]]) -> None:
    got = list(sheet.iter_rows(min_row=2, values_only=True))  # type: ignore[attr-defined]
    assert len(got) == len(rows)
    for number, (cells, row) in enumerate(zip(got, rows, strict=True), start=2):
        cells = (*cells, *[None] * (len(row) - len(cells)))
        assert len(cells) == len(row), number
        assert all(_same(v, t) for v, t in zip(cells, row, strict=True)), (number, cells, row)


def _csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))[1:]


@pytest.mark.parametrize("table", [*TABLES, STANCE_DETAILS])
def test_every_workbook_holds_exactly_its_csv_cell_by_cell(demo_site: Path, table: str) -> None:
    rows = _csv(demo_site / ALL / f"{table}.csv")
    _holds(load_workbook(demo_site / ALL / f"{table}.xlsx", read_only=True).worksheets[0], rows)
    if table in TABLES:
        whole = load_workbook(demo_site / ALL / "gongkai-all.xlsx", read_only=True)
        _holds(whole.worksheets[TABLES.index(table)], rows)


def test_the_bulk_zips_hold_the_csv_files_and_packages_as_published(demo_site: Path) -> None:
    with zipfile.ZipFile(demo_site / ALL / "gongkai-all.zip") as zipped:
        assert zipped.testzip() is None
        for table in TABLES:
            assert zipped.read(f"{table}.csv") == (demo_site / ALL / f"{table}.csv").read_bytes()
    with zipfile.ZipFile(demo_site / ALL / "gongkai-packages.zip") as zipped:
        assert zipped.testzip() is None
        names = zipped.namelist()
        assert names == sorted(names)
        for name in names:
            published = demo_site / "downloads" / name.removeprefix("gongkai-packages/")
            assert zipped.read(name) == published.read_bytes(), name


def test_a_correction_makes_one_packages_share_and_a_flipped_cached_byte_only_costs_time(
    mini_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "own-cache"
    monkeypatch.setenv("GONGKAI_CACHE_DIR", str(cache))
    out = tmp_path / "site"
    first = build(mini_data, out, log=None)
    packages = len(list(cache.glob("bulk-tables/*/slices.bin")))
    assert first.bulk_packages == packages == len(list(cache.glob("bulk-details/*/slices.bin"))) > 2
    _correct_a_title(mini_data)
    assert build(mini_data, out, log=None).bulk_packages == 1  # the corrected package only
    monkeypatch.delenv("GONGKAI_CACHE_DIR")
    assert _differences(out, _cold(mini_data, tmp_path, "corrected", monkeypatch)) == []
    # Every cached slice altered: the entries fail their check, the slices are made again.
    monkeypatch.setenv("GONGKAI_CACHE_DIR", str(cache))
    flip_a_byte(cache.glob("bulk-*/*/slices.bin"))
    # The bulk files are made again (their 说明 names the portal); no slice changes.
    _retitle_portal(mini_data)
    assert build(mini_data, out, log=None).bulk_packages == packages
    monkeypatch.delenv("GONGKAI_CACHE_DIR")
    assert _differences(out, _cold(mini_data, tmp_path, "flipped", monkeypatch)) == []


def test_the_bulk_files_data_date_is_the_latest_hearing_when_a_hearing_is_latest(
    mini_data: Path, tmp_path: Path
) -> None:
    """The workers that write the workbooks and the database never load the records: they take the
    data's date (数据截至) from the packages' slices. A public hearing held after every meeting makes
    that date, as it makes the catalog's."""
    import json
    import sqlite3

    source = mini_data / "fgw" / "2025Q1" / "hearings.csv"
    with source.open(encoding="utf-8", newline="") as handle:
        header, row = list(csv.reader(handle))[:2]
    late = dict(zip(header, row, strict=True)) | {
        "hearing_id": "tz2025-009",
        "date": "2025-06-20",
        "decision_id": "",
        "subject": "城区停车收费调整公开征求意见",
    }
    target = mini_data / "fgw" / "2025Q2" / "hearings.csv"
    with target.open("a", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerow([late[name] for name in header])
    site = tmp_path / "site"
    build(mini_data, site, log=None)
    db = sqlite3.connect(f"file:{site / ALL / 'gongkai.db'}?mode=ro", uri=True)
    assert dict(db.execute("SELECT key, value FROM about"))["数据截至"] == "2025-06-20"
    book = load_workbook(site / ALL / "gongkai-all.xlsx", read_only=True)
    assert dict(book["说明"].iter_rows(values_only=True))["数据截至"] == "2025-06-20"
    assert json.loads((site / "catalog.jsonld").read_text(encoding="utf-8"))["modified"] == "2025-06-20"
