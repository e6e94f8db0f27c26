"""Excel workbooks of the open data, written directly as SpreadsheetML.

Every data sheet has Chinese headers (bold, frozen, with an autofilter over every row), numbers as
number cells, dates as date cells (shown ``yyyy-mm-dd``), 是/否 as text, and text as inline strings:
never a formula, and a text a spreadsheet could take for one (``=``, ``+``, ``-``, ``@`` …) is marked
quote-prefixed, as Excel does when one types an apostrophe. A last sheet, 说明, says what the
workbook is: the portal, its publisher, the licence, the source address and the data date.
Identical input gives identical bytes: the document dates are the data date, zip entries carry a
fixed date (``generator.core.archive``).

Why not a library: on the 188,919 rows of a 20,000-decision portal, XlsxWriter 3.3.1 took 10.1 s
for the per-table workbooks where this writer takes 2.7 s (``bench/xlsx_cost.py``, side by side in
one run), and the whole-portal workbook would cost as much again; and a library cannot join rows made
apart. Data rows carry no row or cell references (both optional in ECMA-376, §18.3.1.73 and
§18.3.1.4; an empty cell is ``<c/>``), so each package's rows are made and compressed once
(``generator.export.slices``) and joined into any sheet at any place: into its table's workbook and
the whole-portal one alike. Writers of very large sheets (LargeXlsx) leave the references out for
the same reason, and Excel, LibreOffice and Google Sheets read such sheets; they are also a third smaller.
openpyxl, in the tests, is the independent reader that checks every workbook against its CSV.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from generator.core.archive import LEVEL, Piece, Sink, ZipWriter, deflate
from generator.core.spreadsheet import may_hold_formula, runs_as_formula
from generator.export.tables import Table, typed

#: An Excel sheet's rows, header included.
MAX_ROWS = 1_048_576
#: The widest a column is set (in characters), however long its texts.
_MAX_WIDTH = 40
#: Characters XML 1.0 cannot hold (a validated text never has them; a cell must never break the file).
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
#: Characters that take two columns of a cell's width (CJK and beyond).
_WIDE = re.compile("[\u2e81-\U0010ffff]")
#: Cell styles (``s=``), as declared in ``_STYLES``.
_BOLD, _QUOTED, _DATE, _WRAP = ' s="1"', ' s="2"', ' s="3"', ' s="4"'
_EXCEL_EPOCH = dt.date(1899, 12, 30)

_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="等线"/></font><font><b/><sz val="11"/><name val="等线"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">'
    '<alignment vertical="top" wrapText="1"/></xf></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
_MAIN = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


@dataclass(frozen=True)
class Sheet:
    """One worksheet: its name and its XML (made once, zipped into every workbook that holds it)."""

    name: str
    xml: str
    rows: int  # header included
    columns: int
    filtered: bool = False  # with an autofilter over every row


#: Rows whose widths set a sheet's column widths (its first rows).
WIDTH_ROWS = 200


def cell_writers(fields: list[dict[str, Any]]) -> list[Callable[[str], str]]:
    """For each column of ``fields``, what follows ``<c`` for a value of it."""
    return [_writer(field) for field in fields]


def sheet_rows(rows: list[list[str]], writers: list[Callable[[str], str]]) -> str:
    """The XML of data ``rows``, without row or cell references: a row follows the one before it
    and a cell the one before it (an empty cell is ``<c/>``, empty cells at a row's end left out),
    so that the rows of each package are made once and joined at any place in a sheet."""
    out = []
    for row in rows:
        end = len(row)
        while end and row[end - 1] == "":
            end -= 1
        out.append("<row>")
        out += [
            "<c/>" if text == "" else "<c" + write(text)
            for write, text in zip(writers[:end], row[:end], strict=True)
        ]
        out.append("</row>")
    return "".join(out)


def row_widths(rows: list[list[str]]) -> list[list[int]]:
    """The display width of every value of the first ``WIDTH_ROWS`` rows."""
    return [list(map(_width, row)) for row in rows[:WIDTH_ROWS]]


def sheet_start(titles: list[str], widths: Iterable[list[int]]) -> str:
    """A data sheet up to its first data row: column widths (judged by the titles and the widths
    of the first rows, ``row_widths``), the Chinese headers bold and frozen."""
    columns = [_column(i) for i in range(len(titles))]
    header = "".join(
        f'<c r="{column}1"{_text_cell(title, _BOLD)}' for column, title in zip(columns, titles, strict=True)
    )
    best = [max(6, _width(title)) for title in titles]
    for row in widths:
        for index, width in enumerate(row):
            best[index] = max(best[index], width)
    cols = "".join(
        f'<col min="{i}" max="{i}" width="{min(w, _MAX_WIDTH) + 1}" customWidth="1"/>'
        for i, w in enumerate(best, start=1)
    )
    return (
        f"{_HEAD}<worksheet {_MAIN}>"
        '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        "</sheetView></sheetViews>"
        f"<cols>{cols}</cols>"
        f'<sheetData><row r="1">{header}</row>'
    )


def sheet_end(columns: int, rows: int) -> str:
    """A data sheet after its last row: the autofilter over every row (``rows``: data rows)."""
    last = f"{_column(columns - 1)}{rows + 1}" if columns else "A1"
    return f'</sheetData><autoFilter ref="A1:{last}"/></worksheet>'


def table_pieces(table: Table) -> list[Piece]:
    """``table``'s whole sheet, compressed (its rows in pieces of a few thousand)."""
    writers = cell_writers(table.fields)
    pieces = [deflate(sheet_start(table.titles, row_widths(table.rows)).encode())]
    for start in range(0, len(table.rows), _CHUNK_ROWS):
        pieces.append(deflate(sheet_rows(table.rows[start : start + _CHUNK_ROWS], writers).encode()))
    pieces.append(deflate(sheet_end(len(table.fields), len(table.rows)).encode()))
    return pieces


_CHUNK_ROWS = 4000


def about_sheet(about: list[tuple[str, str]]) -> Sheet:
    """说明: what the workbook is, one (label, text) a row."""
    rows = "".join(
        f'<row r="{n}"><c r="A{n}"{_text_cell(label, _BOLD)}<c r="B{n}"{_text_cell(text, _WRAP)}</row>'
        for n, (label, text) in enumerate(about, start=1)
    )
    xml = (
        f'{_HEAD}<worksheet {_MAIN}><cols><col min="1" max="1" width="14" customWidth="1"/>'
        '<col min="2" max="2" width="80" customWidth="1"/></cols>'
        f"<sheetData>{rows}</sheetData></worksheet>"
    )
    return Sheet("说明", xml, len(about), 2)


class WorkbookWriter:
    """An XLSX workbook written sheet by sheet into ``out`` (in memory unless given): its parts
    first (named after ``heads``: every sheet's name and size), then each sheet as it is added, so
    that the whole-portal workbook never holds all its sheets in memory."""

    def __init__(self, heads: list[Sheet], title: str, data_date: str, out: Sink | None = None) -> None:
        self.heads, self.added = heads, 0
        self.zip = ZipWriter(LEVEL, out)
        for name, text in _parts(heads, title, data_date).items():
            self.zip.add(name, text.encode())

    def add(self, sheet: Sheet) -> None:
        self.add_pieces(sheet, [deflate(sheet.xml.encode())])

    def add_pieces(self, sheet: Sheet, pieces: Iterable[Piece]) -> None:
        """The next sheet (its name and size must be the ones announced), compressed already."""
        head = self.heads[self.added]
        assert (sheet.name, sheet.rows, sheet.columns) == (head.name, head.rows, head.columns), head.name
        self.added += 1
        self.zip.add_pieces(f"xl/worksheets/sheet{self.added}.xml", pieces)

    def close(self) -> None:
        assert self.added == len(self.heads)
        self.zip.close()

    def getvalue(self) -> bytes:
        assert self.added == len(self.heads)
        return self.zip.getvalue()


def sheet_head(title: str, rows: int, columns: int) -> Sheet:
    """A data sheet (``rows`` data rows) as a workbook names it before its XML is made (no XML)."""
    return Sheet(_sheet_name(title), "", rows + 1, columns, filtered=True)


def _parts(sheets: list[Sheet], title: str, data_date: str) -> dict[str, str]:
    """Every part of the workbook but its sheets, [Content_Types].xml first."""
    names = "".join(
        f'<sheet name="{xml_escape(s.name, {chr(34): "&quot;"})}" sheetId="{i}" r:id="rId{i}"/>'
        for i, s in enumerate(sheets, start=1)
    )
    filters = "".join(
        f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
        f"{xml_escape(_quoted_name(s.name))}!$A$1:${_column(s.columns - 1)}${s.rows}</definedName>"
        for i, s in enumerate(sheets)
        if s.filtered
    )
    workbook = (
        f'{_HEAD}<workbook {_MAIN} xmlns:r="{_REL}"><sheets>{names}</sheets>'
        + (f"<definedNames>{filters}</definedNames>" if filters else "")
        + "</workbook>"
    )
    relations = "".join(
        f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, len(sheets) + 1)
    )
    relations += f'<Relationship Id="rId{len(sheets) + 1}" Type="{_REL}/styles" Target="styles.xml"/>'
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, len(sheets) + 1)
    )
    stamp = f"{data_date}T00:00:00Z"
    return {
        "[Content_Types].xml": (
            f'{_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            f"{overrides}"
            '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            f'{_HEAD}<Relationships xmlns="{_PKG_REL}">'
            f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
            f'<Relationship Id="rId2" Type="{_PKG_REL}/metadata/core-properties" Target="docProps/core.xml"/>'
            "</Relationships>"
        ),
        "docProps/core.xml": (
            f"{_HEAD}"
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:title>{xml_escape(_clean(title))}</dc:title><dc:creator>gongkai</dc:creator>"
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified></cp:coreProperties>'
        ),
        "xl/workbook.xml": workbook,
        "xl/_rels/workbook.xml.rels": f'{_HEAD}<Relationships xmlns="{_PKG_REL}">{relations}</Relationships>',
        "xl/styles.xml": _STYLES,
    }


def table_workbook(table: Table, data_date: str, about: list[tuple[str, str]] | None = None) -> bytes:
    """The workbook of one table: its sheet, then 说明 (``about``: its rows)."""
    about_part = about_sheet(about or [("内容", table.title)])
    head = sheet_head(table.title, len(table.rows), len(table.fields))
    workbook = WorkbookWriter([head, about_part], table.title, data_date)
    workbook.add_pieces(head, table_pieces(table))
    workbook.add(about_part)
    return workbook.getvalue()


def _writer(field: dict[str, Any]) -> Callable[[str], str]:
    """What follows ``<c`` for a value of this column."""
    kind = field.get("type", "string")
    if kind == "integer":
        return lambda text: f"><v>{int(text)}</v></c>"
    if kind == "number":
        return lambda text: f"><v>{typed(field, text)!r}</v></c>"
    if kind == "date":
        return lambda text: f"{_DATE}><v>{(dt.date.fromisoformat(text) - _EXCEL_EPOCH).days}</v></c>"
    if kind == "boolean":
        return lambda text: _text_cell("是" if text == "是" else "否")
    if may_hold_formula(field):
        return _text_cell
    return _plain_text_cell


def _text_cell(text: str, style: str = "") -> str:
    """The rest of a cell holding ``text`` as an inline string: never a formula; ``style`` (bold,
    wrapped) is replaced by the quote-prefix style where the text needs it."""
    clean = _clean(text)
    style = _QUOTED if runs_as_formula(clean) else style
    return style + _INLINE + _escape(clean) + _END


def _plain_text_cell(text: str) -> str:
    """``_text_cell`` for a column that cannot hold a formula-like value (``may_hold_formula``)."""
    return _INLINE + _escape(_clean(text)) + _END


_INLINE, _END = ' t="inlineStr"><is><t xml:space="preserve">', "</t></is></c>"


def _escape(text: str) -> str:
    """``xml_escape`` (``&``, ``<``, ``>``), without its call when there is nothing to escape."""
    if "&" in text or "<" in text or ">" in text:
        return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
    return text


def _clean(text: str) -> str:
    return text if text.isprintable() else _XML_ILLEGAL.sub("", text)


def _column(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def _sheet_name(title: str) -> str:
    """An Excel sheet name: at most 31 characters, none of ``[]:*?/\\``, not empty."""
    return re.sub(r"[\[\]:*?/\\]", "_", _clean(title))[:31] or "数据"


def _quoted_name(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


def _width(text: str) -> int:
    """Display width of a text: a CJK character (from U+2E81) takes two columns."""
    start = text[:_MAX_WIDTH]
    return len(start) if start.isascii() else len(start) + len(_WIDE.findall(start))
