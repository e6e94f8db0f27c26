"""Redact stage: the published view of a data tree, in which records withheld by law
(依法不予公开) keep only their skeleton and the legal basis for withholding them.

It runs right after validation, and everything after it (load, rules, pages, search, downloads,
open data) reads the published view only, so a withheld field cannot reach any page, index or
download. A package with a withheld record is written, redacted, into a working directory
(``decisions.csv``, ``stances.csv`` and ``hearings.csv`` redacted, its other files copied as
they are); a package without one is read where it is. The data directory itself stays the
portal's ``data_dir``: git history (on-time disclosure, data commit) is read from there.

What a withheld record keeps is fixed here, not chosen per record: the documents publish
"everything except what law requires to be kept secret" (种子文件 000、002), so a withheld item
still shows that it was decided, when, in which category, how and with what result, and who
stated which position; its content (title, summary, amount, linked items, reasons and notes)
is not published.
"""

from __future__ import annotations

import csv
import io
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from generator.core.datatree import DESCRIPTOR, package_dirs
from generator.core.model import Portal
from generator.core.schema import present_resources, resource_spec

#: Shown instead of a withheld decision's title and a withheld hearing's subject.
DECISION_TITLE = "依法不予公开的事项"
HEARING_SUBJECT = "依法不予公开的听证、论证或质询"
#: Shown instead of every other withheld text that the schema requires.
WITHHELD_TEXT = "依法不予公开"

#: Per table: the fields a withheld record keeps as they are, and placeholders for required
#: text; every other field is published empty.
KEPT: dict[str, tuple[str, ...]] = {
    "decisions": (
        "decision_id",
        "meeting_id",
        "agenda_no",
        "category",
        "vote_method",
        "result",
        "pre_research",
        "pre_expert_review",
        "pre_risk_assessment",
        "pre_legality_review",
        "pre_contingency_plan",
        "execution_status",
        "withheld",
        "withheld_basis",
    ),
    "stances": ("decision_id", "order", "member_id", "stance"),
    "hearings": (
        "hearing_id",
        "hearing_type",
        "date",
        "decision_id",
        "participant_count",
        "opinions_received",
        "opinions_adopted",
        "withheld",
        "withheld_basis",
    ),
}
PLACEHOLDERS: dict[str, dict[str, str]] = {
    "decisions": {"title": DECISION_TITLE, "summary": WITHHELD_TEXT},
    "stances": {},
    "hearings": {"subject": HEARING_SUBJECT, "participants": WITHHELD_TEXT, "outcome": WITHHELD_TEXT},
}
REDACTED_TABLES = tuple(KEPT)
#: 更正记录: a correction of a withheld field publishes neither value nor the reason (which may
#: quote them): only that the field was corrected, and when.
CORRECTIONS = "corrections"
REDACTED_ENTRY_FIELDS = ("old_value", "new_value", "reason")


def withheld_record(table: str, record_id: str, decisions: set[str], hearings: set[str]) -> bool:
    """Whether a record is withheld, given the withheld decisions and hearings of its package
    (``record_id`` as in 更正记录: a stance is ``decision_id/order``, withheld with its decision)."""
    if table == "stances":
        return record_id.split("/")[0] in decisions
    if table in ("decisions", "hearings"):
        return record_id in (decisions if table == "decisions" else hearings)
    return False


def withheld_by_package(portal: Portal) -> dict[tuple[str, str], tuple[set[str], set[str]]]:
    """(unit_id, period) → the decisions and hearings of the package withheld by law, as loaded
    (the arguments ``withheld_record`` and ``withheld_field`` take)."""
    return {
        (dis.unit.unit_id, str(dis.period)): (
            {d.decision_id for d in dis.decisions if d.withheld},
            {h.hearing_id for h in dis.hearings if h.withheld},
        )
        for dis in portal.disclosures
    }


def withheld_field(table: str, record_id: str, field: str, decisions: set[str], hearings: set[str]) -> bool:
    """Whether ``field`` of a record is withheld (see ``withheld_record``)."""
    return withheld_record(table, record_id, decisions, hearings) and field not in KEPT[table]


@dataclass
class PublishedView:
    """Where the load stage reads each package: redacted copies by ``unit_id/period`` key."""

    sources: dict[str, Path] = field(default_factory=dict)
    withheld: int = 0  # withheld decisions and hearings in the whole tree

    def path(self, key: str, original: Path) -> Path:
        return self.sources.get(key, original)


def redact_data(data_dir: Path, work_dir: Path) -> PublishedView:
    """Write a redacted copy of every package with a withheld record into ``work_dir``."""
    view = PublishedView()
    for ref in package_dirs(data_dir):
        texts = {
            name: _read_text(ref.path / resource_spec(name)["path"]) for name in ("decisions", "hearings")
        }
        if not any("是" in text for text in texts.values()):
            continue  # fast path: a withheld row has 是 in it (the only true value validation allows)
        decisions = _withheld_ids(texts["decisions"], "decision_id")
        hearings = _withheld_ids(texts["hearings"], "hearing_id")
        if not decisions and not hearings:
            continue
        target = work_dir / ref.unit_id / str(ref.period)
        target.mkdir(parents=True)
        shutil.copyfile(ref.path / DESCRIPTOR, target / DESCRIPTOR)
        for name in present_resources(ref.path):  # 更正记录 and 撤回记录 too, where the package has them
            file = resource_spec(name)["path"]
            if name not in REDACTED_TABLES and name != CORRECTIONS:
                shutil.copyfile(ref.path / file, target / file)
                continue
            if name == CORRECTIONS:
                text = _read_text(ref.path / file)
                (target / file).write_text(
                    _redact_corrections(text, decisions, hearings), encoding="utf-8", newline=""
                )
                continue
            ids = hearings if name == "hearings" else decisions
            key = "hearing_id" if name == "hearings" else "decision_id"
            cached = texts.get(name)
            text = cached if cached is not None else _read_text(ref.path / file)
            (target / file).write_text(_redact_csv(text, name, key, ids), encoding="utf-8", newline="")
        view.sources[ref.key] = target
        view.withheld += len(decisions) + len(hearings)
    return view


def _read_text(path: Path) -> str:
    """The file as it is: a line break inside a quoted cell (CRLF from Excel) stays as written."""
    with path.open(encoding="utf-8", newline="") as handle:
        return handle.read()


def _withheld_ids(text: str, key: str) -> set[str]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if "withheld" not in (reader.fieldnames or ()):
        return set()
    return {row[key] for row in reader if row.get("withheld") == "是"}


def _redact_corrections(text: str, decisions: set[str], hearings: set[str]) -> str:
    """更正记录 with the values and reason of every correction of a withheld field replaced by
    依法不予公开; other entries unchanged in content."""
    records = list(csv.reader(io.StringIO(text, newline="")))
    if not records:
        return text
    header = records[0]
    where = {name: header.index(name) for name in ("table", "record_id", "field", *REDACTED_ENTRY_FIELDS)}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in records[1:]:
        table, rid, name = (row[where[k]] for k in ("table", "record_id", "field"))
        if withheld_field(table, rid, name, decisions, hearings):
            row = list(row)
            for column in REDACTED_ENTRY_FIELDS:
                row[where[column]] = WITHHELD_TEXT
        writer.writerow(row)
    return buffer.getvalue()


def _redact_csv(text: str, table: str, key: str, ids: set[str]) -> str:
    """The CSV with every row whose ``key`` is in ``ids`` reduced to its skeleton; other rows and
    the header are written back unchanged in content (validated CSV, rewritten in one dialect)."""
    records = list(csv.reader(io.StringIO(text, newline="")))
    if not records or not ids:
        return text
    header = records[0]
    column = header.index(key)
    kept, placeholders = set(KEPT[table]), PLACEHOLDERS[table]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in records[1:]:
        if len(row) > column and row[column] in ids:
            row = [
                value if name in kept else placeholders.get(name, "")
                for name, value in zip(header, row, strict=False)
            ]
        writer.writerow(row)
    return buffer.getvalue()
