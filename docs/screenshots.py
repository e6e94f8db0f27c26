"""Take README screenshots of a built site in Debian's headless Chromium.

python docs/screenshots.py SITE_DIR OUT_DIR PATH[=NAME[@WIDTH]] ...
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from generator.serve import make_server
from tests.test_search_browser import CHROMIUM, CHROMIUM_ARGS


def main() -> None:
    site, out, *targets = sys.argv[1:]
    server = make_server(Path(site), 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    Path(out).mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for target in targets:
            path, _, rest = (
                target.rpartition("=") if target.count("=") > target.count("?q=") else (target, "", "")
            )
            name, _, width = (rest or path.strip("/").replace("/", "-") or "home").partition("@")
            width = int(width or 1280)  # a phone's screen (390 × 844) or a desktop's (… × 900)
            page = browser.new_page(
                viewport={"width": width, "height": 844 if width < 600 else 900}, locale="zh-CN"
            )
            page.goto(base + path, wait_until="networkidle")
            if "q=" in path:
                page.wait_for_selector(".gk-result")
            if "#" in path:  # the jump to an anchor shows the theme's "back to top" button: a reader's
                page.mouse.wheel(0, 1)  # next scroll down hides it again
                page.wait_for_timeout(500)
            page.screenshot(path=f"{out}/{name}.png", full_page=False)
            page.close()
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main()
