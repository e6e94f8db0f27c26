"""The static site as a read-only JSON API: a stable JSON file per record and per list page.

    api/index.json                         what is here, with the licence
    api/units.json                         every unit (twin of the 单位 page)
    api/units/<unit>.json                  one unit, its members and quarters (twin of its page)
    api/units/<unit>/<period>.json         one unit's quarter: meetings, decisions, hearings
    api/quarters.json                      every quarter with totals (twin of the 季度 page)
    api/quarters/<period>.json             one quarter across units
    api/decisions/<unit>/<decision>.json   one decision with its meeting, stances and hearing
    api/hearings/<unit>/<hearing>.json     one hearing or public inquiry

A record's file lists its corrections (更正记录, oldest first). A withdrawn decision or hearing
(撤回记录) keeps its file as a tombstone: ``"type": "withdrawn"`` with what it was, why and when,
so a link to it never breaks silently (as its page keeps its URL).

Every file carries the licence and how to cite it; values are typed as in the schemas.
"""

from __future__ import annotations

import dataclasses
import functools
from pathlib import Path
from typing import Any

from generator.core.model import Correction, Decision, Disclosure, Hearing, Portal, Unit, Withdrawal
from generator.core.urls import live_paths, path_for, tombstone_pages, tombstone_path, tombstones
from generator.export.jsonout import Ledger

API_DIR = "api"
API_VERSION = 1


def citation(portal: Portal, title: str, page: str) -> str:
    """How to cite a record: 发布者.《标题》. 平台名称. 网址. 许可."""
    config = portal.config
    base = config.site_url.rstrip("/") + "/" if config.site_url else "/"
    who = config.publisher or config.title
    return f"{who}.《{title}》. {config.title}. {base}{page}（{config.licence_info['title']}）"


def _meta(portal: Portal, kind: str, title: str, page: str, api_path: str) -> dict[str, Any]:
    licence = portal.config.licence_info
    return {
        "api_version": API_VERSION,
        "type": kind,
        "page": page,
        "api": api_path,
        "licence": {"name": licence["name"], "title": licence["title"], "url": licence["path"]},
        "cite": citation(portal, title, page),
        **({"demo": True} if portal.config.demo else {}),
    }


def _unit_brief(unit: Unit) -> dict[str, Any]:
    return {
        "unit_id": unit.unit_id,
        "name": unit.name,
        "short_name": unit.short_name,
        "unit_type": unit.unit_type,
        "api": f"{API_DIR}/units/{unit.unit_id}.json",
    }


def _decision_brief(d: Decision) -> dict[str, Any]:
    assert d.disclosure is not None
    unit = d.disclosure.unit.unit_id
    return {
        "decision_id": d.decision_id,
        "title": d.title,
        "category": d.category,
        "result": d.result,
        "date": d.date,
        "amount_yuan": d.amount_yuan,
        "execution_status": d.execution_status,
        "page": path_for(d),
        "api": f"{API_DIR}/decisions/{unit}/{d.decision_id}.json",
    }


def _hearing_brief(h: Hearing) -> dict[str, Any]:
    assert h.disclosure is not None
    unit = h.disclosure.unit.unit_id
    return {
        "hearing_id": h.hearing_id,
        "hearing_type": h.hearing_type,
        "subject": h.subject,
        "date": h.date,
        "page": path_for(h),
        "api": f"{API_DIR}/hearings/{unit}/{h.hearing_id}.json",
    }


def _fields(obj: Any, skip: tuple[str, ...]) -> dict[str, Any]:
    """A record's published fields: not those in ``skip``, nor the build's own bookkeeping (fields
    declared ``repr=False``, like ``Unit.source_key``, a cache key that names the generator's code:
    published, it made every upgrade of Gongkai a new release of every unit's API file)."""
    return {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj) if f.name not in skip and f.repr}


def _corrections(items: list[Correction]) -> list[dict[str, Any]]:
    return [{**_fields(c, ()), "field_title": c.field_title} for c in items]


def _api_path(page: str) -> str:
    """The API file of a record page: ``decisions/<unit>/<id>/`` → ``api/decisions/<unit>/<id>.json``."""
    return f"{API_DIR}/{page.rstrip('/')}.json"


def withdrawn_record(portal: Portal, dis: Disclosure, page: str, w: Withdrawal) -> dict[str, Any]:
    """The tombstone of a withdrawn decision or hearing (``page``: its tombstone page)."""
    return {
        **_meta(portal, "withdrawn", f"已撤回：{w.label}", page, _api_path(page)),
        "status": "已撤回",
        "unit": _unit_brief(dis.unit),
        "period": str(dis.period),
        "table": w.table,
        "table_title": w.table_title,
        "record_id": w.record_id,
        "label": w.label,
        "reason": w.reason,
        "withdrawn_on": w.withdrawn_on,
    }


def decision_record(portal: Portal, d: Decision) -> dict[str, Any]:
    assert d.disclosure is not None
    dis = d.disclosure
    skip = ("disclosure", "meeting", "power_item", "lead_member", "hearing", "stances", "progress")
    record = {
        **_meta(portal, "decision", d.title, path_for(d), ""),
        "unit": _unit_brief(dis.unit),
        "period": str(dis.period),
        **_fields(d, skip),
    }
    record["api"] = f"{API_DIR}/decisions/{dis.unit.unit_id}/{d.decision_id}.json"
    if d.meeting is not None:
        record["meeting"] = _fields(d.meeting, ("decisions",))
    if d.power_item is not None:
        record["power_item"] = {"item_id": d.power_item.item_id, "name": d.power_item.name}
    if d.lead_member is not None:
        record["lead_member"] = {"member_id": d.lead_member.member_id, "name": d.lead_member.name}
    record["stances"] = [
        {
            "order": s.order,
            "member_id": s.member_id,
            "name": s.member.name if s.member else None,
            "position": s.member.position if s.member else None,
            "is_principal": s.member.is_principal if s.member else None,
            "stance": s.stance,
            "remark": s.remark,
        }
        for s in d.stances
    ]
    record["hearing"] = _hearing_brief(d.hearing) if d.hearing is not None else None
    record["corrections"] = _corrections(dis.corrections_of("decisions", d.decision_id))
    record["progress"] = [
        {
            "reported_on": p.reported_on,
            "period": p.period,
            "execution_status": p.execution_status,
            "note": None if d.withheld else p.note or None,
        }
        for p in d.progress
    ]
    return record


def hearing_record(portal: Portal, h: Hearing) -> dict[str, Any]:
    assert h.disclosure is not None
    dis = h.disclosure
    title = f"{h.hearing_type}：{h.subject}"
    record = {
        **_meta(portal, "hearing", title, path_for(h), ""),
        "unit": _unit_brief(dis.unit),
        "period": str(dis.period),
        **_fields(h, ("disclosure", "decision")),
    }
    record["api"] = f"{API_DIR}/hearings/{dis.unit.unit_id}/{h.hearing_id}.json"
    record["decision"] = _decision_brief(h.decision) if h.decision is not None else None
    record["corrections"] = _corrections(dis.corrections_of("hearings", h.hearing_id))
    return record


def _disclosure_record(portal: Portal, dis: Disclosure, live: set[str]) -> dict[str, Any]:
    unit = dis.unit.unit_id
    page = path_for(dis)
    kept = set(tombstone_pages(dis, live))
    return {
        **_meta(portal, "disclosure", f"{dis.unit.name}{dis.period.label}公开", page, ""),
        "api": f"{API_DIR}/units/{unit}/{dis.period}.json",
        "unit": _unit_brief(dis.unit),
        "period": str(dis.period),
        "download": f"downloads/{unit}/{dis.period}/{unit}-{dis.period}.zip",
        "members": [_fields(m, ()) for m in dis.members],
        "meetings": [
            {**_fields(m, ("decisions",)), "decisions": [d.decision_id for d in m.decisions]}
            for m in dis.meetings
        ],
        "decisions": [_decision_brief(d) for d in dis.decisions],
        "hearings": [_hearing_brief(h) for h in dis.hearings],
        # Every withdrawn decision and hearing; its tombstone's file, or null where a later record
        # reuses the ID (the file at that address is the new record's).
        "withdrawn": [
            {
                "table": w.table,
                "record_id": w.record_id,
                "label": w.label,
                "api": _api_path(address) if address in kept else None,
            }
            for w in dis.withdrawals
            if (address := tombstone_path(w)) is not None
        ],
        "power_items": len(dis.power_items),
        "negative_items": len(dis.negative_items),
    }


def _counts(items: list[Disclosure]) -> dict[str, int]:
    return {
        "meetings": sum(len(d.meetings) for d in items),
        "decisions": sum(len(d.decisions) for d in items),
        "hearings": sum(len(d.hearings) for d in items),
    }


def api_unit(path: str) -> str | None:
    """The unit whose own API file ``path`` is (its records, quarters and unit file), or None for
    a file of the whole portal (the lists of units and quarters, the index)."""
    parts = path.split("/")
    if len(parts) == 4 and parts[1] in ("decisions", "hearings", "units"):
        return parts[2]
    if len(parts) == 3 and parts[1] == "units":
        return parts[2].removesuffix(".json") or None
    return None


def write_api(
    portal: Portal, site_dir: Path, ledger: Ledger | None = None, skip_units: set[str] | None = None
) -> int:
    """Write every API file (through ``ledger``, which records their hashes, if given); return how
    many. The files of the units in ``skip_units`` are not made (the published ones are kept)."""
    ledger = ledger or Ledger(site_dir)
    dump = functools.partial(ledger.write_json, compact=True)
    live = live_paths(portal)
    skip_units = skip_units or set()
    for dis in portal.disclosures:
        unit = dis.unit.unit_id
        if unit in skip_units:
            continue
        for d in dis.decisions:
            dump(f"{API_DIR}/decisions/{unit}/{d.decision_id}.json", decision_record(portal, d))
        for h in dis.hearings:
            dump(f"{API_DIR}/hearings/{unit}/{h.hearing_id}.json", hearing_record(portal, h))
        for page, w in tombstones(dis, live):
            dump(_api_path(page), withdrawn_record(portal, dis, page, w))
        dump(f"{API_DIR}/units/{unit}/{dis.period}.json", _disclosure_record(portal, dis, live))
    for owner in portal.units:
        if owner.unit_id in skip_units:
            continue
        data = {
            **_meta(portal, "unit", owner.name, path_for(owner), f"{API_DIR}/units/{owner.unit_id}.json"),
            **_fields(owner, ("disclosures",)),
            "members": [_fields(m, ()) for m in owner.latest.members] if owner.latest else [],
            "quarters": [
                {
                    "period": str(d.period),
                    "api": f"{API_DIR}/units/{owner.unit_id}/{d.period}.json",
                    **_counts([d]),
                }
                for d in owner.disclosures
            ],
        }
        dump(f"{API_DIR}/units/{owner.unit_id}.json", data)
    dump(
        f"{API_DIR}/units.json",
        {
            **_meta(portal, "unit-list", "单位", "units/", f"{API_DIR}/units.json"),
            "units": [{**_unit_brief(u), **_counts(u.disclosures)} for u in portal.units],
        },
    )
    quarters = []
    for period in portal.periods:
        items = [d for d in portal.disclosures if d.period == period]
        quarters.append(
            {
                "period": str(period),
                "label": period.label,
                "api": f"{API_DIR}/quarters/{period}.json",
                "units": len(items),
                **_counts(items),
            }
        )
        dump(
            f"{API_DIR}/quarters/{period}.json",
            {
                **_meta(
                    portal,
                    "quarter",
                    f"{period.label}公开情况",
                    path_for(period),
                    f"{API_DIR}/quarters/{period}.json",
                ),
                "period": str(period),
                "label": period.label,
                "disclosures": [
                    {
                        **_unit_brief(d.unit),
                        "api": f"{API_DIR}/units/{d.unit.unit_id}/{period}.json",
                        **_counts([d]),
                    }
                    for d in items
                ],
                "missing": [u.unit_id for u in portal.units if u not in [d.unit for d in items]],
            },
        )
    dump(
        f"{API_DIR}/quarters.json",
        {
            **_meta(portal, "quarter-list", "季度", "quarters/", f"{API_DIR}/quarters.json"),
            "quarters": quarters,
        },
    )
    dump(
        f"{API_DIR}/index.json",
        {
            **_meta(portal, "index", portal.config.title, "", f"{API_DIR}/index.json"),
            "title": portal.config.title,
            "endpoints": {
                "units": f"{API_DIR}/units.json",
                "unit": f"{API_DIR}/units/{{unit_id}}.json",
                "disclosure": f"{API_DIR}/units/{{unit_id}}/{{period}}.json",
                "quarters": f"{API_DIR}/quarters.json",
                "quarter": f"{API_DIR}/quarters/{{period}}.json",
                "decision": f"{API_DIR}/decisions/{{unit_id}}/{{decision_id}}.json",
                "hearing": f"{API_DIR}/hearings/{{unit_id}}/{{hearing_id}}.json",
                "catalog": "catalog.jsonld",
                "manifest": "manifest.json",
            },
        },
    )
    return api_file_count(portal)


def api_file_count(portal: Portal) -> int:
    """How many files ``write_api`` writes."""
    live = live_paths(portal)
    records = sum(
        len(dis.decisions) + len(dis.hearings) + len(tombstones(dis, live)) + 1 for dis in portal.disclosures
    )
    return records + len(portal.units) + 2 * len(portal.periods) + 3
