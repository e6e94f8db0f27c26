"""Render stage: the key of each unit's record pages, so that a rebuild renders only changed units.

A unit's record pages (its page, its members' pages, and each of its quarters' page, decisions,
hearings, tombstones and members' pages of the quarter) and their search documents are a function
of what the key hashes:

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

Inside a unit whose key changed, each quarter's pages (its page, decisions, hearings, tombstones and
each member's record in the quarter) have a key of their own (``package_keys``), and are kept when
it did not change: a correction of one decision re-renders its quarter and the unit's own pages (the
unit page, each member's page: a row a quarter and their stances other than 同意), not the unit's
other quarters. A quarter's key hashes what those pages show:

* the whole build's part and the unit's registry entry, as above;
* every file of the quarter's package as read, and its tombstones;
* from the unit's other quarters only what the quarter's pages show of them: the 执行进展 reports on
  its decisions (from whichever quarter), which of its members have a record page, and which of
  the decisions its findings name exist (a finding links to its decision);
* the quarter's git dates (首次公开 of its records, 按期公开 of the package), the rule outcomes about
  the quarter or any of its records, and the sizes of its downloads.

So a unit publishing a new quarter re-renders that quarter and the unit's own pages; an earlier
quarter only if the new one reports on its decisions or changes a rule's verdict on them. Even then,
each decision page of that quarter has a key of its own (``decision_slot``): the quarter's key but
for the 执行进展 reports and rule outcomes of its other records (the page shows the decision's own,
and its meeting's). Only the decision pages reported on or judged anew are rendered; the others stay
as published.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from generator.core.cache import ContentHash, code_fingerprint
from generator.core.model import Decision, Disclosure, Portal, Unit
from generator.core.urls import tombstone_pages
from generator.render.shell import ThemedSite
from generator.rules import Outcome, RuleReport
from generator.sources.load import registry_entry, source_key


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
        digest.add("tombstones", repr(tombstone_pages(dis, live)).encode("utf-8"))
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


def package_keys(
    portal: Portal,
    themed_key: str,
    rules: RuleReport,
    sizes: dict[str, int],
    live: set[str],
    units: set[str],
) -> dict[str, dict[str, str]]:
    """The key of each quarter's pages of ``units`` (unit ID → quarter → key): the pages
    ``generator.render.pages.quarter_pages`` lists are a function of it."""
    rules.index()
    first: dict[tuple[str, str], list[tuple[object, ...]]] = defaultdict(list)
    for where, date in portal.history.first_published.items():
        if where[0] in units:
            first[(where[0], where[1])].append((*where, date))
    download_sizes: dict[tuple[str, str], list[tuple[str, int]]] = defaultdict(list)
    for path, size in sizes.items():
        parts = path.split("/")
        if len(parts) > 3 and parts[1] in units:
            download_sizes[(parts[1], parts[2])].append((path, size))
    keys: dict[str, dict[str, str]] = {}
    for unit in portal.units:
        if unit.unit_id not in units:
            continue
        common = (themed_key, repr(registry_entry(unit)))
        members = {m.member_id for dis in unit.disclosures for m in dis.members}
        decisions = {f"decision:{d.decision_id}" for dis in unit.disclosures for d in dis.decisions}
        keys[unit.unit_id] = {}
        for dis in unit.disclosures:
            period = str(dis.period)
            base = _base_digest(
                dis,
                common,
                live,
                members,
                sorted(first[(unit.unit_id, period)]),
                portal.history.packages_added.get(f"{unit.unit_id}/{dis.period}", ""),
                sorted(download_sizes[(unit.unit_id, period)]),
            )
            keys[unit.unit_id][period] = _package_key(dis, base, decisions, rules)
            for d in dis.decisions:
                keys[unit.unit_id][decision_slot(period, d.decision_id)] = _decision_key(dis, base, d, rules)
    return keys


#: A decision page's key is kept in the site's state for every decision of the portal (a million
#: at the scale the build is measured at): 128 bits of its SHA-256 are enough to tell two apart.
DECISION_KEY_CHARS = 32


def decision_slot(period: str, decision_id: str) -> str:
    """Where ``package_keys`` gives a decision page's own key, beside its quarter's."""
    return f"{period}/{decision_id}"


def _base_digest(
    dis: Disclosure,
    common: tuple[str, str],
    live: set[str],
    members: set[str],
    first: list[tuple[object, ...]],
    added: str,
    sizes: list[tuple[str, int]],
) -> bytes:
    """What every page of the quarter may show besides the 执行进展 reports and the rule outcomes."""
    digest = ContentHash("gongkai-pages/quarter-base")
    digest.add("theme", common[0].encode("ascii"))
    digest.add("unit", common[1].encode("utf-8"))
    digest.add("quarter", str(dis.period).encode("ascii"))
    for name, (size, sha) in sorted(dis.files.items()):
        digest.add(f"file {name}", f"{size} {sha}".encode("ascii"))
    digest.add("tombstones", repr(tombstone_pages(dis, live)).encode("utf-8"))
    linked = sorted({s.member_id for d in dis.decisions for s in d.stances} & members)
    digest.add("member pages", repr(linked).encode("utf-8"))
    digest.add("first published", repr(first).encode("utf-8"))
    digest.add("package added", added.encode("utf-8"))
    digest.add("downloads", repr(sizes).encode("utf-8"))
    return digest.hexdigest().encode("ascii")


def _package_key(dis: Disclosure, base: bytes, decisions: set[str], rules: RuleReport) -> str:
    unit_id, period = dis.unit.unit_id, str(dis.period)
    digest = ContentHash("gongkai-pages/quarter")
    digest.add("base", base)
    digest.add("progress", repr([(d.decision_id, d.progress) for d in dis.decisions]).encode("utf-8"))
    outcomes: list[object] = list(rules.for_package(unit_id, period))
    for record in [
        *(f"meeting:{m.meeting_id}" for m in dis.meetings),
        *(f"decision:{d.decision_id}" for d in dis.decisions),
    ]:
        outcomes += [o for o in rules.for_record(unit_id, record) if o.period != period]
    digest.add("rules", repr(outcomes).encode("utf-8"))
    named = sorted({o.record for o in rules.for_package(unit_id, period)} & decisions)
    digest.add("decisions named", repr(named).encode("utf-8"))
    return digest.hexdigest()


def _decision_key(dis: Disclosure, base: bytes, d: Decision, rules: RuleReport) -> str:
    """The key of a decision's page and search document: what its quarter's pages show but for the
    other decisions' 执行进展 reports and the rule outcomes about other records (the page shows its
    own, ``decision_checks``). In a quarter whose key changed, a decision page whose key did not is
    kept as published: a new quarter's 执行进展 findings on three earlier decisions re-render those
    three pages and their quarters' own, not every decision of those quarters."""
    digest = ContentHash("gongkai-pages/decision")
    digest.add("base", base)
    digest.add("decision", d.decision_id.encode("utf-8"))
    digest.add("progress", repr(d.progress).encode("utf-8"))
    digest.add("rules", repr(decision_checks(rules, d, dis.unit.unit_id)).encode("utf-8"))
    return digest.hexdigest()[:DECISION_KEY_CHARS]


def decision_checks(rules: RuleReport, d: Decision, unit_id: str) -> list[Outcome]:
    """The rule outcomes a decision's page shows: its meeting's and its own. The one list of them:
    the page (the template's ``decision_checks``) and its key (``_decision_key``) both use it."""
    return [
        *rules.for_record(unit_id, f"meeting:{d.meeting_id}"),
        *rules.for_record(unit_id, f"decision:{d.decision_id}"),
    ]
