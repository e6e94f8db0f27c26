"""Search, as a reader uses it: Chinese queries typed into the built demo site in real Chromium.

Runs the real Pagefind index in Debian's headless Chromium (never a downloaded browser).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from generator.core.urls import path_for
from generator.sources.load import load_portal

from .conftest import DEMO_DATA, demo_site_with_shards, serving

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: Words a citizen would type (2 to 6 characters, compounds included). The test keeps those that
#: occur in decision titles of the demo data and requires at least 20 of them.
CANDIDATE_QUERIES = [
    "大额度资金", "专项审计", "设备采购", "干部任免", "乡村振兴", "老旧小区改造", "预算", "采购", "招聘", "改造",
    "医疗设备", "信息化", "调整", "资金", "项目", "建设", "任免", "选拔", "投资", "安全生产", "实施方案", "补助",
    "考核", "人才", "公立医院", "城市更新", "食品安全", "市场监管", "燃气", "光伏", "道路", "学校", "养老", "医保",
    "绩效", "专项资金", "基础设施", "监督检查", "招标", "党建", "维修", "租赁", "扶持", "电网", "污水处理", "整治",
]  # fmt: skip


@pytest.fixture(scope="module")
def browser_page(demo_url: str) -> Iterator:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        requests: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        page.requests = requests  # type: ignore[attr-defined]
        yield page
        context.close()
        browser.close()


def queries_from_data() -> dict[str, set[str]]:
    """Query word → root-relative paths of the decision pages whose title contains it."""
    decisions = load_portal(DEMO_DATA).decisions()
    expected = {}
    for word in CANDIDATE_QUERIES:
        paths = {path_for(d) for d in decisions if word in d.title and not d.withheld}
        if paths:
            expected[word] = paths
    return expected


#: The 显示更多结果 button is settled: hidden, or ready to be clicked (not waiting for an older shard).
MORE_SETTLED = "() => { const m = document.querySelector('[data-gk-more]'); return m.hidden || !m.disabled; }"
ALL_SHOWN = (
    "() => { const m = /^找到 (\\d+) 条结果/.exec(document.querySelector('[data-gk-status]').textContent);"
    " return !m || document.querySelectorAll('.gk-result').length >= Number(m[1]); }"
)


def load_every_result(page) -> None:
    """Click 显示更多结果 until every result is shown, as a reader would: only when it can be clicked."""
    while True:
        page.wait_for_function(MORE_SETTLED)
        if not page.is_visible("[data-gk-more]"):
            # The button hides as the last batch is asked for; its results are appended when their
            # records arrive: wait for every result the status counts, as a reader would see them.
            page.wait_for_function(ALL_SHOWN)
            return
        count = page.locator(".gk-result").count()
        page.click("[data-gk-more]")
        page.wait_for_function(f"() => document.querySelectorAll('.gk-result').length > {count}")


def _ask(page, address: str, query: str, **filters: str) -> None:
    """Open the search page at ``address`` and, once its filters are filled, choose ``filters``
    and search ``query``."""
    page.goto(address)
    page.wait_for_selector("[data-gk-filter='单位'] option:nth-child(2)", state="attached")
    for name, value in filters.items():
        page.select_option(f"[data-gk-filter='{name}']", value=value)
    page.fill("[data-gk-q]", query)
    page.press("[data-gk-q]", "Enter")


def run_search(page, base: str, query: str, **filters: str) -> list[str]:
    """Type a query into the search page, load every result, return result paths."""
    _ask(page, base + "search/", query, **filters)
    # Predicates are functions, not expression strings: Playwright polls a string with eval, which
    # the site's Content-Security-Policy refuses.
    page.wait_for_function(
        "() => document.querySelector('[data-gk-status]').textContent.includes('找到') || document.querySelector('[data-gk-status]').textContent.includes('没有找到')"
    )
    load_every_result(page)
    status = page.text_content("[data-gk-status]")
    if "没有找到" in status:
        return []
    total = int(status.split("找到 ")[1].split(" ")[0])
    page.wait_for_function(f"() => document.querySelectorAll('.gk-result').length === {total}")
    return [
        urlsplit(href).path.lstrip("/")
        for href in page.eval_on_selector_all("a.gk-result__title", "els => els.map(e => e.href)")
    ]


def test_chinese_queries_find_the_decision_pages_whose_title_contains_them(
    browser_page, demo_url: str
) -> None:
    expected = queries_from_data()
    assert len(expected) >= 20, f"only {len(expected)} candidate queries occur in the demo titles"
    found_total = expected_total = 0
    misses = {}
    for query, paths in expected.items():
        results = set(run_search(browser_page, demo_url, query))
        found = paths & results
        found_total += len(found)
        expected_total += len(paths)
        if found != paths:
            misses[query] = f"{len(found)}/{len(paths)}"
    recall = found_total / expected_total
    print(f"\n{len(expected)} queries, {expected_total} expected pages, recall {recall:.3f}, misses {misses}")
    assert recall >= 0.95, f"recall {recall:.3f}: {misses}"
    assert "大额度资金" not in misses or expected.get("大额度资金") is None


def test_withheld_items_are_found_by_their_label_never_by_their_content(browser_page, demo_url: str) -> None:
    withheld = [d for d in load_portal(DEMO_DATA).decisions() if d.withheld]  # the unredacted data
    assert len(withheld) == 2
    found = set(run_search(browser_page, demo_url, "依法不予公开"))
    assert {path_for(d) for d in withheld} <= found
    for d in withheld:
        core = d.title.removeprefix("关于").removesuffix("的决定")
        for query in (core, core[:4], d.summary[:8]):
            assert path_for(d) not in run_search(browser_page, demo_url, query), query


def test_filters_narrow_the_results_and_newest_come_first(browser_page, demo_url: str) -> None:
    everything = run_search(browser_page, demo_url, "资金")
    assert len(everything) > 10
    unit = load_portal(DEMO_DATA).units[2].short_name
    narrowed = run_search(browser_page, demo_url, "资金", 单位=unit, 类型="决策事项")
    assert 0 < len(narrowed) < len(everything)
    assert set(narrowed) <= set(everything)
    metas = browser_page.eval_on_selector_all(".gk-result__meta", "els => els.map(e => e.textContent)")
    assert all(meta.startswith(unit) for meta in metas)
    dates = [meta.split(" · ")[1] for meta in metas]
    assert dates == sorted(dates, reverse=True), "results are sorted newest first"
    by_category = run_search(browser_page, demo_url, "资金", 类别="大额度资金运作", 结果="通过")
    assert 0 < len(by_category) < len(everything)
    assert all(
        m.split(" · ")[2:4] == ["大额度资金运作", "通过"]
        for m in browser_page.eval_on_selector_all(".gk-result__meta", "els => els.map(e => e.textContent)")
    )


def test_header_search_box_shows_results_as_you_type(browser_page, demo_url: str) -> None:
    decision = load_portal(DEMO_DATA).decisions()[5]
    browser_page.goto(demo_url + path_for(decision))
    browser_page.click("[data-gk-search-input]")
    browser_page.fill("[data-gk-search-input]", decision.title[:8])
    browser_page.wait_for_selector("[data-gk-search-results] li")
    titles = browser_page.eval_on_selector_all(
        "[data-gk-search-results] h1", "els => els.map(e => e.textContent)"
    )
    assert decision.title in titles
    browser_page.press("[data-gk-search-input]", "Enter")
    browser_page.wait_for_url("**/search/?q=*")
    browser_page.wait_for_selector(".gk-result")


def test_pages_request_nothing_from_other_hosts(browser_page, demo_url: str) -> None:
    host = urlsplit(demo_url).netloc
    browser_page.requests.clear()
    for path in ["", "units/", "search/?q=采购", path_for(load_portal(DEMO_DATA).decisions()[0])]:
        browser_page.goto(demo_url + path, wait_until="networkidle")
    assert browser_page.requests
    foreign = [
        url
        for url in browser_page.requests
        if urlsplit(url).netloc not in (host, "") and not url.startswith("data:")
    ]
    assert foreign == []


def test_search_spans_every_shard_of_a_large_portal(browser_page, demo_url: str, sharded_site) -> None:
    """Large portals split the index into quarter shards; nothing one index finds may be lost.

    (A shard segments a query against its own vocabulary, so a shard that lacks a compound may also
    match its parts: results can be a little looser than with one index, never poorer.)"""
    bundles = sorted(p.name for p in sharded_site.iterdir() if p.name.startswith("pagefind"))
    # Each quarter of the demo (about 270 records) is more than a shard holds: cut in two by date.
    assert bundles == ["pagefind", "pagefind-2", "pagefind-3", "pagefind-4"]
    by_title = queries_from_data()
    queries = ["乡村振兴", "专项审计", "大额度资金", "设备采购", "资金"]
    single = {q: set(run_search(browser_page, demo_url, q)) for q in queries}
    with serving(sharded_site) as url:
        for query in queries:
            sharded = set(run_search(browser_page, url, query))
            assert by_title.get(query, set()) <= sharded, query
            assert single[query] <= sharded, query
        run_search(browser_page, url, "资金", 类型="决策事项")
        metas = browser_page.eval_on_selector_all(".gk-result__meta", "els => els.map(e => e.textContent)")
        dates = [meta.split(" · ")[1] for meta in metas]
        assert dates == sorted(dates, reverse=True) and dates[0][:7] != dates[-1][:7], (
            "newest first across shards"
        )
        browser_page.goto(url + "search/")
        browser_page.wait_for_selector("[data-gk-filter='季度'] option:nth-child(3)", state="attached")
        quarters = browser_page.eval_on_selector_all(
            "[data-gk-filter='季度'] option", "els => els.map(e => e.value)"
        )
        assert quarters == ["", "2025年第二季度", "2025年第一季度"]


def test_a_search_by_relevance_searches_every_shard_at_once_and_finds_all(browser_page, sharded_site) -> None:
    """按相关度 searches every shard at once (each its own Pagefind, its own WebAssembly): it finds
    as many as newest first, every time. (Pagefind's ``createInstance``, one script and worker for
    all shards, shared one WebAssembly memory between them and failed now and then with
    "unreachable" or "memory access out of bounds".)"""
    with serving(sharded_site) as url:
        newest_first = len(run_search(browser_page, url, "资金"))
        for _ in range(5):
            _ask(browser_page, url + "search/?排序=", "资金")
            browser_page.wait_for_function(
                "() => /找到|失败/.test(document.querySelector('[data-gk-status]').textContent)"
            )
            status = browser_page.text_content("[data-gk-status]") or ""
            assert status.startswith(f"找到 {newest_first} 条结果"), status
            assert set(_bundles_loaded(browser_page.requests)) >= {"pagefind", "pagefind-4"}


@pytest.fixture(scope="module")
def finely_sharded_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo data built with shards of at most 60 documents: more shards than a search by
    relevance searches at once."""
    return demo_site_with_shards(tmp_path_factory, 60)


def test_a_search_by_relevance_ranks_the_newest_shards_first_and_older_ones_when_asked(
    browser_page, finely_sharded_site
) -> None:
    """Sorted by relevance, the newest four shards are searched at once (not every shard: 12.7 MB
    at 100,000 decisions), the status says older records are not searched yet, and 显示更多结果
    goes on to older shards until every result is found: the same ones as newest first."""
    shards = json.loads((finely_sharded_site / "search" / "shards.json").read_text())["shards"]
    assert len(shards) > 4
    with serving(finely_sharded_site) as url:
        everything = set(run_search(browser_page, url, "资金"))
        browser_page.requests.clear()
        _ask(browser_page, url + "search/?排序=", "资金")
        browser_page.wait_for_function(
            "() => /找到|失败/.test(document.querySelector('[data-gk-status]').textContent)"
        )
        status = browser_page.text_content("[data-gk-status]") or ""
        assert "更早的记录尚未检索" in status and "各自按相关度排列" in status, status
        assert set(_bundles_loaded(browser_page.requests)) == {s["bundle"].rstrip("/") for s in shards[:4]}
        load_every_result(browser_page)
        status = browser_page.text_content("[data-gk-status]") or ""
        assert status.startswith(f"找到 {len(everything)} 条结果") and "较新的记录在前" in status, status
        found = browser_page.eval_on_selector_all("a.gk-result__title", "els => els.map(e => e.href)")
        assert {urlsplit(href).path.lstrip("/") for href in found} == everything


def test_a_portal_served_under_a_subpath_keeps_search_and_links_inside_it(
    browser_page, demo_site, tmp_path
) -> None:
    """GitHub Pages serves a project's site at https://<owner>.github.io/<repo>/ (the portal CI
    files publish there): assets, search bundles and result links all stay under that path."""
    host = tmp_path / "host"
    host.mkdir()
    (host / "gongkai-portal").symlink_to(demo_site, target_is_directory=True)
    expected = queries_from_data()["专项审计"]
    with serving(host) as url:
        browser_page.requests.clear()
        found = run_search(browser_page, url + "gongkai-portal/", "专项审计")
        assert {path.removeprefix("gongkai-portal/") for path in found} >= expected
        assert [path for path in found if not path.startswith("gongkai-portal/")] == []
        paths = {urlsplit(request).path for request in browser_page.requests if request.startswith(url)}
        assert any("/pagefind/" in path for path in paths)
        assert [path for path in paths if not path.startswith("/gongkai-portal/")] == []
        response = browser_page.goto(url + found[0])
        assert response is not None and response.status == 200
        assert browser_page.text_content("article h1")


def test_results_stay_newest_first_when_the_first_batch_arrives_after_the_second(
    browser_page, demo_url: str
) -> None:
    """A reader on a slow connection who asks for 更多 before the first results have arrived still
    gets them in order: the first batch's fragments are held back until the second batch is asked for."""
    import threading

    held = threading.Event()
    waiting: list = []

    def slow_fragments(route) -> None:
        if not held.is_set():
            waiting.append(route)  # answered once the second batch has been asked for
        else:
            route.continue_()

    browser_page.route("**/*.pf_fragment", slow_fragments)
    try:
        _ask(browser_page, demo_url + "search/", "资金")
        browser_page.wait_for_function(
            "() => document.querySelector('[data-gk-status]').textContent.includes('找到')"
        )
        browser_page.wait_for_function("() => !document.querySelector('[data-gk-more]').hidden")
        for _ in range(50):  # its fragments asked for (a busy machine asks a moment later)
            if waiting:
                break
            browser_page.wait_for_timeout(100)
        assert (
            browser_page.locator(".gk-result").count() == 0 and waiting
        )  # the first batch is still on its way
        held.set()
        browser_page.click("[data-gk-more]")  # the second batch, asked for first
        browser_page.wait_for_timeout(500)  # its fragments arrive; the first batch's are still held
        for route in waiting:
            route.continue_()
        browser_page.wait_for_function("() => document.querySelectorAll('.gk-result').length >= 40")
        metas = browser_page.eval_on_selector_all(".gk-result__meta", "els => els.map(e => e.textContent)")
        dates = [meta.split(" · ")[1] for meta in metas]
        assert dates == sorted(dates, reverse=True), "results out of order"
    finally:
        browser_page.unroute("**/*.pf_fragment")


#: JavaScript: Pagefind's own instance of every search shard of the page's site, in the order of
#: search/shards.json, each set up as the site's script sets it up.
EVERY_PAGEFIND = """(async () => {
  const root = new URL(document.querySelector('meta[name="gongkai-root"]').content, location.href);
  const catalogue = await (await fetch(new URL("search/shards.json", root).href)).json();
  const instances = [];
  for (const shard of catalogue.shards) {
    const pf = await import(new URL(shard.bundle + "pagefind.js", root).href);
    await pf.options({ baseUrl: root.pathname });
    instances.push(pf);
  }
  return instances;
})()"""

#: Pagefind's own filter counts, every shard's merged (what the page showed before it had a catalogue).
PAGEFIND_FILTERS = (
    """async () => {
  const merged = {};
  for (const pf of await """
    + EVERY_PAGEFIND
    + """) {
    const filters = await pf.filters();
    for (const [name, values] of Object.entries(filters))
      for (const [value, count] of Object.entries(values)) {
        merged[name] = merged[name] || {};
        merged[name][value] = (merged[name][value] || 0) + count;
      }
  }
  return merged;
}"""
)


def _bundles_loaded(requests: list[str]) -> list[str]:
    """The search shards whose files were requested, in the order of their first request."""
    out: list[str] = []
    for url in requests:
        folder = urlsplit(url).path.lstrip("/").split("/", 1)[0]
        if folder.startswith("pagefind") and folder not in out:
            out.append(folder)
    return out


def test_a_search_loads_the_newest_shard_first_and_older_ones_only_when_asked(
    browser_page, sharded_site
) -> None:
    """Opening the search page loads no shard (its filters come from search/shards.json); the first
    search loads only the newest shard when that holds a page of results; 显示更多结果 loads the next
    ones, and the results stay newest first across shards. A quarter filter loads only that
    quarter's shards. The catalogue's filter counts are Pagefind's own, over every shard."""
    with serving(sharded_site) as url:
        browser_page.requests.clear()
        browser_page.goto(url + "search/")
        browser_page.wait_for_selector("[data-gk-filter='单位'] option:nth-child(2)", state="attached")
        assert _bundles_loaded(browser_page.requests) == []
        browser_page.select_option("[data-gk-filter='类型']", value="决策事项")
        browser_page.wait_for_function(
            "() => document.querySelector('[data-gk-status]').textContent.includes('找到')"
        )
        browser_page.wait_for_function("() => document.querySelectorAll('.gk-result').length === 20")
        assert _bundles_loaded(browser_page.requests) == ["pagefind-4"]  # the newest shard
        status = browser_page.text_content("[data-gk-status]")
        oldest, newest = json.loads((sharded_site / "search" / "shards.json").read_text())["shards"][0][
            "dates"
        ]
        assert status.startswith(f"{oldest} 至 {newest} 的记录中找到 ") and "更早的记录尚未检索" in status, (
            status
        )
        load_every_result(browser_page)
        assert _bundles_loaded(browser_page.requests) == [
            "pagefind-4",
            "pagefind-3",
            "pagefind-2",
            "pagefind",
        ]
        total = sum(1 for d in load_portal(DEMO_DATA).decisions())
        assert browser_page.text_content("[data-gk-status]").startswith(f"找到 {total} 条结果")
        metas = browser_page.eval_on_selector_all(".gk-result__meta", "els => els.map(e => e.textContent)")
        dates = [meta.split(" · ")[1] for meta in metas]
        assert len(dates) == total and dates == sorted(dates, reverse=True), "newest first across shards"

        browser_page.requests.clear()
        browser_page.goto(url + "search/?类型=决策事项&季度=2025年第一季度")
        browser_page.wait_for_function("() => document.querySelectorAll('.gk-result').length === 20")
        assert _bundles_loaded(browser_page.requests) == ["pagefind-2"]  # 2025Q1's newer half
        metas = browser_page.eval_on_selector_all(".gk-result__meta", "els => els.map(e => e.textContent)")
        assert all(meta.split(" · ")[1] < "2025-04-01" for meta in metas)

        shown = browser_page.eval_on_selector_all(
            "[data-gk-filter] option",
            "els => els.map(e => [e.parentElement.dataset.gkFilter, e.textContent])",
        )
        pagefind = browser_page.evaluate(PAGEFIND_FILTERS)
        expected = [
            [name, f"{value}（{count}）"] for name in pagefind for value, count in pagefind[name].items()
        ]
        assert sorted(tuple(pair) for pair in shown if pair[1] != "全部") == sorted(map(tuple, expected))
