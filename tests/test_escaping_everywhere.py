"""Hostile text in every text field, built through every page type, stays text.

Every free-text column of every table (enumerated from ``generator/schemas/*.json``: the unit
registry, the eight disclosure tables, corrections and withdrawals, withheld records' basis) and
every text setting of ``portal.yml`` gets a distinct value that mixes an inline script, an event
handler, an attribute break-out, ``javascript:`` addresses, a Markdown link and jinja syntax. The
mini data is published twice (a correction and a withdrawal in the second release, so that the
record pages, the tombstone and the 更新记录 page carry them) and every HTML page of both releases is
parsed: nothing in it can run, and each value is shown as the literal text it is wherever its field
is shown. Record rows built in Python helpers (``generator.render.pages``: stance rows, member-page rows,
unit lists) bypass jinja2's autoescape, so they are covered here field by field. In Chromium, the
search UI renders planted text from Pagefind's excerpts and titles as text.
"""

from __future__ import annotations

import csv
import functools
import json
import re
import shutil
import xml.etree.ElementTree as ET
from dataclasses import dataclass, fields
from pathlib import Path
from urllib.parse import quote

import pytest
import yaml
from bs4 import BeautifulSoup

from generator.build import build
from generator.core.config import REGISTRATION_NUMBERS, PortalConfig
from generator.core.schema import table_schema
from generator.validate import validate_data

from .conftest import MINI_DATA, serving, upgrade_package
from .test_site import add_entries
from .test_spreadsheet_safety import text_fields

SCHEMAS = Path(__file__).resolve().parent.parent / "generator" / "schemas"
Q1 = "fgw/2025Q1"
#: Settings of portal.yml that are not free text: a licence key, an address and an identifier (config.py checks all three).
NOT_TEXT_SETTINGS = {"licence", "site_url", "portal_id", "email"}
#: Text that a template engine would evaluate: shown as "⟦49⟧" if it ever is.
TEMPLATE = "⟦{{ 7*7 }}⟧{% raw %}"


def payload(n: int) -> str:
    """Planted value number ``n``: every way text could become markup, a script or a link, and a
    marker 〔Pn〕 to find it by."""
    return (
        f"<script>alert({n});window.__pwned={n}</script><img src=x onerror=alert({n})>"
        f"\"><svg onload=alert({n})>'><iframe src=javascript:alert({n})></iframe>"
        f" javascript:alert({n}) [x](javascript:alert({n})) {TEMPLATE}&amp;&lt;img src=x onerror=alert({n})&gt;〔P{n}〕"
    )


@dataclass(frozen=True)
class Plant:
    """Where a planted value lives: a CSV file (relative to the data tree) or portal.yml, the
    record's key (its primary key fields joined by "/"; the setting name for portal.yml), the column."""

    source: str
    record: str
    column: str


@dataclass
class Releases:
    planted: dict[Plant, str]
    #: Page (the path of the HTML file relative to the site, "index.html" dropped) → HTML, per release.
    first: dict[str, str]
    second: dict[str, str]
    #: The built site (the second release), with its search index.
    site: Path
    #: The data tree of the second release.
    data: Path


def read_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def write_rows(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def record_key(table: str, row: dict[str, str]) -> str:
    return "/".join(row[name] for name in table_schema(table)["primaryKey"])


class Planter:
    def __init__(self, data: Path) -> None:
        self.data = data
        self.planted: dict[Plant, str] = {}

    def value(self, where: Plant, rest: str = "") -> str:
        text = payload(len(self.planted) + 1) + rest
        self.planted[where] = text
        return text

    def plant_tables(self) -> None:
        """Every free-text cell of every CSV, empty optional ones filled (not an exemption reason
        where no step was exempted, nor a withheld basis of a record that is not withheld)."""
        for path in sorted(self.data.rglob("*.csv")):
            table = path.stem
            header, rows = read_rows(path)
            source = path.relative_to(self.data).as_posix()
            for row in rows:
                for name in text_fields(table):
                    if name in ("exemption_reason", "withheld_basis") and not row.get(name):
                        continue
                    row[name] = self.value(Plant(source, record_key(table, row), name), row.get(name) or "")
            write_rows(path, header, rows)

    def withhold(self, source: str, record: str) -> None:
        path = self.data / source
        header, rows = read_rows(path)
        row = next(r for r in rows if record_key(path.stem, r) == record)
        row["withheld"] = "是"
        row["withheld_basis"] = self.value(
            Plant(source, record, "withheld_basis"), "《中华人民共和国保守国家秘密法》"
        )
        write_rows(path, header, rows)

    def edit(self, source: str, record: str, column: str) -> tuple[str, str]:
        """Give a published cell a new planted value; return (old, new)."""
        path = self.data / source
        header, rows = read_rows(path)
        row = next(r for r in rows if record_key(path.stem, r) == record)
        old = row[column]
        row[column] = self.value(Plant(source, record, column + "#new"), "（更正后）")
        write_rows(path, header, rows)
        return old, row[column]

    def plant_portal(self) -> None:
        path = self.data / "portal.yml"
        config = yaml.safe_load(path.read_text(encoding="utf-8"))
        for name in portal_text_settings():
            config[name] = self.value(Plant("portal.yml", name, name), name)
        path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")


def portal_text_settings() -> list[str]:
    return [
        f.name for f in fields(PortalConfig) if isinstance(f.default, str) and f.name not in NOT_TEXT_SETTINGS
    ]


def html_pages(site: Path) -> dict[str, str]:
    return {
        path.relative_to(site).as_posix().removesuffix("index.html"): path.read_text(encoding="utf-8")
        for path in sorted(site.rglob("*.html"))
    }


@pytest.fixture(scope="module")
def releases(tmp_path_factory: pytest.TempPathFactory) -> Releases:
    root = tmp_path_factory.mktemp("hostile-everywhere")
    data = root / "data"
    shutil.copytree(MINI_DATA, data)
    for package in sorted(p.parent for p in data.rglob("datapackage.json") if p.parent != data):
        upgrade_package(package)  # the later columns: withheld, withheld_basis
    planter = Planter(data)
    planter.plant_tables()
    planter.withhold(f"{Q1}/decisions.csv", "jc2025-003")
    planter.withhold("rmyy/2025Q1/hearings.csv", "lz-001")
    planter.plant_portal()
    report = validate_data(data)
    assert report.valid, report.to_text()
    site = root / "site"
    build(data, site, log=None)
    first = html_pages(site)

    # The second release: a decision's title and a stance's remark corrected, a decision withdrawn.
    package = data / Q1
    corrections = []
    for source, table, record, column in [
        (f"{Q1}/decisions.csv", "decisions", "jc2025-001", "title"),
        (f"{Q1}/stances.csv", "stances", "jc2025-001/2", "remark"),
    ]:
        old, new = planter.edit(source, record, column)
        reason = planter.value(Plant("corrections", record, "reason"), "更正理由")
        corrections.append(
            {
                "table": table,
                "record_id": record,
                "field": column,
                "old_value": old,
                "new_value": new,
                "reason": reason,
                "corrected_on": "2025-04-10",
            }
        )
    add_entries(package, "corrections", corrections)
    for name in ("decisions.csv", "stances.csv"):
        header, rows = read_rows(package / name)
        write_rows(package / name, header, [r for r in rows if r["decision_id"] != "jc2025-002"])
    withdrawn = planter.planted[Plant(f"{Q1}/decisions.csv", "jc2025-002", "title")]
    reason = planter.value(Plant("withdrawals", "jc2025-002", "reason"), "撤回理由")
    add_entries(
        package,
        "withdrawals",
        [
            {
                "table": "decisions",
                "record_id": "jc2025-002",
                "label": withdrawn,
                "reason": reason,
                "withdrawn_on": "2025-04-12",
            }
        ],
    )
    # 执行进展 of a 2025Q1 decision, reported in 2025Q2.
    note = planter.value(Plant("progress", "jc2025-001", "note"), "进展说明")
    add_entries(
        data / "fgw/2025Q2",
        "progress",
        [
            {
                "decision_id": "jc2025-001",
                "reported_on": "2025-06-20",
                "execution_status": "推进中",
                "note": note,
            }
        ],
    )
    report = validate_data(data)
    assert report.valid, report.to_text()
    build(data, site, log=None)
    return Releases(planter.planted, first, html_pages(site), site, data)


#: Attributes whose value a browser loads or follows.
ADDRESS_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "srcdoc", "data", "poster")


def is_site_asset(address: str) -> bool:
    """A script address on the site itself: relative, no scheme, not protocol-relative."""
    return not re.match(r"^\s*([a-zA-Z][a-zA-Z0-9+.-]*:|//|\\)", address)


def live_problems(html: str) -> list[str]:
    """What in a page could run or was made from planted text."""
    problems = []
    doc = BeautifulSoup(html, "html.parser")
    for script in doc.find_all("script"):
        text = script.get_text()
        if script.get("type") == "application/json":
            json.loads(text)  # data that stays valid JSON: the planted text did not close the element
        elif script.get("src") is None or text.strip():
            problems.append(f"inline script {str(script)[:100]}")
        if script.get("src") is not None and not is_site_asset(script["src"]):
            problems.append(f"script from elsewhere {script['src']}")
        if "alert(" in text or "__pwned" in text or "alert(" in script.get("src", ""):
            problems.append(f"planted script {str(script)[:100]}")
    for element in doc.find_all(True):
        for name, value in element.attrs.items():
            if name.lower().startswith("on"):
                problems.append(f"<{element.name} {name}={value}>")
            address = re.sub(r"\s", "", str(value)).lower()
            if name.lower() in ADDRESS_ATTRIBUTES and address.startswith(
                ("javascript:", "data:", "vbscript:")
            ):
                problems.append(f"<{element.name} {name}={value}>")
        if element.name == "iframe" or (element.name == "img" and element.get("src") == "x"):
            problems.append(f"element made from planted text: {str(element)[:100]}")
        if element.name == "svg" and any("alert" in str(v) for v in element.attrs.values()):
            problems.append(f"element made from planted text: {str(element)[:100]}")
    if "⟦49⟧" in html:
        problems.append("planted template syntax was evaluated")
    return problems


def marker(value: str) -> str:
    """The 〔Pn〕 of a planted value."""
    return value[value.index("〔P") : value.index("〕") + 1]


@functools.cache
def page_text(html: str) -> str:
    return BeautifulSoup(html, "html.parser").get_text()


def pages_showing(pages: dict[str, str], value: str) -> set[str]:
    return {page for page, html in pages.items() if value in page_text(html)}


# --- Planted everywhere --------------------------------------------------------------------------


def test_every_free_text_field_of_every_table_and_every_portal_setting_is_planted(releases: Releases) -> None:
    tables = sorted(path.stem for path in SCHEMAS.glob("*.json"))
    assert {"units", "decisions", "stances", "corrections", "withdrawals"} <= set(tables)
    expected = {(t, f) for t in tables for f in text_fields(t)}
    planted = set()
    for path in releases.data.rglob("*.csv"):
        for row in read_rows(path)[1]:
            planted |= {(path.stem, name) for name in text_fields(path.stem) if "〔P" in row.get(name, "")}
    # Each free-text column of every table holds a planted value in the data (withheld_basis,
    # corrections and withdrawals included).
    assert expected <= planted, sorted(expected - planted)
    settings = {p.record for p in releases.planted if p.source == "portal.yml"}
    assert settings == set(portal_text_settings())
    assert {
        "title",
        "publisher",
        "region",
        "sponsor",
        "operator",
        "contact",
        *REGISTRATION_NUMBERS,
    } <= settings
    values = list(releases.planted.values())
    assert len(values) == len(set(values)) > 140  # distinct, one per planted cell


# --- Nothing runs ------------------------------------------------------------------------------


def test_no_page_of_either_release_carries_anything_that_runs(releases: Releases) -> None:
    for pages in (releases.first, releases.second):
        # Every page type is among them.
        assert {
            "",  # home
            "404.html",
            "about/",
            "search/",
            "units/",
            "units/fgw/",
            "units/fgw/2025Q1/",
            "units/fgw/members/fgw-m02/",
            "decisions/fgw/jc2025-001/",
            "decisions/fgw/jc2025-003/",  # withheld
            "hearings/fgw/tz2025-001/",
            "hearings/rmyy/lz-001/",  # withheld
            "quarters/2025Q1/",
            "changelog/",
            "changelog/1/",
            "data/decisions/",
            "downloads/",
            "sitemap/",
        } <= set(pages)
        for page, html in pages.items():
            assert live_problems(html) == [], page
    assert {"decisions/fgw/jc2025-002/", "changelog/2/"} <= set(releases.second)  # the tombstone


# --- Shown as the text it is ---------------------------------------------------------------------

MEMBER_PAGE = "units/fgw/members/{}/"
MEMBER_QUARTER_PAGE = "units/fgw/members/{}/{}/"


def test_each_planted_value_is_shown_as_literal_text_where_its_field_is_shown(releases: Releases) -> None:
    planted, first, second = releases.planted, releases.first, releases.second

    def shown(source: str, record: str, column: str, pages: dict[str, str]) -> set[str]:
        return pages_showing(pages, planted[Plant(source, record, column)])

    decisions, stances = f"{Q1}/decisions.csv", f"{Q1}/stances.csv"
    # A decision: its page, the home page's latest list, its unit's page and quarter page, every
    # member's page of the quarter (which lists their stances), the hearing page that links it.
    assert {
        "decisions/fgw/jc2025-001/",
        "",
        "units/fgw/",
        "units/fgw/2025Q1/",
        "hearings/fgw/tz2025-001/",
        *(MEMBER_QUARTER_PAGE.format(m, "2025Q1") for m in ("fgw-m01", "fgw-m02", "fgw-m03")),
    } <= shown(decisions, "jc2025-001", "title", first)
    for column in ("summary", "execution_note"):
        assert "decisions/fgw/jc2025-001/" in shown(decisions, "jc2025-001", column, first), column
    assert "decisions/fgw/jc2025-002/" in shown(decisions, "jc2025-002", "exemption_reason", first)
    # Stance remarks (a Python helper on the decision page, another on the member's quarter page,
    # and on the member's own page where the stance is not 同意).
    _, rows = read_rows(MINI_DATA / stances)
    for row in rows:
        where = shown(stances, f"{row['decision_id']}/{row['order']}", "remark", first)
        own = MEMBER_QUARTER_PAGE.format(row["member_id"], "2025Q1")
        assert {f"decisions/fgw/{row['decision_id']}/", own} <= where, row
        assert (MEMBER_PAGE.format(row["member_id"]) in where) == (row["stance"] != "同意"), row
    # Members: name and position in the decision's stance rows, the member page and the unit page.
    for record in ("fgw-m01", "fgw-m02", "fgw-m03"):
        for column in ("name", "position"):
            where = shown("fgw/2025Q2/members.csv", record, column, first)
            own = {MEMBER_PAGE.format(record), MEMBER_QUARTER_PAGE.format(record, "2025Q2")}
            assert {"decisions/fgw/jc2025-004/", *own, "units/fgw/"} <= where
            assert "decisions/fgw/jc2025-001/" in shown(f"{Q1}/members.csv", record, column, first)
        assert {
            MEMBER_PAGE.format(record),
            MEMBER_QUARTER_PAGE.format(record, "2025Q2"),
            "units/fgw/",
        } <= shown("fgw/2025Q2/members.csv", record, "portfolio", first)
    # Meetings and hearings.
    assert {"decisions/fgw/jc2025-001/", "units/fgw/2025Q1/"} <= shown(
        f"{Q1}/meetings.csv", "hy2025-001", "title", first
    )
    assert {"hearings/fgw/tz2025-001/", "decisions/fgw/jc2025-001/", "units/fgw/2025Q1/"} <= shown(
        f"{Q1}/hearings.csv", "tz2025-001", "subject", first
    )
    for column in ("participants", "outcome"):
        assert "hearings/fgw/tz2025-001/" in shown(f"{Q1}/hearings.csv", "tz2025-001", column, first)
    # The latest quarter's lists on the unit page; a power item's name on its decisions' pages.
    for plant in planted:
        if plant.source.startswith("fgw/2025Q2/") and Path(plant.source).stem in (
            "power_list",
            "power_steps",
            "negative_list",
        ):
            assert "units/fgw/" in pages_showing(first, planted[plant]), plant
    assert "decisions/fgw/jc2025-001/" in shown(f"{Q1}/power_list.csv", "qz-001", "name", first)
    # The unit registry: the unit's pages, the home page and the quarter comparison.
    assert {"units/fgw/", "decisions/fgw/jc2025-001/", "units/", "downloads/"} <= shown(
        "units.csv", "fgw", "name", first
    )
    assert {"", "quarters/2025Q1/", "quarters/2025Q2/", "units/fgw/2025Q1/"} <= shown(
        "units.csv", "fgw", "short_name", first
    )
    assert "units/fgw/" in shown("units.csv", "fgw", "description", first)
    # Withheld records: the basis is shown, nothing else of them.
    assert "decisions/fgw/jc2025-003/" in shown(decisions, "jc2025-003", "withheld_basis", first)
    assert "hearings/rmyy/lz-001/" in shown("rmyy/2025Q1/hearings.csv", "lz-001", "withheld_basis", first)
    for plant, value in planted.items():
        if plant.record in ("jc2025-003", "lz-001") and plant.column != "withheld_basis":
            assert not pages_showing(first, value), plant
    # portal.yml: the title, publisher and site identity on every page.
    for name in ("title", "publisher", "sponsor", "operator", "contact", *REGISTRATION_NUMBERS):
        assert pages_showing(first, planted[Plant("portal.yml", name, name)]) == set(first), name

    # The second release: the corrections on the record page and the 更新记录 page, the withdrawal
    # on the tombstone, the unit's quarter page and the 更新记录 page.
    title_old = planted[Plant(decisions, "jc2025-001", "title")]
    title_new = planted[Plant(decisions, "jc2025-001", "title#new")]
    remark_old = planted[Plant(stances, "jc2025-001/2", "remark")]
    remark_new = planted[Plant(stances, "jc2025-001/2", "remark#new")]
    for value in (title_old, title_new, remark_old, remark_new):
        assert {"decisions/fgw/jc2025-001/", "changelog/2/"} <= pages_showing(second, value), value
    assert "decisions/fgw/jc2025-001/" in pages_showing(
        second, planted[Plant("corrections", "jc2025-001", "reason")]
    )
    assert "decisions/fgw/jc2025-001/" in pages_showing(
        second, planted[Plant("corrections", "jc2025-001/2", "reason")]
    )
    label = planted[Plant(decisions, "jc2025-002", "title")]
    assert {"decisions/fgw/jc2025-002/", "units/fgw/2025Q1/", "changelog/2/"} <= pages_showing(second, label)
    assert {"decisions/fgw/jc2025-002/", "units/fgw/2025Q1/"} <= pages_showing(
        second, planted[Plant("withdrawals", "jc2025-002", "reason")]
    )


def test_every_planted_value_that_a_page_shows_is_shown_whole(releases: Releases) -> None:
    """Wherever a planted value's marker shows, the whole value shows with it, as text (not cut into
    markup, not half-evaluated); values no page shows are the ones listed here, with the reason."""
    not_shown = {
        # Not on any page: in the downloads and the API.
        ("units", "principal_title"),
        ("portal", "region"),  # portal.yml
    }
    pages = {
        **{f"1:{k}": v for k, v in releases.first.items()},
        **{f"2:{k}": v for k, v in releases.second.items()},
    }
    texts = {page: page_text(html) for page, html in pages.items()}
    for plant, value in releases.planted.items():
        showing = {page for page, text in texts.items() if marker(value) in text}
        whole = {page for page in showing if value in texts[page]}
        # Search documents hold cut excerpts of long text; every page a reader sees holds it whole.
        assert showing == whole, (plant, sorted(showing - whole))
        withheld = plant.record in ("jc2025-003", "lz-001") and plant.column != "withheld_basis"
        older = plant.source.startswith(f"{Q1}/") and Path(plant.source).stem in (
            "members",
            "power_list",
            "power_steps",
            "negative_list",
        )
        if (Path(plant.source).stem, plant.column) in not_shown or withheld:
            assert not showing, plant
        elif not older:
            assert showing, plant


# --- The search UI renders planted text as text ----------------------------------------------------

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]


@pytest.mark.browser
@pytest.mark.xdist_group("browser")
def test_search_results_show_planted_text_as_text(releases: Releases) -> None:
    """Pagefind's excerpts and titles hold the planted text; the search page and the header box show
    it as text: no element made from it, no handler, no dialog, nothing run (window.__pwned unset)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    titles = {v for p, v in releases.planted.items() if p.column in ("title", "title#new", "subject")}
    short_names = {v for p, v in releases.planted.items() if p.column == "short_name"}
    with serving(releases.site) as url, sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page(locale="zh-CN")
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        for query in ("onerror", "javascript"):
            page.goto(url + "search/?q=" + quote(query))
            page.wait_for_selector(".gk-result")
            # The whole page as the script left it: results, excerpts and the filters' options.
            assert live_problems(page.content()) == [], query
            options = page.eval_on_selector_all(
                "[data-gk-filter='单位'] option", "els => els.map(e => e.value)"
            )
            # (Pagefind decodes a filter value's entities once more: "&amp;" shows as "&". Text all the same.)
            assert {marker(v) for v in short_names} <= {marker(o) for o in options if "〔P" in o}, options
            assert all(o.startswith("<script>alert(") for o in options if o), options
            # The planted text is in the results' titles and excerpts, as text.
            shown = page.eval_on_selector_all("a.gk-result__title", "els => els.map(e => e.textContent)")
            assert titles & set(shown), shown[:3]
            excerpts = page.eval_on_selector_all(".gk-result__excerpt", "els => els.map(e => e.textContent)")
            assert any(re.search(r"<\w+ .*alert\(", text) for text in excerpts), excerpts[:3]
            assert (
                page.eval_on_selector_all(
                    ".gk-results img, .gk-results svg, .gk-results iframe, .gk-results script",
                    "els => els.length",
                )
                == 0
            )
        # The header search box, as a reader types.
        page.goto(url + "decisions/fgw/jc2025-004/")
        page.click("[data-gk-search-input]")
        page.fill("[data-gk-search-input]", "onerror")
        page.wait_for_selector("[data-gk-search-results] li")
        box = page.locator("[data-gk-search-results]")
        assert live_problems(page.content()) == []
        assert "<script>alert(" in box.text_content()
        assert page.evaluate("() => typeof window.__pwned") == "undefined"
        assert dialogs == []
        browser.close()


# --- Feeds, API and page titles --------------------------------------------------------------------

ATOM = "{http://www.w3.org/2005/Atom}"


def test_feeds_api_and_page_titles_carry_planted_text_as_text(releases: Releases) -> None:
    planted, site = releases.planted, releases.site
    title = planted[Plant(f"{Q1}/decisions.csv", "jc2025-001", "title#new")]
    label = planted[Plant(f"{Q1}/decisions.csv", "jc2025-002", "title")]
    unit_name = planted[Plant("units.csv", "fgw", "name")]
    # The record page: the browser tab's title and the heading are the text itself.
    doc = BeautifulSoup(releases.second["decisions/fgw/jc2025-001/"], "html.parser")
    assert doc.select_one("article h1").get_text() == title
    assert doc.title.get_text().startswith(title)
    tombstone = BeautifulSoup(releases.second["decisions/fgw/jc2025-002/"], "html.parser")
    assert tombstone.select_one("article h1").get_text() == "已撤回：" + label
    # Every XML file parses; feed texts are plain text (no type="html"), equal to the data.
    for path in site.rglob("*.xml"):
        ET.parse(path)
    feed = ET.parse(site / "feeds" / "units" / "fgw.xml").getroot()
    entries = feed.findall(f"{ATOM}entry")
    for element in feed.iter():
        if element.tag.removeprefix(ATOM) in ("title", "subtitle", "summary", "content", "rights"):
            assert element.get("type") in (None, "text"), element.tag  # shown by readers as text
    titles = [e.findtext(f"{ATOM}title") for e in entries]
    assert title in titles and "已撤回：" + label in titles
    assert {e.findtext(f"{ATOM}author/{ATOM}name") for e in entries} == {unit_name}
    # The API keeps the exact text.
    api = json.loads((site / "api/decisions/fgw/jc2025-001.json").read_text(encoding="utf-8"))
    assert api["title"] == title
    assert api["summary"] == planted[Plant(f"{Q1}/decisions.csv", "jc2025-001", "summary")]
    for path in site.rglob("*.json"):
        json.loads(path.read_text(encoding="utf-8"))
