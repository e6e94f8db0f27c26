"""Release manifests: every data file and download with its size and SHA-256, in a hash chain.

    manifest.json                  the current release: its head's fields but the file changes,
                                   its head's entry and every covered file (``files``)
    releases/<n>/manifest.json     every release's head (version 2; a version 1 release keeps its
                                   whole manifest there)
    releases/<n>/changes.json      what changed in release n (see ``generator.release.changes``)

A release's **head** is small: the data's git commit, the SHA-256 of the previous release's head,
its change list's entry, how many files it lists, the SHA-256 of its file list (``list_sha256``)
and the files that changed since the previous release, each with its entry before and after
(``file_changes``). Rewriting an earlier release breaks the chain (``gongkai verify``), and each
earlier file list can be rebuilt backwards from the current one and checked against its head, so
the record of releases grows with what changed, not with the site (a version 1 release kept a
whole manifest of every file). Earlier heads are carried over from the currently published site
before it is replaced: only the files the verified chain names, so nothing else planted under
``releases/`` is published again. Rebuilding unchanged data is not a new release: the previous
manifest is kept byte for byte.

A manifest read back (from the previous site, a mirror or the live site) may be hostile: every
path in it is checked (``manifest_problems``) before anything is read or written by it.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

from generator.core.files import sha256_bytes, sha256_file
from generator.core.urls import CHANGES, MANIFEST, RELEASES

FORMAT = "gongkai-release-manifest"
#: Version 2: ``releases/<n>/manifest.json`` is the release's head (``HEAD_KEYS``); version 1 kept
#: the whole manifest there. A chain may start with version 1 releases.
VERSION = 2
#: What a version 2 head holds. ``manifest.json`` holds these but ``file_changes`` (``SHARED_KEYS``),
#: ``head`` (its head's entry) and ``files``: a release that changes every file (a new theme) has a
#: head as large as its file list, which the current manifest does not repeat.
HEAD_KEYS = (
    "format",
    "version",
    "release",
    "data_through",
    "data",
    "previous",
    "changes",
    "file_count",
    "files_sha256",
    "file_changes",
)
SHARED_KEYS = HEAD_KEYS[:-1]
FILE_CHANGE_KINDS = ("added", "changed", "removed")
#: What a manifest covers: the data as published, every download, the API, feeds and catalog.
COVERED_DIRS = ("downloads", "api", "feeds")
COVERED_FILES = ("catalog.jsonld", "data.json")
#: The most releases a chain may have: four quarters and a correction a week for centuries.
MAX_RELEASES = 100_000
#: A manifest's problems are listed up to this many (then counted).
MAX_LISTED = 20
_SHA256 = re.compile(r"[0-9a-f]{64}")


def covered_files(site_dir: Path) -> list[str]:
    """Root-relative paths of every covered file (HTML pages excluded), sorted."""
    paths = [name for name in COVERED_FILES if (site_dir / name).is_file()]
    for folder in COVERED_DIRS:
        for top, dirs, names in os.walk(site_dir / folder):
            dirs.sort()
            base = Path(top).relative_to(site_dir).as_posix() + "/"
            paths += [
                base + name
                for name in names
                if os.path.splitext(name)[1] != ".html" and os.path.isfile(os.path.join(top, name))
            ]
    return sorted(paths)


def is_covered(path: str) -> bool:
    """Whether the manifest lists ``path`` (as ``covered_files`` finds them: not an HTML page).
    Asked of every kept file of a rebuild: the name's suffix as ``os.path.splitext`` sees it, but
    without its general path handling (a name of dots and ``html``, like ``..html``, has none)."""
    if path in COVERED_FILES:
        return True
    if path.partition("/")[0] not in COVERED_DIRS:
        return False
    name = path.rpartition("/")[2]
    return not name.endswith(".html") or name.lstrip(".") == "html"


def entry_digest(path: str, size: int, sha256: str) -> bytes:
    """The SHA-256 (32 bytes) of one file entry: its path, size and SHA-256, each followed by a
    newline (a path has no control characters)."""
    return hashlib.sha256(f"{path}\n{size}\n{sha256}\n".encode("utf-8", "surrogatepass")).digest()


def list_sha256(digests: dict[str, bytes]) -> str:
    """The SHA-256 of a file list, from each entry's ``entry_digest`` by path: of the digests laid
    end to end, the paths in code point order (as ``sorted`` puts them). A list rebuilt one change
    at a time is checked with one sort and one hash, not by encoding it again."""
    return hashlib.sha256(b"".join(digests[path] for path in sorted(digests))).hexdigest()


def entry_digests(files: list[dict[str, Any]]) -> dict[str, bytes]:
    """Each checked file entry's ``entry_digest``, by path."""
    return {e["path"]: entry_digest(e["path"], e["size"], e["sha256"]) for e in files}


def file_changes(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """The files added, changed (with their size and SHA-256 ``before``) and removed between two
    file lists, each in path order."""
    before = {e["path"]: e for e in old}
    added, changed = [], []
    for now in new:
        was = before.pop(now["path"], None)
        if was is None:
            added.append(now)
        elif was["size"] != now["size"] or was["sha256"] != now["sha256"]:
            changed.append({**now, "before": {"size": was["size"], "sha256": was["sha256"]}})

    def in_order(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return sorted(entries, key=lambda entry: entry["path"])

    return {
        "added": in_order(added),
        "changed": in_order(changed),
        "removed": in_order(list(before.values())),
    }


def shared(record: dict[str, Any]) -> dict[str, Any]:
    """What a version 2 head and the current manifest both hold (``SHARED_KEYS``), in that order."""
    return {key: record[key] for key in SHARED_KEYS if key in record}


def shown(text: str, limit: int = 120) -> str:
    """A path from a manifest as it may be printed: control characters escaped, long ones cut."""
    out = "".join(
        ch if unicodedata.category(ch)[0] != "C" else ch.encode("unicode_escape").decode("ascii")
        for ch in text[:limit]
    )
    return out + ("…" if len(text) > limit else "")


def path_problem(path: object) -> str | None:
    """Why ``path`` cannot name a file of a published site (Chinese), or None: a relative POSIX path
    of at most 1,024 characters, without ``..``, ``.``, empty or hidden (``.x``) parts, backslashes
    or control characters."""
    if not isinstance(path, str):
        return "不是文本"
    if not path:
        return "为空"
    # Bytes as a file system counts them; a lone surrogate (JSON "\ud800") is counted, then refused
    # below. (An ASCII path of at most 255 characters has no longer part: the common case, quickly.)
    if len(path) > 1024 or (
        (len(path) > 255 or not path.isascii())
        and any(len(part.encode("utf-8", "surrogatepass")) > 255 for part in path.split("/"))
    ):
        return "过长"
    # A printable text has none of these categories (the common case, without a look at each character).
    if not path.isprintable() and any(
        unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Zl", "Zp") for ch in path
    ):
        return "含控制字符"
    if "\\" in path:
        return "含反斜杠（不是 POSIX 路径）"
    if path.startswith("/"):
        return "是绝对路径"
    parts = path.split("/")
    if ".." in parts:
        return "含“..”（指向上级目录）"
    if any(part in ("", ".") for part in parts):
        return "含空的或“.”路径段"
    if any(part.startswith(".") for part in parts):
        return "含以“.”开头的隐藏名称"
    return None


def _file_path_problem(path: object) -> str | None:
    """A manifest's file entry names a covered file: ``catalog.jsonld``, ``data.json`` or a file
    under ``downloads/``, ``api/`` or ``feeds/``."""
    problem = path_problem(path)
    if (
        problem is None
        and str(path) not in COVERED_FILES
        and ("/" not in str(path) or str(path).split("/")[0] not in COVERED_DIRS)
    ):
        problem = (
            f"不在发布清单覆盖的范围内（{'、'.join(COVERED_FILES)} 或 {'/、'.join(COVERED_DIRS)}/ 下的文件）"
        )
    return problem


def release_problem(value: object) -> str | None:
    """Why ``value`` is not a release number (Chinese), or None."""
    if isinstance(value, bool) or not isinstance(value, int):
        return f"发布序号（release）应为正整数，实为“{shown(json.dumps(value, ensure_ascii=False)[:80])}”"
    if not 1 <= value <= MAX_RELEASES:
        return f"发布序号（release）{str(value)[:30]} 不在 1 至 {MAX_RELEASES:,} 之间，不可能是真实的发布历史"
    return None


def _is_size(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _entry_problem(entry: object, path_check: Any) -> str | None:
    if not isinstance(entry, dict):
        return "不是对象"
    path = entry.get("path")
    problem = path_check(path)
    if problem is not None:
        return f"的路径“{shown(path) if isinstance(path, str) else shown(json.dumps(path)[:80])}”{problem}"
    if not _is_size(entry.get("size")):
        return f"（{path}）的大小（size）不是非负整数"
    if not isinstance(entry.get("sha256"), str) or not _SHA256.fullmatch(entry["sha256"]):
        return f"（{path}）的 SHA-256 不是 64 位十六进制小写字符"
    return None


def _judged(
    entries: list[Any], seen: set[str], more: Callable[[dict[str, Any]], str | None] | None = None
) -> list[tuple[int, str]]:
    """(number from 1, problem) of each bad file entry: its path, size and SHA-256, ``more`` of it,
    a path already ``seen``; each good entry's path is added to ``seen``."""
    bad = []
    for index, entry in enumerate(entries, 1):
        problem = _entry_problem(entry, _file_path_problem)
        if problem is None and more is not None:
            problem = more(entry)
        if problem is None and entry["path"] in seen:
            problem = f"（{entry['path']}）重复"
        if problem:
            bad.append((index, problem))
        else:
            seen.add(entry["path"])
    return bad


def _file_changes_problems(name: str, changes: object) -> list[str]:
    """What is wrong with a version 2 head's ``file_changes`` (each entry as a file entry; a changed
    one with its size and SHA-256 ``before``; no path twice)."""
    if not isinstance(changes, dict) or any(
        not isinstance(changes.get(kind), list) for kind in FILE_CHANGE_KINDS
    ):
        return [f"{name}：文件变更（file_changes）应含 added、changed、removed 三个列表。"]

    def before(entry: dict[str, Any]) -> str | None:
        was = entry.get("before")
        if not isinstance(was, dict) or _entry_problem({**was, "path": entry["path"]}, _file_path_problem):
            return f"（{entry['path']}）的原大小和 SHA-256（before）不全或有误"
        return None

    bad: list[str] = []
    seen: set[str] = set()
    for kind in FILE_CHANGE_KINDS:
        judged = _judged(changes[kind], seen, before if kind == "changed" else None)
        bad += [f"{name}：文件变更 {kind} 的条目 {index}{problem}，已拒绝。" for index, problem in judged]
    if len(bad) > MAX_LISTED:
        bad = [*bad[:MAX_LISTED], f"{name}：另有 {len(bad) - MAX_LISTED} 个文件变更条目有同样的问题。"]
    return bad


def _head_problems(name: str, data: dict[str, Any], number: int, head: bool) -> list[str]:
    """A version 2 record's own fields: its file count, file list hash and file changes; a head
    holds nothing else of the manifest (``files``, ``head``), the current manifest names its head."""
    problems: list[str] = []
    if not _is_size(data.get("file_count")):
        problems.append(f"{name}：文件数（file_count）不是非负整数。")
    if not isinstance(data.get("files_sha256"), str) or not _SHA256.fullmatch(data["files_sha256"]):
        problems.append(f"{name}：文件列表的 SHA-256（files_sha256）不是 64 位十六进制小写字符。")
    if head:
        if number == 1 and data.get("file_changes") is not None:
            problems.append(f"{name}：第 1 次发布不应有文件变更（file_changes）。")
        elif number > 1:
            problems += _file_changes_problems(name, data.get("file_changes"))
        extra = sorted(set(data) - set(HEAD_KEYS))
        if extra:
            problems.append(
                f"{name}：第 {number} 次发布的记录含有不属于它的字段（{'、'.join(extra)[:200]}）。"
            )
        return problems
    expected = f"{RELEASES}/{number}/{MANIFEST}"
    problem = _entry_problem(data.get("head"), lambda path: None if path == expected else f"不是 {expected}")
    if problem:
        problems.append(f"{name}：本次发布的记录条目（head）{problem}，已拒绝。")
    files = data.get("files")
    if isinstance(files, list) and _is_size(data.get("file_count")) and len(files) != data["file_count"]:
        problems.append(
            f"{name}：文件列表有 {len(files)} 个文件，与其记录的文件数（file_count）{data['file_count']} 不符。"
        )
    return problems


def manifest_problems(
    name: str, data: object, release: int | None = None, *, head: bool = False
) -> list[str]:
    """What makes a parsed release manifest unusable (Chinese, each naming the manifest ``name``
    and the entry), or []: its format, version and release number (``release`` if given), the change
    list at ``releases/<n>/changes.json``, the link to release n-1 and every file entry's path (a
    covered file, checked by ``path_problem``), size and SHA-256, without duplicates. ``head``: the
    record is ``releases/<n>/manifest.json``: in version 2 a head, without ``files``."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return [f"{name}：不是 gongkai 发布清单（format 不是 {FORMAT}）或已损坏。"]
    problem = release_problem(data.get("release"))
    if problem:
        return [f"{name}：{problem}。"]
    number = int(data["release"])
    if release is not None and number != release:
        return [f"{name}：发布序号（release）为 {number}，应为 {release}。"]
    version = data.get("version", 1)
    if version not in (1, VERSION) or isinstance(version, bool):
        return [
            f"{name}：格式版本（version）为“{shown(json.dumps(version, ensure_ascii=False)[:40])}”，"
            f"本版 gongkai 只能读取 1 或 {VERSION}：请升级 gongkai。"
        ]
    problems: list[str] = []
    expected = f"{RELEASES}/{number}/{CHANGES}"
    changes = data.get("changes")
    if changes is not None:
        problem = _entry_problem(changes, lambda path: None if path == expected else f"不是 {expected}")
        if problem:
            problems.append(f"{name}：更新记录条目（changes）{problem}，已拒绝。")
    previous = data.get("previous")
    if number == 1 and previous is not None:
        problems.append(f"{name}：第 1 次发布不应指向更早的发布（previous）。")
    if number > 1 and (
        not isinstance(previous, dict)
        or previous.get("release") != number - 1
        or previous.get("path", f"{RELEASES}/{number - 1}/{MANIFEST}")
        != f"{RELEASES}/{number - 1}/{MANIFEST}"
        or not isinstance(previous.get("sha256"), str)
        or not _SHA256.fullmatch(previous["sha256"])
    ):
        problems.append(
            f"{name}：第 {number} 次发布的清单没有按格式指向第 {number - 1} 次发布（previous 应含 release、"
            f"path {RELEASES}/{number - 1}/{MANIFEST} 和 SHA-256）。"
        )
    if version == VERSION:
        problems += _head_problems(name, data, number, head)
        if head:
            return problems
    files = data.get("files")
    if not isinstance(files, list):
        return [*problems, f"{name}：文件列表（files）缺失或不是列表。"]
    seen: set[str] = set()
    bad = [
        f"{name}：文件条目 {index}{problem}，已拒绝（未读取、未写入）。"
        for index, problem in _judged(files, seen)
    ]
    for path in sorted(seen):  # a file cannot also be a folder of another entry
        folder = path.rpartition("/")[0]  # the paths are checked: relative, no empty or "." parts
        while folder:
            if folder in seen:
                bad.append(f"{name}：文件条目“{folder}”同时是“{path}”所在的目录，已拒绝。")
                break
            folder = folder.rpartition("/")[0]
    if len(bad) > MAX_LISTED:
        bad = [*bad[:MAX_LISTED], f"{name}：另有 {len(bad) - MAX_LISTED} 个文件条目有同样的问题。"]
    return problems + bad


def file_entries(
    site_dir: Path,
    known: dict[str, str] | None = None,
    written: dict[str, tuple[int, str]] | None = None,
    kept: dict[str, tuple[int, str]] | None = None,
) -> list[dict[str, Any]]:
    """Path, size and SHA-256 of every covered file: ``known`` (SHA-256) and ``written`` (size and
    SHA-256, from a ``Ledger``) save reading and hashing files already hashed. ``kept`` (path →
    size and SHA-256) are the files the published site keeps as they are: covered ones are listed too."""
    known = known or {}
    written = written or {}
    kept = kept or {}
    entries = []
    covered = set(covered_files(site_dir))
    covered.update(path for path in kept if is_covered(path))
    for path in sorted(covered):
        if path in kept and path not in written:
            entries.append({"path": path, "size": kept[path][0], "sha256": kept[path][1]})
            continue
        if path in written:
            size, digest = written[path]
        else:
            target = site_dir / path
            size, digest = target.stat().st_size, known.get(path) or sha256_file(target)
        entries.append({"path": path, "size": size, "sha256": digest})
    return entries


def read_previous(previous_site: Path | None, ours: str | None = None) -> tuple[bytes, dict[str, Any]] | None:
    """The manifest of the currently published site, if it has one (checked: a damaged or hostile
    manifest stops the build with ``OpenDataError``; not entry by entry if its SHA-256 is ``ours``,
    that of the manifest this user's last build wrote)."""
    from generator.export import OpenDataError
    from generator.release.source import Source
    from generator.release.verify import ManifestError, read_manifest

    if previous_site is None:
        return None
    try:  # read_manifest turns every refusal of the reader (SourceError) into a ManifestError
        return read_manifest(Source(str(previous_site)), ours)
    except ManifestError as error:
        if error.missing:
            return None
        raise OpenDataError(_history_message(previous_site, error.problems)) from None


def _history_message(previous_site: Path, problems: list[str]) -> str:
    lines = [
        f"已发布的网站“{previous_site}”的发布历史（{MANIFEST}、{RELEASES}/）不完整或已被改动，"
        f"无法接续哈希链，未生成网站（{len(problems)} 个问题）："
    ]
    lines += [f"  · {problem}" for problem in problems]
    lines.append("请用 gongkai verify 核对该目录，或用 gongkai fetch-published 从线上网站重新取回。")
    return "\n".join(lines)


def carry_releases(
    previous_site: Path | None,
    site_dir: Path,
    read: tuple[bytes, dict[str, Any]] | None = None,
    checked: dict[str, dict[str, Any]] | None = None,
    published: Callable[[str], bool] | None = None,
    changes_out: dict[int, bytes] | None = None,
    *,
    trusted: bool = False,
) -> dict[str, dict[str, Any]]:
    """Copy the earlier releases' manifests and change lists into the new site: only the files
    the previous site's verified hash chain names (``releases/<n>/manifest.json`` of every release
    and the change list each manifest lists, matching its size and SHA-256), read as regular
    files inside the site. Anything else under ``releases/`` is not carried over; a broken chain
    stops the build (``OpenDataError``). ``checked``: the manifests earlier builds checked
    (``release_chain``); returns those of this chain, the next build's ``checked``.

    ``published(path)``: True if the published site keeps that file as it is (a rebuild of the
    same site, whose state it checked): a file the chain verified is then left there, not copied,
    so that a rebuild's cost does not grow with the number of releases. ``changes_out`` gets each
    earlier release's change list (its bytes, as verified), by release number. ``trusted``: the
    manifest is the one this user's last build wrote (its file list is not hashed again)."""
    from generator.export import OpenDataError
    from generator.release.source import Source
    from generator.release.verify import ManifestError, chain_part, check_file, read_manifest, release_chain

    if previous_site is None:
        return {}
    source = Source(str(previous_site))
    try:
        # ``read``: the manifest as ``read_previous`` read and checked it at the start of the build.
        raw, manifest = read if read is not None else read_manifest(source)
    except ManifestError as error:
        raise OpenDataError(_history_message(previous_site, error.problems)) from None
    change_lists: list[tuple[int, dict[str, Any]]] = []
    chain: dict[str, dict[str, Any]] = {}

    def keep(number: int, data: bytes, parsed: dict[str, Any]) -> None:
        path = f"{RELEASES}/{number}/{MANIFEST}"
        if published is None or not published(path):
            (site_dir / path).parent.mkdir(parents=True, exist_ok=True)
            (site_dir / path).write_bytes(data)
        chain[sha256_bytes(data)] = chain_part(parsed)
        if isinstance(parsed.get("changes"), dict):
            change_lists.append((number, parsed["changes"]))

    problems = release_chain(source, raw, manifest, keep, checked, trusted=trusted)
    for number, entry in change_lists if not problems else []:
        pieces: list[bytes] = []
        problem = check_file(source, entry, pieces.append)
        if problem:
            problems.append(problem)
            continue
        if changes_out is not None:
            changes_out[number] = b"".join(pieces)
        if published is None or not published(entry["path"]):
            (site_dir / entry["path"]).parent.mkdir(parents=True, exist_ok=True)
            with (site_dir / entry["path"]).open("xb") as handle:
                for piece in pieces:
                    handle.write(piece)
    if problems:
        raise OpenDataError(_history_message(previous_site, problems))
    return chain


def dumps(data: Any) -> bytes:
    """``json.dumps(data, ensure_ascii=False, indent=1)`` and a newline, as UTF-8 (``dumps_indented``:
    the same bytes, without the pure-Python encoder that ``indent`` costs)."""
    from generator.export.jsonout import dumps_indented

    return (dumps_indented(data) + "\n").encode("utf-8")


def write_manifest(
    site_dir: Path,
    previous: tuple[bytes, dict[str, Any]] | None,
    commit: dict[str, Any] | None,
    data_through: str,
    changes: dict[str, Any],
    known: dict[str, str] | None = None,
    written: dict[str, tuple[int, str]] | None = None,
    kept: dict[str, tuple[int, str]] | None = None,
) -> tuple[int, bool]:
    """Write ``manifest.json`` and ``releases/<n>/``; return (release number, whether it is new)."""
    files = file_entries(site_dir, known, written, kept)
    if previous is not None:
        raw, old = previous
        if old.get("files") == files and old.get("data") == commit:
            (site_dir / MANIFEST).write_bytes(raw)  # nothing changed: the same release
            return int(old["release"]), False
    number = int(previous[1]["release"]) + 1 if previous else 1
    release_dir = site_dir / RELEASES / str(number)
    release_dir.mkdir(parents=True, exist_ok=True)
    changes = {**changes, "release": number}
    change_bytes = dumps(changes)
    (release_dir / CHANGES).write_bytes(change_bytes)
    head = {
        "format": FORMAT,
        "version": VERSION,
        "release": number,
        "data_through": data_through,
        "data": commit,
        "previous": {
            "release": int(previous[1]["release"]),
            "path": f"{RELEASES}/{previous[1]['release']}/{MANIFEST}",
            "sha256": previous_head_sha256(*previous),
        }
        if previous
        else None,
        "changes": {
            "path": f"{RELEASES}/{number}/{CHANGES}",
            "size": len(change_bytes),
            "sha256": sha256_bytes(change_bytes),
        },
        "file_count": len(files),
        "files_sha256": list_sha256(entry_digests(files)),
        "file_changes": file_changes(previous[1]["files"], files) if previous else None,
    }
    head_bytes = dumps(head)
    (release_dir / MANIFEST).write_bytes(head_bytes)
    head_entry = {
        "path": f"{RELEASES}/{number}/{MANIFEST}",
        "size": len(head_bytes),
        "sha256": sha256_bytes(head_bytes),
    }
    (site_dir / MANIFEST).write_bytes(dumps({**shared(head), "head": head_entry, "files": files}))
    return number, True


def previous_head_sha256(raw: bytes, manifest: dict[str, Any]) -> str:
    """The SHA-256 the next release names as its previous one: of ``releases/<n>/manifest.json``,
    which is the head a version 2 manifest names, and the manifest's own bytes in version 1."""
    head = manifest.get("head")
    if manifest.get("version") == VERSION and isinstance(head, dict):
        return str(head["sha256"])
    return sha256_bytes(raw)
