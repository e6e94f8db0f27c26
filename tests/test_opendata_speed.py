"""The fast paths of the open-data stage give exactly what the plain ones give, and fail cleanly.

The JSON API is written by a fast indent-1 writer and, together with the bulk files, partly by a
forked worker process; the manifest takes the hashes recorded while writing. These tests hold
each shortcut against the slow, obvious way, and break the worker for real to see the build fail
in Chinese with the last good site left alone.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
from pathlib import Path

import pytest

from generator.build import build
from generator.cli import main
from generator.export import jsonout
from generator.export.tables import _read

ALL = "downloads/all"


@pytest.mark.parametrize(
    "value",
    [
        {},
        [],
        {"a": [], "b": {}, "c": [[], [{}]]},
        [0, -1, 10**30, 2.5, -0.0, 1e300, 1e-7, float("nan"), float("inf"), -float("inf")],
        [True, False, None, "", "示例市", '张某\n“引号”"\\\t\u2028\x00\x1f'],
        {"外层": {"内层": [1, {"x": None, "y": [True, "是"]}], "空": ""}},
        (1, (2, {"t": ()})),
        {1: "integer key", None: "null key", 2.5: "float key"},
    ],
)
def test_fast_json_is_byte_identical_to_the_standard_library(value: object) -> None:
    assert jsonout.dumps_indented(value) == json.dumps(value, ensure_ascii=False, indent=1)


def test_every_published_json_file_is_what_the_standard_library_writes(demo_site: Path) -> None:
    """The catalogs indented by one space; the JSON API's files compact (no white space between
    values: they are tens of thousands); all UTF-8, unescaped, with a final newline."""
    api = sorted((demo_site / "api").rglob("*.json"))
    assert len(api) > 100
    for path in api:
        text = path.read_text(encoding="utf-8")
        assert text == json.dumps(json.loads(text), ensure_ascii=False, separators=(",", ":")) + "\n", path
    for path in (demo_site / "catalog.jsonld", demo_site / "data.json"):
        text = path.read_text(encoding="utf-8")
        assert text == json.dumps(json.loads(text), ensure_ascii=False, indent=1) + "\n", path


def test_the_manifest_lists_every_covered_file_with_its_real_size_and_hash(demo_site: Path) -> None:
    manifest = json.loads((demo_site / "manifest.json").read_text(encoding="utf-8"))
    on_disk = {"catalog.jsonld", "data.json"}
    for folder in ("downloads", "api", "feeds"):
        on_disk |= {
            p.relative_to(demo_site).as_posix()
            for p in (demo_site / folder).rglob("*")
            if p.is_file() and p.suffix != ".html"
        }
    listed = {f["path"]: f for f in manifest["files"]}
    assert set(listed) == on_disk
    assert [f["path"] for f in manifest["files"]] == sorted(on_disk)
    for path, entry in listed.items():
        data = (demo_site / path).read_bytes()
        assert entry["size"] == len(data) and entry["sha256"] == hashlib.sha256(data).hexdigest(), path


def test_rows_read_as_a_dict_reader_reads_them(tmp_path: Path) -> None:
    """Columns in another order, one missing, an extra one, a blank line, a short and a long row."""
    source = tmp_path / "meetings.csv"
    source.write_text(
        "date,meeting_id,extra\n2025-01-02,M1,x\n\n2025-01-03\n2025-01-04,M3,y,z\n", encoding="utf-8"
    )
    from generator.core.schema import field_names

    names = field_names("meetings")
    with source.open(encoding="utf-8", newline="") as handle:
        expected = [[row.get(n) or "" for n in names] for row in csv.DictReader(handle)]
    assert _read(source, "meetings") == expected
    assert len(expected) == 3


def _outputs(site: Path) -> dict[str, bytes]:
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for folder in ("api", ALL, "feeds")
        for p in sorted((site / folder).rglob("*"))
        if p.is_file()
    } | {name: (site / name).read_bytes() for name in ("manifest.json", "catalog.jsonld")}


def test_without_fork_the_open_data_is_the_same(mini_data: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("GONGKAI_CACHE_DIR", str(tmp_path / "cache-a"))
    build(mini_data, tmp_path / "forked", log=None)
    import multiprocessing

    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    monkeypatch.setenv("GONGKAI_CACHE_DIR", str(tmp_path / "cache-b"))
    build(mini_data, tmp_path / "inline", log=None)
    assert _outputs(tmp_path / "forked") == _outputs(tmp_path / "inline")


@pytest.mark.parametrize("how", ["raises", "dies"])
def test_a_failing_worker_fails_the_build_in_chinese_and_keeps_the_site(
    mini_data: Path, tmp_path: Path, monkeypatch, capsys, how: str
) -> None:
    out = tmp_path / "site"
    monkeypatch.setenv("GONGKAI_CACHE_DIR", str(tmp_path / "cache"))
    assert main(["build", "--data", str(mini_data), "--out", str(out), "--quiet"]) == 0
    before = (out / "manifest.json").read_bytes()
    capsys.readouterr()

    def broken(*args: object, **kwargs: object) -> None:  # runs in the forked worker
        if how == "dies":
            os._exit(3)
        raise OSError(28, "No space left on device")

    import generator.export.bulk as bulk

    monkeypatch.setattr(bulk, "write_bulk_tables", broken)
    monkeypatch.setenv("GONGKAI_CACHE_DIR", str(tmp_path / "cold"))  # a cache miss: the worker writes
    assert main(["build", "--data", str(mini_data), "--out", str(out)]) != 0
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "开放数据：写入全站批量下载文件" in err and "网站未更新" in err
    assert ("退出码 3" if how == "dies" else "No space left on device") in err
    assert (out / "manifest.json").read_bytes() == before
    assert not list(tmp_path.glob(".site.building-*"))


def test_started_early_or_within_the_stage_the_open_data_is_the_same(
    mini_data: Path, tmp_path: Path, monkeypatch
) -> None:
    """build() starts the worker right after loading; export_open_data alone starts its own."""
    monkeypatch.setenv("GONGKAI_CACHE_DIR", str(tmp_path / "cache-a"))
    build(mini_data, tmp_path / "early", log=None)
    import generator.build as pipeline

    monkeypatch.setattr(pipeline, "start_open_data", lambda *args: None)
    monkeypatch.setenv("GONGKAI_CACHE_DIR", str(tmp_path / "cache-b"))
    build(mini_data, tmp_path / "within", log=None)
    assert _outputs(tmp_path / "early") == _outputs(tmp_path / "within")
    assert (tmp_path / "early" / "api" / "index.html").is_file()  # MkDocs' page, merged with the API
