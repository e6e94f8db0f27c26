"""Fast JSON output for the open-data files, and a ledger of what was written.

``dumps_indented`` gives exactly the text of ``json.dumps(data, ensure_ascii=False, indent=1)``
(the published format of the JSON API, catalog and manifest) several times faster: with an
indent, the standard library falls back to its pure-Python encoder, which dominated the time of
writing ~24,000 API files. Strings are still escaped by the C ``encode_basestring``; a value of
any type it does not handle itself (a subclass, say) sends the whole document to ``json.dumps``.

``Ledger`` writes files and remembers the size and SHA-256 of each, so that the release
manifest does not read back and hash again what was just written.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Iterator
from json.encoder import encode_basestring
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

if TYPE_CHECKING:
    from generator.core.site_state import Keep

_INFINITY = float("inf")


class _Unsupported(Exception):
    pass


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value == _INFINITY:
        return "Infinity"
    if value == -_INFINITY:
        return "-Infinity"
    return float.__repr__(value)


def _encode(value: Any, newline: str, out: list[str]) -> None:
    kind = type(value)
    if kind is str:
        out.append(encode_basestring(value))
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif kind is int:
        out.append(int.__repr__(value))
    elif kind is float:
        out.append(_float(value))
    elif kind is dict:
        if not value:
            out.append("{}")
            return
        inner = newline + " "
        separator = "{" + inner
        for key, item in value.items():
            if type(key) is not str:
                raise _Unsupported
            kind = type(item)
            if kind is str:  # the common cases inline: this loop is the hot path
                out.append(f"{separator}{encode_basestring(key)}: {encode_basestring(item)}")
            elif item is None:
                out.append(f"{separator}{encode_basestring(key)}: null")
            elif kind is int:
                out.append(f"{separator}{encode_basestring(key)}: {int.__repr__(item)}")
            else:
                out.append(f"{separator}{encode_basestring(key)}: ")
                _encode(item, inner, out)
            separator = "," + inner
        out.append(newline + "}")
    elif kind is list or kind is tuple:
        if not value:
            out.append("[]")
            return
        inner = newline + " "
        separator = "[" + inner
        for item in value:
            out.append(separator)
            _encode(item, inner, out)
            separator = "," + inner
        out.append(newline + "]")
    else:
        raise _Unsupported


def dumps_indented(data: Any) -> str:
    """``json.dumps(data, ensure_ascii=False, indent=1)``, byte for byte, only faster."""
    out: list[str] = []
    try:
        _encode(data, "\n", out)
    except (_Unsupported, RecursionError):
        return json.dumps(data, ensure_ascii=False, indent=1)
    return "".join(out)


class _Hashing:
    """A file being written, hashed as it is."""

    def __init__(self, handle: BinaryIO) -> None:
        self.handle, self.size, self.digest = handle, 0, hashlib.sha256()

    def write(self, data: bytes) -> int:
        self.handle.write(data)
        self.digest.update(data)
        self.size += len(data)
        return len(data)


class Ledger:
    """Writes files under ``root`` and records the size and SHA-256 of each (by root-relative path)."""

    def __init__(self, root: Path, published: dict[str, str] | None = None) -> None:
        self.root = root
        self.entries: dict[str, tuple[int, str]] = {}
        #: SHA-256 of the files the published site holds and may keep (``generator.core.site_state``):
        #: a file with the same bytes is not written again, only listed in ``kept``.
        self.published = published or {}
        self.kept: set[str] = set()
        self._made: set[str] = set()

    def write(self, path: str, data: bytes) -> None:
        digest = hashlib.sha256(data).hexdigest()
        self.entries[path] = (len(data), digest)
        if self.published.get(path) == digest:
            self.kept.add(path)
            return
        folder = os.path.dirname(path)
        if folder not in self._made:
            (self.root / folder).mkdir(parents=True, exist_ok=True)
            self._made.add(folder)
        with open(os.path.join(self.root, path), "wb") as handle:
            handle.write(data)

    def keep(self, path: str, keep: Keep) -> bool:
        """Record ``path`` as the published site holds it, unwritten (True), if ``keep`` can keep it:
        for a file made from inputs known unchanged, without making it again."""
        digest = self.published.get(path)
        if digest is None or not keep.keep_verified(path):
            return False
        self.entries[path] = (keep.size(path), digest)
        self.kept.add(path)
        return True

    @contextlib.contextmanager
    def stream(self, path: str) -> Iterator[_Hashing]:
        """A file written piece by piece (``write``), recorded when the block ends."""
        folder = os.path.dirname(path)
        if folder not in self._made:
            (self.root / folder).mkdir(parents=True, exist_ok=True)
            self._made.add(folder)
        with open(os.path.join(self.root, path), "wb") as handle:
            out = _Hashing(handle)
            yield out
        self.entries[path] = (out.size, out.digest.hexdigest())

    def write_json(self, path: str, data: Any, *, compact: bool = False) -> None:
        """The published JSON format: indent 1, UTF-8, a final newline. ``compact``: no white space
        between values (the JSON API's tens of thousands of files, a seventh smaller; a browser or
        ``jq`` shows them indented)."""
        if compact:
            text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        else:
            text = dumps_indented(data)
        self.write(path, (text + "\n").encode("utf-8"))
