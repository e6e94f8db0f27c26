"""The documents' rules: each checked on data that meets it and data that breaks it, in Chinese."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator.build import BuildFailed, build
from generator.core.cache import Cache
from generator.core.config import ConfigError
from generator.core.model import History, Portal
from generator.rules import REGISTRY, Outcome, RuleReport, check_portal, outcomes_file
from generator.sources.load import load_portal

from .test_site import rewrite_csv

Q1 = Path("fgw") / "2025Q1"


def check(data: Path) -> RuleReport:
    return check_portal(load_portal(data))


def outcomes(report: RuleReport, rule: str, record: str) -> list:
    return [o for o in report.outcomes if o.rule == rule and o.record == record and o.unit_id == "fgw"]


def assert_met(data: Path, rule: str, record: str) -> None:
    found = outcomes(check(data), rule, record)
    assert found and all(o.passed for o in found), found


def assert_broken(data: Path, rule: str, record: str, *says: str) -> None:
    found = [o for o in outcomes(check(data), rule, record) if not o.passed]
    assert found, f"{rule} did not flag {record}"
    for text in says:
        assert text in found[0].message, found[0].message


def test_every_registered_rule_is_documented() -> None:
    assert len(REGISTRY) >= 12
    for slug, rule in REGISTRY.items():
        assert rule.info.slug == slug and rule.info.title and rule.info.summary and rule.info.basis
        assert "《" in rule.info.basis and "种子" not in rule.info.basis  # names the document, not a file


def test_principal_states_last(mini_data: Path) -> None:
    assert_met(mini_data, "last_stance", "decision:jc2025-001")
    stances = mini_data / Q1 / "stances.csv"
    rewrite_csv(stances, {"member_id": "fgw-m01"}, row_index=1)
    rewrite_csv(stances, {"member_id": "fgw-m02"}, row_index=2)
    assert_broken(
        mini_data, "last_stance", "decision:jc2025-001", "主要负责人张某第 2 位表态，没有最后表态（共 3 人）"
    )


def test_every_member_present_states_a_position(mini_data: Path) -> None:
    lines = (mini_data / Q1 / "stances.csv").read_text(encoding="utf-8").splitlines()
    (mini_data / Q1 / "stances.csv").write_text("\n".join(lines[:1] + lines[2:]) + "\n", encoding="utf-8")
    assert_broken(mini_data, "last_stance", "decision:jc2025-001", "会议实到 3 人，但只有 2 人表态")


def test_advance_notice(mini_data: Path) -> None:
    assert_met(mini_data, "advance_notice", "meeting:hy2025-001")
    rewrite_csv(mini_data / Q1 / "meetings.csv", {"notice_date": "2025-01-15"})
    assert_broken(mini_data, "advance_notice", "meeting:hy2025-001", "会议当天", "应至少提前 1 天")
    report = check(mini_data)
    finding = next(o for o in report.findings if o.rule == "advance_notice")
    assert (finding.file, finding.row, finding.column) == ("fgw/2025Q1/meetings.csv", 2, "notice_date")


def test_full_record(mini_data: Path) -> None:
    assert_met(mini_data, "recorded", "meeting:hy2025-001")
    rewrite_csv(mini_data / Q1 / "meetings.csv", {"recorded": "否"})
    assert_broken(mini_data, "recorded", "meeting:hy2025-001", "未全程纪实")


def test_five_preconditions(mini_data: Path) -> None:
    assert_met(mini_data, "five_preconditions", "decision:jc2025-001")
    assert_met(mini_data, "five_preconditions", "decision:jc2025-002")  # 不适用 with a reason
    rewrite_csv(mini_data / Q1 / "decisions.csv", {"pre_risk_assessment": "未完成"})
    assert_broken(mini_data, "five_preconditions", "decision:jc2025-001", "未经风险评估即上会决策")
    rewrite_csv(mini_data / Q1 / "decisions.csv", {"exemption_reason": ""}, row_index=1)
    assert_broken(
        mini_data, "five_preconditions", "decision:jc2025-002", "专家论证标为“不适用”，但没有说明理由"
    )


def test_personnel_items_by_secret_ballot(mini_data: Path) -> None:
    assert_met(mini_data, "ballot", "decision:jc2025-003")
    rewrite_csv(mini_data / Q1 / "decisions.csv", {"vote_method": "举手表决"}, row_index=2)
    assert_broken(mini_data, "ballot", "decision:jc2025-003", "采用“举手表决”，应实行无记名票决")


def test_principal_does_not_run_finance_personnel_procurement_or_projects(mini_data: Path) -> None:
    assert_met(mini_data, "principal_portfolio", "member:fgw-m01")
    rewrite_csv(mini_data / Q1 / "members.csv", {"portfolio": "主持全面工作，分管财务和工程项目"})
    assert_broken(mini_data, "principal_portfolio", "member:fgw-m01", "含财务、工程，属于不得直接分管的领域")


def test_quorum_two_thirds_for_appointments(mini_data: Path) -> None:
    assert_met(mini_data, "quorum", "meeting:hy2025-002")  # 2 of 3 present, a personnel item: exactly 2/3
    rewrite_csv(mini_data / Q1 / "meetings.csv", {"members_present": "1"}, row_index=1)
    assert_broken(mini_data, "quorum", "meeting:hy2025-002", "审议干部任免事项", "实到 1 人", "三分之二以上")


def test_quorum_threshold_is_configurable(mini_data: Path) -> None:
    config = mini_data / "portal.yml"
    config.write_text(
        config.read_text(encoding="utf-8") + 'rules:\n  quorum:\n    appointments: "4/5"\n', encoding="utf-8"
    )
    assert_broken(mini_data, "quorum", "meeting:hy2025-002", "未达到三分之二以上（4/5）")


def test_dissent_is_recorded_with_reasons(mini_data: Path) -> None:
    stances = mini_data / Q1 / "stances.csv"
    rewrite_csv(stances, {"stance": "不同意", "remark": "测算依据不足"})
    assert_met(mini_data, "dissent_recorded", "decision:jc2025-001")
    rewrite_csv(stances, {"stance": "不同意", "remark": ""})
    assert_broken(mini_data, "dissent_recorded", "decision:jc2025-001", "王某（不同意）未记录理由")


def test_every_decision_cites_its_power_item(mini_data: Path) -> None:
    assert_met(mini_data, "power_basis", "decision:jc2025-001")
    assert_broken(mini_data, "power_basis", "decision:jc2025-003", "未注明依据的权力清单事项")


def test_money_item_led_by_the_principal_touches_the_negative_list(mini_data: Path) -> None:
    assert_met(mini_data, "negative_list", "decision:jc2025-002")
    rewrite_csv(mini_data / Q1 / "decisions.csv", {"lead_member_id": "fgw-m01"}, row_index=1)
    assert_broken(
        mini_data,
        "negative_list",
        "decision:jc2025-002",
        "由主要负责人张某直接牵头大额度资金运作事项",
        "fm-001",
    )


def test_decision_not_started_two_quarters_later(mini_data: Path) -> None:
    rewrite_csv(mini_data / Q1 / "decisions.csv", {"execution_status": "未启动"})
    assert (
        outcomes(check(mini_data), "execution_followup", "decision:jc2025-001") == []
    )  # too recent to judge
    shutil.copytree(mini_data / "fgw" / "2025Q2", mini_data / "fgw" / "2025Q3")
    assert_broken(mini_data, "execution_followup", "decision:jc2025-001", "已 2 个季度", "仍未启动执行")
    assert_met(mini_data, "execution_followup", "decision:jc2025-002")


def git(repo: Path, *args: str, date: str | None = None) -> None:
    env = dict(os.environ, GIT_AUTHOR_NAME="某单位", GIT_AUTHOR_EMAIL="unit@example.cn", GIT_COMMITTER_NAME="某单位",
               GIT_COMMITTER_EMAIL="unit@example.cn")  # fmt: skip
    if date:
        env.update(GIT_AUTHOR_DATE=f"{date}T10:00:00+08:00", GIT_COMMITTER_DATE=f"{date}T10:00:00+08:00")
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env=env)


def test_disclosure_on_time_by_git_commit_date(mini_data: Path) -> None:
    git(mini_data, "init", "-q")
    git(mini_data, "add", "portal.yml", "units.csv", "datapackage.json", "fgw/2025Q1", "rmyy")
    git(mini_data, "commit", "-q", "-m", "2025年第一季度公开", date="2025-04-10")
    git(mini_data, "add", "fgw/2025Q2")
    git(mini_data, "commit", "-q", "-m", "2025年第二季度公开", date="2025-08-01")
    report = check(mini_data)
    on_time = outcomes(report, "timely_disclosure", "package")
    assert [(o.period, o.passed) for o in on_time] == [("2025Q1", True), ("2025Q2", False)]
    assert "2025年第二季度数据于 2025-08-01 才提交公开，晚于期限 2025-07-15" in on_time[1].message


def test_error_severity_blocks_publication_like_a_validation_error(mini_data: Path, tmp_path: Path) -> None:
    config = mini_data / "portal.yml"
    config.write_text(
        config.read_text(encoding="utf-8") + "rules:\n  power_basis:\n    severity: error\n", encoding="utf-8"
    )
    with pytest.raises(BuildFailed) as failure:
        build(mini_data, tmp_path / "site", log=None)
    assert (
        "fgw/2025Q1/decisions.csv 第 4 行：【权力清单依据】未注明依据的权力清单事项" in failure.value.message
    )
    assert not (tmp_path / "site").exists()
    result = subprocess.run(
        [sys.executable, "-m", "generator.cli", "check", str(mini_data)], capture_output=True, text=True
    )
    assert result.returncode == 1 and "[错误]" in result.stdout and "Traceback" not in result.stderr


def test_warnings_publish_and_check_exits_zero(mini_data: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "generator.cli", "check", str(mini_data), "--format", "json"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    import json

    report = json.loads(result.stdout)
    assert report["valid"] is True and report["rules"]["power_basis"]["checked"] == 5
    assert {f["rule"] for f in report["findings"]} >= {"power_basis"}


@pytest.mark.parametrize(
    ("yaml", "says"),
    [
        ("rules:\n  no_such_rule: {}\n", "未知的规则“no_such_rule”"),
        ("rules:\n  quorum:\n    severity: fatal\n", "severity 应为 error 或 warning"),
        ("rules:\n  advance_notice:\n    min_hours: 24\n", "没有设置项“min_hours”"),
        ("rules:\n  advance_notice:\n    min_days: 一天\n", "类型不对"),
    ],
)
def test_bad_rule_settings_are_refused_in_chinese(mini_data: Path, yaml: str, says: str) -> None:
    config = mini_data / "portal.yml"
    config.write_text(config.read_text(encoding="utf-8") + yaml, encoding="utf-8")
    with pytest.raises(ConfigError, match=says):
        check(mini_data)
    result = subprocess.run([sys.executable, "-m", "generator.cli", "build", "--data", str(mini_data), "--out", str(mini_data.parent / "s")],
                            capture_output=True, text=True)  # fmt: skip
    assert result.returncode == 1 and says in result.stderr and "Traceback" not in result.stderr


def test_a_disabled_rule_checks_nothing(mini_data: Path) -> None:
    config = mini_data / "portal.yml"
    config.write_text(
        config.read_text(encoding="utf-8") + "rules:\n  power_basis:\n    enabled: false\n", encoding="utf-8"
    )
    assert not [o for o in check(mini_data).outcomes if o.rule == "power_basis"]


# --- shown on the built demo site ------------------------------------------------------------------


def page(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path / "index.html").read_text(encoding="utf-8"), "html.parser")


def test_demo_site_shows_breaches_on_decision_pages(demo_site: Path) -> None:
    report = check(Path(__file__).parent.parent / "data")
    assert len({o.rule for o in report.findings}) >= 6, "the demo scorecard must not be all green"
    for finding in report.findings:
        if finding.record.startswith("decision:"):
            html = page(demo_site, f"decisions/{finding.unit_id}/{finding.record[9:]}/")
            broken = [li.text for li in html.select(".gk-rule--broken")]
            assert any(finding.message in text for text in broken), (finding, broken)
            assert html.select(".gk-rule--met"), "the rules met are shown too"


def test_each_rule_names_its_basis_on_the_page_when_broken_and_links_to_it_in_the_guide(
    demo_site: Path,
) -> None:
    """A breach carries its citation on the decision page; a rule met links to its row in the guide.

    The citation is the same long text on every page, so repeating it for every rule met cost about
    2.4 KB a decision page; the guide's row holds it once.
    """
    guide = page(demo_site, "guide/")
    report = check(Path(__file__).parent.parent / "data")
    finding = next(o for o in report.findings if o.record.startswith("decision:"))
    html = page(demo_site, f"decisions/{finding.unit_id}/{finding.record[9:]}/")
    items = html.select(".gk-rules > li")
    assert items and any("gk-rule--broken" in li["class"] for li in items)
    for li in items:
        link = li.select_one("strong > a")
        slug = link["href"].split("#rule-")[1]
        assert link["href"] == f"../../../guide/#rule-{slug}" and link.text == REGISTRY[slug].info.title
        row = guide.select_one(f"tr#rule-{slug}")
        assert row is not None and REGISTRY[slug].info.basis in row.text, slug
        basis = li.select_one(".gk-rule__basis")
        if "gk-rule--broken" in li["class"]:
            assert basis is not None and basis.text == f"依据：{REGISTRY[slug].info.basis}"
        else:
            assert basis is None, "a rule met links to its basis instead of repeating it"


def test_demo_scorecard_comparison_member_pages_and_rule_list(demo_site: Path) -> None:
    card = page(demo_site, "units/rmyy/2025Q2/")
    rates = {row.select("td")[0].text: row.select("td")[1].text for row in card.select(".gk-rates tbody tr")}
    assert rates["五不上会"].split(" / ")[0] != rates["五不上会"].split(" / ")[1]
    assert card.select_one("#findings + ul .gk-rule--broken") is not None
    comparison = page(demo_site, "quarters/2025Q2/")
    table = comparison.select_one("table.gk-sortable")
    assert len(table.select("tbody tr")) == 7 and "符合率" in table.select_one("thead").text
    assert len(comparison.select("#findings + ul li")) >= 4
    trend = page(demo_site, "units/nyjt/")
    charts = trend.select("svg.gk-chart")
    assert len(charts) == 2 and all(c.select_one("title").text and c.select_one("desc").text for c in charts)
    member = page(demo_site, "units/swei/members/cy01/")
    assert "主要负责人" in member.text and "次表态" in member.text and "出席率" in member.text
    # The member's page: a row a quarter, which add up to the whole; each links the quarter's page,
    # which lists that quarter's stances one by one; the stances other than 同意 listed on the page.
    total = int(member.select_one(".gk-stat__n").text)
    quarters = member.select("#quarters ~ .gk-table-wrap .gk-member-quarters tbody tr")
    assert len(quarters) >= 2 and total > 0
    assert sum(int(row.select("td")[1].text) for row in quarters) == total
    for row in quarters:
        link = row.select_one("td a")
        assert link["href"].startswith("../../../../units/swei/members/cy01/2025Q")
        of_quarter = page(demo_site, link["href"].removeprefix("../../../../"))
        assert link.text in of_quarter.select_one("h1").text
        assert len(of_quarter.select("#stances + .gk-table-wrap tbody tr")) == int(row.select("td")[1].text)
        assert int(of_quarter.select_one(".gk-stat__n").text) == int(row.select("td")[1].text)
    agreed = sum(int(row.select("td")[2].text) for row in quarters)
    dissent = member.select("#stances ~ .gk-table-wrap .gk-member-stances tbody tr")
    assert len(dissent) == total - agreed
    assert all(row.select("td")[3].text != "同意" for row in dissent)
    guide = page(demo_site, "guide/")
    assert all(rule.info.title in guide.text for rule in REGISTRY.values())


def test_units_overdue_are_shown_from_git_dates_not_the_wall_clock(mini_data: Path, tmp_path: Path) -> None:
    git(mini_data, "init", "-q")
    git(mini_data, "add", ".")
    git(mini_data, "commit", "-q", "-m", "公开", date="2025-07-20")  # after the 2025Q2 deadline (07-15)
    out = tmp_path / "site"
    build(mini_data, out, log=None)
    quarter = page(out, "quarters/2025Q2/")
    late = [li.text for li in quarter.select("#overdue + ul li")]
    assert len(late) == 1 and "2025年第二季度的公开期限为 2025-07-15" in late[0]  # rmyy published only 2025Q1
    assert "逾期未公开" in page(out, "units/").text
    # with the rule switched off (as in the demo), nothing is reported overdue
    config = mini_data / "portal.yml"
    config.write_text(
        config.read_text(encoding="utf-8") + "rules:\n  timely_disclosure:\n    enabled: false\n",
        encoding="utf-8",
    )
    build(mini_data, out, log=None)
    assert page(out, "quarters/2025Q2/").select_one("#overdue") is None


def test_member_pages_show_the_breaches_the_member_is_party_to(demo_site: Path) -> None:
    principal = page(demo_site, "units/swei/members/cy01/")
    assert "没有最后表态" in principal.select_one("#findings + ul").text
    report = check(Path(__file__).parent.parent / "data")
    dissent = next(o for o in report.findings if o.rule == "dissent_recorded")
    decision = page(demo_site, f"decisions/{dissent.unit_id}/{dissent.record[9:]}/")
    silent = next(
        row
        for row in decision.select(".gk-stances tbody tr")
        if "不同意" in row.text and not row.select("td")[4].text
    )
    member = page(demo_site, silent.select_one("a")["href"].replace("../", "").rstrip("/") + "/")
    assert "未记录理由" in member.select_one("#findings + ul").text
    pages = [
        page(demo_site, str(p.parent.relative_to(demo_site)))
        for p in demo_site.glob("units/*/members/*/index.html")
    ]
    clean = [p for p in pages if p.select_one("#findings + p")]
    assert clean and all(
        p.select_one("#findings + p").text == "自动检查未发现涉及本人的问题。" for p in clean
    )
    assert len(clean) < len(pages)


def test_decision_pages_say_how_to_cite_them_under_which_licence(demo_site: Path) -> None:
    html = page(demo_site, "decisions/fgw/jc2025-0001/")
    cite = html.select_one(".gk-cite")
    assert (
        "引用本条记录" in cite.text
        and "jc2025-0001" in cite.text
        and "/decisions/fgw/jc2025-0001/" in cite.text
    )
    assert cite.select_one('a[rel="license"]').text == "知识共享署名 4.0 国际许可协议"
    assert (demo_site / "api" / "decisions" / "fgw" / "jc2025-0001.json").is_file()


def test_loaded_records_and_rule_outcomes_hold_each_repeated_text_once(mini_data: Path) -> None:
    """A portal's records and rule outcomes are held for the whole build: what a package repeats on
    every row (codes, dates, member IDs, set phrases) and what every outcome of a record names (its
    ID, quarter and file, the recurring messages) is one string object, not one per row (issue 19:
    100,000 decisions in 2 GB)."""
    portal = load_portal(mini_data)
    dis = portal.units[0].disclosures[0]
    stances = [s for d in dis.decisions for s in d.stances]
    by_text: dict[str, set[int]] = {}
    for s in stances:
        by_text.setdefault(s.stance, set()).add(id(s.stance))
        by_text.setdefault(s.member_id, set()).add(id(s.member_id))
    assert len(stances) > len(by_text) and all(len(ids) == 1 for ids in by_text.values())
    report = check_portal(portal)
    for attribute in ("period", "record", "message", "file"):
        texts: dict[str, set[int]] = {}
        for o in report.outcomes:
            texts.setdefault(getattr(o, attribute), set()).add(id(getattr(o, attribute)))
        assert len(report.outcomes) > len(texts), attribute
        assert all(len(ids) == 1 for ids in texts.values()), attribute


def test_a_units_outcomes_are_kept_and_judged_again_only_when_what_they_read_changes(
    mini_data: Path, tmp_path: Path
) -> None:
    """Each unit's outcomes are kept in the build cache under a key of what the rules read (issue
    19): the next build judges again only the units whose records, package dates or rule settings
    changed, and gets the very outcomes a build without the cache gets."""
    cache = Cache(tmp_path / "cache", b"k" * 32)
    (tmp_path / "cache").mkdir()

    def judged(portal: Portal) -> tuple[set[str], list[Outcome]]:
        report = check_portal(portal, cache)
        fresh = set(report.fresh)
        report.remember(cache)
        assert report.outcomes == check_portal(portal).outcomes  # as without the cache
        return fresh, report.outcomes

    portal = load_portal(mini_data)
    assert judged(portal)[0] == {"fgw", "rmyy"}
    assert judged(load_portal(mini_data))[0] == set()  # nothing changed: nothing judged again
    # A changed record: its unit only.
    rewrite_csv(
        mini_data / "rmyy" / "2025Q1" / "decisions.csv", {"execution_note": "已签订合同"}, row_index=0
    )
    assert judged(load_portal(mini_data))[0] == {"rmyy"}
    # The date its package was committed (按期公开): that unit only.
    portal = load_portal(mini_data)
    portal.history = History(packages_added={"fgw/2025Q2": "2025-07-30"})
    fresh, found = judged(portal)
    assert fresh == {"fgw"}
    assert any(o.rule == "timely_disclosure" and not o.passed for o in found)
    # A rule's setting: every unit.
    portal.config.extra["rules"] = {"timely_disclosure": {"deadline_days": 30}}
    fresh, found = judged(portal)
    assert fresh == {"fgw", "rmyy"}
    assert all(o.passed for o in found if o.rule == "timely_disclosure")
    # A damaged entry is judged again, never read as something else.
    entry = tmp_path / "cache" / outcomes_file("fgw")
    data = bytearray(entry.read_bytes())
    data[len(data) // 2] ^= 1
    entry.write_bytes(bytes(data))
    assert judged(portal)[0] == {"fgw"}
