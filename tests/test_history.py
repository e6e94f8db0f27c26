"""Nothing lost: published records change only by a correction (更正记录) and disappear only by a
withdrawal (撤回记录); the site shows both, keeps tombstones, and dates records from git history."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import feedparser
import pytest

from generator.build import BuildFailed, build
from generator.cli import main
from generator.core.schema import field_names, resource_descriptor
from generator.guard.nothing_lost import check_published
from generator.sources.load import load_portal
from generator.validate import validate_data

from .conftest import MINI_DATA
from .test_site import add_entries, page, rewrite_csv, tree_digest

Q1 = Path("fgw") / "2025Q1"
TITLE = "关于城东综合交通枢纽项目立项的决定"
NEW_TITLE = "关于城东综合交通枢纽项目（一期）立项的决定"
FUNDS = "关于下达2025年第一批节能专项资金的决定"


def correction(**values: str) -> dict[str, str]:
    row = {
        "table": "decisions",
        "record_id": "jc2025-001",
        "field": "title",
        "old_value": TITLE,
        "new_value": NEW_TITLE,
        "reason": "项目分两期建设，名称应注明一期",
        "corrected_on": "2025-04-10",
    }
    return {**row, **values}


def withdrawal(**values: str) -> dict[str, str]:
    row = {
        "table": "decisions",
        "record_id": "jc2025-002",
        "label": FUNDS,
        "reason": "资金计划调整，原决定由后续会议重新审议",
        "withdrawn_on": "2025-04-12",
    }
    return {**row, **values}


def delete_rows(path: Path, decision_id: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text(
        "".join(line for line in lines if not line.startswith(decision_id + ",")), encoding="utf-8"
    )


def withdraw_funds_decision(data: Path) -> None:
    """Delete decision jc2025-002 and its stances from the data (not yet a withdrawal entry)."""
    delete_rows(data / Q1 / "decisions.csv", "jc2025-002")
    delete_rows(data / Q1 / "stances.csv", "jc2025-002")


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini data published once: the previous release that later builds are compared with."""
    site = tmp_path_factory.mktemp("release") / "site"
    build(MINI_DATA, site, log=None)
    return site


@pytest.fixture
def site(release: Path, tmp_path: Path) -> Path:
    """A private copy of the published site, to build the next release into."""
    target = tmp_path / "site"
    shutil.copytree(release, target)
    return target


def build_cli(data: Path, site: Path) -> subprocess.CompletedProcess[str]:
    command = [
        sys.executable,
        "-m",
        "generator.cli",
        "build",
        "--data",
        str(data),
        "--out",
        str(site),
        "--quiet",
    ]
    return subprocess.run(command, capture_output=True, text=True)


# --- Refused: silent edits and deletions -------------------------------------------------------------


def test_a_silent_edit_of_a_published_decision_is_refused(mini_data: Path, site: Path) -> None:
    before = tree_digest(site)
    rewrite_csv(mini_data / Q1 / "decisions.csv", {"title": NEW_TITLE})
    result = build_cli(mini_data, site)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    message = result.stderr
    assert "fgw/2025Q1/decisions.csv 第 2 行“事项名称（title）”" in message
    assert "已公开的决策事项“jc2025-001”" in message
    assert f"上次发布为“{TITLE}”，现为“{NEW_TITLE}”" in message
    assert (
        "corrections.csv" in message and "record_id 填 jc2025-001" in message and "field 填 title" in message
    )
    assert "网站未更新" in message
    assert tree_digest(site) == before


def test_a_silent_deletion_of_a_decision_and_its_stances_is_refused(mini_data: Path, site: Path) -> None:
    before = tree_digest(site)
    withdraw_funds_decision(mini_data)
    result = build_cli(mini_data, site)
    assert result.returncode == 1
    message = result.stderr
    assert (
        "已公开的决策事项“jc2025-002”（关于下达2025年第一批节能专项资金的决定）在本次数据中不存在" in message
    )
    assert "withdrawals.csv" in message and "record_id 填 jc2025-002" in message
    # The stances went with their decision: one finding for the decision says what to do.
    assert "stances.csv" not in message.split("校验未通过")[0].replace("withdrawals.csv", "")
    assert tree_digest(site) == before


def test_removing_a_published_package_is_refused(mini_data: Path, release: Path) -> None:
    shutil.rmtree(mini_data / "fgw" / "2025Q2")
    report = check_published(mini_data, release)
    assert [(f.type, f.file) for f in report.errors] == [("published-package-removed", "fgw/2025Q2")]
    assert "2025年第二季度的数据包已经公开" in report.errors[0].message


def test_a_stance_edited_without_a_correction_is_refused(mini_data: Path, release: Path) -> None:
    rewrite_csv(mini_data / Q1 / "stances.csv", {"remark": "同意"}, row_index=0)
    findings = check_published(mini_data, release).errors
    assert [(f.file, f.row, f.column, f.type) for f in findings] == [
        ("fgw/2025Q1/stances.csv", 2, "remark", "published-edit")
    ]
    assert "已公开的逐位表态“jc2025-001/1”" in findings[0].message


def test_a_damaged_published_copy_is_a_clear_error_not_a_traceback(mini_data: Path, site: Path) -> None:
    rewrite_csv(mini_data / Q1 / "decisions.csv", {"title": NEW_TITLE})
    (site / "downloads/fgw/2025Q1/decisions.csv").write_bytes("标题\n".encode("gb18030"))
    result = build_cli(mini_data, site)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "fgw/2025Q1" in result.stderr and "与已发布的数据比对失败" in result.stderr


# --- Refused: entries that do not match the data -----------------------------------------------------


def test_a_correction_whose_old_value_is_not_the_published_one_is_refused(
    mini_data: Path, release: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rewrite_csv(mini_data / Q1 / "decisions.csv", {"title": NEW_TITLE})
    add_entries(mini_data / Q1, "corrections", [correction(old_value="关于城东交通枢纽的决定")])
    findings = check_published(mini_data, release).errors
    kinds = [(f.file, f.row, f.column, f.type) for f in findings]
    assert ("fgw/2025Q1/corrections.csv", 2, "old_value", "correction-mismatch") in kinds
    mismatch = next(f for f in findings if f.type == "correction-mismatch")
    assert f"原值为“关于城东交通枢纽的决定”，但上次发布的值为“{TITLE}”" in mismatch.message
    # The edit itself is still unexplained: no correction matches it.
    assert ("fgw/2025Q1/decisions.csv", 2, "title", "published-edit") in kinds
    # portal CI: validate --published runs the same check.
    assert main(["validate", str(mini_data), "--published", str(release)]) == 1
    assert "更正记录的原值与已公开的不符" in capsys.readouterr().out
    assert main(["check", str(mini_data), "--published", str(release)]) == 1
    assert "更正记录的原值与已公开的不符" in capsys.readouterr().out


def test_a_correction_whose_new_value_is_not_in_the_data_is_refused(mini_data: Path, release: Path) -> None:
    add_entries(mini_data / Q1, "corrections", [correction()])  # the data still has the old title
    findings = check_published(mini_data, release).errors
    assert [(f.row, f.column, f.type) for f in findings] == [(2, "new_value", "correction-mismatch")]
    assert f"但 {mini_data.as_posix()}/fgw/2025Q1/decisions.csv 中的值为“{TITLE}”" in findings[0].message


def test_corrections_of_unknown_fields_and_records_and_withdrawals_of_live_records_are_refused(
    mini_data: Path,
) -> None:
    add_entries(
        mini_data / Q1,
        "corrections",
        [
            correction(field="titel"),
            correction(field="decision_id"),
            correction(record_id="jc2025-099"),
        ],
    )
    add_entries(mini_data / Q1, "withdrawals", [withdrawal()])  # jc2025-002 is still in the data
    assert validate_data(mini_data).valid
    findings = check_published(mini_data, None).errors  # no previous release: the entries alone
    assert [(f.file.rsplit("/", 1)[1], f.row, f.type, f.title) for f in findings] == [
        ("corrections.csv", 2, "correction-target", "更正的字段不存在"),
        ("corrections.csv", 3, "correction-target", "编号不能更正"),
        ("corrections.csv", 4, "correction-target", "更正的记录不存在"),
        ("withdrawals.csv", 2, "withdrawal-target", "撤回的记录仍在数据中"),
    ]
    assert "第 3 行仍是编号为“jc2025-002”的记录" in findings[3].message


def test_a_published_correction_cannot_be_removed_later(mini_data: Path, site: Path) -> None:
    rewrite_csv(mini_data / Q1 / "decisions.csv", {"title": NEW_TITLE})
    add_entries(mini_data / Q1, "corrections", [correction()])
    build(mini_data, site, log=None)
    (mini_data / Q1 / "corrections.csv").write_text(
        ",".join(field_names("corrections")) + "\n", encoding="utf-8"
    )
    with pytest.raises(BuildFailed) as failed:
        build(mini_data, site, log=None)
    assert "更正记录和撤回记录一经公开，只能增加，不能修改或删除" in failed.value.message
    assert "decisions jc2025-001 title" in failed.value.message


def test_a_corrected_record_can_still_be_withdrawn_later(mini_data: Path, site: Path) -> None:
    rewrite_csv(mini_data / Q1 / "decisions.csv", {"title": "关于下达节能专项资金的决定"}, row_index=1)
    entry = correction(record_id="jc2025-002", old_value=FUNDS, new_value="关于下达节能专项资金的决定")
    add_entries(mini_data / Q1, "corrections", [entry])
    build(mini_data, site, log=None)
    withdraw_funds_decision(mini_data)
    assert "published-removal" in {f.type for f in check_published(mini_data, site).errors}
    add_entries(mini_data / Q1, "withdrawals", [withdrawal(label="关于下达节能专项资金的决定")])
    assert check_published(mini_data, site).valid


def test_the_entry_files_are_validated_like_every_table(mini_data: Path) -> None:
    add_entries(mini_data / Q1, "corrections", [correction(table="决策事项", corrected_on="2025/4/10")])
    report = validate_data(mini_data)
    messages = [f.message for f in report.errors]
    assert any(
        "fgw/2025Q1/corrections.csv 第 2 行“所在表（table）”：值“决策事项”不在允许的取值中" in m
        for m in messages
    )
    assert any("corrections.csv 第 2 行“更正日期（corrected_on）”" in m for m in messages)
    # The file is there but datapackage.json does not list it (or lists it without the file).
    descriptor = mini_data / Q1 / "datapackage.json"
    data = json.loads(descriptor.read_text(encoding="utf-8"))
    data["resources"] = [r for r in data["resources"] if r["name"] != "corrections"]
    descriptor.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert any(
        "resources 中缺少资源“corrections”（更正记录" in f.message for f in validate_data(mini_data).errors
    )
    (mini_data / Q1 / "corrections.csv").unlink()
    data["resources"].append(resource_descriptor("withdrawals"))
    descriptor.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert [f.message for f in validate_data(mini_data).errors] == [
        f"{mini_data.as_posix()}/fgw/2025Q1/datapackage.json：resources 中列有资源“withdrawals”（撤回记录），"
        "但文件 withdrawals.csv 不存在；请添加该文件，或从 resources 中删除这一项。"
    ]


# --- Accepted and shown ---------------------------------------------------------------------------------


def test_an_edit_with_its_correction_is_published_and_shown_on_the_record_page(
    mini_data: Path, site: Path
) -> None:
    rewrite_csv(mini_data / Q1 / "decisions.csv", {"title": NEW_TITLE})
    add_entries(mini_data / Q1, "corrections", [correction()])
    assert main(["validate", str(mini_data), "--published", str(site)]) == 0
    build(mini_data, site, log=None)
    decision = page(site, "decisions/fgw/jc2025-001")
    assert decision.select_one("article h1").text == NEW_TITLE
    row = decision.select_one(".gk-corrections tbody tr")
    cells = [td.get_text(" ", strip=True) for td in row.select("td")]
    assert cells == ["2025-04-10", "事项名称", f"{TITLE} → {NEW_TITLE}", "项目分两期建设，名称应注明一期"]
    assert row.select_one("del").text == TITLE and row.select_one("ins").text == NEW_TITLE
    dates = decision.select_one(".gk-record-dates")
    assert dates.select_one(".gk-last-corrected").text == "最近更正：2025-04-10"
    assert dates.select_one(".gk-first-published") is None  # not a git repository: no date, no error
    assert "本条记录公开后没有更正" in page(site, "decisions/fgw/jc2025-004").text
    assert (site / "downloads/fgw/2025Q1/corrections.csv").is_file()
    quarter = page(site, "units/fgw/2025Q1")
    assert "本季度数据包公开后共更正 1 处" in quarter.select_one("article").text
    api = json.loads((site / "api/decisions/fgw/jc2025-001.json").read_text(encoding="utf-8"))
    assert api["title"] == NEW_TITLE
    assert api["corrections"] == [{**correction(), "field_title": "事项名称"}]
    untouched = json.loads((site / "api/decisions/fgw/jc2025-004.json").read_text(encoding="utf-8"))
    assert untouched["corrections"] == []
    feed = feedparser.parse((site / "feeds/units/fgw.xml").read_bytes())
    entry = next(e for e in feed.entries if e.link.endswith("decisions/fgw/jc2025-001/"))
    assert entry.updated.startswith("2025-04-10") and entry.published < entry.updated
    assert "公开后更正 1 处，最近更正 2025-04-10" in entry.summary
    # The release's changelog lists the change, and the next build with the same data is accepted.
    build(mini_data, site, log=None)


def test_a_deletion_with_its_withdrawal_is_published_as_a_tombstone(mini_data: Path, site: Path) -> None:
    before = len(load_portal(MINI_DATA).decisions())
    withdraw_funds_decision(mini_data)
    add_entries(mini_data / Q1, "withdrawals", [withdrawal()])
    summary = build(mini_data, site, log=None)
    assert summary.decisions == before - 1  # not a live decision any more
    tomb = page(site, "decisions/fgw/jc2025-002")
    article = tomb.select_one("article.gk-tombstone")
    assert article["data-pagefind-ignore"] == "all"
    assert article.select_one("h1").text == f"已撤回：{FUNDS}"
    assert "已于 2025-04-12 撤回" in article.text
    assert "资金计划调整，原决定由后续会议重新审议" in article.text
    quarter = page(site, "units/fgw/2025Q1")
    listed = quarter.select_one(".gk-withdrawn li")
    assert "已撤回" in listed.text and listed.select_one("a")["href"].endswith("decisions/fgw/jc2025-002/")
    assert not quarter.select(".gk-decisions a[href$='jc2025-002/']")
    stats = [s.get_text(" ", strip=True) for s in quarter.select(".gk-stat")]
    assert "2 项决策事项" in stats  # of 3 published
    # The JSON API keeps the record's file too, as a tombstone, and the quarter lists it.
    api = json.loads((site / "api/decisions/fgw/jc2025-002.json").read_text(encoding="utf-8"))
    assert api["type"] == "withdrawn" and api["status"] == "已撤回"
    assert (api["record_id"], api["label"], api["withdrawn_on"]) == ("jc2025-002", FUNDS, "2025-04-12")
    assert api["reason"] == "资金计划调整，原决定由后续会议重新审议"
    assert api["page"] == "decisions/fgw/jc2025-002/" and "stances" not in api
    for name in ("all", "units/fgw"):  # subscribers learn of it: an entry linking to the tombstone
        feed = feedparser.parse((site / f"feeds/{name}.xml").read_bytes())
        entry = next(e for e in feed.entries if e.link.endswith("decisions/fgw/jc2025-002/"))
        assert entry.title == f"已撤回：{FUNDS}" and entry.updated.startswith("2025-04-12")
        assert "资金计划调整" in entry.summary
    funds = feedparser.parse((site / "feeds/categories/funds.xml").read_bytes())
    assert not [e for e in funds.entries if "jc2025-002" in e.link]
    listing = json.loads((site / "api/units/fgw/2025Q1.json").read_text(encoding="utf-8"))
    assert "jc2025-002" not in [d["decision_id"] for d in listing["decisions"]]
    assert listing["withdrawn"] == [
        {
            "table": "decisions",
            "record_id": "jc2025-002",
            "label": FUNDS,
            "api": "api/decisions/fgw/jc2025-002.json",
        }
    ]
    changes = json.loads((site / "releases/2/changes.json").read_text(encoding="utf-8"))
    assert {"decisions", "stances"} <= {r["table"] for r in changes["records"] if r["change"] == "withdrawn"}


REUSED_TITLE = "关于下达2025年第二批节能专项资金的决定"


def withdraw_funds_with_its_entry(data: Path) -> None:
    """jc2025-002 withdrawn from 2025Q1 (deleted, with its withdrawal entry)."""
    withdraw_funds_decision(data)
    add_entries(data / Q1, "withdrawals", [withdrawal()])


def reuse_funds_id(data: Path) -> None:
    """2025Q2 publishes a new decision (a copy of jc2025-004 and its stances, retitled) under the
    withdrawn jc2025-002."""
    q2 = data / "fgw" / "2025Q2"
    for table in ("decisions", "stances"):
        path = q2 / f"{table}.csv"
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        reused = [
            line.replace("jc2025-004,", "jc2025-002,", 1) for line in lines if line.startswith("jc2025-004,")
        ]
        if table == "decisions":
            reused = [
                line.replace(",关于印发《示例市营商环境优化行动方案》的决定,", f",{REUSED_TITLE},", 1)
                for line in reused
            ]
            assert REUSED_TITLE in reused[0]
        path.write_text("".join(lines) + "".join(reused), encoding="utf-8")


def test_a_withdrawn_id_that_a_later_quarter_reuses_is_its_record_not_a_tombstone(
    mini_data: Path, site: Path
) -> None:
    """jc2025-002 is withdrawn from 2025Q1, and 2025Q2 publishes a new decision under that ID. Its
    address belongs to the live record: its page, API file and feed entries are the new decision's,
    and neither a feed nor the quarter that withdrew it links to it as the withdrawn one."""
    published = feedparser.parse((site / "feeds/all.xml").read_bytes())
    (first_id,) = [e.id for e in published.entries if e.link.endswith("decisions/fgw/jc2025-002/")]
    withdraw_funds_with_its_entry(mini_data)
    reuse_funds_id(mini_data)
    build(mini_data, site, log=None)
    record = page(site, "decisions/fgw/jc2025-002")
    assert record.select_one("article.gk-tombstone") is None
    assert record.select_one("article h1").text == REUSED_TITLE
    api = json.loads((site / "api/decisions/fgw/jc2025-002.json").read_text(encoding="utf-8"))
    assert (api["type"], api["period"], api["title"]) == ("decision", "2025Q2", REUSED_TITLE)
    for name in ("all", "units/fgw"):
        feed = feedparser.parse((site / f"feeds/{name}.xml").read_bytes())
        reused = [e for e in feed.entries if e.link.endswith("decisions/fgw/jc2025-002/")]
        assert [e.title for e in reused] == [REUSED_TITLE], name
        # An id of its own: under the withdrawn decision's, a reader would take it for an update of
        # an entry already read.
        assert reused[0].id == first_id + "#2025Q2", name
        assert any(e.id == first_id.replace("jc2025-002", "jc2025-004") for e in feed.entries), name
        assert not [e for e in feed.entries if e.title.startswith("已撤回")], name
    # The quarter that withdrew it still says so, without a link that would open the new decision.
    listed = page(site, "units/fgw/2025Q1").select_one(".gk-withdrawn li")
    assert "已撤回" in listed.text and FUNDS in listed.text and "此编号后来用于另一条记录" in listed.text
    assert listed.select_one("a[href$='decisions/fgw/jc2025-002/']") is None
    listing = json.loads((site / "api/units/fgw/2025Q1.json").read_text(encoding="utf-8"))
    assert listing["withdrawn"] == [
        {"table": "decisions", "record_id": "jc2025-002", "label": FUNDS, "api": None}
    ]


# --- 首次公开 and 最近更正 from git history ---------------------------------------------------------------


def _git(repo: Path, *args: str, date: str = "") -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "示例", "GIT_AUTHOR_EMAIL": "demo@example.org"}
    env.update(GIT_COMMITTER_NAME="示例", GIT_COMMITTER_EMAIL="demo@example.org")
    if date:
        env.update(GIT_AUTHOR_DATE=f"{date}T10:00:00+08:00", GIT_COMMITTER_DATE=f"{date}T10:00:00+08:00")
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env=env)


def test_record_pages_show_first_published_and_last_corrected_from_git(tmp_path: Path) -> None:
    repo = tmp_path / "portal"
    data = repo / "data"
    shutil.copytree(MINI_DATA, data)
    q2 = tmp_path / "q2"
    shutil.move(data / "fgw" / "2025Q2", q2)
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "2025 年第一季度", date="2025-04-08")
    site = tmp_path / "site"
    build(data, site, log=None)
    # Next quarter: 2025Q2 is added, and a Q1 decision is corrected.
    shutil.move(q2, data / "fgw" / "2025Q2")
    rewrite_csv(data / Q1 / "decisions.csv", {"title": NEW_TITLE})
    add_entries(data / Q1, "corrections", [correction(corrected_on="2025-07-09")])
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "2025 年第二季度", date="2025-07-10")
    build(data, site, log=None)

    corrected = page(site, "decisions/fgw/jc2025-001").select_one(".gk-record-dates")
    assert corrected.select_one(".gk-first-published").text == "首次公开：2025-04-08"
    # 最近更正 is when the correction was published (its commit), not the date the entry states
    assert corrected.select_one(".gk-last-corrected").text == "最近更正：2025-07-10"
    table = page(site, "decisions/fgw/jc2025-001").select_one(".gk-corrections")
    assert "2025-07-09" in table.text, "the correction table keeps the entry's own date"
    newer = page(site, "decisions/fgw/jc2025-004").select_one(".gk-record-dates")
    assert newer.select_one(".gk-first-published").text == "首次公开：2025-07-10"
    assert newer.select_one(".gk-last-corrected") is None
    hearing = page(site, "hearings/fgw/tz2025-001").select_one(".gk-record-dates")
    assert hearing.select_one(".gk-first-published").text == "首次公开：2025-04-08"


def test_the_demo_portal_shows_a_correction_and_a_tombstone_not_counted(demo_site: Path) -> None:
    corrected = page(demo_site, "decisions/fgw/jc2025-0002")
    assert (
        corrected.select_one(".gk-corrections tbody")
        .get_text(" ", strip=True)
        .startswith("2025-04-08 执行状态 推进中 → 已完成")
    )
    tomb = page(demo_site, "decisions/fgw/jc2025-0099")
    assert tomb.select_one("h1").text == "已撤回：关于价格监测点设备更新采购的决定"
    assert "不属于“三重一大”事项" in tomb.text
    assert "jc2025-0099" in page(demo_site, "units/fgw/2025Q1").select_one(".gk-withdrawn").text
    api = json.loads((demo_site / "api" / "units.json").read_text(encoding="utf-8"))
    assert "jc2025-0099" not in json.dumps(api)
    tombstone = json.loads((demo_site / "api/decisions/fgw/jc2025-0099.json").read_text(encoding="utf-8"))
    assert tombstone["type"] == "withdrawn" and "stances" not in tombstone  # a tombstone, not a record


def test_each_table_of_the_previous_release_is_read_once_per_build(
    mini_data: Path, site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The published-records check (before anything is written) and the change list of the release
    (after) compare the same changed tables: each file is parsed once (gather once, issue 17)."""
    from collections import Counter

    import generator.core.records as records

    rewrite_csv(mini_data / Q1 / "decisions.csv", {"title": NEW_TITLE})
    add_entries(mini_data / Q1, "corrections", [correction()])
    parsed: Counter[str] = Counter()
    original = records.read_records

    def counted(path: Path, table: str) -> dict:
        parsed[str(path)] += 1
        return original(path, table)

    monkeypatch.setattr(records, "read_records", counted)
    build(mini_data, site, log=None)
    published = [p for p in parsed if p.startswith(str(site))]
    assert any(p.endswith("fgw/2025Q1/decisions.csv") for p in published)  # the changed table was compared
    assert max(parsed.values()) == 1, [p for p, n in parsed.items() if n > 1]
