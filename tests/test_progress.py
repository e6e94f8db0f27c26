"""执行进展 (决策跟踪反馈): a quarter reports how an earlier quarter's decision stands; the decision's
page shows its dated history; validation refuses a report on an unknown, a same-quarter or a later
decision, a date outside the quarter, and a note on a decision withheld by law."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup

from generator.build import build
from generator.validate import validate_data

from .test_site import add_entries

Q1, Q2 = "fgw/2025Q1", "fgw/2025Q2"
DECISION = "jc2025-001"  # published in 2025Q1


def report(**values: str) -> dict[str, str]:
    return {
        "decision_id": DECISION,
        "reported_on": "2025-06-20",
        "execution_status": "推进中",
        "note": "一期工程主体完工，二期完成招标",
        **values,
    }


def test_an_earlier_decisions_progress_is_shown_as_a_dated_history(mini_data: Path, tmp_path: Path) -> None:
    add_entries(mini_data / Q2, "progress", [report()])
    assert validate_data(mini_data, jobs=1).valid
    site = tmp_path / "site"
    build(mini_data, site, log=None)
    page = BeautifulSoup(
        (site / "decisions" / "fgw" / DECISION / "index.html").read_text("utf-8"), "html.parser"
    )
    history = page.select_one("#progress + ol.gk-progress")
    assert history is not None
    item = history.select_one("li")
    assert item is not None and "2025-06-20" in item.get_text() and "一期工程主体完工" in item.get_text()
    assert "推进中" in item.get_text() and "2025Q2 报告" in item.get_text()
    assert (site / "downloads" / "all" / "progress.csv").read_text("utf-8").count(DECISION) == 1


def test_a_report_must_be_on_an_earlier_published_decision_inside_its_quarter(mini_data: Path) -> None:
    add_entries(
        mini_data / Q2,
        "progress",
        [
            report(decision_id="jc2099-999"),  # no such decision
            report(decision_id="jc2025-004"),  # decided this quarter: its own row says how it stands
            report(decision_id="jc2025-002", reported_on="2025-07-01"),  # after the quarter
        ],
    )
    findings = {(f.type, f.row, f.column) for f in validate_data(mini_data, jobs=1).errors}
    assert findings == {
        ("progress", 2, "decision_id"),
        ("progress", 3, "decision_id"),
        ("date-out-of-period", 4, "reported_on"),
    }


def test_a_decision_withheld_by_law_reports_its_status_but_no_note(mini_data: Path) -> None:
    from .test_withheld import DECISION as WITHHELD
    from .test_withheld import withhold

    withhold(mini_data)  # withholds a 2025Q1 decision of fgw, with its legal basis
    add_entries(mini_data / Q2, "progress", [report(decision_id=WITHHELD)])
    errors = validate_data(mini_data, jobs=1).errors
    assert [(f.type, f.column, f.value) for f in errors] == [("progress", "note", WITHHELD)]
    assert "依法不予公开" in errors[0].message
    path = mini_data / Q2 / "progress.csv"
    path.write_text(path.read_text("utf-8").replace("一期工程主体完工，二期完成招标", ""), encoding="utf-8")
    assert validate_data(mini_data, jobs=1).valid
