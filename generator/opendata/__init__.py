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
import multiprocessing
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator import cache
from generator.model import Portal
from generator.site import ThemedSite

BULK_CACHE_KIND = "opendata-bulk"
_FILES = ".gongkai-bulk-files.json"  # what the bulk files are (BulkFile), kept with them in the cache


class OpenDataError(Exception):
    """An open-data file could not be written; ``message`` is a Chinese explanation."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class OpenDataSummary:
    release: int
    new_release: bool
    bulk_reused: bool
    api_files: int
    changes: dict[str, int]


@dataclass
class _WorkerResult:
    bulk: dict[str, tuple[int, str]]  # bulk file name → (size, SHA-256)
    api: dict[str, tuple[int, str]]  # API file path → (size, SHA-256)


def _worker(send: Any, job: Callable[[], _WorkerResult]) -> None:
    try:
        result: tuple[str, Any] = ("ok", job())
    except BaseException as error:  # reported to the parent, which fails the build in Chinese
        result = ("error", f"{type(error).__name__}：{error}")
    send.send(result)
    send.close()


class OpenDataJob:
    """The heavy part of the open data, shared by this process and a forked worker process.

    The worker writes the whole-portal bulk downloads (``downloads/all/``) unless the cache has
    them, then helps this process write the JSON API's per-quarter files: both take the next
    disclosure from a shared counter (``claim``) until none is left. Where the platform cannot
    fork, everything runs here. ``finish`` waits for the worker and puts the bulk files into the
    site; ``cancel`` stops it (a failed build) and removes its scratch directory.
    """

    def __init__(self, portal: Portal, site_dir: Path, out_dir: Path, data_through: str) -> None:
        from generator.opendata.tables import input_hash

        self.site_dir = site_dir
        self.written: dict[str, tuple[int, str]] = {}  # site path → (size, SHA-256), worker's files
        self._process: Any = None
        self._receive: Any = None
        self._counter: Any = None
        self._result: _WorkerResult | None = None
        root = cache.cache_root(out_dir)
        key = input_hash(portal, "bulk")
        self._cached = cache.lookup(root, BULK_CACHE_KIND, key)
        self.reused = self._cached is not None
        self.work = Path(tempfile.mkdtemp(prefix=".gongkai-bulk-", dir=site_dir.parent))

        def job() -> _WorkerResult:
            from generator.opendata.api import write_record_files
            from generator.opendata.bulk import write_bulk
            from generator.opendata.jsonout import Ledger
            from generator.opendata.tables import combined_tables

            bulk = Ledger(self.work)
            if not self.reused:
                files = write_bulk(portal, combined_tables(portal), self.work, data_through, bulk)
                listing = json.dumps([vars(f) for f in files], ensure_ascii=False)
                (self.work / _FILES).write_text(listing, encoding="utf-8")
                with contextlib.suppress(OSError):  # the cache is an optimisation only
                    cache.store(root, BULK_CACHE_KIND, key, self.work)
            api = Ledger(site_dir)
            if self._counter is not None:
                write_record_files(portal, api, self.claim)
            return _WorkerResult(bulk.entries, api.entries)

        if "fork" not in multiprocessing.get_all_start_methods():
            self._result = job()
            return
        context = multiprocessing.get_context("fork")
        self._counter = context.Value("q", 0)
        self._receive, send = context.Pipe(duplex=False)
        for stream in (sys.stdout, sys.stderr):  # or the child would print the parent's buffer again
            with contextlib.suppress(Exception):
                stream.flush()
        self._process = context.Process(target=_worker, args=(send, job), daemon=True)
        self._process.start()
        send.close()

    @property
    def claim(self) -> Callable[[], int] | None:
        """Hands out the next disclosure index to write (shared with the worker), or None: write all."""
        if self._counter is None:
            return None
        counter = self._counter

        def take() -> int:
            lock = counter.get_lock()
            if not lock.acquire(timeout=60):  # only if a worker died holding it
                raise OpenDataError("开放数据：后台进程无响应，JSON API 文件未能写完。")
            try:
                index = int(counter.value)
                counter.value = index + 1
            finally:
                lock.release()
            return index

        return take

    def finish(self, target: Path) -> list[Any]:
        """Wait for the worker, put the bulk files at ``target`` (``downloads/all/``); return them."""
        from generator.opendata.bulk import BULK_DIR, BulkFile

        if self._process is not None:
            self._result = self._receive_result()
        assert self._result is not None
        if self._cached is not None:
            cache.restore(self._cached, target)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(self.work), str(target))
        listing = target / _FILES
        files = [BulkFile(**item) for item in json.loads(listing.read_text(encoding="utf-8"))]
        listing.unlink()
        self.written = {f"{BULK_DIR}/{name}": entry for name, entry in self._result.bulk.items()}
        self.written.update(self._result.api)
        return files

    def _receive_result(self) -> _WorkerResult:
        try:
            status, value = self._receive.recv()
        except (EOFError, OSError):
            status, value = "error", None
        finally:
            self._receive.close()
            self._process.join()
        if status != "ok":
            detail = value or f"后台进程意外退出（退出码 {self._process.exitcode}）"
            raise OpenDataError(
                f"开放数据：写入全站批量下载文件（downloads/all/）或 JSON API（api/）失败：{detail}。"
            )
        return value

    def cancel(self) -> None:
        """Stop the worker if it still runs and remove its scratch directory."""
        if self._process is not None and self._process.is_alive():
            self._process.terminate()
            self._process.join()
        shutil.rmtree(self.work, ignore_errors=True)


def _sizes(site_dir: Path, folder: str) -> dict[str, int]:
    """Size of every file under ``folder``, by root-relative path."""
    sizes = {}
    for top, _dirs, names in os.walk(site_dir / folder):
        base = Path(top).relative_to(site_dir).as_posix() + "/"
        for name in names:
            path = os.path.join(top, name)
            if os.path.isfile(path):
                sizes[base + name] = os.path.getsize(path)
    return sizes


def export_open_data(portal: Portal, themed: ThemedSite, out_dir: Path) -> OpenDataSummary:
    """Write every open-data file and page into the staged site; ``out_dir`` is the published one."""
    from generator.opendata.api import write_api
    from generator.opendata.bulk import BULK_DIR
    from generator.opendata.catalog import data_date, write_catalog
    from generator.opendata.changelog import compute_changes
    from generator.opendata.feeds import write_feeds
    from generator.opendata.jsonout import Ledger
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

    # Bulk downloads (cached; else written by a worker process while this one writes the JSON
    # API, which the worker then helps with), the feeds, then the catalog.
    ledger = Ledger(site_dir)
    job = OpenDataJob(portal, site_dir, out_dir, data_through)
    try:
        api_files = write_api(portal, site_dir, ledger, job.claim)
        feeds = write_feeds(portal, site_dir, ledger)
        bulk = job.finish(site_dir / BULK_DIR)
    finally:
        job.cancel()
    reused = job.reused
    ledger.entries.update(job.written)
    sizes = _sizes(site_dir, "downloads")
    write_catalog(portal, site_dir, bulk, sizes, ledger)

    # The release: what changed since the published one, then the manifest in its hash chain.
    previous_files = {f["path"]: f["sha256"] for f in previous[1]["files"]} if previous else None
    changes, hashes = compute_changes(portal, previous_site, previous_files, data_through)
    carry_releases(previous_site if previous else None, site_dir)
    release, new = write_manifest(
        site_dir, previous, data_commit(portal.data_dir), data_through, changes, hashes, ledger.entries
    )

    # Pages: 数据下载, 更新记录 (one per release), and a 数据字典 page per table.
    write_pages(portal, themed, bulk, sizes, feeds)
    return OpenDataSummary(release, new, reused, api_files, changes["counts"])
