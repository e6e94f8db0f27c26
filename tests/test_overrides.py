"""A portal's own look, without Python: ``overrides/`` beside its ``data/`` folder.

``overrides/templates/`` holds jinja2 templates that replace the default ones of the same name
(record pages and the open-data pages alike), ``overrides/extra.css`` is added to every page after
the default styles. Text from data stays data in an overriding template (autoescaped).
"""

from __future__ import annotations

import csv
from pathlib import Path

from generator.build import build
from generator.render.shell import SITE_FILES

TEMPLATES = SITE_FILES / "theme" / "templates"
HOSTILE = '<script>alert("x")</script>'


def set_first_title(data: Path, title: str) -> str:
    path = data / "fgw/2025Q1/decisions.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    column = rows[0].index("title")
    rows[1][column] = title
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    return rows[1][rows[0].index("decision_id")]


def portal_with_overrides(mini_data: Path) -> Path:
    overrides = mini_data.parent / "overrides"
    (overrides / "templates").mkdir(parents=True)
    decision = (TEMPLATES / "decision.html").read_text(encoding="utf-8")
    (overrides / "templates" / "decision.html").write_text(
        decision.replace(
            "<h1>{{ d.title }}</h1>",
            '<h1>{{ d.title }}</h1><p class="portal-note">本门户自定义：{{ d.title }}</p>'
            # ``filesize``, which templates called before the downloads listed rows (an override
            # copied from one still builds)
            '<p class="portal-size">{{ filesize(d.disclosure, "decisions.csv") }}</p>',
            1,
        ),
        encoding="utf-8",
    )
    table = (TEMPLATES / "opendata_table.html").read_text(encoding="utf-8")
    (overrides / "templates" / "opendata_table.html").write_text(
        table.replace(
            '<article class="gk-table-page">',
            '<article class="gk-table-page"><p class="portal-note">本门户的数据字典</p>',
            1,
        ),
        encoding="utf-8",
    )
    (overrides / "extra.css").write_text(".portal-note { color: #8a1c1c; }\n", encoding="utf-8")
    return overrides


def test_a_portal_overrides_a_record_page_an_open_data_page_and_the_styles(mini_data: Path) -> None:
    portal_with_overrides(mini_data)
    decision_id = set_first_title(mini_data, HOSTILE)
    out = mini_data.parent / "site"
    build(mini_data, out, log=None)

    page = (out / "decisions" / "fgw" / decision_id / "index.html").read_text(encoding="utf-8")
    assert '<p class="portal-note">本门户自定义：&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;</p>' in page
    assert HOSTILE not in page  # the overriding template is autoescaped like the default one
    size = (out / "downloads/fgw/2025Q1/decisions.csv").stat().st_size
    assert f'<p class="portal-size">（{size / 1024:.1f} KB）</p>' in page
    other = next(p for p in (out / "decisions" / "fgw").iterdir() if p.name != decision_id)
    assert "portal-note" in (other / "index.html").read_text(encoding="utf-8")  # every decision page

    dictionary = (out / "data" / "decisions" / "index.html").read_text(encoding="utf-8")
    assert '<p class="portal-note">本门户的数据字典</p>' in dictionary

    assert (out / "assets" / "portal.css").read_text(encoding="utf-8") == ".portal-note { color: #8a1c1c; }\n"
    home = (out / "index.html").read_text(encoding="utf-8")
    assert home.index("assets/gongkai.css") < home.index("assets/portal.css")  # after the defaults
    assert "assets/portal.css" in page


def test_a_portal_without_overrides_builds_as_before(mini_data: Path, tmp_path: Path) -> None:
    build(mini_data, tmp_path / "plain", log=None)
    assert not (tmp_path / "plain" / "assets" / "portal.css").exists()
    assert "portal.css" not in (tmp_path / "plain" / "index.html").read_text(encoding="utf-8")
    overrides = mini_data.parent / "overrides"
    overrides.mkdir()  # an empty folder changes nothing
    build(mini_data, tmp_path / "empty", log=None)
    for path in (tmp_path / "plain").rglob("*.html"):
        assert path.read_bytes() == (tmp_path / "empty" / path.relative_to(tmp_path / "plain")).read_bytes()


def test_a_broken_override_is_named_with_its_line_and_nothing_is_published(
    mini_data: Path, tmp_path: Path, capsys
) -> None:
    """An override written for an earlier Gongkai (a name it no longer gives the template) or with
    a syntax error: a Chinese message naming the template file and line, a non-zero exit, no
    traceback, no site."""
    from generator.cli import main

    overrides = mini_data.parent / "overrides" / "templates"
    overrides.mkdir(parents=True)
    template = overrides / "slot_downloads.html"
    for text, line, what in [
        ("<p>数据包</p>\n{% for p in packages %}{{ p.unit }}{% endfor %}\n", 2, "“packages”未定义"),
        ("<p>数据包</p>\n\n{% for p in quarters %}\n", 3, "模板语法有误"),
    ]:
        template.write_text(text, encoding="utf-8")
        code = main(["build", "--quiet", "--data", str(mini_data), "--out", str(tmp_path / "site")])
        err = capsys.readouterr().err
        assert code != 0
        assert f"页面模板出错：{template} 第 {line} 行，{what}" in err, err
        assert "请对照当前版本的同名模板（theme/templates/）修改" in err  # it is the portal's own
        assert "Traceback" not in err and "内部错误" not in err
        assert not (tmp_path / "site").exists()
