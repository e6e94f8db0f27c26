"""Feeds hold the newest entries: with more decisions than a feed holds, written in an order that is
not their date order (shuffled rows, the newest quarter after the older one, a second unit), the
portal feed and a unit feed hold exactly the newest by date, newest first, and a withdrawal or a
correction is placed by its own date."""

from __future__ import annotations

import csv
import datetime
import random
import shutil
from pathlib import Path

import feedparser
import pytest

from generator.build import build
from generator.export.feeds import LIMIT

from .conftest import MINI_DATA
from .test_site import add_entries

MEETINGS, PER_MEETING = 56, 2  # 112 new decisions in fgw's first quarter, more than a feed holds
WITHDRAWN = ("jc2025-099", "关于已撤回的示例事项的决定", "2025-03-03")
CORRECTED = ("jc2025-001", "2025-03-25")  # a decision of January, corrected late in March


def _read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def _write(path: Path, names: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=names, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _crowd(data: Path) -> None:
    """Add meetings with two decisions each (and their stances) to fgw/2025Q1, rows shuffled."""
    package = data / "fgw" / "2025Q1"
    shuffle = random.Random(16).shuffle
    taken = {row["date"] for row in _read(package / "meetings.csv")[1]}
    first = datetime.date(2025, 1, 10)
    days = [first + datetime.timedelta(days=n) for n in range(78)]
    days = [d for d in days if d.isoformat() not in taken][:MEETINGS]
    shuffle(days)
    names, meetings = _read(package / "meetings.csv")
    template = meetings[0]
    for n, day in enumerate(days, start=1):
        notice = (day - datetime.timedelta(days=6)).isoformat()
        meetings.append(
            {
                **template,
                "meeting_id": f"hy2025-{100 + n}",
                "title": f"2025年第{100 + n}次党组会议",
                "date": day.isoformat(),
                "notice_date": notice,
            }
        )
    _write(package / "meetings.csv", names, meetings)
    names, decisions = _read(package / "decisions.csv")
    template = next(d for d in decisions if d["decision_id"] == "jc2025-002")
    added = [
        {
            **template,
            "decision_id": f"jc2025-{100 + n * PER_MEETING + k}",
            "meeting_id": f"hy2025-{100 + n}",
            "agenda_no": str(k + 1),
            "title": f"关于下达第{n * PER_MEETING + k}批节能专项资金的决定",
        }
        for n in range(1, MEETINGS + 1)
        for k in range(PER_MEETING)
    ]
    shuffle(added)
    _write(package / "decisions.csv", names, added + decisions)  # the new rows first
    names, stances = _read(package / "stances.csv")
    votes = [s for s in stances if s["decision_id"] == "jc2025-002"]
    stances += [{**s, "decision_id": d["decision_id"]} for d in added for s in votes]
    _write(package / "stances.csv", names, stances)
    decision, label, day = WITHDRAWN
    add_entries(
        package,
        "withdrawals",
        [
            {
                "table": "decisions",
                "record_id": decision,
                "label": label,
                "reason": "重复录入",
                "withdrawn_on": day,
            }
        ],
    )
    decision, day = CORRECTED
    correction = {
        "table": "decisions",
        "record_id": decision,
        "field": "summary",
        "old_value": "（原摘要）",
        "new_value": next(d["summary"] for d in decisions if d["decision_id"] == decision),
        "reason": "摘要补充投资规模",
        "corrected_on": day,
    }
    add_entries(package, "corrections", [correction])


def _dated(data: Path, unit: str | None) -> list[tuple[str, str]]:
    """(date in the feed, page) of every decision of the data (of one unit), newest first."""
    found = []
    for package in sorted(data.glob("*/20*Q*")):
        if unit is not None and package.parent.name != unit:
            continue
        meetings = {m["meeting_id"]: m["date"] for m in _read(package / "meetings.csv")[1]}
        corrected: dict[str, str] = {}
        if (package / "corrections.csv").is_file():
            for c in _read(package / "corrections.csv")[1]:
                corrected[c["record_id"]] = max(corrected.get(c["record_id"], ""), c["corrected_on"])
        for d in _read(package / "decisions.csv")[1]:
            date = max(meetings[d["meeting_id"]], corrected.get(d["decision_id"], ""))
            found.append((date, f"decisions/{package.parent.name}/{d['decision_id']}/"))
    return sorted(found, reverse=True)


@pytest.fixture(scope="module")
def crowded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("crowded")
    data = root / "data"
    shutil.copytree(MINI_DATA, data)
    _crowd(data)
    site = root / "site"
    build(data, site, log=None)
    return data, site


def _in_file_order(data: Path, unit: str | None) -> list[str]:
    """The pages of the decisions in the order of the files: units and quarters by name, then rows."""
    return [
        f"decisions/{package.parent.name}/{d['decision_id']}/"
        for package in sorted(data.glob("*/20*Q*"))
        if unit is None or package.parent.name == unit
        for d in _read(package / "decisions.csv")[1]
    ]


@pytest.mark.parametrize(("feed", "unit"), [("all", None), ("units/fgw", "fgw")])
def test_a_feed_holds_the_newest_decisions_newest_first(
    crowded: tuple[Path, Path], feed: str, unit: str | None
) -> None:
    data, site = crowded
    dated = _dated(data, unit)
    assert len(dated) > LIMIT + 10
    cut = dated[LIMIT - 1][0]  # the oldest date in the feed: decisions of that day may tie
    newer = {page for date, page in dated if date > cut}
    newest = {page for _, page in dated[:LIMIT]}
    in_files = _in_file_order(data, unit)
    assert set(in_files[:LIMIT]) != newest and set(in_files[-LIMIT:]) != newest, "rows not in date order"
    assert f"decisions/fgw/{CORRECTED[0]}/" in newer, "a late correction makes a decision new again"

    parsed = feedparser.parse((site / f"feeds/{feed}.xml").read_bytes())
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    entries = [(e.updated[:10], "decisions/" + e.link.split("/decisions/", 1)[1]) for e in parsed.entries]
    withdrawn = (WITHDRAWN[2], f"decisions/fgw/{WITHDRAWN[0]}/")
    assert withdrawn in entries, "the withdrawal has its entry"
    decisions = [entry for entry in entries if entry != withdrawn]
    assert len(decisions) == LIMIT
    assert newer <= {page for _, page in decisions}, "every decision newer than the cut is in the feed"
    assert set(decisions) <= set(dated) and all(date >= cut for date, _ in decisions), "each at its date"
    dates = [date for date, _ in entries]
    assert dates == sorted(dates, reverse=True), "newest first, the withdrawal and correction by their dates"
    position = entries.index(withdrawn)
    assert 0 < position < len(entries) - 1, "the withdrawal is among the decisions of its days"


def test_entry_ids_stay_when_the_site_gets_its_address(tmp_path: Path) -> None:
    """A reader keys entries by id: setting or changing ``site_url`` must not make every entry new.
    With ``portal_id`` the ids name the portal; an id never holds the address."""
    ids: dict[str, list[str]] = {}
    for name, extra in [
        ("plain", ""),
        ("addressed", "site_url: https://gongkai.example.gov.cn/\n"),
        ("moved", "site_url: https://new.example.gov.cn/gongkai/\n"),
        ("named", "portal_id: shili-shi\nsite_url: https://new.example.gov.cn/\n"),
    ]:
        data = tmp_path / name / "data"
        shutil.copytree(MINI_DATA, data)
        config = data / "portal.yml"
        config.write_text(config.read_text(encoding="utf-8") + extra, encoding="utf-8")
        build(data, tmp_path / name / "site", log=None)
        parsed = feedparser.parse((tmp_path / name / "site" / "feeds/all.xml").read_bytes())
        assert parsed.bozo == 0, parsed.get("bozo_exception")
        ids[name] = [parsed.feed.id] + [entry.id for entry in parsed.entries]
    assert ids["plain"] == ids["addressed"] == ids["moved"]
    assert all(i.startswith("urn:gongkai:decisions/") for i in ids["plain"][1:])
    assert [i.replace("urn:gongkai:", "urn:gongkai:shili-shi:") for i in ids["plain"]] == ids["named"]
    # the links follow the address
    moved = feedparser.parse((tmp_path / "moved" / "site" / "feeds/all.xml").read_bytes())
    assert moved.entries[0].link.startswith("https://new.example.gov.cn/gongkai/decisions/")


def test_a_portal_id_that_is_not_an_identifier_is_refused(tmp_path: Path) -> None:
    from generator.core.config import ConfigError, load_config

    data = tmp_path / "data"
    shutil.copytree(MINI_DATA, data)
    config = data / "portal.yml"
    config.write_text(config.read_text(encoding="utf-8") + "portal_id: 示例 市\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="portal_id"):
        load_config(data)
