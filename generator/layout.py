"""Where things live in a data tree.

data/
  portal.yml                 portal settings (optional)
  datapackage.json           the unit registry's package
  units.csv                  the unit registry
  <unit_id>/<YYYY>Q<n>/      one unit's quarterly disclosure: datapackage.json + CSV files
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

PERIOD_RE = re.compile(r"^(\d{4})Q([1-4])$")
ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
REGISTRY_CSV = "units.csv"
DESCRIPTOR = "datapackage.json"


@dataclass(frozen=True, order=True)
class Period:
    """A calendar quarter, written 2025Q1."""

    year: int
    quarter: int

    @classmethod
    def parse(cls, text: str) -> Period | None:
        match = PERIOD_RE.match(text)
        return cls(int(match.group(1)), int(match.group(2))) if match else None

    def __str__(self) -> str:
        return f"{self.year}Q{self.quarter}"

    @property
    def label(self) -> str:
        """The Chinese name, e.g. 2025年第一季度."""
        return f"{self.year}年第{'一二三四'[self.quarter - 1]}季度"

    @property
    def first_month(self) -> int:
        return 3 * self.quarter - 2

    @property
    def ordinal(self) -> int:
        """Quarters since year 0: the difference of two ordinals is their distance in quarters."""
        return self.year * 4 + self.quarter - 1

    @property
    def start(self) -> dt.date:
        """The quarter's first day."""
        return dt.date(self.year, self.first_month, 1)

    @property
    def end(self) -> dt.date:
        """The quarter's last day."""
        return self.next().start - dt.timedelta(days=1)

    def next(self) -> Period:
        return Period(self.year + (self.quarter == 4), 1 if self.quarter == 4 else self.quarter + 1)

    def contains(self, iso_date: str) -> bool:
        year, month = int(iso_date[:4]), int(iso_date[5:7])
        return year == self.year and self.first_month <= month <= self.first_month + 2


@dataclass(frozen=True)
class PackageRef:
    """One unit-quarter directory in the data tree."""

    unit_id: str
    period: Period
    path: Path

    @property
    def key(self) -> str:
        return f"{self.unit_id}/{self.period}"


def package_dirs(data_dir: Path) -> list[PackageRef]:
    """Every ``<unit>/<YYYY>Q<n>/`` directory, in stable order (unit, then period)."""
    refs = []
    for unit_dir in sorted(p for p in data_dir.iterdir() if p.is_dir() and not p.name.startswith(".")):
        for period_dir in sorted(p for p in unit_dir.iterdir() if p.is_dir()):
            period = Period.parse(period_dir.name)
            if period is not None:
                refs.append(PackageRef(unit_dir.name, period, period_dir))
    return refs
