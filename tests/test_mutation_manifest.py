"""The release manifest and its hash chain (``generator.release.manifest``), called in the test process.

A manifest read back from a previous site, a mirror or a live site may be hostile: every path in
it is judged by ``path_problem`` / ``manifest_problems`` before anything is read or written by it.
These tests pin each judgement at its edge, with its whole Chinese message, and what a release
writes (docs/mutation.md: they kill the mutants of ``generator/release/manifest.py``).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from generator.core.files import sha256_bytes
from generator.export import OpenDataError
from generator.release.manifest import (
    COVERED_DIRS,
    COVERED_FILES,
    FORMAT,
    MAX_LISTED,
    MAX_RELEASES,
    carry_releases,
    covered_files,
    dumps,
    file_entries,
    is_covered,
    manifest_problems,
    path_problem,
    read_previous,
    release_problem,
    shown,
    write_manifest,
)
from generator.sources.history import data_commit

SHA = "a" * 64
LONG = ('"' + "发" * 100)[:80]  # a long release value as shown: its JSON cut to 80 characters


# -- paths -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "problem"),
    [
        ("downloads/fgw/2025Q1/decisions.csv", None),
        ("data.json", None),
        ("a..b/c..", None),
        ("downloads/" + "数" * 85, None),  # a part of exactly 255 bytes
        ("d/" + "x" * 1022, "过长"),  # 1,024 characters in all, but one part of 1,022 bytes
        ("/".join(["x" * 200] * 5) + "/" + "y" * 19, None),  # exactly 1,024 characters
        ("/".join(["x" * 200] * 5) + "/" + "y" * 20, "过长"),  # 1,025
        ("downloads/" + "数" * 86, "过长"),  # 258 bytes
        (None, "不是文本"),
        (1, "不是文本"),
        ("", "为空"),
        ("a\x00b", "含控制字符"),
        ("a\nb", "含控制字符"),
        ("a\u200bb", "含控制字符"),  # Cf: zero-width space
        ("a\u2028b", "含控制字符"),  # Zl
        ("a\u2029b", "含控制字符"),  # Zp
        ("a\ud800b", "含控制字符"),  # Cs: a lone surrogate
        ("a b\u3000c", None),  # spaces are allowed
        ("a\\b", "含反斜杠（不是 POSIX 路径）"),
        ("/etc/passwd", "是绝对路径"),
        ("/../x", "是绝对路径"),
        ("a/../b", "含“..”（指向上级目录）"),
        ("..", "含“..”（指向上级目录）"),
        ("a//b", "含空的或“.”路径段"),
        ("a/./b", "含空的或“.”路径段"),
        ("a/", "含空的或“.”路径段"),
        (".", "含空的或“.”路径段"),
        (".git/config", "含以“.”开头的隐藏名称"),
        ("downloads/.htaccess", "含以“.”开头的隐藏名称"),
    ],
)
def test_a_path_a_manifest_may_name(path: object, problem: str | None) -> None:
    assert path_problem(path) == problem


def test_shown_escapes_control_characters_and_cuts_long_paths() -> None:
    assert shown("a\nb\x1b") == "a\\nb\\x1b"
    assert shown("x" * 120) == "x" * 120
    assert shown("x" * 121) == "x" * 120 + "…"
    assert shown("数据" * 10, 5) == "数据数据数…"
    assert shown("a\u200bb") == "a\\u200bb"
    assert shown("中文 路径") == "中文 路径"


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (1, None),
        (MAX_RELEASES, None),
        (0, "发布序号（release）0 不在 1 至 100,000 之间，不可能是真实的发布历史"),
        (-3, "发布序号（release）-3 不在 1 至 100,000 之间，不可能是真实的发布历史"),
        (MAX_RELEASES + 1, "发布序号（release）100001 不在 1 至 100,000 之间，不可能是真实的发布历史"),
        (10**40, f"发布序号（release）{str(10**40)[:30]} 不在 1 至 100,000 之间，不可能是真实的发布历史"),
        (True, "发布序号（release）应为正整数，实为“true”"),
        ("1", '发布序号（release）应为正整数，实为“"1"”'),
        (1.0, "发布序号（release）应为正整数，实为“1.0”"),
        (None, "发布序号（release）应为正整数，实为“null”"),
        ("发" * 100, "发布序号（release）应为正整数，实为“" + LONG + "”"),
    ],
)
def test_a_release_number(value: object, problem: str | None) -> None:
    assert release_problem(value) == problem


# -- a whole manifest ----------------------------------------------------------------------------------


def manifest(release: int = 2, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "format": FORMAT,
        "release": release,
        "changes": {"path": f"releases/{release}/changes.json", "size": 3, "sha256": SHA},
        "previous": {"release": release - 1, "path": f"releases/{release - 1}/manifest.json", "sha256": SHA}
        if release > 1
        else None,
        "files": [
            {"path": "downloads/a.csv", "size": 0, "sha256": SHA},
            {"path": "data.json", "size": 5, "sha256": SHA},
        ],
    }
    data.update(changes)
    return data


def test_a_good_manifest_has_no_problems() -> None:
    assert manifest_problems("m.json", manifest()) == []
    assert manifest_problems("m.json", manifest(1)) == []
    assert manifest_problems("m.json", manifest(2), release=2) == []
    assert manifest_problems("m.json", manifest(changes=None)) == []  # releases before change lists
    assert manifest_problems("m.json", manifest(files=[])) == []


@pytest.mark.parametrize("data", [None, [], "x", {"format": "other"}, {"release": 1}])
def test_not_a_manifest(data: object) -> None:
    assert manifest_problems("m.json", data) == [
        "m.json：不是 gongkai 发布清单（format 不是 gongkai-release-manifest）或已损坏。"
    ]


def test_a_bad_or_unexpected_release_number_stops_there() -> None:
    assert manifest_problems("m.json", manifest(release=0, files=None)) == [
        "m.json：发布序号（release）0 不在 1 至 100,000 之间，不可能是真实的发布历史。"
    ]
    assert manifest_problems("m.json", manifest(3, files=None), release=2) == [
        "m.json：发布序号（release）为 3，应为 2。"
    ]
    assert manifest_problems("m.json", {**manifest(2), "release": "2"}) == [
        'm.json：发布序号（release）应为正整数，实为“"2"”。'
    ]


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"path": "releases/1/changes.json", "size": 3, "sha256": SHA}, "的路径“releases/1/changes.json”不是 releases/2/changes.json"),
        ({"path": "../x", "size": 3, "sha256": SHA}, "的路径“../x”不是 releases/2/changes.json"),
        ({"path": 5, "size": 3, "sha256": SHA}, "的路径“5”不是 releases/2/changes.json"),
        ({"path": "releases/2/changes.json", "size": -1, "sha256": SHA}, "（releases/2/changes.json）的大小（size）不是非负整数"),
        ({"path": "releases/2/changes.json", "size": True, "sha256": SHA}, "（releases/2/changes.json）的大小（size）不是非负整数"),
        ({"path": "releases/2/changes.json", "size": 1.5, "sha256": SHA}, "（releases/2/changes.json）的大小（size）不是非负整数"),
        ({"path": "releases/2/changes.json", "sha256": SHA}, "（releases/2/changes.json）的大小（size）不是非负整数"),
        ({"path": "releases/2/changes.json", "size": 0, "sha256": "A" * 64}, "（releases/2/changes.json）的 SHA-256 不是 64 位十六进制小写字符"),
        ({"path": "releases/2/changes.json", "size": 0, "sha256": SHA + "0"}, "（releases/2/changes.json）的 SHA-256 不是 64 位十六进制小写字符"),
        ({"path": "releases/2/changes.json", "size": 0, "sha256": 5}, "（releases/2/changes.json）的 SHA-256 不是 64 位十六进制小写字符"),
        ({"path": "releases/2/changes.json", "size": 0}, "（releases/2/changes.json）的 SHA-256 不是 64 位十六进制小写字符"),
        ("releases/2/changes.json", "不是对象"),
    ],
)  # fmt: skip
def test_the_change_list_entry(changes: object, problem: str) -> None:
    assert manifest_problems("m.json", manifest(changes=changes)) == [
        f"m.json：更新记录条目（changes）{problem}，已拒绝。"
    ]


def test_the_first_release_points_nowhere() -> None:
    assert manifest_problems("m.json", manifest(1, previous={"release": 0})) == [
        "m.json：第 1 次发布不应指向更早的发布（previous）。"
    ]


@pytest.mark.parametrize(
    "previous",
    [
        None,
        "releases/2/manifest.json",
        {"release": 1, "path": "releases/2/manifest.json", "sha256": SHA},
        {"release": 3, "path": "releases/2/manifest.json", "sha256": SHA},
        {"release": "2", "path": "releases/2/manifest.json", "sha256": SHA},
        {"release": 2, "path": "releases/2/../2/manifest.json", "sha256": SHA},
        {"release": 2, "path": "releases/2/manifest.json", "sha256": 1},
        {"release": 2, "path": "releases/2/manifest.json", "sha256": "A" * 64},
        {"release": 2, "path": "releases/2/manifest.json"},
    ],
)
def test_a_later_release_points_at_the_one_before(previous: object) -> None:
    assert manifest_problems("m.json", manifest(3, previous=previous)) == [
        "m.json：第 3 次发布的清单没有按格式指向第 2 次发布（previous 应含 release、path releases/2/manifest.json 和 SHA-256）。"
    ]
    assert (
        manifest_problems("m.json", manifest(3, previous={"release": 2, "sha256": SHA})) == []
    )  # path may be left out


def test_files_must_be_a_list() -> None:
    assert manifest_problems("m.json", manifest(1, files=None, previous=3)) == [
        "m.json：第 1 次发布不应指向更早的发布（previous）。",
        "m.json：文件列表（files）缺失或不是列表。",
    ]
    assert manifest_problems("m.json", manifest(files={"path": "data.json"})) == [
        "m.json：文件列表（files）缺失或不是列表。"
    ]


def test_every_file_entry_is_judged() -> None:
    files = [
        {"path": "downloads/a.csv", "size": 0, "sha256": SHA},
        "downloads/b.csv",
        {"path": "index.html", "size": 0, "sha256": SHA},
        {"path": "downloads", "size": 0, "sha256": SHA},
        {"path": "other/downloads/x", "size": 0, "sha256": SHA},
        {"path": "../downloads/x", "size": 0, "sha256": SHA},
        {"path": ["x"], "size": 0, "sha256": SHA},
        {"path": "downloads/a.csv", "size": 1, "sha256": SHA},
        {"path": "api/x.json", "size": -1, "sha256": SHA},
        {"path": "feeds/x.xml", "size": 0, "sha256": "b" * 63},
        {"path": "catalog.jsonld", "size": 0, "sha256": SHA},
        {"path": "data.json", "size": 0, "sha256": SHA},
    ]
    outside = "不在发布清单覆盖的范围内（catalog.jsonld、data.json 或 downloads/、api/、feeds/ 下的文件）"
    assert manifest_problems("m.json", manifest(files=files)) == [
        "m.json：文件条目 2不是对象，已拒绝（未读取、未写入）。",
        f"m.json：文件条目 3的路径“index.html”{outside}，已拒绝（未读取、未写入）。",
        f"m.json：文件条目 4的路径“downloads”{outside}，已拒绝（未读取、未写入）。",
        f"m.json：文件条目 5的路径“other/downloads/x”{outside}，已拒绝（未读取、未写入）。",
        "m.json：文件条目 6的路径“../downloads/x”含“..”（指向上级目录），已拒绝（未读取、未写入）。",
        'm.json：文件条目 7的路径“["x"]”不是文本，已拒绝（未读取、未写入）。',
        "m.json：文件条目 8（downloads/a.csv）重复，已拒绝（未读取、未写入）。",
        "m.json：文件条目 9（api/x.json）的大小（size）不是非负整数，已拒绝（未读取、未写入）。",
        "m.json：文件条目 10（feeds/x.xml）的 SHA-256 不是 64 位十六进制小写字符，已拒绝（未读取、未写入）。",
    ]


def test_a_file_that_is_also_the_folder_of_another_is_refused() -> None:
    files = [
        {"path": "downloads/a", "size": 0, "sha256": SHA},
        {"path": "downloads/a/b/c.csv", "size": 0, "sha256": SHA},
        {"path": "downloads/a/b", "size": 0, "sha256": SHA},
        {"path": "downloads/ab/c.csv", "size": 0, "sha256": SHA},
    ]
    assert manifest_problems("m.json", manifest(files=files)) == [
        "m.json：文件条目“downloads/a”同时是“downloads/a/b”所在的目录，已拒绝。",
        "m.json：文件条目“downloads/a/b”同时是“downloads/a/b/c.csv”所在的目录，已拒绝。",
    ]


def test_at_most_twenty_bad_entries_are_listed_then_counted() -> None:
    bad = [{"path": f"x{n}", "size": 0, "sha256": SHA} for n in range(MAX_LISTED + 3)]
    problems = manifest_problems("m.json", manifest(files=bad))
    assert len(problems) == MAX_LISTED + 1 and MAX_LISTED == 20
    assert problems[-2].startswith("m.json：文件条目 20的路径“x19”")
    assert problems[-1] == "m.json：另有 3 个文件条目有同样的问题。"
    exactly = manifest_problems("m.json", manifest(files=bad[:MAX_LISTED]))
    assert len(exactly) == MAX_LISTED and exactly[-1].startswith("m.json：文件条目 20的路径")


# -- the files a release covers -------------------------------------------------------------------------


def site_with_files(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    for path, text in {
        "data.json": "{}",
        "catalog.jsonld": "[]",
        "downloads/b/2.csv": "b",
        "downloads/a.csv": "a",
        "downloads/a/1.csv": "a1",
        "downloads/index.html": "<p>",
        "api/x.json": "1",
        "feeds/all.xml": "<feed/>",
        "decisions/u/d/index.html": "<p>",
        "other.json": "{}",
        "releases/1/manifest.json": "{}",
    }.items():
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_text(text, encoding="utf-8")
    (site / "downloads/folder.csv").mkdir()
    return site


def test_covered_files_are_the_data_downloads_api_feeds_and_catalog(tmp_path: Path) -> None:
    assert COVERED_DIRS == ("downloads", "api", "feeds") and COVERED_FILES == ("catalog.jsonld", "data.json")
    assert covered_files(site_with_files(tmp_path)) == [
        "api/x.json",
        "catalog.jsonld",
        "data.json",
        "downloads/a.csv",
        "downloads/a/1.csv",
        "downloads/b/2.csv",
        "feeds/all.xml",
    ]
    assert covered_files(tmp_path / "empty") == []


def test_is_covered_says_of_every_path_what_covered_files_finds(tmp_path: Path) -> None:
    # ``is_covered`` answers for the kept files of a rebuild without a walk: it must agree with the
    # walk on every name, dotted, doubled or suffixed ones too (``..html`` has no suffix for splitext).
    site = site_with_files(tmp_path)
    names = ["a.html", ".html", "..html", ".a.html", "a..html", "a.htm", "a.HTML", "a.html.gz", "html", "x"]
    paths = [
        f"{top}/{sub}{name}"
        for top in ("downloads", "api", "feeds", "units", "apix")
        for sub in ("", "d/")
        for name in names
    ]
    for path in paths:
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_text("x", encoding="utf-8")
    found = set(covered_files(site))
    assert "downloads/..html" in found and "api/d/a.html" not in found and "units/x" not in found
    for path in [*paths, *COVERED_FILES, "other.json", "decisions/u/d/index.html"]:
        assert is_covered(path) == (path in found), path


def test_file_entries_hash_what_they_must_and_trust_what_was_written(tmp_path: Path) -> None:
    site = site_with_files(tmp_path)
    entries = file_entries(site, known={"api/x.json": "k" * 64}, written={"feeds/all.xml": (99, "w" * 64)})
    assert entries[0] == {"path": "api/x.json", "size": 1, "sha256": "k" * 64}
    assert entries[3] == {"path": "downloads/a.csv", "size": 1, "sha256": sha256_bytes(b"a")}
    assert entries[-1] == {"path": "feeds/all.xml", "size": 99, "sha256": "w" * 64}
    assert file_entries(site) == [
        {"path": p, "size": (site / p).stat().st_size, "sha256": sha256_bytes((site / p).read_bytes())}
        for p in covered_files(site)
    ]


# -- the data's commit ---------------------------------------------------------------------------------------


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=cwd, check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip


def test_the_data_commit_and_whether_the_data_has_changes(tmp_path: Path) -> None:
    assert data_commit(tmp_path) is None  # not in git
    assert data_commit(tmp_path / "missing") is None
    repo = tmp_path / "repo"
    (repo / "data").mkdir(parents=True)
    (repo / "data/a.csv").write_text("a\n", encoding="utf-8")
    (repo / "README").write_text("r\n", encoding="utf-8")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "x")
    head = git(repo, "rev-parse", "HEAD")
    assert data_commit(repo / "data") == {"commit": head, "dirty": False}
    (repo / "README").write_text("changed outside the data\n", encoding="utf-8")
    assert data_commit(repo / "data") == {"commit": head, "dirty": False}
    (repo / "data/new.csv").write_text("n\n", encoding="utf-8")
    assert data_commit(repo / "data") == {"commit": head, "dirty": True}
    git(repo, "init", "-q", str(tmp_path / "empty-repo"))
    assert data_commit(tmp_path / "empty-repo") is None  # no commit yet


# -- writing releases ------------------------------------------------------------------------------------------


def test_dumps_is_stable_readable_json() -> None:
    assert dumps({"b": "公开", "a": [1]}) == '{\n "b": "公开",\n "a": [\n  1\n ]\n}\n'.encode()


def test_the_first_and_the_next_release(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "downloads").mkdir(parents=True)
    (site / "downloads/a.csv").write_text("a\n1\n", encoding="utf-8")
    commit = {"commit": "c" * 40, "dirty": False}
    assert write_manifest(site, None, commit, "2025-03-31", {"counts": {"added": 1}}) == (1, True)
    first = json.loads((site / "manifest.json").read_text(encoding="utf-8"))
    changes = (site / "releases/1/changes.json").read_bytes()
    assert changes == dumps({"counts": {"added": 1}, "release": 1})
    a1 = {"path": "downloads/a.csv", "size": 4, "sha256": sha256_bytes(b"a\n1\n")}
    head1 = {
        "format": FORMAT,
        "version": 2,
        "release": 1,
        "data_through": "2025-03-31",
        "data": commit,
        "previous": None,
        "changes": {"path": "releases/1/changes.json", "size": len(changes), "sha256": sha256_bytes(changes)},
        "file_count": 1,
        "files_sha256": sha256_bytes(sha256_bytes_raw(f"downloads/a.csv\n4\n{a1['sha256']}\n".encode())),
        "file_changes": None,
    }
    # releases/1/ holds the head; manifest.json the head's fields but its file changes, the head's
    # entry and the files.
    head_raw = (site / "releases/1/manifest.json").read_bytes()
    assert head_raw == dumps(head1)
    shared1 = {key: value for key, value in head1.items() if key != "file_changes"}
    assert first == {
        **shared1,
        "head": {"path": "releases/1/manifest.json", "size": len(head_raw), "sha256": sha256_bytes(head_raw)},
        "files": [a1],
    }
    assert list(first) == [*shared1, "head", "files"]
    assert manifest_problems("manifest.json", first, release=1) == []
    assert manifest_problems("releases/1/manifest.json", head1, release=1, head=True) == []
    raw = (site / "manifest.json").read_bytes()

    # The same files and commit again: the same release, its manifest kept byte for byte.
    again = tmp_path / "again"
    (again / "downloads").mkdir(parents=True)
    (again / "downloads/a.csv").write_text("a\n1\n", encoding="utf-8")
    assert write_manifest(again, read_previous(site), commit, "2025-06-30", {"counts": {}}) == (1, False)
    assert (again / "manifest.json").read_bytes() == raw and not (again / "releases").exists()
    # Another commit and a changed, an added and a removed file: a new release, chained to the
    # first one's head (not to manifest.json), its file changes each with the entry before it.
    (again / "downloads/a.csv").write_text("a\n2\n", encoding="utf-8")
    (again / "downloads/b.csv").write_text("b\n", encoding="utf-8")
    assert write_manifest(again, read_previous(site), {"commit": "d" * 40, "dirty": False}, "x", {}) == (
        2,
        True,
    )
    second = json.loads((again / "manifest.json").read_text(encoding="utf-8"))
    assert second["previous"] == {
        "release": 1,
        "path": "releases/1/manifest.json",
        "sha256": sha256_bytes(head_raw),
    }
    a2 = {"path": "downloads/a.csv", "size": 4, "sha256": sha256_bytes(b"a\n2\n")}
    b2 = {"path": "downloads/b.csv", "size": 2, "sha256": sha256_bytes(b"b\n")}
    assert second["files"] == [a2, b2] and second["file_count"] == 2
    assert "file_changes" not in second
    assert json.loads((again / "releases/2/manifest.json").read_bytes())["file_changes"] == {
        "added": [b2],
        "changed": [{**a2, "before": {"size": 4, "sha256": a1["sha256"]}}],
        "removed": [],
    }
    assert second["release"] == 2 and second["changes"]["path"] == "releases/2/changes.json"
    assert manifest_problems("manifest.json", second, release=2) == []
    (again / "downloads/a.csv").unlink()
    third_site = tmp_path / "third"
    (third_site / "downloads").mkdir(parents=True)
    (third_site / "downloads/b.csv").write_text("b\n", encoding="utf-8")
    assert write_manifest(third_site, read_previous(again), None, "y", {})[0] == 3
    third = json.loads((third_site / "manifest.json").read_text(encoding="utf-8"))
    head3 = json.loads((third_site / "releases/3/manifest.json").read_bytes())
    assert head3["file_changes"] == {"added": [], "changed": [], "removed": [a2]}
    assert third["previous"]["sha256"] == second["head"]["sha256"]


def sha256_bytes_raw(data: bytes) -> bytes:
    import hashlib

    return hashlib.sha256(data).digest()


def v2(release: int = 2, *, as_head: bool = False, **changes: Any) -> dict[str, Any]:
    """A version 2 manifest (``as_head``: its head, as ``releases/<n>/manifest.json`` holds it)."""
    files = [{"path": "data.json", "size": 5, "sha256": SHA}]
    data: dict[str, Any] = {
        **{key: value for key, value in manifest(release).items() if key != "files"},
        "version": 2,
        "file_count": 1,
        "files_sha256": SHA,
        "file_changes": None
        if release == 1
        else {"added": [], "changed": [{**files[0], "before": {"size": 4, "sha256": SHA}}], "removed": []},
    }
    if not as_head:  # the current manifest: its head's fields but the file changes, its head, its files
        del data["file_changes"]
        data["head"] = {"path": f"releases/{release}/manifest.json", "size": 9, "sha256": SHA}
        data["files"] = files
    data.update(changes)
    return data


def test_a_good_version_2_manifest_and_head_have_no_problems() -> None:
    for release in (1, 2):
        assert manifest_problems("m.json", v2(release), release=release) == []
        assert manifest_problems("h.json", v2(release, as_head=True), release=release, head=True) == []
    # A version 1 record in the place of a head is a whole manifest (a site published before heads).
    assert manifest_problems("h.json", manifest(2), head=True) == []
    assert manifest_problems("h.json", {**manifest(2), "files": None}, head=True) == [
        "h.json：文件列表（files）缺失或不是列表。"
    ]


@pytest.mark.parametrize(("version", "shown_as"), [(3, "3"), (True, "true"), ("2", '"2"'), (None, "null")])
def test_an_unknown_version_asks_for_a_newer_gongkai(version: object, shown_as: str) -> None:
    assert manifest_problems("m.json", {**v2(), "version": version}) == [
        f"m.json：格式版本（version）为“{shown_as}”，本版 gongkai 只能读取 1 或 2：请升级 gongkai。"
    ]


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"file_count": -1}, "m.json：文件数（file_count）不是非负整数。"),
        ({"file_count": True}, "m.json：文件数（file_count）不是非负整数。"),
        ({"files_sha256": "A" * 64}, "m.json：文件列表的 SHA-256（files_sha256）不是 64 位十六进制小写字符。"),
        ({"files_sha256": None}, "m.json：文件列表的 SHA-256（files_sha256）不是 64 位十六进制小写字符。"),
        ({"file_changes": None}, "m.json：文件变更（file_changes）应含 added、changed、removed 三个列表。"),
        ({"file_changes": {"added": [], "changed": []}}, "m.json：文件变更（file_changes）应含 added、changed、removed 三个列表。"),
        ({"file_changes": {"added": [], "changed": [], "removed": {}}}, "m.json：文件变更（file_changes）应含 added、changed、removed 三个列表。"),
        ({"file_changes": {"added": [{"path": "../x", "size": 1, "sha256": SHA}], "changed": [], "removed": []}},
         "m.json：文件变更 added 的条目 1的路径“../x”含“..”（指向上级目录），已拒绝。"),
        ({"file_changes": {"added": [], "changed": [{"path": "data.json", "size": 1, "sha256": SHA}], "removed": []}},
         "m.json：文件变更 changed 的条目 1（data.json）的原大小和 SHA-256（before）不全或有误，已拒绝。"),
        ({"file_changes": {"added": [], "changed": [{"path": "data.json", "size": 1, "sha256": SHA, "before": {"size": -1, "sha256": SHA}}], "removed": []}},
         "m.json：文件变更 changed 的条目 1（data.json）的原大小和 SHA-256（before）不全或有误，已拒绝。"),
        ({"file_changes": {"added": [{"path": "data.json", "size": 1, "sha256": SHA}], "changed": [], "removed": [{"path": "data.json", "size": 1, "sha256": SHA}]}},
         "m.json：文件变更 removed 的条目 1（data.json）重复，已拒绝。"),
        ({"head": {"path": "releases/1/manifest.json", "size": 9, "sha256": SHA}},
         "m.json：本次发布的记录条目（head）的路径“releases/1/manifest.json”不是 releases/2/manifest.json，已拒绝。"),
        ({"head": None}, "m.json：本次发布的记录条目（head）不是对象，已拒绝。"),
        ({"file_count": 2}, "m.json：文件列表有 1 个文件，与其记录的文件数（file_count）2 不符。"),
    ],
)  # fmt: skip
def test_a_version_2_manifest_is_judged_field_by_field(changes: dict[str, Any], problem: str) -> None:
    as_head = "file_changes" in changes  # only a head holds its file changes
    assert manifest_problems("m.json", v2(as_head=as_head, **changes), head=as_head) == [problem]


def test_a_head_holds_only_its_own_fields_and_the_first_has_no_file_changes() -> None:
    assert manifest_problems("h.json", v2(as_head=True, files=[], extra=1), head=True) == [
        "h.json：第 2 次发布的记录含有不属于它的字段（extra、files）。"
    ]
    assert manifest_problems(
        "h.json", v2(1, as_head=True, file_changes={"added": [], "changed": [], "removed": []}), head=True
    ) == ["h.json：第 1 次发布不应有文件变更（file_changes）。"]
    many = [{"path": f"../{n}", "size": 0, "sha256": SHA} for n in range(MAX_LISTED + 3)]
    problems = manifest_problems(
        "h.json", v2(as_head=True, file_changes={"added": many, "changed": [], "removed": []}), head=True
    )
    assert len(problems) == MAX_LISTED + 1 and problems[-1] == "h.json：另有 3 个文件变更条目有同样的问题。"


def test_the_list_hash_is_the_hash_of_each_entrys_hash_in_path_order() -> None:
    import hashlib

    from generator.release.manifest import entry_digest, entry_digests, file_changes, list_sha256

    files = [{"path": "b", "size": 2, "sha256": SHA}, {"path": "a/数", "size": 0, "sha256": "b" * 64}]
    digests = entry_digests(files)
    assert digests["b"] == hashlib.sha256(f"b\n2\n{SHA}\n".encode()).digest() == entry_digest("b", 2, SHA)
    assert list_sha256(digests) == hashlib.sha256(digests["a/数"] + digests["b"]).hexdigest()
    assert list_sha256({}) == hashlib.sha256(b"").hexdigest()
    old = [{"path": "a", "size": 1, "sha256": SHA}, {"path": "b", "size": 1, "sha256": SHA}]
    new = [{"path": "b", "size": 2, "sha256": SHA}, {"path": "c", "size": 1, "sha256": SHA}]
    assert file_changes(old, new) == {
        "added": [{"path": "c", "size": 1, "sha256": SHA}],
        "changed": [{"path": "b", "size": 2, "sha256": SHA, "before": {"size": 1, "sha256": SHA}}],
        "removed": [{"path": "a", "size": 1, "sha256": SHA}],
    }
    assert file_changes(old, old) == {"added": [], "changed": [], "removed": []}


# -- the previous site ------------------------------------------------------------------------------------------


def test_the_previous_site_without_a_manifest_is_no_release(tmp_path: Path) -> None:
    assert read_previous(None) is None
    assert read_previous(tmp_path) is None


def test_a_damaged_previous_manifest_stops_the_build_with_the_way_out(tmp_path: Path) -> None:
    (tmp_path / "manifest.json").write_text('{"format": "x"}', encoding="utf-8")
    with pytest.raises(OpenDataError) as stopped:
        read_previous(tmp_path)
    assert stopped.value.message == (
        f"已发布的网站“{tmp_path}”的发布历史（manifest.json、releases/）不完整或已被改动，"
        "无法接续哈希链，未生成网站（1 个问题）：\n"
        "  · manifest.json：不是 gongkai 发布清单（format 不是 gongkai-release-manifest）或已损坏。\n"
        "请用 gongkai verify 核对该目录，或用 gongkai fetch-published 从线上网站重新取回。"
    )


def test_an_unreadable_previous_manifest_stops_the_build(tmp_path: Path) -> None:
    (tmp_path / "manifest.json").mkdir()
    with pytest.raises(OpenDataError) as stopped:
        read_previous(tmp_path)
    assert (
        "（1 个问题）：\n  · 无法读取发布清单 manifest.json（不是普通文件（目录、管道或设备），拒绝读取）。\n"
        in (stopped.value.message)
    )


def test_edges_of_a_part_a_shown_entry_and_the_second_release() -> None:
    assert path_problem("downloads/" + "数" * 85 + "x") == "过长"  # 256 bytes
    long_path = ["x" * 100]
    shown_json = shown(json.dumps(long_path)[:80])
    assert manifest_problems("m.json", manifest(files=[{"path": long_path, "size": 0, "sha256": SHA}])) == [
        f"m.json：文件条目 1的路径“{shown_json}”不是文本，已拒绝（未读取、未写入）。"
    ]
    assert manifest_problems("m.json", manifest(2, previous=None)) == [
        "m.json：第 2 次发布的清单没有按格式指向第 1 次发布（previous 应含 release、path releases/1/manifest.json 和 SHA-256）。"
    ]


def two_releases(tmp_path: Path) -> Path:
    site = tmp_path / "old"
    (site / "downloads").mkdir(parents=True)
    (site / "downloads/a.csv").write_text("a\n1\n", encoding="utf-8")
    write_manifest(site, None, None, "2025-03-31", {"n": 1})
    (site / "downloads/a.csv").write_text("a\n2\n", encoding="utf-8")
    write_manifest(site, read_previous(site), None, "2025-06-30", {"n": 2})
    return site


def carried(previous: Path, tmp_path: Path) -> str:
    with pytest.raises(OpenDataError) as stopped:
        carry_releases(previous, tmp_path / "new")
    return stopped.value.message


def test_carrying_a_good_chain_copies_exactly_its_files(tmp_path: Path) -> None:
    old = two_releases(tmp_path)
    (old / "releases/1/planted.html").write_text("<script>", encoding="utf-8")
    carry_releases(old, tmp_path / "new")
    carried_files = sorted(
        p.relative_to(tmp_path / "new").as_posix() for p in (tmp_path / "new").rglob("*") if p.is_file()
    )
    assert carried_files == [
        "releases/1/changes.json",
        "releases/1/manifest.json",
        "releases/2/changes.json",
        "releases/2/manifest.json",
    ]
    for path in carried_files:
        assert (tmp_path / "new" / path).read_bytes() == (old / path).read_bytes()
    carry_releases(None, tmp_path / "none")
    assert not (tmp_path / "none").exists()


def test_carrying_a_damaged_history_stops_with_every_problem(tmp_path: Path) -> None:
    old = two_releases(tmp_path)
    (old / "manifest.json").write_text("{}", encoding="utf-8")
    head = f"已发布的网站“{old}”的发布历史（manifest.json、releases/）不完整或已被改动，无法接续哈希链，未生成网站"
    way_out = "请用 gongkai verify 核对该目录，或用 gongkai fetch-published 从线上网站重新取回。"
    assert carried(old, tmp_path) == (
        f"{head}（1 个问题）：\n"
        "  · manifest.json：不是 gongkai 发布清单（format 不是 gongkai-release-manifest）或已损坏。\n"
        + way_out
    )


def test_a_changed_change_list_is_named_and_a_broken_chain_alone_is_said(tmp_path: Path) -> None:
    old = two_releases(tmp_path)
    (old / "releases/2/changes.json").write_text('{"n": 3, "release": 2}\n', encoding="utf-8")
    message = carried(old, tmp_path / "a")
    assert "（1 个问题）：\n  · releases/2/changes.json：" in message
    (old / "releases/1/manifest.json").write_text("{}", encoding="utf-8")  # and the chain broken too
    message = carried(old, tmp_path / "b")
    assert "（1 个问题）：\n  · releases/1/manifest.json：第 1 次发布的清单已被改写" in message
