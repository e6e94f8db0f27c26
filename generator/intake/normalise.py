"""Normalising what a clerk typed: text trimmed, dates (Excel date cells, ``2025/7/5``,
``2025年7月5日``, ``20250705``) written ``2025-07-05``, 是/否 (also TRUE/FALSE, Y/N), numbers without
thousands separators, whole numbers without ``.0``."""

from __future__ import annotations

import datetime
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any

_TRUE = {"是", "true", "yes", "y", "1", "√", "✓"}
_FALSE = {"否", "false", "no", "n", "0", "×", "✗"}
_DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_DATE_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_DATE_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T]00:00(:00)?$")
_NUMBER_TEXT = re.compile(r"^[+-]?[0-9][0-9,，\s]*(\.[0-9]+)?$")


def _clean_label(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).replace("(", "（").replace(")", "）")


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _plain_number(value: float | int | Decimal) -> str:
    if isinstance(value, int):
        return str(value)
    number = Decimal(repr(value)) if isinstance(value, float) else value
    if number == number.to_integral_value():
        return str(int(number))
    text = format(number.normalize(), "f")
    return text


def normalise(value: Any, kind: str) -> str:
    """One cell as the CSV text of a field of ``kind`` (see the module docstring)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime.datetime):
        if kind == "date" or value.time() == datetime.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, int | float):
        if kind == "date" and 20000 <= value <= 80000:  # an Excel date serial in a General cell
            from openpyxl.utils.datetime import from_excel

            return from_excel(value).date().isoformat()
        return _plain_number(value)
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        return ""
    if kind == "boolean":
        lowered = unicodedata.normalize("NFKC", text).lower()
        if lowered in _TRUE:
            return "是"
        if lowered in _FALSE:
            return "否"
        return text
    if kind in ("integer", "number"):
        folded = unicodedata.normalize("NFKC", text)
        if _NUMBER_TEXT.match(folded):
            compact = re.sub(r"[,，\s]", "", folded).lstrip("+")
            try:
                return _plain_number(Decimal(compact))
            except InvalidOperation:
                return text
        return text
    if kind == "date":
        folded = unicodedata.normalize("NFKC", text)
        match = _DATE_TIME.match(folded)
        if match:
            return match.group(1)
        match = _DATE_TEXT.match(folded) or _DATE_COMPACT.match(folded)
        if match:
            try:
                return datetime.date(*(int(part) for part in match.groups())).isoformat()
            except ValueError:
                return text
        return text
    return text
