"""The release record keeps a small head per release, not a whole manifest (version 2).

``releases/<n>/manifest.json`` is release n's head: its commit, its link to the head before it, its
change list, how many files it lists, the SHA-256 of its file list and the files that changed since
the release before, each with its entry before and after. ``manifest.json`` holds the current head's
fields, the head's own entry and every file. ``gongkai verify`` rebuilds each earlier file list
backwards from the current one and checks it against its head. Sites published with version 1
(each release's whole manifest kept) go on: the first head names the last whole manifest.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from generator.build import build
from generator.release.fetch import fetch_published
from generator.release.manifest import dumps, shared
from generator.release.verify import verify

from .test_history import NEW_TITLE, correction
from .test_site import add_entries, rewrite_csv

Q1 = Path("fgw") / "2025Q1"


def _read(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _correct(data: Path) -> None:
    rewrite_csv(data / Q1 / "decisions.csv", {"title": NEW_TITLE})
    add_entries(data / Q1, "corrections", [correction()])


def _by_path(files: list[dict[str, Any]]) -> dict[str, tuple[int, str]]:
    return {entry["path"]: (entry["size"], entry["sha256"]) for entry in files}


@pytest.fixture
def two_releases(
    mini_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[Path, dict[str, Any]]:
    """Release 1 of the mini data, then release 2 with one title corrected; and release 1's manifest."""
    monkeypatch.setenv("GONGKAI_CACHE_DIR", str(tmp_path / "cache"))
    site = tmp_path / "site"
    build(mini_data, site, log=None)
    first = _read(site / "manifest.json")
    _correct(mini_data)
    build(mini_data, site, log=None)
    return site, first


def _rechain(site: Path, number: int, change: Any) -> None:
    """Release ``number``'s head changed by ``change`` and every later head and ``manifest.json``
    made to name it again: a history rewritten with every hash in the chain made to match."""
    current = _read(site / "manifest.json")
    head = _read(site / f"releases/{number}/manifest.json")
    change(head)
    raw = dumps(head)
    (site / f"releases/{number}/manifest.json").write_bytes(raw)
    for later in range(number + 1, current["release"] + 1):
        newer = _read(site / f"releases/{later}/manifest.json")
        newer["previous"]["sha256"] = _sha(raw)
        raw = dumps(newer)
        (site / f"releases/{later}/manifest.json").write_bytes(raw)
    current.update(shared(json.loads(raw)))  # the current head's fields
    current["head"].update(size=len(raw), sha256=_sha(raw))
    (site / "manifest.json").write_bytes(dumps(current))


def test_a_release_keeps_its_head_and_the_files_that_changed(
    two_releases: tuple[Path, dict[str, Any]],
) -> None:
    site, first = two_releases
    second = _read(site / "manifest.json")
    head_raw = (site / "releases/2/manifest.json").read_bytes()
    head = json.loads(head_raw)
    assert second["release"] == 2 and "files" not in head and "head" not in head
    # manifest.json holds the head's fields but its file changes, which only the head keeps.
    assert {**shared(second), "file_changes": head["file_changes"]} == head and "file_changes" not in second
    assert second["head"] == {
        "path": "releases/2/manifest.json",
        "size": len(head_raw),
        "sha256": _sha(head_raw),
    }
    # Release 1's head as release 1 wrote it; release 2 names its SHA-256.
    assert _sha((site / "releases/1/manifest.json").read_bytes()) == first["head"]["sha256"]
    assert head["previous"]["sha256"] == first["head"]["sha256"]
    # The file changes are exactly the difference of the two file lists.
    old, new = _by_path(first["files"]), _by_path(second["files"])
    changes = head["file_changes"]
    assert {e["path"] for e in changes["added"]} == new.keys() - old.keys()
    assert {e["path"] for e in changes["removed"]} == old.keys() - new.keys()
    changed = {p for p in old.keys() & new.keys() if old[p] != new[p]}
    assert changed and {e["path"] for e in changes["changed"]} == changed
    for entry in changes["changed"]:
        assert old[entry["path"]] == (entry["before"]["size"], entry["before"]["sha256"])
        assert new[entry["path"]] == (entry["size"], entry["sha256"])
    assert head["file_count"] == len(second["files"])
    # A correction changes a few files: its head is a fraction of the whole manifest.
    assert len(changed) < len(new) / 3
    assert len(head_raw) < (site / "manifest.json").stat().st_size / 2
    assert verify(str(site)).ok
    # Each release's 更新记录 page names its record, its file count and how many files changed; the
    # current one's links the whole file list.
    page = (site / "changelog/2/index.html").read_text(encoding="utf-8")
    counts = {kind: len(changes[kind]) for kind in ("added", "changed", "removed")}
    assert (
        f"（共 {len(new)} 个文件，记有文件列表的 SHA-256，以及与上一次发布相比新增的 {counts['added']} 个、"
        f"更改的 {counts['changed']} 个和删除的 {counts['removed']} 个文件）"
    ) in page
    assert f"上一次发布记录的 SHA-256：<code>{first['head']['sha256']}</code>" in page
    assert f'当前全部 {len(new)} 个文件的大小和 SHA-256 见 <a href="../../manifest.json">' in page
    page = (site / "changelog/1/index.html").read_text(encoding="utf-8")
    assert f"（共 {len(old)} 个文件，记有文件列表的 SHA-256）" in page and "当前全部" not in page


def test_verify_rebuilds_each_earlier_file_list_and_finds_a_rewritten_history(
    two_releases: tuple[Path, dict[str, Any]],
) -> None:
    site, _first = two_releases
    pristine = {p: p.read_bytes() for p in [site / "manifest.json", *site.glob("releases/*/manifest.json")]}

    def restore() -> None:
        for path, data in pristine.items():
            path.write_bytes(data)

    # A changed file left out of release 2's file changes, every hash made to match.
    _rechain(site, 2, lambda head: head["file_changes"]["changed"].pop(0))
    rebuilt = (
        "releases/2/manifest.json：按第 2 次发布记录的文件变更倒推出的第 1 次发布的文件列表，"
        "与第 1 次发布的记录不符（文件数或文件列表的 SHA-256 不同）。"
    )
    assert verify(str(site)).problems == [rebuilt]
    # A fresh CI machine fetching that record refuses it, and writes nothing.
    fetched = fetch_published(str(site), site.parent / "fetched")
    assert fetched.problems == [rebuilt] and not (site.parent / "fetched").exists()
    restore()
    assert fetch_published(str(site), site.parent / "fetched").ok
    assert verify(str(site)).ok

    # A change that is not what release 2 lists.
    def wrong_after(head: dict[str, Any]) -> None:
        head["file_changes"]["changed"][0]["sha256"] = "0" * 64

    _rechain(site, 2, wrong_after)
    path = _read(site / "releases/2/manifest.json")["file_changes"]["changed"][0]["path"]
    assert verify(str(site)).problems == [
        f"releases/2/manifest.json：第 2 次发布记录的文件变更与该次发布的文件列表不符（{path}）。"
    ]
    restore()

    # Release 1's head claims another file list.
    _rechain(site, 1, lambda head: head.update(files_sha256="0" * 64))
    assert verify(str(site)).problems == [
        "releases/2/manifest.json：按第 2 次发布记录的文件变更倒推出的第 1 次发布的文件列表，"
        "与第 1 次发布的记录不符（文件数或文件列表的 SHA-256 不同）。"
    ]
    restore()

    # The current file list is not the one its head records.
    current = _read(site / "manifest.json")
    current["files"] = current["files"][1:]
    current["file_count"] -= 1
    (site / "manifest.json").write_bytes(dumps(current))
    assert (
        "releases/2/manifest.json：与当前发布清单 manifest.json 不一致，已被改写。"
        in verify(str(site)).problems
    )
    _rechain(site, 2, lambda head: head.update(file_count=head["file_count"] - 1))
    report = verify(str(site))
    assert (
        "manifest.json：文件列表与第 2 次发布记录的 SHA-256（files_sha256）不符，已被改动。"
        in report.problems
    )


def test_a_site_published_with_whole_manifests_goes_on_with_heads(
    mini_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Release 1 as a version 1 build wrote it (``releases/1/manifest.json`` the same bytes as
    ``manifest.json``, every file listed); the next build writes a head naming those bytes."""
    monkeypatch.setenv("GONGKAI_CACHE_DIR", str(tmp_path / "cache"))
    site = tmp_path / "site"
    build(mini_data, site, log=None)
    current = _read(site / "manifest.json")
    old = {key: current[key] for key in ("format", "release", "data_through", "data", "previous", "changes")}
    old = {"format": old["format"], "version": 1, **old, "files": current["files"]}
    raw_v1 = dumps(old)
    for path in ("manifest.json", "releases/1/manifest.json"):
        (site / path).write_bytes(raw_v1)
    assert verify(str(site)).ok

    _correct(mini_data)
    build(mini_data, site, log=None)
    second = _read(site / "manifest.json")
    assert second["version"] == 2 and second["release"] == 2
    assert (site / "releases/1/manifest.json").read_bytes() == raw_v1
    assert second["previous"]["sha256"] == _sha(raw_v1)
    assert _read(site / "releases/2/manifest.json")["file_changes"]["changed"]
    assert verify(str(site)).ok
    page = (site / "changelog/1/index.html").read_text(encoding="utf-8")
    assert "本次发布清单：" in page and f"（{len(current['files'])} 个文件的大小和 SHA-256）" in page

    # The whole manifest of release 1 rewritten (a file left out) and the chain made to match.
    def drop_a_file(manifest: dict[str, Any]) -> None:
        manifest["files"] = manifest["files"][1:]

    _rechain(site, 1, drop_a_file)
    assert verify(str(site)).problems == [
        "releases/2/manifest.json：按第 2 次发布记录的文件变更倒推出的第 1 次发布的文件列表，"
        "与第 1 次发布的记录不符（文件数或文件列表的 SHA-256 不同）。"
    ]


def test_a_rebuild_with_nothing_changed_keeps_the_head(
    two_releases: tuple[Path, dict[str, Any]], mini_data: Path
) -> None:
    site, _first = two_releases
    before = {p.relative_to(site).as_posix(): p.read_bytes() for p in site.glob("releases/*/*.json")}
    manifest = (site / "manifest.json").read_bytes()
    build(mini_data, site, log=None)
    assert (site / "manifest.json").read_bytes() == manifest
    assert {p.relative_to(site).as_posix(): p.read_bytes() for p in site.glob("releases/*/*.json")} == before
