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

import dataclasses
import os
import shutil
import tempfile
import time
import urllib.parse
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from generator.core import scratch
from generator.core.cache import Cache
from generator.core.config import ConfigError, PortalConfig, load_config
from generator.core.datatree import portal_overrides
from generator.core.findings import Report
from generator.core.model import Portal
from generator.core.records import RecordReader
from generator.core.urls import RECORD_DEPTHS, SITE_MARKER
from generator.export import OpenDataError, export_open_data, start_open_data
from generator.export.downloads import plan_downloads, write_downloads
from generator.guard.nothing_lost import check_published
from generator.guard.redact import redact_data
from generator.intake import workbook_hints
from generator.release import read_previous_release, record_release
from generator.release.swap import PublishFailed, check_out_dir, publish
from generator.render.documents import ShardPlan
from generator.render.pages import render_pages
from generator.render.shell import render_theme
from generator.rules import RuleReport, check_portal
from generator.search import Indexer, SearchIndexError
from generator.sources.history import read_history
from generator.sources.load import load_portal
from generator.validate import validate_data

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
    timings: dict[str, float] = field(default_factory=dict)

    def __str__(self) -> str:
        total = sum(self.timings.values())
        stages = "，".join(f"{name} {seconds:.1f} 秒" for name, seconds in self.timings.items())
        return (
            f"网站已生成：{self.out_dir}/（{self.pages} 个记录页面，其中决策事项 {self.decisions} 项；"
            f"检索索引 {self.indexed} 页（{self.shards} 个分片，{self.shards_reused} 个沿用缓存）；下载文件 {self.download_bytes / 1024 / 1024:.1f} MB）。"
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


def build(data_dir: Path, out_dir: Path, log: Log = print) -> BuildSummary:
    """Build the site of ``data_dir`` into ``out_dir``; raise ``BuildFailed`` (``BuildInterrupted`` when
    stopped by SIGTERM or SIGINT) with the old site untouched and no work folder left behind."""
    with scratch.Interrupts() as interrupts:
        try:
            return _build(data_dir, out_dir, log, interrupts)
        except scratch.Interrupted as stop:
            raise BuildInterrupted(
                f"生成被中断（收到 {stop.signal_name} 信号）：已停止并删除本次生成的临时文件夹。"
            ) from None


def _build(data_dir: Path, out_dir: Path, log: Log, interrupts: scratch.Interrupts) -> BuildSummary:
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
    # Work folders left by builds that were killed (SIGKILL, a power cut) are removed first.
    _sweep_stale(out_dir)

    out_dir.parent.mkdir(parents=True, exist_ok=True)
    cleanup: list[Path] = []
    opendata = None
    indexer = None

    def work_dir(prefix: str, parent: Path | str | None) -> Path:
        with interrupts.deferred():  # made and noted for removal at once, even if a signal comes
            path = scratch.make_dir(prefix, parent)
            cleanup.append(path)
        return path

    try:
        # Gather: everything the build reads, read before anything is written (the same first
        # stages as ``gongkai check``): validated, redacted to the published view, checked against
        # the published site, loaded with its git history, judged by the rules.
        try:
            checked = _gather(
                data_dir, out_dir, lambda: work_dir("gongkai-published-", _fast_tmp()), stages, config
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
        if rules.errors:
            raise BuildFailed(rules.to_text() + "\n数据未通过规则检查（有错误级别的问题），未生成网站。")
        if rules.findings and log:
            log(f"· 规则检查：{len(rules.findings)} 项警示，将在网站上公开显示。")
        # The previous release (its manifest, checked): the hash chain goes on from it.
        try:
            previous = read_previous_release(out_dir, checked.reader)
        except OpenDataError as error:
            raise BuildFailed(error.message) from None
        work = work_dir(f".{out_dir.name}.building-", out_dir.parent)
        # The build cache of this output (search shards, bulk downloads), opened once for every stage.
        cache = Cache.open(out_dir)

        # Open data, part 1: the bulk downloads and the JSON API need only the loaded portal; a
        # worker process writes them while this one renders (joined in the 开放数据 stage).
        opendata = start_open_data(portal, work, cache)

        # Render: MkDocs renders content/ and the page shells; jinja2 fills the record pages and
        # writes each one's search document into its search shard (on tmpfs when there is one:
        # tens of thousands of small files that only Pagefind reads).
        counts = {d.period: 0 for d in portal.disclosures}
        for d in portal.disclosures:
            counts[d.period] += len(d.decisions) + len(d.hearings)
        search_work = work_dir("gongkai-search-", _fast_tmp())
        shards = ShardPlan.plan(search_work, counts, len(portal.units), config.search_shard_size)
        themed = stages.run(
            "主题页面",
            lambda: render_theme(
                config, work, RECORD_DEPTHS, shards.bundles, overrides=portal_overrides(data_dir)
            ),
        )
        site_dir = themed.site_dir
        downloads = plan_downloads(portal)
        sizes = {item.path: item.size for item in downloads}

        # Index: Pagefind indexes each shard as soon as its search documents are written,
        # in a background thread, while the render stage goes on with the next shard.
        try:
            indexer = Indexer(shards, site_dir, cache)
        except SearchIndexError as error:
            raise BuildFailed(str(error)) from None
        pages = stages.run(
            "记录页面", lambda: render_pages(portal, themed, sizes, shards, indexer.shard_done, rules)
        )
        _write_sitemap(site_dir, themed.pages + pages, config.site_url)

        # Export: the downloadable data packages, then the open data (bulk downloads, SQLite,
        # JSON API, catalog, feeds, release manifest, changelog), while Pagefind finishes the
        # last search shards in the background.
        summary.download_bytes = stages.run("下载文件", lambda: write_downloads(downloads, site_dir))
        try:
            exported = stages.run("开放数据", lambda: export_open_data(portal, themed, cache, opendata))
            # Release: what changed since the published site, the manifest in its hash chain, 更新记录.
            stages.run(
                "发布记录",
                lambda: record_release(portal, themed, previous, exported.ledger, exported.data_through),
            )
        except OpenDataError as error:
            raise BuildFailed(error.message) from None
        try:
            index = stages.run("检索索引（收尾）", indexer.finish)
        except SearchIndexError as error:
            raise BuildFailed(str(error)) from None
        summary.pages = len(pages)
        summary.decisions = len(portal.decisions())
        summary.indexed = index.pages
        summary.index_seconds = index.seconds
        summary.shards, summary.shards_reused = index.shards, index.reused
        if index.warning and log:
            log(f"警告：{index.warning}")

        (site_dir / SITE_MARKER).write_text(
            "此目录由 gongkai build 生成，重新生成时会被整体替换。\n", encoding="utf-8"
        )
        with interrupts.deferred(then_raise=False):  # never half a swap: the site is built, publish it
            try:
                publish(site_dir, out_dir)
            except PublishFailed as error:
                raise BuildFailed(error.message) from None
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
    with tempfile.TemporaryDirectory(prefix="gongkai-published-", dir=_fast_tmp()) as work:
        return _gather(data_dir, published, lambda: Path(work), stages, config, rules=rules)


def _gather(
    data_dir: Path,
    published: Path | None,
    view_dir: Callable[[], Path],
    stages: _Stages,
    config: PortalConfig | None,
    *,
    rules: bool = True,
) -> Checked:
    # Validate: frictionless on every package; invalid data is never published. A quarter imported
    # from an Excel workbook has its findings name the sheet to change.
    validation = stages.run("校验", lambda: validate_data(data_dir, config=config))
    validation = dataclasses.replace(validation, errors=workbook_hints(validation.errors, data_dir))
    if not validation.valid or (published is None and not rules):
        return Checked(validation)
    config = config or load_config(data_dir)
    # Redact: records withheld by law (依法不予公开) keep only their skeleton and legal basis;
    # every later stage reads this published view, never the withheld fields.
    where = view_dir()
    view = stages.run("不予公开处理", lambda: redact_data(data_dir, where))
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
    # History: one walk of the data's git history (首次公开, 按期公开, the data's date and commit).
    history = stages.run("提交历史", lambda: read_history(data_dir, config.max_file_mb))
    # Load: typed records from the validated CSV files of the published view.
    portal = stages.run("读取", lambda: load_portal(data_dir, view.sources, config=config, history=history))
    # Check rules: the documents' rules (末位表态, 预告会商, 五不上会 …). Errors block publication;
    # warnings are published on the decision pages, scorecards and member pages.
    report = stages.run("规则检查", lambda: check_portal(portal))
    return Checked(validation, kept, portal, report, reader)


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
