"""Release manifests: every data file and download with its size and SHA-256, in a hash chain.

    manifest.json                  the current release
    releases/<n>/manifest.json     every release so far (the current one included, same bytes)
    releases/<n>/changes.json      what changed in release n (see ``generator.opendata.changelog``)

Each manifest names the data's git commit and the SHA-256 of the previous release's manifest, so
that rewriting an earlier release breaks the chain (``gongkai verify``). Earlier manifests are
carried over from the currently published site before it is replaced. Rebuilding unchanged data
is not a new release: the previous manifest is kept byte for byte.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

MANIFEST = "manifest.json"
RELEASES = "releases"
CHANGES = "changes.json"
FORMAT = "gongkai-release-manifest"
#: What a manifest covers: the data as published, every download, the API, feeds and catalog.
COVERED_DIRS = ("downloads", "api", "feeds")
COVERED_FILES = ("catalog.jsonld", "data.json")


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


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


def file_entries(
    site_dir: Path,
    known: dict[str, str] | None = None,
    written: dict[str, tuple[int, str]] | None = None,
) -> list[dict[str, Any]]:
    """Path, size and SHA-256 of every covered file: ``known`` (SHA-256) and ``written`` (size and
    SHA-256, from a ``Ledger``) save reading and hashing files already hashed."""
    known = known or {}
    written = written or {}
    entries = []
    for path in covered_files(site_dir):
        if path in written:
            size, digest = written[path]
        else:
            target = site_dir / path
            size, digest = target.stat().st_size, known.get(path) or sha256_file(target)
        entries.append({"path": path, "size": size, "sha256": digest})
    return entries


def data_commit(data_dir: Path) -> dict[str, Any] | None:
    """The git commit of the data (and whether the data has uncommitted changes), or None."""
    try:
        inside = subprocess.run(
            ["git", "-C", str(data_dir), "rev-parse", "--is-inside-work-tree"],
            capture_output=True, text=True, check=False, timeout=30,
        )  # fmt: skip
        if inside.returncode != 0 or inside.stdout.strip() != "true":
            return None
        head = subprocess.run(
            ["git", "-C", str(data_dir), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
            timeout=30,
        ).stdout.strip()
        status = subprocess.run(
            ["git", "-C", str(data_dir), "status", "--porcelain", "--", "."],
            capture_output=True, text=True, check=True, timeout=60,
        ).stdout  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return None
    return {"commit": head, "dirty": bool(status.strip())}


def read_previous(previous_site: Path | None) -> tuple[bytes, dict[str, Any]] | None:
    """The manifest of the currently published site, if it has one."""
    if previous_site is None:
        return None
    path = previous_site / MANIFEST
    try:
        raw = path.read_bytes()
        data = json.loads(raw)
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return None
    return raw, data


def carry_releases(previous_site: Path | None, site_dir: Path) -> None:
    """Copy the earlier releases' manifests and change lists into the new site."""
    if previous_site is None or not (previous_site / RELEASES).is_dir():
        return
    shutil.copytree(previous_site / RELEASES, site_dir / RELEASES, dirs_exist_ok=True)


def dumps(data: Any) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def write_manifest(
    site_dir: Path,
    previous: tuple[bytes, dict[str, Any]] | None,
    commit: dict[str, Any] | None,
    data_through: str,
    changes: dict[str, Any],
    known: dict[str, str] | None = None,
    written: dict[str, tuple[int, str]] | None = None,
) -> tuple[int, bool]:
    """Write ``manifest.json`` and ``releases/<n>/``; return (release number, whether it is new)."""
    files = file_entries(site_dir, known, written)
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
    manifest = {
        "format": FORMAT,
        "version": 1,
        "release": number,
        "data_through": data_through,
        "data": commit,
        "previous": {
            "release": int(previous[1]["release"]),
            "path": f"{RELEASES}/{previous[1]['release']}/{MANIFEST}",
            "sha256": sha256_bytes(previous[0]),
        }
        if previous
        else None,
        "changes": {
            "path": f"{RELEASES}/{number}/{CHANGES}",
            "size": len(change_bytes),
            "sha256": sha256_bytes(change_bytes),
        },
        "files": files,
    }
    data = dumps(manifest)
    (site_dir / MANIFEST).write_bytes(data)
    (release_dir / MANIFEST).write_bytes(data)
    return number, True
