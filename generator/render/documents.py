"""Search documents: what the render stage writes beside each record page for the search index.

A search document is a compact page (title, summary, the searchable facts, filters and sort key)
that Pagefind indexes instead of the themed page (``generator.search``). Each text field enters it
as a bounded ``excerpt``. ``ShardPlan`` says which shard (a Pagefind bundle of whole quarters,
newest first) holds which quarter's documents, and writes them in a stable order.
"""

from __future__ import annotations

import hashlib
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


def excerpt(text: object, limit: int = SEARCH_FIELD_CHARS) -> str | Markup:
    """``text`` whole if it has at most ``limit`` characters, else its first ``limit - 1`` and "…"
    (cut between characters, never inside one; escaped text is cut as the text it shows)."""
    if isinstance(text, Markup):
        plain = text.unescape()
        return text if len(plain) <= limit else escape(plain[: limit - 1] + "…")
    value = "" if text is None else str(text)
    return value if len(value) <= limit else value[: limit - 1] + "…"


@dataclass
class ShardPlan:
    """Which search shard holds which quarter's search documents."""

    root: Path  # work directory: one sub-directory of search documents per shard
    bundles: list[str]  # bundle directory of each shard in the site, newest shard first
    period_shard: dict[Period, int] = field(default_factory=dict)
    undated_shard: int = 0  # units and hand-written pages: sorted last, so in the oldest shard
    #: SHA-256 of each written search document, by shard and path.
    digests: dict[int, dict[str, str]] = field(default_factory=dict)
    #: Documents not yet written, by shard and path. Several render processes produce them in any
    #: order; ``flush`` writes a shard's documents in path order, because Pagefind numbers pages in
    #: the order it finds the files: that keeps the index byte-identical from build to build.
    pending: dict[int, dict[str, bytes]] = field(default_factory=dict)
    #: Documents of finished shards, in path order, until the shard is indexed or kept.
    ready: dict[int, dict[str, bytes]] = field(default_factory=dict)

    @classmethod
    def plan(cls, root: Path, counts: dict[Period, int], undated: int, shard_size: int) -> ShardPlan:
        """Whole quarters, newest first, at most ``shard_size`` documents a shard (a bigger quarter alone)."""
        shards: list[list[Period]] = [[]]
        size = 0
        for period in sorted(counts, reverse=True):
            if shards[-1] and size + counts[period] > shard_size:
                shards.append([])
                size = 0
            shards[-1].append(period)
            size += counts[period]
        bundles = [BUNDLE_DIR + "/"] + [f"{BUNDLE_DIR}-{n}/" for n in range(2, len(shards) + 1)]
        period_shard = {period: n for n, periods in enumerate(shards) for period in periods}
        return cls(root, bundles, period_shard, len(shards) - 1)

    def shard_of(self, period: Period | None) -> int:
        return self.undated_shard if period is None else self.period_shard[period]

    def add_document(self, period: Period | None, path: str, html: str | bytes) -> None:
        """Add one search document (``path`` as in the site) to its shard."""
        data = html.encode("utf-8") if isinstance(html, str) else html
        self.pending.setdefault(self.shard_of(period), {})[path] = data

    def take(self, shard: int) -> dict[str, bytes]:
        """The shard's documents not yet written (handed from a render helper process to the main one)."""
        return self.pending.pop(shard, {})

    def merge(self, shard: int, documents: dict[str, bytes]) -> None:
        self.pending.setdefault(shard, {}).update(documents)

    def flush(self, shard: int) -> None:
        """The shard's documents are all in: note their hashes (in path order). They are written
        only if the shard must be indexed (``write``): a shard whose key is unchanged never is."""
        documents = dict(sorted(self.take(shard).items()))
        self.ready[shard] = documents
        digests = self.digests.setdefault(shard, {})
        for path, data in documents.items():
            digests[path] = hashlib.sha256(data).hexdigest()

    def write(self, shard: int) -> Path:
        """Write the shard's documents, in path order, for Pagefind; return their folder."""
        root = self.root / f"shard-{shard + 1}"
        for path, data in self.ready.pop(shard, {}).items():
            target = root / path / "index.html"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        return root

    def drop(self, shard: int) -> None:
        """The shard needs no indexing: forget its documents."""
        self.ready.pop(shard, None)

    def key(self, shard: int, binary_version: tuple[int, ...]) -> str:
        """Cache key of a shard's bundle: its documents, the Pagefind version and our options."""
        content = ContentHash(f"pagefind-shard/{shard}")
        for path, digest in sorted(self.digests.get(shard, {}).items()):
            content.add(path, digest.encode("ascii"))
        return f"{'.'.join(map(str, binary_version))}-{content.hexdigest()}"

    def add_hand_written(self, site_dir: Path, pages: list[str]) -> None:
        """Hand-written pages that mark content for search (``searchable: true``) join the undated shard."""
        for page in pages:
            html = (site_dir / page / "index.html").read_text(encoding="utf-8")
            if "data-pagefind-body" in html:
                self.add_document(None, page, html)
