"""Atom feeds of new disclosures: the whole portal, each unit and each category.

    feeds/all.xml                  every unit's latest decisions
    feeds/units/<unit>.xml         one unit
    feeds/categories/<slug>.xml    one “三重一大” category (major, personnel, project, funds)

A corrected decision's entry is updated on its latest correction (更正记录) and says so; a withdrawn
decision (撤回记录) gets an entry of its own, on the day it was withdrawn, linking to its tombstone
page (the portal and unit feeds: a withdrawn record has no category any more).

Written with ``xml.etree`` (text is always text). An entry's id is permanent: ``urn:gongkai:``, the
portal's ``portal_id`` and the page's path, whatever the site's address (``entry_id``); a decision
published under the ID of a withdrawn one adds its quarter (``#2025Q2``), so that readers show it
as new rather than as an update of the withdrawn record's entry.

Deterministic: every date comes from the data (a decision's meeting date, a correction's or
withdrawal's date); nothing from the clock.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from functools import partial
from pathlib import Path

from generator.core.config import PortalConfig
from generator.core.model import Decision, Disclosure, Portal, Withdrawal
from generator.core.site_state import Keep
from generator.core.urls import live_paths, path_for, tombstone_path, tombstones
from generator.export.jsonout import Ledger

FEED_DIR = "feeds"
#: Characters XML 1.0 cannot hold (a validated text never has them; a feed must never break).
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
LIMIT = 100
CATEGORY_SLUGS = {
    "重大事项决策": "major",
    "重要干部任免": "personnel",
    "重大项目安排": "project",
    "大额度资金运作": "funds",
}


_ATOM = "http://www.w3.org/2005/Atom"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ET.register_namespace("", _ATOM)


def _stamp(date: str) -> str:
    return f"{date}T00:00:00+08:00"


def _el(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    """A child element of the Atom namespace; its text is text, escaped by ElementTree."""
    element = ET.SubElement(parent, f"{{{_ATOM}}}{tag}", attrs)
    if text is not None:
        element.text = _XML_ILLEGAL.sub("", text)
    return element


def entry_id(config: PortalConfig, path: str) -> str:
    """The permanent id of a feed or entry: ``urn:gongkai:`` with the portal's ``portal_id`` and the
    page's path, never the site's address, so that a reader does not see every entry again when
    ``site_url`` is set or changed."""
    return f"urn:gongkai:{config.portal_id}:{path}" if config.portal_id else f"urn:gongkai:{path}"


def _updated(d: Decision) -> str:
    """A decision's date in the feeds: its meeting's, or its latest correction's if later."""
    assert d.disclosure is not None
    if not d.disclosure.corrections:  # most packages: no record of theirs was corrected
        return d.date
    corrections = d.disclosure.corrections_of("decisions", d.decision_id)
    return max([d.date, *(c.corrected_on for c in corrections)])


def _decision_entry(
    feed: ET.Element, d: Decision, base: str, config: PortalConfig, reused: frozenset[str]
) -> None:
    """A decision's entry; a corrected decision is updated on its latest correction. A decision at
    the address of a withdrawn one (``reused``: a later quarter reused the ID) has an id of its own,
    the address and its quarter: under the withdrawn record's id a reader would take it for an
    update of an entry already read, and might never show it."""
    assert d.disclosure is not None
    unit = d.disclosure.unit
    page = path_for(d)
    own_id = entry_id(config, page) + (f"#{d.disclosure.period}" if page in reused else "")
    corrections = d.disclosure.corrections_of("decisions", d.decision_id)
    updated = _updated(d)
    summary = f"{unit.name} · {d.category} · {d.result}：{d.summary}"
    if corrections:
        summary = f"（公开后更正 {len(corrections)} 处，最近更正 {updated}）" + summary
    entry = _el(feed, "entry")
    _el(entry, "title", d.title)
    _el(entry, "id", own_id)
    _el(entry, "link", rel="alternate", type="text/html", href=base + page)
    api = f"api/decisions/{unit.unit_id}/{d.decision_id}.json"
    _el(entry, "link", rel="alternate", type="application/json", href=base + api)
    _el(entry, "updated", _stamp(updated))
    _el(entry, "published", _stamp(d.date))
    _el(_el(entry, "author"), "name", unit.name)
    _el(entry, "category", term=d.category)
    _el(entry, "summary", summary)


def _withdrawal_entry(feed: ET.Element, page: str, w: Withdrawal, base: str, config: PortalConfig) -> None:
    """The entry of a withdrawn decision: its tombstone ``page``, on the day it was withdrawn."""
    assert w.disclosure is not None
    unit = w.disclosure.unit
    entry = _el(feed, "entry")
    _el(entry, "title", f"已撤回：{w.label}")
    _el(entry, "id", entry_id(config, page))
    _el(entry, "link", rel="alternate", type="text/html", href=base + page)
    _el(entry, "updated", _stamp(w.withdrawn_on))
    _el(_el(entry, "author"), "name", unit.name)
    _el(entry, "summary", f"{unit.name}于 {w.withdrawn_on} 撤回已公开的“{w.label}”：{w.reason}")


def _feed(
    portal: Portal,
    path: str,
    title: str,
    decisions: list[Decision],
    withdrawals: list[tuple[str, Withdrawal]],
    updated: dict[int, str] | None = None,
    *,
    reused: frozenset[str],
) -> bytes:
    """``updated``: each decision's ``_updated`` date by its ``id()`` (computed once for all feeds);
    ``reused``: the addresses of withdrawn decisions (``reused_addresses``)."""
    config = portal.config
    base = config.site_url.rstrip("/") + "/" if config.site_url else "/"
    dates = updated if updated is not None else {id(d): _updated(d) for d in decisions}
    # The newest by the date each entry carries (a correction makes a decision new again), and
    # every entry, withdrawals too, in that order, newest first.
    recent = sorted(
        decisions,
        key=lambda d: (dates[id(d)], d.disclosure.unit.unit_id if d.disclosure else "", d.decision_id),
        reverse=True,
    )[:LIMIT]
    gone = sorted(
        withdrawals,
        key=lambda item: (
            item[1].withdrawn_on,
            item[1].disclosure.unit.unit_id if item[1].disclosure else "",
            item[1].record_id,
        ),
        reverse=True,
    )[:LIMIT]
    entries: list[tuple[str, Callable[[ET.Element], None]]] = [
        (dates[id(d)], partial(_decision_entry, d=d, base=base, config=config, reused=reused)) for d in recent
    ]
    entries += [
        (w.withdrawn_on, partial(_withdrawal_entry, page=page, w=w, base=base, config=config))
        for page, w in gone
    ]
    entries.sort(key=lambda entry: entry[0], reverse=True)  # stable: equal dates keep their order
    feed = ET.Element(f"{{{_ATOM}}}feed", {_XML_LANG: "zh"})
    _el(feed, "title", title)
    _el(feed, "id", entry_id(config, path))
    _el(feed, "link", rel="self", type="application/atom+xml", href=base + path)
    _el(feed, "link", rel="alternate", type="text/html", href=base)
    _el(feed, "updated", _stamp(max((stamp for stamp, _ in entries), default="1980-01-01")))
    _el(_el(feed, "author"), "name", config.publisher or config.title)
    _el(feed, "rights", config.licence_info["title"])
    _el(feed, "generator", "gongkai")
    for _, write in entries:
        write(feed)
    ET.indent(feed, "  ")
    return (
        b'<?xml version="1.0" encoding="utf-8"?>\n'
        + ET.tostring(feed, encoding="utf-8", xml_declaration=False)
        + b"\n"
    )


def reused_addresses(portal: Portal) -> frozenset[str]:
    """The addresses of every withdrawn decision: a live decision at one of them reuses its ID."""
    return frozenset(
        path
        for dis in portal.disclosures
        for w in dis.withdrawals
        if w.table == "decisions" and (path := tombstone_path(w)) is not None
    )


def _withdrawn_decisions(disclosures: list[Disclosure], live: set[str]) -> list[tuple[str, Withdrawal]]:
    """(tombstone page, withdrawal) of the withdrawn decisions that keep a tombstone page."""
    return [(page, w) for dis in disclosures for page, w in tombstones(dis, live) if w.table == "decisions"]


def feed_list(portal: Portal) -> list[tuple[str, str, list[Decision], list[tuple[str, Withdrawal]]]]:
    """(path, title, decisions, withdrawn decisions with their tombstone pages) of every feed."""
    title = portal.config.title
    decisions = portal.decisions()
    # The live pages matter only to a withdrawn record (its tombstone): most portals have none.
    live = live_paths(portal) if any(dis.withdrawals for dis in portal.disclosures) else set()
    gone = _withdrawn_decisions(portal.disclosures, live)
    feeds = [(f"{FEED_DIR}/all.xml", f"{title}：最新决策事项", decisions, gone)]
    for unit in portal.units:
        items = [d for dis in unit.disclosures for d in dis.decisions]
        gone = _withdrawn_decisions(unit.disclosures, live)
        feeds.append((f"{FEED_DIR}/units/{unit.unit_id}.xml", f"{unit.name}：最新决策事项", items, gone))
    for category, slug in CATEGORY_SLUGS.items():
        items = [d for d in decisions if d.category == category]
        feeds.append((f"{FEED_DIR}/categories/{slug}.xml", f"{title}：{category}", items, []))
    return feeds


def write_feeds(
    portal: Portal,
    site_dir: Path,
    ledger: Ledger | None = None,
    keep: Keep | None = None,
    kept_units: set[str] | frozenset[str] = frozenset(),
) -> list[tuple[str, str, int]]:
    """Write every feed (through ``ledger``, which records their hashes, if given); return
    (path, title, entries). The feed of a unit in ``kept_units`` (whose pages the published site
    keeps: ``generator.render.keys``) is made from the same inputs as they are: ``keep`` keeps it
    as published, unmade."""
    ledger = ledger or Ledger(site_dir)
    updated = {id(d): _updated(d) for d in portal.decisions()}
    reused = reused_addresses(portal)
    written = []
    for path, title, decisions, withdrawals in feed_list(portal):
        unit = path.removeprefix(f"{FEED_DIR}/units/").removesuffix(".xml")
        if not (
            unit in kept_units and path.startswith(f"{FEED_DIR}/units/") and keep and ledger.keep(path, keep)
        ):
            ledger.write(path, _feed(portal, path, title, decisions, withdrawals, updated, reused=reused))
        written.append((path, title, min(len(decisions), LIMIT) + min(len(withdrawals), LIMIT)))
    return written
