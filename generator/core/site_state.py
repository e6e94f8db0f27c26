"""The published site as the last build left it: what the next build may keep instead of redoing.

A quarterly rebuild changes a few units; the rest of the site (record pages, search shards, bulk
downloads, API files) is already published and right. The build keeps a file of the published site
only when it can show that it is unchanged:

* ``files``: every file's size and modification time (ns) as the last publish left them. Before it
  keeps anything, the next build walks the site (one ``lstat`` a file, nothing read) and compares:
  any difference, a file more or less, a link or a device where a file was, and the state is not
  used at all (the build is a full one).
* ``units``: the key of each unit's record pages (``generator.render.keys``) and the pages it made;
* ``shards``: the key of each published search shard (a Pagefind bundle folder);
* ``bulk``: the key of the published bulk downloads (``downloads/all/``);
* ``input``: the key of everything the build read (data, settings, theme, code): when it is
  unchanged, so is the site, and the build has nothing to do.

The state lives in the build cache (``generator.core.cache``), sealed with this user's key: a
missing, altered, planted or stale state only makes the next build a full one, never a different one.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.core.cache import Cache

_FORMAT = "gongkai-site-state/1"


@dataclass
class UnitPages:
    key: str
    pages: list[str]


@dataclass
class SiteState:
    input_key: str = ""
    files: dict[str, tuple[int, int]] = field(default_factory=dict)  # path → (size, mtime ns)
    units: dict[str, UnitPages] = field(default_factory=dict)
    shards: dict[str, str] = field(default_factory=dict)  # bundle folder ("pagefind/") → key
    bulk: str = ""

    def under(self, folder: str) -> list[str]:
        """Every file of the published site under ``folder`` (ending in "/")."""
        return [path for path in self.files if path.startswith(folder)]


def _name(out_dir: Path) -> str:
    # One state per output folder, also when $GONGKAI_CACHE_DIR makes several share a cache.
    return "site-state-" + hashlib.sha256(os.fsencode(out_dir.resolve())).hexdigest()[:16] + ".json"


def snapshot(site: Path) -> dict[str, tuple[int, int]] | None:
    """Size and modification time of every file under ``site``; None if it holds anything but
    regular files and real folders (a link, FIFO, socket or device) or cannot be read."""
    files: dict[str, tuple[int, int]] = {}
    pending = [(str(site), "")]
    try:
        while pending:
            folder, prefix = pending.pop()
            with os.scandir(folder) as entries:
                for item in entries:
                    status = item.stat(follow_symlinks=False)
                    if stat.S_ISDIR(status.st_mode):
                        pending.append((item.path, f"{prefix}{item.name}/"))
                    elif stat.S_ISREG(status.st_mode):
                        files[prefix + item.name] = (status.st_size, status.st_mtime_ns)
                    else:
                        return None
    except OSError:
        return None
    return files


def load_state(cache: Cache | None, out_dir: Path) -> SiteState | None:
    """The state the last publish into ``out_dir`` left, if it is sealed and the site is exactly
    as it says (every file's size and time); else None (a full build)."""
    if cache is None or not out_dir.is_dir():
        return None
    body = cache.read_sealed(_name(out_dir))
    if body is None:
        return None
    try:
        raw: dict[str, Any] = json.loads(body)
        if raw.get("format") != _FORMAT or raw.get("out") != str(out_dir.resolve()):
            return None
        state = SiteState(
            input_key=str(raw["input"]),
            files={str(p): (int(s), int(t)) for p, (s, t) in raw["files"].items()},
            units={
                str(u): UnitPages(str(v["key"]), [str(p) for p in v["pages"]])
                for u, v in raw["units"].items()
            },
            shards={str(b): str(k) for b, k in raw["shards"].items()},
            bulk=str(raw["bulk"]),
        )
    except (ValueError, TypeError, KeyError, AttributeError):
        return None
    if snapshot(out_dir) != state.files:
        return None
    return state


def save_state(cache: Cache | None, out_dir: Path, state: SiteState) -> None:
    """Seal ``state`` for the next build into ``out_dir`` (best effort: without it, a full build)."""
    if cache is None:
        return
    raw = {
        "format": _FORMAT,
        "out": str(out_dir.resolve()),
        "input": state.input_key,
        "files": {path: list(entry) for path, entry in sorted(state.files.items())},
        "units": {unit: {"key": u.key, "pages": u.pages} for unit, u in sorted(state.units.items())},
        "shards": dict(sorted(state.shards.items())),
        "bulk": state.bulk,
    }
    try:
        cache.write_sealed(_name(out_dir), json.dumps(raw, ensure_ascii=False).encode("utf-8"))
    except OSError:
        forget_state(cache, out_dir)


def forget_state(cache: Cache | None, out_dir: Path) -> None:
    """Drop the state (the site was changed by other means than a finished publish)."""
    if cache is not None:
        cache.forget(_name(out_dir))


@dataclass
class Keep:
    """What this build keeps of the published site instead of writing it again.

    With no trusted ``state`` (a first or full build) nothing is kept: every file is written."""

    state: SiteState | None = None
    #: SHA-256 of the published open-data files, from the published manifest (used only with a state).
    hashes: dict[str, str] = field(default_factory=dict)
    paths: set[str] = field(default_factory=set)

    def unchanged(self, path: str, digest: str) -> bool:
        """True (and the file is kept) if the published ``path`` is exactly these bytes."""
        if self.state is None or path not in self.state.files or self.hashes.get(path) != digest:
            return False
        self.paths.add(path)
        return True

    def keep_verified(self, path: str) -> bool:
        """True (and the file is kept) if the published site holds ``path`` and its bytes were
        verified otherwise (an earlier release's file, by the hash chain)."""
        if self.state is None or path not in self.state.files:
            return False
        self.paths.add(path)
        return True

    def folder(self, folder: str) -> list[str]:
        """Keep every published file under ``folder``; return their paths."""
        paths = self.state.under(folder) if self.state else []
        self.paths.update(paths)
        return paths

    def size(self, path: str) -> int:
        assert self.state is not None
        return self.state.files[path][0]
