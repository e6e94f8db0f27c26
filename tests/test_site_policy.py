"""What the built demo gives a browser, read from its files: the same Content-Security-Policy at the
top of every page and in ``_headers``, no inline script or style for it to refuse, no address of
another host that a browser would load, and none of the theme's unused lunr assets."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

from generator.render.shell import CONTENT_SECURITY_POLICY, POLYFILL

CSP_META_RE = re.compile(
    r'<head>\s*<meta charset="utf-8">\s*<meta http-equiv="Content-Security-Policy" content="([^"]*)">'
)
#: Hosts that serve scripts, styles and fonts to other sites (the theme's fallbacks used unpkg).
CDN_RE = re.compile(
    r"unpkg\.com|jsdelivr|googleapis|gstatic|cdnjs|bootcdn|staticfile\.org|polyfill\.io|use\.fontawesome|"
    r"cloudflare\.com|code\.jquery|bootstrapcdn|baomitu|bytecdntp|aliyuncs|qiniu",
    re.IGNORECASE,
)
#: In a page: anything that loads (not a link a reader follows) from an absolute address.
HTML_LOADS_RE = re.compile(
    r"<(?:script|img|iframe|embed|object|source|audio|video|track)\b[^>]*\s(?:src|data|srcset)=\"(?:https?:)?//"
    r"|<link\b(?![^>]*rel=\"(?:canonical|license|alternate)\")[^>]*href=\"(?:https?:)?//"
    r"|<form\b[^>]*action=\"(?:https?:)?//",
    re.IGNORECASE,
)
#: In a stylesheet: an import or a url() from an absolute address.
CSS_LOADS_RE = re.compile(r"@import|url\(\s*['\"]?(?:https?:)?//", re.IGNORECASE)
#: What the policy refuses: inline scripts (a JSON data block is not run), <style>, style="", on…="".
INLINE_RE = re.compile(
    r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")|<style\b|\sstyle=\"|\son[a-z]+=\"",
    re.IGNORECASE,
)


def browser_files(site: Path, *suffixes: str) -> list[Path]:
    return [p for p in site.rglob("*") if p.suffix in suffixes and p.is_file()]


def test_every_page_carries_the_policy_first_in_its_head(demo_site: Path) -> None:
    pages = browser_files(demo_site, ".html")
    assert len(pages) > 500
    for page in pages:
        html = page.read_text(encoding="utf-8")
        head = html[: html.index("</head>")]
        assert head.count("Content-Security-Policy") == 1, page
        # Only the charset comes before it: the policy applies to everything that follows it.
        meta = CSP_META_RE.search(head)
        assert meta and unescape(meta.group(1)) == CONTENT_SECURITY_POLICY, page
        assert not INLINE_RE.search(html), (page, INLINE_RE.search(html))


def test_the_headers_file_gives_the_same_policy_to_every_path(demo_site: Path) -> None:
    lines = (demo_site / "_headers").read_text(encoding="utf-8").splitlines()
    assert "/*" in lines
    policy = next(line for line in lines if line.startswith("  Content-Security-Policy: "))
    assert policy == f"  Content-Security-Policy: {CONTENT_SECURITY_POLICY}; frame-ancestors 'self'"
    for directive in ("default-src 'self'", "script-src 'self' 'wasm-unsafe-eval'", "object-src 'none'"):
        assert directive in CONTENT_SECURITY_POLICY
    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY


def test_nothing_a_browser_loads_names_another_host(demo_site: Path) -> None:
    files = browser_files(demo_site, ".html", ".js", ".mjs", ".css", ".json", ".webmanifest")
    assert any(p.name.startswith("bundle.") for p in files)
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert not CDN_RE.search(text), (path, CDN_RE.search(text))
        if path.suffix == ".html":
            assert not HTML_LOADS_RE.search(text), (path, HTML_LOADS_RE.search(text))
        if path.suffix == ".css":
            assert not CSS_LOADS_RE.search(text), (path, CSS_LOADS_RE.search(text))


def test_the_theme_ships_only_what_pages_use(demo_site: Path) -> None:
    javascripts = demo_site / "assets" / "javascripts"
    assert not (javascripts / "lunr").exists()
    assert not (javascripts / "workers").exists()
    assert list(demo_site.rglob("*.map")) == []
    bundle = next(javascripts.glob("bundle.*.min.js")).read_text(encoding="utf-8")
    assert "sourceMappingURL" not in bundle
    assert f'new URL("{POLYFILL}",__md_scope)' in bundle
    assert (demo_site / POLYFILL).is_file()
    pages = " ".join(
        p.read_text(encoding="utf-8") for p in [demo_site / "index.html", demo_site / "404.html"]
    )
    assert "lunr" not in pages and "workers/search" not in pages
