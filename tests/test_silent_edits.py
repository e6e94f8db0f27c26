"""Silent edits of the same byte length: a published record changed in place, its file as long as
before (同意 → 弃权, 推进中 → 已完成, 3 → 5, one date for another), is refused in every table of a
package like any other edit, naming the file, the row, the record and the field, and the site
already published stays byte for byte what it was."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.build import BuildFailed, build
from generator.core.messages import table_title
from generator.core.schema import PACKAGE_RESOURCES, field_info

from .conftest import MINI_DATA
from .test_site import tree_digest

Q1 = Path("fgw") / "2025Q1"

# (table, row of the file, record id, field, (published value, edited value), text of the line, its
# edit): each
# edit keeps the line's byte length and the data valid, so only the published-records check can
# stop it.
EDITS = [
    ("members", 3, "fgw-m02", "name", ("李某", "赵某"), "fgw-m02,李某,", "fgw-m02,赵某,"),
    ("power_list", 3, "qz-002", "risk_level", ("中", "低"), "12345 热线,中", "12345 热线,低"),
    ("power_steps", 2, "qz-001/1", "time_limit", ("3 个工作日", "5 个工作日"), "投资科,3 ", "投资科,5 "),
    (
        "negative_list",
        2,
        "fm-001",
        "consequence",
        ("依规依纪追究责任", "依规依纪严肃问责"),
        "追究责任",
        "严肃问责",
    ),
    ("meetings", 3, "hy2025-002", "date", ("2025-03-20", "2025-03-21"), ",2025-03-20,", ",2025-03-21,"),
    ("decisions", 2, "jc2025-001", "execution_status", ("推进中", "已完成"), ",推进中,", ",已完成,"),
    ("decisions", 2, "jc2025-001", "amount_yuan", ("320000000", "420000000"), ",320000000,", ",420000000,"),
    ("stances", 3, "jc2025-001/2", "stance", ("同意", "弃权"), "fgw-m02,同意,", "fgw-m02,弃权,"),
    ("hearings", 2, "tz2025-001", "date", ("2025-01-08", "2025-01-09"), ",2025-01-08,", ",2025-01-09,"),
    ("hearings", 2, "tz2025-001", "satisfaction_rate", ("95.5", "96.5"), ",95.5", ",96.5"),
]


def test_every_table_of_a_package_has_a_same_length_edit() -> None:
    assert {table for table, *_ in EDITS} == set(PACKAGE_RESOURCES)


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini data published once: the previous release that the edited data is compared with."""
    site = tmp_path_factory.mktemp("release") / "site"
    build(MINI_DATA, site, log=None)
    return site


def edit_in_place(path: Path, row: int, old: str, new: str) -> None:
    """Replace ``old`` by ``new`` on line ``row`` of the file, keeping every other byte."""
    assert len(old.encode("utf-8")) == len(new.encode("utf-8")) and old != new
    before = path.read_bytes()
    lines = before.decode("utf-8").splitlines(keepends=True)
    assert lines[row - 1].count(old) == 1, lines[row - 1]
    lines[row - 1] = lines[row - 1].replace(old, new)
    after = "".join(lines).encode("utf-8")
    assert len(after) == len(before) and after != before
    path.write_bytes(after)


@pytest.mark.parametrize(
    ("table", "row", "record", "field", "values", "old", "new"),
    EDITS,
    ids=[f"{table}.{field}" for table, _, _, field, *_ in EDITS],
)
def test_a_same_length_silent_edit_is_refused(
    release: Path,
    mini_data: Path,
    tmp_path: Path,
    table: str,
    row: int,
    record: str,
    field: str,
    values: tuple[str, str],
    old: str,
    new: str,
) -> None:
    site = tmp_path / "site"
    shutil.copytree(release, site)
    before = tree_digest(site)
    data_file = mini_data / Q1 / f"{table}.csv"
    published = site / "downloads" / Q1 / f"{table}.csv"
    assert published.read_bytes() == data_file.read_bytes(), "the published copy is the data as it was"
    edit_in_place(data_file, row, old, new)
    assert published.stat().st_size == data_file.stat().st_size

    with pytest.raises(BuildFailed) as failed:
        build(mini_data, site, log=None)
    message = failed.value.message
    label = field_info(table, field)
    assert label is not None and label.label.endswith(f"（{field}）")
    assert f"fgw/2025Q1/{table}.csv 第 {row} 行“{label.label}”" in message, message
    assert f"已公开的{table_title(table)}“{record}”" in message, message
    assert f"上次发布为“{values[0]}”，现为“{values[1]}”" in message
    assert f"record_id 填 {record}，field 填 {field}" in message
    assert "未生成网站" in message
    assert "Traceback" not in message
    assert tree_digest(site) == before
