"""The one zip writer: every zip the portal publishes (data package zips, bulk zips, XLSX
workbooks) is written here, byte-identical for identical input: fixed dates and permissions,
entries sorted by name unless their order matters (an XLSX's ``[Content_Types].xml`` first).

An entry's content can be given already compressed, as ``Piece``s: raw deflate fragments, each
made on its own (``deflate``) and ended on a byte boundary, so that fragments made at different
times join into one valid deflate stream (as ``pigz`` joins the blocks it compresses in parallel).
The bulk downloads keep one fragment per unit-quarter package in the build cache and join them:
a rebuild compresses only the packages that changed. The entry's CRC-32 is combined from the
fragments' own (``crc32_combine``, zlib's algorithm), so no fragment is read twice.

The container is written here rather than by ``zipfile``, which can only compress what it is given;
``zipfile`` reads every zip back in the tests. ZIP64 records are written where a size, an offset
or the number of entries needs them.
"""

from __future__ import annotations

import functools
import io
import struct
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

#: The date of every zip entry (the earliest a zip can hold): nothing from the clock.
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
#: Deflate level of every zip: 6, zlib's default, within a few per cent of 9 in size on CSV and
#: several times faster on the bulk files.
LEVEL = 6
#: The end of every joined deflate stream: an empty final block (fixed Huffman codes).
_FINAL = b"\x03\x00"
#: Beyond this a size or offset is written in a ZIP64 record (``zipfile``'s own limit).
_LIMIT = (1 << 31) - 1
_COUNT_LIMIT = 0xFFFF
_DOS_DATE = (ZIP_DATE[0] - 1980) << 9 | ZIP_DATE[1] << 5 | ZIP_DATE[2]
_DOS_TIME = ZIP_DATE[3] << 11 | ZIP_DATE[4] << 5 | ZIP_DATE[5] // 2
_EXTERNAL = 0o644 << 16  # a regular file, rw-r--r--
_UNIX = 3


class Sink(Protocol):
    """Where a zip is written: a binary file, or anything with its ``write``."""

    def write(self, data: bytes, /) -> int: ...


@dataclass(frozen=True)
class Piece:
    """A raw deflate fragment of ``size`` bytes of content whose CRC-32 is ``crc``; ``data`` is
    not final and ends on a byte boundary, so fragments can follow one another."""

    data: bytes
    crc: int
    size: int


def deflate(content: bytes, level: int = LEVEL) -> Piece:
    """``content`` as a fragment that can be joined to others (compressed on its own)."""
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
    data = compressor.compress(content) + compressor.flush(zlib.Z_SYNC_FLUSH)
    return Piece(data, zlib.crc32(content), len(content))


def _times(matrix: Sequence[int], vector: int) -> int:
    """A 32×32 matrix over GF(2) (one column a bit) times a vector."""
    total, index = 0, 0
    while vector:
        if vector & 1:
            total ^= matrix[index]
        vector >>= 1
        index += 1
    return total


@functools.cache
def _zeros(power: int) -> tuple[int, ...]:
    """The operator that feeds 2**power zero bytes to a CRC-32."""
    if power == 0:
        bit = (0xEDB88320, *(1 << n for n in range(31)))  # one zero bit
        for _ in range(3):
            bit = tuple(_times(bit, column) for column in bit)
        return bit
    half = _zeros(power - 1)
    return tuple(_times(half, column) for column in half)


@functools.cache
def _zeros_by_byte(power: int) -> tuple[tuple[int, ...], ...]:
    """``_zeros(power)`` as four tables, one a byte of the vector: the operator times a vector is
    four lookups (a bulk table joins thousands of pieces, each combined once a set bit of its length)."""
    columns = _zeros(power)
    tables = []
    for byte in range(4):
        table = [0] * 256
        for value in range(1, 256):
            low = value & -value  # the lowest set bit, and the column it picks
            table[value] = table[value ^ low] ^ columns[8 * byte + low.bit_length() - 1]
        tables.append(tuple(table))
    return tuple(tables)


def crc32_combine(first: int, second: int, length: int) -> int:
    """The CRC-32 of A followed by B, from A's CRC, B's CRC and B's length (zlib's crc32_combine)."""
    power = 0
    while length:
        if length & 1:
            t0, t1, t2, t3 = _zeros_by_byte(power)
            first = t0[first & 255] ^ t1[(first >> 8) & 255] ^ t2[(first >> 16) & 255] ^ t3[first >> 24]
        length >>= 1
        power += 1
    return first ^ second


@dataclass
class _Entry:
    name: bytes
    flags: int
    crc: int
    compressed: int
    size: int
    offset: int


class ZipWriter:
    """A zip written entry by entry into ``out`` (in memory unless given); ``level``: the deflate
    level of what it compresses itself."""

    def __init__(self, level: int = LEVEL, out: Sink | None = None) -> None:
        self.level = level
        self._out: Sink = out if out is not None else io.BytesIO()
        self._at = 0
        self._entries: list[_Entry] = []

    def _write(self, data: bytes) -> None:
        self._out.write(data)
        self._at += len(data)

    def add(self, name: str, data: bytes) -> None:
        self.add_pieces(name, [deflate(data, self.level)])

    def add_pieces(self, name: str, pieces: Iterable[Piece]) -> None:
        """An entry whose content is ``pieces`` joined, in order (each compressed already)."""
        pieces = list(pieces)
        crc, size = 0, 0
        for piece in pieces:
            crc = crc32_combine(crc, piece.crc, piece.size)
            size += piece.size
        compressed = sum(len(piece.data) for piece in pieces) + len(_FINAL)
        try:
            encoded, flags = name.encode("ascii"), 0
        except UnicodeEncodeError:
            encoded, flags = name.encode("utf-8"), 0x800
        entry = _Entry(encoded, flags, crc, compressed, size, self._at)
        big = size > _LIMIT or compressed > _LIMIT
        extra = struct.pack("<HHQQ", 1, 16, size, compressed) if big else b""
        self._write(
            struct.pack(
                "<IHHHHHIIIHH",
                0x04034B50,
                45 if big else 20,
                flags,
                zlib.DEFLATED,
                _DOS_TIME,
                _DOS_DATE,
                crc,
                0xFFFFFFFF if big else compressed,
                0xFFFFFFFF if big else size,
                len(encoded),
                len(extra),
            )
            + encoded
            + extra
        )
        for piece in pieces:
            self._write(piece.data)
        self._write(_FINAL)
        self._entries.append(entry)

    def close(self) -> None:
        """Write the central directory (after the last entry)."""
        start = self._at
        for entry in self._entries:
            sizes = [entry.size, entry.compressed, entry.offset]
            wide = [value for value in sizes if value > _LIMIT]
            extra = struct.pack(f"<HH{len(wide)}Q", 1, 8 * len(wide), *wide) if wide else b""
            version = 45 if wide else 20
            self._write(
                struct.pack(
                    "<IBBHHHHHIIIHHHHHII",
                    0x02014B50,
                    version,
                    _UNIX,
                    version,
                    entry.flags,
                    zlib.DEFLATED,
                    _DOS_TIME,
                    _DOS_DATE,
                    entry.crc,
                    *(0xFFFFFFFF if value > _LIMIT else value for value in sizes[1::-1]),
                    len(entry.name),
                    len(extra),
                    0,
                    0,
                    0,
                    _EXTERNAL,
                    0xFFFFFFFF if entry.offset > _LIMIT else entry.offset,
                )
                + entry.name
                + extra
            )
        size, count = self._at - start, len(self._entries)
        if count >= _COUNT_LIMIT or size > _LIMIT or start > _LIMIT:
            end64 = self._at
            self._write(struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, 45, 45, 0, 0, count, count, size, start))
            self._write(struct.pack("<IIQI", 0x07064B50, 0, end64, 1))
            count, size, start = _COUNT_LIMIT, 0xFFFFFFFF, 0xFFFFFFFF  # see the ZIP64 record
        self._write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, size, start, 0))

    def getvalue(self) -> bytes:
        """The whole zip (written in memory): the central directory is written first."""
        assert isinstance(self._out, io.BytesIO)
        self.close()
        return self._out.getvalue()


def zip_bytes(entries: Iterable[tuple[str, bytes]], *, in_order: bool = False) -> bytes:
    """A zip of ``(name, content)`` entries, sorted by name unless ``in_order``."""
    writer = ZipWriter()
    for name, data in list(entries) if in_order else sorted(entries):
        writer.add(name, data)
    return writer.getvalue()
