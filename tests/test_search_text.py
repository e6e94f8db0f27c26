"""A search that reads well, in Debian's Chromium on the built demo site: results that hold the
query exactly come before those that hold only its words, and every excerpt starts where a word or
clause starts and uses Chinese punctuation.

"Starts cleanly" is defined on the text Pagefind indexed for the result (its ``content``): the
excerpt's first clause (its text up to the first punctuation) occurs in that text at its start or
right after white space or Chinese punctuation, or the excerpt is "…" followed at once by a
highlighted word (Pagefind highlights whole words). An ASCII ". " never shows.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import quote

import pytest

from .test_search_browser import CHROMIUM, CHROMIUM_ARGS, EVERY_PAGEFIND

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

QUERIES = ["大额度资金", "设备采购", "预算", "老旧小区改造", "专家论证"]
PUNCTUATION = "。，；：！？、"
BOUNDARY = re.compile(rf"[\s{PUNCTUATION}!?]")

#: Every result of a query with the text Pagefind indexed for it, read through Pagefind's own API in
#: the page (the same bundles the site's script uses).
CONTENTS = (
    """async (query) => {
  const out = {};
  for (const pf of await """
    + EVERY_PAGEFIND
    + """) {
    const search = await pf.search(query);
    for (const item of await Promise.all(search.results.map((r) => r.data()))) out[item.url] = item.content;
  }
  return out;
}"""
)

#: What a person sees of an element: inside the viewport, of non-zero size, at least half opaque
#: (the opacities of its ancestors multiplied), not hidden, and what is drawn at its centre is the
#: element itself (not covered).
SEEN = """(element) => {
  const box = element.getBoundingClientRect();
  if (box.width < 1 || box.height < 1) return "zero size";
  if (box.top < 0 || box.left < 0 || box.bottom > innerHeight || box.right > innerWidth) return "outside the viewport";
  let opacity = 1;
  for (let node = element; node; node = node.parentElement) {
    const style = getComputedStyle(node);
    opacity *= Number(style.opacity);
    if (opacity < 0.5) return "transparent: " + node.className;
    if (style.visibility === "hidden" || style.display === "none") return "hidden: " + node.className;
  }
  const top = document.elementFromPoint(box.left + box.width / 2, box.top + Math.min(box.height / 2, 10));
  if (!top || !(element === top || element.contains(top))) return "covered by " + (top ? top.outerHTML.slice(0, 80) : "nothing");
  return "";
}"""

#: The excerpt as shown: its text, and whether it is "…" followed at once by a highlighted word.
EXCERPT = """(p) => ({
  text: p.innerText,
  ellipsisThenMark: p.childNodes.length > 1 && p.childNodes[0].textContent === "…" && p.childNodes[1].nodeName === "MARK",
})"""


@pytest.fixture(scope="module")
def browser(demo_url: str) -> Iterator:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture(params=[(1280, 900), (390, 844)], ids=["1280px", "390px"])
def page(browser, request) -> Iterator:
    width, height = request.param
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": height})
    yield context.new_page()
    context.close()


def starts_cleanly(excerpt: dict, content: str) -> bool:
    text = excerpt["text"].strip()
    if text.startswith("…"):
        return excerpt["ellipsisThenMark"]
    clause = re.split(rf"[{PUNCTUATION}]", text, maxsplit=1)[0][:10]
    assert clause, text
    return any(
        at == 0 or BOUNDARY.match(content[at - 1])
        for at in (m.start() for m in re.finditer(re.escape(clause), content))
    )


def shown_results(page, selector: str, excerpt_selector: str, link_selector: str) -> list[tuple[str, dict]]:
    results = []
    for item in page.query_selector_all(selector):
        href = item.query_selector(link_selector).get_attribute("href")
        results.append((href, item.query_selector(excerpt_selector).evaluate(EXCERPT)))
    return results


def check(results: list[tuple[str, dict]], contents: dict[str, str], query: str) -> None:
    assert results, query
    exact = []
    for href, excerpt in results:
        content = contents[href]
        exact.append(query in content)
        assert starts_cleanly(excerpt, content), (query, href, excerpt["text"])
        assert not re.search(r"\.\s", excerpt["text"]), (query, excerpt["text"])  # no ASCII ". "
    assert exact[0], (query, results[0])  # the first result holds the query as typed
    assert exact == sorted(exact, reverse=True), (query, exact)  # exact matches before loose ones


@pytest.mark.parametrize("sort", ["", "相关度"])
def test_search_page_ranks_exact_matches_first_with_clean_excerpts(page, demo_url: str, sort: str) -> None:
    for query in QUERIES:
        page.goto(f"{demo_url}search/?q={quote(query)}" + ("&%E6%8E%92%E5%BA%8F=" if sort else ""))
        page.wait_for_function("() => document.querySelectorAll('[data-gk-results] li').length > 0")
        contents = page.evaluate(CONTENTS, query)
        results = shown_results(page, "[data-gk-results] li", ".gk-result__excerpt", "a")
        check(results, contents, query)
        first = page.query_selector("[data-gk-results] li .gk-result__excerpt")
        if page.viewport_size["width"] < 600:  # on a phone the reader scrolls to the results
            first.evaluate("(e) => e.scrollIntoView({block: 'center'})")
        assert first.evaluate(SEEN) == "", query
        assert page.query_selector("[data-gk-results] li a").evaluate(SEEN) == "", query
        assert "完全一致的在前" in page.inner_text("[data-gk-status]")


def test_header_box_ranks_exact_matches_first_with_clean_excerpts(page, demo_url: str) -> None:
    page.goto(demo_url + "units/")
    if page.viewport_size["width"] < 600:  # on a phone the box opens from the header's search button
        page.click(".md-header label.md-header__button[for='__search']")
    for query in QUERIES:
        page.fill("[data-gk-search-input]", "")
        page.fill("[data-gk-search-input]", query)
        page.wait_for_function(
            "(q) => document.querySelector('[data-gk-search-meta]').textContent.includes('找到')"
            " && document.querySelectorAll('[data-gk-search-results] li').length > 0",
            arg=query,
        )
        page.wait_for_timeout(300)  # the last keystroke's search has replaced the list
        contents = page.evaluate(CONTENTS, query)
        results = shown_results(
            page, "[data-gk-search-results] li", ".md-search-result__article > p:last-child", "a"
        )
        check(results, contents, query)
        first = page.query_selector("[data-gk-search-results] li .md-search-result__article > p:last-child")
        assert first.evaluate(SEEN) == "", query  # what a person sees, not what the page holds


def test_excerpts_show_sentences_not_filter_values_heading_links_or_dates(page, demo_url: str) -> None:
    """A result that matched only its category, or a hand-written page, shows its text: never the
    filter values and sort date run together ("决策事项示例市委大额度资金运作2025年第一季度暂缓 2025-01-10…"),
    a heading's "¶" or the hidden "说明 0000-00-00"."""
    for query, clause in [("重大事项决策", "，重大事项决策，"), ("数据字典", "")]:
        page.goto(f"{demo_url}search/?q={quote(query)}")
        page.wait_for_function("() => document.querySelectorAll('[data-gk-results] li').length > 0")
        texts = [e.inner_text() for e in page.query_selector_all("[data-gk-results] li .gk-result__excerpt")]
        assert texts, query
        for text in texts:
            assert not re.search(r"\d{4}-\d{2}-\d{2}|¶|决策事项\S*季度", text), (query, text)
        assert not clause or any(clause in text for text in texts), (query, texts)
