"""Export stage, part 2: the open-data side of the portal.

Whole-portal bulk downloads (``bulk``, ``sqlite``), a read-only JSON API (``api``), the DCAT
catalog (``catalog``), Atom feeds (``feeds``), the release manifest in a hash chain
(``manifest``, checked by ``verify``) and the 更新记录 (``changelog``); then the 数据下载,
更新记录 and per-table 数据字典 pages. ``export_open_data`` runs them in that order.

The heavy bulk files are cached (``generator.core.cache``) under a content hash of the input data,
so a rebuild of unchanged data restores them instead of writing XLSX and SQLite again; only an
entry the cache verified (sealed by this user's key, every byte as sealed) is restored. When the
data changed, each package's share of them is still taken from the cache (``slices``): only the
changed packages' shares are made, and the database is written again.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.core.cache import Cache, CacheChanged
from generator.core.model import Portal
from generator.core.site_state import Keep, SiteState
from generator.core.workers import Helper, WorkerFailed
from generator.export.api import api_unit
from generator.export.jsonout import Ledger
from generator.render.shell import ThemedSite

BULK_CACHE_KIND = "opendata-bulk"
_FILES = ".gongkai-bulk-files.json"  # what the bulk files are (BulkFile), kept with them in the cache


class OpenDataError(Exception):
    """An open-data file could not be written; ``message`` is a Chinese explanation."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class OpenDataSummary:
    bulk_reused: bool
    api_files: int
    ledger: Ledger  # every open-data file written, with its size and SHA-256 (the release manifest)
    data_through: str  # the newest disclosed quarter's end (the catalog's and the release's date)
    bulk_key: str  # the content key of the bulk downloads (kept by the next build when unchanged)
    packages_made: int  # packages whose share of the bulk downloads was made, not read from the cache


@dataclass
class _WorkerResult:
    bulk: dict[str, tuple[int, str]]  # bulk file name → (size, SHA-256)
    made: set[tuple[str, str]]  # (unit, quarter) of the packages whose bulk slices were made


class OpenDataJob:
    """The heavy part of the open data: the bulk downloads in forked worker processes, the JSON API.

    The workers (``generator.core.workers``) write the whole-portal bulk downloads
    (``downloads/all/``) unless the cache has them into a scratch directory while this process
    loads, checks and renders the portal; where there is no second process, the work runs here
    when it is needed. They need only the portal's outline (``load_outline``: which packages, read
    from where) and read each package's files themselves, so they start before the records are
    loaded, from a small process, and never hold them. ``finish`` writes the JSON API here (made
    from the loaded records; the API files of ``kept_units`` stay as published), waits for the
    workers and puts their files into the site; ``cancel`` stops them (a failed build) and removes
    their scratch directories.
    """

    def __init__(
        self,
        outline: Portal,
        scratch: Path,
        store: Cache | None,
        state: SiteState | None = None,
    ) -> None:
        from generator.export.tables import input_hash

        self.keep = Keep()
        self.packages_made = 0  # packages whose share of the bulk downloads was made (not cached)
        self.written: dict[str, tuple[int, str]] = {}  # site path → (size, SHA-256), worker's files
        self.key = key = input_hash(outline, "bulk")
        self._cached = store.lookup(BULK_CACHE_KIND, key) if store else None  # verified, or None
        self.reused = self._cached is not None
        # Whether the published bulk files are these very ones, kept where they are: decided in
        # ``finish``, by the state the published site was found to match.
        self.kept_bulk = False
        self.work = Path(tempfile.mkdtemp(prefix=".gongkai-bulk-", dir=scratch))
        self.api_root = Path(tempfile.mkdtemp(prefix=".gongkai-api-", dir=scratch))

        # The data's date (None below) is each worker's slices' latest date: what ``data_date``
        # finds in the records, which the workers never load.
        # The tables' files (CSV, XLSX, JSON, the whole-portal workbook and zip) in one half;
        # 表态明细, the packages' zip and the database in the other.
        def tables_job() -> tuple[Any, dict[str, tuple[int, str]], set[tuple[str, str]]]:
            from generator.export.bulk import write_bulk_tables
            from generator.export.jsonout import Ledger

            ledger = Ledger(self.work)
            made: set[tuple[str, str]] = set()
            if self.reused:
                return None, {}, made
            part = write_bulk_tables(outline, None, ledger, store, scratch, made=made)
            return part, ledger.entries, made

        def extras_job() -> tuple[Any, _WorkerResult]:
            from generator.export.bulk import write_bulk_extras
            from generator.export.jsonout import Ledger

            bulk = Ledger(self.work)
            part = None
            made: set[tuple[str, str]] = set()
            if not self.reused:
                part = write_bulk_extras(
                    outline,
                    self.work,
                    None,
                    bulk,
                    store,
                    made=made,
                    key=key,
                    previous=state.bulk if state else None,
                )
            return part, _WorkerResult(bulk.entries, made)

        jobs: list[Callable[[], Any]] = [tables_job, extras_job]
        if state is not None:
            # A rebuild renders few pages (or, with everything changed, bulk files are all it has
            # to wait for): the two halves run at once, in two worker processes.
            self._helpers = [
                Helper([[n]], lambda _g, items: jobs[items[0]](), what="写入开放数据") for n in (0, 1)
            ]
            self._results = [(self._helpers[0], 0), (self._helpers[1], 0)]
        else:
            # A full build renders in two processes already, and keeps both cores busy: one worker
            # does both halves in turn.
            both = Helper([[0], [1]], lambda _g, items: jobs[items[0]](), what="写入开放数据")
            self._helpers = [both]
            self._results = [(both, 0), (both, 1)]
        self._store = store

    def _write_api(self, portal: Portal, kept_units: set[str]) -> dict[str, tuple[int, str]]:
        """The JSON API into the scratch directory (here: it is made from the loaded records). The
        kept units' API files stay as published: they are made from the inputs of the key under
        which the unit's pages were kept (generator.render.keys)."""
        from generator.export.api import write_api
        from generator.export.jsonout import Ledger

        state = self.keep.state
        published = {p: h for p, h in self.keep.hashes.items() if p.startswith("api/")} if state else {}
        skipped = {p for p in published if api_unit(p) in kept_units and p in state.files} if state else set()
        api = Ledger(self.api_root, published)
        write_api(portal, self.api_root, api, skip_units=kept_units)
        self.keep.paths.update(api.kept)
        self.keep.paths.update(skipped)
        return api.entries

    def finish(self, portal: Portal, site_dir: Path, keep: Keep, kept_units: set[str]) -> list[Any]:
        """Write the JSON API, wait for the workers, put their files into ``site_dir``; return the
        bulk files (BulkFile). ``keep``: what the published site keeps as it is."""
        from generator.export.api import API_DIR
        from generator.export.bulk import BULK_DIR, BulkFile, bulk_listing

        self.keep = keep
        # The published bulk files are these very ones: keep them where they are.
        self.kept_bulk = self.reused and keep.state is not None and keep.state.bulk == self.key
        api_written = self._write_api(portal, kept_units)
        try:
            (tables_helper, tables_group), (extras_helper, extras_group) = self._results
            tables_part, tables_entries, made = tables_helper.result(tables_group)
            extras_part, result = extras_helper.result(extras_group)
            self.packages_made = len(made | result.made)
        except WorkerFailed as error:
            raise OpenDataError(f"开放数据：写入全站批量下载文件（downloads/all/）失败：{error}") from None
        if not self.reused:
            # Both halves are written: the listing joins them, and the whole set goes into the cache.
            listing_text = json.dumps(
                [vars(f) for f in bulk_listing(tables_part, extras_part)], ensure_ascii=False
            )
            (self.work / _FILES).write_text(listing_text, encoding="utf-8")
            result.bulk.update(tables_entries)
            if self._store is not None:
                with contextlib.suppress(OSError):  # the cache is an optimisation only
                    self._store.store(BULK_CACHE_KIND, self.key, self.work, known=result.bulk)
        target = site_dir / BULK_DIR
        if self._cached is not None and self.kept_bulk:
            listing_text = (self._cached.path / _FILES).read_text(encoding="utf-8")
            self.keep.folder(f"{BULK_DIR}/")
            bulk_entries = {
                name: (size, digest)
                for name, (size, digest, _dev, _ino) in self._cached.files.items()
                if name != _FILES
            }
        elif self._cached is not None:
            try:
                self._cached.restore(target)
            except (CacheChanged, OSError) as error:
                raise OpenDataError(
                    f"开放数据：构建缓存中的批量下载文件在使用时被改动（{error}），已停止；请重新生成。"
                ) from None
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(self.work), str(target))
        if not self.kept_bulk:
            listing = target / _FILES
            listing_text = listing.read_text(encoding="utf-8")
            listing.unlink()
            bulk_entries = {name: entry for name, entry in result.bulk.items() if name != _FILES}
            if self._cached is not None:
                bulk_entries = {
                    name: (size, digest)
                    for name, (size, digest, _dev, _ino) in self._cached.files.items()
                    if name != _FILES
                }
        files = [BulkFile(**item) for item in json.loads(listing_text)]
        if (self.api_root / API_DIR).exists():
            _merge(self.api_root / API_DIR, site_dir / API_DIR)
        self.written = {f"{BULK_DIR}/{name}": entry for name, entry in bulk_entries.items()}
        self.written.update(api_written)
        return files

    def cancel(self) -> None:
        """Stop the worker if it still runs and remove its scratch directories (a cache entry it was
        storing when stopped included)."""
        for helper in self._helpers:
            helper.close()
        if self._store is not None:
            self._store.sweep()
        shutil.rmtree(self.work, ignore_errors=True)
        shutil.rmtree(self.api_root, ignore_errors=True)


def _merge(source: Path, target: Path) -> None:
    """Move the tree ``source`` into ``target`` (which may exist: MkDocs writes api/index.html)."""
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        os.rename(source, target)
        return
    for child in sorted(source.iterdir()):
        if child.is_dir() and (target / child.name).is_dir():
            _merge(child, target / child.name)
        else:
            os.replace(child, target / child.name)


def start_open_data(
    outline: Portal, work_dir: Path, store: Cache | None, state: SiteState | None
) -> OpenDataJob:
    """Start writing the bulk downloads in worker processes, as soon as the published view of the
    data is known (``outline``: ``load_outline``; ``state``: the published site's, None in a full
    build).

    The workers write them into scratch directories in ``work_dir`` (the staging directory, on the
    site's file system) while this process goes on. Hand the job to ``export_open_data``, which
    writes the JSON API, waits for the workers and moves the files in; call ``cancel()`` when the
    build fails before that (it is safe to call again)."""
    return OpenDataJob(outline, work_dir, store, state)


def _sizes(site_dir: Path, folder: str, keep: Keep) -> dict[str, int]:
    """Size of every file under ``folder`` (those kept from the published site too), by root-relative path."""
    sizes = {path: keep.size(path) for path in keep.paths if path.startswith(folder + "/")}
    for top, _dirs, names in os.walk(site_dir / folder):
        base = Path(top).relative_to(site_dir).as_posix() + "/"
        for name in names:
            path = os.path.join(top, name)
            if os.path.isfile(path):
                sizes[base + name] = os.path.getsize(path)
    return sizes


def export_open_data(
    portal: Portal,
    themed: ThemedSite,
    store: Cache | None,
    job: OpenDataJob | None = None,
    keep: Keep | None = None,
    kept_units: set[str] | None = None,
) -> OpenDataSummary:
    """Write every open-data file and page into the staged site; ``store`` is the build cache (None: no cache).

    ``job`` is the bulk work if it was started early (``start_open_data``); without it, the same
    job is started here. The API files of ``kept_units`` (whose pages the site keeps) stay as published."""
    from generator.export.api import api_file_count
    from generator.export.catalog import data_date, write_catalog
    from generator.export.feeds import write_feeds
    from generator.export.jsonout import Ledger
    from generator.export.pages import write_pages

    site_dir = themed.site_dir
    data_through = data_date(portal)

    # Bulk downloads (cached) and the JSON API (written by the worker process), the feeds, then
    # the catalog.
    keep = keep or Keep()
    ledger = Ledger(site_dir, keep.hashes if keep.state else None)
    if job is None:
        job = OpenDataJob(portal, site_dir.parent, store, keep.state)
    api_files = api_file_count(portal)
    try:
        feeds = write_feeds(portal, site_dir, ledger, keep, kept_units or set())
        bulk = job.finish(portal, site_dir, keep, kept_units or set())
    finally:
        job.cancel()
    reused = job.reused
    ledger.entries.update(job.written)
    sizes = _sizes(site_dir, "downloads", keep)
    write_catalog(portal, site_dir, bulk, sizes, ledger)
    keep.paths.update(ledger.kept)

    # Pages: 数据下载 and a 数据字典 page per table (更新记录 is the release stage's); the sizes of
    # the feeds and catalogs come from what was written (or kept).
    listed = {**{path: entry[0] for path, entry in ledger.entries.items()}, **sizes}
    write_pages(portal, themed, bulk, listed, feeds)
    return OpenDataSummary(reused, api_files, ledger, data_through, job.key, job.packages_made)
