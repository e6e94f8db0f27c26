"""Render stage, part 1: MkDocs renders the hand-written pages and the page shells.

MkDocs (with mkdocs-material) builds ``content/`` plus one *shell* page per directory depth that
record pages use. A shell is a complete themed page whose body is a marker; ``generator.pages``
fills the shells with jinja2-rendered record bodies. That keeps record pages out of the nav and
out of Markdown (see DEVELOPERS.md: 1,000 pages in the nav cost 25 s), and keeps the record
rendering independent of the theme engine: only the shell comes from MkDocs.

Hand-written pages may contain slots, ``<div class="gk-slot" data-slot="NAME"></div>``, that
the generator replaces with generated HTML (home statistics, unit lists, the data dictionary).
"""

from __future__ import annotations

import logging
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from generator.config import PortalConfig

TITLE_MARK = "GKSHELLTITLE7f3a"
BODY_MARK = '<div class="gk-shell-body"></div>'
SHELL_DIR = "_gk_shell"
INDENT_RE = re.compile(r"\n\s+")
SLOT_RE = re.compile(r'<div class="gk-slot" data-slot="([a-z-]+)"></div>')

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# mkdocs.yml, content/ and theme/: the source checkout's, or the copy that a wheel carries (setup.py).
_PACKAGED = Path(__file__).resolve().parent / "_site"
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


def render_theme(
    config: PortalConfig,
    work_dir: Path,
    depths: tuple[int, ...],
    search_bundles: list[str],
    mkdocs_file: Path | None = None,
) -> ThemedSite:
    """Run MkDocs over content/ plus shells in ``work_dir``; return the site and the shells."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    mkdocs_file = mkdocs_file or SITE_FILES / "mkdocs.yml"
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
            "search_bundles": " ".join(search_bundles),
        },
    )
    mkdocs_build(mk_config)

    shells = {}
    for depth in depths:
        page = site_dir / Path(_shell_source(depth)).with_suffix("") / "index.html"
        html = page.read_text(encoding="utf-8")
        if html.count(BODY_MARK) != 1:
            raise RuntimeError(f"page shell {page} lost its body marker")
        # Indentation is a third of a themed page's bytes, written once per record page: drop it
        # (the shell has no <pre> or <textarea>, where white space would matter).
        if "<pre" not in html and "<textarea" not in html:
            html = INDENT_RE.sub("\n", html)
        shells[depth] = Shell(depth, tuple(html.split(TITLE_MARK)))
    shutil.rmtree(site_dir / SHELL_DIR)
    # MkDocs' sitemap lists the shells and not the record pages: generator.pages writes its own.
    for name in ("sitemap.xml", "sitemap.xml.gz"):
        (site_dir / name).unlink(missing_ok=True)
    pages = sorted(
        ""
        if md.with_suffix("").name == "index" and md.parent == content_dir
        else str(md.relative_to(content_dir).with_suffix("")) + "/"
        for md in content_dir.rglob("*.md")
    )
    return ThemedSite(site_dir, shells, pages)


def fill_slots(page: Path, slots: dict[str, str]) -> None:
    """Replace every slot marker in a built page with its generated HTML."""
    html = page.read_text(encoding="utf-8")

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in slots:
            raise KeyError(f"{page}: unknown slot {name!r}")
        return slots[name]

    page.write_text(SLOT_RE.sub(replace, html), encoding="utf-8")
