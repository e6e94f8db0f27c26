"""The published site's recorded state (``generator.core.site_state``)."""

from __future__ import annotations

from generator.core.site_state import SiteState


def test_under_lists_a_folders_files_and_not_a_sibling_whose_name_it_begins() -> None:
    files = {
        "pagefind/pagefind.js": (1, 0),
        "pagefind-2/pagefind.js": (1, 0),
        "pagefind-2/fragment/a.pf_fragment": (1, 0),
        "pagefind/index/b.pf_index": (1, 0),
        "downloads/u/2025Q1/decisions.csv": (1, 0),
        "downloads/u/2025Q2/decisions.csv": (1, 0),
        "index.html": (1, 0),
    }
    state = SiteState(files=files)
    assert state.under("pagefind/") == ["pagefind/pagefind.js", "pagefind/index/b.pf_index"]
    assert state.under("pagefind-2/") == ["pagefind-2/pagefind.js", "pagefind-2/fragment/a.pf_fragment"]
    assert state.under("downloads/u/2025Q2/") == ["downloads/u/2025Q2/decisions.csv"]
    assert state.under("feeds/") == []
    # Asked again (a rebuild keeps several folders): the same answers.
    assert state.under("pagefind/") == ["pagefind/pagefind.js", "pagefind/index/b.pf_index"]
