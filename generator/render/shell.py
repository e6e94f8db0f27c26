"""Render stage, part 1: MkDocs renders the hand-written pages and the page shells.

MkDocs (with mkdocs-material) builds ``content/`` plus one *shell* page per directory depth that
record pages use. A shell is a complete themed page whose body is a marker; ``generator.render.pages``
fills the shells with jinja2-rendered record bodies. That keeps record pages out of the nav and
out of Markdown (MkDocs renders the whole nav into every page, so its cost grows with the square of the pages in it), and keeps the record
rendering independent of the theme engine: only the shell comes from MkDocs.

A shell draws the theme's icons from one sprite file, ``assets/gongkai-icons.svg`` (``<use>``),
instead of carrying each drawing: tens of thousands of record pages would otherwise repeat them.

Hand-written pages may contain slots, ``<div class="gk-slot" data-slot="NAME"></div>``, that
the generator replaces with generated HTML (home statistics, unit lists, the data dictionary).

Nothing a page loads comes from another host: after MkDocs has run, the theme's script loads its
ResizeObserver polyfill from the site (a vendored copy) instead of a CDN, its mermaid loader is made
inert (no diagrams here), and the unused lunr search assets and source maps are removed. Every page
carries :data:`CONTENT_SECURITY_POLICY` in a ``<meta>`` tag (theme/overrides/main.html), and
``_headers`` gives it, with ``frame-ancestors``, to hosts that read such a file.
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from generator.core.cache import Cache, CacheChanged, ContentHash, code_fingerprint
from generator.core.config import PortalConfig

TITLE_MARK = "GKSHELLTITLE7f3a"
BODY_MARK = '<div class="gk-shell-body"></div>'
SHELL_DIR = "_gk_shell"
INDENT_RE = re.compile(r"\n\s+")
SLOT_RE = re.compile(r'<div class="gk-slot" data-slot="([a-z-]+)"></div>')
SOURCE_MAP_RE = re.compile(r"\n?//# sourceMappingURL=\S+\s*$")
#: The theme's icons, inlined in every page (about 1.4 KB of paths: logo and search twice, menu,
#: back, top). Record pages point at one sprite file instead (``_sprite_icons``).
ICON_RE = re.compile(r'<svg xmlns="http://www.w3.org/2000/svg" viewBox="(0 0 \d+ \d+)">(.*?)</svg>', re.S)
ROOT_META_RE = re.compile(r'<meta name="gongkai-root" content="([./]*)">')
ICON_SPRITE = "assets/gongkai-icons.svg"

#: What a page may load: scripts, styles, fonts, images, workers and fetches from the site itself
#: only. Pagefind compiles WebAssembly ('wasm-unsafe-eval') and runs its search in a web worker
#: (pagefind-worker.js, from the site); mkdocs-material's icons are data: SVGs in its stylesheet.
#: No 'unsafe-inline': the theme's inline scripts are files (theme/overrides/partials/javascripts).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; worker-src 'self' blob:; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'"
)
#: For hosts that honour a headers file (Netlify, Cloudflare Pages): the same policy as the pages'
#: <meta> tag, plus what only a header can say.
HEADERS_FILE = "_headers"
HEADERS = (
    "# 公开（Gongkai）生成：支持此文件的托管平台（Netlify、Cloudflare Pages 等）据此为每个页面加上安全响应头。\n"
    "/*\n"
    f"  Content-Security-Policy: {CONTENT_SECURITY_POLICY}; frame-ancestors 'self'\n"
    "  X-Content-Type-Options: nosniff\n"
    "  Referrer-Policy: strict-origin-when-cross-origin\n"
)
#: mkdocs-material 9.8.1 (pinned) loads two scripts from a CDN when a browser lacks them. Each URL is
#: replaced in its bundle exactly once, or the build stops (a new theme version must be checked).
POLYFILL = "assets/vendor/resize-observer-polyfill-1.5.1.js"
BUNDLE_REWRITES = (
    # ResizeObserver (browsers before 2020): the vendored copy, from the site's root (__md_scope,
    # set by assets/gongkai-theme.js before the bundle runs).
    ('"https://unpkg.com/resize-observer-polyfill"', f'new URL("{POLYFILL}",__md_scope).href'),
    # mermaid diagrams: none on this site. An empty script address fails at once without a request.
    ('"https://unpkg.com/mermaid@11/dist/mermaid.min.js"', '""'),
)
#: The lunr search plugin's assets (the theme copies them even with the plugin off); search is Pagefind's.
UNUSED_ASSETS = ("assets/javascripts/lunr", "assets/javascripts/workers")

#: Where a portal's own ``overrides/extra.css`` is published (linked after the default styles).
PORTAL_CSS = "assets/portal.css"
#: portal.yml's identity settings, given to the footer (theme/overrides/partials/footer.html).
IDENTITY = ("sponsor", "operator", "contact", "icp", "police_record", "site_code")

PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent
# mkdocs.yml, content/ and theme/: the source checkout's, or the copy that a wheel carries (setup.py).
_PACKAGED = Path(__file__).resolve().parent.parent / "_site"
SITE_FILES = _PACKAGED if _PACKAGED.is_dir() else PROJECT_ROOT


@dataclass(frozen=True)
class Shell:
    """A themed page split around its title and body markers, for one directory depth."""

    depth: int
    parts: tuple[str, ...]  # text between title markers; the body marker sits in exactly one part

    def fill(self, title: str, body: str) -> str:
        """The complete page. ``title`` must already be HTML-escaped."""
        return title.join(part.replace(BODY_MARK, body) if BODY_MARK in part else part for part in self.parts)


@dataclass
class ThemedSite:
    """What MkDocs produced: the site directory (without shells) and a shell per depth."""

    site_dir: Path
    shells: dict[int, Shell]
    pages: list[str]  # root-relative paths of the hand-written pages, "" for the home page


def _shell_source(depth: int) -> str:
    # depth 2 → _gk_shell/s2.md (URL _gk_shell/s2/), depth 3 → _gk_shell/d/s3.md (URL _gk_shell/d/s3/)
    return "/".join([SHELL_DIR, *(["d"] * (depth - 2)), f"s{depth}.md"])


#: Cache kind of what MkDocs made (``render_theme``).
THEME_CACHE_KIND = "theme"


def theme_key(
    config: PortalConfig, depths: tuple[int, ...], mkdocs_file: Path, overrides: Path | None
) -> str:
    """Everything MkDocs' output depends on: our code, MkDocs' and mkdocs-material's versions, the
    settings of ``portal.yml``, ``mkdocs.yml`` with the content and theme beside it, the portal's
    overrides folder and the shells' depths."""
    from importlib.metadata import version

    digest = ContentHash("gongkai-theme")
    digest.add("code", code_fingerprint().encode("ascii"))
    digest.add(
        "packages", f"mkdocs {version('mkdocs')} mkdocs-material {version('mkdocs-material')}".encode()
    )
    digest.add("depths", repr(depths).encode("ascii"))
    digest.add("config", repr(config).encode("utf-8"))
    digest.add_tree("mkdocs.yml", mkdocs_file)
    digest.add_tree("content", mkdocs_file.parent / "content")
    digest.add_tree("theme", mkdocs_file.parent / "theme")
    if overrides is not None:
        digest.add_tree("overrides", overrides)
    return digest.hexdigest()


def render_theme(
    config: PortalConfig,
    work_dir: Path,
    depths: tuple[int, ...],
    mkdocs_file: Path | None = None,
    overrides: Path | None = None,
    cache: Cache | None = None,
) -> ThemedSite:
    """Run MkDocs over content/ plus shells in ``work_dir``; return the site and the shells. A
    portal's ``overrides/extra.css`` is added to every page after the default styles.

    With a ``cache``, what MkDocs made is kept under ``theme_key`` and copied from there while the
    key holds (most rebuilds: MkDocs and its import cost ~0.7 s)."""
    mkdocs_file = mkdocs_file or SITE_FILES / "mkdocs.yml"
    key = theme_key(config, depths, mkdocs_file, overrides) if cache is not None else ""
    entry = cache.lookup(THEME_CACHE_KIND, key) if cache is not None else None
    site_dir = work_dir.absolute() / "site"
    if entry is not None:
        try:
            note = json.loads(entry.note)
            shells = {int(depth): Shell(int(depth), tuple(parts)) for depth, parts in note["shells"].items()}
            pages = [str(page) for page in note["pages"]]
            # Copied, not linked: the build fills the hand-written pages' slots in place.
            entry.restore(site_dir, copy=True)
        except (CacheChanged, OSError, ValueError, TypeError, KeyError, AttributeError):
            shutil.rmtree(site_dir, ignore_errors=True)  # as if it had missed
        else:
            if sorted(shells) == sorted(depths):
                return ThemedSite(site_dir, shells, pages)
            shutil.rmtree(site_dir, ignore_errors=True)
    themed = _run_mkdocs(config, work_dir, depths, mkdocs_file, overrides)
    if cache is not None:
        note = {
            "shells": {str(d): list(shell.parts) for d, shell in themed.shells.items()},
            "pages": themed.pages,
        }
        with contextlib.suppress(OSError):  # the cache is an optimisation only
            cache.store(
                THEME_CACHE_KIND, key, themed.site_dir, note=json.dumps(note, ensure_ascii=False), copy=True
            )
    return themed


def _run_mkdocs(
    config: PortalConfig, work_dir: Path, depths: tuple[int, ...], mkdocs_file: Path, overrides: Path | None
) -> ThemedSite:
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    # MkDocs resolves a relative docs_dir/site_dir against its config file's folder, not the
    # working directory: a portal repository building with ``--out site`` needs absolute paths.
    docs_dir = work_dir.absolute() / "docs"
    site_dir = work_dir.absolute() / "site"
    content_dir = mkdocs_file.parent / "content"
    shutil.copytree(content_dir, docs_dir)
    for depth in depths:
        source = docs_dir / _shell_source(depth)
        source.parent.mkdir(parents=True, exist_ok=True)
        source.write_text(
            f"---\ntitle: {TITLE_MARK}\ngongkai_shell: true\n---\n\n{BODY_MARK}\n", encoding="utf-8"
        )

    licence = config.licence_info
    for name in ("mkdocs", "mkdocs.commands.build", "mkdocs.structure.pages", "mkdocs.plugins"):
        logging.getLogger(name).setLevel(logging.ERROR)
    mk_config = load_config(
        config_file=str(mkdocs_file),
        docs_dir=str(docs_dir),
        site_dir=str(site_dir),
        site_name=config.title,
        site_url=config.site_url or None,
        extra={
            "demo": config.demo,
            "publisher": config.publisher,
            "licence_title": licence["title"],
            "licence_url": licence["path"],
            "csp": CONTENT_SECURITY_POLICY,
            "identity": {name: getattr(config, name) for name in IDENTITY},
        },
    )
    extra_css = overrides / "extra.css" if overrides is not None else None
    if extra_css is not None and extra_css.is_file():
        (docs_dir / PORTAL_CSS).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(extra_css, docs_dir / PORTAL_CSS)
        mk_config["extra_css"].append(PORTAL_CSS)
    mkdocs_build(mk_config)
    _localise_assets(site_dir)
    (site_dir / HEADERS_FILE).write_text(HEADERS, encoding="utf-8")

    shells = {}
    icons: dict[tuple[str, str], str] = {}
    for depth in depths:
        page = site_dir / Path(_shell_source(depth)).with_suffix("") / "index.html"
        html = page.read_text(encoding="utf-8")
        if html.count(BODY_MARK) != 1:
            raise RuntimeError(f"page shell {page} lost its body marker")
        # Indentation is a third of a themed page's bytes, written once per record page: drop it
        # (the shell has no <pre> or <textarea>, where white space would matter).
        if "<pre" not in html and "<textarea" not in html:
            html = INDENT_RE.sub("\n", html)
        html = _sprite_icons(html, icons)
        shells[depth] = Shell(depth, tuple(html.split(TITLE_MARK)))
    (site_dir / ICON_SPRITE).write_text(_sprite(icons), encoding="utf-8")
    shutil.rmtree(site_dir / SHELL_DIR)
    # MkDocs' sitemap lists the shells and not the record pages: generator.render.pages writes its own.
    for name in ("sitemap.xml", "sitemap.xml.gz"):
        (site_dir / name).unlink(missing_ok=True)
    pages = sorted(
        ""
        if md.with_suffix("").name == "index" and md.parent == content_dir
        else str(md.relative_to(content_dir).with_suffix("")) + "/"
        for md in content_dir.rglob("*.md")
    )
    return ThemedSite(site_dir, shells, pages)


def _sprite_icons(html: str, icons: dict[tuple[str, str], str]) -> str:
    """Replace each inline icon of a shell with a reference to its symbol in ``ICON_SPRITE``.

    ``icons`` maps (viewBox, drawing) to a symbol id and grows with each new icon. The ``<svg>``
    element stays where the theme put it, so the theme's styles (size, ``fill: currentcolor``, which
    the symbol inherits) apply as before; only the drawing is fetched once, from the site itself."""
    root = ROOT_META_RE.search(html)
    if root is None:
        raise RuntimeError("page shell lost its gongkai-root meta tag")

    def reference(match: re.Match[str]) -> str:
        symbol = icons.setdefault((match.group(1), match.group(2)), f"i{len(icons) + 1}")
        # The viewBox stays on the <svg>: the theme sizes an icon by its height, its width follows
        # from the drawing's proportions (without it, an <svg> is 300 px wide: the logo was).
        return f'<svg viewBox="{match.group(1)}" aria-hidden="true"><use href="{root.group(1)}{ICON_SPRITE}#{symbol}"/></svg>'

    return ICON_RE.sub(reference, html)


def _sprite(icons: dict[tuple[str, str], str]) -> str:
    symbols = "".join(
        f'<symbol id="{symbol}" viewBox="{view_box}">{drawing}</symbol>'
        for (view_box, drawing), symbol in icons.items()
    )
    return f'<svg xmlns="http://www.w3.org/2000/svg">{symbols}</svg>\n'


def _localise_assets(site_dir: Path) -> None:
    """Point the theme's CDN fallbacks at the site itself and drop what no page uses."""
    for folder in UNUSED_ASSETS:
        shutil.rmtree(site_dir / folder, ignore_errors=True)
    # Source maps are for debugging the theme; a rewritten bundle no longer matches its map.
    for source_map in (site_dir / "assets").rglob("*.map"):
        source_map.unlink()
    bundles = list((site_dir / "assets" / "javascripts").glob("bundle.*.min.js"))
    if len(bundles) != 1:
        raise RuntimeError(f"expected one mkdocs-material bundle, found {bundles}")
    code = bundles[0].read_text(encoding="utf-8")
    for old, new in BUNDLE_REWRITES:
        if code.count(old) != 1:
            raise RuntimeError(f"{bundles[0].name}: {old} should occur once (a new mkdocs-material version?)")
        code = code.replace(old, new)
    code = SOURCE_MAP_RE.sub("", code)
    bundles[0].write_text(code, encoding="utf-8")
    if not (site_dir / POLYFILL).is_file():
        raise RuntimeError(f"{POLYFILL} is missing from theme/overrides")


def fill_slots(page: Path, slots: dict[str, str]) -> None:
    """Replace every slot marker in a built page with its generated HTML."""
    html = page.read_text(encoding="utf-8")

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in slots:
            raise KeyError(f"{page}: unknown slot {name!r}")
        return slots[name]

    page.write_text(SLOT_RE.sub(replace, html), encoding="utf-8")
