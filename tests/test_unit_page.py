"""The shortest path from home to what a township decided: a unit page lists its decisions, newest
first, with result and execution, filterable by quarter and category in the browser.

The built-output tests read the demo site's HTML; the browser tests drive Debian's headless
Chromium (launched as in test_search_browser.py) and assert what a person sees: inside the
viewport after scrolling, a non-zero size, not transparent, not covered."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator.core.model import Decision, Unit
from generator.core.urls import path_for
from generator.sources.load import load_portal

from .conftest import DEMO_DATA

TOWNSHIP = "zhen"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
#: From the home page to the township's latest decision: the township in the home page's list of
#: units (tap 1: its page, whose top is its latest decisions), then the first decision (tap 2).
TAPS_TO_LATEST_DECISION = 2

#: A person sees the element: scrolled to, inside the viewport, of non-zero size, not transparent
#: (itself or any ancestor), not hidden, and the topmost element at its centre (not covered).
SEEN = """el => {
  el.scrollIntoView({block: "center"});
  const r = el.getBoundingClientRect();
  let opacity = 1;
  for (let n = el; n; n = n.parentElement) opacity *= parseFloat(getComputedStyle(n).opacity);
  const x = r.left + Math.min(r.width / 2, 20), y = r.top + r.height / 2;
  const top = document.elementFromPoint(x, y);
  return r.width > 0 && r.height > 0 && r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight
    && r.right <= innerWidth && opacity > 0 && getComputedStyle(el).visibility !== "hidden"
    && top !== null && (el === top || el.contains(top));
}"""


def newest_first(unit: Unit) -> list[Decision]:
    decisions = [d for dis in unit.disclosures for d in dis.decisions]
    return sorted(decisions, key=lambda d: (d.date, d.decision_id), reverse=True)


@pytest.fixture(scope="module")
def township() -> Unit:
    return next(u for u in load_portal(DEMO_DATA).units if u.unit_id == TOWNSHIP)


def soup(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path / "index.html").read_text(encoding="utf-8"), "html.parser")


# --- built output --------------------------------------------------------------------------------


def test_township_unit_page_lists_its_decisions_newest_first(demo_site: Path, township: Unit) -> None:
    assert township.unit_type == "乡镇党委"
    page = soup(demo_site, path_for(township))
    items = page.select("#gk-unit-decisions > li")
    expected = newest_first(township)
    assert len(items) == len(expected) >= 30
    dates = [li.select_one("time")["datetime"] for li in items]
    assert dates == sorted(dates, reverse=True)
    assert dates[0] == max(d.date for d in expected)
    for li, d in zip(items, expected, strict=True):
        link = li.select_one(".gk-ditem__title a")
        assert link.get_text(strip=True) == d.title
        target = (demo_site / path_for(township) / link["href"]).resolve()
        assert target == (demo_site / path_for(d)).resolve() and (target / "index.html").is_file()
        assert li["data-period"] == str(d.disclosure.period) and li["data-category"] == d.category
        assert li.select_one("time").get_text() == d.date
        badges = [b.get_text() for b in li.select(".gk-badge")]
        assert badges == [d.category, d.result, d.execution_status]
        labels = li.select(".gk-ditem__meta > span:not(.gk-badge)")  # 结果 for screen readers only
        assert [label.get_text() for label in labels] == ["结果", "执行"]
    # The list comes first: before the members, the power list and every per-quarter table.
    text = str(page)
    first = text.index('id="gk-unit-decisions"')
    for later in ('id="members"', 'id="power"', 'id="by-quarter"', 'id="trend"', 'id="hearings"'):
        assert first < text.index(later), later
    # The long count tables are folded; the filter waits for its script (no script, no filter).
    for section in ("by-quarter", "trend", "negative", "hearings"):
        assert page.find(id=section).find_parent("details") is not None, section
    assert page.select_one("#gk-filter").has_attr("hidden")
    assert not page.select("#gk-unit-decisions [style], #gk-unit-decisions [hidden]")


def test_every_unit_page_lists_every_decision_it_made(demo_site: Path) -> None:
    for unit in load_portal(DEMO_DATA).units:
        page = soup(demo_site, path_for(unit))
        links = [
            (demo_site / path_for(unit) / a["href"]).resolve()
            for a in page.select("#gk-unit-decisions .gk-ditem__title a")
        ]
        assert links == [(demo_site / path_for(d)).resolve() for d in newest_first(unit)], unit.unit_id
        options = [o["value"] for o in page.select("#gk-filter-period option")]
        assert options == ["", *(str(dis.period) for dis in reversed(unit.disclosures) if dis.decisions)]


def test_unit_list_shows_each_unit_with_its_latest_decision(demo_site: Path) -> None:
    page = soup(demo_site, "units/")
    units = load_portal(DEMO_DATA).units
    cards = page.select("ul.gk-unit-cards > li")
    assert len(cards) == len(units)
    for card, unit in zip(cards, units, strict=True):
        name = card.select_one(".gk-unit-card__name a")
        assert name.get_text() == unit.name
        assert (demo_site / "units" / name["href"]).resolve() == (demo_site / path_for(unit)).resolve()
        latest = newest_first(unit)[0]
        link = card.select_one(".gk-unit-card__latest a")
        assert link.get_text() == latest.title and card.select_one("time").get_text() == latest.date
        assert (demo_site / "units" / link["href"]).resolve() == (demo_site / path_for(latest)).resolve()


# --- in Chromium ---------------------------------------------------------------------------------


def shown(page) -> list[str]:
    """The paths of the decisions a person sees in the list (each checked with SEEN)."""
    paths = []
    for item in page.query_selector_all("#gk-unit-decisions > li"):
        if item.is_hidden():
            assert item.bounding_box() is None
            continue
        assert item.evaluate(SEEN), item.inner_text()
        paths.append(item.query_selector("a").get_attribute("href"))
    return paths


@pytest.mark.browser
@pytest.mark.xdist_group("browser")
def test_quarter_and_category_filter_the_visible_list(chromium, demo_url: str, township: Unit) -> None:
    context = chromium.new_context(locale="zh-CN", viewport=PHONE)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(demo_url + path_for(township))
    decisions = newest_first(township)
    assert page.eval_on_selector("#gk-filter-period", SEEN)
    assert page.eval_on_selector("#gk-filter-category", SEEN)
    # The list opens on the latest quarter, newest first.
    latest = str(township.disclosures[-1].period)
    assert page.input_value("#gk-filter-period") == latest
    assert shown(page) == [f"../../{path_for(d)}" for d in decisions if str(d.disclosure.period) == latest]

    quarter = str(township.disclosures[0].period)
    page.select_option("#gk-filter-period", quarter)
    in_quarter = [d for d in decisions if str(d.disclosure.period) == quarter]
    paths = shown(page)
    assert len(paths) == len(in_quarter) < len(decisions)
    assert page.inner_text("#gk-filter-status") == f"显示 {len(in_quarter)} 项（共 {len(decisions)} 项）。"

    category = Counter(d.category for d in in_quarter).most_common()[-1][0]
    page.select_option("#gk-filter-category", category)
    both = [d for d in in_quarter if d.category == category]
    paths = shown(page)
    assert 0 < len(paths) == len(both) < len(in_quarter)
    assert [p.rsplit("/", 2)[-2] for p in paths] == [d.decision_id for d in both]

    # The choice is kept in the address: a reload shows the same filtered list.
    assert f"period={quarter}" in page.url
    page.reload()
    assert len(shown(page)) == len(both)

    page.select_option("#gk-filter-period", "")
    page.select_option("#gk-filter-category", "")
    assert len(shown(page)) == len(decisions)
    assert page.inner_text("#gk-filter-status") == f"显示全部 {len(decisions)} 项决策事项。"
    page.reload()
    assert len(shown(page)) == len(decisions)
    assert errors == []
    context.close()


@pytest.mark.browser
@pytest.mark.xdist_group("browser")
def test_without_javascript_every_decision_shows_and_the_filter_does_not(
    chromium, demo_url: str, township: Unit
) -> None:
    context = chromium.new_context(locale="zh-CN", viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(demo_url + path_for(township))
    assert page.is_hidden("#gk-filter")
    assert len(shown(page)) == len(newest_first(township))
    context.close()


@pytest.mark.browser
@pytest.mark.xdist_group("browser")
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1280px"])
def test_two_taps_from_home_to_the_township_latest_decision(
    chromium, demo_url: str, township: Unit, viewport: dict[str, int]
) -> None:
    context = chromium.new_context(locale="zh-CN", viewport=viewport)
    page = context.new_page()
    page.goto(demo_url)
    latest = newest_first(township)[0]
    taps = 0
    link = page.locator(f"a[href$='{path_for(township)}']", has_text=township.short_name).first
    assert link.evaluate(SEEN)
    link.click()
    taps += 1
    page.wait_for_url(f"**/{path_for(township)}")
    # The unit page opens on its latest decisions: the first one is on the first screen, unscrolled.
    first = page.locator("#gk-unit-decisions > li a").first
    box = first.bounding_box()
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"]
    assert first.inner_text() == latest.title
    first.click()
    taps += 1
    page.wait_for_url(f"**/{path_for(latest)}")
    assert latest.title in page.inner_text("h1")
    assert taps == TAPS_TO_LATEST_DECISION
    context.close()


@pytest.mark.browser
@pytest.mark.xdist_group("browser")
def test_two_taps_from_home_through_the_unit_list_to_the_township_decisions(
    chromium, demo_url: str, township: Unit
) -> None:
    """The other way, on a desktop: the 单位 tab, then the township in the list of units."""
    context = chromium.new_context(locale="zh-CN", viewport=DESKTOP)
    page = context.new_page()
    page.goto(demo_url)
    page.locator(".md-tabs a", has_text="单位").first.click()
    page.wait_for_url("**/units/")
    page.locator("article a", has_text=township.name).first.click()
    page.wait_for_url(f"**/{path_for(township)}")
    first = page.locator("#gk-unit-decisions > li").first
    assert first.evaluate("el => el.getBoundingClientRect().bottom <= innerHeight")
    assert first.evaluate(SEEN)
    # Or straight to the latest decision, named in the list of units: also two taps.
    latest = newest_first(township)[0]
    page.go_back()
    page.wait_for_url("**/units/")
    link = page.locator(f"#unit-{township.unit_id} .gk-unit-card__latest a")
    assert link.evaluate(SEEN)
    link.click()
    page.wait_for_url(f"**/{path_for(latest)}")
    assert latest.title in page.inner_text("h1")
    context.close()


@pytest.mark.browser
@pytest.mark.xdist_group("browser")
def test_a_link_into_a_folded_section_opens_it(chromium, demo_url: str, township: Unit) -> None:
    """The negative list is folded below the decisions; a link to one of its items still shows it."""
    context = chromium.new_context(locale="zh-CN", viewport=PHONE)
    page = context.new_page()
    item = township.latest.negative_items[0].item_id
    page.goto(demo_url + path_for(township))
    assert page.is_hidden(f"#negative-{item}")
    page.goto(demo_url + path_for(township) + f"#negative-{item}")
    page.wait_for_function(f"() => document.getElementById('negative-{item}').closest('details').open")
    assert page.eval_on_selector(f"#negative-{item}", SEEN)
    context.close()
