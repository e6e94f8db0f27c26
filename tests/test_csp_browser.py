"""Nothing from other hosts, and a Content-Security-Policy that the site keeps: every page type of
the built demo, opened in Debian's headless Chromium, searched from the header box and the 检索 page.

Also in a browser without ``ResizeObserver`` (removed before any script runs), where
mkdocs-material loads its polyfill: from the site itself, never from a CDN.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from generator.core.urls import path_for
from generator.sources.load import load_portal

from .conftest import DEMO_DATA, page_types

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

#: Records every CSP violation (the event, and the console's report of it) before any page script runs.
WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI + " " + event.sourceFile + ":" + event.lineNumber);
});
"""
NO_RESIZE_OBSERVER = "delete window.ResizeObserver;"


def open_context(chromium, *init_scripts: str):
    context = chromium.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    for script in init_scripts:
        context.add_init_script(script)
    page = context.new_page()
    page.requests = []  # type: ignore[attr-defined]
    page.console_csp = []  # type: ignore[attr-defined]
    page.on("request", lambda request: page.requests.append(request.url))
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and page.console_csp.append(message.text),
    )
    return context, page


def violations(page) -> list[str]:
    return page.evaluate("window.__cspViolations") + page.console_csp


def visible_in_viewport(page, selector: str) -> bool:
    """The first element matching ``selector`` is on screen: inside the viewport, with a size,
    and neither it nor an ancestor is transparent or hidden."""
    return page.eval_on_selector(
        selector,
        """element => {
          const box = element.getBoundingClientRect();
          if (box.width <= 0 || box.height <= 0) return false;
          if (box.bottom <= 0 || box.right <= 0 || box.top >= innerHeight || box.left >= innerWidth) return false;
          for (let node = element; node; node = node.parentElement) {
            const style = getComputedStyle(node);
            if (parseFloat(style.opacity) === 0 || style.visibility === "hidden" || style.display === "none") return false;
          }
          return true;
        }""",
    )


def test_no_page_requests_another_host_even_without_resize_observer(
    chromium, demo_site: Path, demo_url: str
) -> None:
    context, page = open_context(chromium, WATCH_CSP, NO_RESIZE_OBSERVER)
    host = urlsplit(demo_url).netloc
    try:
        for kind, path in page_types(demo_site).items():
            response = page.goto(demo_url + path, wait_until="networkidle")
            assert response is not None and response.status == (404 if kind == "不存在的页面" else 200), kind
            assert page.evaluate("typeof ResizeObserver") == "function", f"{kind}: the polyfill did not load"
            assert violations(page) == [], kind
        foreign = [url for url in page.requests if urlsplit(url).netloc != host]
        assert foreign == []
        assert any(url.endswith("/assets/vendor/resize-observer-polyfill-1.5.1.js") for url in page.requests)
    finally:
        context.close()


def test_every_page_type_and_both_searches_keep_the_content_security_policy(
    chromium, demo_site: Path, demo_url: str
) -> None:
    context, page = open_context(chromium, WATCH_CSP)
    try:
        for kind, path in page_types(demo_site).items():
            page.goto(demo_url + path, wait_until="networkidle")
            assert page.locator('meta[http-equiv="Content-Security-Policy"]').count() == 1, kind
            # Styles applied: the theme's header is laid out and coloured by its stylesheet.
            assert page.eval_on_selector(".md-header", "e => getComputedStyle(e).position") == "sticky", kind
            assert violations(page) == [], kind

        # The header search box (Pagefind's WebAssembly and worker under the policy), on a record
        # page and on the 404 page (served at any depth: it finds the index from the site's root).
        decision = load_portal(DEMO_DATA).decisions()[5]
        for path in (path_for(decision), "a/b/no-such-page/"):
            page.goto(demo_url + path, wait_until="networkidle")
            page.click("[data-gk-search-input]")
            page.fill("[data-gk-search-input]", decision.title[:8])
            page.wait_for_selector("[data-gk-search-results] li")
            assert decision.title in page.eval_on_selector_all(
                "[data-gk-search-results] h1", "els => els.map(e => e.textContent)"
            ), path
            assert visible_in_viewport(page, "[data-gk-search-results] li"), path
            assert violations(page) == [], path

        # The 检索 page.
        page.goto(demo_url + "search/", wait_until="networkidle")
        page.fill("[data-gk-q]", "资金")
        page.press("[data-gk-q]", "Enter")
        page.wait_for_selector(".gk-result")
        assert "找到" in page.text_content("[data-gk-status]")
        page.locator(".gk-result").first.scroll_into_view_if_needed()
        assert visible_in_viewport(page, ".gk-result")
        assert violations(page) == []
        assert any("/pagefind/" in url and url.endswith(".pagefind") for url in page.requests), (
            "the search ran on Pagefind's WebAssembly"
        )
    finally:
        context.close()


def test_the_policy_is_enforced(chromium, demo_url: str) -> None:
    """The watcher sees a violation when there is one: an inline script is refused and reported."""
    context, page = open_context(chromium, WATCH_CSP)
    try:
        page.goto(demo_url, wait_until="networkidle")
        page.evaluate(
            """() => { const s = document.createElement("script"); s.textContent = "window.__ran = true";
                       document.body.appendChild(s); }"""
        )
        page.wait_for_function("() => window.__cspViolations.length > 0")
        assert page.evaluate("window.__ran") is None
        assert any(v.startswith("script-src") for v in violations(page))
    finally:
        context.close()


#: Each theme icon in the header that a person can see, and whether its drawing is there: an icon
#: whose sprite did not load keeps its box but draws nothing (its <use> has an empty bounding box).
HEADER_ICONS = """() => [...document.querySelectorAll(".md-header svg")].filter(svg => {
  const box = svg.getBoundingClientRect();
  return box.width > 0 && box.height > 0 && getComputedStyle(svg).visibility !== "hidden";
}).map(svg => {
  const use = svg.querySelector("use");
  const drawn = use ? use.getBBox() : svg.getBBox();
  const box = svg.getBoundingClientRect();
  return {icon: use ? use.getAttribute("href") : "inline", width: drawn.width, height: drawn.height,
          box: [Math.round(box.width), Math.round(box.height)]};
})"""


@pytest.mark.parametrize("width", [390, 1280])
def test_record_pages_draw_the_header_icons_from_the_sites_own_sprite(
    chromium, demo_url: str, width: int
) -> None:
    context = chromium.new_context(locale="zh-CN", viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        decision = load_portal(DEMO_DATA).decisions()[5]
        page.goto(demo_url + path_for(decision), wait_until="networkidle")
        icons = page.evaluate(HEADER_ICONS)
        # The logo and the search field's magnifier on a desktop; the menu and the search button on a phone.
        assert len(icons) >= 2, icons
        for icon in icons:
            assert icon["icon"].startswith("../../../assets/gongkai-icons.svg#"), icon
            assert icon["width"] > 0 and icon["height"] > 0, f"{icon['icon']} draws nothing"
        # Each the size it has on a hand-written page, where the theme draws it inline.
        page.goto(demo_url + "about/", wait_until="networkidle")
        inline = page.evaluate(HEADER_ICONS)
        assert [icon["box"] for icon in icons] == [icon["box"] for icon in inline]
    finally:
        context.close()
