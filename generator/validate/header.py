"""A CSV's header against the canonical one: missing, extra, misspelt (guessed from the Chinese
title or a near spelling), duplicated and blank column names."""

from __future__ import annotations

from generator.core.messages import (
    Place,
    table_title,
)
from generator.core.schema import (
    LATER_COLUMNS,
    field_info,
    table_schema,
)
from generator.validate.collect import Findings as _Findings


def _check_header(header: list[str], place: Place, out: _Findings) -> bool:
    table = place.table
    expected = [spec["name"] for spec in table_schema(table)["fields"]] if table else []
    later = LATER_COLUMNS.get(table or "", ())
    if header == expected or (later and header == expected[: -len(later)]):
        return True
    where = place.where(1)
    listing = ",".join(expected)
    if not any(label.strip() for label in header):
        out.add(place.finding("blank-header", row=1, where=where, header=listing, expected=listing))
        return False
    seen: dict[str, int] = {}
    flawed = False
    for col, label in enumerate(header, start=1):
        if not label.strip():
            out.add(place.finding("blank-label", row=1, where=where, col=col, expected=listing))
            flawed = True
        elif label in seen:
            out.add(
                place.finding(
                    "duplicate-label",
                    row=1,
                    where=where,
                    value=label,
                    col=col,
                    other_col=seen[label],
                    expected=listing,
                )
            )
            flawed = True
        else:
            seen[label] = col
    missing = [name for name in expected if name not in seen]
    extras = [(col, label) for label, col in seen.items() if label not in expected]
    if not missing and not extras and not flawed:
        out.add(place.finding("label-order", row=1, where=where, header=listing, expected=listing))
        return False
    for col, label in extras:
        positional = expected[col - 1] if col - 1 < len(expected) else None
        guess = positional if positional in missing else _guess_field(table, label, missing)
        if guess is None:
            out.add(
                place.finding(
                    "extra-label",
                    row=1,
                    where=where,
                    value=label,
                    col=col,
                    table_title=table_title(table),
                    expected=listing,
                )
            )
            continue
        missing.remove(guess)
        info = field_info(table, guess) if table else None
        out.add(
            place.finding(
                "incorrect-label",
                row=1,
                column=guess,
                where=where,
                value=label,
                expected=guess,
                col=col,
                name=guess,
                field_title=info.title if info else guess,
                hint=_label_hint(label, guess, info.title if info else ""),
            )
        )
    if len(missing) == 1:
        out.add(
            place.finding(
                "missing-label",
                row=1,
                column=missing[0],
                where=where,
                label=place.label(missing[0]),
                header=listing,
                expected=listing,
            )
        )
    elif missing:
        out.add(
            place.finding(
                "missing-label:many",
                row=1,
                column=missing[0],
                where=where,
                count=len(missing),
                labels="、".join(f"“{place.label(name)}”" for name in missing),
                header=listing,
                expected=listing,
            )
        )
    return False


def _guess_field(table: str | None, label: str, candidates: list[str]) -> str | None:
    """A missing field that ``label`` was probably meant to be (spacing, case or Chinese title)."""
    plain = label.strip().lower()
    for name in candidates:
        info = field_info(table, name) if table else None
        if plain == name.lower() or (info is not None and label.strip() == info.title):
            return name
    return None


def _label_hint(label: str, name: str, title: str) -> str:
    if label.strip() == name:
        return "列名前后有多余的空格。"
    if label.strip().lower() == name.lower():
        return "字段名区分大小写。"
    if title and label.strip() == title:
        return f"表头应使用英文字段名，中文名“{title}”只用于显示。"
    return ""
