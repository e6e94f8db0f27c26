"""What a reader sees on a 390 px phone and a 1280 px desktop, in Debian's headless Chromium.

Not what the DOM holds but what is on the screen: every key cell of a record page (a member's
stance, a decision's result, a rule's outcome) lies inside the viewport's width, has a size, is not
transparent and is not covered by anything, and the page never scrolls sideways.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from generator.core.urls import path_for
from generator.render.scorecard import member_records
from generator.sources.load import load_portal

from .conftest import DEMO_DATA, SITE_NAV
from .test_search_browser import CHROMIUM, CHROMIUM_ARGS

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

#: Looks at each element the way a reader would: scrolled (vertically only: a sideways scroll is what
#: must not be needed) to the middle of the screen, then measured. Returns the problems found.
SEEN = """([selectors, width]) => {
  const problems = [];
  let count = 0;
  for (const selector of selectors) {
    const elements = [...document.querySelectorAll(selector)];
    if (!elements.length) problems.push(`${selector}: no such element`);
    for (const el of elements) {
      count++;
      const before = el.getBoundingClientRect();
      window.scrollTo({left: 0, top: window.scrollY + before.top - window.innerHeight / 2 + before.height / 2, behavior: "instant"});
      const box = el.getBoundingClientRect();
      let opacity = 1;
      for (let e = el; e; e = e.parentElement) {
        const style = getComputedStyle(e);
        opacity *= parseFloat(style.opacity);
        if (style.visibility === "hidden" || style.display === "none") opacity = 0;
      }
      const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
      const name = `${selector} «${el.textContent.trim().slice(0, 12)}»`;
      if (box.width <= 0 || box.height <= 0) problems.push(`${name}: no size`);
      else if (box.left < 0 || box.right > width) problems.push(`${name}: x ${Math.round(box.left)}–${Math.round(box.right)} outside 0–${width}`);
      else if (opacity <= 0) problems.push(`${name}: transparent`);
      else if (!hit || !(hit === el || el.contains(hit))) problems.push(`${name}: covered by ${hit ? hit.outerHTML.slice(0, 60) : "nothing"}`);
    }
  }
  return {count, problems, scrollWidth: document.documentElement.scrollWidth};
}"""

#: Each table of the article: its right edge against its container's and the viewport's, and
#: whether its container scrolls (a table wider than the space it is given).
TABLES = """() => [...document.querySelectorAll("article table")].map(t => {
  const wrap = t.parentElement;
  return {cls: t.className, right: t.getBoundingClientRect().right, wrapRight: wrap.getBoundingClientRect().right,
          clipped: wrap.scrollWidth > wrap.clientWidth + 1};
})"""


@pytest.fixture(scope="module")
def pages() -> dict[str, tuple[str, list[str]]]:
    """Page type → (root-relative path in the demo, selectors of the cells a reader came for)."""
    portal = load_portal(DEMO_DATA)
    # the decision with the most stances, some with a remark: the widest stance table
    decision = max(
        (d for d in portal.decisions() if not d.withheld and any(s.remark for s in d.stances)),
        key=lambda d: (len(d.stances), d.decision_id),
    )
    # the member with the most stances, some with a remark (the longest cards)
    member = max(
        (r for unit in portal.units for r in member_records(unit) if any(s.remark for _, s in r.stances)),
        key=lambda r: (len(r.stances), path_for(r)),
    )
    # the member's quarter with the most stances, some with a remark (the longest list of cards)
    member_quarter = max(
        (q for r in member_records(member.unit) for q in r.quarters if any(s.remark for _, s in q.stances)),
        key=lambda q: (len(q.stances), path_for(q)),
    )
    hearing = next(h for dis in portal.disclosures for h in dis.hearings if h.decision and not h.withheld)
    period = portal.periods[-1]
    disclosure = next(dis for dis in portal.disclosures if dis.period == period and dis.hearings)
    return {
        "decision": (
            path_for(decision),
            [
                ".gk-stances tbody td:nth-child(1)",
                ".gk-stances tbody td:nth-child(2)",
                ".gk-stances tbody td:nth-child(3)",
                ".gk-stances tbody td:nth-child(4)",
                ".gk-stances tbody td:nth-child(5):not(:empty)",
                ".gk-badges [class*='gk-result-']",
                ".gk-rule__mark",
            ],
        ),
        # a member's page: a row a quarter, then the stances other than 同意
        "member": (
            path_for(member),
            [
                ".gk-member-quarters td.gk-title a",
                ".gk-member-quarters td[data-label='不同意']",
                ".gk-member-quarters td[data-label='牵头事项']",
                ".gk-member-stances td:nth-child(4)",
                ".gk-member-stances td:nth-child(6):not(:empty)",
                ".gk-member-stances td:nth-child(7)",
            ],
        ),
        # a member's quarter: every stance of the quarter
        "member_quarter": (
            path_for(member_quarter),
            [
                ".gk-member-stances td:nth-child(2)",
                ".gk-member-stances td:nth-child(4)",
                ".gk-member-stances td:nth-child(6):not(:empty)",
                ".gk-member-stances td:nth-child(7)",
            ],
        ),
        "quarter": (path_for(period), [".gk-comparison td.gk-compliance", ".gk-comparison td.gk-rule-rate"]),
        "disclosure": (
            path_for(disclosure),
            [
                ".gk-rates td.gk-rule-rate",
                ".gk-decisions td.gk-result",
                ".gk-decisions td.gk-exec",
                ".gk-downloads .gk-file-note",  # each file's rows and size, which 数据下载 points to
            ],
        ),
        # the newest quarter's line a package: the unit, its rows, its ZIP and the ZIP's size
        "downloads": (
            "downloads/",
            [f"details.gk-package[open] td:nth-child({n})" for n in (1, 2, 3, 4)],
        ),
        # the release's record and the current whole file list, which 更新记录 points to
        "release": (
            "changelog/1/",
            [
                ".gk-release > p:first-of-type a[href='../../releases/1/manifest.json']",
                ".gk-release > p:first-of-type a[href='../../manifest.json']",
            ],
        ),
        "hearing": (path_for(hearing), [".gk-facts dd"]),
        "home": (
            "",
            [".gk-decisions td[data-label='类别']", ".gk-decisions td.gk-result", ".gk-decisions td.gk-exec"],
        ),
    }


@pytest.fixture(scope="module")
def browser(demo_url: str) -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


def open_page(browser: Any, url: str, viewport: dict[str, int]) -> Any:
    page = browser.new_page(viewport=viewport, locale="zh-CN")
    page.goto(url, wait_until="load")
    return page


def assert_seen(browser: Any, url: str, selectors: list[str], viewport: dict[str, int]) -> None:
    page = open_page(browser, url, viewport)
    try:
        seen = page.evaluate(SEEN, [selectors, viewport["width"]])
    finally:
        page.close()
    assert seen["count"] >= len(selectors)
    assert seen["problems"] == [], f"{url}: {seen['problems'][:5]}"
    assert seen["scrollWidth"] <= viewport["width"], f"{url} scrolls sideways: {seen['scrollWidth']} px"


@pytest.mark.parametrize(
    "kind",
    [
        "decision",
        "member",
        "member_quarter",
        "quarter",
        "disclosure",
        "hearing",
        "home",
        "downloads",
        "release",
    ],
)
def test_what_a_reader_came_for_is_on_a_390px_screen(browser, demo_url: str, pages, kind: str) -> None:
    path, selectors = pages[kind]
    assert_seen(browser, demo_url + path, selectors, PHONE)


@pytest.mark.parametrize("width", [768, 1024])
@pytest.mark.parametrize("kind", ["member", "member_quarter", "quarter"])
def test_the_widest_tables_fit_a_tablet_and_a_small_laptop(
    browser, demo_url: str, pages, kind: str, width: int
) -> None:
    path, selectors = pages[kind]
    assert_seen(browser, demo_url + path, selectors, {"width": width, "height": 900})


def test_a_decision_page_shows_who_decided_what_before_the_procedure(browser, demo_url: str, pages) -> None:
    path, _ = pages["decision"]
    page = open_page(browser, demo_url + path, PHONE)
    try:
        first_stance = page.locator(".gk-stances tbody tr").first.bounding_box()
        preconditions = page.locator("#preconditions").bounding_box()
        rules = page.locator("#rules").bounding_box()
        stances = page.locator(".gk-stances").bounding_box()
    finally:
        page.close()
    assert first_stance["y"] < preconditions["y"] < rules["y"]
    # the nine stances of the demo fit in one screen (they took three)
    assert stances["height"] <= PHONE["height"], f"{stances['height']:.0f} px of stances"


#: The label a phone's card draws before a cell (its ::before content, as the reader sees it), and
#: whether the value itself is drawn at all.
CARD_LABELS = """(selector) => Array.from(document.querySelectorAll(selector)).filter(row => row.offsetParent)
  .slice(0, 3).map(row => Array.from(row.cells).map(cell => {
    const label = getComputedStyle(cell, "::before").content;
    return [label === "none" || label === "normal" ? "" : label.replace(/^"|"$/g, ""), cell.getBoundingClientRect().width > 0];
  }))"""


def test_each_value_of_a_phone_card_is_labelled_by_its_column(browser, demo_url: str, pages) -> None:
    """A member's and a decision's rows become cards on a phone: each value that is not plain from its
    look carries its column's header, drawn by the stylesheet (the rows carry no data-label)."""
    member, _ = pages["member"]
    decision, _ = pages["decision"]
    page = open_page(browser, demo_url + member, PHONE)
    try:
        rows = page.evaluate(CARD_LABELS, ".gk-member-stances > tbody > tr")
        headers = page.eval_on_selector_all(
            ".gk-member-stances thead th", "cells => cells.map(c => c.textContent)"
        )
    finally:
        page.close()
    assert rows and headers[2:] == ["类别", "表态", "发言顺序", "意见说明", "决策结果"]
    for row in rows:
        assert [label for label, _drawn in row] == ["", "", *headers[2:]], row
    page = open_page(browser, demo_url + decision, PHONE)
    try:
        rows = page.evaluate(CARD_LABELS, ".gk-stances > tbody > tr")
        # A remark is a sentence: it runs the card's whole width under the name, not in a column.
        remark_share = page.eval_on_selector_all(
            ".gk-stances > tbody > tr > td:nth-child(5):not(:empty)",
            "cells => cells.map(c => c.getBoundingClientRect().width / c.parentElement.clientWidth)",
        )
    finally:
        page.close()
    assert rows and remark_share and min(remark_share) > 0.8, remark_share
    for row in rows:  # order, member, 职务 and stance speak for themselves; a remark is labelled
        assert [label for label, _drawn in row] == ["", "", "", "", "意见说明"], row


def test_an_empty_remark_column_takes_no_room(browser, demo_url: str) -> None:
    portal = load_portal(DEMO_DATA)
    silent = next(
        d for d in portal.decisions() if d.stances and not d.withheld and not any(s.remark for s in d.stances)
    )
    page = open_page(browser, demo_url + path_for(silent), DESKTOP)
    try:
        widths = page.eval_on_selector_all(
            ".gk-stances td:nth-child(5)", "cells => cells.map(c => c.getBoundingClientRect().width)"
        )
        header = page.eval_on_selector_all(".gk-stances thead th", "cells => cells.map(c => c.textContent)")
    finally:
        page.close()
    assert widths and set(widths) == {0}
    assert "意见说明" in header  # still in the markup for the downloads' readers, just not drawn


@pytest.mark.parametrize("kind", ["decision", "member", "member_quarter", "quarter", "disclosure", "home"])
def test_wide_tables_are_not_clipped_at_1280px(browser, demo_url: str, pages, kind: str) -> None:
    path, _ = pages[kind]
    page = open_page(browser, demo_url + path, DESKTOP)
    try:
        tables = page.evaluate(TABLES)
        content = page.locator(".md-content").bounding_box()
    finally:
        page.close()
    assert tables
    for table in tables:
        assert not table["clipped"], f"{path}: {table}"
        assert table["right"] <= table["wrapRight"] + 1 and table["right"] <= DESKTOP["width"], (
            f"{path}: {table}"
        )
    if kind != "home":
        assert content["width"] > 1000  # a record page uses the desktop's width, not 690 of 1,280 px


def test_an_earlier_decisions_progress_is_seen_on_a_phone_and_a_desktop(browser, tmp_path) -> None:
    """执行进展 reported in a later quarter: the dated history on the decision's page, each report's
    date, status and note on the screen of a 390 px phone and a 1280 px desktop."""
    import shutil

    from generator.build import build

    from .conftest import MINI_DATA, serving
    from .test_site import add_entries

    data = tmp_path / "data"
    shutil.copytree(MINI_DATA, data)
    add_entries(data / "fgw" / "2025Q2", "progress", [
        {"decision_id": "jc2025-001", "reported_on": "2025-05-20", "execution_status": "推进中",
         "note": "一期工程主体完工，二期完成招标，预计 2025 年 10 月全部完工"},
    ])  # fmt: skip
    build(data, tmp_path / "site", log=None)
    with serving(tmp_path / "site") as url:
        for viewport in (PHONE, DESKTOP):
            assert_seen(
                browser,
                f"{url}decisions/fgw/jc2025-001/",
                ["#progress", "ol.gk-progress li time", "ol.gk-progress li .gk-badge"],
                viewport,
            )


#: Where the element the address points at (``:target``) lies, against the sticky header, and
#: whether it is marked.
TARGET = """(selector) => {
  const box = document.querySelector(selector).getBoundingClientRect();
  const header = document.querySelector(".md-header").getBoundingClientRect();
  const basis = document.querySelector(selector + " > td:nth-child(3)").getBoundingClientRect();
  return {top: box.top, left: box.left, right: box.right, header: header.bottom, basis: basis.width,
          marked: getComputedStyle(document.querySelector(selector)).backgroundColor !== "rgba(0, 0, 0, 0)",
          target: document.querySelector(":target") === document.querySelector(selector)};
}"""


def test_a_rules_name_on_a_decision_page_opens_its_citation_on_a_phone(browser, demo_url: str, pages) -> None:
    """A rule met shows no citation on the decision page: its name leads to the rule's card in 如何阅读,
    which lands below the header, fits the screen and is marked as the one asked for."""
    path, _ = pages["decision"]
    page = open_page(browser, demo_url + path, PHONE)
    try:
        link = page.locator(".gk-rule--met strong > a").first
        slug = (link.get_attribute("href") or "").split("#rule-")[1]
        link.scroll_into_view_if_needed()
        link.click()
        page.wait_for_url(f"**/guide/#rule-{slug}")
        page.wait_for_load_state("load")
        landed = page.evaluate(TARGET, f"#rule-{slug}")
        seen = page.evaluate(SEEN, [[f"#rule-{slug} > td"], PHONE["width"]])
    finally:
        page.close()
    assert landed["target"] and landed["marked"], landed
    assert landed["header"] <= landed["top"] < PHONE["height"] / 2, landed
    assert landed["left"] >= 0 and landed["right"] <= PHONE["width"], landed
    # The citation reads across the card, not down a column a few characters wide.
    assert landed["basis"] >= 0.6 * PHONE["width"], landed
    assert seen["problems"] == [] and seen["scrollWidth"] <= PHONE["width"], seen


#: The navigation's links as the reader sees them: their text, and whether each is drawn at all.
NAV_LINKS = """() => [...document.querySelectorAll(".md-tabs a")].map(a => {
  const box = a.getBoundingClientRect(), style = getComputedStyle(a);
  return [a.textContent.trim(), box.width > 0 && box.height > 0 && style.visibility === "visible"];
})"""


@pytest.mark.parametrize("kind", ["decision", "member", "hearing", "home", "data"])
def test_the_menu_button_opens_the_whole_navigation_on_a_phone_even_far_down_a_page(
    browser, demo_url: str, pages, kind: str
) -> None:
    """A page carries one copy of the navigation, the tabs: on a phone they are the drawer the header's
    menu button opens, every link on the screen and readable, also after the reader has scrolled
    (when the theme dims the tabs), and out of reach while it is closed."""
    path = "data/" if kind == "data" else pages[kind][0]
    page = open_page(browser, demo_url + path, PHONE)
    try:
        page.evaluate("() => window.scrollTo(0, document.documentElement.scrollHeight)")
        page.wait_for_timeout(300)
        closed = page.evaluate(NAV_LINKS)
        page.locator("label.md-header__button[for='__drawer']").click()
        page.wait_for_function("() => document.getAnimations().every(a => a.playState !== 'running')")
        opened = page.evaluate(NAV_LINKS)
        seen = page.evaluate(SEEN, [[".md-tabs a", ".gk-drawer-title"], PHONE["width"]])
        page.locator(".md-tabs a", has_text="季度").click()
        page.wait_for_url("**/quarters/")
    finally:
        page.close()
    assert [text for text, _ in opened] == SITE_NAV
    assert not any(drawn for _, drawn in closed), closed
    assert all(drawn for _, drawn in opened), opened
    assert seen["count"] == len(SITE_NAV) + 1 and seen["problems"] == [], seen["problems"]


def test_the_navigation_is_a_row_of_tabs_on_a_desktop(browser, demo_url: str, pages) -> None:
    page = open_page(browser, demo_url + pages["decision"][0], DESKTOP)
    try:
        links = page.evaluate(NAV_LINKS)
        seen = page.evaluate(SEEN, [[".md-tabs__list > .md-tabs__item > .md-tabs__link"], DESKTOP["width"]])
        tops = page.eval_on_selector_all(
            ".md-tabs__list > li > a", "links => links.map(a => a.getBoundingClientRect().top)"
        )
        title = page.locator(".gk-drawer-title").bounding_box()
    finally:
        page.close()
    # one row under the header; the drawer's title and 开放接口 (under 数据说明) are the phone's only
    assert [text for text, drawn in links if drawn] == [name for name in SITE_NAV if name != "开放接口"]
    assert len(set(tops)) == 1 and title is None
    assert seen["problems"] == [], seen["problems"]
