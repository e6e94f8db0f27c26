"""Render stage: the key of each unit's record pages, so that a rebuild renders only changed units.

A unit's record pages (its page, its members' pages, and each of its quarters' page, decisions,
hearings and tombstones) and their search documents are a function of what the key hashes:

* the whole build's part (``theme_key``): the generator's code and schemas, the templates (ours and
  the portal's), the page shells MkDocs made (navigation, header, footer, styles) and portal.yml;
* the unit's registry entry and every file of every one of its packages as the build read them
  (the published view: withheld records redacted; ``Unit.source_key``), so a correction, a
  withdrawal or an 执行进展 report in a later quarter changes the key of the whole unit;
* the facts from outside its packages that its pages show: the git dates of its records and
  packages (首次公开, 最近更正, 按期公开), every rule outcome about the unit (named by the unit's
  rules key, ``generator.rules.rules_key``, of which they are a function), the sizes of its
  downloads and which of its withdrawn records keep a tombstone.

Units are the grain because the facts that cross packages (corrections, withdrawals, progress,
member records, scorecards) stay inside a unit: one unit publishing its quarter re-renders that
unit's few hundred pages, never the portal's tens of thousands.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from generator.core.cache import ContentHash, code_fingerprint
from generator.core.model import Portal, Unit
from generator.core.urls import tombstones
from generator.render.shell import ThemedSite
from generator.rules import RuleReport
from generator.sources.load import source_key


def theme_key(portal: Portal, themed: ThemedSite, template_dirs: list[Path]) -> str:
    """What every record page depends on besides its own unit."""
    digest = ContentHash("gongkai-pages/theme")
    digest.add("code", code_fingerprint().encode("ascii"))
    for folder in template_dirs:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            digest.add(f"template {path.relative_to(folder).as_posix()}", path.read_bytes())
    for depth, shell in sorted(themed.shells.items()):
        digest.add(f"shell {depth}", "\x00".join(shell.parts).encode("utf-8"))
    digest.add("config", repr(portal.config).encode("utf-8"))
    return digest.hexdigest()


def unit_keys(
    portal: Portal, themed_key: str, rules: RuleReport, sizes: dict[str, int], live: set[str]
) -> dict[str, str]:
    """The key of every unit's record pages (unit ID → key)."""
    first: dict[str, list[tuple[object, ...]]] = defaultdict(list)
    for where, date in portal.history.first_published.items():
        first[where[0]].append((*where, date))
    added: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for package, date in portal.history.packages_added.items():
        added[package.split("/", 1)[0]].append((package, date))
    # A unit's outcomes are named by its rules key (``generator.rules.rules_key``) where the report
    # has one; else (a report made by hand) by the outcomes themselves.
    outcomes: dict[str, list[object]] = defaultdict(list)
    if not rules.unit_keys:
        for outcome in rules.outcomes:
            outcomes[outcome.unit_id].append(outcome)
    download_sizes: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for path, size in sizes.items():
        parts = path.split("/")
        if len(parts) > 2:
            download_sizes[parts[1]].append((path, size))
    return {
        unit.unit_id: _unit_key(
            unit,
            themed_key,
            sorted(first[unit.unit_id]),
            sorted(added[unit.unit_id]),
            rules.unit_keys.get(unit.unit_id) or outcomes[unit.unit_id],
            sorted(download_sizes[unit.unit_id]),
            live,
        )
        for unit in portal.units
    }


def _unit_key(
    unit: Unit,
    themed_key: str,
    first: list[tuple[object, ...]],
    added: list[tuple[str, str]],
    outcomes: str | list[object],
    sizes: list[tuple[str, int]],
    live: set[str],
) -> str:
    digest = ContentHash("gongkai-pages/unit")
    digest.add("theme", themed_key.encode("ascii"))
    digest.add("sources", (unit.source_key or source_key(unit)).encode("ascii"))
    for dis in unit.disclosures:
        digest.add("tombstones", repr([path for path, _w in tombstones(dis, live)]).encode("utf-8"))
    digest.add("first published", repr(first).encode("utf-8"))
    digest.add("packages added", repr(added).encode("utf-8"))
    digest.add("rules", repr(outcomes).encode("utf-8"))
    digest.add("downloads", repr(sizes).encode("utf-8"))
    return digest.hexdigest()


def page_unit(path: str) -> str | None:
    """The unit whose record page ``path`` is (``decisions/<unit>/<id>/``, ``units/<unit>/…``,
    tombstones alike), or None for a page of the whole portal."""
    parts = path.split("/")
    return parts[1] if len(parts) > 2 and parts[1] else None
