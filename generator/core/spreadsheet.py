"""Formula-safe text for files meant to be opened in a spreadsheet (OWASP: CSV injection).

A spreadsheet runs a cell as a formula when its text begins with ``=``, ``+``, ``-`` or ``@`` (or a
tab or line break before one; Excel and WPS with a Chinese input method also take the full-width
``＝ ＋ － ＠``). In the Excel CSV downloads such a text gets a leading apostrophe (shown in
the cell: the downloads page says so) and every field is quoted, so that a list separator other
than the comma cannot start a new cell inside a text; in XLSX files it is an inline string cell
(never a formula) whose style carries Excel's *quote prefix*, so that editing the cell does not
turn it into a formula either. Real numbers are left alone: ``-1250`` in an amount column stays a
number. The machine-readable CSV, JSON and SQLite keep every value exactly as published.
"""

from __future__ import annotations

import re
from typing import Any

#: What a formula may begin with, after any leading spaces.
FORMULA_START = re.compile(r"[\s\u3000]*[=+\-@\uff1d\uff0b\uff0d\uff20]|[\t\r\n]")
#: A number as published in a number or integer column: Excel reads it as a number, not a formula.
PLAIN_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def runs_as_formula(text: str) -> bool:
    """Whether a spreadsheet could take ``text`` (a text cell) as a formula."""
    return FORMULA_START.match(text) is not None


def excel_text(text: str) -> str:
    """``text`` as written into an Excel CSV: a leading apostrophe before anything formula-like."""
    return "'" + text if FORMULA_START.match(text) else text


def excel_number(text: str) -> str:
    """A value of a number or integer column as written into an Excel CSV: a plain number stays a
    number (``-1250`` is not a formula); anything else is text, made inert like any other."""
    return text if PLAIN_NUMBER.fullmatch(text) else excel_text(text)


def may_hold_formula(field: dict[str, Any]) -> bool:
    """Whether a validated text column can hold a formula-like value at all: free text can; dates,
    是/否, a fixed list of harmless values and IDs that must begin with a letter or digit cannot
    (the build publishes only data that passed validation). Numbers are checked cell by cell."""
    kind = field.get("type", "string")
    constraints = field.get("constraints", {})
    if kind in ("date", "boolean"):
        return False
    if constraints.get("enum"):
        return any(runs_as_formula(str(value)) for value in constraints["enum"])
    return not str(constraints.get("pattern", "")).startswith(("^[A-Za-z0-9]", "^[0-9]"))
