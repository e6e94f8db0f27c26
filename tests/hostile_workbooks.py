"""Hostile workbooks for ``gongkai import``, written as a stream (nothing big held on disk or in
memory while writing): a zip bomb whose shared strings unpack to gigabytes of whitespace, and a
worksheet of Excel's full 1,048,576 rows. Used by tests/test_spreadsheet_safety.py and, run as a
script, to measure ``gongkai import`` on them::

    python tests/hostile_workbooks.py bomb OUT.xlsx [GB]
    python tests/hostile_workbooks.py rows OUT.xlsx [ROWS]
"""

from __future__ import annotations

import struct
import sys
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def _static(sheet: str, shared_strings: bool) -> dict[str, str]:
    strings_type = (
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_CT}.sharedStrings+xml"/>'
        if shared_strings
        else ""
    )
    strings_rel = (
        f'<Relationship Id="rId2" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/>'
        if shared_strings
        else ""
    )
    return {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_CT}.worksheet+xml"/>'
            f"{strings_type}</Types>"
        ),
        "_rels/.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG_REL}">'
            f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG_REL}">'
            f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
            f"{strings_rel}</Relationships>"
        ),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{_MAIN}" xmlns:r="{_REL}">'
            f'<sheets><sheet name="{sheet}" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
    }


def write_workbook(
    path: Path, sheet: str, rows: Iterable[bytes], shared_strings: Iterable[bytes] | None = None
) -> Path:
    """A one-sheet XLSX whose sheet data (and shared strings) are streamed chunk by chunk."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in _static(sheet, shared_strings is not None).items():
            archive.writestr(name, text)
        parts: list[tuple[str, Iterable[bytes]]] = [
            (
                "xl/worksheets/sheet1.xml",
                _chain(
                    [f'<worksheet xmlns="{_MAIN}"><sheetData>'.encode()], rows, [b"</sheetData></worksheet>"]
                ),
            )
        ]
        if shared_strings is not None:
            parts.append(("xl/sharedStrings.xml", shared_strings))
        for name, chunks in parts:
            with archive.open(name, "w", force_zip64=True) as member:
                for chunk in chunks:
                    member.write(chunk)
    return path


def _chain(*parts: Iterable[bytes]) -> Iterator[bytes]:
    for part in parts:
        yield from part


def whitespace_bomb(path: Path, gigabytes: float = 5.0) -> Path:
    """A workbook of a few MB whose shared strings unpack to ``gigabytes`` GB of spaces."""
    block = b" " * (1 << 24)  # 16 MB
    count = int(gigabytes * (1 << 30)) // len(block)

    def strings() -> Iterator[bytes]:
        yield f'<sst xmlns="{_MAIN}" count="1" uniqueCount="1"><si><t xml:space="preserve">'.encode()
        for _ in range(count):
            yield block
        yield b"</t></si></sst>"

    rows = [b'<row r="1"><c r="A1" t="s"><v>0</v></c></row>']
    return write_workbook(path, "班子成员及分工", rows, strings())


def lying_sizes(path: Path, megabytes: int = 160) -> Path:
    """A workbook whose zip directory says its shared strings unpack to 1,000 bytes while they hold
    ``megabytes`` MB of whitespace (no zip64, so that the sizes sit in two fixed places)."""
    block = b" " * (1 << 20)
    strings = _chain(
        [f'<sst xmlns="{_MAIN}"><si><t>'.encode()], (block for _ in range(megabytes)), [b"</t></si></sst>"]
    )
    rows = [b'<row r="1"><c r="A1" t="s"><v>0</v></c></row>']
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in _static("班子成员及分工", True).items():
            archive.writestr(name, text)
        archive.writestr(
            "xl/worksheets/sheet1.xml",
            b"".join(
                _chain(
                    [f'<worksheet xmlns="{_MAIN}"><sheetData>'.encode()], rows, [b"</sheetData></worksheet>"]
                )
            ),
        )
        with archive.open("xl/sharedStrings.xml", "w") as member:
            for chunk in strings:
                member.write(chunk)
    raw = bytearray(path.read_bytes())
    name = b"xl/sharedStrings.xml"
    at = raw.find(name)
    while at >= 0:
        if raw[at - 46 : at - 42] == b"PK\x01\x02":  # central directory: size at +24
            struct.pack_into("<I", raw, at - 46 + 24, 1000)
        if raw[at - 30 : at - 26] == b"PK\x03\x04":  # local header: size at +22
            struct.pack_into("<I", raw, at - 30 + 22, 1000)
        at = raw.find(name, at + 1)
    path.write_bytes(bytes(raw))
    return path


def full_sheet(path: Path, rows: int = 1_048_576) -> Path:
    """A 班子成员及分工 sheet with a header and ``rows`` rows in all (Excel's limit by default):
    each row one number, different in every row so that it packs like a real sheet (26 MB of XML,
    within the default max_workbook_mb)."""

    def data() -> Iterator[bytes]:
        yield (
            '<row><c t="inlineStr"><is><t>成员编号</t></is></c><c t="inlineStr"><is><t>姓名</t></is></c></row>'
        ).encode()
        batch = []
        for number in range(2, rows + 1):
            batch.append(f"<row><c><v>{number}</v></c></row>")
            if len(batch) == 10000:
                yield "".join(batch).encode()
                batch = []
        yield "".join(batch).encode()

    return write_workbook(path, "班子成员及分工", data())


if __name__ == "__main__":
    kind, out = sys.argv[1], Path(sys.argv[2])
    if kind == "bomb":
        whitespace_bomb(out, float(sys.argv[3]) if len(sys.argv) > 3 else 5.0)
    else:
        full_sheet(out, int(sys.argv[3]) if len(sys.argv) > 3 else 1_048_576)
    print(out, out.stat().st_size)
