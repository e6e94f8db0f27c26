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
    """Copy ``source`` (a directory) into the cache, with an optional ``note`` (read back by ``note``);
    a failed or partial copy is never visible."""
    target = root / kind / key
    if (target / ".complete").exists():
        return
    (root / kind).mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{key[:12]}-", dir=root / kind))
    try:
        shutil.copytree(source, staging, dirs_exist_ok=True)
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
    for source in sorted(cached.rglob("*")):
        relative = source.relative_to(cached)
        if str(relative) in (".complete", ".note"):
            continue
        destination = target / relative
        if source.is_dir():
            destination.mkdir(parents=True, exist_ok=True)
            continue
        destination.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(source, destination)
        except OSError:
            shutil.copyfile(source, destination)
