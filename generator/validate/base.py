"""What every part of validation shares: the bounds of a file, the worker batching sizes, a
package's task and a worker's result, and the finding for an unexpected error."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from generator.core.config import (
    PortalConfig,
    control_character,
)
from generator.core.datatree import (
    shown_name,
)
from generator.core.findings import Finding
from generator.core.messages import (
    Place,
)
from generator.core.schema import (
    ALL_RESOURCES,
    REGISTRY_RESOURCE,
    resource_descriptor,
)
from generator.validate.collect import PackageResult

#: Trees with less CSV than this are validated in one process whatever ``jobs`` says.
PARALLEL_MIN_BYTES = 1_000_000
#: Packages are validated in groups of about this much CSV (at least one package each): the
#: rows of a group are held in memory at once.
GROUP_BYTES = 8_000_000

#: Values remembered per table for the checks that span tables: foreign keys, IDs reused across
#: quarters, dates inside the quarter and the principal count.
_EXTRA_COLUMNS: dict[str, tuple[str, ...]] = {
    "members": ("is_principal",),
    "meetings": ("meeting_id", "date"),
    "decisions": ("decision_id", "withheld", "withheld_basis"),
    "hearings": ("hearing_id", "date", "withheld", "withheld_basis"),
    "units": ("unit_id",),
    "progress": ("decision_id", "reported_on", "note"),
}
#: Plain spellings required for values that Frictionless would also accept in looser forms.
_PLAIN: dict[str, re.Pattern[str]] = {
    "integer": re.compile(r"-?[0-9]+"),
    "number": re.compile(r"-?[0-9]+(\.[0-9]+)?"),
    "date": re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}"),
}


@dataclass(frozen=True)
class Bounds:
    """What one file may hold (``portal.yml``: ``max_file_mb``, ``max_cell_chars``, ``max_rows``).

    Every file is measured before it is read and no CSV is read beyond ``max_rows`` data rows, so
    that validation stays within bounded memory and time whatever the tree holds."""

    max_file_mb: int
    max_cell_chars: int
    max_rows: int

    @classmethod
    def of(cls, config: PortalConfig) -> Bounds:
        return cls(config.max_file_mb, config.max_cell_chars, config.max_rows)

    @property
    def max_bytes(self) -> int:
        return self.max_file_mb * 1024 * 1024


_COMMON_CONTROL_RANGES = (
    (0x0, 0x8),
    (0xB, 0xC),
    (0xE, 0x1F),
    (0x7F, 0x9F),
    (0xAD, 0xAD),
    (0x600, 0x605),
    (0x61C, 0x61C),
    (0x6DD, 0x6DD),
    (0x70F, 0x70F),
    (0x890, 0x891),
    (0x8E2, 0x8E2),
    (0x180E, 0x180E),
    (0x200B, 0x200C),
    (0x200E, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x2064),
    (0x2066, 0x206F),
    (0xFEFF, 0xFEFF),
    (0xFFF9, 0xFFFB),
    (0x110BD, 0x110BD),
    (0x110CD, 0x110CD),
)
_LATE_CONTROL_RANGES = ((0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A), (0xE0001, 0xE0001), (0xE0020, 0xE007F))
#: ``control_ranges()`` for the Unicode versions of Python 3.11 (14.0.0), 3.12 (15.0.0) and 3.13
#: (15.1.0), as they computed it: scanning 1.1 million code points costs 0.3–0.45 s in every process
#: that validates (tests/test_reading.py checks the running Python's against the scan).
KNOWN_CONTROL_RANGES: dict[str, tuple[tuple[int, int], ...]] = {
    "14.0.0": (*_COMMON_CONTROL_RANGES, (0x13430, 0x13438), *_LATE_CONTROL_RANGES),
    "15.0.0": (*_COMMON_CONTROL_RANGES, (0x13430, 0x1343F), *_LATE_CONTROL_RANGES),
    "15.1.0": (*_COMMON_CONTROL_RANGES, (0x13430, 0x1343F), *_LATE_CONTROL_RANGES),
}


def control_ranges() -> tuple[tuple[int, int], ...]:
    """The code points ``config.control_character`` refuses, as ranges: it is asked about every
    code point (about 0.3 s, on a Python whose Unicode version the table above lacks)."""
    ranges: list[tuple[int, int]] = []
    for code in range(0x110000):
        if control_character(chr(code)) is not None:
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1] = (ranges[-1][0], code)
            else:
                ranges.append((code, code))
    return tuple(ranges)


@cache
def _control_pattern() -> re.Pattern[str]:
    """Control and format characters (NUL, escape, bidirectional overrides, zero-width …) as one
    character class; tabs and line breaks are allowed in text (``config.control_character``, whose
    test this is, for every code point at once)."""
    ranges = KNOWN_CONTROL_RANGES.get(unicodedata.unidata_version) or control_ranges()
    body = "".join(
        re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges
    )
    return re.compile(f"[{body}]")


def _internal_error(place: Place, exc: BaseException) -> Finding:
    return place.finding("internal-error", detail=f"{type(exc).__name__}: {exc}")


def _special_finding(place: Place, kind: str) -> Finding:
    """A link, FIFO, device or socket: named by the tree walk, and again (the same finding, kept
    once) by the reader that was to read it."""
    return Place(place.file, place.display).finding(
        "special-file", kind=kind, value=shown_name(place.file.rsplit("/", 1)[-1])
    )


@cache
def _canonical_texts() -> frozenset[str]:
    """The texts of the canonical resource descriptors (schemas, titles, descriptions): every
    package embeds them, and they hold neither control characters nor personal numbers."""
    return frozenset(
        text
        for name in (*ALL_RESOURCES, REGISTRY_RESOURCE)
        for _, text in _strings(resource_descriptor(name))
    )


def _suspect_text(text: str) -> bool:
    return text not in _canonical_texts()


def _strings(value: Any, key: str = "") -> Iterator[tuple[str, str]]:
    """Every text in a JSON or YAML value, keys included, with where it is (``resources[0].title``)."""
    if isinstance(value, str):
        yield key, value
    elif isinstance(value, dict):
        for inner_key, inner in value.items():
            name = f"{key}.{inner_key}" if key else str(inner_key)
            if isinstance(inner_key, str):
                yield f"{name}（键名）", inner_key
            yield from _strings(inner, name)
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from _strings(inner, f"{key}[{index}]")


# --- Unit registry -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Task:
    data_dir: str
    root: str
    unit_id: str
    period: str
    bounds: Bounds


@dataclass
class _ChunkResult:
    """What a worker sends back for a run of consecutive packages."""

    packages: list[PackageResult] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    truncated: list[str] = field(default_factory=list)
