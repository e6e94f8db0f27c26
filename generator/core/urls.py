"""Where things are in a built site: record page URLs, download folders and the fixed names of the
site's release files. Every stage that links to a page or writes a file the others read uses these."""

from __future__ import annotations

from typing import Any

from generator.core.datatree import Period
from generator.core.model import Decision, Disclosure, Hearing, MemberRecord, Portal, Unit, Withdrawal

#: A built site carries this file; ``gongkai build`` replaces only a folder that has it.
SITE_MARKER = ".gongkai-site"
#: Inside the site while an in-place publish runs (``generator.release.swap.publish_changes``):
#: ``gongkai verify`` refuses a site that holds it, and the next build rolls that publish back.
PUBLISHING = ".gongkai-publishing"
#: The release manifest, the folder of past releases, and each release's change list.
MANIFEST = "manifest.json"
RELEASES = "releases"
CHANGES = "changes.json"
#: Directory depth of each kind of record page (used to pick the page shell): a unit (2); a
#: decision, hearing or unit-quarter (3); a member (4); a member's quarter (5).
RECORD_DEPTHS = (2, 3, 4, 5)
#: Withdrawn records that keep their page, as a tombstone: table → URL prefix.
TOMBSTONES = {"decisions": "decisions", "hearings": "hearings"}


def path_for(obj: Any) -> str:
    """Root-relative URL path of a record's page (with a trailing slash)."""
    if isinstance(obj, Decision):
        assert obj.disclosure is not None
        return f"decisions/{obj.disclosure.unit.unit_id}/{obj.decision_id}/"
    if isinstance(obj, Hearing):
        assert obj.disclosure is not None
        return f"hearings/{obj.disclosure.unit.unit_id}/{obj.hearing_id}/"
    if isinstance(obj, Withdrawal) and obj.table in TOMBSTONES:
        assert obj.disclosure is not None
        return f"{TOMBSTONES[obj.table]}/{obj.disclosure.unit.unit_id}/{obj.record_id}/"
    if isinstance(obj, Disclosure):
        return f"units/{obj.unit.unit_id}/{obj.period}/"
    if isinstance(obj, Unit):
        return f"units/{obj.unit_id}/"
    if isinstance(obj, MemberRecord):
        page = member_page(obj.unit.unit_id, obj.member.member_id)
        return page if obj.period is None else f"{page}{obj.period}/"
    if isinstance(obj, Period):
        return f"quarters/{obj}/"
    raise TypeError(f"no page for {type(obj).__name__}")


def member_page(unit_id: str, member_id: str) -> str:
    """A member's page (their record: ``MemberRecord``), known without making the record."""
    return f"units/{unit_id}/members/{member_id}/"


def download_dir(disclosure: Disclosure) -> str:
    return f"downloads/{disclosure.unit.unit_id}/{disclosure.period}/"


def zip_name(disclosure: Disclosure) -> str:
    return f"{disclosure.unit.unit_id}-{disclosure.period}.zip"


def tombstone_path(withdrawal: Withdrawal) -> str | None:
    """The page a withdrawn record keeps (decisions and hearings), or None."""
    return path_for(withdrawal) if withdrawal.table in TOMBSTONES else None


def live_paths(portal: Portal) -> set[str]:
    """The pages of every live decision and hearing (``tombstones`` needs them)."""
    return {path_for(r) for d in portal.disclosures for r in (*d.decisions, *d.hearings)}


def tombstones(dis: Disclosure, live: set[str]) -> list[tuple[str, Withdrawal]]:
    """(page, withdrawal) of the package's withdrawn decisions and hearings that keep their URL as a
    tombstone: a later record that reuses the ID (``live``: ``live_paths``) keeps the page instead."""
    return [
        (path, w) for w in dis.withdrawals if (path := tombstone_path(w)) is not None and path not in live
    ]


def tombstone_pages(dis: Disclosure, live: set[str]) -> list[str]:
    """The pages of ``tombstones``, in the same order: the addresses that really show a withdrawal."""
    return [path for path, _w in tombstones(dis, live)]
