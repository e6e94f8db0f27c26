"""``gongkai verify``: check a downloaded copy or a mirror of the site against its manifests.

Every file in the current manifest must be present with the same size and SHA-256, the current
manifest must hold its release's head (``releases/<n>/manifest.json``, which it names with its
SHA-256) and a file list of the SHA-256 that head records, each release's head must name the
SHA-256 of the one before it, each release's change list must match its head, and each earlier
file list, rebuilt backwards from the current one by the file changes each head records, must be
the one its head records (``history_problems``): a file that differs or is missing, or an earlier
release whose record was rewritten or removed, is reported in Chinese. (A version 1 release kept
its whole manifest in ``releases/<n>/``, the same bytes as ``manifest.json`` while it was current.)
In a folder, a file under ``releases/`` that no release names is reported too (the build would not
carry it over).

The site may be hostile: every path of a manifest is checked before anything is read by it
(``manifest.manifest_problems``), and every read is bounded (``generator.release.source``).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.core.urls import MANIFEST, PUBLISHING, RELEASES
from generator.release.manifest import (
    MAX_LISTED,
    VERSION,
    entry_digest,
    entry_digests,
    list_sha256,
    manifest_problems,
    shared,
    shown,
)
from generator.release.source import Limits, Source, SourceError, TooLarge, VerifyUsageError

__all__ = ["Limits", "ManifestError", "VerifyReport", "VerifyUsageError", "verify"]

#: Called for each release of a verified chain, newest first: (release, manifest bytes, parsed).
OnRelease = Callable[[int, bytes, dict[str, Any]], object]


@dataclass
class VerifyReport:
    target: str
    release: int | None = None
    checked: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_text(self) -> str:
        if self.ok:
            return (
                f"校验通过：{self.target} 与第 {self.release} 次发布的清单一致"
                f"（{self.checked} 个文件的大小和 SHA-256 均相符，第 1 至 {self.release} 次发布的清单哈希链完整）。"
            )
        lines = [f"校验未通过：{self.target} 发现 {len(self.problems)} 个问题："]
        lines += [f"  · {p}" for p in self.problems]
        return "\n".join(lines)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class ManifestError(Exception):
    """The current release manifest cannot be read, is missing, damaged or hostile (Chinese
    ``problems``, each naming the manifest and the entry)."""

    def __init__(self, problems: list[str], *, missing: bool = False) -> None:
        super().__init__(problems[0])
        self.problems = problems
        self.missing = missing  # no manifest at all (as opposed to unreadable or damaged)


def parse_manifest(
    name: str, raw: bytes, release: int | None = None, *, ours: bool = False, head: bool = False
) -> dict[str, Any]:
    """A manifest's bytes parsed and checked (``manifest_problems``), or ``ManifestError``.
    ``ours``: the bytes are those of a manifest this user's last build wrote (by their SHA-256,
    remembered sealed in the build cache): parsed, not checked again entry by entry. ``head``: the
    bytes are a release's record under ``releases/`` (a head, in version 2)."""
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        raise ManifestError([f"发布清单 {name} 已损坏（不是有效的 JSON）。"]) from None
    problems = [] if ours and isinstance(data, dict) else manifest_problems(name, data, release, head=head)
    if problems:
        raise ManifestError(problems)
    assert isinstance(data, dict)
    return data


def read_manifest(source: Source, ours: str | None = None) -> tuple[bytes, dict[str, Any]]:
    """The current release manifest, as published (``raw``) and parsed, every path in it checked
    unless its SHA-256 is ``ours`` (that of the manifest this user's last build wrote)."""
    try:
        raw = source.read(MANIFEST, source.limits.max_manifest_bytes, "发布清单的大小上限")
    except SourceError as error:
        raise ManifestError([f"无法读取发布清单 {MANIFEST}（{error}）。"]) from None
    if raw is None:
        raise ManifestError(
            [f"找不到发布清单 {MANIFEST}：这不是 gongkai 生成的网站，或清单已被删除。"], missing=True
        )
    return raw, parse_manifest(MANIFEST, raw, ours=ours is not None and _sha(raw) == ours)


def check_file(
    source: Source, entry: dict[str, Any], sink: Callable[[bytes], object] | None = None
) -> str | None:
    """Read the file of a checked manifest entry (path, size, sha256), streamed to ``sink``: the
    problem (Chinese), or None if it has the size and SHA-256 the entry records. At most size + 1
    bytes are read."""
    path, size, sha256 = entry["path"], entry["size"], entry["sha256"]
    digest = hashlib.sha256()
    count = 0

    def take(chunk: bytes) -> None:
        nonlocal count
        count += len(chunk)
        digest.update(chunk)
        if sink is not None:
            sink(chunk)

    try:
        found = source.stream(path, size, take, "发布清单记录的大小")
    except TooLarge as error:
        return f"{path}：文件内容与发布清单不符（{error}）。"
    except SourceError as error:
        return f"{error}。" if error.fatal else f"{path}：{error}。"
    if not found:
        return f"{path}：文件缺失。"
    if count != size or digest.hexdigest() != sha256:
        return (
            f"{path}：文件内容与发布清单不符（清单记录 {size} 字节、SHA-256 {sha256[:12]}…，"
            f"实际 {count} 字节、SHA-256 {digest.hexdigest()[:12]}…）。"
        )
    return None


def _current_head(
    source: Source, manifest: dict[str, Any], trusted: bool
) -> tuple[bytes | None, dict[str, Any] | None, list[str]]:
    """A version 2 manifest's head as published (``releases/<n>/manifest.json``: the size and
    SHA-256 the manifest names, the same fields but the file changes, which only the head holds)
    and its file list's SHA-256: (the head's bytes and the head parsed, or None; the problems).
    ``trusted``: the manifest is the one this user's last build wrote, with this head: neither is
    checked again (the head is parsed)."""
    release = int(manifest["release"])
    path = f"{RELEASES}/{release}/{MANIFEST}"
    rewritten = [f"{path}：与当前发布清单 {MANIFEST} 不一致，已被改写。"]
    try:
        raw = source.read(path, manifest["head"]["size"], "当前发布清单的大小")
    except TooLarge:
        return None, None, rewritten
    except SourceError as error:
        return None, None, [f"{error}。" if error.fatal else f"{path}：{error}。"]
    if raw is None:
        return None, None, [f"{path}：第 {release} 次发布的清单缺失。"]
    if _sha(raw) != manifest["head"]["sha256"]:
        return None, None, rewritten
    try:  # trusted: the head this user's last build wrote with the manifest (the SHA-256 matched)
        head = parse_manifest(path, raw, release, ours=trusted, head=True)
    except ManifestError as error:
        return None, None, error.problems
    if trusted:
        return raw, head, []
    problems: list[str] = []
    if shared(head) != shared(manifest) or set(manifest) != {*shared(manifest), "head", "files"}:
        problems += rewritten
    elif list_sha256(entry_digests(manifest["files"])) != manifest["files_sha256"]:
        problems.append(
            f"{MANIFEST}：文件列表与第 {release} 次发布记录的 SHA-256（files_sha256）不符，已被改动。"
        )
    return raw, head, problems


def release_chain(
    source: Source,
    raw: bytes,
    manifest: dict[str, Any],
    on_release: OnRelease | None = None,
    checked: dict[str, dict[str, Any]] | None = None,
    *,
    trusted: bool = False,
) -> list[str]:
    """The hash chain: release n's record (``releases/<n>/manifest.json``) is the current
    manifest's (``raw``, parsed ``manifest``; in version 2 its head, named by size and SHA-256), and
    each release's record names the SHA-256 of the one before it. ``on_release`` is called for
    each record read, newest first, with its bytes and what was parsed (in version 2 the current
    one's head, which holds its file changes). Returns the problems (Chinese); the walk stops at
    the first break, so a chain is at most as long as its release number (``MAX_RELEASES``).

    ``checked``: earlier records this user's builds have already parsed and checked, by the
    SHA-256 of their bytes, each with what the walk uses of it (``chain_part``): such a record's
    bytes are hashed, not parsed and checked again (a version 1 record has tens of thousands of
    entries). ``trusted``: the current manifest is the one this user's last build wrote."""
    problems: list[str] = []
    release = int(manifest["release"])
    current = f"{RELEASES}/{release}/{MANIFEST}"
    if manifest.get("version") == VERSION:
        head_raw, head, problems = _current_head(source, manifest, trusted)
        if on_release is not None and head_raw is not None and head is not None:
            on_release(release, head_raw, head)
    else:
        try:
            copy = source.read(current, len(raw), "当前发布清单的大小")
        except TooLarge:
            copy = b""
        except SourceError as error:
            return [f"{current}：{error}。"]
        if copy is None:
            problems.append(f"{current}：第 {release} 次发布的清单缺失。")
        elif copy != raw:
            problems.append(f"{current}：与当前发布清单 {MANIFEST} 不一致，已被改写。")
        if on_release is not None:
            on_release(release, raw, manifest)
    data = manifest
    for number in range(release, 1, -1):
        path = f"{RELEASES}/{number - 1}/{MANIFEST}"
        try:
            earlier = source.read(path, source.limits.max_manifest_bytes, "发布清单的大小上限")
        except SourceError as error:
            problems.append(f"{path}：{error}。")
            break
        if earlier is None:
            problems.append(f"{path}：第 {number - 1} 次发布的清单缺失，哈希链断裂。")
            break
        if _sha(earlier) != data["previous"]["sha256"]:
            problems.append(
                f"{path}：第 {number - 1} 次发布的清单已被改写（其 SHA-256 与第 {number} 次发布清单记录的不符）。"
            )
            break
        known = (checked or {}).get(_sha(earlier))
        if known is not None and known.get("release") == number - 1 and "file_count" in known:
            data = known
        else:
            try:
                data = parse_manifest(path, earlier, number - 1, head=True)
            except ManifestError as error:
                problems += error.problems
                break
        if on_release is not None:
            on_release(number - 1, earlier, data)
    return problems


def history_problems(files: list[dict[str, Any]], records: list[tuple[int, dict[str, Any]]]) -> list[str]:
    """Each earlier release's file list, rebuilt backwards from the current one (``files``) by the
    file changes each later version 2 release records, checked against that release's record (the
    number of files and the SHA-256 of its list; a version 1 record's own list). ``records``: each
    release's parsed record by number, newest first, as ``release_chain`` read them. Stops at the
    first release that does not match (Chinese problems), and at the first version 1 release."""
    digests = entry_digests(files)
    for (number, newer), (older_number, older) in itertools.pairwise(records):
        if newer.get("version") != VERSION or older_number != number - 1:
            break
        name = f"{RELEASES}/{number}/{MANIFEST}"
        wrong: list[str] = []
        changes = newer["file_changes"]
        for entry in changes["added"]:
            if digests.pop(entry["path"], None) != entry_digest(
                entry["path"], entry["size"], entry["sha256"]
            ):
                wrong.append(entry["path"])
        for entry in changes["changed"]:
            path, before = entry["path"], entry["before"]
            if digests.get(path) != entry_digest(path, entry["size"], entry["sha256"]):
                wrong.append(path)
            digests[path] = entry_digest(path, before["size"], before["sha256"])
        for entry in changes["removed"]:
            if entry["path"] in digests:
                wrong.append(entry["path"])
            digests[entry["path"]] = entry_digest(entry["path"], entry["size"], entry["sha256"])
        if wrong:
            return [
                f"{name}：第 {number} 次发布记录的文件变更与该次发布的文件列表不符"
                f"（{shown(wrong[0])}{f' 等 {len(wrong)} 个文件' if len(wrong) > 1 else ''}）。"
            ]
        if older.get("version") == VERSION:
            count, expected = older["file_count"], older["files_sha256"]
        else:
            count, expected = len(older["files"]), list_sha256(entry_digests(older["files"]))
        if len(digests) != count or list_sha256(digests) != expected:
            return [
                f"{name}：按第 {number} 次发布记录的文件变更倒推出的第 {number - 1} 次发布的文件列表，"
                f"与第 {number - 1} 次发布的记录不符（文件数或文件列表的 SHA-256 不同）。"
            ]
        if older.get("version") != VERSION:
            break
    return []


def chain_part(parsed: dict[str, Any]) -> dict[str, Any]:
    """What ``release_chain`` uses of a checked manifest (its number, its link to the one before it
    and its change list's entry) and what its 更新记录 page shows (the data's commit, how many files
    it lists): a manifest lists tens of thousands of files, and each build shows every release.
    ``parsed`` is a manifest or a part already (kept as it is)."""
    part: dict[str, Any] = {
        key: parsed[key] for key in ("release", "previous", "changes", "data") if key in parsed
    }
    part["version"] = parsed.get("version", 1)  # parts remembered before version 2 are of version 1
    files = parsed.get("files")
    count = len(files) if isinstance(files, list) else parsed.get("file_count")
    if isinstance(count, int):
        part["file_count"] = count
    changes = parsed.get("file_changes")
    if isinstance(changes, dict):  # how many files were added, changed and removed (a part: counted)
        part["file_changes"] = {
            kind: count if isinstance(count := changes[kind], int) else len(count)
            for kind in ("added", "changed", "removed")
        }
    return part


def _unexpected_release_files(root: Path, named: set[str]) -> list[str]:
    """Files, links and folders under ``root/releases/`` that no release names."""
    folders = {path.rsplit("/", 1)[0] for path in named}
    found: list[str] = []
    top = root / RELEASES
    if top.is_symlink() or not top.is_dir():
        return [f"{RELEASES}：不是目录（或是符号链接）。"] if top.is_symlink() or top.exists() else []
    for current, dirs, names in os.walk(top):
        dirs.sort()
        base = Path(current).relative_to(root).as_posix()
        for name in sorted(dirs + names):
            rel = f"{base}/{name}"
            full = Path(current) / name
            if full.is_symlink():
                found.append(f"{rel}：是符号链接，不属于任何一次发布。")
            elif name in dirs and rel not in folders:
                found.append(f"{rel}/：不属于任何一次发布的目录（多余，下一次生成不会接续）。")
            elif name in names and rel not in named:
                found.append(f"{rel}：不属于任何一次发布的清单或更新记录（多余的文件，下一次生成不会接续）。")
        dirs[:] = [d for d in dirs if f"{base}/{d}" in folders and not (Path(current) / d).is_symlink()]
    if len(found) > MAX_LISTED:
        found = [*found[:MAX_LISTED], f"另有 {len(found) - MAX_LISTED} 个多余的文件或目录在 {RELEASES}/ 下。"]
    return found


def verify(target: str, limits: Limits | None = None) -> VerifyReport:
    source = Source(target, limits)
    report = VerifyReport(target)
    if not source.remote and os.path.lexists(Path(target) / PUBLISHING):
        # An in-place publish was cut short: the site may be a mix of two builds.
        report.problems.append(
            f"发布未完成：网站目录中有“{PUBLISHING}”，上一次发布被中断，网站可能混有新旧两次生成的文件。"
            "请重新运行 gongkai build（它会先撤销未完成的发布），再核对。"
        )
    try:
        raw, manifest = read_manifest(source)
    except ManifestError as error:
        report.problems += error.problems
        return report
    report.release = int(manifest["release"])

    # The chain first (manifests only), collecting each release's change list.
    named: set[str] = set()
    change_lists: list[tuple[int, dict[str, Any]]] = []
    records: list[tuple[int, dict[str, Any]]] = []

    def keep(number: int, _data: bytes, parsed: dict[str, Any]) -> None:
        named.add(f"{RELEASES}/{number}/{MANIFEST}")
        records.append((number, parsed))
        if isinstance(parsed.get("changes"), dict):
            change_lists.append((number, parsed["changes"]))
            named.add(parsed["changes"]["path"])

    chain_problems = release_chain(source, raw, manifest, keep)
    changes = manifest.get("changes")
    if isinstance(changes, dict) and not any(number == report.release for number, _ in change_lists):
        change_lists.insert(0, (report.release, changes))  # the current release's head was not read
        named.add(changes["path"])
    if not chain_problems:
        chain_problems = history_problems(manifest["files"], records)

    files = manifest["files"]
    with ThreadPoolExecutor(max_workers=8 if source.remote else 4) as pool:
        results = list(pool.map(lambda entry: check_file(source, entry), files))
    report.checked = len(files)
    report.problems += [r for r in results if r]
    for number, entry in change_lists:
        problem = check_file(source, entry)
        if problem:
            report.problems.append(problem.replace("：", f"（第 {number} 次发布的更新记录）：", 1))
    report.problems += chain_problems
    if not source.remote and not chain_problems:
        report.problems += _unexpected_release_files(Path(target), named)
    report.problems = list(dict.fromkeys(report.problems))  # a stop (size, deadline) said once
    return report
