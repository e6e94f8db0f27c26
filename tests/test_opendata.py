"""The open-data side, opened the way journalists open it: with independent, real clients."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import feedparser
import pytest
from bs4 import BeautifulSoup
from openpyxl import load_workbook
from pyld import jsonld

from generator.build import build
from generator.core.schema import resource_spec
from generator.export.catalog import data_date
from generator.sources.load import load_portal

from .conftest import DEMO_DATA

FRICTIONLESS = str(Path(sys.executable).parent / "frictionless")
ALL = "downloads/all"
DEMO_DECISIONS = 439  # the demo: the pilot units' 405 (seed 000) and the township's 34


@pytest.fixture(scope="module")
def portal():
    return load_portal(DEMO_DATA)


def frictionless_validate(descriptor: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [FRICTIONLESS, "validate", str(descriptor)], capture_output=True, text=True, timeout=600, check=False
    )


def test_combined_package_and_bulk_zips_pass_frictionless_validate(demo_site: Path, tmp_path: Path) -> None:
    result = frictionless_validate(demo_site / ALL / "datapackage.json")
    assert result.returncode == 0, result.stdout + result.stderr
    with zipfile.ZipFile(demo_site / ALL / "gongkai-all.zip") as archive:
        archive.extractall(tmp_path / "all")
        assert all(info.date_time == (1980, 1, 1, 0, 0, 0) for info in archive.infolist())
    result = frictionless_validate(tmp_path / "all" / "datapackage.json")
    assert result.returncode == 0, result.stdout
    # The zips themselves, as a journalist would check them: every table of the package is validated.
    from generator.export.tables import TABLES

    for zipped, tables in [
        (demo_site / ALL / "gongkai-all.zip", list(TABLES)),
        (next((demo_site / "downloads" / "fgw").glob("*/fgw-*.zip")), ["members", "decisions", "stances"]),
    ]:
        checked = subprocess.run(
            [FRICTIONLESS, "validate", str(zipped), "--json"],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        report = json.loads(checked.stdout)
        assert report["valid"], checked.stdout[:2000]
        assert set(tables) <= {task["name"] for task in report["tasks"]}, zipped
    with zipfile.ZipFile(demo_site / ALL / "gongkai-packages.zip") as archive:
        archive.extractall(tmp_path / "packages")
    root = tmp_path / "packages" / "gongkai-packages"
    for descriptor in [root / "datapackage.json", root / "fgw" / "2025Q1" / "datapackage.json"]:
        result = frictionless_validate(descriptor)
        assert result.returncode == 0, result.stdout
    assert len(list(root.glob("*/*/datapackage.json"))) == 14  # 7 units, 2 quarters


def test_combined_tables_have_unit_and_period_and_extended_keys(demo_site: Path, portal) -> None:
    descriptor = json.loads((demo_site / ALL / "datapackage.json").read_text(encoding="utf-8"))
    decisions = next(r for r in descriptor["resources"] if r["name"] == "decisions")
    assert decisions["schema"]["primaryKey"] == ["unit_id", "period", "decision_id"]
    assert [f["name"] for f in decisions["schema"]["fields"][:2]] == ["unit_id", "period"]
    with (demo_site / ALL / "decisions.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len(portal.decisions()) == DEMO_DECISIONS
    assert {(r["unit_id"], r["period"]) for r in rows} == {
        (d.unit.unit_id, str(d.period)) for d in portal.disclosures
    }


def test_excel_csv_has_bom_and_chinese_headers_and_json_is_typed(demo_site: Path, portal) -> None:
    raw = (demo_site / ALL / "decisions-excel.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    header = next(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert header[:4] == ["单位编号", "季度", "事项编号", "会议编号"] and "事项名称" in header
    records = json.loads((demo_site / ALL / "decisions.json").read_text(encoding="utf-8"))
    assert len(records) == DEMO_DECISIONS
    first = portal.units[0].disclosures[0].decisions[0]
    assert records[0]["decision_id"] == first.decision_id and records[0]["agenda_no"] == first.agenda_no
    assert isinstance(records[0]["agenda_no"], int)


def test_xlsx_opens_in_openpyxl_with_chinese_headers(demo_site: Path, portal) -> None:
    workbook = load_workbook(demo_site / ALL / "decisions.xlsx", read_only=True)
    sheet = workbook.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("单位编号", "季度", "事项编号") and "事项名称" in rows[0]
    assert len(rows) == DEMO_DECISIONS + 1  # and the header
    first = portal.units[0].disclosures[0].decisions[0]
    # XLSX does not store empty cells at the end of a row (the withheld columns of a public item)
    decision = dict(zip(rows[0], rows[1] + (None,) * (len(rows[0]) - len(rows[1])), strict=True))
    assert (
        decision["事项编号"] == first.decision_id and decision["议题序号"] == first.agenda_no
    )  # a number, not text
    assert decision["事项名称"] == first.title
    members = load_workbook(demo_site / ALL / "members.xlsx", read_only=True).worksheets[0]
    values = {row[5] for row in list(members.iter_rows(values_only=True))[1:]}
    assert values == {"是", "否"}


def test_sqlite_database_has_keys_and_chinese_full_text_search(demo_site: Path, portal) -> None:
    db = demo_site / ALL / "gongkai.db"
    connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
    assert connection.execute("SELECT count(*) FROM decisions").fetchone() == (DEMO_DECISIONS,)
    keys = [row[1] for row in connection.execute("PRAGMA table_info(decisions)") if row[5]]
    assert keys == ["unit_id", "period", "decision_id"]
    # Many short rows are stored by their key: no second B-tree of the key beside the rows.
    for table in ("stances", "power_steps"):
        sql = connection.execute("SELECT sql FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
        assert sql.endswith("WITHOUT ROWID"), table
        assert (
            connection.execute(
                "SELECT name FROM sqlite_master WHERE tbl_name = ? AND type = 'index'", (table,)
            ).fetchall()
            == []
        )
    targets = {row[2] for row in connection.execute("PRAGMA foreign_key_list(decisions)")}
    assert {"units", "meetings", "members", "hearings", "power_list"} <= targets
    word = "大额资金"
    expected = sum(
        word in d.title or word in d.summary or word in d.execution_note for d in portal.decisions()
    )
    assert expected > 0
    found = connection.execute(
        "SELECT d.unit_id, d.decision_id FROM decisions_fts JOIN decisions d ON d.rowid = decisions_fts.rowid "
        "WHERE decisions_fts MATCH ?",
        (f'"{word}"',),
    ).fetchall()
    assert len(found) == expected
    if shutil.which("sqlite3"):
        cli = subprocess.run(
            ["sqlite3", str(db), f"SELECT count(*) FROM decisions_fts WHERE decisions_fts MATCH '\"{word}\"'"],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        assert cli.stdout.strip() == str(expected)


def test_datasette_serves_the_database_with_full_text_search(demo_site: Path, portal) -> None:
    from datasette.app import Datasette

    async def query() -> tuple[dict, dict]:
        ds = Datasette([str(demo_site / ALL / "gongkai.db")], immutables=[])
        await ds.invoke_startup()
        tables = (await ds.client.get("/gongkai.json")).json()
        search = (await ds.client.get("/gongkai/decisions.json?_search=%22大额资金%22&_shape=objects")).json()
        # The stances are stored by their key (WITHOUT ROWID): Datasette lists and filters them as any table.
        stances = (
            await ds.client.get(f"/gongkai/stances.json?_shape=objects&decision_id={decision.decision_id}"
                                f"&unit_id={decision.disclosure.unit.unit_id}")
        ).json()  # fmt: skip
        return tables, search, stances

    decision = next(d for d in portal.decisions() if len(d.stances) > 3)
    tables, search, stances = asyncio.run(query())
    listed = next(t for t in tables["tables"] if t["name"] == "stances")
    assert listed["primary_keys"] == ["unit_id", "period", "decision_id", "order"]
    assert listed["count"] == sum(len(d.stances) for d in portal.decisions())
    assert [(r["order"], r["member_id"], r["stance"]) for r in stances["rows"]] == [
        (s.order, s.member_id, s.stance) for s in decision.stances
    ]
    decisions = next(t for t in tables["tables"] if t["name"] == "decisions")
    assert decisions["fts_table"] == "decisions_fts" and decisions["primary_keys"] == [
        "unit_id",
        "period",
        "decision_id",
    ]
    assert search["rows"] and all(
        "大额资金" in (r["title"] + r["summary"] + (r["execution_note"] or "")) for r in search["rows"]
    )


def test_feeds_parse_with_entries(demo_site: Path, portal) -> None:
    for path in ["feeds/all.xml", "feeds/units/fgw.xml", "feeds/categories/funds.xml"]:
        feed = feedparser.parse((demo_site / path).read_bytes())
        assert feed.bozo == 0, (path, feed.get("bozo_exception"))
        assert feed.entries and feed.feed.title
    funds = feedparser.parse((demo_site / "feeds/categories/funds.xml").read_bytes())
    assert {e.tags[0].term for e in funds.entries} == {"大额度资金运作"}
    dates = [e.updated for e in feedparser.parse((demo_site / "feeds/all.xml").read_bytes()).entries]
    assert dates == sorted(dates, reverse=True)


def test_catalog_is_dcat_json_ld_with_licence_coverage_frequency_and_downloads(demo_site: Path) -> None:
    catalog = json.loads((demo_site / "catalog.jsonld").read_text(encoding="utf-8"))
    expanded = jsonld.expand(catalog, {"base": "https://example.org/"})
    dcat = "http://www.w3.org/ns/dcat#"
    dct = "http://purl.org/dc/terms/"
    datasets = expanded[0][dcat + "dataset"]
    from generator.export.tables import TABLES

    # all, each table (the 9 of every package, 更正记录, 撤回记录, 执行进展), 14 packages (7 units, 2 quarters)
    assert len(datasets) == 1 + len(TABLES) + 14 and len(TABLES) == 12
    for dataset in datasets:
        assert dataset[dct + "license"][0]["@id"] == "https://creativecommons.org/licenses/by/4.0/"
        assert dataset[dct + "accrualPeriodicity"][0]["@id"].endswith("QUARTERLY")
        assert (
            dataset[dct + "temporal"][0][dcat + "startDate"][0]["@value"] == "2025-01-01"
            or "-" in dataset["@id"]
        )
        for dist in dataset[dcat + "distribution"]:
            url = dist[dcat + "downloadURL"][0]["@id"]
            assert (demo_site / url.removeprefix("https://example.org/")).is_file(), url
    data = json.loads((demo_site / "data.json").read_text(encoding="utf-8"))
    whole = data["dataset"][0]
    assert whole["temporal"] == "2025-01-01/2025-06-30" and whole["accrualPeriodicity"] == "R/P3M"
    assert whole["publisher"]["name"] == "示例市纪委监委（示例）"


def test_every_record_has_a_json_twin_and_list_pages_too(demo_site: Path, portal) -> None:
    for decision in portal.decisions()[:50]:
        unit = decision.disclosure.unit.unit_id
        data = json.loads(
            (demo_site / f"api/decisions/{unit}/{decision.decision_id}.json").read_text(encoding="utf-8")
        )
        assert data["title"] == decision.title and data["period"] == str(decision.disclosure.period)
        assert [s["member_id"] for s in data["stances"]] == [s.member_id for s in decision.stances]
        assert data["licence"]["name"] == "CC-BY-4.0" and decision.title in data["cite"]
        assert (demo_site / data["page"] / "index.html").is_file()
    units = json.loads((demo_site / "api/units.json").read_text(encoding="utf-8"))
    assert [u["unit_id"] for u in units["units"]] == [u.unit_id for u in portal.units]
    for entry in units["units"]:
        detail = json.loads((demo_site / entry["api"]).read_text(encoding="utf-8"))
        for quarter in detail["quarters"]:
            assert (demo_site / quarter["api"]).is_file()
    quarters = json.loads((demo_site / "api/quarters.json").read_text(encoding="utf-8"))
    assert [q["period"] for q in quarters["quarters"]] == ["2025Q1", "2025Q2"]
    assert sum(q["decisions"] for q in quarters["quarters"]) == DEMO_DECISIONS


def shown_size(size: int) -> str:
    """A file's size as every page shows it (1 KB = 1,024 bytes)."""
    for unit, scale in (("MB", 1 << 20), ("KB", 1 << 10)):
        if size >= scale:
            return f"{size / scale:.1f} {unit}"
    return f"{size} 字节"


@pytest.mark.parametrize(
    ("size", "text"),
    [(0, "0 字节"), (1023, "1023 字节"), (1024, "1.0 KB"), (50_688, "49.5 KB"), ((1 << 20) - 1, "1024.0 KB"),
     (1 << 20, "1.0 MB"), (3_355_443, "3.2 MB")],
)  # fmt: skip
def test_a_files_size_reads_the_same_on_every_page(size: int, text: str) -> None:
    from generator.core.files import size_text
    from generator.export.pages import human_size
    from generator.render.pages import filesize_text

    assert size_text(size) == human_size(size) == filesize_text(size) == shown_size(size) == text


def test_download_page_lists_every_file_with_size_and_row_count(demo_site: Path, portal) -> None:
    """数据下载 lists the whole-portal files and a line a package (its ZIP, rows and size, newest
    quarter first); each package's own files are listed on its quarter's page, which the line links
    to. Between them every file under downloads/ is offered, each with its true size and each CSV
    with its true row count."""
    page = BeautifulSoup((demo_site / "downloads/index.html").read_text(encoding="utf-8"), "html.parser")
    assert "示例数据" in page.text and "知识共享署名 4.0" in page.text
    links: dict[str, Any] = {}
    quarter_pages = []
    for a in page.select("a[download]"):
        links[a["href"].removeprefix("../")] = a.find_parent("tr")
    package_lines = {path: row for path, row in links.items() if path.count("/") == 3}
    for a in page.select("#packages ~ details.gk-package a:not([download])"):
        assert a["href"].endswith("#downloads")
        quarter_pages.append(a["href"].removeprefix("../").removesuffix("#downloads"))
    # A line a package, newest quarter first, each line's ZIP the package of the page it links to.
    assert len(quarter_pages) == len(portal.disclosures)
    periods = [
        row.select_one("a")["href"].split("/")[-2] for row in page.select("details.gk-package tr:has(td)")
    ]
    assert periods == sorted(periods, reverse=True)
    for path in quarter_pages:
        quarter = BeautifulSoup((demo_site / path / "index.html").read_text(encoding="utf-8"), "html.parser")
        files = quarter.select_one("#downloads ~ ul.gk-downloads")
        for a in files.select("a[download]"):
            target = (demo_site / path / a["href"]).resolve().relative_to(demo_site.resolve()).as_posix()
            assert target not in links or target.endswith(".zip"), target
            links[target] = a.find_parent("li")
    files = [
        p.relative_to(demo_site).as_posix()
        for p in (demo_site / "downloads").rglob("*")
        if p.is_file() and p.suffix != ".html"
    ]
    assert sorted(links) == sorted(files)
    csv_rows: dict[str, int] = {}
    for path, row in sorted(links.items()):
        size = row.select_one("[data-bytes]")
        assert int(size["data-bytes"]) == (demo_site / path).stat().st_size, path
        assert shown_size(int(size["data-bytes"])) in size.text, (path, size.text)  # one way on each page
        if path.endswith(".csv"):
            count = int(row.select_one("[data-rows]")["data-rows"])
            with (demo_site / path).open(encoding="utf-8-sig", newline="") as handle:
                assert count == sum(1 for _ in csv.reader(handle)) - 1, path
            csv_rows[path] = count
    # A package's rows (on both pages) are those of its CSV files; its size on 数据下载 too.
    assert len(package_lines) == len(portal.disclosures)
    for path, line in package_lines.items():
        assert path.endswith(".zip")
        folder = path.rsplit("/", 1)[0] + "/"
        total = sum(n for p, n in csv_rows.items() if p.startswith(folder))
        for row in (line, links[path]):
            assert int(row.select_one("[data-rows]")["data-rows"]) == total, path
        assert int(line.select_one("[data-bytes]")["data-bytes"]) == (demo_site / path).stat().st_size


def test_dictionary_page_per_table_and_nav_entries(demo_site: Path) -> None:
    for name in ["units", "decisions", "stances"]:
        page = BeautifulSoup(
            (demo_site / f"data/{name}/index.html").read_text(encoding="utf-8"), "html.parser"
        )
        assert resource_spec(name)["title"] in page.select_one("h1").text
        assert page.select("table.gk-dictionary tbody tr") and "引用本页时请注明" in page.text
    home = BeautifulSoup((demo_site / "index.html").read_text(encoding="utf-8"), "html.parser")
    nav = home.text
    assert "数据下载" in nav and "更新记录" in nav
    api = BeautifulSoup((demo_site / "api/index.html").read_text(encoding="utf-8"), "html.parser")
    assert "api/decisions/" in api.text


def test_open_data_is_byte_identical_without_and_with_the_cache(
    mini_data: Path, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("GONGKAI_CACHE_DIR", str(tmp_path / "cache-a"))
    build(mini_data, tmp_path / "a", log=None)
    monkeypatch.setenv("GONGKAI_CACHE_DIR", str(tmp_path / "cache-b"))
    build(mini_data, tmp_path / "b", log=None)
    build(mini_data, tmp_path / "c", log=None)  # warm: restored from cache-b
    for name in ["gongkai.db", "decisions.xlsx", "gongkai-all.zip", "gongkai-packages.zip", "decisions.json"]:
        a, b, c = ((tmp_path / s / ALL / name).read_bytes() for s in "abc")
        assert a == b == c, name
    assert any((tmp_path / "cache-b" / "opendata-bulk").iterdir())
    for name in ["manifest.json", "catalog.jsonld", "feeds/all.xml", "changelog/1/index.html"]:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_the_database_says_what_it_is_whose_it_is_and_how_to_search_it(demo_site: Path, portal) -> None:
    db = demo_site / ALL / "gongkai.db"
    connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    about = dict(connection.execute("SELECT key, value FROM about"))
    licence = portal.config.licence_info
    assert about["标题"] == portal.config.title
    assert about["数据许可"] == licence["title"] and about["许可网址"] == licence["path"]
    assert about["示例数据"].startswith("本数据库中的单位、人员和事项均为虚构的示例数据")
    # The data's date, which the worker that writes the database reads from the packages' slices,
    # is the latest meeting or hearing of the loaded records, as the catalog says.
    catalog = json.loads((demo_site / "catalog.jsonld").read_text(encoding="utf-8"))
    assert about["数据截至"] == data_date(portal) == catalog["modified"]
    assert "decisions_fts_short MATCH '资金'" in about["全文检索"] and "三个字及以上" in about["全文检索"]
    # What the note says is true: trigrams miss a two-character word, the short index finds it.
    match = connection.execute(
        "SELECT count(*) FROM decisions_fts WHERE decisions_fts MATCH '资金'"
    ).fetchone()[0]
    short = connection.execute(
        "SELECT count(*) FROM decisions_fts_short WHERE decisions_fts_short MATCH '资金'"
    ).fetchone()[0]
    like = connection.execute(
        "SELECT count(*) FROM decisions WHERE title LIKE '%资金%' OR summary LIKE '%资金%' OR execution_note LIKE '%资金%'"
    ).fetchone()[0]
    assert match == 0 < like == short
    # One column only, as docs/journalist.md says: the trigram index with a column filter.
    in_titles = connection.execute(
        "SELECT count(*) FROM decisions_fts WHERE decisions_fts MATCH 'title : 大额资金'"
    ).fetchone()[0]
    like_titles = connection.execute("SELECT count(*) FROM decisions WHERE title LIKE '%大额资金%'")
    assert 0 < in_titles == like_titles.fetchone()[0]
    assert "MATCH 'title : 大额资金'" in (Path(__file__).parent.parent / "docs" / "journalist.md").read_text(
        encoding="utf-8"
    )


def test_full_text_search_finds_what_like_finds_for_every_word_of_every_title(demo_site: Path) -> None:
    """Every run of 1 to 4 characters of every demo title, searched as the about table says
    (decisions_fts for three characters or more, decisions_fts_short for one or two), finds exactly
    the decisions LIKE finds in the same columns."""
    import re

    connection = sqlite3.connect(f"file:{demo_site / ALL / 'gongkai.db'}?mode=ro", uri=True)
    titles = [title for (title,) in connection.execute("SELECT title FROM decisions")]
    words = sorted(
        {run[i : i + n] for title in titles for run in re.findall(r"[^\W_]+", title) for n in (1, 2, 3, 4)
         for i in range(len(run) - n + 1)}
    )  # fmt: skip
    assert len(words) > 1000 and any(len(w) == 1 for w in words) and any(len(w) == 2 for w in words)
    differ = []
    for word in words:
        table = "decisions_fts" if len(word) >= 3 else "decisions_fts_short"
        found = {
            r
            for (r,) in connection.execute(f"SELECT rowid FROM {table} WHERE {table} MATCH ?", [f'"{word}"'])
        }
        pattern = f"%{word}%"
        like = {
            r
            for (r,) in connection.execute(
                "SELECT rowid FROM decisions WHERE title LIKE ? OR summary LIKE ? OR execution_note LIKE ?",
                [pattern] * 3,
            )
        }
        if found != like:
            differ.append((word, len(found), len(like)))
    assert not differ, differ[:20]


def test_one_workbook_of_the_whole_portal_a_journalist_can_filter(demo_site: Path, portal) -> None:
    """gongkai-all.xlsx: a sheet per table (Chinese titles and headers), real number and date cells,
    a frozen header with an autofilter over every row, and a 说明 sheet with licence and source."""
    import datetime as dt

    from generator.export.tables import TABLES

    book = load_workbook(demo_site / ALL / "gongkai-all.xlsx")
    titles = [resource_spec(name)["title"] for name in TABLES]
    assert book.sheetnames == [*titles, "说明"]
    decisions = book[resource_spec("decisions")["title"]]
    rows = list(decisions.iter_rows(values_only=True))
    assert len(rows) == DEMO_DECISIONS + 1
    header = rows[0]
    assert header[:3] == ("单位编号", "季度", "事项编号")
    assert decisions.freeze_panes == "A2"
    assert (
        decisions.auto_filter.ref == f"A1:{decisions.cell(1, len(header)).column_letter}{DEMO_DECISIONS + 1}"
    )
    first = dict(zip(header, rows[1], strict=False))
    decision = portal.units[0].disclosures[0].decisions[0]
    assert first["事项名称"] == decision.title
    assert isinstance(first["议题序号"], int)
    meetings = book[resource_spec("meetings")["title"]]
    meeting_header, meeting_row = list(meetings.iter_rows(min_row=1, max_row=2, values_only=True))
    held = dict(zip(meeting_header, meeting_row, strict=False))["会议日期"]
    assert isinstance(held, dt.datetime) and held.date().isoformat() == decision.date  # a date cell
    about = {label: text for label, text in book["说明"].iter_rows(values_only=True)}
    assert about["数据许可"] == portal.config.licence_info["title"]
    assert about["示例数据"].startswith("本工作簿") and about["来源"]
    assert about["数据版本"].startswith("数据仓库提交 ")  # the release's data, as the manifest names it
    assert about["数据截至"] == data_date(portal)  # the latest meeting or hearing
    page = (demo_site / "downloads" / "index.html").read_text(encoding="utf-8")
    assert "gongkai-all.xlsx" in page


def test_stances_readable_and_corrections_in_the_bulk_tables_and_database(demo_site: Path, portal) -> None:
    """stance_details (CSV, XLSX, the database's view) names the member and the decision; the
    更正记录 and 撤回记录 are bulk tables and database tables like the others."""
    with (demo_site / ALL / "stance_details.csv").open(encoding="utf-8", newline="") as handle:
        details = list(csv.DictReader(handle))
    stances = [(d, s) for d in portal.decisions() for s in d.stances]
    assert len(details) == len(stances) > 0
    decision, stance = stances[0]
    unit_id = decision.disclosure.unit.unit_id
    first = next(
        r
        for r in details
        if (r["unit_id"], r["decision_id"], r["member_id"])
        == (unit_id, decision.decision_id, stance.member_id)
    )
    assert first["title"] == decision.title and first["name"] == stance.member.name
    assert first["unit_name"] == decision.disclosure.unit.name and first["stance"] == stance.stance
    sheet = load_workbook(demo_site / ALL / "stance_details.xlsx", read_only=True).worksheets[0]
    header = next(sheet.iter_rows(max_row=1, values_only=True))
    assert header[:5] == ("单位编号", "单位名称", "季度", "事项编号", "事项名称") and "姓名" in header
    connection = sqlite3.connect(f"file:{demo_site / ALL / 'gongkai.db'}?mode=ro", uri=True)
    rows = connection.execute(
        "SELECT name, title, stance FROM stance_details WHERE unit_id = ? AND decision_id = ? AND member_id = ?",
        [decision.disclosure.unit.unit_id, decision.decision_id, stance.member_id],
    ).fetchall()
    assert rows == [(stance.member.name, decision.title, stance.stance)]
    assert connection.execute("SELECT count(*) FROM stance_details").fetchone()[0] == len(stances)
    corrections = [c for d in portal.disclosures for c in d.corrections]
    withdrawals = [w for d in portal.disclosures for w in d.withdrawals]
    assert corrections and withdrawals  # the demo has both
    for table, expected in [("corrections", corrections), ("withdrawals", withdrawals)]:
        assert connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == len(expected)
        with (demo_site / ALL / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
            assert len(list(csv.DictReader(handle))) == len(expected)
