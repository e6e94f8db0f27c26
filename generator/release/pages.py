"""The 更新记录 pages: the changelog slot and one page per release, from each release's
``changes.json`` and manifest (an earlier release's records withheld by law since are shown as
依法不予公开)."""

from __future__ import annotations

import json
from html import escape
from pathlib import Path
from typing import Any

from generator.core.datatree import override_templates
from generator.core.model import Portal
from generator.core.urls import CHANGES, MANIFEST, RELEASES
from generator.export.pages import environment, table_title
from generator.guard.redact import (
    DECISION_TITLE,
    HEARING_SUBJECT,
    KEPT,
    WITHHELD_TEXT,
    withheld_by_package,
    withheld_record,
)
from generator.release.verify import chain_part
from generator.render.shell import ThemedSite, fill_slots

LIST_LIMIT = 200


def _redact_record(
    record: dict[str, Any], withheld: dict[tuple[str, str], tuple[set[str], set[str]]]
) -> None:
    """An earlier release's change of a record withheld by law since: its name and withheld fields
    are shown as 依法不予公开. (That release's own ``changes.json`` stays as it was published: the
    hash chain of the releases covers it.)"""
    decisions, hearings = withheld.get((record.get("unit_id", ""), record.get("period", "")), (set(), set()))
    table = record.get("table", "")
    rid = "/".join(str(value) for value in record.get("key", {}).values())
    if not withheld_record(table, rid, decisions, hearings):
        return
    record["label"] = {"decisions": DECISION_TITLE, "hearings": HEARING_SUBJECT}.get(table, "")
    fields = record.get("fields", {})
    for name in fields:
        if name not in KEPT[table]:
            fields[name] = [WITHHELD_TEXT, WITHHELD_TEXT]


def _releases(
    site_dir: Path, portal: Portal, parts: dict[int, dict[str, Any]], earlier: dict[int, bytes]
) -> list[dict[str, Any]]:
    """Every release, newest first: the new one as the staged site holds it, the earlier ones as
    the chain was checked (``parts``: each one's ``chain_part`` by number, so its manifest is not
    parsed again; ``earlier``: its change list, which the published site may keep in place)."""
    withheld = withheld_by_package(portal)
    releases: list[dict[str, Any]] = []
    root = site_dir / RELEASES
    staged = {int(p.name) for p in root.iterdir() if p.name.isdigit()} if root.is_dir() else set()
    for number in sorted(staged | set(earlier), reverse=True):
        folder = root / str(number)
        part = parts.get(number, {})
        try:
            changes = json.loads(earlier[number] if number in earlier else (folder / CHANGES).read_bytes())
            if "data" in part and "file_count" in part:
                manifest = part
            else:
                manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
                if "file_count" not in manifest:  # a version 1 release's whole manifest
                    manifest["file_count"] = len(manifest.get("files", []))
        except (OSError, ValueError):
            continue
        groups: dict[str, dict[str, list[dict[str, Any]]]] = {}
        for record in changes.get("records", []):
            _redact_record(record, withheld)
            group = groups.setdefault(record["change"], {})
            group.setdefault(record["table"], []).append(record)
        releases.append(
            {
                "number": number,
                "data_through": changes.get("data_through", ""),
                "first": changes.get("first", False),
                "counts": changes.get("counts", {}),
                "published": changes.get("published", {}),
                "groups": groups,
                "commit": (manifest.get("data") or {}).get("commit"),
                "files": manifest["file_count"],
                "previous": manifest.get("previous"),
                "version": manifest.get("version", 1),
                "file_changes": chain_part(manifest).get("file_changes"),
                "current": not releases,
            }
        )
    return releases


def write_release_pages(
    portal: Portal,
    themed: ThemedSite,
    chain: dict[str, dict[str, Any]] | None = None,
    earlier: dict[int, bytes] | None = None,
) -> None:
    """The 更新记录 slot and one page per release, newest first. ``chain``: the earlier releases'
    ``chain_part`` by their manifest's SHA-256, and ``earlier`` their change lists, as
    ``carry_releases`` checked them."""
    site_dir = themed.site_dir
    env = environment(override_templates(portal.data_dir))
    env.globals.update(table_title=table_title, licence=portal.config.licence_info)
    parts = {int(part["release"]): part for part in (chain or {}).values() if "release" in part}
    releases = _releases(site_dir, portal, parts, earlier or {})
    changelog = site_dir / "changelog" / "index.html"
    if changelog.is_file():
        html = env.get_template("slot_changelog.html").render(root="../", releases=releases)
        fill_slots(changelog, {"changelog": html})
    shell = themed.shells.get(2)
    if shell is None:
        return
    for release in releases:
        body = env.get_template("opendata_release.html").render(root="../../", r=release, limit=LIST_LIMIT)
        target = site_dir / "changelog" / str(release["number"]) / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(
            shell.fill(escape(f"更新记录：第 {release['number']} 次发布"), body), encoding="utf-8"
        )
