"""The build cache: outputs that are pure functions of their inputs, stored by content hash.

Quarterly rebuilds change one quarter; everything derived only from earlier quarters (search
index shards, bulk exports) can be reused byte for byte. The cache lives beside the output
directory (``.gongkai-cache/``) unless ``GONGKAI_CACHE_DIR`` says otherwise, and may be deleted at
any time: a cold build produces the identical site.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

CACHE_ENV = "GONGKAI_CACHE_DIR"


def cache_root(out_dir: Path) -> Path:
    configured = os.environ.get(CACHE_ENV)
    return Path(configured) if configured else out_dir.resolve().parent / ".gongkai-cache"


class ContentHash:
    """An incremental SHA-256 over named pieces (name and bytes are both hashed, length-prefixed)."""

    def __init__(self, kind: str) -> None:
        self._hash = hashlib.sha256(kind.encode("utf-8"))

    def add(self, name: str, data: bytes) -> None:
        for part in (name.encode("utf-8"), data):
            self._hash.update(len(part).to_bytes(8, "big"))
            self._hash.update(part)

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


def lookup(root: Path, kind: str, key: str) -> Path | None:
    """The cached directory for ``key``, if a complete one exists."""
    path = root / kind / key
    return path if (path / ".complete").exists() else None


def store(root: Path, kind: str, key: str, source: Path, note: str = "") -> None:
    """Put ``source`` (a directory) into the cache, with an optional ``note`` (read back by ``note``);
    a failed or partial copy is never visible. Files are hard-linked where the file system allows
    (the site and the cache are only ever replaced, never edited in place), else copied."""
    target = root / kind / key
    if (target / ".complete").exists():
        return
    (root / kind).mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{key[:12]}-", dir=root / kind))
    try:
        _link_tree(source, staging)
        (staging / ".note").write_text(note, encoding="utf-8")
        (staging / ".complete").write_text("", encoding="utf-8")
        shutil.rmtree(target, ignore_errors=True)
        staging.rename(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def note(cached: Path) -> str:
    return (cached / ".note").read_text(encoding="utf-8")


def restore(cached: Path, target: Path) -> None:
    """Hard-link (or copy, across file systems) a cached directory's files into ``target``."""
    _link_tree(cached, target, skip=(".complete", ".note"))


def _link_tree(source: Path, target: Path, skip: tuple[str, ...] = ()) -> None:
    """Every file of ``source`` hard-linked (or copied, across file systems) under ``target``."""
    link = True
    for folder, _dirs, files in os.walk(source):
        relative = os.path.relpath(folder, source)
        destination = target if relative == "." else target / relative
        destination.mkdir(parents=True, exist_ok=True)
        for name in files:
            if relative == "." and name in skip:
                continue
            if link:
                try:
                    os.link(os.path.join(folder, name), destination / name)
                    continue
                except OSError:
                    link = False
            shutil.copyfile(os.path.join(folder, name), destination / name)
