"""Release stage: record this build as a release of the portal, then publish it.

``record_release`` compares the open data with the published site's (``changes``), carries the
verified chain of earlier releases over, writes the new manifest in its hash chain (``manifest``)
and renders the 更新记录 pages (``pages``). ``swap`` puts the staged site in place of the published
one. ``verify`` and ``fetch`` read a published release back (through the bounded ``source``).
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.core.cache import Cache
from generator.core.files import sha256_bytes, sha256_file
from generator.core.model import Portal
from generator.core.records import RecordReader
from generator.core.site_state import Keep
from generator.core.urls import MANIFEST
from generator.export.jsonout import Ledger
from generator.render.shell import ThemedSite


@dataclass(frozen=True)
class Release:
    number: int
    new: bool  # False when the open data is byte-identical to the published release
    changes: dict[str, int]


@dataclass(frozen=True)
class PreviousRelease:
    """The published site the build replaces, if it has a release history, and its manifest;
    ``reader`` parses its tables (and the current ones) once for the whole build."""

    site: Path | None
    manifest: tuple[bytes, dict[str, Any]] | None
    reader: RecordReader = field(default_factory=RecordReader, compare=False)
    #: The manifest is the one this user's last build wrote (its SHA-256 remembered in the cache).
    ours: bool = False


#: Sealed: the SHA-256 of the manifest the last build that used this cache wrote.
WRITTEN_MANIFEST = "written-manifest.sha256"


def read_previous_release(
    out_dir: Path, reader: RecordReader | None = None, cache: Cache | None = None
) -> PreviousRelease:
    """The release history of the published site ``out_dir``, read and checked before the build
    writes anything (a damaged or hostile manifest stops it with ``OpenDataError``). ``cache``:
    where the last build remembered the SHA-256 of the manifest it wrote (sealed): those bytes
    are not checked entry by entry again (74,000 entries at 20,000 decisions)."""
    from generator.release.manifest import read_previous

    site = out_dir if (out_dir / MANIFEST).is_file() else None
    sealed = cache.read_sealed(WRITTEN_MANIFEST, 1024) if cache is not None and site is not None else None
    ours = sealed.decode("ascii", "replace") if sealed else None
    manifest = read_previous(site, ours)
    return PreviousRelease(
        site,
        manifest,
        reader or RecordReader(),
        ours=manifest is not None and ours is not None and sha256_bytes(manifest[0]) == ours,
    )


CHECKED_MANIFESTS = "checked-manifests.json"  # sealed: SHA-256 → chain_part of each checked manifest


def _checked_manifests(cache: Cache | None) -> dict[str, dict[str, Any]]:
    body = cache.read_sealed(CHECKED_MANIFESTS, 64 * 1024 * 1024) if cache is not None else None
    try:
        checked = json.loads(body) if body is not None else {}
    except ValueError:
        return {}
    return checked if isinstance(checked, dict) else {}


def record_release(
    portal: Portal,
    themed: ThemedSite,
    last: PreviousRelease,
    ledger: Ledger,
    data_through: str,
    kept: dict[str, tuple[int, str]] | None = None,
    cache: Cache | None = None,
    keep: Keep | None = None,
) -> Release:
    """What changed since the published site (``last``), the manifest of the staged site in its
    hash chain, and the 更新记录 pages. ``cache``: where the manifests of the chain that earlier
    builds checked are remembered (sealed), so that each is checked once, not on every build.
    ``keep``: the published site's, in a rebuild of it: the earlier releases' files it holds stay
    there (verified by the chain) instead of being copied again."""
    from generator.release.changes import compute_changes
    from generator.release.manifest import carry_releases, write_manifest
    from generator.release.pages import write_release_pages

    site_dir = themed.site_dir
    previous_site, previous = last.site, last.manifest
    previous_files = {f["path"]: f["sha256"] for f in previous[1]["files"]} if previous else None
    changes, hashes = compute_changes(portal, previous_site, previous_files, data_through, last.reader)
    checked = _checked_manifests(cache)
    earlier: dict[int, bytes] = {}
    chain = carry_releases(
        previous_site if previous else None,
        site_dir,
        previous,
        checked,
        keep.keep_verified if keep is not None else None,
        earlier,
        trusted=last.ours,
    )
    if cache is not None and chain and chain != checked:
        with contextlib.suppress(OSError):  # the cache is an optimisation only
            cache.write_sealed(CHECKED_MANIFESTS, json.dumps(chain, sort_keys=True).encode("utf-8"))
    number, new = write_manifest(
        site_dir, previous, portal.history.commit, data_through, changes, hashes, ledger.entries, kept
    )
    if cache is not None:
        with contextlib.suppress(OSError):  # the cache is an optimisation only
            written = sha256_file(site_dir / MANIFEST).encode("ascii")
            cache.write_sealed(WRITTEN_MANIFEST, written)
    write_release_pages(portal, themed, chain, earlier)
    return Release(number, new, changes["counts"])
