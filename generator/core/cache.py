"""The build cache: outputs that are pure functions of their inputs, stored by content hash.

Quarterly rebuilds change one quarter; everything derived only from earlier quarters (search
index shards, bulk exports) can be reused byte for byte. The cache may be deleted at any time: a
cold build produces the identical site.

Where it lives: ``$GONGKAI_CACHE_DIR`` exactly, else ``$XDG_CACHE_HOME/gongkai/`` or
``~/.cache/gongkai/`` with one sub-folder per output directory (a hash of its resolved path), so
two portals never mix. Never beside ``--out``: a folder in the checkout could be planted by a pull
request.

Nothing in it is trusted unread. Each entry holds a manifest (every file's path, size and SHA-256)
sealed with an HMAC under a per-user secret key (``secret.key`` in the cache folder, mode 0600,
created on first use). An entry is served only if its seal checks, every file it holds is a regular
file named by the manifest and every file's bytes match their hash; anything else is a miss (and
the entry is removed), so a damaged or planted cache makes a build slower, never different.

A search shard's bundle (thousands of small files) is kept as one *pack* instead
(``store_pack``): its header (every file's path and size) and the files' bytes in one file,
sealed whole the same way. One write costs less than a hard link a file (100–400 µs each on a
disk), and a pack is served only if its seal checks.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
import io
import json
import os
import secrets
import shutil
import stat
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from generator.core import scratch

CACHE_ENV = "GONGKAI_CACHE_DIR"
KEY_FILE = "secret.key"
ENTRY_FILE = ".gongkai-entry"  # the sealed manifest of an entry: MAC, newline, JSON
STAGING_PREFIX = ".staging-"
_FORMAT = "gongkai-cache-entry/1"
_PACK_FORMAT = "gongkai-cache-pack/1"
_PACK_SUFFIX = ".pack"
_KEY_HEX = 64  # a 256-bit key, hex
_MAX_MANIFEST = 64 * 1024 * 1024
_CHUNK = 1024 * 1024


def cache_base() -> tuple[Path, bool]:
    """The folder that holds the secret key, and whether it is the user's own choice (``$GONGKAI_CACHE_DIR``)."""
    configured = os.environ.get(CACHE_ENV)
    if configured:
        return Path(configured), True
    xdg = os.environ.get("XDG_CACHE_HOME")
    home = Path(xdg) if xdg and os.path.isabs(xdg) else Path.home() / ".cache"
    return home / "gongkai", False


def output_id(out_dir: Path) -> str:
    """A short name of the output folder ``out_dir`` (a hash of its resolved path)."""
    return hashlib.sha256(os.fsencode(out_dir.resolve())).hexdigest()[:16]


def cache_root(out_dir: Path) -> Path:
    """The cache folder of the site built into ``out_dir``."""
    base, chosen = cache_base()
    if chosen:
        return base
    return base / output_id(out_dir)


@functools.cache
def code_fingerprint() -> str:
    """SHA-256 of the generator's own code and schemas: part of every cache key, so that a new
    version of the code never serves what an older one wrote (no version to remember to bump)."""
    package = Path(__file__).resolve().parent.parent
    digest = ContentHash("gongkai-code")
    for path in sorted([*package.rglob("*.py"), *package.rglob("*.json"), *package.rglob("*.yaml")]):
        digest.add(path.relative_to(package).as_posix(), path.read_bytes())
    return digest.hexdigest()


class ContentHash:
    """An incremental SHA-256 over named pieces (name and bytes are both hashed, length-prefixed)."""

    def __init__(self, kind: str) -> None:
        self._hash = hashlib.sha256(kind.encode("utf-8"))

    def add(self, name: str, data: bytes) -> None:
        for part in (name.encode("utf-8"), data):
            self._hash.update(len(part).to_bytes(8, "big"))
            self._hash.update(part)

    def add_tree(self, label: str, root: Path, skip: frozenset[Path] = frozenset()) -> None:
        """Every file under ``root`` by its path below it (or ``root`` itself, a file): its bytes,
        or a mark for anything but a regular file. Hidden folders, and the folders in ``skip``
        (resolved paths), are left out."""
        if root.is_file():
            self.add(label, root.read_bytes())
            return
        for top, dirs, names in os.walk(root):
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and Path(top, d).resolve() not in skip)
            for name in sorted(names):
                path = Path(top, name)
                data = path.read_bytes() if path.is_file() and not path.is_symlink() else b"(not a file)"
                self.add(f"{label} {path.relative_to(root).as_posix()}", data)

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


@dataclass(frozen=True)
class Entry:
    """A verified cache entry: its folder, note, and every file's (size, SHA-256, device, inode)."""

    path: Path
    note: str
    files: dict[str, tuple[int, str, int, int]]

    def restore(self, target: Path, copy: bool = False) -> None:
        """Hard-link (or copy, across file systems, or with ``copy``: files the build goes on to
        edit in place) the entry's files, and only those, into ``target``.

        A linked file must be the very file that was verified (same inode); a copied one must hash
        as verified. Raises ``CacheChanged`` otherwise (the cache changed during the build)."""
        link = not copy
        for relative, (size, digest, device, inode) in sorted(self.files.items()):
            source = self.path / relative
            destination = target / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            if os.path.lexists(destination):
                os.unlink(destination)
            if link:
                try:
                    os.link(source, destination, follow_symlinks=False)
                except OSError:
                    link = False
                else:
                    linked = os.lstat(destination)
                    if (linked.st_dev, linked.st_ino) != (device, inode) or not stat.S_ISREG(linked.st_mode):
                        raise CacheChanged(relative)
                    continue
            if _copy_verified(source, destination) != (size, digest):
                raise CacheChanged(relative)


class CacheChanged(RuntimeError):
    """A cache file changed between its check and its use."""


class Cache:
    """The verified build cache of one output directory."""

    def __init__(self, root: Path, secret: bytes) -> None:
        self.root, self._secret = root, secret

    @classmethod
    def open(cls, out_dir: Path) -> Cache | None:
        """The cache for ``out_dir``, created if need be; None where it cannot be used (no cache)."""
        try:
            base, _chosen = cache_base()
            root = cache_root(out_dir)
            base.mkdir(parents=True, exist_ok=True, mode=0o700)
            root.mkdir(parents=True, exist_ok=True, mode=0o700)
            secret = _secret(base)
        except (OSError, RuntimeError):  # RuntimeError: no home folder
            return None
        cache = cls(root, secret)
        cache.sweep()
        return cache

    def sweep(self) -> None:
        """Remove half-written entries left by processes that were killed."""
        with contextlib.suppress(OSError):
            for kind in os.scandir(self.root):
                if kind.is_dir(follow_symlinks=False):
                    scratch.sweep(Path(kind.path), STAGING_PREFIX)

    def _seal(self, body: bytes) -> bytes:
        return hmac.new(self._secret, body, hashlib.sha256).hexdigest().encode("ascii")

    def write_sealed(self, name: str, body: bytes) -> None:
        """Keep ``body`` under ``name`` in the cache folder, sealed with this user's key (replaced
        whole: written beside, then renamed)."""
        self._write_sealed(self.root, name, body)

    def _write_sealed(self, folder: Path, name: str, body: bytes) -> None:
        fresh = folder / f".{name}.{os.getpid()}"
        _remove(fresh)
        descriptor = os.open(fresh, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(self._seal(body) + b"\n" + body)
        os.replace(fresh, folder / name)

    def read_sealed(self, name: str, limit: int = 1 << 30) -> bytes | None:
        """What ``write_sealed`` kept under ``name``, or None if it is absent, too big or its seal
        does not check (altered, planted, or sealed under another key)."""
        return self._read_sealed(self.root / name, limit)

    def _read_sealed(self, path: Path, limit: int = 1 << 30) -> bytes | None:
        try:
            with _open_regular(path) as handle:
                sealed = handle.read(limit + 1)
        except OSError:
            return None
        mac, _newline, body = sealed.partition(b"\n")
        if len(sealed) > limit or not hmac.compare_digest(mac, self._seal(body)):
            return None
        return body

    def _kind_dir(self, kind: str) -> Path:
        """The folder of ``kind``'s entries, made if need be (a link or file in its place is removed,
        never written through)."""
        kind_dir = self.root / kind
        with contextlib.suppress(OSError):
            if not stat.S_ISDIR(os.lstat(kind_dir).st_mode):
                _remove(kind_dir)
        kind_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        return kind_dir

    def store_pack(self, kind: str, key: str, files: dict[str, bytes], note: str = "") -> None:
        """Keep ``files`` (entry name → bytes) under ``key`` as one sealed file: thousands of small
        files (a search shard's bundle) cost one write, not a hard link each (100–400 µs a file)."""
        if any(not _safe_relative(name) for name in files):
            return
        names = sorted(files)
        header: dict[str, object] = {"format": _PACK_FORMAT, "kind": kind, "key": key, "note": note}
        header["files"] = [[name, len(files[name])] for name in names]
        body = json.dumps(header, ensure_ascii=False, sort_keys=True).encode("utf-8")
        kind_dir = self._kind_dir(kind)
        self._write_sealed(
            kind_dir, f"{key}{_PACK_SUFFIX}", b"".join([body, b"\n", *(files[n] for n in names)])
        )
        _remove(kind_dir / key)  # the same bundle as an older cache kept it (a folder): never read now

    def lookup_pack(self, kind: str, key: str) -> tuple[str, dict[str, bytes]] | None:
        """What ``store_pack`` kept under ``key``: its note and files, or None (a miss: absent,
        altered, planted or stored under another key; the file is then removed)."""
        path = self.root / kind / f"{key}{_PACK_SUFFIX}"
        if not os.path.lexists(path):
            return None
        body = self._read_sealed(path)
        found = None
        if body is not None:
            with contextlib.suppress(ValueError, TypeError, KeyError):
                found = _unpack(body, kind, key)
        if found is None:
            _remove(path)
        return found

    def prune(self, kind: str, keep: set[str]) -> int:
        """Remove the entries of ``kind`` (folders and packs) whose key is not in ``keep``: those
        a build made for data that has since changed, which no later build of the same data asks
        for. Returns how many were removed. (Entries being written, hidden names, are left.) They
        are moved into a work folder at once and deleted by a detached ``rm`` (0.15 s for a bulk
        entry of 187 MB): a build killed meanwhile leaves the folder to the next build's sweep."""
        removed = 0
        with contextlib.suppress(OSError):
            with os.scandir(self.root / kind) as entries:
                stale = [
                    item.name
                    for item in entries
                    if not item.name.startswith(".") and item.name.removesuffix(_PACK_SUFFIX) not in keep
                ]
            if not stale:
                return 0
            trash = scratch.make_dir(STAGING_PREFIX, self.root / kind)
            try:
                for name in stale:
                    with contextlib.suppress(OSError):
                        os.rename(self.root / kind / name, trash / name)
                        removed += 1
            finally:
                scratch.remove_in_background(trash)
        return removed

    @staticmethod
    def slot(kind: str, identity: str) -> str:
        """The name of the one sealed file of ``kind`` kept for ``identity`` (a unit's ID, a
        package's ``unit_id/period``): ``write_keyed`` replaces it when its key changes."""
        return f"{kind}-" + hashlib.sha256(identity.encode("utf-8")).hexdigest()[:24]

    def write_keyed(self, name: str, key: str, body: bytes) -> None:
        """``write_sealed`` of ``body`` as made under ``key`` (one entry a ``name``, replaced when
        the key changes: a unit's or a package's, whatever its content)."""
        self.write_sealed(name, key.encode("ascii") + b"\n" + body)

    def read_keyed(self, name: str, key: str) -> bytes | None:
        """What ``write_keyed`` kept under ``name`` if it was made under ``key``, else None."""
        body = self.read_sealed(name)
        if body is None:
            return None
        stored, _newline, data = body.partition(b"\n")
        return data if stored == key.encode("ascii") else None

    def forget(self, name: str) -> None:
        """Remove what ``write_sealed`` kept under ``name``."""
        _remove(self.root / name)

    def lookup(self, kind: str, key: str) -> Entry | None:
        """The verified entry for ``key``, or None (a miss: absent, incomplete, altered or planted)."""
        path = self.root / kind / key
        try:
            if not stat.S_ISDIR(os.lstat(self.root / kind).st_mode):
                return None
            path_stat = os.lstat(path)
        except OSError:
            return None
        entry = None
        with contextlib.suppress(OSError, ValueError, TypeError, KeyError, AttributeError):
            entry = self._verify(path, kind, key) if stat.S_ISDIR(path_stat.st_mode) else None
        if entry is None:
            _remove(path)
        return entry

    def _verify(self, path: Path, kind: str, key: str) -> Entry | None:
        with _open_regular(path / ENTRY_FILE) as handle:
            sealed = handle.read(_MAX_MANIFEST + 1)
        mac, _newline, body = sealed.partition(b"\n")
        if len(sealed) > _MAX_MANIFEST or not hmac.compare_digest(mac, self._seal(body)):
            return None
        manifest = json.loads(body)
        if (manifest["format"], manifest["kind"], manifest["key"]) != (_FORMAT, kind, key):
            return None  # a sealed entry moved under another key is not that key's entry
        listed = {str(name): (int(size), str(digest)) for name, (size, digest) in manifest["files"].items()}
        if any(not _safe_relative(name) for name in listed):
            return None
        present = _regular_files(path)  # None: a link, FIFO, socket or device is there
        if present is None or set(present) != {*listed, ENTRY_FILE}:
            return None
        files = {}
        for name, (size, digest) in listed.items():
            with _open_regular(path / name) as handle:
                status = os.fstat(handle.fileno())
                if status.st_size != size or hashlib.file_digest(handle, "sha256").hexdigest() != digest:
                    return None
            files[name] = (size, digest, status.st_dev, status.st_ino)
        return Entry(path, str(manifest["note"]), files)

    def store(
        self,
        kind: str,
        key: str,
        source: Path,
        note: str = "",
        files: dict[str, Path] | None = None,
        copy: bool = False,
        known: dict[str, tuple[int, str]] | None = None,
    ) -> None:
        """Put ``source`` (a folder of regular files) into the cache with an optional ``note``;
        with ``files`` (entry name → regular file), those files instead; with ``copy``, copied
        (files the build goes on to edit in place).

        Files are hard-linked where the file system allows (the site and the cache are only ever
        replaced, never edited in place), else copied; their hashes are taken from the stored copies
        and sealed. ``known``: the size and SHA-256 of files the build has just written and hashed
        as it wrote them (the bulk downloads, 195 MB at 20,000 decisions): a hard-linked file of that
        size is sealed with that hash, not read again. A wrong one costs no more than a flipped byte:
        ``lookup`` hashes every file again and misses. A failed or partial store is never visible; a
        folder holding anything but regular files and folders is not stored."""
        kind_dir = self._kind_dir(kind)
        target = kind_dir / key
        staging = scratch.make_dir(STAGING_PREFIX, kind_dir)
        try:
            names = _regular_files(source) if files is None else _only_regular(files)
            if names is None or ENTRY_FILE in names or any(not _safe_relative(n) for n in names):
                return
            listed: dict[str, list[int | str]] = {}
            link = not copy
            for name in sorted(names):
                destination = staging / name
                destination.parent.mkdir(parents=True, exist_ok=True)
                origin = files[name] if files is not None else source / name
                if link:
                    try:
                        os.link(origin, destination, follow_symlinks=False)
                    except OSError:
                        link = False
                if not link:
                    shutil.copyfile(origin, destination, follow_symlinks=False)
                with _open_regular(destination) as handle:
                    size = os.fstat(handle.fileno()).st_size
                    stated = known.get(name) if known is not None and link else None
                    if stated is not None and stated[0] == size:
                        listed[name] = [size, stated[1]]
                    else:
                        listed[name] = [size, hashlib.file_digest(handle, "sha256").hexdigest()]
            manifest = {"format": _FORMAT, "kind": kind, "key": key, "note": note, "files": listed}
            body = json.dumps(manifest, ensure_ascii=False, sort_keys=True).encode("utf-8")
            (staging / ENTRY_FILE).write_bytes(self._seal(body) + b"\n" + body)
            _remove(target)
            with contextlib.suppress(OSError):  # another build stored the same entry meanwhile
                staging.rename(target)
        finally:
            _remove(staging)


def _unpack(body: bytes, kind: str, key: str) -> tuple[str, dict[str, bytes]] | None:
    """The note and files of a pack's (checked) body, or None if it is not ``kind``'s ``key``."""
    head, _newline, data = body.partition(b"\n")
    header = json.loads(head)
    if (header["format"], header["kind"], header["key"]) != (_PACK_FORMAT, kind, key):
        return None  # a sealed pack moved under another key is not that key's
    files: dict[str, bytes] = {}
    at = 0
    for name, size in header["files"]:
        if not isinstance(name, str) or not _safe_relative(name) or not isinstance(size, int) or size < 0:
            return None
        files[name] = data[at : at + size]
        at += size
    return (str(header["note"]), files) if at == len(data) else None


def _secret(base: Path) -> bytes:
    """The per-user key in ``base``: read if it is this user's private regular file, else made anew
    (which invalidates every entry sealed with a key that may have been seen or planted)."""
    path = base / KEY_FILE
    for _attempt in range(3):
        try:
            with _open_regular(path) as handle:
                status = os.fstat(handle.fileno())
                text = handle.read(_KEY_HEX + 1)
            if status.st_uid == os.geteuid() and not status.st_mode & 0o077 and len(text) == _KEY_HEX:
                return bytes.fromhex(text.decode("ascii"))
        except (OSError, ValueError):
            pass
        fresh = base / f".{KEY_FILE}.{os.getpid()}"
        _remove(fresh)
        descriptor = os.open(fresh, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(secrets.token_hex(_KEY_HEX // 2).encode("ascii"))
        try:
            if os.path.lexists(path):
                os.replace(fresh, path)  # a bad key (shared, planted, damaged) is replaced
            else:
                os.link(fresh, path)  # a new key; if another build made one meanwhile, read that
        except FileExistsError:
            pass
        finally:
            _remove(fresh)
    raise OSError("no usable cache key")


def _open_regular(path: Path) -> io.BufferedReader:
    """Open ``path`` for reading, refusing anything but a regular file (a link is not followed)."""
    descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise OSError(f"not a regular file: {path}")
        return os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise


def _regular_files(root: Path) -> list[str] | None:
    """Every file under ``root`` (POSIX relative paths), or None if it holds anything but regular
    files and real folders (a symbolic link, FIFO, socket or device)."""
    names: list[str] = []
    pending = [(root, "")]
    while pending:
        folder, prefix = pending.pop()
        with os.scandir(folder) as entries:
            for item in entries:
                mode = item.stat(follow_symlinks=False).st_mode
                if stat.S_ISDIR(mode):
                    pending.append((Path(item.path), f"{prefix}{item.name}/"))
                elif stat.S_ISREG(mode):
                    names.append(prefix + item.name)
                else:
                    return None
    return names


def _only_regular(files: dict[str, Path]) -> list[str] | None:
    """The names of ``files`` if every one is a regular file (a link is not followed), else None."""
    try:
        if all(stat.S_ISREG(os.lstat(path).st_mode) for path in files.values()):
            return list(files)
    except OSError:
        pass
    return None


def _safe_relative(name: str) -> bool:
    path = PurePosixPath(name)
    return bool(name) and not path.is_absolute() and ".." not in path.parts and str(path) == name


def _copy_verified(source: Path, destination: Path) -> tuple[int, str]:
    """Copy a regular file (a link is not followed), returning the size and SHA-256 of what was copied."""
    digest = hashlib.sha256()
    size = 0
    with _open_regular(source) as reader, destination.open("xb") as writer:
        while chunk := reader.read(_CHUNK):
            digest.update(chunk)
            writer.write(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def _remove(path: Path) -> None:
    """Remove a file, link or folder tree if it is there (a link is removed, never followed)."""
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return
    with contextlib.suppress(OSError):
        if stat.S_ISDIR(mode):
            shutil.rmtree(path, ignore_errors=True)
        else:
            os.unlink(path)
