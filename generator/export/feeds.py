"""Atom feeds of new disclosures: the whole portal, each unit and each category.

    feeds/all.xml                  every unit's latest decisions
    feeds/units/<unit>.xml         one unit
    feeds/categories/<slug>.xml    one “三重一大” category (major, personnel, project, funds)

A corrected decision's entry is updated on its latest correction (更正记录) and says so; a withdrawn
decision (撤回记录) gets an entry of its own, on the day it was withdrawn, linking to its tombstone
page (the portal and unit feeds: a withdrawn record has no category any more).

Deterministic: every date comes from the data (a decision's meeting date, a correction's or
withdrawal's date); nothing from the clock.
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from generator.core.model import Decision, Disclosure, Portal, Withdrawal
from generator.core.urls import live_paths, path_for, tombstones
from generator.export.jsonout import Ledger

FEED_DIR = "feeds"
LIMIT = 100
CATEGORY_SLUGS = {
    "重大事项决策": "major",
    "重要干部任免": "personnel",
    "重大项目安排": "project",
    "大额度资金运作": "funds",
}


def _stamp(date: str) -> str:
    return f"{date}T00:00:00+08:00"


def _url(base: str, path: str) -> str:
    return f"{base}{path}"


def _updated(d: Decision) -> str:
    """A decision's date in the feeds: its meeting's, or its latest correction's if later."""
    assert d.disclosure is not None
    corrections = d.disclosure.corrections_of("decisions", d.decision_id)
    return max([d.date, *(c.corrected_on for c in corrections)])


def _decision_entry(d: Decision, base: str, id_base: str) -> tuple[str, str]:
    """(updated, entry XML) of a decision; a corrected decision is updated on its latest correction."""
    assert d.disclosure is not None
    unit = d.disclosure.unit
    page = path_for(d)
    corrections = d.disclosure.corrections_of("decisions", d.decision_id)
    updated = _updated(d)
    summary = f"{unit.name} · {d.category} · {d.result}：{d.summary}"
    if corrections:
        summary = f"（公开后更正 {len(corrections)} 处，最近更正 {updated}）" + summary
    api = f"api/decisions/{unit.unit_id}/{d.decision_id}.json"
    lines = [
        "  <entry>",
        f"    <title>{escape(d.title)}</title>",
        f"    <id>{escape(id_base + page)}</id>",
        f'    <link rel="alternate" type="text/html" href={quoteattr(_url(base, page))}/>',
        f'    <link rel="alternate" type="application/json" href={quoteattr(_url(base, api))}/>',
        f"    <updated>{_stamp(updated)}</updated>",
        f"    <published>{_stamp(d.date)}</published>",
        f"    <author><name>{escape(unit.name)}</name></author>",
        f"    <category term={quoteattr(d.category)}/>",
        f"    <summary>{escape(summary)}</summary>",
        "  </entry>",
    ]
    return updated, "\n".join(lines)


def _withdrawal_entry(page: str, w: Withdrawal, base: str, id_base: str) -> tuple[str, str]:
    """(updated, entry XML) of a withdrawn decision: its tombstone ``page``, on the day it was withdrawn."""
    assert w.disclosure is not None
    unit = w.disclosure.unit
    summary = f"{unit.name}于 {w.withdrawn_on} 撤回已公开的“{w.label}”：{w.reason}"
    lines = [
        "  <entry>",
        f"    <title>{escape(f'已撤回：{w.label}')}</title>",
        f"    <id>{escape(id_base + page)}</id>",
        f'    <link rel="alternate" type="text/html" href={quoteattr(_url(base, page))}/>',
        f"    <updated>{_stamp(w.withdrawn_on)}</updated>",
        f"    <author><name>{escape(unit.name)}</name></author>",
        f"    <summary>{escape(summary)}</summary>",
        "  </entry>",
    ]
    return w.withdrawn_on, "\n".join(lines)


def _feed(
    portal: Portal,
    path: str,
    title: str,
    decisions: list[Decision],
    withdrawals: list[tuple[str, Withdrawal]],
) -> str:
    config = portal.config
    base = config.site_url.rstrip("/") + "/" if config.site_url else "/"
    id_base = config.site_url.rstrip("/") + "/" if config.site_url else "urn:gongkai:"
    # The newest by the date each entry carries (a correction makes a decision new again), and
    # every entry, withdrawals too, in that order, newest first.
    recent = sorted(
        decisions,
        key=lambda d: (_updated(d), d.disclosure.unit.unit_id if d.disclosure else "", d.decision_id),
        reverse=True,
    )[:LIMIT]
    entries = [_decision_entry(d, base, id_base) for d in recent]
    gone = sorted(
        withdrawals,
        key=lambda item: (
            item[1].withdrawn_on,
            item[1].disclosure.unit.unit_id if item[1].disclosure else "",
            item[1].record_id,
        ),
        reverse=True,
    )[:LIMIT]
    entries += [_withdrawal_entry(page, w, base, id_base) for page, w in gone]
    entries.sort(key=lambda entry: entry[0], reverse=True)  # stable: equal dates keep their order
    updated = _stamp(max((stamp for stamp, _ in entries), default="1980-01-01"))
    author = config.publisher or config.title
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh">',
        f"  <title>{escape(title)}</title>",
        f"  <id>{escape(id_base + path)}</id>",
        f'  <link rel="self" type="application/atom+xml" href={quoteattr(_url(base, path))}/>',
        f'  <link rel="alternate" type="text/html" href={quoteattr(base)}/>',
        f"  <updated>{updated}</updated>",
        f"  <author><name>{escape(author)}</name></author>",
        f"  <rights>{escape(config.licence_info['title'])}</rights>",
        "  <generator>gongkai</generator>",
        *(entry for _, entry in entries),
        "</feed>",
    ]
    return "\n".join(lines) + "\n"


def _withdrawn_decisions(disclosures: list[Disclosure], live: set[str]) -> list[tuple[str, Withdrawal]]:
    """(tombstone page, withdrawal) of the withdrawn decisions that keep a tombstone page."""
    return [(page, w) for dis in disclosures for page, w in tombstones(dis, live) if w.table == "decisions"]


def feed_list(portal: Portal) -> list[tuple[str, str, list[Decision], list[tuple[str, Withdrawal]]]]:
    """(path, title, decisions, withdrawn decisions with their tombstone pages) of every feed."""
    title = portal.config.title
    decisions = portal.decisions()
    live = live_paths(portal)
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


def write_feeds(portal: Portal, site_dir: Path, ledger: Ledger | None = None) -> list[tuple[str, str, int]]:
    """Write every feed (through ``ledger``, which records their hashes, if given); return
    (path, title, entries)."""
    ledger = ledger or Ledger(site_dir)
    written = []
    for path, title, decisions, withdrawals in feed_list(portal):
        ledger.write(path, _feed(portal, path, title, decisions, withdrawals).encode("utf-8"))
        written.append((path, title, min(len(decisions), LIMIT) + min(len(withdrawals), LIMIT)))
    return written
