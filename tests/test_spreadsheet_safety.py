"""Spreadsheets in and out, as an attacker would try them.

Out: every text column of every table holds a value a spreadsheet would run (``=HYPERLINK(…)``,
``@``, ``+``, ``-``, a tab, the full-width forms); the site is built and every file meant for a
spreadsheet (``*-excel.csv``, ``*.xlsx``, also inside zips) and the ``gongkai template`` workbook
are opened: no cell can evaluate, while the machine-readable CSV, JSON and SQLite keep the exact
values. In: ``gongkai import`` and the other commands refuse IDs that would leave the data tree,
and workbooks that unpack to gigabytes or hold a million rows, in seconds and well under 1 GB.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook

from generator.build import build
from generator.core.schema import resource_spec, table_schema
from generator.export import xlsx
from generator.export.slices import excel_csv_header, excel_csv_rows
from generator.export.tables import TABLES, Table
from generator.export.xlsx import table_workbook as _xlsx_bytes
from generator.validate import validate_data

from .conftest import MINI_DATA
from .hostile_workbooks import full_sheet, lying_sizes, whitespace_bomb
from .test_publish import fill, gongkai, make_template, tree_snapshot

#: Beginnings a spreadsheet runs as a formula (OWASP CSV injection), with what follows them.
HOSTILE = [
    '=HYPERLINK("http://x","y")',
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "+1+1",
    "-1+1",
    "＝1+1",
    "＋1",
    "－1",
    "＠A1",
    " =1+1",
    "\t=1+1",
]
#: Text columns that hold a value in the mini fixture but are left alone: a withheld basis
#: withholds the record from every download.
LEFT_ALONE = {"withheld_basis"}


def could_run(cell: str) -> bool:
    """Whether a spreadsheet would take this cell text as a formula: written independently of
    ``generator.core.spreadsheet`` (a leading apostrophe makes the rest text; a plain number is a number)."""
    if re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", cell):
        return False
    if cell[:1] in ("\t", "\r", "\n"):
        return True
    return cell.lstrip(" \u3000")[:1] in ("=", "+", "-", "@", "＝", "＋", "－", "＠")


def text_fields(table: str) -> list[str]:
    """The free-text columns of a table (generator/schemas/*.json): strings without a pattern, a
    list of allowed values or a format, and not part of a key."""
    schema = table_schema(table)
    keys = set(schema.get("primaryKey", []))
    for foreign in schema.get("foreignKeys", []):
        keys |= set(foreign["fields"])
    return [
        spec["name"]
        for spec in schema["fields"]
        if spec.get("type", "string") == "string"
        and not spec.get("constraints", {}).get("enum")
        and not spec.get("constraints", {}).get("pattern")
        and not spec.get("format")
        and spec["name"] not in keys
    ]


def make_hostile(data: Path) -> dict[tuple[str, str], set[str]]:
    """Put a formula in front of every value of every free-text column; return them by (table, column)."""
    planted: dict[tuple[str, str], set[str]] = {}
    count = 0
    for path in sorted(data.rglob("*.csv")):
        table = path.stem
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            header = list(reader.fieldnames or [])
            rows = list(reader)
        for row in rows:
            for name in text_fields(table):
                if row.get(name) and name not in LEFT_ALONE:
                    row[name] = HOSTILE[count % len(HOSTILE)] + row[name]
                    planted.setdefault((table, name), set()).add(row[name])
                    count += 1
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, header, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
    return planted


@pytest.fixture
def hostile(mini_data: Path) -> tuple[Path, dict[tuple[str, str], set[str]]]:
    planted = make_hostile(mini_data)
    report = validate_data(mini_data)
    assert report.valid, report.to_text()
    return mini_data, planted


def spreadsheet_files(site: Path) -> Iterator[tuple[str, bytes]]:
    """Every file of the site meant for a spreadsheet, also inside every zip of the site."""
    for path in sorted(site.rglob("*")):
        if path.name.endswith((".xlsx", "-excel.csv")):
            yield path.relative_to(site).as_posix(), path.read_bytes()
        elif path.suffix == ".zip":
            with zipfile.ZipFile(path) as archive:
                for name in archive.namelist():
                    if name.endswith((".xlsx", "-excel.csv")):
                        yield f"{path.name}!{name}", archive.read(name)


def excel_csv_cells(data: bytes) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")) for cell in row]


def xlsx_text_cells(name: str, data: bytes) -> list[str]:
    """Every text of a workbook, after checking that it holds no formula anywhere: no ``<f>`` in
    its XML, every text cell a string, and each formula-like text marked with the quote prefix."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for member in archive.namelist():
            if member.endswith(".xml"):
                assert not re.search(rb"<(\w+:)?f[\s>/]", archive.read(member)), (name, member)
    workbook = load_workbook(io.BytesIO(data))
    texts = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    assert cell.data_type == "s", (name, sheet.title, cell.coordinate, cell.value)
                    if could_run(cell.value):
                        assert cell.quotePrefix, (name, sheet.title, cell.coordinate, cell.value)
                    texts.append(cell.value)
                else:
                    assert cell.data_type != "f", (name, sheet.title, cell.coordinate)
    return texts


def test_every_text_column_of_every_table_is_planted(hostile) -> None:
    data, planted = hostile
    present = {path.stem for path in data.rglob("*.csv")}
    expected = {(t, f) for t in present for f in text_fields(t) if f not in LEFT_ALONE}
    # Columns the mini fixture leaves empty everywhere cannot be planted; all others are.
    empty = {
        (t, f)
        for t, f in expected
        if not any(
            row.get(f) for p in data.rglob(f"{t}.csv") for row in csv.DictReader(p.open(encoding="utf-8"))
        )
    }
    assert set(planted) == expected - empty
    assert {("decisions", "title"), ("decisions", "summary"), ("stances", "remark")} <= set(planted)
    assert {("members", "name"), ("members", "position"), ("units", "name")} <= set(planted)


def test_no_cell_of_any_spreadsheet_download_can_run(hostile, tmp_path: Path) -> None:
    data, planted = hostile
    site = tmp_path / "site"
    build(data, site, log=None)
    files = list(spreadsheet_files(site))
    names = {name for name, _ in files}
    assert {f"downloads/all/{t}-excel.csv" for t in TABLES} <= names
    assert {f"downloads/all/{t}.xlsx" for t in TABLES} <= names
    excel_cells: set[str] = set()
    xlsx_cells: set[str] = set()
    for name, content in files:
        if name.endswith("-excel.csv"):
            cells = excel_csv_cells(content)
            running = [cell for cell in cells if could_run(cell)]
            assert not running, (name, running[:5])
            excel_cells.update(cells)
        else:
            xlsx_cells.update(xlsx_text_cells(name, content))
    for (table, column), values in planted.items():
        for value in values:
            assert "'" + value in excel_cells, (table, column, value)  # made inert, not dropped
            assert value in xlsx_cells, (table, column, value)  # the exact text, as a string


def test_machine_readable_files_keep_the_exact_values(hostile, tmp_path: Path) -> None:
    data, planted = hostile
    site = tmp_path / "site"
    build(data, site, log=None)
    bulk = site / "downloads" / "all"
    database = sqlite3.connect(f"file:{bulk / 'gongkai.db'}?mode=ro", uri=True)
    for (table, column), values in planted.items():
        with (bulk / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
            in_csv = {row[column] for row in csv.DictReader(handle)}
        in_json = {record[column] for record in json.loads((bulk / f"{table}.json").read_text("utf-8"))}
        in_db = {value for (value,) in database.execute(f'SELECT "{column}" FROM "{table}"')}
        assert values <= in_csv and values <= in_json and values <= in_db, (table, column)
    # The per-package downloads are the committed files, byte for byte.
    for path in data.glob("*/*/decisions.csv"):
        published = site / "downloads" / path.parent.parent.name / path.parent.name / "decisions.csv"
        assert published.read_bytes() == path.read_bytes()


def test_the_template_holds_no_formula_and_imports_back_exactly(hostile) -> None:
    data, _ = hostile
    workbook = make_template(data, "fgw")
    texts = xlsx_text_cells(workbook.name, workbook.read_bytes())
    assert any(text.startswith("=HYPERLINK") or could_run(text) for text in texts)
    for column in ("name", "position", "portfolio"):
        latest = {row[column] for row in csv.DictReader((data / "fgw" / "2025Q2" / "members.csv").open())}
        assert latest <= set(texts)
    run = gongkai("import", workbook, "--unit", "fgw", "--quarter", "2025Q3", "--data", data)
    assert run.code == 0, run.output

    def members(period: str) -> list[dict[str, str]]:
        with (data / "fgw" / period / "members.csv").open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))

    # Exactly the published text (import trims leading and trailing spaces, as documented): the
    # formula comes back as text, no apostrophe added.
    assert members("2025Q3") == [{k: v.strip() for k, v in row.items()} for row in members("2025Q2")]
    assert any(row["name"].startswith(("=", "@", "+", "-", "＝")) for row in members("2025Q3"))


def test_negative_amounts_stay_numbers_and_formula_like_text_does_not() -> None:
    fields = [
        {"name": "title", "title": "名称", "type": "string"},
        {"name": "amount", "title": "金额", "type": "number"},
        {"name": "count", "title": "人数", "type": "integer"},
    ]
    rows = [["-1250", "-1250.5", "-3"], ["=1+1", "1e5", "+4"], ["\r=1", "", ""], ["正常", "12", "7"]]
    table = Table("sample", "示例", fields, rows)
    cells = list(
        csv.reader(
            io.StringIO(
                (excel_csv_header(table.titles) + excel_csv_rows(table.fields, table.rows)).decode(
                    "utf-8-sig"
                ),
                newline="",
            )
        )
    )
    assert cells[1:] == [
        ["'-1250", "-1250.5", "-3"],  # text "-1250" made inert; numbers left numbers
        ["'=1+1", "1e5", "'+4"],
        ["'\r=1", "", ""],
        ["正常", "12", "7"],
    ]
    sheet = load_workbook(io.BytesIO(_xlsx_bytes(table, "2025-01-01"))).worksheets[0]
    assert (sheet["A2"].value, sheet["A2"].data_type, sheet["A2"].quotePrefix) == ("-1250", "s", True)
    assert (sheet["B2"].value, sheet["B2"].data_type) == (-1250.5, "n")
    assert (sheet["C2"].value, sheet["C2"].data_type) == (-3, "n")
    assert (sheet["A3"].value, sheet["A3"].data_type, sheet["A3"].quotePrefix) == ("=1+1", "s", True)
    assert (sheet["A5"].value, sheet["A5"].quotePrefix) == ("正常", False)


def test_markup_and_control_characters_in_any_kind_of_column_come_back_as_text() -> None:
    # The sheet writer escapes every text cell itself (the cells of columns that cannot hold a
    # formula take a shorter path); a validated text never holds "<" in such a column, the writer
    # must not depend on it. Column widths count a CJK character twice, within the first 40.
    fields = [
        {"name": "free", "title": "自由文本", "type": "string"},
        {"name": "code", "title": "编号", "type": "string", "constraints": {"pattern": "^[A-Za-z0-9].*$"}},
    ]
    texts = ["a<b>&c", "</t></is></c><c><v>1", "&amp;<", "控制\x01字符\x1f", "＝中文&<>", "x" * 50 + "<"]
    table = Table("sample", "示例", fields, [[text, text] for text in texts])
    sheet = load_workbook(io.BytesIO(_xlsx_bytes(table, "2025-01-01"))).worksheets[0]
    for row, text in enumerate(texts, 2):
        expected = re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f]", "", text)
        assert (sheet.cell(row, 1).value, sheet.cell(row, 2).value) == (expected, expected)
    assert sheet.cell(len(texts) + 2, 1).value is None  # no cell escaped its row
    for text in ["", "abc", "中文", "⺀⺁", "ｆｕｌｌ", "😀", "é", "中" * 30 + "a" * 30]:
        start = text[:40]
        assert xlsx._width(text) == sum(2 if ord(char) > 0x2E80 else 1 for char in start), text


def test_the_downloads_page_says_which_file_is_which(hostile, tmp_path: Path) -> None:
    data, _ = hostile
    site = tmp_path / "site"
    build(data, site, log=None)
    page = (site / "downloads" / "index.html").read_text(encoding="utf-8")
    assert "Excel 版" in page and "机器可读版" in page
    assert "单引号" in page and "完全一致" in page


# --- IDs from the command line -----------------------------------------------------------------------

BAD_UNITS = ["../../X", "/abs", "a/b", "x\n", "..", "fgw/../../X"]


@pytest.mark.parametrize("unit", BAD_UNITS)
@pytest.mark.parametrize("command", ["import", "template", "new-quarter"])
def test_unit_ids_that_leave_the_data_tree_are_refused(mini_data: Path, command: str, unit: str) -> None:
    root = mini_data.parent
    workbook = make_template(mini_data, "fgw") if command == "import" else None
    if workbook is not None:  # without the unit it was made for: only the ID check stops it
        book = load_workbook(workbook)
        del book["_gongkai"]
        book.save(workbook)
    # The hostile ID is even registered (units.csv comes in by pull request): only the ID check stops it.
    with (mini_data / "units.csv").open("a", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerow([unit, "某单位"])
    before = tree_snapshot(root)
    if command == "import":
        args = ["import", workbook, "--unit", unit, "--quarter", "2025Q3", "--data", mini_data]
    elif command == "template":
        args = ["template", unit, "--data", mini_data]
    else:
        args = ["new-quarter", unit, "2025Q3", "--data", mini_data]
    run = gongkai(*args, cwd=root)
    assert run.code == 2, run.output
    assert "单位编号" in run.stderr and "格式不正确" in run.stderr
    assert tree_snapshot(root) == before  # nothing written, not even a default template file
    assert not (mini_data / unit / "2025Q3").exists()
    assert not (root / f"{unit}-template.xlsx").exists()


@pytest.mark.parametrize("quarter", ["2025Q3\n", "../2025Q3", "2025Q3/x", "/2025Q3"])
def test_quarters_that_are_not_a_quarter_are_refused(mini_data: Path, quarter: str) -> None:
    workbook = make_template(mini_data, "fgw")
    before = tree_snapshot(mini_data.parent)
    run = gongkai("import", workbook, "--unit", "fgw", "--quarter", quarter, "--data", mini_data)
    assert run.code == 2 and "季度" in run.stderr, run.output
    run = gongkai("new-quarter", "fgw", quarter, "--data", mini_data)
    assert run.code == 2 and "季度" in run.stderr, run.output
    assert tree_snapshot(mini_data.parent) == before


def test_a_unit_folder_linked_outside_the_data_tree_is_not_written(mini_data: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    (mini_data / "rmyy").rename(elsewhere)
    (mini_data / "rmyy").symlink_to(elsewhere, target_is_directory=True)
    workbook = make_template(mini_data, "fgw")
    before = tree_snapshot(elsewhere)
    run = gongkai("import", workbook, "--unit", "rmyy", "--quarter", "2025Q3", "--data", mini_data)
    assert run.code == 2 and "数据目录" in run.stderr and "之外" in run.stderr, run.output
    assert tree_snapshot(elsewhere) == before


# --- Workbook bounds ----------------------------------------------------------------------------------


def _import_measured(workbook: Path, data: Path) -> tuple[subprocess.CompletedProcess[str], float, int]:
    """Run ``gongkai import`` in a child process; return it, its wall time and its peak RSS in MB."""
    script = (
        "import sys\n"
        "from generator.cli import main\n"
        "code = main(sys.argv[1:])\n"
        # VmHWM: this program's own peak. ru_maxrss would carry the forking pytest worker's peak
        # across exec (Linux keeps it), which made the bound fail in a busy worker.
        "hwm = next(l for l in open('/proc/self/status') if l.startswith('VmHWM:'))\n"
        "print('RSS', hwm.split()[1], file=sys.stderr)\n"
        "sys.exit(code)\n"
    )
    args = ["import", str(workbook), "--unit", "fgw", "--quarter", "2025Q3", "--data", str(data)]
    start = time.monotonic()
    completed = subprocess.run(
        [sys.executable, "-c", script, *args], capture_output=True, text=True, encoding="utf-8", timeout=120
    )
    elapsed = time.monotonic() - start
    rss = int(re.search(r"RSS (\d+)", completed.stderr).group(1)) // 1024  # type: ignore[union-attr]
    assert "Traceback" not in completed.stderr, completed.stderr
    return completed, elapsed, rss


def test_a_workbook_that_unpacks_to_gigabytes_is_refused_before_it_is_opened(mini_data: Path) -> None:
    bomb = whitespace_bomb(mini_data.parent / "bomb.xlsx", gigabytes=0.25)
    assert bomb.stat().st_size < 1 << 20  # a quarter of a GB of whitespace in a few hundred KB
    before = tree_snapshot(mini_data)
    completed, elapsed, rss = _import_measured(bomb, mini_data)
    assert completed.returncode == 2
    assert "解压后有 256 MB，超过上限 50 MB" in completed.stderr and "max_workbook_mb" in completed.stderr
    assert elapsed < 10 and rss < 200
    assert tree_snapshot(mini_data) == before


def test_a_packed_member_beyond_any_spreadsheet_is_refused(mini_data: Path) -> None:
    bomb = whitespace_bomb(mini_data.parent / "bomb.xlsx", gigabytes=0.03)  # 30 MB, within the bound
    completed, _, _ = _import_measured(bomb, mini_data)
    assert completed.returncode == 2 and "压缩比高达" in completed.stderr, completed.stderr


def test_a_workbook_that_lies_about_its_sizes_is_read_no_further_than_it_says(mini_data: Path) -> None:
    liar = lying_sizes(mini_data.parent / "liar.xlsx")
    with zipfile.ZipFile(liar) as archive:
        assert archive.getinfo("xl/sharedStrings.xml").file_size == 1000
    completed, elapsed, rss = _import_measured(liar, mini_data)
    assert completed.returncode == 2 and "无法打开工作簿" in completed.stderr, completed.stderr
    assert "liar.xlsx" in completed.stderr and "已损坏" in completed.stderr
    assert elapsed < 10 and rss < 200


def test_a_sheet_of_a_million_rows_is_refused_in_seconds(mini_data: Path) -> None:
    sheet = full_sheet(mini_data.parent / "rows.xlsx")
    before = tree_snapshot(mini_data)
    completed, elapsed, rss = _import_measured(sheet, mini_data)
    assert completed.returncode == 2
    assert "有 1,048,576 行" in completed.stderr and "max_rows" in completed.stderr
    assert elapsed < 15 and rss < 300, (elapsed, rss)
    assert tree_snapshot(mini_data) == before


def test_rows_beyond_max_rows_are_refused_naming_the_sheet(mini_data: Path) -> None:
    (mini_data / "portal.yml").write_text(
        (mini_data / "portal.yml").read_text(encoding="utf-8") + "max_rows: 5\n", encoding="utf-8"
    )
    workbook = make_template(mini_data, "fgw")
    book = load_workbook(workbook)
    fill(book["会议"], [{"meeting_id": f"hy-{n}", "title": "会议"} for n in range(6)])
    book.save(workbook)
    run = gongkai("import", workbook, "--unit", "fgw", "--quarter", "2025Q3", "--data", mini_data)
    assert run.code == 2 and "超过上限 5 行" in run.stderr, run.output


def test_a_cell_over_max_cell_chars_is_named_by_sheet_row_and_column(mini_data: Path) -> None:
    (mini_data / "portal.yml").write_text(
        (mini_data / "portal.yml").read_text(encoding="utf-8") + "max_cell_chars: 40\n", encoding="utf-8"
    )
    workbook = make_template(mini_data, "fgw")
    book = load_workbook(workbook)
    fill(book["会议"], [{"meeting_id": "hy2025-101", "title": "长" * 41}])
    book.save(workbook)
    before = tree_snapshot(mini_data)
    run = gongkai("import", workbook, "--unit", "fgw", "--quarter", "2025Q3", "--data", mini_data)
    assert run.code == 1, run.output
    assert "工作表“会议” 第 3 行“会议名称”：有 41 个字，超过上限 40 个字" in run.stderr, run.stderr
    assert tree_snapshot(mini_data) == before


def test_a_csv_folder_beyond_max_file_mb_is_refused_before_reading(mini_data: Path) -> None:
    (mini_data / "portal.yml").write_text(
        (mini_data / "portal.yml").read_text(encoding="utf-8") + "max_file_mb: 1\n", encoding="utf-8"
    )
    folder = mini_data.parent / "csv"
    folder.mkdir()
    for table in TABLES[1:]:
        source = mini_data / "fgw" / "2025Q2" / resource_spec(table)["path"]
        if source.is_file():
            (folder / source.name).write_bytes(source.read_bytes())
    with (folder / "decisions.csv").open("a", encoding="utf-8") as handle:
        handle.write(("x" * 1000 + "\n") * 1100)
    run = gongkai("import", folder, "--unit", "fgw", "--quarter", "2025Q3", "--data", mini_data)
    assert run.code == 1 and "decisions.csv：文件有 1.1 MB，超过上限 1 MB" in run.stderr, run.output


def test_a_table_beyond_excels_row_limit_is_split_into_workbooks_by_year(tmp_path: Path) -> None:
    """An Excel sheet holds 1,048,576 rows with its header. A bulk table with more is published as
    one workbook a year (numbered parts if one year is still too big), each said so on the downloads
    page; here the limit is set to 3 rows so that the small test portal needs it."""
    from generator.export.bulk import write_bulk
    from generator.export.tables import combined_tables
    from generator.sources.load import load_portal

    portal = load_portal(MINI_DATA)
    decisions = combined_tables(portal)["decisions"]
    assert len(decisions.rows) > 2
    files = write_bulk(portal, tmp_path / "all", "2025-06-30", excel_limit=3)
    tmp_path = tmp_path / "all"
    parts = [f for f in files if f.table == "decisions" and f.kind == "xlsx"]
    assert len(parts) == -(-len(decisions.rows) // 2) and not (tmp_path / "decisions.xlsx").exists()
    assert all(f.name.startswith("decisions-2025-") and "按年份分为" in f.note for f in parts)
    rows = []
    for f in parts:
        sheet = load_workbook(tmp_path / f.name, read_only=True).worksheets[0]
        got = list(sheet.iter_rows(values_only=True))
        assert len(got) <= 3 and got[0][2] == "事项编号"
        rows += [r[2] for r in got[1:]]
    assert rows == [r[2] for r in decisions.rows]  # every decision, in order, once
    whole = load_workbook(tmp_path / "gongkai-all.xlsx", read_only=True)
    assert [n for n in whole.sheetnames if n.startswith("决策事项")] == [
        f"决策事项 {f.name[10:-5]}" for f in parts
    ]
    units = [f for f in files if f.table == "units" and f.kind == "xlsx"]
    assert [(f.name, f.note) for f in units] == [("units.xlsx", "")]  # small enough: one workbook
    assert "上限（3 行），按年份分为" in parts[0].note
