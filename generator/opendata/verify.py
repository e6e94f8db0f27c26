"""``gongkai verify``: check a downloaded copy or a mirror of the site against its manifests.

Every file in the current manifest must be present with the same size and SHA-256, the current
manifest must equal ``releases/<n>/manifest.json``, and each release's manifest must name the
SHA-256 of the one before it: a file that differs or is missing, or an earlier release whose
manifest was rewritten or removed, is reported in Chinese.
"""

from __future__ import annotations

import hashlib
import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.opendata.manifest import FORMAT, MANIFEST, RELEASES


class VerifyUsageError(ValueError):
    """The target is neither a directory nor an http(s) address (Chinese message)."""


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


Reader = Callable[[str], bytes | None]


def reader_for(target: str) -> tuple[Reader, bool]:
    if target.startswith(("http://", "https://")):
        base = target if target.endswith("/") else target + "/"

        def fetch(path: str) -> bytes | None:
            url = urllib.parse.urljoin(base, urllib.parse.quote(path))
            try:
                with urllib.request.urlopen(url, timeout=60) as response:
                    return bytes(response.read())
            except urllib.error.HTTPError as error:
                if error.code == 404:
                    return None
                raise

        return fetch, True
    root = Path(target)
    if not root.is_dir():
        raise VerifyUsageError(f"“{target}”既不是目录，也不是 http(s) 网址。")

    def read(path: str) -> bytes | None:
        try:
            return (root / path).read_bytes()
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            return None

    return read, False


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class ManifestError(Exception):
    """The current release manifest cannot be read, is missing or is damaged (Chinese message)."""

    def __init__(self, message: str, *, missing: bool = False) -> None:
        super().__init__(message)
        self.missing = missing  # no manifest at all (as opposed to unreadable or damaged)


def read_manifest(read: Reader) -> tuple[bytes, dict[str, Any]]:
    """The current release manifest, as published (``raw``) and parsed."""
    try:
        raw = read(MANIFEST)
    except (OSError, urllib.error.URLError) as error:
        raise ManifestError(f"无法读取发布清单 {MANIFEST}（{error}）。") from None
    if raw is None:
        raise ManifestError(
            f"找不到发布清单 {MANIFEST}：这不是 gongkai 生成的网站，或清单已被删除。", missing=True
        )
    try:
        manifest = json.loads(raw)
        assert isinstance(manifest, dict) and manifest.get("format") == FORMAT
        int(manifest["release"])
        assert isinstance(manifest["files"], list)
    except (ValueError, AssertionError, KeyError, TypeError):
        raise ManifestError(f"发布清单 {MANIFEST} 已损坏或格式不符。") from None
    return raw, manifest


def file_problem(read: Reader, entry: dict[str, Any]) -> tuple[bytes | None, str | None]:
    """A file named by a manifest entry (path, size, sha256): its bytes, or the problem (Chinese)."""
    path = str(entry["path"])
    try:
        data = read(path)
    except (OSError, urllib.error.URLError) as error:
        return None, f"{path}：无法读取（{error}）。"
    if data is None:
        return None, f"{path}：文件缺失。"
    if len(data) != entry["size"] or _sha(data) != entry["sha256"]:
        return None, (
            f"{path}：文件内容与发布清单不符（清单记录 {entry['size']} 字节、SHA-256 {str(entry['sha256'])[:12]}…，"
            f"实际 {len(data)} 字节、SHA-256 {_sha(data)[:12]}…）。"
        )
    return data, None


def verify(target: str) -> VerifyReport:
    read, remote = reader_for(target)
    report = VerifyReport(target)
    try:
        raw, manifest = read_manifest(read)
    except ManifestError as error:
        report.problems.append(str(error))
        return report
    report.release = int(manifest["release"])
    files = manifest["files"]

    def check(entry: dict[str, Any]) -> str | None:
        return file_problem(read, entry)[1]

    with ThreadPoolExecutor(max_workers=8 if remote else 4) as pool:
        results = list(pool.map(check, files))
    report.checked = len(files)
    report.problems += [r for r in results if r]

    changes = manifest.get("changes")
    if isinstance(changes, dict):
        problem = check(changes)
        if problem:
            report.problems.append(problem.replace("：", "（本次发布的更新记录）：", 1))

    report.problems += release_chain(read, raw, manifest)[0]
    return report


def release_chain(
    read: Reader, raw: bytes, manifest: dict[str, Any]
) -> tuple[list[str], list[tuple[int, bytes, dict[str, Any]]]]:
    """The hash chain: release n's manifest is the current one (``raw``, parsed ``manifest``), and
    each release's manifest names the SHA-256 of the one before it. Returns the problems (Chinese)
    and the manifests read, newest first, as (release, bytes, parsed)."""
    problems: list[str] = []
    release = int(manifest["release"])
    current_copy = read(f"{RELEASES}/{release}/{MANIFEST}")
    if current_copy is None:
        problems.append(f"{RELEASES}/{release}/{MANIFEST}：第 {release} 次发布的清单缺失。")
    elif current_copy != raw:
        problems.append(f"{RELEASES}/{release}/{MANIFEST}：与当前发布清单 {MANIFEST} 不一致，已被改写。")
    chain = [(release, raw, manifest)]
    data = manifest
    for number in range(release, 1, -1):
        previous = data.get("previous") or {}
        path = f"{RELEASES}/{number - 1}/{MANIFEST}"
        earlier = read(path)
        if earlier is None:
            problems.append(f"{path}：第 {number - 1} 次发布的清单缺失，哈希链断裂。")
            break
        if _sha(earlier) != previous.get("sha256"):
            problems.append(
                f"{path}：第 {number - 1} 次发布的清单已被改写（其 SHA-256 与第 {number} 次发布清单记录的不符）。"
            )
        try:
            data = json.loads(earlier)
            assert int(data["release"]) == number - 1
        except (ValueError, AssertionError, KeyError, TypeError):
            problems.append(f"{path}：第 {number - 1} 次发布的清单已损坏或格式不符。")
            break
        chain.append((number - 1, earlier, data))
    return problems, chain
