"""Dates of the demo data: the working days of a quarter (public holidays left out), the weekday
before a day, and numbers in Chinese (第十二次, 1.2 万元)."""

from __future__ import annotations

from datetime import date, timedelta

from generator.core.datatree import Period

# --------------------------------------------------------------------------------------------------
# One unit's packages

_HOLIDAY_RANGES: dict[int, tuple[tuple[int, int, int, int], ...]] = {
    2025: ((1, 1, 1, 1), (1, 28, 2, 4), (4, 4, 4, 6), (5, 1, 5, 5), (5, 31, 6, 2), (10, 1, 10, 8)),
    2026: ((1, 1, 1, 3), (2, 15, 2, 23), (4, 4, 4, 6), (5, 1, 5, 5), (6, 19, 6, 21), (10, 1, 10, 7)),
}
_DEFAULT_HOLIDAYS = ((1, 1, 1, 1), (5, 1, 5, 3), (10, 1, 10, 7))


def _workdays(period: Period) -> list[date]:
    ranges = _HOLIDAY_RANGES.get(period.year, _DEFAULT_HOLIDAYS)
    holidays = set()
    for m1, d1, m2, d2 in ranges:
        day = date(period.year, m1, d1)
        while day <= date(period.year, m2, d2):
            holidays.add(day)
            day += timedelta(days=1)
    day = date(period.year, period.first_month, 1)
    end_month = period.first_month + 2
    end = date(period.year + 1, 1, 1) if end_month == 12 else date(period.year, end_month + 1, 1)
    days = []
    while day < end:
        if day.weekday() < 5 and day not in holidays:
            days.append(day)
        day += timedelta(days=1)
    return days


def _previous_weekday(day: date, count: int) -> date:
    while count:
        day -= timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


def _cn_number(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n % 10] if n % 10 else "")
    return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")


def _wan(amount: int) -> str:
    if amount % 10_000 == 0:
        return str(amount // 10_000)
    return f"{amount / 10_000:.2f}".rstrip("0").rstrip(".")
