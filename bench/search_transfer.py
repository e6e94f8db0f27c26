"""What a citizen's first search transfers, measured in Debian's Chromium on a built site.

    python bench/search_transfer.py SITE_DIR [QUERY ...] [--gzip] [--detail] [--relevance]

Serves the site on 127.0.0.1 (``gongkai serve``'s server: no compression, so text files count at
their full size; with ``--gzip``, HTML, CSS, JavaScript and JSON are sent gzip-compressed, as a
static host such as nginx with ``gzip on`` sends them; Pagefind's own files are compressed already),
opens its search page in a fresh browser context, types each query (default:
资金, 采购, 大额度资金) and waits for the results. Every response of the page and of its workers is
counted, body and headers: opening the search page (theme, Pagefind's script, WebAssembly and
the search catalogue), then what the first query fetched (Pagefind's script, WebAssembly and the
newest shard's metadata (index chunks, the fragments shown). Prints one line a query and the newest-first check (the dates of
the results shown are in descending order). With ``--relevance`` the reader has chosen 相关度优先
(``?排序=``): the newest four shards are searched at once (``RELEVANCE_SHARDS`` in ``gongkai.js``).
"""

from __future__ import annotations

import functools
import itertools
import re
import sys
import threading
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.serve import make_server  # noqa: E402
from tests.test_search_browser import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

COMPRESSED = {".html", ".css", ".js", ".json", ".xml", ".svg", ".txt"}


def counting_server(site: Path, compress: bool) -> tuple[Any, list[tuple[str, int]]]:
    """The preview server, and the list of (path, bytes sent) of every file it serves. Counted on
    the server, so that nothing the browser fetches escapes the count (Playwright does not report
    a web worker's own script). With ``compress``, text files go gzip-compressed to a client that
    accepts it."""
    import gzip

    server = make_server(site, 0)
    base = server.RequestHandlerClass
    sent: list[tuple[str, int]] = []

    class Counting(base.func):  # type: ignore[attr-defined,name-defined,misc]
        def do_GET(self) -> None:
            path = Path(self.translate_path(self.path))
            if path.is_dir():
                path = path / "index.html"
            if not path.is_file():
                super().do_GET()
                return
            body = path.read_bytes()
            gzipped = (
                compress and path.suffix in COMPRESSED and "gzip" in self.headers.get("Accept-Encoding", "")
            )
            if gzipped:
                body = gzip.compress(body, compresslevel=6, mtime=0)
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(path)))
            if gzipped:
                self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            sent.append((self.path, len(body) + 200))  # the body and about 200 bytes of headers

    server.RequestHandlerClass = functools.partial(Counting, **base.keywords)
    return server, sent


def main() -> None:
    from playwright.sync_api import sync_playwright

    site = Path(sys.argv[1])
    queries = [q for q in sys.argv[2:] if not q.startswith("--")] or ["资金", "采购", "大额度资金"]
    server, sent = counting_server(site, "--gzip" in sys.argv)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        for query in queries:
            context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
            page = context.new_page()
            sent.clear()
            page.goto(
                base + ("search/?排序=" if "--relevance" in sys.argv else "search/"), wait_until="networkidle"
            )
            loaded = len(sent)
            page.fill("[data-gk-q]", query)
            page.press("[data-gk-q]", "Enter")
            page.wait_for_function(
                "() => /找到|没有找到/.test(document.querySelector('[data-gk-status]').textContent)"
            )
            if "没有找到" not in (page.text_content("[data-gk-status]") or ""):
                page.wait_for_selector(".gk-result__meta")
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(300)  # a fetch the page started last is answered
            sizes = [size for _path, size in sent]
            page_bytes, query_bytes = sum(sizes[:loaded]), sum(sizes[loaded:])
            status = page.text_content("[data-gk-status]") or ""
            metas = page.eval_on_selector_all(".gk-result__meta", "els => els.map(e => e.textContent)")
            dates = [m.group(0) for text in metas if (m := re.search(r"\d{4}-\d{2}-\d{2}", text))]
            newest_first = all(a >= b for a, b in itertools.pairwise(dates))
            print(
                f"{query}：打开检索页 {page_bytes / 1024:.0f} KB（{loaded} 个请求）；首次查询 {query_bytes / 1024:.0f} KB"
                f"（{len(sent) - loaded} 个请求）；合计 {(page_bytes + query_bytes) / 1024:.0f} KB；"
                f"{status.strip()[:24]}；前 {len(dates)} 条按日期由新到旧：{'是' if newest_first else '否'}"
            )
            if "--detail" in sys.argv:
                for path, size in sorted(sent, key=lambda item: -item[1])[:16]:
                    print(f"    {size / 1024:7.1f} KB  {path}")
            context.close()
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main()
