"""A government site's identity and the portal's own words: the footer of every page gives the
主办单位, 承办单位, 联系方式, 网站标识码, ICP 备案号 and 公安机关备案号 from ``portal.yml``; a 网站地图
page lists every section, unit and quarter; each rule's 依据 names a document, never an internal
file; no reader's page shows a setting key; amounts on the quarter comparison have thousands
separators."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from urllib.parse import urljoin

import pytest
import yaml
from bs4 import BeautifulSoup

from generator.build import build
from generator.core.config import ConfigError, PortalConfig, load_config
from generator.render.pages import wan
from generator.rules import REGISTRY

IDENTITY = {
    "sponsor": "示例县<script>alert(1)</script>人民政府办公室",
    "operator": "示例县大数据中心 & 信息科",
    "contact": "电话 0000-1234567，地址 示例县人民路 1 号",
    "icp": "示ICP备12345678号-1",
    "police_record": "示公网安备00000000000001号",
    "site_code": "0000000001",
}
#: Every setting a portal operator writes in portal.yml (the portal's own settings, the rules' names
#: and their thresholds): none may show on a page for readers. Table names (stances, negative_list)
#: are the names of download files and are left out.
TABLE_NAMES = {"negative_list", "stances", "categories", "quarters", "title"}
SETTING_KEYS = sorted(
    (
        {f.name for f in dataclasses.fields(PortalConfig) if "_" in f.name}
        | set(REGISTRY)
        | {key for rule in REGISTRY.values() for key in rule.info.params}
        | {"severity", "enabled"}
    )
    - TABLE_NAMES
)


def write_portal(data: Path, **settings: object) -> None:
    config = yaml.safe_load((data / "portal.yml").read_text(encoding="utf-8"))
    config.update(settings)
    (data / "portal.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")


def visible_text(html: str) -> str:
    doc = BeautifulSoup(html, "html.parser")
    for hidden in doc(["script", "style", "svg", "head"]):
        hidden.decompose()
    return doc.get_text(" ")


@pytest.fixture
def identity_site(mini_data: Path, tmp_path: Path) -> Path:
    write_portal(mini_data, **IDENTITY)
    out = tmp_path / "site"
    build(mini_data, out, log=None)
    return out


def footer_of(path: Path) -> BeautifulSoup:
    doc = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    footers = doc.select("footer.md-footer")
    assert len(footers) == 1, path
    return footers[0]


def test_every_page_shows_the_site_identity_in_its_footer(identity_site: Path) -> None:
    pages = sorted(identity_site.rglob("*.html"))
    kinds = {path.relative_to(identity_site).parts[0] for path in pages}
    assert {
        "index.html",
        "404.html",
        "guide",
        "sitemap",
        "decisions",
        "hearings",
        "units",
        "quarters",
    } <= kinds
    for path in pages:
        footer = footer_of(path)
        text = " ".join(footer.get_text(" ").split())
        for label, key in (("主办单位：", "sponsor"), ("承办单位：", "operator"), ("联系方式：", "contact")):
            assert label + IDENTITY[key] in text, path  # the text as written, shown as text
        assert "网站标识码：" + IDENTITY["site_code"] in text, path
        icp = footer.find("a", string=IDENTITY["icp"])
        assert icp is not None and icp["href"] == "https://beian.miit.gov.cn/", path
        police = footer.find("a", string=IDENTITY["police_record"])
        assert police is not None and police["href"] == "https://beian.mps.gov.cn/", path
        assert footer.find("script") is None and footer.find("img") is None, path  # escaped; no loads
        sitemap = footer.find("a", string="网站地图")
        page_url = "http://h/" + path.relative_to(identity_site).as_posix()
        assert sitemap is not None and urljoin(page_url, sitemap["href"]) == "http://h/sitemap/", path


def test_a_portal_without_identity_settings_shows_no_empty_labels(mini_data: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build(mini_data, out, log=None)
    for path in (out / "index.html", next((out / "decisions").rglob("index.html"))):
        text = footer_of(path).get_text()
        assert "主办单位" not in text and "备案" not in text and "网站标识码" not in text, path


@pytest.mark.parametrize("key", ["sponsor", "icp", "site_code"])
def test_identity_settings_are_single_lines_of_text(tmp_path: Path, key: str) -> None:
    (tmp_path / "portal.yml").write_text(f"{key}: 12345\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=f"“{key}”应为文字"):
        load_config(tmp_path)
    (tmp_path / "portal.yml").write_text(f'{key}: "第一行\\n第二行"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="换行符"):
        load_config(tmp_path)


def test_demo_footer_is_marked_as_an_example(demo_site: Path) -> None:
    text = footer_of(demo_site / "index.html").get_text(" ")
    for label in ("主办单位", "承办单位", "联系方式", "网站标识码"):
        assert re.search(label + r"：[^　]*（示例）", text), label


def test_sitemap_lists_every_section_unit_and_quarter(demo_site: Path) -> None:
    doc = BeautifulSoup((demo_site / "sitemap" / "index.html").read_text(encoding="utf-8"), "html.parser")
    article = doc.select_one("article")
    links = {a["href"].removeprefix("../").rstrip("/") for a in article.find_all("a", href=True)}
    sections = ["", "units", "quarters", "search", "data", "api", "downloads", "changelog", "guide", "about"]
    for section in sections:
        assert section in links, section
    units = sorted(p.name for p in (demo_site / "units").iterdir() if (p / "index.html").is_file())
    assert len(units) >= 6
    for unit in units:
        assert f"units/{unit}" in links, unit
        for period in (demo_site / "units" / unit).iterdir():
            if (period / "index.html").is_file():
                assert f"units/{unit}/{period.name}" in links, (unit, period.name)
    quarters = [p.name for p in (demo_site / "quarters").iterdir() if (p / "index.html").is_file()]
    assert quarters and all(f"quarters/{q}" in links for q in quarters)
    # the nav carries it too
    assert doc.find("a", class_="md-tabs__link", string=re.compile("网站地图"))


def test_rule_bases_name_documents_and_no_reader_page_shows_a_setting_key(demo_site: Path) -> None:
    assert "advance_notice" in SETTING_KEYS and "min_days" in SETTING_KEYS and "site_code" in SETTING_KEYS
    pages = sorted(demo_site.rglob("*.html"))
    assert len(pages) > 300
    for path in pages:
        html = path.read_text(encoding="utf-8")
        assert "种子文件" not in html and "种子" not in visible_text(html), path
        if path.relative_to(demo_site).parts[0] in ("api", "data"):
            continue  # the data dictionary and the interface document column names for programmers
        text = visible_text(html)
        for key in SETTING_KEYS:
            assert not re.search(rf"(?<![A-Za-z_]){key}(?![A-Za-z_])", text), (path, key)
    guide = visible_text((demo_site / "guide" / "index.html").read_text(encoding="utf-8"))
    assert "议题材料至少提前 1 天送达" in guide  # the settings in words
    assert "《在全市党委（党组）落实“三重一大”决策制度监督实效试点工作推进会上的交流发言》" in guide
    decision = next((demo_site / "decisions").rglob("index.html"))
    assert "《" in visible_text(decision.read_text(encoding="utf-8"))


def test_every_rule_with_settings_says_them_in_words() -> None:
    for rule in REGISTRY.values():
        words = rule.info.describe(rule.info.params)
        assert bool(words) == bool(rule.info.params), rule.info.slug
        assert not re.search(r"[A-Za-z_]{3,}", words), (rule.info.slug, words)


def test_amounts_on_the_quarter_comparison_have_thousands_separators(demo_site: Path) -> None:
    assert wan(4396380000) == "439,638.00" and wan(12345) == "1.23" and wan(0) == "0.00"
    quarters = [p for p in (demo_site / "quarters").iterdir() if (p / "index.html").is_file()]
    amounts = []
    for quarter in quarters:
        doc = BeautifulSoup((quarter / "index.html").read_text(encoding="utf-8"), "html.parser")
        table = doc.find(id="comparison").find_next("table")
        column = [th.get_text() for th in table.select("thead th")].index("涉及金额（万元）")
        amounts += [row.find_all("td")[column].get_text() for row in table.select("tbody tr")]
    assert amounts and all(re.fullmatch(r"\d{1,3}(,\d{3})*\.\d{2}", a) for a in amounts), amounts
    assert any("," in a for a in amounts)
