"""``gongkai status``: which registered units have and have not published a quarter.

The quarter defaults to the latest quarter any unit has published. A unit "has published" a
quarter when ``data/<unit>/<quarter>/`` exists (validity is ``gongkai validate``'s business).
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import asdict, dataclass
from pathlib import Path

from generator.core.datatree import Period, check_regular_tree
from generator.intake import PublishError, registry, tree_bound, unit_periods


@dataclass(frozen=True)
class UnitStatus:
    unit_id: str
    short_name: str
    published: bool
    #: The unit's latest published quarter, or "" if none.
    latest: str


@dataclass(frozen=True)
class Status:
    period: str
    period_label: str
    units: list[UnitStatus]

    @property
    def published(self) -> list[UnitStatus]:
        return [u for u in self.units if u.published]

    @property
    def missing(self) -> list[UnitStatus]:
        return [u for u in self.units if not u.published]

    def to_dict(self) -> dict[str, object]:
        return {
            "period": self.period,
            "period_label": self.period_label,
            "published": len(self.published),
            "not_published": len(self.missing),
            "units": [asdict(u) for u in self.units],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)

    def to_text(self) -> str:
        header = ("单位编号", "单位简称", "状态", "最近公开季度")
        rows = [
            (u.unit_id, u.short_name, "已公开" if u.published else "未公开", u.latest or "（无）")
            for u in self.units
        ]
        widths = [max(_width(r[i]) for r in (header, *rows)) for i in range(len(header))]
        lines = [f"{self.period_label}（{self.period}）公开情况", ""]
        for row in (header, *rows):
            lines.append(
                "  ".join(_pad(cell, width) for cell, width in zip(row, widths, strict=True)).rstrip()
            )
        lines.append("")
        lines.append(f"已公开 {len(self.published)} 个单位，未公开 {len(self.missing)} 个单位。")
        if self.missing:
            lines.append(
                "未公开：" + "、".join(f"{u.short_name}（{u.unit_id}）" for u in self.missing) + "。"
            )
        return "\n".join(lines)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def publication_status(data_dir: Path, period: Period | None = None) -> Status:
    data_dir = Path(data_dir)
    # Nothing is read through a link, nor from a FIFO, nor beyond the size bound.
    problem = check_regular_tree(data_dir, tree_bound(data_dir))
    if problem is not None:
        raise PublishError(problem)
    units = registry(data_dir)
    if not units:
        raise PublishError(f"{data_dir} 的单位名录中没有登记任何单位。")
    periods = {unit_id: unit_periods(data_dir, unit_id) for unit_id in units}
    if period is None:
        every = [p for ps in periods.values() for p in ps]
        if not every:
            raise PublishError(
                f"{data_dir} 中还没有任何单位公开过数据；请用 --quarter 指定季度，例如 --quarter 2025Q3。"
            )
        period = max(every)
    return Status(
        period=str(period),
        period_label=period.label,
        units=[
            UnitStatus(
                unit_id=unit_id,
                short_name=row.get("short_name", "") or row.get("name", "") or unit_id,
                published=period in periods[unit_id],
                latest=str(periods[unit_id][-1]) if periods[unit_id] else "",
            )
            for unit_id, row in units.items()
        ],
    )
