"""The published site as the last build left it: what the next build may keep instead of redoing.

A quarterly rebuild changes a few units; the rest of the site (record pages, search shards, bulk
downloads, API files) is already published and right. The build keeps a file of the published site
only when it can show that it is unchanged:

* ``files``: every file's size and modification time (ns) as the last publish left them, and the
  modification time of every folder that holds them. Before it keeps anything, the next build
  checks the site (one ``lstat`` a file and a folder, nothing read or listed): any difference, and
  the state is not used at all (the build is a full one). A file more or less changes its folder's
  time (the kernel updates it for each name added, removed or renamed), a file written in place
  its own time or size, and a link or a device where a file or folder was is not one.
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
import marshal
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from generator.core.cache import Cache

_FORMAT = "gongkai-site-state/4"


@dataclass
class UnitPages:
    key: str
    pages: list[str]
    #: The key of each quarter's pages (quarter → key, ``generator.render.keys.package_keys``), and of
    #: each decision page (``decision_slot``, quarter/decision → key): a unit whose key changed keeps
    #: the pages of the quarters whose key did not, and in its other quarters the decision pages
    #: whose key did not.
    packages: dict[str, str] = field(default_factory=dict)


@dataclass
class SiteState:
    input_key: str = ""
    files: dict[str, tuple[int, int]] = field(default_factory=dict)  # path → (size, mtime ns)
    units: dict[str, UnitPages] = field(default_factory=dict)
    shards: dict[str, str] = field(default_factory=dict)  # bundle folder ("pagefind/") → key
    bulk: str = ""
    #: Modification time (ns) of each folder that holds a file, as the last publish left them.
    folders: dict[str, int] = field(default_factory=dict, repr=False)

    #: The files' paths by their top folder ("pagefind-2/"), made by the first ``under``: a rebuild
    #: keeps each unchanged search shard's folder, and 8 scans of 74,000 paths took 0.13 s.
    _tops: dict[str, list[str]] | None = field(default=None, init=False, repr=False, compare=False)

    def under(self, folder: str) -> list[str]:
        """Every file of the published site under ``folder`` (ending in "/"), in ``files``' order."""
        if self._tops is None:
            self._tops = {}
            for path in self.files:
                self._tops.setdefault(path.partition("/")[0] + "/", []).append(path)
        top = self._tops.get(folder.partition("/")[0] + "/", [])
        return [path for path in top if path.startswith(folder)]


def _name(out_dir: Path) -> str:
    # One state per output folder, also when $GONGKAI_CACHE_DIR makes several share a cache.
    return "site-state-" + hashlib.sha256(os.fsencode(out_dir.resolve())).hexdigest()[:16] + ".bin"


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


def read_state(cache: Cache | None, out_dir: Path) -> SiteState | None:
    """The state the last publish into ``out_dir`` left, if it is sealed, not yet compared with the
    site (``site_as_recorded``): a build reads it first and checks the site while its workers run."""
    if cache is None or not out_dir.is_dir():
        return None
    body = cache.read_sealed(_name(out_dir))
    if body is None:
        return None
    try:
        fmt, out, input_key, files, folders, units, shards, bulk = marshal.loads(body)
        if fmt != _FORMAT or out != str(out_dir.resolve()):
            return None
        state = SiteState(
            input_key,
            files,
            {unit: UnitPages(*entry) for unit, entry in units.items()},
            shards,
            bulk,
            folders,
        )
    except (ValueError, TypeError, EOFError, AttributeError):
        return None
    return state


def site_as_recorded(out_dir: Path, state: SiteState) -> bool:
    """Whether the site is exactly as ``state`` says: every folder that holds a file with its
    recorded time (no more, no fewer), then every file with its size and time."""
    return folder_times(out_dir, state.files) == state.folders and _files_as_recorded(out_dir, state.files)


def _folders(files: Iterable[str]) -> set[str]:
    """The site's own folder ("") and every folder ("a/", "a/b/") that holds one of ``files``."""
    folders = {""}
    for path in files:
        end = path.rfind("/")
        while end > 0 and path[: end + 1] not in folders:
            folders.add(path[: end + 1])
            end = path.rfind("/", 0, end)
    return folders


def folder_times(
    site: Path, files: Iterable[str], known: dict[str, int] | None = None, changed: Iterable[str] = ()
) -> dict[str, int] | None:
    """Modification time (ns) of each folder of ``site`` that holds ``files``; None if one is not a
    real folder or cannot be read. ``known``: times found before, taken as they are for every folder
    that is not the site's own or one of the folders of a ``changed`` file."""
    known = known or {}
    looked = {""} | _folders(changed) if known else set()  # without known times, every folder is looked at
    times = {}
    try:
        root = os.open(site, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return None
    try:
        for folder in _folders(files):
            if folder in known and folder not in looked:
                times[folder] = known[folder]
                continue
            status = os.lstat(folder or ".", dir_fd=root)
            if not stat.S_ISDIR(status.st_mode):
                return None
            times[folder] = status.st_mtime_ns
    except OSError:
        return None
    finally:
        os.close(root)
    return times


def _files_as_recorded(site: Path, files: dict[str, tuple[int, int]]) -> bool:
    """True if every file of ``files`` is a regular file of ``site`` with the recorded size and time
    (paths looked up from the site's folder, opened once; one thread: two only fight over the GIL)."""
    try:
        root = os.open(site, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return False
    try:
        for path, (size, mtime) in files.items():
            status = os.lstat(path, dir_fd=root)
            if status.st_mtime_ns != mtime or status.st_size != size or not stat.S_ISREG(status.st_mode):
                return False
    except OSError:
        return False
    finally:
        os.close(root)
    return True


def save_state(
    cache: Cache | None,
    out_dir: Path,
    state: SiteState,
    found: SiteState | None = None,
    changed: Iterable[str] = (),
) -> None:
    """Seal ``state`` for the next build into ``out_dir`` (best effort: without it, a full build).
    ``found``: the state the site was found to match before a publish that wrote or removed only
    ``changed``: the times of the folders it did not touch are taken from it."""
    if cache is None:
        return
    folders = folder_times(out_dir, state.files, found.folders if found else None, changed)
    if folders is None:
        forget_state(cache, out_dir)
        return
    # marshal (plain values): a tenth of the time JSON takes for a hundred thousand entries. The
    # seal is what makes it trusted; another Python's format is refused like a damaged file.
    units = {unit: (u.key, u.pages, u.packages) for unit, u in state.units.items()}
    body = (
        _FORMAT,
        str(out_dir.resolve()),
        state.input_key,
        state.files,
        folders,
        units,
        state.shards,
        state.bulk,
    )
    try:
        cache.write_sealed(_name(out_dir), marshal.dumps(body))
    except (OSError, ValueError):
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
        return self.hashes.get(path) == digest and self.keep_verified(path)

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
