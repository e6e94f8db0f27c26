"""Text from portal.yml is data on every page: a hostile title or publisher shows as the text it
is, in the MkDocs pages, the record pages, the 404 page and the sitemap, and never runs."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from generator.build import BuildFailed, build

TITLE = '<script>alert(1)</script>"><img src=x onerror=alert(1)>{{ 7*7 }}'
PUBLISHER = "<script>alert(2)</script>{% raw %}[x](javascript:alert(3))'><svg onload=alert(4)>&amp;"
REGION = '"><img src=x onerror=alert(5)>{% raw %}'
#: An address that config.py accepts, with characters that mean something in a URL (config.py
#: refuses those that mean something in HTML and XML: & < > " ' and the like).
SITE_URL = "https://a.example/p;q=1~x/"
#: Addresses that config.py refuses before anything is built.
REFUSED_SITE_URLS = [
    "javascript:alert(1)",
    'https://a.example/"><script>alert(1)</script>',
    "https://a.example/'onmouseover='alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "https://a.example/p&q/",
]


def write_portal(data: Path, **settings: object) -> None:
    config = yaml.safe_load((data / "portal.yml").read_text(encoding="utf-8"))
    config.update(settings)
    (data / "portal.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")


@pytest.fixture
def hostile_site(mini_data: Path, tmp_path: Path) -> Path:
    write_portal(mini_data, title=TITLE, publisher=PUBLISHER, region=REGION, site_url=SITE_URL)
    out = tmp_path / "site"
    build(mini_data, out, log=None)
    return out


def inert_problems(html: str) -> list[str]:
    """What in a page could run: an inline script, an event handler, a javascript: address, an
    element made from the hostile text."""
    problems = []
    doc = BeautifulSoup(html, "html.parser")
    for script in doc.find_all("script"):
        if script.get("type") == "application/json":
            json.loads(script.string)  # data, and it stays valid JSON
        elif script.get("src") is None or script.get_text(strip=True):
            problems.append(f"inline script {str(script)[:80]}")
        if "alert" in str(script):
            problems.append(f"hostile script {str(script)[:80]}")
    for element in doc.find_all(True):
        for name, value in element.attrs.items():
            if name.lower().startswith("on"):
                problems.append(f"<{element.name} {name}>")
            if name in ("href", "src", "action", "formaction") and str(value).strip().lower().startswith(
                ("javascript:", "data:", "vbscript:")
            ):
                problems.append(f"<{element.name} {name}={value}>")
    if doc.find("img", src="x") or doc.find("svg", attrs={"onload": True}):
        problems.append("an element made from portal.yml text")
    return problems


def test_hostile_portal_text_is_shown_as_text_on_every_page(hostile_site: Path) -> None:
    pages = sorted(hostile_site.rglob("*.html"))
    assert len(pages) > 30
    for path in pages:
        html = path.read_text(encoding="utf-8")
        assert inert_problems(html) == [], path
        doc = BeautifulSoup(html, "html.parser")
        title = doc.title.get_text()
        assert title.endswith(TITLE), path  # the literal text, {{ 7*7 }} not evaluated
        assert "49" not in title
        assert doc.select_one(".md-header__topic .md-ellipsis").get_text(strip=True) == TITLE, path
        assert doc.select_one(".md-header .md-logo")["aria-label"] == TITLE, path
        assert doc.select_one(".gk-drawer-title").get_text(strip=True) == TITLE, path
        assert doc.select_one(".gk-footer p").get_text().startswith(PUBLISHER + "（示例数据）"), path
        assert doc.find("meta", attrs={"http-equiv": "Content-Security-Policy"}), path


def test_canonical_links_sitemap_and_feeds_carry_portal_text_as_text(hostile_site: Path) -> None:
    about = BeautifulSoup((hostile_site / "about" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert about.find("link", rel="canonical")["href"] == SITE_URL + "about/"
    # A record page is made from a page shell: the shell's own address is not the record's.
    decision = next((hostile_site / "decisions").rglob("index.html"))
    assert "_gk_shell" not in decision.read_text(encoding="utf-8")

    root = ET.parse(hostile_site / "sitemap.xml").getroot()
    locs = [loc.text for loc in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert SITE_URL in locs and SITE_URL + "about/" in locs
    assert all(loc.startswith(SITE_URL) for loc in locs)
    # The feeds and the catalog carry the publisher too: every XML and JSON file still parses.
    for path in hostile_site.rglob("*.xml"):
        ET.parse(path)
    for path in [*hostile_site.rglob("*.json"), *hostile_site.rglob("*.jsonld")]:
        json.loads(path.read_text(encoding="utf-8"))


def test_the_404_page_is_chinese_and_escaped(hostile_site: Path) -> None:
    doc = BeautifulSoup((hostile_site / "404.html").read_text(encoding="utf-8"), "html.parser")
    assert doc.select_one("article h1").get_text() == "页面不存在"
    assert doc.title.get_text() == TITLE


@pytest.mark.parametrize("site_url", REFUSED_SITE_URLS)
def test_a_site_url_that_is_not_a_web_address_is_refused(
    mini_data: Path, tmp_path: Path, site_url: str
) -> None:
    write_portal(mini_data, site_url=site_url)
    out = tmp_path / "site"
    with pytest.raises(BuildFailed) as refused:
        build(mini_data, out, log=None)
    assert "site_url" in refused.value.message and "portal.yml" in refused.value.message
    assert not out.exists()
