"""The one zip writer: every zip the portal publishes (data package zips, bulk zips, XLSX
workbooks) is written here, byte-identical for identical input: fixed dates and permissions,
entries sorted by name unless their order matters (an XLSX's ``[Content_Types].xml`` first)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable

#: The date of every zip entry (the earliest a zip can hold): nothing from the clock.
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
#: Deflate level of every zip: 6, zlib's default, within a few per cent of 9 in size on CSV and
#: several times faster on the bulk files.
LEVEL = 6


def zip_bytes(entries: Iterable[tuple[str, bytes]], *, in_order: bool = False) -> bytes:
    """A zip of ``(name, content)`` entries, sorted by name unless ``in_order``."""
    items = list(entries) if in_order else sorted(entries)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=LEVEL) as archive:
        for name, data in items:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return out.getvalue()
