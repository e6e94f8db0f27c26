"""``gongkai new-quarter UNIT 2025Q3``: the next quarter's package, valid at once.

Members, power list, power steps and negative list are carried over unchanged from the unit's
latest earlier quarter; meetings, decisions, stances and hearings are header-only. The package
goes through the same staged validation as an import before it appears in ``data/``.
"""

from __future__ import annotations

from pathlib import Path

from generator.core.datatree import Period, check_regular_tree
from generator.intake import (
    CARRIED_OVER,
    PublishError,
    PublishResult,
    previous_period,
    publish_package,
    read_table,
    rows_for,
    tree_bound,
    unit_record,
)


def new_quarter(data_dir: Path, unit_id: str, period: Period) -> tuple[PublishResult, Period]:
    """Scaffold ``data/<unit>/<period>/`` from the unit's latest quarter before ``period``."""
    data_dir = Path(data_dir)
    # Nothing is read through a link, nor from a FIFO, nor beyond the size bound.
    problem = check_regular_tree(data_dir, tree_bound(data_dir))
    if problem is not None:
        raise PublishError(problem)
    unit_record(data_dir, unit_id)
    target = data_dir / unit_id / str(period)
    if target.exists():
        raise PublishError(f"{target} 已存在：{unit_id} 的 {period} 数据包已经建立，无需重复生成。")
    source = previous_period(data_dir, unit_id, before=period)
    if source is None:
        raise PublishError(
            f"单位“{unit_id}”在 {period} 之前没有已公开的季度，无法沿用班子成员和清单；"
            f"请用 gongkai template {unit_id} 生成模板，填写后用 gongkai import 导入。"
        )
    package_dir = data_dir / unit_id / str(source)
    tables = {table: rows_for(table, read_table(package_dir, table)) for table in CARRIED_OVER}
    return publish_package(data_dir, unit_id, period, tables), source
