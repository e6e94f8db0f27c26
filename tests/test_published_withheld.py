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
