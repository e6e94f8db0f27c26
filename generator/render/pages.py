"""Render stage, part 2: record pages and slots, rendered by jinja2 into MkDocs page shells.

Templates live in ``theme/templates`` (a portal may put its own ``templates/`` directory first in
the search path to override any of them). Every value from data is autoescaped: text from data
is data, never HTML, Markdown or a template.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import marshal
import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from functools import partial
from html import escape
from pathlib import Path
from typing import Any, NamedTuple

import jinja2
from jinja2 import BytecodeCache, Environment, FileSystemLoader, StrictUndefined, select_autoescape
from jinja2.bccache import Bucket
from jinja2.ext import Extension

from generator.core.cache import Cache, ContentHash, code_fingerprint
from generator.core.datatree import Period, override_templates
from generator.core.files import size_text
from generator.core.model import (
    Correction,
    Decision,
    Disclosure,
    FirstPublished,
    Hearing,
    MemberRecord,
    Portal,
    Unit,
    Withdrawal,
)
from generator.core.schema import OPTIONAL_RESOURCES, PACKAGE_RESOURCES, resource_spec, table_schema
from generator.core.urls import (
    download_dir,
    live_paths,
    member_page,
    path_for,
    tombstone_pages,
    tombstone_path,
    tombstones,
    zip_name,
)
from generator.core.workers import Helper, split
from generator.render.documents import ShardPlan, excerpt
from generator.render.html import (
    badge,
    bar_chart,
    css_key,
    decision_stance_rows,
    stance_rows,
    unit_decision_items,
)
from generator.render.keys import decision_checks, page_unit
from generator.render.scorecard import member_findings, member_quarter_records, member_records, scorecard
from generator.render.shell import SITE_FILES, Shell, ThemedSite, fill_slots
from generator.rules import REGISTRY, RuleReport
from generator.rules.overdue import overdue_units

CATEGORIES = ("重大事项决策", "重要干部任免", "重大项目安排", "大额度资金运作")
SEARCH_FILTERS = ("单位", "类别", "季度", "结果", "类型")


@dataclass(frozen=True)
class RecordDates:
    """首次公开 and 最近更正 (from git history, may be empty) and the corrections of one record."""

    first_published: str
    corrections: list[Correction]
    #: When each correction was published: the date of the first commit that held it, else (not
    #: committed, or outside git) the date the correction entry itself states.
    published_on: tuple[str, ...] = ()

    @property
    def last_corrected(self) -> str:
        return max(self.published_on or (c.corrected_on for c in self.corrections), default="")


def record_dates(dis: Disclosure, table: str, record_id: str, first: FirstPublished) -> RecordDates:
    key = (dis.unit.unit_id, str(dis.period))
    corrections = dis.corrections_of(table, record_id)
    published_on = tuple(
        first.get(
            (*key, "corrections", "/".join((c.table, c.record_id, c.field, c.corrected_on))), c.corrected_on
        )
        for c in corrections
    )
    return RecordDates(first.get((*key, table, record_id), ""), corrections, published_on)


def yuan(amount: float | None) -> str:
    """3800000 → 380万元（3,800,000元）."""
    if amount is None:
        return "不涉及"
    exact = f"{amount:,.2f}".removesuffix(".00")
    if amount >= 10000:
        wan = f"{amount / 10000:,.2f}".rstrip("0").rstrip(".")
        return f"{wan}万元（{exact}元）"
    return f"{exact}元"


def wan(amount: float) -> str:
    """An amount in 万元 for a table column headed 万元, with thousands separators: 4396380000 → 439,638.00."""
    return f"{amount / 10000:,.2f}"


def pct(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0") + "%"


#: The name the record pages' templates (and portals' overrides of them) call it by.
filesize_text = size_text


def days_between(earlier: str, later: str) -> int:
    return (dt.date.fromisoformat(later) - dt.date.fromisoformat(earlier)).days


def category_counts(decisions: Iterable[Decision]) -> Counter[str]:
    return Counter(d.category for d in decisions)


@dataclass(frozen=True)
class Totals:
    meetings: int
    decisions: int
    power: int
    negative: int
    hearings: int


def totals(disclosures: Iterable[Disclosure]) -> Totals:
    items = list(disclosures)
    return Totals(
        meetings=sum(len(d.meetings) for d in items),
        decisions=sum(len(d.decisions) for d in items),
        power=sum(len(d.power_items) for d in items),
        negative=sum(len(d.negative_items) for d in items),
        hearings=sum(len(d.hearings) for d in items),
    )


def stance_summary(decision: Decision) -> str:
    counts = Counter(s.stance for s in decision.stances)
    parts = [f"{name} {counts[name]} 人" for name in ("同意", "不同意", "弃权", "保留意见") if counts[name]]
    return f"共 {len(decision.stances)} 位成员表态：" + "，".join(parts) + "。"


def latest_date(unit: Unit) -> str:
    dates = [m.date for d in unit.disclosures for m in d.meetings]
    return max(dates) if dates else "0000-00-00"


def unit_hearings(unit: Unit) -> list[Hearing]:
    return sorted(
        (h for d in unit.disclosures for h in d.hearings), key=lambda h: (h.date, h.hearing_id), reverse=True
    )


def unit_decisions(unit: Unit) -> list[Decision]:
    """A unit's decisions over all its quarters, newest first (by meeting date, then number)."""
    return sorted(
        (d for dis in unit.disclosures for d in dis.decisions),
        key=lambda d: (d.date, d.decision_id),
        reverse=True,
    )


class Dedent(Extension):
    """The templates' own indentation, dropped as they are read: it is for the people who edit them,
    and would otherwise be written into every one of the site's pages (0.26 KB a decision page,
    measured). Only template text changes: a value from the data is never touched, and no template
    holds <pre> or <textarea>, where white space would show."""

    _INDENT = re.compile(r"^[ \t]+", re.MULTILINE)

    def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
        return self._INDENT.sub("", source)


class SealedBytecodeCache(BytecodeCache):
    """Compiled templates kept in the build cache, sealed like its other entries: compiling the
    templates costs ~0.3 s on every build. Jinja checks each against its template's source; the key
    adds the generator's code (the ``Dedent`` extension rewrites the source before compiling) and
    Jinja's version. An entry that is absent or whose seal does not check is compiled again."""

    def __init__(self, cache: Cache) -> None:
        self.cache = cache

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        digest = ContentHash("gongkai-template")
        digest.add("code", code_fingerprint().encode("ascii"))
        digest.add("jinja", jinja2.__version__.encode("ascii"))
        digest.add("template", f"{name}\0{filename}".encode())
        return digest.hexdigest()

    def load_bytecode(self, bucket: Bucket) -> None:
        body = self.cache.read_sealed(f"template-{bucket.key}", limit=1 << 24)
        if body is not None:
            bucket.bytecode_from_string(body)

    def dump_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):  # the cache is an optimisation only
            self.cache.write_sealed(f"template-{bucket.key}", bucket.bytecode_to_string())


def make_environment(template_dirs: list[Path] | None = None, cache: Cache | None = None) -> Environment:
    dirs = [*(template_dirs or []), SITE_FILES / "theme" / "templates"]
    env = Environment(
        bytecode_cache=SealedBytecodeCache(cache) if cache is not None else None,
        loader=FileSystemLoader([str(d) for d in dirs]),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        auto_reload=False,  # templates do not change during a build: no stat() per page
        extensions=[Dedent],
    )
    env.globals.update(
        path_for=path_for,
        download_dir=download_dir,
        zip_name=zip_name,
        css_key=css_key,
        badge=badge,
        stance_rows=stance_rows,
        yuan=yuan,
        wan=wan,
        pct=pct,
        days_between=days_between,
        category_counts=category_counts,
        totals=totals,
        stance_summary=stance_summary,
        latest_date=latest_date,
        unit_hearings=unit_hearings,
        unit_decisions=unit_decisions,
        unit_decision_items=unit_decision_items,
        categories=CATEGORIES,
        tables=[(name, resource_spec(name)["title"]) for name in PACKAGE_RESOURCES],
        optional_tables=[(name, resource_spec(name)["title"]) for name in OPTIONAL_RESOURCES],
        tombstone_path=tombstone_path,
        decision_count=lambda unit: sum(len(d.decisions) for d in unit.disclosures),
    )
    return env


def data_dictionary() -> list[dict[str, Any]]:
    """Every table and field, for the 数据说明 page, straight from the schemas."""
    tables = []
    for name in ("units", *PACKAGE_RESOURCES, *OPTIONAL_RESOURCES):
        spec = resource_spec(name)
        schema = table_schema(name)
        refs = {
            fk["fields"][0]: f"{fk['reference']['resource']}.csv 的 {fk['reference']['fields'][0]}"
            for fk in schema.get("foreignKeys", [])
        }
        fields = []
        for field in schema["fields"]:
            constraints = field.get("constraints", {})
            allowed = "、".join(constraints.get("enum", []))
            if field.get("type") == "boolean":
                allowed = "是、否"
            elif "pattern" in constraints:
                allowed = "字母、数字、连字符和下划线"
            elif "minimum" in constraints or "maximum" in constraints:
                low, high = constraints.get("minimum"), constraints.get("maximum")
                allowed = f"{low if low is not None else ''} ~ {high if high is not None else ''}".strip()
            type_names = {
                "string": "文字",
                "integer": "整数",
                "number": "数字",
                "boolean": "是/否",
                "date": "日期",
            }
            fields.append(
                {
                    "name": field["name"],
                    "title": field.get("title", ""),
                    "type": type_names.get(field.get("type", "string"), field.get("type", "")),
                    "required": constraints.get("required", False),
                    "allowed": allowed or "—",
                    "description": field.get("description", ""),
                    "reference": refs.get(field["name"], ""),
                }
            )
        tables.append(
            {
                "name": name,
                "path": spec["path"],
                "title": spec["title"],
                "description": spec["description"],
                "primary_key": "、".join(schema.get("primaryKey", [])),
                "fields": fields,
            }
        )
    return tables


class PageWriter:
    """Writes record pages into the themed site, and each page's search document into its shard."""

    def __init__(
        self, themed: ThemedSite, env: Environment, sizes: dict[str, int], shards: ShardPlan
    ) -> None:
        self.site_dir = themed.site_dir
        self.shells = themed.shells
        self.env = env
        self.sizes = sizes  # download path → bytes, for the download lists
        self.shards = shards
        self.pages: list[str] = []
        #: Pages whose rendering waits (``defer``): their search documents are made at once.
        self.deferred: list[tuple[str, str, str, dict[str, Any]]] | None = None
        env.globals["filebytes"] = self._filebytes
        env.globals["filesize_text"] = filesize_text
        # What templates before the rows were listed called (a portal's ``overrides/`` may): （49.5 KB）.
        env.globals["filesize"] = lambda dis, name: (
            f"（{filesize_text(size)}）" if (size := self._filebytes(dis, name)) is not None else ""
        )
        env.filters["excerpt"] = excerpt  # search documents hold a bounded excerpt of each field

    def _filebytes(self, disclosure: Disclosure, name: str) -> int | None:
        """The size of a download of ``disclosure``, None when it is not known."""
        return self.sizes.get(download_dir(disclosure) + name)

    def write(
        self,
        path: str,
        title: str,
        template: str,
        *,
        search: bool = False,
        shard_period: Period | None = None,
        **context: Any,
    ) -> None:
        """Render one record page; with ``search``, also its search document (``search/<template>``) in the
        shard that holds ``shard_period`` (records without a period go to the shard of undated pages).
        While pages are deferred (``defer``), only the search document is made now."""
        if self.deferred is not None:
            self.deferred.append((path, title, template, context))
        else:
            self._page(path, title, template, context)
        self.pages.append(path)
        if search:
            doc = self.env.get_template(f"search/{template}").render(period=shard_period, **context)
            html = f'<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>{escape(excerpt(title))}</title></head><body>{doc}</body></html>'
            self.shards.add_document(shard_period, path, html)

    def _page(self, path: str, title: str, template: str, context: dict[str, Any]) -> None:
        depth = path.count("/")
        shell: Shell = self.shells[depth]
        body = self.env.get_template(template).render(root="../" * depth, **context)
        target = self.site_dir / path / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(shell.fill(escape(title), body), encoding="utf-8")

    def defer(self) -> None:
        """From now on make each page's search document at once and its page later (``catch_up``):
        Pagefind can start on a shard as soon as its documents are in."""
        self.deferred = []

    def catch_up(self) -> None:
        """Render the deferred pages; pages are rendered at once again."""
        deferred, self.deferred = self.deferred or [], None
        for path, title, template, context in deferred:
            self._page(path, title, template, context)

    def slots(self, page: str, **context: Any) -> None:
        """Fill the slots of a hand-written page (``page`` like ``units/`` or ``""`` for home)."""
        depth = page.count("/")
        rendered = {
            name: self.env.get_template(f"slot_{name}.html").render(root="../" * depth, **ctx)
            for name, ctx in context.items()
        }
        fill_slots(self.site_dir / page / "index.html", rendered)


def _weight(task: Disclosure | Unit) -> float:
    """Rough render cost: a decision page ≈ 1, a hearing page ≈ 0.7, a member page row ≈ 0.03 (a
    quarter's member pages list its stances; a member's own page, their quarters and dissents)."""
    if isinstance(task, Disclosure):
        stances = sum(len(d.stances) for d in task.decisions)
        return 2 + len(task.decisions) + 0.7 * len(task.hearings) + 0.03 * stances
    return 5 + 0.1 * len(task.disclosures)


def renders_one_unit(portal: Portal, kept: Collection[str]) -> bool:
    """Whether the render stage renders at most one unit (the others' pages ``kept``): then it works
    in this process alone, without a helper process (``render_pages``)."""
    return sum(1 for u in portal.units if u.unit_id not in kept) <= 1


#: The most decisions a portal may have for its record pages to be shared with a helper process.
#: A forked helper soon holds a copy of most of what it reads (Python's reference counts write to
#: every object it touches): 470 MB beside this process's 610 MB at 100,000 decisions, 3.8 GB at
#: 1,000,000. Past this size the pages are rendered here alone, which costs less time the bigger
#: the portal, because the search shards' Pagefind runs keep the second core busy: at 100,000
#: decisions the stage took 239 s alone against 136 s shared; at 1,000,000, 1,739 s alone against
#: 1,275 s shared (Pagefind needed a core for 2,474 s), and the build's peak was 6.0 GB, not 13.75.
HELPER_MAX_DECISIONS = 250_000


def renders_alone(portal: Portal, kept: Collection[str]) -> bool:
    """Whether the render stage works in this process alone: it renders one unit at most, or the
    portal is past ``HELPER_MAX_DECISIONS``."""
    return (
        renders_one_unit(portal, kept)
        or sum(len(d.decisions) for d in portal.disclosures) > HELPER_MAX_DECISIONS
    )


class QuarterPage(NamedTuple):
    """One record page of a quarter: where it goes, the template that renders it, the record it
    shows, and whether it has a search document."""

    path: str
    template: str
    record: Disclosure | Decision | Hearing | Withdrawal | MemberRecord
    searchable: bool


def quarter_pages(dis: Disclosure, live: set[str]) -> list[QuarterPage]:
    """The record pages of a quarter: its page, its decisions', hearings' and tombstones' (withdrawn
    decisions and hearings keep their URL as a tombstone: not searchable, not counted), and each
    member's record in the quarter. The one list of them: the render stage writes these, and a
    rebuild that keeps a quarter keeps these."""
    return [
        QuarterPage(path_for(dis), "disclosure.html", dis, False),
        *(QuarterPage(path_for(d), "decision.html", d, True) for d in dis.decisions),
        *(QuarterPage(path_for(h), "hearing.html", h, True) for h in dis.hearings),
        *(QuarterPage(path, "tombstone.html", w, False) for path, w in tombstones(dis, live)),
        *(QuarterPage(path_for(m), "member_quarter.html", m, False) for m in member_quarter_records(dis)),
    ]


def _disclosure_pages(
    writer: PageWriter, dis: Disclosure, first: FirstPublished, live: set[str], kept: Collection[str] = ()
) -> None:
    """A unit-quarter page, the pages of its decisions and hearings, and the tombstones of its
    withdrawals; but for the pages in ``kept`` (kept as published)."""
    for page in quarter_pages(dis, live):
        if page.path in kept:
            continue
        record = page.record
        context: dict[str, Any]
        if isinstance(record, Disclosure):
            # A withdrawal links to its tombstone; not where a later record reuses the ID (its page).
            kept_as_tombstones = set(tombstone_pages(dis, live))
            title, context = (
                f"{dis.unit.short_name} · {dis.period.label}",
                {"dis": dis, "tombstone_pages": kept_as_tombstones},
            )
        elif isinstance(record, Decision):
            title = record.title
            dates = record_dates(dis, "decisions", record.decision_id, first)
            context = {"d": record, "unit": dis.unit, "dates": dates}
        elif isinstance(record, Hearing):
            title = f"{record.hearing_type}：{record.subject}"
            dates = record_dates(dis, "hearings", record.hearing_id, first)
            context = {"h": record, "unit": dis.unit, "dates": dates}
        elif isinstance(record, MemberRecord):
            member = record.member
            title = f"{member.name}（{dis.unit.short_name}{member.position}）{dis.period.label}表态记录"
            context = {"m": record, "unit": dis.unit, "dis": dis}
        else:
            title = f"已撤回：{record.label}"
            context = {"w": record, "dates": record_dates(dis, record.table, record.record_id, first)}
        shard_period = dis.period if page.searchable else None
        writer.write(
            page.path, title, page.template, search=page.searchable, shard_period=shard_period, **context
        )


def _unit_pages(writer: PageWriter, unit: Unit, records: list[MemberRecord]) -> None:
    """A unit's page and its members' voting records."""
    writer.write(
        path_for(unit), unit.name, "unit.html", search=True, unit=unit, decisions=unit_decisions(unit)
    )
    for record in records:
        title = f"{record.member.name}（{unit.short_name}{record.member.position}）表态记录"
        writer.write(path_for(record), title, "member.html", m=record, unit=unit)


#: A unit's search documents: (quarter or "" for undated, page path, document), kept for the next build.
UnitDocuments = list[tuple[str, str, bytes]]


class DocumentSpill:
    """The search documents of the units rendered, for the build cache: as each shard group is
    done, its documents are appended to a file of their unit's, and they are read back one unit at
    a time. Held in memory they were about a GB at 1,000,000 decisions, through the whole render
    stage. Without a folder (a build without a cache) nothing is kept."""

    def __init__(self, folder: Path | None, units: Collection[str]) -> None:
        self.folder, self.units = folder, sorted(units)
        self._number = {unit: n for n, unit in enumerate(self.units)}
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)

    def _file(self, unit: str) -> Path:
        assert self.folder is not None
        return self.folder / f"{self._number[unit]}.bin"

    def add(self, unit: str, documents: UnitDocuments) -> None:
        if self.folder is not None and documents:
            with self._file(unit).open("ab") as out:
                marshal.dump(documents, out)

    def read(self, unit: str) -> UnitDocuments:
        """The unit's documents, in the order of their paths."""
        documents: UnitDocuments = []
        if self.folder is not None:
            with contextlib.suppress(FileNotFoundError), self._file(unit).open("rb") as spilled:
                while True:
                    try:
                        documents += marshal.load(spilled)
                    except EOFError:
                        break
        return sorted(documents, key=lambda d: d[1])


@dataclass
class RenderedPages:
    pages: list[str]  # every record page of the site, those kept from the published site included
    made: dict[str, list[str]]  # unit ID → its record pages, of the units rendered (kept quarters' too)
    documents: DocumentSpill  # the search documents of the units rendered
    rendered: int = 0  # the units' record pages rendered now (not those of a kept unit or quarter)


def render_pages(
    portal: Portal,
    themed: ThemedSite,
    sizes: dict[str, int],
    shards: ShardPlan,
    shard_done: Callable[[int], None] = lambda shard: None,
    rules: RuleReport | None = None,
    kept: dict[str, tuple[list[str], UnitDocuments]] | None = None,
    cache: Cache | None = None,
    kept_quarters: dict[str, tuple[set[str], list[str], UnitDocuments]] | None = None,
    spill: Path | None = None,
) -> RenderedPages:
    """Write every record page (and its search document) and fill every slot.

    Records are rendered shard by shard, newest first, and ``shard_done(n)`` is called as soon as
    every search document of shard ``n`` is in, so that indexing can start while rendering goes on.
    The units in ``kept`` (unit ID → its pages in the published site and their search documents,
    ``generator.render.keys``) are not rendered: their pages stay as published, their documents go
    into their shards as they were. So are the quarters in ``kept_quarters`` (unit ID → its quarters
    kept, their pages, their search documents) of the units rendered, and the single decision pages
    it lists in their other quarters. The rendered units' search
    documents are kept in the folder ``spill`` (none without it).
    """
    kept = kept or {}
    kept_quarters = kept_quarters or {}
    env = make_environment(override_templates(portal.data_dir), cache)
    rules = rules if rules is not None else RuleReport({})
    rules.index()
    # Each member's record (every stance they took) only for the units rendered now; the address of
    # every member's page, of every unit, from the members lists (a kept unit's pages link to none).
    members = {unit.unit_id: member_records(unit) for unit in portal.units if unit.unit_id not in kept}
    overdue = overdue_units(portal, rules, portal.history.as_of)
    decisions = {
        (d.disclosure.unit.unit_id, f"decision:{d.decision_id}"): d
        for d in portal.decisions()
        if d.disclosure
    }
    member_paths = {
        (unit.unit_id, m.member_id): member_page(unit.unit_id, m.member_id)
        for unit in portal.units
        for dis in unit.disclosures
        for m in dis.members
    }

    env.globals.update(
        rules=rules,
        rule_title=lambda slug: REGISTRY[slug].info.title,
        rule_basis=lambda slug: REGISTRY[slug].info.basis,
        decision_checks=lambda d: decision_checks(rules, d, d.disclosure.unit.unit_id),
        scorecard=lambda dis: scorecard(dis, rules),
        bar_chart=bar_chart,
        member_path=lambda unit_id, member_id: member_paths.get((unit_id, member_id)),
        decision_stance_rows=partial(decision_stance_rows, member_paths=member_paths),
        overdue=overdue,
        outcome_decision=lambda o: decisions.get((o.unit_id, o.record)),
        member_findings=lambda record: member_findings(record, rules),
        site_title=portal.config.title,
        root_url=portal.config.site_url.rstrip("/") + "/" if portal.config.site_url else "/",
        licence=portal.config.licence_info,
    )
    writer = PageWriter(themed, env, sizes, shards)
    disclosures = portal.disclosures
    first = portal.history.first_published
    live = live_paths(portal)
    periods = portal.periods
    # The pages kept as published: whole quarters (never rendered) and single decision pages of the
    # quarters rendered (``generator.render.keys.decision_slot``).
    kept_pages = {path for _periods, pages, _documents in kept_quarters.values() for path in pages}

    def render(tasks: list[Disclosure | Unit]) -> None:
        for task in tasks:
            if isinstance(task, Disclosure):
                _disclosure_pages(writer, task, first, live, kept_pages)
            else:
                _unit_pages(writer, task, members[task.unit_id])

    def helper_work(
        group: int, tasks: list[Disclosure | Unit]
    ) -> tuple[list[str], dict[int, dict[str, bytes]]]:
        # The pages are written; their paths and the search documents are handed back, and the
        # main process writes each shard's documents in a stable order. (Where there is no helper
        # process this runs here, and what it hands back is simply put back.)
        before = len(writer.pages)
        render(tasks)
        pages = writer.pages[before:]
        del writer.pages[before:]
        return pages, shards.take_group(group)

    # Work in groups of shards (those of the same quarters), newest first; each group's records
    # split between this process and a helper process (generator.core.workers), weighed by how much
    # each takes to render.
    by_group: dict[int, list[Disclosure | Unit]] = {}
    for dis in disclosures:
        if (
            dis.unit.unit_id not in kept
            and str(dis.period) not in kept_quarters.get(dis.unit.unit_id, ((),))[0]
        ):
            by_group.setdefault(shards.group_of(dis.period), []).append(dis)
    by_group.setdefault(shards.group_of(None), []).extend(u for u in portal.units if u.unit_id not in kept)
    shares = [split(by_group.get(group, []), _weight) for group in range(len(shards.groups))]
    if renders_alone(portal, kept):
        # All here: one unit to render (a unit's quarterly commit), where a helper process would be
        # a fork of this one, as big as it, for a few seconds' work shared with Pagefind and the
        # bulk workers anyway; or a portal too big to fork.
        shares = [(by_group.get(group, []), []) for group in range(len(shards.groups))]
    if renders_one_unit(portal, kept):
        # Its search documents first, its pages after: Pagefind re-indexes the changed quarter's
        # shard (the longest part of such a rebuild) while the pages are rendered.
        writer.defer()
    helper = Helper([theirs for _mine, theirs in shares], helper_work)
    # The kept units' search documents join their shards as they were (after the helper started:
    # it has no use for them).
    for unit_documents in [*(d for _p, d in kept.values()), *(d for _q, _p, d in kept_quarters.values())]:
        for quarter, path, document in unit_documents:
            shards.add_document(Period.parse(quarter) if quarter else None, path, document)
    rendered_units = {u.unit_id for u in portal.units if u.unit_id not in kept}
    # The quarter of each rendered record's search document (a helper process made some of them).
    period_of = {
        path_for(record): str(dis.period)
        for dis in disclosures
        if dis.unit.unit_id in rendered_units
        for record in (*dis.decisions, *dis.hearings)
    }
    documents = DocumentSpill(spill, rendered_units)
    try:
        for group, (mine, _theirs) in enumerate(shares):
            render(mine)
            pages, theirs = helper.result(group)
            writer.pages += pages
            documents_of: dict[str, UnitDocuments] = {}
            for shard in shards.groups[group]:
                shards.merge(shard, theirs.get(shard, {}))
                if shard == shards.undated_shard:
                    shards.add_hand_written(themed.site_dir, themed.pages)
                for path, document in shards.pending.get(shard, {}).items():
                    if (owner := page_unit(path)) in rendered_units:
                        documents_of.setdefault(owner, []).append((period_of.get(path, ""), path, document))
                shards.flush(shard)
                shard_done(shard)
            for unit, unit_documents in documents_of.items():
                documents.add(unit, unit_documents)
        writer.catch_up()
    finally:
        helper.close()
    rendered_now = len(writer.pages)
    writer.pages += [path for _periods, pages, _documents in kept_quarters.values() for path in pages]
    made: dict[str, list[str]] = {unit: [] for unit in rendered_units}
    for path in writer.pages:
        made.setdefault(page_unit(path) or "", []).append(path)
    writer.pages += [path for pages, _documents in kept.values() for path in pages]

    by_period = [(p, [d for d in disclosures if d.period == p]) for p in periods]
    for period, items in by_period:
        present = {d.unit.unit_id for d in items}
        missing = [u for u in portal.units if u.unit_id not in present]
        writer.write(
            path_for(period),
            f"{period.label}公开情况",
            "period.html",
            period=period,
            disclosures=items,
            missing=missing,
        )

    latest_period = periods[-1] if periods else None
    latest = [d for d in disclosures if d.period == latest_period]
    latest_decisions = [dec for d in latest for dec in d.decisions]
    recent = sorted(portal.decisions(), key=lambda d: (d.date, d.agenda_no, d.decision_id), reverse=True)
    writer.slots(
        "",
        home={
            "latest_period": latest_period,
            "latest_disclosures": latest,
            "latest_decisions": latest_decisions,
            "recent": recent[: portal.config.home_latest],
            "units": portal.units,
        },
    )
    writer.slots("units/", units={"units": portal.units})
    writer.slots("quarters/", periods={"by_period": by_period[::-1], "unit_total": len(portal.units)})
    writer.slots("search/", search={"filters": SEARCH_FILTERS})
    writer.slots("sitemap/", sitemap={"units": portal.units, "periods": periods})
    writer.slots("data/", dictionary={"dictionary": data_dictionary()})
    writer.slots(
        "guide/",
        rules={
            "rule_list": [(slug, REGISTRY[slug], rules.settings[slug]) for slug in sorted(rules.settings)]
        },
    )
    return RenderedPages(writer.pages, made, documents, rendered_now)
