"""The search shards' plan: date ranges, newest first, so that the newest shard alone gives a
search's newest results (``generator.render.documents.ShardPlan``)."""

from __future__ import annotations

import json
from pathlib import Path

from generator.core.datatree import Period
from generator.render.documents import ShardPlan

Q1, Q2, Q3 = (Period.parse(p) for p in ("2025Q1", "2025Q2", "2025Q3"))


def _document(date: str, quarter: str = "") -> bytes:
    return (
        f'<article data-pagefind-body><h1>事项</h1><span data-pagefind-filter="季度">{quarter}</span>'
        f'<span data-pagefind-sort="date" data-pagefind-meta="date">{date}</span></article>'
    ).encode()


def test_small_quarters_share_a_shard_and_a_big_one_is_cut_at_date_boundaries(tmp_path: Path) -> None:
    counts = {
        Q3: {"2025-09-30": 4, "2025-08-15": 3, "2025-07-01": 3},  # 10: more than a shard holds
        Q2: {"2025-05-01": 2},
        Q1: {"2025-02-01": 2},
    }
    plan = ShardPlan.plan(tmp_path, counts, undated=1, shard_size=5)
    # Numbered from the oldest: a new quarter adds a folder and renames none.
    assert plan.bundles == ["pagefind-4/", "pagefind-3/", "pagefind-2/", "pagefind/"]
    # Q3 is cut between whole dates: 4, then 3 (3 + 3 > 5), then 3.
    assert [plan.shard_of(Q3, d) for d in ("2025-09-30", "2025-08-15", "2025-07-01")] == [0, 1, 2]
    assert plan.shard_of(Q3, "2025-06-30") == 2  # an older date than planned: the quarter's oldest shard
    assert plan.shard_of(Q3, "2025-12-31") == 0
    assert plan.groups == [[0, 1, 2], [3]]  # Q3's shards render together; Q2 and Q1 share the next
    assert plan.shard_of(Q2, "2025-05-01") == plan.shard_of(Q1, "2025-02-01") == 3
    assert plan.undated_shard == 3 and plan.shard_of(None) == 3


def _sizes(plan: ShardPlan, quarter: Period, counts: dict[str, int]) -> list[int]:
    sizes = [0] * len(plan.bundles)
    for date, count in counts.items():
        sizes[plan.shard_of(quarter, date)] += count
    return [size for size in sizes if size]


def test_a_big_quarter_is_cut_into_as_few_shards_as_hold_it_of_about_equal_size(tmp_path: Path) -> None:
    # 59 dates of 99 documents (5,841): a shard of 4,000 and one of 1,841 would make a quarterly
    # rebuild wait for the big one, and a first search load it; two of about 2,900 instead.
    counts = {f"2025-{9 - d // 30:02d}-{d % 30 + 1:02d}": 99 for d in range(59)}
    plan = ShardPlan.plan(tmp_path, {Q3: counts}, undated=0, shard_size=4000)
    assert _sizes(plan, Q3, counts) == [2871, 2970]
    # Newest first: the first shard holds the newest dates.
    assert plan.shard_of(Q3, max(counts)) == 0 and plan.shard_of(Q3, min(counts)) == 1
    # Three shards where two cannot hold it; none above the bound.
    plan = ShardPlan.plan(tmp_path, {Q3: counts}, undated=0, shard_size=2900)
    assert _sizes(plan, Q3, counts) == [1980, 1881, 1980]


def test_cuts_stay_near_their_shares_when_every_date_is_big(tmp_path: Path) -> None:
    # 100,000 decisions: a quarter of about 29,000 documents, 400-600 a date. Cuts made by filling
    # each shard up to its share fall short by half a date each, and the last shard collects it all
    # (one run of that code made 209 shards of 500 for 100,000 decisions): the nearest boundary
    # to each share instead.
    counts = {f"2025-{10 + d // 31:02d}-{d % 31 + 1:02d}": 400 + (d * 37) % 200 for d in range(62)}
    plan = ShardPlan.plan(tmp_path, {Q3: counts}, undated=0, shard_size=4000)
    sizes = _sizes(plan, Q3, counts)
    assert len(sizes) <= -(-sum(counts.values()) // 4000) + 1 == 9  # 30,967 documents
    assert max(sizes) <= 4000 and max(sizes) - min(sizes) <= 2 * max(counts.values())


def test_lumpy_dates_never_put_a_shard_above_the_bound_and_a_huge_date_stands_alone(tmp_path: Path) -> None:
    # Two shares of 5 would leave 6 in the second shard (4, then 2 + 4): one more shard instead.
    counts = {"2025-09-03": 4, "2025-09-02": 2, "2025-09-01": 4}
    plan = ShardPlan.plan(tmp_path, {Q3: counts}, undated=0, shard_size=5)
    assert _sizes(plan, Q3, counts) == [4, 2, 4]
    # A date of more documents than a shard holds is never cut: a shard of its own.
    counts = {"2025-09-03": 2, "2025-09-02": 9, "2025-09-01": 2}
    plan = ShardPlan.plan(tmp_path, {Q3: counts}, undated=0, shard_size=4)
    assert _sizes(plan, Q3, counts) == [2, 9, 2]


def test_documents_go_to_their_dates_shard_and_the_catalogue_counts_their_filters(tmp_path: Path) -> None:
    counts = {Q2: {"2025-06-01": 2, "2025-04-01": 2}, Q1: {"2025-03-01": 1}}
    plan = ShardPlan.plan(tmp_path, counts, undated=0, shard_size=2)
    plan.add_document(Q2, "a/", _document("2025-06-01", "2025年第二季度"))
    plan.add_document(Q2, "b/", _document("2025-06-01", "2025年第二季度"))
    plan.add_document(Q2, "c/", _document("2025-04-01", "2025年第二季度"))
    plan.add_document(Q1, "d/", _document("2025-03-01", "2025年第一季度"))
    unit = '<span data-pagefind-filter="类型" hidden>&#21333;&#20301;</span><span data-pagefind-sort="date">0000-00-00</span>'
    plan.add_document(None, "units/x/", unit.encode())  # sorted last; not a date of the shard's range
    assert {shard: sorted(docs) for shard, docs in plan.pending.items()} == {
        0: ["a/", "b/"],
        1: ["c/"],
        2: ["d/", "units/x/"],
    }
    for shard in range(len(plan.bundles)):
        plan.flush(shard)
    catalogue = json.loads(plan.catalogue())
    assert catalogue["shards"] == [
        {"bundle": "pagefind-3/", "quarters": ["2025年第二季度"], "dates": ["2025-06-01", "2025-06-01"]},
        {"bundle": "pagefind-2/", "quarters": ["2025年第二季度"], "dates": ["2025-04-01", "2025-04-01"]},
        {"bundle": "pagefind/", "quarters": ["2025年第一季度"], "dates": ["2025-03-01", "2025-03-01"]},
    ]
    # 季度 newest first (not in code-point order: 第一 < 第二 would put the first quarter first);
    # entities in a value are read as the text Pagefind sees.
    assert catalogue["filters"] == {
        "季度": [["2025年第二季度", 3], ["2025年第一季度", 1]],
        "类型": [["单位", 1]],
    }


def test_a_quarter_without_documents_never_makes_an_empty_shard(tmp_path: Path) -> None:
    """Pagefind refuses to index an empty folder: a quarter whose records were all withdrawn goes
    with the undated pages, and a later small quarter still joins an earlier one."""
    counts = {Q3: {}, Q2: {"2025-06-01": 3, "2025-05-01": 3}, Q1: {"2025-02-01": 1}}
    plan = ShardPlan.plan(tmp_path, counts, undated=1, shard_size=4)
    assert plan.groups == [[0, 1], [2]]
    assert plan.shard_of(Q3) == plan.undated_shard == plan.shard_of(Q1, "2025-02-01") == 2
    plan = ShardPlan.plan(tmp_path, {Q2: {}, Q1: {"2025-02-01": 1}}, undated=1, shard_size=4)
    assert plan.bundles == ["pagefind/"] and plan.shard_of(Q2) == plan.shard_of(Q1, "2025-02-01") == 0


def test_the_catalogue_lists_quarters_newest_first_not_in_code_point_order(tmp_path: Path) -> None:
    """第三 sorts before 第二 by code point: four quarters must still come 第四, 第三, 第二, 第一."""
    quarters = [Period.parse(f"2025Q{n}") for n in (1, 2, 3, 4)]
    plan = ShardPlan.plan(
        tmp_path, {q: {f"2025-{3 * n:02d}-01": 1} for n, q in enumerate(quarters, 1)}, 0, 8000
    )
    for n, quarter in enumerate(quarters, 1):
        plan.add_document(quarter, f"d{n}/", _document(f"2025-{3 * n:02d}-01", quarter.label))
    plan.flush(0)
    labels = [value for value, _count in json.loads(plan.catalogue())["filters"]["季度"]]
    assert labels == ["2025年第四季度", "2025年第三季度", "2025年第二季度", "2025年第一季度"]
