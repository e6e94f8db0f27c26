"""Index stage: build the Pagefind search index of the rendered site.

Pagefind's *extended* build segments Chinese text. Versions before 1.6.0 split a query in the
browser differently from the index (upstream issue #1237) and miss pages for compound words such
as 大额度资金, so the binary from the npm package ``pagefind`` 1.6.0 (installed by ``make``) is
preferred over the older one that the PyPI wrapper ships.
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from generator.site import PROJECT_ROOT

NPM_BINARY = PROJECT_ROOT / "node_modules" / "@pagefind" / "linux-x64" / "bin" / "pagefind_extended"
MIN_VERSION = (1, 6, 0)
BUNDLE_DIR = "pagefind"


class SearchIndexError(RuntimeError):
    """Pagefind could not be found or failed; the message is Chinese."""


@dataclass(frozen=True)
class IndexResult:
    pages: int
    version: str
    warning: str


def find_binary() -> Path:
    """PAGEFIND_BINARY_PATH, else the npm 1.6 binary, else the PyPI ``pagefind[extended]`` binary."""
    configured = os.environ.get("PAGEFIND_BINARY_PATH")
    if configured:
        return Path(configured)
    if NPM_BINARY.exists():
        return NPM_BINARY
    try:
        from pagefind_bin_extended import get_executable  # type: ignore[import-untyped]
    except ImportError:
        raise SearchIndexError(
            "找不到 Pagefind 检索索引程序：请运行 make install（或 npm ci）安装。"
        ) from None
    return Path(get_executable())


def binary_version(binary: Path) -> tuple[int, ...]:
    try:
        output = subprocess.run([str(binary), "--version"], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError) as exc:
        raise SearchIndexError(f"无法运行 Pagefind 检索索引程序 {binary}：{exc}") from None
    match = re.search(r"(\d+)\.(\d+)\.(\d+)", output)
    return tuple(int(part) for part in match.groups()) if match else (0, 0, 0)


def build_index(site_dir: Path) -> IndexResult:
    """Index every page that has a ``data-pagefind-body`` element; write ``site/pagefind/``."""
    binary = find_binary()
    version = binary_version(binary)
    warning = ""
    if version < MIN_VERSION:
        warning = (
            f"Pagefind 版本为 {'.'.join(map(str, version))}，低于 1.6.0：中文复合词（如“大额度资金”）可能检索不全。"
            "请运行 make install 安装 1.6.0。"
        )
    command = [str(binary), "--site", str(site_dir), "--output-subdir", BUNDLE_DIR, "--force-language", "zh"]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip()[-2000:]
        raise SearchIndexError(f"生成检索索引失败（Pagefind 退出码 {result.returncode}）：\n{detail}")
    match = re.search(r"Indexed (\d+) pages?", result.stdout)
    return IndexResult(
        pages=int(match.group(1)) if match else 0, version=".".join(map(str, version)), warning=warning
    )
