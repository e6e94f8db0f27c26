"""Index stage: build the Pagefind search index of the rendered site.

Pagefind does not read the themed pages: the render stage writes, beside each record page, a
compact *search document* (title, summary, the searchable facts, filters and sort key) under the
same path in a work directory. Indexing the compact documents instead of whole pages is what keeps
Pagefind's time and memory in bounds (measured: 1.8 ms and 240 KB per page for the full article,
0.44 ms and 74 KB for the compact document). Each text field enters it as a bounded ``excerpt``
(``SEARCH_FIELD_CHARS``), so that one huge cell costs Pagefind no more than a normal record.

Large portals are split into *shards* of date ranges, newest first (whole quarters while they fit
in ``search_shard_size`` documents, a bigger quarter cut by date), each indexed by its own Pagefind
run (``pagefind/`` the oldest, ``pagefind-2/`` the next, …, so that a new shard never renames
an older one): upstream Pagefind runs out of memory past about 30,000 pages. The browser reads ``search/shards.json`` (each shard's quarters, every filter's counts) and
loads a shard as its own Pagefind instance only when a search needs it: newest first, the newest
shard alone fills the first page of results, and older ones are searched when the reader asks for
more (``gongkai.js``). It merges the results itself, keeping "newest first" across shards, which
``mergeIndex`` would re-sort by score.

Pagefind's *extended* build segments Chinese text. Versions before 1.6.0 split a query in the
browser differently from the index (upstream issue #1237) and miss pages for compound words such
as 大额度资金, so the binary of the npm package ``@pagefind/linux-x64`` 1.6.0 (installed by ``make``) is
preferred over the older one that the PyPI wrapper ships.
"""

from __future__ import annotations

import contextlib
import functools
import os
import queue
import re
import shutil
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from generator.core.cache import Cache
from generator.core.scratch import remove_in_background
from generator.render.documents import ShardPlan
from generator.render.shell import PROJECT_ROOT

NPM_BINARY = PROJECT_ROOT / "node_modules" / "@pagefind" / "linux-x64" / "bin" / "pagefind_extended"
MIN_VERSION = (1, 6, 0)
#: Where Pagefind runs may overlap (``Indexer(overlap=True)``): while the documents they index
#: together stay within this many. Pagefind's memory grows with its documents (measured: about
#: 320 MB for 4,000, 150-195 MB for 2,000), so this holds the runs of a rebuild to about 500 MB
#: whatever the shard size: a new quarter's three shards of about 1,950 run at once.
OVERLAP_DOCUMENTS = 6000


#: What Pagefind writes into every bundle for its own ready-made interfaces, which the portal does
#: not use (its search is ``gongkai.js`` on Pagefind's JS API, ``pagefind.js`` and its worker): left
#: out of the site, 475 KB and 7 files a shard.
UNUSED_FILES = frozenset(
    {
        "pagefind-ui.js",
        "pagefind-ui.css",
        "pagefind-modular-ui.js",
        "pagefind-modular-ui.css",
        "pagefind-component-ui.js",
        "pagefind-component-ui.css",
        "pagefind-highlight.js",
    }
)

#: Part of every bundle's key (the cache, the published site's record): a bundle kept by a build
#: that placed other files (before "b2", with ``UNUSED_FILES``; before "b3", a fragment file a
#: document; before "b4", the headings' "¶" links in the text) is indexed again, never placed as is.
BUNDLE_FORMAT = "b4"

#: What Pagefind leaves out of the text of a hand-written page: the "¶" link MkDocs puts after each
#: heading (it showed in the excerpts: "数据字典¶ 下面的字段说明…").
EXCLUDED_SELECTORS = ".headerlink"

#: Documents a fragment file holds (Pagefind's ``--max-fragments``, 1.6.0 and later). Pagefind
#: otherwise writes one small file per document: 23,500 of a 20,000-decision site's 75,000 files,
#: each costing 100-400 µs to create, place and publish. Four a file: 17,000 fewer files and 6.5 MB
#: less (the group compresses better), a quarter's re-indexing about a fifth faster, and a first
#: query 10-14 KB more (its 20 results' groups; measured with ``bench/search_transfer.py``).
DOCUMENTS_PER_FRAGMENT_FILE = 4
FRAGMENT_GROUPS_SINCE = (1, 6, 0)


class SearchIndexError(RuntimeError):
    """Pagefind could not be found or failed; the message is Chinese."""


_T = TypeVar("_T")


@dataclass
class _Run:
    """A shard Pagefind is indexing."""

    shard: int
    key: str
    documents: Path  # its search documents (removed once read)
    bundle: Path  # where Pagefind writes
    output: Path  # the bundle's folder in the site
    process: subprocess.Popen[str]
    size: int  # documents
    started: float = 0.0
    ended: float = 0.0  # when it was seen to have exited
    said: tuple[str, str] | None = None  # Pagefind's stdout and stderr, once it has exited

    def exited(self) -> bool:
        if self.process.poll() is None:
            return False
        self.ended = self.ended or time.perf_counter()
        return True

    def wait(self) -> tuple[str, str]:
        """Pagefind's output, read to its end (never a bare ``wait``: a full pipe would block it)."""
        if self.said is None:
            self.said = self.process.communicate()
            self.ended = self.ended or time.perf_counter()
        return self.said


@dataclass(frozen=True)
class IndexResult:
    pages: int
    version: str
    warning: str
    seconds: float  # time Pagefind ran (overlapping the render stage)
    reused: int = 0  # shards taken from the cache
    shards: int = 1


def find_binary() -> Path:
    """PAGEFIND_BINARY_PATH, else the npm 1.6 binary, else the PyPI ``pagefind[extended]`` binary."""
    configured = os.environ.get("PAGEFIND_BINARY_PATH")
    if configured:
        return Path(configured)
    if NPM_BINARY.exists():
        return NPM_BINARY
    try:
        from pagefind_bin_extended import get_executable
    except ImportError:
        raise SearchIndexError(
            "找不到 Pagefind 检索索引程序：请运行 make install（或 npm ci）安装。"
        ) from None
    return Path(get_executable())


def binary_version(binary: Path) -> tuple[int, ...]:
    """The version of the Pagefind ``binary``, asked once per process and binary file: the build
    asks it before it loads the records, so that the process it starts is not a copy of a large
    one (a fork holds every page of the parent until it runs the program)."""
    try:
        status = binary.stat()
    except OSError as exc:
        raise SearchIndexError(f"无法运行 Pagefind 检索索引程序 {binary}：{exc}") from None
    return _version(str(binary), status.st_size, status.st_mtime_ns)


@functools.cache
def _version(binary: str, _size: int, _mtime_ns: int) -> tuple[int, ...]:
    try:
        output = subprocess.run([binary, "--version"], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError) as exc:
        raise SearchIndexError(f"无法运行 Pagefind 检索索引程序 {binary}：{exc}") from None
    match = re.search(r"(\d+)\.(\d+)\.(\d+)", output)
    return tuple(int(part) for part in match.groups()) if match else (0, 0, 0)


class Indexer:
    """Runs Pagefind on each finished shard in a background thread (one run at a time, or with
    ``overlap`` runs of at most ``OVERLAP_DOCUMENTS`` documents together, so memory stays bounded),
    while the render stage goes on writing the next shard's pages; a shard's bundle is put into the
    site while Pagefind indexes the next one."""

    def __init__(
        self,
        plan: ShardPlan,
        site_dir: Path,
        cache: Cache | None = None,
        published: dict[str, str] | None = None,
        site: Path | None = None,
        files: dict[str, tuple[int, int]] | None = None,
        overlap: bool = False,
    ) -> None:
        self.plan, self.site_dir, self.cache = plan, site_dir, cache
        #: Whether Pagefind runs may overlap (``OVERLAP_DOCUMENTS``): where the render stage has no
        #: helper process (one unit rendered), memory has room for more than one.
        self.overlap = overlap
        #: The key of each shard of the published site that may be kept as it is (its bundle
        #: folder unchanged, ``generator.core.site_state``); ``kept`` lists the bundles kept.
        self.published = published or {}
        self.kept: list[str] = []
        #: The published site and its checked snapshot (``site_state``): a file of a re-indexed
        #: shard that it already holds byte for byte is kept there, not written again, and listed
        #: in ``unchanged``.
        self.site, self.files = site, files or {}
        self.unchanged: list[str] = []
        self.keys: dict[str, str] = {}  # bundle folder → key, of this build
        self.reused = 0
        self.cancelled = False
        self._lock = threading.Lock()
        self._processes: list[subprocess.Popen[str]] = []
        self.binary = find_binary()
        self.version = binary_version(self.binary)
        self.pages = 0
        self.seconds = 0.0
        self.errors: list[str] = []
        self.queue: queue.Queue[int | None] = queue.Queue()
        self.running: list[_Run] = []  # Pagefind runs not yet completed, oldest first
        # Started with the first shard, not before: the render stage forks its helper process first
        # (a fork while another thread runs could inherit a held lock).
        self.thread = threading.Thread(target=self._work, name="pagefind", daemon=True)

    def _start(self) -> None:
        if self.thread.ident is None:
            self.thread.start()

    def shard_done(self, shard: int) -> None:
        """All search documents of ``shard`` (0-based) are written: index it."""
        self._start()
        self.queue.put(shard)

    def _work(self) -> None:
        # Pagefind's memory grows with a shard's documents: with ``overlap``, runs overlap only
        # while the documents they index together stay within ``OVERLAP_DOCUMENTS`` (the shards of
        # a quarter, which a new quarter re-indexes whole), else one runs at a time, so memory
        # stays bounded. A shard's documents are written while earlier runs go on; a run's bundle
        # is put into the site and the cache while the next one runs.
        budget = OVERLAP_DOCUMENTS if self.overlap else 0
        running = self.running
        while True:
            try:
                shard = self.queue.get(timeout=0.05 if running else None)
            except queue.Empty:
                for run in [r for r in running if r.exited()]:
                    running.remove(run)
                    self._guarded(run.shard, functools.partial(self._complete, run))
                continue
            if shard is None:
                break
            if self.errors or self.cancelled:
                continue
            documents = self._guarded(shard, functools.partial(self._prepare, shard))
            waited: list[_Run] = []
            if documents is not None:
                size = self.plan.size(shard)
                while running and sum(r.size for r in running) + size > budget:
                    waited.append(run := running.pop(0))
                    self._guarded(run.shard, run.wait)
                launched = self._guarded(shard, functools.partial(self._launch, shard, documents, size))
                if launched is not None:
                    running.append(launched)
            for run in waited:
                self._guarded(run.shard, functools.partial(self._complete, run))
        for run in running:
            self._guarded(run.shard, functools.partial(self._complete, run))

    def _guarded(self, shard: int, step: Callable[[], _T]) -> _T | None:
        """``step`` of indexing ``shard``; a failure is noted for ``finish`` (never lost). Its time
        counts in ``seconds``; so does, in ``_complete``, the time a Pagefind ran before it was
        waited for."""
        started = time.perf_counter()
        try:
            return step()
        except SearchIndexError as error:
            self.errors.append(str(error))
        except Exception as error:  # a crash here must fail the build, never pass silently
            self.errors.append(
                f"生成检索索引时出错（第 {shard + 1} 个分片）：{type(error).__name__}：{error}"
            )
        finally:
            self.seconds += time.perf_counter() - started
        return None

    def _prepare(self, shard: int) -> Path | None:
        """Keep the shard's published bundle, restore it from the cache, or write its documents for
        Pagefind (their folder returned, for ``_launch``)."""
        bundle_dir = self.plan.bundles[shard]
        output = self.site_dir / bundle_dir
        key = f"{self.plan.key(shard, self.version)}-{BUNDLE_FORMAT}"
        self.keys[bundle_dir] = key
        if self.published.get(bundle_dir) == key:  # the published bundle is this very one: keep it
            self.plan.drop(shard)
            self.kept.append(bundle_dir)
            self.pages += self.plan.size(shard)
            self.reused += 1
            return None
        cached = self.cache.lookup_pack("pagefind", key) if self.cache else None
        if cached is not None:  # the same documents were indexed before (verified): reuse the bundle
            note, files = cached
            try:
                for relative, data in files.items():
                    target = output / relative
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(data)
            except OSError:  # index as if it had missed
                shutil.rmtree(output, ignore_errors=True)
            else:
                self.plan.drop(shard)
                self.pages += int(note)
                self.reused += 1
                return None
        return self.plan.write(shard)

    def _launch(self, shard: int, documents: Path, size: int) -> _Run | None:
        """Start Pagefind on the shard's ``documents`` (returned, to be completed by ``_complete``)."""
        bundle_dir = self.plan.bundles[shard]
        # Pagefind writes its thousands of small files into the (memory-backed) work directory,
        # which is twice as fast as writing them to disk here; one copy then moves them into the site.
        bundle = self.plan.root / f"bundle-{shard + 1}"
        command = [
            str(self.binary),
            "--site",
            str(documents),
            "--output-path",
            str(bundle),
            "--force-language",
            "zh",
            "--exclude-selectors",
            EXCLUDED_SELECTORS,
        ]
        if self.version >= FRAGMENT_GROUPS_SINCE:
            command += ["--max-fragments", str(-(-size // DOCUMENTS_PER_FRAGMENT_FILE))]
        with self._lock:
            if self.cancelled:
                return None
            process = subprocess.Popen(
                command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True
            )
            self._processes.append(process)
        return _Run(
            shard,
            self.keys[bundle_dir],
            documents,
            bundle,
            self.site_dir / bundle_dir,
            process,
            size,
            time.perf_counter(),
        )

    def _complete(self, run: _Run) -> None:
        """Pagefind's result for ``run``: its bundle put into the site and kept in the cache."""
        waited = time.perf_counter()
        stdout, stderr = run.wait()
        self.seconds += max(0.0, min(run.ended, waited) - run.started)  # ran before it was waited for
        # The documents are read: removed by a detached ``rm`` (a folder a document: thousands of
        # removals), not by this thread beside the render stage or the release record.
        remove_in_background(run.documents)
        with self._lock:
            self._processes.remove(run.process)
            if self.cancelled:
                return
        if run.process.returncode != 0:
            detail = (stderr or stdout).strip()[-2000:]
            raise SearchIndexError(
                f"生成检索索引失败（Pagefind 退出码 {run.process.returncode}）：\n{detail}"
            )
        match = re.search(r"Indexed (\d+) pages?", stdout)
        pages = int(match.group(1)) if match else 0
        self.pages += pages
        bundle_dir = self.plan.bundles[run.shard]
        bundle = self._place(run.bundle, run.output, bundle_dir)
        shutil.rmtree(run.bundle, ignore_errors=True)
        if self.cache:
            with contextlib.suppress(OSError):  # the cache is an optimisation only
                self.cache.store_pack("pagefind", run.key, bundle, note=str(pages))

    def _place(self, bundle: Path, output: Path, bundle_dir: str) -> dict[str, bytes]:
        """Copy Pagefind's output into the site, but for the files the published site already holds
        byte for byte: a re-indexed shard rewrites only some of its thousands of files, and creating
        a file costs 100–400 µs on a disk (a third of a unit's rebuild). The published files are
        compared as the cache's pack of the published bundle holds them (one read, not thousands;
        the site matches its recorded state, or it would be built whole), else read from the site.
        Pagefind's own interfaces (``UNUSED_FILES``) are left out. Returns the bundle's files (path in
        the bundle → bytes)."""
        published_files: dict[str, bytes] = {}
        if self.site is not None and self.cache is not None and bundle_dir in self.published:
            with contextlib.suppress(OSError, ValueError):
                hit = self.cache.lookup_pack("pagefind", self.published[bundle_dir])
                published_files = hit[1] if hit is not None else {}
        files: dict[str, bytes] = {}
        base = str(bundle)
        for folder, _dirs, names in os.walk(base):
            for name in sorted(names):
                if folder == base and name in UNUSED_FILES:
                    continue
                source = os.path.join(folder, name)
                relative = os.path.relpath(source, base).replace(os.sep, "/")
                with open(source, "rb") as handle:
                    data = files[relative] = handle.read()
                path = bundle_dir + relative
                published = self.files.get(path)
                if self.site is not None and published is not None and published[0] == len(data):
                    with contextlib.suppress(OSError):
                        before = published_files.get(relative)
                        if (before if before is not None else (self.site / path).read_bytes()) == data:
                            self.unchanged.append(path)
                            continue
                target = output / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
        return files

    def cancel(self) -> None:
        """Stop indexing (a failed or stopped build): Pagefind is killed, the thread ends. Safe to
        call again, or after ``finish``."""
        with self._lock:
            self.cancelled = True
            for process in self._processes:
                process.kill()
        if self.thread.ident is not None and self.thread.is_alive():
            self.queue.put(None)
            self.thread.join()

    def finish(self) -> IndexResult:
        """Wait for every shard; raise ``SearchIndexError`` if any failed."""
        self._start()
        self.queue.put(None)
        self.thread.join()
        if self.errors:
            raise SearchIndexError(self.errors[0])
        unchanged = set(self.unchanged)
        missing = [
            b
            for b in self.plan.bundles
            if b not in self.kept
            and not (self.site_dir / b / "pagefind.js").is_file()
            and b + "pagefind.js" not in unchanged
        ]
        if missing:
            raise SearchIndexError(f"检索索引不完整：缺少 {'、'.join(missing)}。")
        warning = ""
        if self.version < MIN_VERSION:
            warning = (
                f"Pagefind 版本为 {'.'.join(map(str, self.version))}，低于 1.6.0：中文复合词（如“大额度资金”）可能检索不全。"
                "请运行 make install 安装 1.6.0。"
            )
        return IndexResult(
            pages=self.pages,
            version=".".join(map(str, self.version)),
            warning=warning,
            seconds=self.seconds,
            reused=self.reused,
            shards=len(self.plan.bundles),
        )
