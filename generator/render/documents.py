"""Search documents: what the render stage writes beside each record page for the search index.

A search document is a compact page (title, summary, the searchable facts, filters and sort key)
that Pagefind indexes instead of the themed page (``generator.search``). Each text field enters it
as a bounded ``excerpt``. ``ShardPlan`` says which shard (a Pagefind bundle of a date range,
newest first) holds which document, writes them in a stable order, and writes the catalogue of
shards and filter counts the browser reads before it loads any shard.
"""

from __future__ import annotations

import hashlib
import html
import itertools
import json
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup, escape

from generator.core.cache import ContentHash
from generator.core.datatree import Period

#: At most this many characters of any one field of a record go into its search document (its page
#: shows the whole text). Pagefind's time grows with the square of an unbroken run of text (one
#: 1 MB cell took it 47 s, 31 MB over 14 minutes): the bound keeps every record's cost alike.
SEARCH_FIELD_CHARS = 2000
BUNDLE_DIR = "pagefind"
#: The shards and filter counts the browser reads first (``ShardPlan.catalogue``).
SHARD_CATALOGUE = "search/shards.json"


def excerpt(text: object, limit: int = SEARCH_FIELD_CHARS) -> str | Markup:
    """``text`` whole if it has at most ``limit`` characters, else its first ``limit - 1`` and "…"
    (cut between characters, never inside one; escaped text is cut as the text it shows)."""
    if isinstance(text, Markup):
        plain = text.unescape()
        return text if len(plain) <= limit else escape(plain[: limit - 1] + "…")
    value = "" if text is None else str(text)
    return value if len(value) <= limit else value[: limit - 1] + "…"


#: The sort date of a search document, as its template writes it (``data-pagefind-sort="date"``).
_DATE = re.compile(rb'data-pagefind-sort="date"[^>]*>([^<]*)<')
#: A filter value of a search document (``<span data-pagefind-filter="季度">…</span>``).
_FILTER = re.compile(rb'<span data-pagefind-filter="([^"]+)"[^>]*>([^<]*)</span>')


#: The sort date of a search document that has no date of its own (units, hand-written pages):
#: sorted after every dated one.
UNDATED = "0000-00-00"


def document_date(data: bytes) -> str:
    """The date a search document is sorted by (empty if it has none)."""
    found = _DATE.search(data)
    return found.group(1).decode("utf-8").strip() if found else ""


def _cut(period: Period, counts: dict[str, int], shard_size: int) -> list[list[tuple[Period, str]]]:
    """A quarter of more than ``shard_size`` documents (``counts``: documents per date) cut at date
    boundaries into about as few shards as hold it, of about equal size, newest first: each shard as
    (quarter, the lowest date it holds), the oldest with "" (every older date).

    Each cut is the date boundary nearest to its equal share (``k`` shards: after ``i * total / k``
    documents), so no shard is off its share by more than about one date's documents, and a
    shard above ``shard_size`` (unless a date alone is) means one more shard. A date is never cut:
    a date of more documents than a shard holds is a shard of its own.

    Equal shards, not full ones and a remainder: the newest shard, which a first search loads,
    holds a third of a quarter of 20,000 decisions (about 1,950 documents with shards of 2,000); a
    correction indexes at most about that many again; and a unit's new quarter (documents on most
    of its dates: every shard of the quarter is indexed again, the runs at once) waits for runs of
    about equal length, not a full one beside a small one (measured with shards of 4,000: the
    build's wait for them at its end 1.3 → 0.9 s, median of eight)."""
    dates = sorted(counts, reverse=True)
    ends = list(itertools.accumulate(counts[date] for date in dates))  # documents up to each date
    total = ends[-1]
    parts = min(len(dates), -(-total // shard_size))
    while True:
        bounds = [0]  # dates before each shard
        for i in range(1, parts):
            share = i * total / parts
            # The boundary nearest the share, leaving at least one date to each shard after it.
            low, high = bounds[-1] + 1, len(dates) - (parts - i)
            at = min(range(low, high + 1), key=lambda b: (abs(ends[b - 1] - share), b))
            bounds.append(at)
        bounds.append(len(dates))
        shards = [dates[a:b] for a, b in itertools.pairwise(bounds)]
        if parts >= len(dates) or all(
            len(shard) == 1 or sum(counts[date] for date in shard) <= shard_size for shard in shards
        ):
            break
        parts += 1
    cut = [[(period, shard[-1])] for shard in shards]  # each shard's lowest date
    cut[-1][0] = (period, "")  # the oldest shard of the quarter takes every older date
    return cut


@dataclass
class ShardPlan:
    """Which search shard holds which search documents.

    Shards hold date ranges, newest first: whole quarters while they fit in ``shard_size``
    documents, and a bigger quarter cut into shards of about equal size at date boundaries (a
    date is never cut). So the newest shard alone gives a search's newest results, and the browser
    loads an older shard only when a reader asks for more (``gongkai.js``). The shards of one
    quarter form a *group*: they are rendered together, one group at a time, newest first."""

    root: Path  # work directory: one sub-directory of search documents per shard
    bundles: list[str]  # bundle directory of each shard in the site, newest shard first
    #: Per quarter: (the lowest date a shard holds, the shard), newest shard first.
    cuts: dict[Period, list[tuple[str, int]]] = field(default_factory=dict)
    undated_shard: int = 0  # units and hand-written pages: sorted last, so in the oldest shard
    groups: list[list[int]] = field(default_factory=list)  # shards rendered together
    #: Per flushed shard: how many documents it holds, and a hash of them all (their paths and
    #: SHA-256s in path order), what its bundle's cache key is made from (``key``). Not each
    #: document's hash: at 1,000,000 decisions those were 300 MB held to the end of the build.
    contents: dict[int, tuple[int, str]] = field(default_factory=dict)
    #: Documents not yet written, by shard and path. Several render processes produce them in any
    #: order; ``flush`` writes a shard's documents in path order, because Pagefind numbers pages in
    #: the order it finds the files: that keeps the index byte-identical from build to build.
    pending: dict[int, dict[str, bytes]] = field(default_factory=dict)
    #: Documents of finished shards, in path order, until the shard is indexed or kept.
    ready: dict[int, dict[str, bytes]] = field(default_factory=dict)
    #: Per flushed shard and filter, the count of each value (``catalogue``).
    filters: dict[int, dict[str, dict[str, int]]] = field(default_factory=dict)
    #: Per flushed shard, the oldest and newest date of its documents (None: none is dated).
    dates: dict[int, list[str] | None] = field(default_factory=dict)
    shard_size: int = 2000  # at most this many documents a shard (``search_shard_size``)

    @classmethod
    def plan(
        cls, root: Path, counts: dict[Period, dict[str, int]], undated: int, shard_size: int
    ) -> ShardPlan:
        """Shards of at most ``shard_size`` documents (``counts``: per quarter, documents per date),
        newest first: whole quarters together while they fit, a bigger quarter cut by date."""
        groups: list[list[list[tuple[Period, str]]]] = []  # group → shard → (quarter, lowest date)
        size, joinable = 0, False  # documents in the last shard; whether it holds whole quarters
        empty = [period for period in counts if not any(counts[period].values())]
        for period in sorted(counts, reverse=True):
            total = sum(counts[period].values())
            if total == 0:
                continue  # no document: never a shard of its own (Pagefind refuses an empty one)
            if total <= shard_size:
                if joinable and size + total <= shard_size:
                    groups[-1][0].append((period, ""))
                    size += total
                else:
                    groups.append([[(period, "")]])
                    size, joinable = total, True
                continue
            groups.append(_cut(period, counts[period], shard_size))
            joinable = False  # a cut quarter's shards are its own: the next quarter starts a new shard
        if not groups:
            groups = [[[]]]
        groups[-1][-1] += [(period, "") for period in sorted(empty, reverse=True)]  # with the undated
        cuts: dict[Period, list[tuple[str, int]]] = {}
        group_shards: list[list[int]] = []
        n = 0
        for group in groups:
            group_shards.append([])
            for shard in group:
                for period, low in shard:
                    cuts.setdefault(period, []).append((low, n))
                group_shards[-1].append(n)
                n += 1
        # Numbered from the oldest shard (``pagefind/``, then ``pagefind-2/`` …, the newest last): a
        # new quarter adds a folder and every older shard keeps its own, so a rebuild leaves them
        # in place and an upload sends only the new one (the browser reads the order, newest
        # first, from ``search/shards.json``).
        bundles = [BUNDLE_DIR + "/" if k == 1 else f"{BUNDLE_DIR}-{k}/" for k in range(n, 0, -1)]
        return cls(root, bundles, cuts, n - 1, group_shards, shard_size=shard_size)

    def shard_of(self, period: Period | None, date: str = "") -> int:
        if period is None:
            return self.undated_shard
        for low, shard in self.cuts[period]:
            if date >= low:
                return shard
        return self.cuts[period][-1][1]

    def group_of(self, period: Period | None) -> int:
        shard = self.shard_of(period)
        return next(g for g, shards in enumerate(self.groups) if shard in shards)

    def add_document(self, period: Period | None, path: str, html: str | bytes) -> None:
        """Add one search document (``path`` as in the site) to its shard (by its quarter and date)."""
        data = html.encode("utf-8") if isinstance(html, str) else html
        shard = self.shard_of(period, document_date(data) if period is not None else "")
        self.pending.setdefault(shard, {})[path] = data

    def take(self, shard: int) -> dict[str, bytes]:
        """The shard's documents not yet written (handed from a render helper process to the main one)."""
        return self.pending.pop(shard, {})

    def take_group(self, group: int) -> dict[int, dict[str, bytes]]:
        """The documents not yet written of each shard of ``group``."""
        return {shard: self.take(shard) for shard in self.groups[group]}

    def merge(self, shard: int, documents: dict[str, bytes]) -> None:
        self.pending.setdefault(shard, {}).update(documents)

    def flush(self, shard: int) -> None:
        """The shard's documents are all in: note their hashes (in path order). They are written
        only if the shard must be indexed (``write``): a shard whose key is unchanged never is."""
        documents = dict(sorted(self.take(shard).items()))
        self.ready[shard] = documents
        content = ContentHash("pagefind-shard")
        found: Counter[tuple[bytes, bytes]] = Counter()  # (filter, value) as written: few distinct
        dates = []
        for path, data in documents.items():
            content.add(path, hashlib.sha256(data).hexdigest().encode("ascii"))
            if (date := document_date(data)) and date != UNDATED:
                dates.append(date)
            found.update(_FILTER.findall(data))
        counts: dict[str, dict[str, int]] = {}
        for (name, value), count in found.items():
            text = html.unescape(value.decode("utf-8")).strip()
            by_value = counts.setdefault(name.decode("utf-8"), {})
            by_value[text] = by_value.get(text, 0) + count
        self.filters[shard] = counts
        self.dates[shard] = [min(dates), max(dates)] if dates else None
        self.contents[shard] = (len(documents), content.hexdigest())

    def size(self, shard: int) -> int:
        """How many documents the shard holds (once flushed)."""
        return self.contents.get(shard, (0, ""))[0]

    def write(self, shard: int) -> Path:
        """Write the shard's documents, in path order, for Pagefind; return their folder."""
        # With os calls: this runs in the indexing thread beside the render stage, and pathlib's
        # objects and calls cost it a third of a second a shard. (Each document has a folder of its own.)
        root = self.root / f"shard-{shard + 1}"
        base = str(root)
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
        for path, data in self.ready.pop(shard, {}).items():
            folder = f"{base}/{path}".rstrip("/")
            os.makedirs(folder, exist_ok=True)
            handle = os.open(f"{folder}/index.html", flags, 0o644)
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(handle, view) :]
            finally:
                os.close(handle)
        return root

    def drop(self, shard: int) -> None:
        """The shard needs no indexing: forget its documents."""
        self.ready.pop(shard, None)

    def key(self, shard: int, binary_version: tuple[int, ...]) -> str:
        """Cache key of a shard's bundle: its documents, the Pagefind version and our options."""
        # Not the shard's number: a bundle depends only on its documents, so after a new quarter
        # (every older shard one further down) each one is found in the cache under its new name.
        _size, content = self.contents.get(shard) or (0, ContentHash("pagefind-shard").hexdigest())
        return f"{'.'.join(map(str, binary_version))}-{content}"

    def catalogue(self) -> bytes:
        """``search/shards.json``, what the browser reads before it loads any shard: each shard's
        bundle, quarters (labels) and dates (oldest, newest), newest shard first, and every filter's
        values with their counts over all shards (季度 newest first, the others in code-point order)."""
        periods = sorted(self.cuts, reverse=True)
        order = {period.label: n for n, period in enumerate(periods)}
        merged: dict[str, dict[str, int]] = {}
        for counts in self.filters.values():
            for name, values in counts.items():
                into = merged.setdefault(name, {})
                for value, count in values.items():
                    into[value] = into.get(value, 0) + count
        filters = {
            name: [
                [value, values[value]]
                for value in sorted(
                    values, key=lambda v: (order.get(v, len(order)), v) if name == "季度" else v
                )
            ]
            for name, values in sorted(merged.items())
        }
        shards = [
            {
                "bundle": bundle,
                "quarters": [p.label for p in periods if any(s == n for _low, s in self.cuts[p])],
                "dates": self.dates.get(n),
            }
            for n, bundle in enumerate(self.bundles)
        ]
        return (
            json.dumps(
                {"shards": shards, "filters": filters}, ensure_ascii=False, separators=(",", ":")
            ).encode("utf-8")
            + b"\n"
        )

    def add_hand_written(self, site_dir: Path, pages: list[str]) -> None:
        """Hand-written pages that mark content for search (``searchable: true``) join the undated shard."""
        for page in pages:
            html = (site_dir / page / "index.html").read_text(encoding="utf-8")
            if "data-pagefind-body" in html:
                self.add_document(None, page, html)
