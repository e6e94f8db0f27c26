"""What a citizen's first search transfers, measured in Debian's Chromium on a built site.

    python bench/search_transfer.py SITE_DIR [QUERY ...]

Serves the site on 127.0.0.1 (``gongkai serve``'s server: no compression, so text files count at
their full size), opens its search page in a fresh browser context, types each query (default:
资金, 采购, 大额度资金) and waits for the results. Every response of the page and of its workers is
counted, body and headers: opening the search page (theme, Pagefind's script, WebAssembly and
metadata of every shard), then what the first query fetched (index chunks, the fragments shown). Prints one line a query and the newest-first check (the dates of
the results shown are in descending order).
"""

from __future__ import annotations

import itertools
import re
import shutil
import sys
import threading
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.serve import make_server  # noqa: E402

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _size(request: Any) -> int:
    sizes = request.sizes()
    return int(sizes["responseBodySize"]) + int(sizes["responseHeadersSize"])


def main() -> None:
    from playwright.sync_api import sync_playwright

    site = Path(sys.argv[1])
    queries = [q for q in sys.argv[2:] if not q.startswith("--")] or ["资金", "采购", "大额度资金"]
    server = make_server(site, 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        for query in queries:
            context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
            page = context.new_page()
            # Context events: requests of the page and of its workers (Pagefind searches in a web
            # worker), each with its body and headers as received.
            finished: list[Any] = []
            context.on("requestfinished", lambda request, into=finished: into.append(request))
            page.goto(base + "search/", wait_until="networkidle")
            loaded = len(finished)
            page.fill("[data-gk-q]", query)
            page.press("[data-gk-q]", "Enter")
            page.wait_for_function(
                "() => /找到|没有找到/.test(document.querySelector('[data-gk-status]').textContent)"
            )
            if "没有找到" not in (page.text_content("[data-gk-status]") or ""):
                page.wait_for_selector(".gk-result__meta")
            page.wait_for_load_state("networkidle")
            sizes = [_size(request) for request in finished]
            page_bytes, query_bytes = sum(sizes[:loaded]), sum(sizes[loaded:])
            status = page.text_content("[data-gk-status]") or ""
            metas = page.eval_on_selector_all(".gk-result__meta", "els => els.map(e => e.textContent)")
            dates = [m.group(0) for text in metas if (m := re.search(r"\d{4}-\d{2}-\d{2}", text))]
            newest_first = all(a >= b for a, b in itertools.pairwise(dates))
            print(
                f"{query}：打开检索页 {page_bytes / 1024:.0f} KB（{loaded} 个请求）；首次查询 {query_bytes / 1024:.0f} KB"
                f"（{len(finished) - loaded} 个请求）；合计 {(page_bytes + query_bytes) / 1024:.0f} KB；"
                f"{status.strip()[:24]}；前 {len(dates)} 条按日期由新到旧：{'是' if newest_first else '否'}"
            )
            if "--detail" in sys.argv:
                for request, size in sorted(zip(finished, sizes, strict=True), key=lambda item: -item[1])[
                    :16
                ]:
                    print(f"    {size / 1024:7.1f} KB  {request.url[len(base) :]}")
            context.close()
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main()
