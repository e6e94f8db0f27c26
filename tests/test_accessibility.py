"""Readable by everyone: WCAG 2.1 AA on every page type at 390 px and 1280 px, checked by axe-core
(npm, pinned in package.json) in Debian's headless Chromium; a skip link first on every page; focus
that is visible and never off-screen; and the 适老化 (长者模式) reading mode that stays on.

axe-core is injected with Playwright's ``add_script_tag(path=...)``, which writes the file's text
into an inline ``<script>``. Every page carries a strict Content-Security-Policy (script-src
'self') that refuses inline scripts, so the axe test alone opens its pages in a context with
``bypass_csp=True``; the policy itself is tested, unbypassed, in test_csp_browser.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import ROOT, page_types

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
#: The search page is opened with a query, and checked once its results show.
SEARCH_QUERY = "资金"


def open_page(page, url: str) -> None:
    page.goto(url, wait_until="networkidle")
    if "/search/?q=" in url:
        page.wait_for_selector(".gk-result")


def axe_violations(page) -> list[str]:
    """axe-core's WCAG 2.0/2.1 A and AA violations on the open page, one line per rule."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_TAGS,
    )
    return [
        f"{v['id']} ×{len(v['nodes'])}: {v['nodes'][0]['target']} {v['nodes'][0]['failureSummary'][:160]}"
        for v in result["violations"]
    ]


def measure(chromium, demo_site: Path, base_url: str, care: bool = False) -> dict[tuple[str, str], list[str]]:
    """axe violations for every page type at both widths (with 长者模式 on when ``care``)."""
    found = {}
    for width, viewport in WIDTHS.items():
        context = chromium.new_context(locale="zh-CN", viewport=viewport, bypass_csp=True)
        if care:
            context.add_init_script("localStorage.setItem('gongkai-care', '1')")
        page = context.new_page()
        try:
            for kind, path in page_types(demo_site).items():
                open_page(page, base_url + path)
                found[kind, width] = axe_violations(page)
        finally:
            context.close()
    return found


def test_axe_finds_no_wcag_21_aa_violation_on_any_page_type_at_either_width(
    chromium, demo_site: Path, demo_url: str
) -> None:
    assert AXE.is_file(), "axe-core is missing: run `make install` (npm ci)"
    found = measure(chromium, demo_site, demo_url)
    assert len(found) == 2 * len(page_types(demo_site)) == 34  # 17 page types at both widths
    failing = {key: rules for key, rules in found.items() if rules}
    assert failing == {}


def test_axe_finds_no_violation_in_the_care_mode_either(chromium, demo_site: Path, demo_url: str) -> None:
    found = measure(chromium, demo_site, demo_url, care=True)
    failing = {key: rules for key, rules in found.items() if rules}
    assert failing == {}


def test_every_built_page_has_a_skip_link_to_its_article(demo_site: Path) -> None:
    """Record pages too (the theme renders its skip link only on pages with a table of contents)."""
    pages = sorted(demo_site.rglob("*.html"))
    assert len(pages) > 500
    missing = []
    for path in pages:
        text = path.read_text(encoding="utf-8")
        if "<html" not in text[:500]:
            continue  # a redirect stub or fragment, not a page
        body = text.partition("<body")[2]
        skip = body.find('<a href="#gk-main" class="md-skip">跳到正文</a>')
        first_focusable = min(
            (
                i
                for i in (body.find("<a "), body.find("<button"), body.find('<input type="search"'))
                if i >= 0
            ),
            default=-1,
        )
        if skip < 0 or skip != first_focusable or body.count('id="gk-main"') != 1:
            missing.append(path.relative_to(demo_site).as_posix())
    assert missing == []


def settle(page) -> None:
    """Wait for the theme's transitions (skip link, search panel, drawer) to finish."""
    page.wait_for_timeout(50)
    page.wait_for_function("() => document.getAnimations().every(a => a.playState !== 'running')")


#: The focused element: where it is, whether its outline shows, whether it sits in the article,
#: in the drawer, or under the header search panel while that is open.
FOCUSED = """() => {
  const element = document.activeElement;
  const box = element.getBoundingClientRect();
  const style = getComputedStyle(element);
  return {
    tag: element.tagName, text: (element.textContent || "").trim().slice(0, 20), cls: String(element.className),
    left: box.left, right: box.right, top: box.top, bottom: box.bottom, width: box.width, height: box.height,
    outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2,
    inArticle: !!element.closest("#gk-main"), inDrawer: !!element.closest(".md-sidebar--primary"),
    underSearch: document.getElementById("__search").checked && !element.closest(".md-search"),
  };
}"""


@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_tab_from_the_top_reaches_the_skip_link_then_the_header_then_the_article_never_off_screen(
    chromium, demo_site: Path, demo_url: str, width: str
) -> None:
    viewport = WIDTHS[width]
    context = chromium.new_context(locale="zh-CN", viewport=viewport)
    page = context.new_page()
    try:
        for kind in ("首页", "单位", "决策事项"):
            page.goto(demo_url + page_types(demo_site)[kind], wait_until="networkidle")
            seen = []
            for _ in range(16):
                page.keyboard.press("Tab")
                settle(page)
                focused = page.evaluate(FOCUSED)
                if focused["tag"] == "BODY":
                    break  # past the last focusable element of a short page
                seen.append(focused)
                where = f"{kind} at {width}, Tab {len(seen)}: {focused['tag']} {focused['text']!r} {focused['cls']}"
                assert focused["width"] > 0 and focused["height"] > 0, where
                assert focused["left"] > -1 and focused["right"] < viewport["width"] + 1, where
                assert focused["bottom"] > 0 and focused["top"] < viewport["height"], where
                assert focused["outline"], where
                assert not focused["inDrawer"] or width == "desktop", where
                assert not focused["underSearch"], where
            assert "md-skip" in seen[0]["cls"] and seen[0]["text"] == "跳到正文", kind
            assert any(f["inArticle"] for f in seen), f"{kind} at {width}: 16 Tabs never reached the article"
            if width == "phone":
                # Skip link, then the header (长者模式, the search box and its panel), then the article.
                first_in_article = next(i for i, f in enumerate(seen) if f["inArticle"])
                assert first_in_article <= 5, (kind, [f["text"] for f in seen[:first_in_article]])

            # The skip link takes the focus to the article.
            page.goto(demo_url + page_types(demo_site)[kind], wait_until="networkidle")
            page.keyboard.press("Tab")
            page.keyboard.press("Enter")
            assert page.evaluate("document.activeElement.id") == "gk-main", kind
            page.keyboard.press("Tab")
            assert page.evaluate(FOCUSED)["inArticle"], kind
    finally:
        context.close()


def font_size(page, selector: str) -> float:
    return page.eval_on_selector(selector, "e => parseFloat(getComputedStyle(e).fontSize)")


def test_care_mode_gives_larger_text_and_stays_on_across_pages_and_visits(
    chromium, demo_site: Path, demo_url: str
) -> None:
    """With the Content-Security-Policy in force (not bypassed), and nothing from another host."""
    types = page_types(demo_site)
    context = chromium.new_context(locale="zh-CN", viewport=WIDTHS["phone"])
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    csp: list[str] = []
    page.on("console", lambda message: "Content Security Policy" in message.text and csp.append(message.text))
    try:
        page.goto(demo_url + types["首页"], wait_until="networkidle")
        button = page.locator("[data-gk-care-toggle]")
        assert button.is_visible() and button.text_content().strip() == "长者模式"
        assert button.get_attribute("aria-pressed") == "false"
        normal_text = font_size(page, "#gk-main p")
        normal_root = font_size(page, "html")

        button.click()
        assert button.get_attribute("aria-pressed") == "true"
        assert font_size(page, "#gk-main p") >= normal_text * 1.3
        assert page.evaluate("getComputedStyle(document.body).color") == "rgb(0, 0, 0)"

        # Another page, then a later visit in a new tab: still on.
        page.goto(demo_url + types["决策事项"], wait_until="networkidle")
        assert page.evaluate("document.documentElement.hasAttribute('data-gk-care')")
        assert font_size(page, "html") >= normal_root * 1.3
        assert page.locator("[data-gk-care-toggle]").get_attribute("aria-pressed") == "true"
        later = context.new_page()
        later.goto(demo_url + types["单位"], wait_until="networkidle")
        assert font_size(later, "html") >= normal_root * 1.3

        # Off again, and it stays off.
        later.click("[data-gk-care-toggle]")
        later.goto(demo_url + types["听证"], wait_until="networkidle")
        assert font_size(later, "html") == normal_root
        assert later.locator("[data-gk-care-toggle]").get_attribute("aria-pressed") == "false"
        assert csp == []
        assert all(url.startswith(demo_url) for url in requests)
    finally:
        context.close()


def test_care_mode_script_is_a_file_in_the_head_run_before_paint(demo_site: Path) -> None:
    html = (demo_site / "index.html").read_text(encoding="utf-8")
    head = html.split("</head>")[0]
    assert '<script src="assets/gongkai-care.js"></script>' in head  # not deferred, not async
    assert "<script>" not in html
