"""Export stage, part 2: the open-data side of the portal.

Whole-portal bulk downloads (``bulk``, ``sqlite``), a read-only JSON API (``api``), the DCAT
catalog (``catalog``), Atom feeds (``feeds``), the release manifest in a hash chain
(``manifest``, checked by ``verify``) and the 更新记录 (``changelog``); then the 数据下载,
更新记录 and per-table 数据字典 pages. ``export_open_data`` runs them in that order.

The heavy bulk files are cached (``generator.cache``) under a content hash of the input data,
so a rebuild of unchanged data restores them instead of writing XLSX and SQLite again.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from generator import cache
from generator.model import Portal
from generator.site import ThemedSite

BULK_CACHE_KIND = "opendata-bulk"
_FILES = ".gongkai-bulk-files.json"


@dataclass
class OpenDataSummary:
    release: int
    new_release: bool
    bulk_reused: bool
    api_files: int
    changes: dict[str, int]


def _bulk(portal: Portal, site_dir: Path, out_dir: Path, data_through: str) -> tuple[list, bool]:
    from generator.opendata.bulk import BULK_DIR, BulkFile, write_bulk
    from generator.opendata.tables import combined_tables, input_hash

    target = site_dir / BULK_DIR
    root = cache.cache_root(out_dir)
    key = input_hash(portal, "bulk")
    cached = cache.lookup(root, BULK_CACHE_KIND, key)
    reused = cached is not None
    if cached is not None:
        cache.restore(cached, target)
    else:
        work = Path(tempfile.mkdtemp(prefix=".gongkai-bulk-", dir=site_dir.parent))
        try:
            files = write_bulk(portal, combined_tables(portal), work, data_through)
            (work / _FILES).write_text(
                json.dumps([vars(f) for f in files], ensure_ascii=False), encoding="utf-8"
            )
            with contextlib.suppress(OSError):  # the cache is an optimisation only
                cache.store(root, BULK_CACHE_KIND, key, work)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(work), str(target))
        finally:
            shutil.rmtree(work, ignore_errors=True)
    listing = target / _FILES
    files = [BulkFile(**item) for item in json.loads(listing.read_text(encoding="utf-8"))]
    listing.unlink()
    return files, reused


def export_open_data(portal: Portal, themed: ThemedSite, out_dir: Path) -> OpenDataSummary:
    """Write every open-data file and page into the staged site; ``out_dir`` is the published one."""
    from generator.opendata.api import write_api
    from generator.opendata.catalog import data_date, write_catalog
    from generator.opendata.changelog import compute_changes
    from generator.opendata.feeds import write_feeds
    from generator.opendata.manifest import (
        MANIFEST,
        carry_releases,
        data_commit,
        read_previous,
        write_manifest,
    )
    from generator.opendata.pages import write_pages

    site_dir = themed.site_dir
    previous_site = out_dir if (out_dir / MANIFEST).is_file() else None
    previous = read_previous(previous_site)
    data_through = data_date(portal)

    # Bulk downloads (cached), the JSON API, feeds and the catalog.
    bulk, reused = _bulk(portal, site_dir, out_dir, data_through)
    api_files = write_api(portal, site_dir)
    feeds = write_feeds(portal, site_dir)
    sizes = {
        p.relative_to(site_dir).as_posix(): p.stat().st_size
        for p in (site_dir / "downloads").rglob("*")
        if p.is_file()
    }
    write_catalog(portal, site_dir, bulk, sizes)

    # The release: what changed since the published one, then the manifest in its hash chain.
    previous_files = {f["path"]: f["sha256"] for f in previous[1]["files"]} if previous else None
    changes, hashes = compute_changes(portal, previous_site, previous_files, data_through)
    carry_releases(previous_site if previous else None, site_dir)
    release, new = write_manifest(
        site_dir, previous, data_commit(portal.data_dir), data_through, changes, hashes
    )

    # Pages: 数据下载, 更新记录 (one per release), and a 数据字典 page per table.
    write_pages(portal, themed, bulk, sizes, feeds)
    return OpenDataSummary(release, new, reused, api_files, changes["counts"])
