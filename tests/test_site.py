"""The built site, read the way a citizen or a journalist meets it: built HTML and files."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from frictionless import validate

from generator.build import BuildFailed, build
from generator.core.schema import field_names, resource_descriptor, resource_spec
from generator.core.urls import path_for
from generator.search import DOCUMENTS_PER_FRAGMENT_FILE, find_binary
from generator.sources.load import load_portal

from .conftest import DEMO_DATA, SITE_NAV, search_fragments, site_fragments


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def page(site: Path, path: str) -> BeautifulSoup:
    return soup(site / path / "index.html")


def tree_digest(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def rewrite_csv(path: Path, change: dict[str, str], row_index: int = 0) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
        fields = list(rows[0].keys())
    rows[row_index].update(change)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def add_entries(package: Path, name: str, rows: list[dict[str, str]]) -> None:
    """Append rows to the package's corrections.csv or withdrawals.csv, creating it (and listing it
    in datapackage.json) when it is not there yet, as a clerk would."""
    path = package / resource_spec(name)["path"]
    new = not path.exists()
    with path.open("a", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=field_names(name), lineterminator="\n")
        if new:
            writer.writeheader()
        writer.writerows(rows)
    descriptor_path = package / "datapackage.json"
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    if name not in [r["name"] for r in descriptor["resources"]]:
        descriptor["resources"].append(resource_descriptor(name))
        descriptor_path.write_text(
            json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )


def _title_correction(decision_id: str, old: str, new: str) -> dict[str, str]:
    return {"table": "decisions", "record_id": decision_id, "field": "title", "old_value": old,
            "new_value": new, "reason": "名称更正", "corrected_on": "2025-07-01"}  # fmt: skip


@pytest.fixture(scope="module")
def portal():
    return load_portal(DEMO_DATA)


def test_every_page_is_marked_demo_data_and_chinese(demo_site: Path) -> None:
    pages = sorted(demo_site.rglob("index.html"))
    assert len(pages) > 405  # every decision has its own page, plus units, quarters, hearings
    for path in [*pages[:: max(1, len(pages) // 60)], demo_site / "index.html", demo_site / "404.html"]:
        html = soup(path)
        assert html.html["lang"] == "zh", path
        banner = html.select_one(".gk-demo-banner")
        assert banner is not None and "示例数据" in banner.text, path


def test_home_shows_latest_quarter_totals_from_the_data(demo_site: Path, portal) -> None:
    latest = portal.periods[-1]
    disclosures = [d for d in portal.disclosures if d.period == latest]
    home = soup(demo_site / "index.html")
    stats = {
        s.select_one(".gk-stat__l").text: int(s.select_one(".gk-stat__n").text)
        for s in home.select(".gk-stat")
    }
    assert stats["个单位公开"] == len(disclosures) == 7
    assert stats["次会议"] == sum(len(d.meetings) for d in disclosures)
    assert stats["项决策事项"] == sum(len(d.decisions) for d in disclosures)
    assert stats["项权力清单"] == sum(len(d.power_items) for d in disclosures)
    assert stats["条负面清单"] == sum(len(d.negative_items) for d in disclosures)
    categories = home.select_one(".gk-by-category")
    assert [th.text for th in categories.select("th")] == [
        "重大事项决策",
        "重要干部任免",
        "重大项目安排",
        "大额度资金运作",
    ]
    recent = home.select("#recent ~ .gk-table-wrap tbody tr")
    assert len(recent) == 10
    dates = [row.select_one("td").text for row in recent]
    assert dates == sorted(dates, reverse=True)
    assert home.select_one("form.gk-home-search input[name=q]") is not None


def test_decision_page_shows_meeting_votes_and_stances_in_speaking_order(demo_site: Path, portal) -> None:
    decision = next(d for d in portal.decisions() if d.hearing and d.power_item and d.amount_yuan)
    html = page(demo_site, path_for(decision))
    assert html.select_one("article h1").text == decision.title
    facts = dict(
        zip(
            [dt.text for dt in html.select(".gk-facts dt")],
            [dd.text for dd in html.select(".gk-facts dd")],
            strict=True,
        )
    )
    assert decision.meeting.title in facts["会议"] and decision.meeting.date in facts["会议"]
    assert facts["决策结果"] == decision.result and facts["表决方式"] == decision.vote_method
    assert facts["执行状态"] == decision.execution_status
    assert "万元" in facts["涉及金额"] or "元" in facts["涉及金额"]
    rows = html.select(".gk-stances tbody tr")
    assert [r.select("td")[1].text.replace("主要负责人", "") for r in rows] == [
        s.member.name for s in decision.stances
    ]
    assert "gk-principal" in rows[-1].get("class", [])  # the principal speaks last
    power_link = html.select_one(f'a[href$="#power-{decision.power_item.item_id}"]')
    assert power_link is not None
    unit_page = (demo_site / path_for(decision.disclosure.unit) / "index.html").read_text(encoding="utf-8")
    assert f'id="power-{decision.power_item.item_id}"' in unit_page
    hearing_link = html.select_one(f'a[href$="{path_for(decision.hearing)}"]')
    assert hearing_link is not None and (demo_site / path_for(decision.hearing) / "index.html").exists()
    assert [li.select_one("span").text for li in html.select(".gk-checklist li")] == [
        "调查研究", "专家论证", "风险评估", "合法性审查", "预案"
    ]  # fmt: skip


def test_unit_page_has_members_power_flow_charts_negative_list_and_quarters(demo_site: Path, portal) -> None:
    for unit in portal.units:
        html = page(demo_site, path_for(unit))
        latest = unit.latest
        assert len(html.select("details.gk-power")) == len(latest.power_items)
        flows = html.select("ol.gk-flow")
        assert len(flows) == sum(1 for item in latest.power_items if item.steps)
        first = next(item for item in latest.power_items if item.steps)
        steps = html.select_one(f"#power-{first.item_id} ol.gk-flow").select(".gk-flow__name")
        assert [s.text for s in steps] == [s.step for s in first.steps]
        negative = html.find(id="negative").find_parent("details")
        assert len(negative.select(".gk-table-wrap tbody tr")) == len(latest.negative_items)
        principal = html.select_one("tr.gk-principal")
        assert principal is not None and latest.principal.name in principal.text
        quarter_links = {
            a["href"].rstrip("/").split("/")[-1]
            for a in html.find(id="by-quarter").find_parent("details").select(".gk-table-wrap a")
            if "units/" in a["href"]
        }
        assert {str(d.period) for d in unit.disclosures} <= quarter_links


def test_quarter_page_lists_every_unit_with_downloads(demo_site: Path, portal) -> None:
    for period in portal.periods:
        html = page(demo_site, path_for(period))
        rows = html.select_one("table").select("tbody tr")
        assert len(rows) == len([d for d in portal.disclosures if d.period == period])
        for row in rows:
            zip_href = row.select_one('a[href$=".zip"]')["href"]
            assert (demo_site / path_for(period) / zip_href).resolve().exists()


def test_downloads_are_real_valid_data_packages(demo_site: Path, portal, tmp_path: Path) -> None:
    dis = portal.disclosures[0]
    html = page(demo_site, path_for(dis))
    links = [a["href"] for a in html.select(".gk-downloads a")]
    assert len(links) == 10  # zip, datapackage.json and 8 CSV files
    for href in links:
        target = (demo_site / path_for(dis) / href).resolve()
        assert target.is_file() and target.stat().st_size > 0
    archive = zipfile.ZipFile(io.BytesIO((demo_site / path_for(dis) / links[0]).resolve().read_bytes()))
    # the package's files at the top of the zip, so that `frictionless validate` reads it as a package
    assert sorted(archive.namelist()) == sorted(["datapackage.json", *[Path(h).name for h in links[2:]]])
    archive.extractall(tmp_path)
    report = validate(tmp_path / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    # the CSV served is the file that was committed, byte for byte
    assert (demo_site / path_for(dis) / links[2]).resolve().read_bytes() == (
        dis.path / Path(links[2]).name
    ).read_bytes()


def test_data_dictionary_is_generated_from_the_schemas(demo_site: Path) -> None:
    html = page(demo_site, "data/")
    schema = json.loads(
        (Path(__file__).parent.parent / "generator" / "schemas" / "decisions.json").read_text(
            encoding="utf-8"
        )
    )
    table = html.select_one("#table-decisions + p + .gk-table-wrap table")
    names = [row.select_one("code").text for row in table.select("tbody tr")]
    assert names == [f["name"] for f in schema["schema"]["fields"]]
    category_row = next(r for r in table.select("tbody tr") if r.select_one("code").text == "category")
    assert "大额度资金运作" in category_row.text


def test_record_pages_stay_out_of_the_nav_and_carry_one_copy_of_it(demo_site: Path, portal) -> None:
    decision = portal.decisions()[0]
    path = demo_site / path_for(decision) / "index.html"
    doc = soup(path)
    # the tabs, which are also the phone's drawer: every top-level page, and 开放接口 under 数据说明
    tabs = [a.get_text() for a in doc.select("nav.md-tabs a.md-tabs__link")]
    assert tabs == SITE_NAV
    # no side bar repeats them (nor an empty table of contents)
    assert doc.select(".md-sidebar, .md-nav") == []
    assert path.stat().st_size < 60_000


def test_record_pages_carry_no_template_indentation(demo_site: Path, portal) -> None:
    # The templates' indentation is for their editors; every page would otherwise carry it.
    for record in (portal.decisions()[0], portal.decisions()[0].disclosure.unit):
        html = (demo_site / path_for(record) / "index.html").read_text(encoding="utf-8")
        body = html[html.index('<article class="md-content__inner') :]
        indented = [line for line in body.splitlines() if line[:1] in (" ", "\t")]
        assert indented == [], indented[:3]


def test_no_asset_is_loaded_from_another_host(demo_site: Path) -> None:
    external = re.compile(
        r"""(?:src|href)=["'](?:https?:)?//|url\(\s*["']?(?:https?:)?//|import\(["']https?:"""
    )
    for path in (
        list(demo_site.rglob("*.html"))[::25] + list(demo_site.rglob("*.css")) + list(demo_site.rglob("*.js"))
    ):
        text = path.read_text(encoding="utf-8", errors="replace")
        for match in external.finditer(text):
            context = text[max(0, match.start() - 200) : match.end() + 80]
            # plain links to other sites (licence, data standard) are fine; loaded assets are not
            assert re.search(r"<a\s[^>]*$", text[max(0, match.start() - 300) : match.start()]), (
                f"{path}: {context}"
            )


def test_text_from_data_is_escaped_never_evaluated(mini_data: Path, tmp_path: Path) -> None:
    package = sorted(p for p in mini_data.glob("*/*Q*") if p.is_dir())[0]
    hostile = "<script>alert(1)</script>{{ 7*7 }}**粗体**<img src=x onerror=alert(2)>"
    rewrite_csv(
        package / "decisions.csv",
        {"title": "关于" + hostile, "summary": "{% raw %}[链接](javascript:alert(3))"},
    )
    out = tmp_path / "site"
    build(mini_data, out, log=None)
    with (package / "decisions.csv").open(encoding="utf-8") as handle:
        decision_id = next(csv.DictReader(handle))["decision_id"]
    decision = out / "decisions" / package.parent.name / decision_id / "index.html"
    text = decision.read_text(encoding="utf-8")
    assert "<script>alert(1)" not in text and "<img src=x" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;{{ 7*7 }}**粗体**" in text
    assert "{% raw %}[链接](javascript:alert(3))" in text and 'href="javascript' not in text
    assert "49" not in soup(decision).select_one("article h1").text


def test_same_input_gives_byte_identical_output(mini_data: Path, tmp_path: Path) -> None:
    build(mini_data, tmp_path / "a", log=None)
    build(mini_data, tmp_path / "b", log=None)
    assert tree_digest(tmp_path / "a") == tree_digest(tmp_path / "b")


def test_invalid_data_is_refused_and_the_last_good_site_stays(mini_data: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build(mini_data, out, log=None)
    before = tree_digest(out)
    package = sorted(p for p in mini_data.glob("*/*Q*") if p.is_dir())[0]
    rewrite_csv(package / "decisions.csv", {"category": "重大决策"})
    result = subprocess.run(
        [sys.executable, "-m", "generator.cli", "build", "--data", str(mini_data), "--out", str(out)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert "decisions.csv" in result.stderr and "重大决策" in result.stderr and "事项类别" in result.stderr
    assert "网站未更新" in result.stderr
    assert tree_digest(out) == before
    assert not list(tmp_path.glob(".site.*")), "no staging directory may be left behind"


def test_a_portal_repository_builds_with_relative_paths_from_its_own_folder(
    mini_data: Path, tmp_path: Path
) -> None:
    """A unit's portal repository (portal-ci/) runs ``gongkai build --data data --out site`` in its
    own folder, not in Gongkai's: relative paths are the working directory's."""
    result = subprocess.run(
        [sys.executable, "-m", "generator.cli", "build", "--data", "data", "--out", "site"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert (tmp_path / "site" / "index.html").is_file()
    assert (tmp_path / "site" / "pagefind" / "pagefind.js").is_file()
    assert not list((tmp_path / "site" / "pagefind").glob("pagefind-*ui*")), "Pagefind's own UI is unused"
    assert not list(tmp_path.glob(".site.*")), "no staging directory may be left behind"


def test_build_refuses_to_overwrite_a_directory_it_did_not_make(mini_data: Path, tmp_path: Path) -> None:
    precious = tmp_path / "documents"
    precious.mkdir()
    (precious / "论文.docx").write_text("重要", encoding="utf-8")
    with pytest.raises(BuildFailed, match="拒绝覆盖"):
        build(mini_data, precious, log=None)
    assert (precious / "论文.docx").read_text(encoding="utf-8") == "重要"


def test_sitemap_lists_record_pages_when_the_site_url_is_known(mini_data: Path, tmp_path: Path) -> None:
    config = mini_data / "portal.yml"
    config.write_text(
        config.read_text(encoding="utf-8") + "\nsite_url: https://gongkai.example.cn/\n", encoding="utf-8"
    )
    out = tmp_path / "site"
    build(mini_data, out, log=None)
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    portal = load_portal(mini_data)
    for decision in portal.decisions():
        assert f"https://gongkai.example.cn/{path_for(decision)}" in sitemap
    assert "_gk_shell" not in sitemap


def test_gongkai_serve_previews_the_built_site_on_loopback(demo_site: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [
        sys.executable,
        "-m",
        "generator.cli",
        "serve",
        "--no-build",
        "--out",
        str(demo_site),
        "--port",
        str(port),
    ]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/decisions/", timeout=2) as response:
                    raise AssertionError(f"directory listing served: {response.status}")
            except urllib.error.HTTPError as error:
                assert error.code == 404
                break
            except urllib.error.URLError:
                assert time.monotonic() < deadline, "gongkai serve did not start"
                time.sleep(0.2)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
            assert "示例数据" in response.read().decode("utf-8")
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=10)
    assert f"http://127.0.0.1:{port}/" in output


def test_an_unwritable_output_location_gets_a_chinese_message_not_a_traceback(mini_data: Path) -> None:
    command = [
        sys.executable,
        "-m",
        "generator.cli",
        "build",
        "--data",
        str(mini_data),
        "--out",
        "/proc/gongkai/site",
    ]
    result = subprocess.run(command, capture_output=True, text=True)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "内部错误" in result.stderr and "/proc/gongkai" in result.stderr


def _correct_a_title_of_2025q2(data: Path) -> None:
    """fgw's 2025Q2 decision jc2025-004 gets a new title, with its correction entry."""
    rewrite_csv(data / "fgw" / "2025Q2" / "decisions.csv", {"title": "关于调整老旧小区改造资金的决定"})
    old_title = "关于印发《示例市营商环境优化行动方案》的决定"
    add_entries(
        data / "fgw" / "2025Q2",
        "corrections",
        [_title_correction("jc2025-004", old_title, "关于调整老旧小区改造资金的决定")],
    )


def _published(root: Path) -> dict[str, str]:
    """Every file of a built site by its digest, but for the release history (manifests, 更新记录),
    which a rebuild changes as a new release."""
    history = ("manifest.json", "releases/", "changelog/")
    return {path: digest for path, digest in tree_digest(root).items() if not path.startswith(history)}


def test_a_quarterly_rebuild_reindexes_only_the_changed_quarter_and_equals_a_cold_build(
    mini_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = mini_data / "portal.yml"
    config.write_text(config.read_text(encoding="utf-8") + "\nsearch_shard_size: 1\n", encoding="utf-8")
    monkeypatch.setenv("GONGKAI_CACHE_DIR", str(tmp_path / "cache"))
    first = build(mini_data, tmp_path / "site", log=None)
    # 2025Q2 (one record) whole; 2025Q1 (six) cut at each of its five dates, the oldest shard with
    # the undated pages.
    assert (first.shards, first.shards_reused) == (6, 0)
    again = build(mini_data, tmp_path / "site", log=None)
    assert again.up_to_date  # nothing changed: nothing to index again
    _correct_a_title_of_2025q2(mini_data)
    warm = build(mini_data, tmp_path / "site", log=None)
    assert warm.shards_reused == 5  # only the changed quarter's shard was indexed again
    # The cache kept what this build used of its largest entries, not the changed shard's old pack,
    # the old bulk downloads or fgw's old search documents: a cache kept between CI runs stays the
    # size of one build's.
    # (Hidden names are the removed entries on their way out: a detached rm deletes them.)
    cache = tmp_path / "cache"

    def entries(kind: str) -> list[Path]:
        return [path for path in (cache / kind).iterdir() if not path.name.startswith(".")]

    assert len(entries("pagefind")) == warm.shards == 6
    assert len(entries("opendata-bulk")) == 1
    assert len(entries("unit-documents")) == len({path.parent.name for path in mini_data.glob("*/*Q*")})
    monkeypatch.setenv("GONGKAI_CACHE_DIR", str(tmp_path / "cold-cache"))
    build(mini_data, tmp_path / "cold", log=None)
    # Only the release history differs: the rebuilt site is release 2, chained to release 1.
    assert _published(tmp_path / "site") == _published(tmp_path / "cold")


def test_search_bundles_a_build_placed_with_pagefinds_own_interfaces_are_indexed_again(
    mini_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A site (and cache) from a build that put Pagefind's UI files into every bundle: after an
    upgrade, a rebuild keeps no such bundle as it is, neither from the site nor from the cache (the
    bundle's key holds ``BUNDLE_FORMAT``), so none of those files is left and it equals a cold build."""
    from generator import search

    config = mini_data / "portal.yml"
    config.write_text(config.read_text(encoding="utf-8") + "\nsearch_shard_size: 1\n", encoding="utf-8")
    monkeypatch.setenv("GONGKAI_CACHE_DIR", str(tmp_path / "cache"))
    with monkeypatch.context() as older:
        older.setattr(search, "BUNDLE_FORMAT", "b1")
        older.setattr(search, "UNUSED_FILES", frozenset())
        build(mini_data, tmp_path / "site", log=None)
    assert list((tmp_path / "site").glob("pagefind*/pagefind-ui.js"))
    _correct_a_title_of_2025q2(mini_data)
    warm = build(mini_data, tmp_path / "site", log=None)
    assert warm.shards_reused == 0
    assert not list((tmp_path / "site").glob("pagefind*/pagefind-*ui*"))
    monkeypatch.setenv("GONGKAI_CACHE_DIR", str(tmp_path / "cold-cache"))
    build(mini_data, tmp_path / "cold", log=None)
    assert _published(tmp_path / "site") == _published(tmp_path / "cold")


def test_a_build_that_fails_midway_leaves_the_previous_site_unchanged(
    mini_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "site"
    build(mini_data, out, log=None)
    before = tree_digest(out)
    first = sorted(mini_data.glob("*/*Q*/decisions.csv"))[0]
    rewrite_csv(first, {"title": "关于更正后的事项名称"})
    correction = _title_correction("jc2025-001", "关于城东综合交通枢纽项目立项的决定", "关于更正后的事项名称")
    add_entries(first.parent, "corrections", [correction])
    # Pages are rendered, then the search indexer fails (a broken Pagefind install): a real midway failure.
    broken = tmp_path / "pagefind_extended"
    broken.write_text(
        "#!/bin/sh\n[ \"$1\" = --version ] && echo 'pagefind 1.6.0' && exit 0\necho 磁盘已满 >&2\nexit 3\n"
    )
    broken.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(broken))
    monkeypatch.setenv("GONGKAI_CACHE_DIR", str(tmp_path / "empty-cache"))
    with pytest.raises(BuildFailed, match="生成检索索引失败（Pagefind 退出码 3）"):
        build(mini_data, out, log=None)
    assert tree_digest(out) == before
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".site.")], (
        "no staging directory left"
    )


def test_a_rebuild_replaces_the_site_and_removes_the_old_one(mini_data: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build(mini_data, out, log=None)
    (out / "stale.txt").write_text("上一版的文件", encoding="utf-8")
    build(mini_data, out, log=None)
    assert (out / "index.html").is_file() and not (out / "stale.txt").exists()
    deadline = time.monotonic() + 30
    while list(tmp_path.glob(".site.old-*")) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not list(tmp_path.glob(".site.old-*")), "the replaced site is deleted (in the background)"


def test_record_pages_point_their_icons_at_symbols_of_the_sprite(demo_site: Path, portal) -> None:
    sprite = BeautifulSoup(
        (demo_site / "assets/gongkai-icons.svg").read_text(encoding="utf-8"), "html.parser"
    )
    symbols = {symbol["id"] for symbol in sprite.select("symbol") if symbol.select("path")}
    hearing = next(h for disclosure in portal.disclosures for h in disclosure.hearings)
    for record in (portal.decisions()[0], portal.decisions()[0].disclosure.unit, hearing):
        html = soup(demo_site / path_for(record) / "index.html")
        uses = html.select("svg > use")
        assert len(uses) >= 5 and not html.select("svg > path"), path_for(record)
        for use in uses:
            target, _, symbol = use["href"].partition("#")
            assert (demo_site / path_for(record) / target).resolve() == (
                demo_site / "assets/gongkai-icons.svg"
            )
            assert symbol in symbols, use["href"]


def test_pagefind_failing_on_a_later_shard_fails_the_build_even_while_the_last_is_placed(
    mini_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Shards are indexed one after another, each one's bundle placed while Pagefind runs on the
    next (``generator.search``): a Pagefind that says more than a pipe holds still finishes, and one
    that fails on a later shard fails the build with its message, the site as it was."""
    config = mini_data / "portal.yml"
    config.write_text(config.read_text(encoding="utf-8") + "\nsearch_shard_size: 1\n", encoding="utf-8")
    out = tmp_path / "site"
    monkeypatch.setenv("GONGKAI_CACHE_DIR", str(tmp_path / "cache"))
    build(mini_data, out, log=None)
    before = tree_digest(out)
    real = find_binary()
    count = tmp_path / "runs"
    # Chatty (200 KB on stdout before indexing, more than a pipe holds), and failing on its third run.
    chatty = tmp_path / "pagefind_extended"
    chatty.write_text(
        "#!/bin/sh\n"
        f'[ "$1" = --version ] && exec "{real}" --version\n'
        f'echo x >> "{count}"\n'
        f'if [ "$(wc -l < "{count}")" -ge 3 ]; then echo 磁盘已满 >&2; exit 3; fi\n'
        "head -c 200000 /dev/zero | tr '\\\\0' x\n"
        f'exec "{real}" "$@"\n'
    )
    chatty.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(chatty))
    monkeypatch.setenv("GONGKAI_CACHE_DIR", str(tmp_path / "empty-cache"))
    with pytest.raises(BuildFailed, match="生成检索索引失败（Pagefind 退出码 3）"):
        build(mini_data, tmp_path / "other", log=None)
    assert int(count.read_text().count("x")) >= 3
    assert tree_digest(out) == before
    assert not (tmp_path / "other").exists()


def test_a_search_bundle_keeps_its_pages_fragments_four_to_a_file(demo_site: Path) -> None:
    """Pagefind writes a file per page unless told otherwise (a third of the site's files): each
    bundle holds its pages' fragments in groups of ``DOCUMENTS_PER_FRAGMENT_FILE``, and every page
    it counts has its fragment."""
    bundles = sorted(demo_site.glob("pagefind*/"))
    assert bundles
    for bundle in bundles:
        pages = json.loads((bundle / "pagefind-entry.json").read_text("utf-8"))["languages"]["zh"][
            "page_count"
        ]
        files = list((bundle / "fragment").iterdir())
        assert len(search_fragments(bundle)) == pages, bundle.name
        assert len(files) == -(-pages // DOCUMENTS_PER_FRAGMENT_FILE), (bundle.name, pages, len(files))


def test_search_text_reads_as_sentences_not_as_filter_values_run_together(demo_site: Path) -> None:
    """What Pagefind shows of a result is its indexed text: the filters and metadata (type, unit,
    category, quarter, result, date) are not part of it, run together as
    "决策事项第6能源集团党委大额度资金运作2025年第四季度通过 2025-12-31"; a decision's quarter, category
    and result are a clause of it, and still filter."""
    portal = load_portal(DEMO_DATA)
    fragments = site_fragments(demo_site)
    for d in portal.decisions()[:50]:
        assert d.disclosure is not None
        fragment = fragments["/" + path_for(d)]
        text = fragment["content"].replace("\u200b", "")
        unit = d.disclosure.unit.short_name
        assert f"{d.disclosure.period.label}，{d.category}，{d.result}。" in text, text
        assert "决策事项" not in text and d.date not in text and unit + d.category not in text, text
        assert fragment["filters"]["类别"] == [d.category] and fragment["filters"]["类型"] == ["决策事项"]
        assert fragment["meta"]["date"] == d.date


def test_a_hand_written_pages_search_text_holds_neither_heading_links_nor_its_filter(demo_site: Path) -> None:
    """如何阅读, 关于本站 and 数据说明 are searchable: their indexed text is their prose, without the
    "¶" MkDocs puts after each heading and without the hidden "说明 0000-00-00" of their filter and sort
    date (both showed in their excerpts); the filter still says 说明."""
    fragments = site_fragments(demo_site)
    for url in ("/guide/", "/about/", "/data/"):
        text = fragments[url]["content"].replace("\u200b", "")
        assert "¶" not in text and "0000-00-00" not in text and not text.rstrip().endswith("说明"), text[-80:]
        assert fragments[url]["filters"]["类型"] == ["说明"]
