"""Atom feeds of new disclosures: the whole portal, each unit and each category.

    feeds/all.xml                  every unit's latest decisions
    feeds/units/<unit>.xml         one unit
    feeds/categories/<slug>.xml    one “三重一大” category (major, personnel, project, funds)

Deterministic: every date comes from the data (a decision's meeting date); nothing from the clock.
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from generator.model import Decision, Portal
from generator.opendata.jsonout import Ledger
from generator.pages import path_for

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


def _feed(portal: Portal, path: str, title: str, decisions: list[Decision]) -> str:
    config = portal.config
    base = config.site_url.rstrip("/") + "/" if config.site_url else "/"
    id_base = config.site_url.rstrip("/") + "/" if config.site_url else "urn:gongkai:"
    recent = sorted(
        decisions,
        key=lambda d: (d.date, d.disclosure.unit.unit_id if d.disclosure else "", d.decision_id),
        reverse=True,
    )[:LIMIT]
    updated = _stamp(recent[0].date) if recent else _stamp("1980-01-01")
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
    ]
    for d in recent:
        assert d.disclosure is not None
        unit = d.disclosure.unit
        page = path_for(d)
        summary = f"{unit.name} · {d.category} · {d.result}：{d.summary}"
        lines += [
            "  <entry>",
            f"    <title>{escape(d.title)}</title>",
            f"    <id>{escape(id_base + page)}</id>",
            f'    <link rel="alternate" type="text/html" href={quoteattr(_url(base, page))}/>',
            f'    <link rel="alternate" type="application/json" href={quoteattr(_url(base, f"api/decisions/{unit.unit_id}/{d.decision_id}.json"))}/>',
            f"    <updated>{_stamp(d.date)}</updated>",
            f"    <published>{_stamp(d.date)}</published>",
            f"    <author><name>{escape(unit.name)}</name></author>",
            f"    <category term={quoteattr(d.category)}/>",
            f"    <summary>{escape(summary)}</summary>",
            "  </entry>",
        ]
    lines.append("</feed>")
    return "\n".join(lines) + "\n"


def feed_list(portal: Portal) -> list[tuple[str, str, list[Decision]]]:
    """(path, title, decisions) of every feed."""
    title = portal.config.title
    decisions = portal.decisions()
    feeds = [(f"{FEED_DIR}/all.xml", f"{title}：最新决策事项", decisions)]
    for unit in portal.units:
        items = [d for dis in unit.disclosures for d in dis.decisions]
        feeds.append((f"{FEED_DIR}/units/{unit.unit_id}.xml", f"{unit.name}：最新决策事项", items))
    for category, slug in CATEGORY_SLUGS.items():
        items = [d for d in decisions if d.category == category]
        feeds.append((f"{FEED_DIR}/categories/{slug}.xml", f"{title}：{category}", items))
    return feeds


def write_feeds(portal: Portal, site_dir: Path, ledger: Ledger | None = None) -> list[tuple[str, str, int]]:
    """Write every feed (through ``ledger``, which records their hashes, if given); return
    (path, title, entries)."""
    ledger = ledger or Ledger(site_dir)
    written = []
    for path, title, decisions in feed_list(portal):
        ledger.write(path, _feed(portal, path, title, decisions).encode("utf-8"))
        written.append((path, title, min(len(decisions), LIMIT)))
    return written
