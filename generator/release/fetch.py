"""``gongkai fetch-published``: the published record of the live site, for the next build.

A portal's CI builds on a fresh machine, where the output folder is empty. Without the site as
published, ``gongkai build`` has nothing to compare with: it could not refuse silent edits and
deletions (``generator.guard.nothing_lost``), continue the release hash chain (``manifest.json``,
``releases/``) or list what changed (更新记录). This command reads the live site (an http(s)
address, or a copy of it in a folder) and writes into the output folder exactly what the next build
compares with and carries over:

    manifest.json                                        the current release
    releases/<n>/manifest.json, releases/<n>/changes.json    every release so far (its head)
    downloads/<unit>/<YYYYQn>/datapackage.json, *.csv    every package as published
    downloads/units.csv                                  the unit registry (for the change list)

Every file is checked against the SHA-256 its manifest records, and the hash chain of the releases
and their file lists are verified (as ``gongkai verify`` does). A missing or altered file, a broken
chain or history, or an unreachable site is an error, and then nothing is written. The folder is
marked as a Gongkai site, so that ``gongkai build --out`` the same folder replaces it with the next
release.

The live site may be hostile. Every path of a manifest is checked before anything is read or
written by it (``manifest.manifest_problems``): only ``manifest.json``, ``releases/<n>/manifest.json``,
``releases/<n>/changes.json`` and the packages under ``downloads/`` are ever written, each below a
fresh staging folder that replaces the output folder only when everything matched. Reads are
streamed within ``source.Limits`` (announced size + 1 byte per file, a total, timeouts and a
deadline), and the chain is at most as long as its release number allows (``MAX_RELEASES``).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.core.datatree import Period
from generator.core.records import table_of
from generator.core.urls import MANIFEST, RELEASES
from generator.release.manifest import path_problem
from generator.release.source import Limits, Source
from generator.release.verify import ManifestError, check_file, history_problems, read_manifest, release_chain

MARKER_TEXT = "此目录由 gongkai fetch-published 从线上网站取回（已公开的记录和发布清单），gongkai build 生成网站时会将其整体替换。\n"


def _needed(path: str) -> bool:
    """Whether the next build reads this published file: every file of a package directory but its
    zip (``generator.guard.nothing_lost``), and every data table the change list compares
    (``changelog.table_of``: the unit registry ``downloads/units.csv`` too)."""
    parts = path.split("/")
    in_package = (
        len(parts) == 4
        and parts[0] == "downloads"
        and Period.parse(parts[2]) is not None
        and parts[3].endswith((".csv", ".json"))
    )
    return in_package or table_of(path) is not None


class FetchUsageError(ValueError):
    """The command cannot start: bad source or output folder (Chinese message)."""


@dataclass
class FetchReport:
    source: str
    out_dir: Path
    release: int | None = None
    packages: int = 0
    files: int = 0
    #: The source has no release manifest and ``first_release`` allowed that: nothing to fetch.
    first: bool = False
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_text(self) -> str:
        if self.first:
            return (
                f"{self.source} 还没有发布清单（{MANIFEST}）：按首次发布处理，没有需要取回的记录，{self.out_dir}/ 为空目录。"
                f"gongkai build 将生成第 1 次发布。"
            )
        if self.ok:
            return (
                f"已取回 {self.source} 第 {self.release} 次发布的记录到 {self.out_dir}/：{self.packages} 个数据包、"
                f"第 1 至 {self.release} 次发布的清单和更新记录，共 {self.files} 个文件，SHA-256 和哈希链均已核对。"
                f"现在可以运行 gongkai build --out {self.out_dir}。"
            )
        lines = [f"未能取回 {self.source} 已公开的记录（{len(self.problems)} 个问题），没有写入任何文件："]
        lines += [f"  · {p}" for p in self.problems]
        return "\n".join(lines)


def _create(staging: Path, path: str) -> int:
    """A new file at ``staging/path`` (a path ``manifest_problems`` allowed), opened for writing
    without following links and never over an existing file."""
    assert path_problem(path) is None
    target = staging / path
    target.parent.mkdir(parents=True, exist_ok=True)
    return os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)


def _write(staging: Path, path: str, data: bytes) -> None:
    with os.fdopen(_create(staging, path), "wb") as handle:
        handle.write(data)


def fetch_published(
    source: str, out_dir: Path, *, first_release: bool = False, limits: Limits | None = None
) -> FetchReport:
    """Fetch the published record of ``source`` (URL or folder) into ``out_dir`` (new or empty).

    With ``first_release``, a source without a release manifest (nothing published yet) is not an
    error: ``out_dir`` is left empty (``validate --published`` has nothing to compare with) and the
    next build is release 1."""
    from generator.core.urls import SITE_MARKER

    if out_dir.exists() and (not out_dir.is_dir() or any(out_dir.iterdir())):
        raise FetchUsageError(f"输出目录“{out_dir}”已存在且不为空：请指定一个新的或空的目录。")
    site = Source(source, limits)
    report = FetchReport(source, out_dir)
    try:
        raw, manifest = read_manifest(site)
    except ManifestError as error:
        if error.missing and first_release:
            report.first = True
            out_dir.mkdir(parents=True, exist_ok=True)  # nothing published yet: an empty record
        else:
            report.problems += error.problems
            if error.missing:
                report.problems[0] += "若线上还没有发布过网站（首次发布），请加 --first-release。"
        return report
    report.release = int(manifest["release"])

    # Everything is streamed into a staging folder next to the output folder, which replaces it
    # only when every file and the whole chain matched.
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.fetching-", dir=out_dir.parent))
    try:
        written = [MANIFEST]
        _write(staging, MANIFEST, raw)
        change_lists: list[dict[str, Any]] = []
        records: list[tuple[int, dict[str, Any]]] = []

        def keep(number: int, data: bytes, parsed: dict[str, Any]) -> None:
            path = f"{RELEASES}/{number}/{MANIFEST}"
            _write(staging, path, data)
            written.append(path)
            records.append((number, parsed))
            if isinstance(parsed.get("changes"), dict):
                change_lists.append(parsed["changes"])

        report.problems = release_chain(site, raw, manifest, keep) or history_problems(
            manifest["files"], records
        )
        if report.problems:
            return report
        # Every release's change list and every published package (paths checked by the chain).
        entries = change_lists + [e for e in manifest["files"] if _needed(e["path"])]

        def fetch(entry: dict[str, Any]) -> str | None:
            with os.fdopen(_create(staging, entry["path"]), "wb") as handle:
                return check_file(site, entry, handle.write)

        with ThreadPoolExecutor(max_workers=8 if site.remote else 4) as pool:
            report.problems = list(dict.fromkeys(p for p in pool.map(fetch, entries) if p))
        if report.problems:
            return report
        written += [entry["path"] for entry in entries]
        (staging / SITE_MARKER).write_text(MARKER_TEXT, encoding="utf-8")
        if out_dir.exists():
            out_dir.rmdir()  # empty, checked above
        staging.rename(out_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    report.files = len(written)
    report.packages = sum(1 for path in written if path.endswith("/datapackage.json"))
    return report
