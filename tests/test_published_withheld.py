"""Corrections and withdrawals together with 依法不予公开: what is compared with the previous release is
the data as published (withheld records redacted), and a package with a withheld record keeps its
更正记录 and 撤回记录 in the published view."""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from pathlib import Path

from bs4 import BeautifulSoup

from generator.build import build

from .conftest import DEMO_DATA

WITHHELD = ("swei/2025Q2", "nyjt/2025Q1")  # the demo's packages with withheld decisions


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator.cli", *args], capture_output=True, text=True)


def test_rebuilding_a_portal_with_withheld_items_is_not_a_silent_edit(tmp_path: Path) -> None:
    site = tmp_path / "site"
    for package in WITHHELD:
        assert "是" in (DEMO_DATA / package / "decisions.csv").read_text(encoding="utf-8")
    build(DEMO_DATA, site, log=None)
    build(DEMO_DATA, site, log=None)  # the published copy is redacted: the same data, not an edit
    result = _cli("validate", str(DEMO_DATA), "--published", str(site))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stdout + result.stderr


def test_a_package_with_a_withheld_record_keeps_its_corrections(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DEMO_DATA, data)
    decisions = data / "fgw/2025Q1/decisions.csv"
    with decisions.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    names = list(rows[0])
    target = next(r for r in rows if r["decision_id"] not in ("jc2025-0002",) and not r["hearing_id"])
    target.update(withheld="是", withheld_basis="《中华人民共和国保守国家秘密法》第十三条")
    with decisions.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=names, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    site = tmp_path / "site"
    build(data, site, log=None)

    page = BeautifulSoup(
        (site / "decisions/fgw/jc2025-0002/index.html").read_text(encoding="utf-8"), "html.parser"
    )
    table = page.select_one(".gk-corrections")
    assert table is not None and "已完成" in table.text, "the correction of the package is still shown"
    assert (site / "downloads/fgw/2025Q1/corrections.csv").is_file()
    assert (site / "downloads/fgw/2025Q1/withdrawals.csv").is_file()
    withheld = (site / f"decisions/fgw/{target['decision_id']}/index.html").read_text(encoding="utf-8")
    assert "依法不予公开" in withheld and target["title"] not in withheld


def _mark_withheld(path: Path, key: str, record_id: str) -> str:
    """Mark one record withheld by law, changing nothing else; return its former title or subject."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    row = next(r for r in rows if r[key] == record_id)
    row.update(withheld="是", withheld_basis="《中华人民共和国保守国家秘密法》第十三条")
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return row.get("title") or row["subject"]


def test_a_record_withheld_after_it_was_published_needs_no_correction_and_its_old_text_is_not_repeated(
    tmp_path: Path,
) -> None:
    from .conftest import MINI_DATA, upgrade_package
    from .test_withheld import DECISION, HEARING, PACKAGE

    data = tmp_path / "data"
    shutil.copytree(MINI_DATA, data)
    upgrade_package(data / PACKAGE)
    site = tmp_path / "site"
    build(data, site, log=None)
    remark_rows = (data / PACKAGE / "stances.csv").read_text(encoding="utf-8").splitlines()
    remarks = [line.rsplit(",", 1)[-1] for line in remark_rows if line.startswith(DECISION + ",")]

    title = _mark_withheld(data / PACKAGE / "decisions.csv", "decision_id", DECISION)
    subject = _mark_withheld(data / PACKAGE / "hearings.csv", "hearing_id", HEARING)
    assert title in (site / f"decisions/fgw/{DECISION}/index.html").read_text(encoding="utf-8")
    result = _cli("build", "--data", str(data), "--out", str(site))
    assert result.returncode == 0, result.stderr
    changes = (site / "releases/2/changes.json").read_text(encoding="utf-8")
    assert DECISION in changes and "withheld_basis" in changes, "the withholding itself is on record"
    for path in [site / "releases/2/changes.json", *site.glob("changelog/**/index.html")]:
        text = path.read_text(encoding="utf-8")
        assert title not in text and subject not in text, path
        assert not [r for r in remarks if len(r) > 4 and r in text], path
    assert title not in (site / f"decisions/fgw/{DECISION}/index.html").read_text(encoding="utf-8")


def test_a_correction_of_a_record_withheld_since_publishes_neither_value_nor_reason(tmp_path: Path) -> None:
    """Published in the open, corrected in the open, then withheld by law: the 更正记录 entry stays
    (only that the title was corrected, and when) but its values and reason reach no file, and the
    earlier release's change list shows the record as 依法不予公开."""
    from .conftest import MINI_DATA, upgrade_package
    from .test_site import add_entries
    from .test_withheld import DECISION, HEARING, PACKAGE, _rows, _write

    marker = "旧称QZXOLD"
    data = tmp_path / "data"
    shutil.copytree(MINI_DATA, data)
    upgrade_package(data / PACKAGE)
    decisions = _rows(data / PACKAGE / "decisions.csv")
    row = next(r for r in decisions if r["decision_id"] == DECISION)
    row["title"] = old_title = f"关于{marker}项目的决定"
    _write(data / PACKAGE / "decisions.csv", "decisions", decisions)
    site = tmp_path / "site"
    build(data, site, log=None)  # release 1: the old title, in the open

    row["title"] = new_title = "关于QZXNEW项目的决定"
    _write(data / PACKAGE / "decisions.csv", "decisions", decisions)
    entry = {
        "table": "decisions",
        "record_id": DECISION,
        "field": "title",
        "old_value": old_title,
        "new_value": new_title,
        "reason": "QZXWHY名称有误",
        "corrected_on": "2025-04-10",
    }
    add_entries(data / PACKAGE, "corrections", [entry])
    build(data, site, log=None)  # release 2: corrected in the open
    page = (site / f"decisions/fgw/{DECISION}/index.html").read_text(encoding="utf-8")
    assert old_title in page and "QZXWHY" in page, "before withholding, the correction is shown"

    _mark_withheld(data / PACKAGE / "decisions.csv", "decision_id", DECISION)
    _mark_withheld(data / PACKAGE / "hearings.csv", "hearing_id", HEARING)  # its hearing, as validation asks
    result = _cli("build", "--data", str(data), "--out", str(site))
    assert result.returncode == 0, result.stdout + result.stderr  # no correction needed, none refused
    assert _cli("validate", str(data), "--published", str(site)).returncode == 0

    releases = site / "releases"
    for path in sorted(p for p in site.rglob("*") if p.is_file() and releases not in p.parents):
        raw = path.read_bytes()
        for secret in ("QZXOLD", "QZXNEW", "QZXWHY"):
            assert secret.encode() not in raw, (path, secret)
            assert secret.encode("utf-16-le") not in raw, (path, secret)
    soup = BeautifulSoup(
        (site / f"decisions/fgw/{DECISION}/index.html").read_text(encoding="utf-8"), "html.parser"
    )
    corrections = soup.select_one(".gk-corrections")
    assert corrections is not None, "the correction itself stays on record"
    text = corrections.get_text(" ", strip=True)
    assert "2025-04-10" in text and "依法不予公开" in text
    with (site / "downloads/fgw/2025Q1/corrections.csv").open(encoding="utf-8", newline="") as handle:
        published = [r for r in csv.DictReader(handle) if r["record_id"] == DECISION]
    assert [(r["field"], r["old_value"], r["new_value"], r["reason"]) for r in published] == [
        ("title", "依法不予公开", "依法不予公开", "依法不予公开")
    ]
    # The earlier release's own change list is kept as published (the release hash chain covers it).
    assert "QZXNEW" in (releases / "2/changes.json").read_text(encoding="utf-8")
