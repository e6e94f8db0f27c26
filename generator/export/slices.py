"""The bulk downloads package by package: what each unit-quarter adds to every bulk file, made
once and kept in the build cache.

A whole-portal bulk table is its packages' rows one after another, so every bulk file but the
database is its packages' shares joined, between a head and a tail that depend only on the whole.
A *slice* is one package's share of one file: its CSV rows, its Excel CSV rows, its JSON records,
its sheet rows (``generator.export.xlsx.sheet_rows``, which carry no row numbers) and its CSV rows
compressed, as ``generator.core.archive.Piece``s that join into one deflate stream; for 表态明细,
its CSV rows and sheet rows; and each of its files compressed for ``gongkai-packages.zip``.

A package's slices are kept in the cache (``TABLES_KIND``, ``DETAILS_KIND``) under a hash of all
they are made from: its files, the generator's code and zlib's version, and for 表态明细 its unit's
registry row. A rebuild after one package changed makes that package's slices and reads the others
back; ``generator.export.bulk`` joins them into the same bytes a cold build writes.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import marshal
import shutil
import sys
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from generator.core import scratch
from generator.core.archive import Piece, deflate
from generator.core.cache import Cache, ContentHash, code_fingerprint
from generator.core.model import Disclosure, Portal
from generator.core.schema import (
    OPTIONAL_RESOURCES,
    PACKAGE_RESOURCES,
    REGISTRY_RESOURCE,
    present_resources,
    resource_spec,
)
from generator.core.spreadsheet import excel_number, excel_text, may_hold_formula
from generator.export import xlsx
from generator.export.sqlite import FTS_COLUMNS, SHORT_TOKENS, converters, short_tokens
from generator.export.tables import (
    NO_DATA_DATE,
    STANCE_DETAILS,
    Table,
    _read,
    combined_schema,
    converter,
    detail_fields,
    package_sources,
    registry_table,
    stance_details,
)

#: Bump when the bytes of any slice change for the same input.
SLICE_FORMAT = "slices-2"
TABLES_KIND = "bulk-tables"  # each package table's CSV, Excel CSV, JSON and sheet rows
DETAILS_KIND = "bulk-details"  # 表态明细's rows, and the package's files compressed
_BLOB, _INDEX = "slices.bin", "slices.json"
#: The part of a blob that holds each table's ``row_widths`` (JSON), read only for a sheet's first rows.
_WIDTHS = "widths"
#: The tables whose dates make the data's date (``generator.export.catalog.data_date``).
_DATED = ("meetings", "hearings")
#: The tables a package holds rows of, in the bulk files' order.
PACKAGE_TABLES = (*PACKAGE_RESOURCES, *OPTIONAL_RESOURCES)
FILE_PREFIX = "file:"  # a package file's slice: FILE_PREFIX + its path in gongkai-packages.zip


def csv_rows(rows: list[list[str]]) -> bytes:
    """The machine-readable CSV lines of ``rows``: UTF-8, every value exactly as published."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode("utf-8")


def excel_csv_rows(fields: list[dict[str, Any]], rows: list[list[str]]) -> bytes:
    """The lines of the CSV for Excel: CRLF, every field quoted, and a leading apostrophe before
    any text a spreadsheet could run as a formula (``generator.core.spreadsheet``)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    fixes: list[tuple[int, Any]] = []
    for i, field in enumerate(fields):
        if field.get("type") in ("integer", "number"):
            fixes.append((i, excel_number))
        elif may_hold_formula(field):
            fixes.append((i, excel_text))
    for row in rows:
        safe = row.copy()
        for i, make_safe in fixes:
            safe[i] = make_safe(safe[i])
        writer.writerow(safe)
    return buffer.getvalue().encode("utf-8")


def excel_csv_header(titles: list[str]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_ALL).writerow([excel_text(t) for t in titles])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def json_records(fields: list[dict[str, Any]], rows: list[list[str]]) -> bytes:
    """The JSON records of ``rows``, comma-separated (the bulk JSON is ``[`` those ``]``)."""
    names = [f["name"] for f in fields]
    convert = [converter(f) for f in fields]
    records = [{name: c(value) for name, c, value in zip(names, convert, row, strict=True)} for row in rows]
    return json.dumps(records, ensure_ascii=False, separators=(",", ":"))[1:-1].encode("utf-8")


class Slices:
    """One package's slices (or the registry's): named byte ranges of one blob, a file or bytes."""

    def __init__(
        self,
        blob: Path | bytes,
        index: dict[str, Any],
        rows: Callable[[str], list[list[str]]],
        sort_key: tuple[str, str],
        key: str = "",
    ) -> None:
        self._blob = blob
        self.counts: dict[str, int] = index["counts"]
        self._widths: dict[str, list[list[int]]] | None = None  # read when a sheet needs them
        self._parts: dict[str, list[int]] = index["parts"]
        self.total_rows: int = index.get("rows", 0)  # rows of every table of the package (DETAILS_KIND)
        self.latest: str = index.get("latest", "")  # its latest meeting or hearing date ("": none)
        self.rows = rows  # a table's rows made again (to split a sheet inside this package)
        self.sort_key = sort_key  # (unit_id, period)
        self.key = key  # the content key it was made under (the same key, the same slices)

    @property
    def year(self) -> str:
        return self.sort_key[1][:4] or "all"

    def count(self, table: str) -> int:
        return self.counts.get(table, 0)

    def widths(self, table: str) -> list[list[int]]:
        if self._widths is None:
            data = self.data(_WIDTHS)
            self._widths = json.loads(data) if data else {}
        return self._widths.get(table, [])

    def files(self) -> list[str]:
        return [name.removeprefix(FILE_PREFIX) for name in self._parts if name.startswith(FILE_PREFIX)]

    def data(self, name: str) -> bytes:
        part = self._parts.get(name)
        if part is None:
            return b""
        offset, length = part[0], part[1]
        if isinstance(self._blob, bytes):
            return self._blob[offset : offset + length]
        with self._blob.open("rb") as handle:
            handle.seek(offset)
            data = handle.read(length)
        if len(data) != length:
            raise OSError(f"{self._blob}：切片不完整")
        return data

    def piece(self, name: str) -> Piece:
        _offset, _length, crc, size = self._parts[name]
        return Piece(self.data(name), crc, size)


class _Maker:
    """Collects a package's slices into one blob and its index."""

    def __init__(self) -> None:
        self.out = io.BytesIO()
        self.index: dict[str, Any] = {"counts": {}, "parts": {}}
        self.widths: dict[str, list[list[int]]] = {}

    def table(self, name: str, rows: list[list[str]]) -> None:
        self.index["counts"][name] = len(rows)
        self.widths[name] = xlsx.row_widths(rows)

    def dates(self, table: str, rows: list[list[str]]) -> None:
        """Note the latest date of ``rows`` if ``table`` is one the data's date is read from."""
        if table in _DATED and rows:
            at = [f["name"] for f in combined_schema(table)["fields"]].index("date")
            self.index["latest"] = max(self.index.get("latest", ""), *(row[at] for row in rows))

    def blob(self) -> bytes:
        """The blob, its widths part last (call once, when every slice is added)."""
        if self.widths:
            self.add(_WIDTHS, json.dumps(self.widths, separators=(",", ":")).encode("ascii"))
        return self.out.getvalue()

    def add(self, name: str, data: bytes, crc: int = 0, size: int = 0) -> None:
        self.index["parts"][name] = [self.out.tell(), len(data), crc, size]
        self.out.write(data)

    def add_piece(self, name: str, piece: Piece) -> None:
        self.add(name, piece.data, piece.crc, piece.size)


def table_parts(make: _Maker, table: str, fields: list[dict[str, Any]], rows: list[list[str]]) -> None:
    """A table's slices of ``rows``: CSV (plain, and compressed for the zip), Excel CSV, JSON, sheet."""
    if not rows:
        return
    make.table(table, rows)
    plain = csv_rows(rows)
    make.add(f"{table}.csv", plain)
    make.add_piece(f"{table}.csv.z", deflate(plain))
    make.add(f"{table}.excel", excel_csv_rows(fields, rows))
    make.add(f"{table}.json", json_records(fields, rows))
    make.add_piece(f"{table}.sheet", deflate(xlsx.sheet_rows(rows, xlsx.cell_writers(fields)).encode()))


def package_rows(dis: Disclosure, table: str) -> list[list[str]]:
    """A package table's rows as the bulk table holds them (unit_id and period first)."""
    if table not in present_resources(dis.path):
        return []
    prefix = [dis.unit.unit_id, str(dis.period)]
    return [prefix + row for row in _read(dis.path / resource_spec(table)["path"], table)]


def _detail_rows(
    dis: Disclosure, registry_row: list[str], read: dict[str, list[list[str]]] | None = None
) -> list[list[str]]:
    """表态明细's rows of a package (``read``: its tables' rows, if read already)."""
    read = read or {}
    tables = {
        REGISTRY_RESOURCE: Table(
            REGISTRY_RESOURCE, "", combined_schema(REGISTRY_RESOURCE)["fields"], [registry_row]
        ),
        **{
            name: Table(
                name,
                "",
                combined_schema(name)["fields"],
                read[name] if name in read else package_rows(dis, name),
            )
            for name in ("decisions", "members", "stances")
        },
    }
    return stance_details(tables).rows


def db_rows(package: Slices, table: str) -> list[list[Any]]:
    """A package's rows of ``table`` as the database holds them (or its decisions' short tokens,
    ``SHORT_TOKENS``). Read with ``marshal``: the fastest reader of Python values, safe here because
    a cache entry is read only after every byte checked against the manifest sealed with this
    user's key (``generator.core.cache``), and written by this Python version (in the key)."""
    data = package.data(f"db:{table}")
    return marshal.loads(data) if data else []


def package_files(dis: Disclosure) -> list[tuple[str, Path]]:
    """The package's files as published: (path in gongkai-packages.zip, source)."""
    return package_sources(dis, f"gongkai-packages/{dis.unit.unit_id}/{dis.period}/")


def _key(kind: str, dis: Disclosure, registry_row: list[str]) -> str:
    digest = ContentHash(f"{SLICE_FORMAT}/{kind}")
    digest.add("code", code_fingerprint().encode())
    digest.add("zlib", zlib.ZLIB_RUNTIME_VERSION.encode())
    digest.add("package", f"{dis.unit.unit_id}/{dis.period}".encode())
    if kind == DETAILS_KIND:
        digest.add("registry", json.dumps(registry_row, ensure_ascii=False).encode())
        digest.add("marshal", f"{marshal.version}/{sys.version}".encode())
    for name, source in package_files(dis):
        digest.add(name, source.read_bytes())
    return digest.hexdigest()


def _make(kind: str, dis: Disclosure, registry_row: list[str]) -> _Maker:
    make = _Maker()
    if kind == TABLES_KIND:
        for table in PACKAGE_TABLES:
            rows = package_rows(dis, table)
            make.dates(table, rows)
            table_parts(make, table, combined_schema(table)["fields"], rows)
        return make
    # Each table's rows typed as the database holds them, and its decisions' short tokens.
    total = 0
    read = {}
    for table in PACKAGE_TABLES:
        rows = read[table] = package_rows(dis, table)
        make.dates(table, rows)
        total += len(rows)
        if rows:
            convert = converters(combined_schema(table)["fields"])
            typed = [[c(text) for c, text in zip(convert, row, strict=True)] for row in rows]
            make.add(f"db:{table}", marshal.dumps(typed))
        if table == "decisions" and rows:
            header = [f["name"] for f in combined_schema(table)["fields"]]
            picks = [header.index(name) for name in FTS_COLUMNS]
            make.add(
                f"db:{SHORT_TOKENS}", marshal.dumps([[short_tokens(row[i]) for i in picks] for row in rows])
            )
    make.index["rows"] = total
    rows = _detail_rows(dis, registry_row, read)
    if rows:
        make.table(STANCE_DETAILS, rows)
        make.add(f"{STANCE_DETAILS}.csv", csv_rows(rows))
        fields = list(detail_fields())
        make.add_piece(
            f"{STANCE_DETAILS}.sheet", deflate(xlsx.sheet_rows(rows, xlsx.cell_writers(fields)).encode())
        )
    for name, source in package_files(dis):
        make.add_piece(FILE_PREFIX + name, deflate(source.read_bytes()))
    return make


def registry_slices(portal: Portal) -> Slices:
    """The registry table's slices (made every time: it is one small file)."""
    table = registry_table(portal)
    make = _Maker()
    table_parts(make, REGISTRY_RESOURCE, table.fields, table.rows)
    return Slices(make.blob(), make.index, lambda _t: table.rows, ("", ""))


class SliceSet:
    """Every package's slices of one kind, in registry order (made, or read from the cache)."""

    def __init__(self, portal: Portal, kind: str, store: Cache | None, work: Path) -> None:
        self.kind = kind
        self.made: set[tuple[str, str]] = set()  # the packages whose slices this build made
        self.scratch = scratch.make_dir(".gongkai-slices-", work)
        registry = {row[0]: row for row in registry_table(portal).rows}
        self.packages: list[Slices] = []
        for number, dis in enumerate(portal.disclosures):
            row = registry.get(dis.unit.unit_id, [dis.unit.unit_id])
            self.packages.append(self._slices(kind, dis, row, store, number))

    def _slices(self, kind: str, dis: Disclosure, row: list[str], store: Cache | None, number: int) -> Slices:
        key = _key(kind, dis, row)
        sort_key = (dis.unit.unit_id, str(dis.period))
        if kind == TABLES_KIND:
            rows: Callable[[str], list[list[str]]] = lambda table: package_rows(dis, table)  # noqa: E731
        else:
            rows = lambda _table: _detail_rows(dis, row)  # noqa: E731
        entry = store.lookup(kind, key) if store is not None else None
        if entry is not None:
            with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
                index = json.loads((entry.path / _INDEX).read_bytes())
                if {"counts", "parts"} <= set(index):
                    return Slices(entry.path / _BLOB, index, rows, sort_key, key)
        make = _make(kind, dis, row)
        self.made.add(sort_key)
        folder = self.scratch / str(number)
        folder.mkdir()
        (folder / _BLOB).write_bytes(make.blob())
        (folder / _INDEX).write_text(json.dumps(make.index, ensure_ascii=False), encoding="utf-8")
        if store is not None:
            with contextlib.suppress(OSError):  # the cache is an optimisation only
                store.store(kind, key, folder)
        return Slices(folder / _BLOB, make.index, rows, sort_key, key)

    def data_date(self) -> str:
        """The latest meeting or hearing date of every package (``generator.export.catalog.data_date``,
        without the records loaded)."""
        return max((p.latest for p in self.packages if p.latest), default=NO_DATA_DATE)

    def close(self) -> None:
        shutil.rmtree(self.scratch, ignore_errors=True)
