"""The whole build, as named stages, called in order from one ``build()``:

validate → guard (redact to the published view; nothing published lost) → sources (load) → rules →
render → search (index) → export (downloads, open data) → release (manifest, 更新记录, swap).
The folders of ``generator/`` are these stages (ARCHITECTURE.md).

The site is assembled in a staging directory next to the output directory and swapped in only
when every stage has succeeded: a failed build leaves the last good site exactly as it was. Its
work folders (``generator.core.scratch``) are removed however it ends: SIGTERM and SIGINT stop it like a
failure, and the folders of a build that was killed outright are swept by the next one.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import shutil
import subprocess
import tempfile
import time
import urllib.parse
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from generator.core import scratch
from generator.core.cache import (
    Cache,
    CacheChanged,
    ContentHash,
    cache_root,
    code_fingerprint,
    output_id,
)
from generator.core.collector import kept_objects_set_aside, set_aside
from generator.core.config import ConfigError, PortalConfig, load_config
from generator.core.datatree import Period, override_templates, package_dirs, portal_overrides
from generator.core.findings import Report
from generator.core.model import Portal
from generator.core.records import RecordReader
from generator.core.site_state import (
    Keep,
    SiteState,
    UnitPages,
    forget_state,
    read_state,
    save_state,
    site_as_recorded,
    snapshot,
)
from generator.core.urls import RECORD_DEPTHS, SITE_MARKER, live_paths, path_for
from generator.core.workers import Helper, WorkerFailed
from generator.export import BULK_CACHE_KIND, OpenDataError, export_open_data, start_open_data
from generator.export.downloads import plan_downloads, write_downloads
from generator.guard.nothing_lost import check_published
from generator.guard.redact import redact_data
from generator.intake import workbook_hints
from generator.release import read_previous_release, record_release
from generator.release.manifest import is_covered
from generator.release.swap import PublishFailed, check_out_dir, publish, publish_changes, recover
from generator.render.documents import SHARD_CATALOGUE, ShardPlan
from generator.render.keys import decision_slot, package_keys, theme_key, unit_keys
from generator.render.pages import DocumentSpill, UnitDocuments, quarter_pages, render_pages, renders_one_unit
from generator.render.shell import SITE_FILES, render_theme
from generator.rules import RuleReport, check_portal
from generator.search import Indexer, SearchIndexError, binary_version, find_binary
from generator.sources.history import read_history
from generator.sources.load import FileDigests, Rows, load_outline, load_portal, recall_package
from generator.validate import validate_data
from generator.validate.packages import standby

Log = Callable[[str], None] | None
_SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
T = TypeVar("T")


class BuildFailed(Exception):
    """The build stopped; ``message`` is a Chinese explanation for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class BuildInterrupted(BuildFailed):
    """SIGTERM or SIGINT stopped the build; its work folders are removed, the old site is unchanged."""


@dataclass
class BuildSummary:
    out_dir: Path
    pages: int = 0
    decisions: int = 0
    indexed: int = 0
    index_seconds: float = 0.0
    shards: int = 0
    shards_reused: int = 0
    download_bytes: int = 0
    changed_files: int = 0  # files written into (or removed from) the published site
    units_rendered: int = 0  # units whose record pages were rendered (the others kept as published)
    quarters_kept: int = 0  # in the units rendered, quarters whose pages were kept as published
    pages_rendered: int = 0  # the units' record pages rendered by this build (the rest were kept)
    bulk_packages: int = 0  # packages whose share of the bulk downloads was made (the others cached)
    up_to_date: bool = False  # nothing the build reads changed since the last one: nothing done
    timings: dict[str, float] = field(default_factory=dict)
    #: The whole build's time, from ``build()`` called to its return: the stages and the work between
    #: them (the published site's state read and saved, the work folders removed; about 1 s of a
    #: unit's rebuild). 0: not measured (the stages' sum is shown).
    seconds: float = 0.0

    def __str__(self) -> str:
        if self.up_to_date:
            return (
                f"网站已是最新：{self.out_dir}/ 与上次生成时的数据、设置、主题和程序完全相同，未作任何改动。"
            )
        staged = sum(self.timings.values())
        total = max(self.seconds, staged)
        stages = "，".join(f"{name} {seconds:.1f} 秒" for name, seconds in self.timings.items())
        if total - staged >= 0.05:
            stages += f"，其他 {total - staged:.1f} 秒（读取和保存网站状态、清理临时文件夹等）"
        return (
            f"网站已生成：{self.out_dir}/（{self.pages} 个记录页面，其中决策事项 {self.decisions} 项；"
            f"重新生成 {self.units_rendered} 个单位的页面"
            + (f"（其中 {self.quarters_kept} 个季度的页面未变，沿用）；" if self.quarters_kept else "；")
            + f"检索索引 {self.indexed} 页（{self.shards} 个分片，{self.shards_reused} 个沿用缓存）；下载文件 {self.download_bytes / 1024 / 1024:.1f} MB；"
            f"全站批量下载重新生成 {self.bulk_packages} 个数据包的部分；"
            f"写入或删除网站文件 {self.changed_files} 个）。"
            f"\n用时 {total:.1f} 秒：{stages}（Pagefind 在后台与记录页面、开放数据并行运行 {self.index_seconds:.1f} 秒）。"
        )


class _Stages:
    def __init__(self, summary: BuildSummary, log: Log) -> None:
        self.summary, self.log = summary, log

    def run(self, name: str, action: Callable[[], T]) -> T:
        started = time.perf_counter()
        result = action()
        self.summary.timings[name] = time.perf_counter() - started
        if self.log:
            self.log(f"· {name}：完成（{self.summary.timings[name]:.1f} 秒）")
        return result


def build(data_dir: Path, out_dir: Path, log: Log = print, *, full: bool = False) -> BuildSummary:
    """Build the site of ``data_dir`` into ``out_dir``; raise ``BuildFailed`` (``BuildInterrupted`` when
    stopped by SIGTERM or SIGINT) with the old site untouched and no work folder left behind.
    ``full``: keep nothing of the published site (every page rendered, the whole site swapped in)."""
    started = time.perf_counter()
    with scratch.Interrupts() as interrupts, kept_objects_set_aside():
        try:
            with _output_lock(out_dir):
                summary = _build(data_dir, out_dir, log, interrupts, full)
                summary.seconds = time.perf_counter() - started
                return summary
        except scratch.Interrupted as stop:
            raise BuildInterrupted(
                f"生成被中断（收到 {stop.signal_name} 信号）：已停止并删除本次生成的临时文件夹。"
            ) from None


def output_lock_path(out_dir: Path) -> Path:
    """The lock file of builds into ``out_dir``, in its build cache folder."""
    return cache_root(out_dir) / f"build-{output_id(out_dir)}.lock"


@contextlib.contextmanager
def _output_lock(out_dir: Path) -> Iterator[None]:
    """One build at a time into ``out_dir``: a rebuild writes into the published site itself, so two
    at once could mix their files. An advisory lock on a file in the output's build cache folder
    (released when the process ends, however it ends); where that folder cannot be made, no lock."""
    try:
        import fcntl  # POSIX only: elsewhere, builds are not locked
    except ImportError:
        yield
        return
    try:
        path = output_lock_path(out_dir)
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
    except (OSError, RuntimeError):  # RuntimeError: no home folder
        yield
        return
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildFailed(
                f"另一个 gongkai build 正在生成“{out_dir}”：请等它结束后再运行（同一输出目录一次只能生成一个）。"
            ) from None
        yield
    finally:
        os.close(descriptor)


def _build(
    data_dir: Path, out_dir: Path, log: Log, interrupts: scratch.Interrupts, full: bool
) -> BuildSummary:
    summary = BuildSummary(out_dir)
    stages = _Stages(summary, log)
    try:
        check_out_dir(out_dir)
    except PublishFailed as error:
        raise BuildFailed(error.message) from None
    try:
        config = load_config(data_dir)
    except ConfigError as error:
        raise BuildFailed(str(error)) from None
    # Work folders left by builds that were killed (SIGKILL, a power cut) are removed first, and
    # a publish that was cut short is rolled back (the site is then the last good one again).
    _sweep_stale(out_dir)
    # The build cache of this output (unit pages' search documents, search shards, bulk
    # downloads, the published site's state), opened once for every stage.
    cache = Cache.open(out_dir)
    try:
        if recover(out_dir):
            forget_state(cache, out_dir)
    except PublishFailed as error:
        raise BuildFailed(error.message) from None
    # What the published site is, as the last build left it (None: a full build). A second process
    # compares the site with it while this one validates; the answer is taken at once when nothing
    # the build reads changed, else once the records are judged (the open-data workers start with
    # the state as recorded, and look again when they are joined).
    state = None if full else read_state(cache, out_dir)
    site_check = _SiteCheck(out_dir, state)
    # A rebuild's few changed packages are validated by a helper process; started now, it loads
    # Frictionless while this one hashes the input (``standby``), not after.
    validator = standby() if state is not None else None
    try:
        inputs = stages.run("输入比对", lambda: _input_key(data_dir, out_dir))
        if state is not None and state.input_key == inputs:
            if stages.run("网站状态", site_check.matches):
                summary.up_to_date = True
                return summary
            state = None
        return _build_changed(
            data_dir, out_dir, log, interrupts, config, cache, stages, state, inputs, site_check, validator
        )
    finally:
        site_check.close()
        if validator is not None:
            validator.close()


def _build_changed(
    data_dir: Path,
    out_dir: Path,
    log: Log,
    interrupts: scratch.Interrupts,
    config: PortalConfig,
    cache: Cache | None,
    stages: _Stages,
    state: SiteState | None,
    inputs: str,
    site_check: _SiteCheck,
    validator: Helper[Any] | None = None,
) -> BuildSummary:
    summary = stages.summary

    out_dir.parent.mkdir(parents=True, exist_ok=True)
    cleanup: list[Path] = []
    opendata = None
    indexer = None

    def work_dir(prefix: str, parent: Path | str | None) -> Path:
        with interrupts.deferred():  # made and noted for removal at once, even if a signal comes
            path = scratch.make_dir(prefix, parent)
            cleanup.append(path)
        return path

    work: Path | None = None

    def start_bulk(outline: Portal) -> None:
        # Open data, part 1: the bulk downloads need only the published view's packages, which
        # worker processes read themselves: they start before the records are loaded (from a
        # small process, which never holds them) and are joined in the 开放数据 stage.
        nonlocal opendata, work
        work = work_dir(f".{out_dir.name}.building-", out_dir.parent)
        opendata = start_open_data(outline, work, cache, state)

    try:
        # Gather: everything the build reads, read before anything is written (the same first
        # stages as ``gongkai check``): validated, redacted to the published view, checked against
        # the published site, loaded with its git history, judged by the rules.
        try:
            checked = _gather(
                data_dir,
                out_dir,
                lambda: work_dir("gongkai-published-", _fast_tmp()),
                stages,
                config,
                cache=cache,
                on_view=start_bulk,
                validator=validator,
            )
        except ConfigError as error:
            raise BuildFailed(str(error)) from None
        if not checked.validation.valid:
            raise BuildFailed(checked.validation.to_text() + "\n数据未通过校验，未生成网站。")
        if checked.kept is not None and not checked.kept.valid:
            raise BuildFailed(
                checked.kept.to_text() + "\n已公开的记录被修改或删除却没有更正、撤回记录，未生成网站。"
            )
        assert checked.portal is not None and checked.rules is not None
        portal, rules = checked.portal, checked.rules
        if state is not None and not stages.run("网站状态", site_check.matches):
            state = None  # the site was changed by other means: a full build
        if rules.errors:
            raise BuildFailed(rules.to_text() + "\n数据未通过规则检查（有错误级别的问题），未生成网站。")
        if rules.findings and log:
            log(f"· 规则检查：{len(rules.findings)} 项警示，将在网站上公开显示。")
        assert work is not None  # made when the view was known (start_bulk)
        # The previous release (its manifest, checked): the hash chain goes on from it.
        try:
            previous = stages.run("上次发布", lambda: read_previous_release(out_dir, checked.reader, cache))
        except OpenDataError as error:
            raise BuildFailed(error.message) from None
        # What the published site keeps as it is: only with a state that the site matches, and the
        # published manifest's hashes of its open-data files.
        published_hashes = (
            {
                f["path"]: f["sha256"]
                for f in previous.manifest[1]["files"]
                if f["path"] in state.files  # only a file the site holds can be kept
            }
            if state is not None and previous.manifest is not None
            else {}
        )
        keep = Keep(state, published_hashes)

        # Render: MkDocs renders content/ and the page shells; jinja2 fills the record pages and
        # writes each one's search document into its search shard (on tmpfs when there is one:
        # tens of thousands of small files that only Pagefind reads).
        counts: dict[Period, dict[str, int]] = {d.period: {} for d in portal.disclosures}
        for d in portal.disclosures:
            for date in [*(x.date for x in d.decisions), *(h.date for h in d.hearings)]:
                counts[d.period][date] = counts[d.period].get(date, 0) + 1
        search_work = work_dir("gongkai-search-", _fast_tmp())
        shards = ShardPlan.plan(search_work, counts, len(portal.units), config.search_shard_size)
        themed = stages.run(
            "主题页面",
            lambda: render_theme(
                config, work, RECORD_DEPTHS, overrides=portal_overrides(data_dir), cache=cache
            ),
        )
        site_dir = themed.site_dir
        downloads = stages.run("下载文件打包", lambda: plan_downloads(portal, cache))
        sizes = {item.path: item.size for item in downloads}
        # Each unit's record pages are kept as published when their key is unchanged.
        live = live_paths(portal)
        themed_key = theme_key(
            portal, themed, [*override_templates(data_dir), SITE_FILES / "theme" / "templates"]
        )
        keys = stages.run("页面键", lambda: unit_keys(portal, themed_key, rules, sizes, live))
        kept = _kept_units(state, keys, cache)
        for pages, _documents in kept.values():
            keep.paths.update(page + "index.html" for page in pages)
        # Where the published site is not at hand (a CI runner starts empty), the pages of a unit
        # whose key is unchanged come from the cache, if it keeps pages (GONGKAI_CACHE_PAGES=1).
        restored = _restore_units(keys, kept, cache, site_dir) if _caches_pages() else {}
        # In a unit rendered now, the quarters whose pages are as published (their own key unchanged)
        # are kept (not where the cache keeps pages: it keeps a unit's pages whole).
        quarter_keys = package_keys(
            portal, themed_key, rules, sizes, live, {u.unit_id for u in portal.units} - kept.keys()
        )
        kept_quarters = {} if _caches_pages() else _kept_quarters(portal, state, quarter_keys, cache, live)
        live = set()  # let go of every record page's address: the render stage makes its own
        for _periods, pages, _documents in kept_quarters.values():
            keep.paths.update(page + "index.html" for page in pages)

        # One unit rendered (a quarterly commit, a correction): the render stage has no helper
        # process, and memory has room for two Pagefind runs at once (a cold build's peak stays).
        one_unit = renders_one_unit(portal, kept.keys() | restored.keys())
        # Index: Pagefind indexes each shard as soon as its search documents are written,
        # in a background thread, while the render stage goes on with the next shard.
        try:
            indexer = Indexer(
                shards,
                site_dir,
                cache,
                state.shards if state else None,
                site=out_dir if state else None,
                files=state.files if state else None,
                overlap=one_unit,
            )
        except SearchIndexError as error:
            raise BuildFailed(str(error)) from None
        rendered = stages.run(
            "记录页面",
            lambda: render_pages(
                portal,
                themed,
                sizes,
                shards,
                indexer.shard_done,
                rules,
                {**kept, **restored},
                cache,
                kept_quarters,
                work / "search-documents" if cache is not None else None,
            ),
        )
        summary.pages = len(rendered.pages)
        summary.pages_rendered = rendered.rendered
        # The search documents of the units rendered now, kept for the next build.
        _store_documents(cache, keys, rendered.documents)
        _write_sitemap(site_dir, themed.pages + rendered.pages, config.site_url)
        rendered.pages = []  # the stages after this one have no use for every record page's address
        (site_dir / SHARD_CATALOGUE).parent.mkdir(parents=True, exist_ok=True)
        (site_dir / SHARD_CATALOGUE).write_bytes(shards.catalogue())

        # Export: the downloadable data packages, then the open data (bulk downloads, SQLite,
        # JSON API, catalog, feeds, release manifest, changelog), while Pagefind finishes the
        # last search shards in the background.
        summary.download_bytes = stages.run(
            "下载文件", lambda: write_downloads(downloads, site_dir, keep if state else None)
        )
        downloads.clear()  # the packages' zips, made in memory, are written
        try:
            # Open data, part 2: the JSON API (the API files of the units kept above are kept too:
            # they are made from the same inputs), then the bulk downloads are joined.
            exported = stages.run(
                "开放数据", lambda: export_open_data(portal, themed, cache, opendata, keep, set(kept))
            )
            summary.bulk_packages = exported.packages_made
            # Release: what changed since the published site, the manifest in its hash chain, 更新记录.
            covered_kept = {
                path: (keep.size(path), digest)
                for path, digest in published_hashes.items()  # the manifest's files: no page
                if path in keep.paths and is_covered(path)
            }
            stages.run(
                "发布记录",
                lambda: record_release(
                    portal,
                    themed,
                    previous,
                    exported.ledger,
                    exported.data_through,
                    covered_kept,
                    cache,
                    keep if state is not None else None,
                ),
            )
        except OpenDataError as error:
            raise BuildFailed(error.message) from None
        exported.ledger.entries.clear()  # every open-data file's size and SHA-256: in the manifest now
        # While Pagefind finishes: the outcomes of the units judged now (and the pages of the units
        # rendered now, where the cache keeps pages), kept for the next build.
        rules.remember(cache)
        if _caches_pages() and cache is not None:
            for unit, made in rendered.made.items():
                page_files = {page + "index.html": site_dir / page / "index.html" for page in made}
                with contextlib.suppress(OSError):  # the cache is an optimisation only
                    cache.store(_PAGES, keys[unit], site_dir, files=page_files)
        try:
            index = stages.run("检索索引（收尾）", indexer.finish)
        except SearchIndexError as error:
            raise BuildFailed(str(error)) from None
        summary.units_rendered = len(rendered.made)
        summary.quarters_kept = sum(len(periods) for periods, _p, _d in kept_quarters.values())
        summary.decisions = len(portal.decisions())
        summary.indexed = index.pages
        summary.index_seconds = index.seconds
        summary.shards, summary.shards_reused = index.shards, index.reused
        if index.warning and log:
            log(f"警告：{index.warning}")
        for bundle in indexer.kept:
            keep.folder(bundle)
        keep.paths.update(indexer.unchanged)  # a re-indexed shard's files that did not change

        (site_dir / SITE_MARKER).write_text(
            "此目录由 gongkai build 生成和更新，请勿手动修改（被改动过的网站，下一次生成时会整体重新生成）。\n",
            encoding="utf-8",
        )
        with interrupts.deferred(then_raise=False):  # never half a publish: the site is built, publish it
            try:
                if state is not None:
                    # Only what changed is written into the published site (journalled).
                    files, changed = stages.run(
                        "写入网站", lambda: publish_changes(site_dir, out_dir, keep.paths, state.files)
                    )
                    summary.changed_files = len(changed)
                else:
                    forget_state(cache, out_dir)
                    publish(site_dir, out_dir)
                    files = snapshot(out_dir) or {}
                    changed = list(files)
                    summary.changed_files = len(files)
            except PublishFailed as error:
                raise BuildFailed(error.message) from None
            reused = {**kept, **restored}
            units = {
                unit.unit_id: UnitPages(
                    keys[unit.unit_id],
                    reused[unit.unit_id][0]
                    if unit.unit_id in reused
                    else rendered.made.get(unit.unit_id, []),
                    state.units[unit.unit_id].packages
                    if state is not None and unit.unit_id in kept
                    else quarter_keys.get(unit.unit_id, {}),
                )
                for unit in portal.units
            }
            save_state(
                cache,
                out_dir,
                SiteState(inputs, files, units, indexer.keys, exported.bulk_key),
                state,
                changed,
            )
            _prune_cache(cache, set(indexer.keys.values()), exported.bulk_key, set(keys.values()))
    finally:
        # Pagefind and the helper processes are stopped (a failed or stopped build) before their
        # work folders are removed; a signal arriving now does not cut this short.
        with interrupts.deferred(then_raise=False):
            if indexer is not None:
                indexer.cancel()
            if opendata is not None:
                opendata.cancel()
            for path in cleanup:
                shutil.rmtree(path, ignore_errors=True)
    return summary


@dataclass
class Checked:
    """What ``gongkai validate``, ``gongkai check`` and the build's first stages found, in order:
    validation, the published-records check (with a published site), the loaded published view and
    the rules' report. A later part is None when an earlier one failed or was not asked for."""

    validation: Report
    kept: Report | None = None
    portal: Portal | None = None
    rules: RuleReport | None = None
    #: The tables the published-records check parsed, for the release's change list to reuse.
    reader: RecordReader = field(default_factory=RecordReader)


def check(data_dir: Path, published: Path | None = None, *, rules: bool = True, log: Log = None) -> Checked:
    """The build's own first stages, writing nothing: validation; with ``published``, the
    published-records check; with ``rules``, the rules over the published view (records withheld
    by law redacted, as the build reads them). Raises ``ConfigError`` for a portal.yml the rules
    cannot use."""
    stages = _Stages(BuildSummary(Path()), log)
    try:
        config: PortalConfig | None = load_config(data_dir)
    except ConfigError:
        config = None  # validation names the problem
    with (
        tempfile.TemporaryDirectory(prefix="gongkai-published-", dir=_fast_tmp()) as work,
        kept_objects_set_aside(),
    ):
        return _gather(data_dir, published, lambda: Path(work), stages, config, rules=rules)


def _gather(
    data_dir: Path,
    published: Path | None,
    view_dir: Callable[[], Path],
    stages: _Stages,
    config: PortalConfig | None,
    *,
    rules: bool = True,
    cache: Cache | None = None,
    on_view: Callable[[Portal], None] | None = None,
    validator: Helper[Any] | None = None,
) -> Checked:
    # Validate: frictionless on every package; invalid data is never published. A quarter imported
    # from an Excel workbook has its findings name the sheet to change. In a rebuild a helper
    # process validates the changed packages while this one recalls the others' typed rows.
    recalled: dict[Path, tuple[Rows, FileDigests]] = {}
    validation = stages.run(
        "校验",
        lambda: validate_data(
            data_dir,
            config=config,
            cache=cache,
            meanwhile=(lambda done: _recall_packages(data_dir, cache, recalled, done)) if cache else None,
            helper=validator,
        ),
    )
    validation = dataclasses.replace(validation, errors=workbook_hints(validation.errors, data_dir))
    if not validation.valid or (published is None and not rules):
        return Checked(validation)
    config = config or load_config(data_dir)
    # Redact: records withheld by law (依法不予公开) keep only their skeleton and legal basis;
    # every later stage reads this published view, never the withheld fields.
    where = view_dir()
    view = stages.run("不予公开处理", lambda: redact_data(data_dir, where))
    # History: one walk of the data's git history (首次公开, 按期公开, the data's date and commit).
    history = stages.run("提交历史", lambda: read_history(data_dir, config.max_file_mb))
    if on_view is not None and rules:  # the published view's outline, for work that can start now
        on_view(load_outline(data_dir, view.sources, config, history))
    # Published records: what the current site published (as published: withheld records
    # redacted) is changed only by a correction and removed only by a withdrawal (更正记录,
    # 撤回记录); nothing is lost silently.
    kept = None
    reader = RecordReader()  # each published and current table parsed once, here and in the release
    if published is not None:
        kept = stages.run("已公开记录", lambda: check_published(data_dir, published, view.sources, reader))
        kept = dataclasses.replace(kept, errors=workbook_hints(kept.errors, data_dir))
        if not kept.valid or not rules:
            return Checked(validation, kept, reader=reader)
    # Load: typed records from the validated CSV files of the published view.
    portal = stages.run(
        "读取",
        lambda: load_portal(
            data_dir, view.sources, config=config, history=history, cache=cache, recalled=recalled
        ),
    )
    recalled.clear()
    # Check rules: the documents' rules (末位表态, 预告会商, 五不上会 …). Errors block publication;
    # warnings are published on the decision pages, scorecards and member pages.
    report = stages.run("规则检查", lambda: check_portal(portal, cache))
    set_aside()  # the records and outcomes live as long as the build: no collection walks them again
    return Checked(validation, kept, portal, report, reader)


def _recall_packages(
    data_dir: Path,
    cache: Cache,
    into: dict[Path, tuple[Rows, FileDigests]],
    done: Callable[[], bool],
) -> None:
    """The typed rows the cache keeps of each package as its files are now (by folder), recalled
    while a helper validates the changed packages, until ``done()``: the load stage then reads only
    the others (a package withheld in part is read from its redacted copy, another folder). Only
    what fits in that time is held beside what the load holds, whatever the portal's size. An
    optimisation only: a tree the validation refuses is not loaded at all."""
    try:
        for ref in package_dirs(data_dir):
            if done():
                return
            got = recall_package(ref.path, cache, ref.key)
            if got is not None:
                into[ref.path] = got
    except Exception:  # the load stage reads whatever this did not recall
        into.clear()


class _SiteCheck:
    """Whether the published site is as its recorded state says (``site_as_recorded``), found by a
    forked process (``generator.core.workers``) while this one goes on; a failed check is a no."""

    def __init__(self, out_dir: Path, state: SiteState | None) -> None:
        self._helper = (
            None
            if state is None
            else Helper(
                [[state]], lambda _g, items: site_as_recorded(out_dir, items[0]), what="核对已发布的网站"
            )
        )
        self._answer: bool | None = None

    def matches(self) -> bool:
        if self._answer is None:
            try:
                self._answer = self._helper is not None and bool(self._helper.result(0))
            except WorkerFailed:
                self._answer = False
            self.close()
        return self._answer

    def close(self) -> None:
        if self._helper is not None:
            self._helper.close()
            self._helper = None


def _sweep_stale(out_dir: Path) -> None:
    """Remove the work folders of builds whose process is gone (killed where no handler runs)."""
    for folder in dict.fromkeys(p for p in (_fast_tmp(), tempfile.gettempdir()) if p):
        for prefix in ("gongkai-published-", "gongkai-search-"):
            scratch.sweep(Path(folder), prefix, legacy=True)
    scratch.sweep(out_dir.parent, f".{out_dir.name}.building-")


def _fast_tmp() -> str | None:
    """A memory-backed temporary directory (Linux /dev/shm) if there is one, else the default."""
    shm = Path("/dev/shm")
    return str(shm) if shm.is_dir() and os.access(shm, os.W_OK) else None


def _write_sitemap(site_dir: Path, pages: list[str], site_url: str) -> None:
    """sitemap.xml of every page (needs the public address); no dates, so builds stay identical.
    Written with ``xml.etree``: the address from portal.yml is XML text, never markup."""
    if not site_url:
        return
    base = site_url.rstrip("/") + "/"
    urlset = ET.Element(f"{{{_SITEMAP}}}urlset")
    for page in sorted(set(pages)):
        ET.SubElement(ET.SubElement(urlset, f"{{{_SITEMAP}}}url"), f"{{{_SITEMAP}}}loc").text = (
            base + urllib.parse.quote(page, safe="/")
        )
    ET.indent(urlset, "  ")
    body = ET.tostring(urlset, encoding="utf-8", xml_declaration=False, default_namespace=_SITEMAP)
    (site_dir / "sitemap.xml").write_bytes(b'<?xml version="1.0" encoding="UTF-8"?>\n' + body + b"\n")


_DOCUMENTS = "unit-documents"  # cache kind: a unit's search documents, by the key of its pages
_PAGES = "unit-pages"  # cache kind: a unit's record pages, by their key (with GONGKAI_CACHE_PAGES=1)
CACHE_PAGES_ENV = "GONGKAI_CACHE_PAGES"


def _caches_pages() -> bool:
    """Whether the cache also keeps every unit's record pages: for CI runners, which start without
    the published site (costs a hard link, or a copy, of every rendered page)."""
    return os.environ.get(CACHE_PAGES_ENV, "") == "1"


def _unit_documents(cache: Cache, key: str) -> UnitDocuments | None:
    entry = cache.lookup(_DOCUMENTS, key)
    if entry is None:
        return None
    try:
        # The documents one after another (documents.bin), and an index of (quarter, path, length).
        index = json.loads((entry.path / "documents.json").read_bytes())
        data = (entry.path / "documents.bin").read_bytes()
        documents, at = [], 0
        for period, path, length in index:
            documents.append((str(period), str(path), data[at : at + int(length)]))
            at += int(length)
        return documents if at == len(data) else None
    except (OSError, ValueError, TypeError):
        return None


def _restore_units(
    keys: dict[str, str],
    kept: dict[str, tuple[list[str], UnitDocuments]],
    cache: Cache | None,
    site_dir: Path,
) -> dict[str, tuple[list[str], UnitDocuments]]:
    """The units not kept from the published site whose pages and search documents the cache holds
    under their key: their pages are put into the staged site (linked or copied, verified)."""
    if cache is None:
        return {}
    restored = {}
    for unit, key in keys.items():
        if unit in kept:
            continue
        entry = cache.lookup(_PAGES, key)
        documents = _unit_documents(cache, key) if entry is not None else None
        if entry is None or documents is None:
            continue
        try:
            entry.restore(site_dir)
        except (CacheChanged, OSError):
            continue  # rendered instead (what was restored is overwritten)
        pages = sorted(name.removesuffix("index.html") for name in entry.files)
        restored[unit] = (pages, documents)
    return restored


def _kept_units(
    state: SiteState | None, keys: dict[str, str], cache: Cache | None
) -> dict[str, tuple[list[str], UnitDocuments]]:
    """The units whose record pages the published site holds as this build would render them (the
    same key, every page there) and whose search documents the cache holds (verified)."""
    if state is None or cache is None:
        return {}
    kept = {}
    for unit, key in keys.items():
        published = state.units.get(unit)
        if published is None or published.key != key:
            continue
        if any(page + "index.html" not in state.files for page in published.pages):
            continue
        documents = _unit_documents(cache, key)
        if documents is not None:
            kept[unit] = (published.pages, documents)
    return kept


def _kept_quarters(
    portal: Portal,
    state: SiteState | None,
    quarter_keys: dict[str, dict[str, str]],
    cache: Cache | None,
    live: set[str],
) -> dict[str, tuple[set[str], list[str], UnitDocuments]]:
    """In each unit rendered now (``quarter_keys``), the quarters whose pages the published site holds
    as this build would render them (the same quarter key, every page there) and whose search
    documents the cache holds (those of the unit's published pages, verified): unit ID → (quarters,
    their pages, their search documents). In the unit's other quarters, the decision pages kept the
    same way by their own key (``generator.render.keys.decision_slot``) join the pages and documents
    (their quarters are rendered, but for them)."""
    if state is None or cache is None:
        return {}
    kept = {}
    for unit in portal.units:
        keys, published = quarter_keys.get(unit.unit_id), state.units.get(unit.unit_id)
        if keys is None or published is None or not published.packages:
            continue
        same = [d for d in unit.disclosures if published.packages.get(str(d.period)) == keys[str(d.period)]]
        single = [  # the decision pages kept by their own key, in the quarters whose key changed
            page
            for dis in unit.disclosures
            if published.packages.get(str(dis.period)) != keys[str(dis.period)]
            for d in dis.decisions
            if (slot := decision_slot(str(dis.period), d.decision_id)) in keys
            and published.packages.get(slot) == keys[slot]
            and (page := path_for(d)) + "index.html" in state.files
        ]
        documents = _unit_documents(cache, published.key) if same or single else None
        if documents is None:
            continue
        periods, pages, searchable = set(), [], set()
        for dis in same:
            own = quarter_pages(dis, live)
            if all(page.path + "index.html" in state.files for page in own):
                periods.add(str(dis.period))
                pages += [page.path for page in own]
                searchable |= {page.path for page in own if page.searchable}
        found = {doc[1] for doc in documents}
        for page in single:
            if page in found:  # a decision page is kept with its search document
                pages.append(page)
                searchable.add(page)
        quarter_documents = [doc for doc in documents if doc[1] in searchable]
        if pages and {doc[1] for doc in quarter_documents} == searchable:
            kept[unit.unit_id] = (periods, pages, quarter_documents)
    return kept


def _prune_cache(cache: Cache | None, shards: set[str], bulk: str, units: set[str]) -> None:
    """After a publish: the cache keeps only what this build used of its largest entries (the
    search shards' packs, the bulk downloads, 190 MB at 20,000 decisions, and the units' search
    documents and pages), so that a cache kept between CI runs does not grow by them with every
    change. (A package's rows and rule outcomes are replaced in their slots; its validation
    findings and bulk slices, under half a megabyte a package, still gain an entry a change.)"""
    from generator.export.bulk import DB_CACHE_KIND

    if cache is None:
        return
    cache.prune("pagefind", shards)
    cache.prune(BULK_CACHE_KIND, {bulk})
    cache.prune(DB_CACHE_KIND, {bulk})  # the database the next build copies from
    cache.prune(_DOCUMENTS, units)
    cache.prune(_PAGES, units)


def _store_documents(cache: Cache | None, keys: dict[str, str], documents: DocumentSpill) -> None:
    """Keep the search documents of the units rendered now, under the key of their pages."""
    if cache is None:
        return
    for unit in documents.units:
        unit_documents = documents.read(unit)
        with tempfile.TemporaryDirectory(prefix="gongkai-documents-", dir=_fast_tmp()) as folder:
            index = [(period, path, len(data)) for period, path, data in unit_documents]
            (Path(folder) / "documents.json").write_text(
                json.dumps(index, ensure_ascii=False), encoding="utf-8"
            )
            (Path(folder) / "documents.bin").write_bytes(b"".join(data for _p, _path, data in unit_documents))
            with contextlib.suppress(OSError):  # the cache is an optimisation only
                cache.store(_DOCUMENTS, keys[unit], Path(folder))


def _input_key(data_dir: Path, out_dir: Path) -> str:
    """A hash of everything a build reads: the data (every file but git's and hidden folders'),
    the portal's overrides, our content, theme and code, the data's git commit and the Pagefind
    binary. The same key means the same site."""
    digest = ContentHash("gongkai-build-inputs")
    digest.add("code", code_fingerprint().encode("ascii"))
    skip = frozenset({out_dir.resolve()})
    roots = [("data", data_dir)]
    if (overrides := portal_overrides(data_dir)) is not None:
        roots.append(("overrides", overrides))
    roots += [(f"site {name}", SITE_FILES / name) for name in ("content", "theme", "mkdocs.yml")]
    for label, root in roots:
        digest.add_tree(label, root, skip)
    try:
        head = subprocess.run(
            ["git", "-C", str(data_dir), "rev-parse", "HEAD"], capture_output=True, text=True, check=False
        ).stdout.strip()
    except OSError:
        head = ""
    digest.add("git", head.encode("ascii", "replace"))
    try:
        binary = find_binary()
        status = binary.stat()
        digest.add("pagefind", f"{binary.resolve()} {status.st_size} {status.st_mtime_ns}".encode())
        binary_version(binary)  # asked now, while this process is small (remembered for the indexer)
    except (OSError, SearchIndexError):
        digest.add("pagefind", b"")
    return digest.hexdigest()
