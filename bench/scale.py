"""``make bench-scale``: one cold build of a very large synthetic portal (default 1,000,000 decisions).

    python bench/scale.py [--units 1000] [--quarters 4] [--decisions-per-quarter 250] [--out DIR]

1. ``gongkai demo`` writes the data tree (default 1,000 units × 4 quarters × 250 decisions).
2. ``gongkai build`` builds it cold, with a cache of its own under ``--out``; the wall time and the
   peak resident memory summed over the build's whole process tree are measured (``bench.measure``).
3. The built site is counted: its files, their bytes, bytes a decision.
4. ``bench/search_transfer.py`` opens its search page in Debian's Chromium and types a query: what the
   first query transfers, every request counted, and whether the results come newest first.

It refuses to start when the disk cannot hold the data, the site and the cache (about 70 KB a
decision). Not part of ``make test`` or CI: at 1,000,000 decisions it takes most of an hour.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from bench import LAST_CPU, LAST_OUTPUT, LAST_PEAK, demo_command, measure, site_size, size_options  # noqa: E402

#: Disk a decision needs during the run: its share of the site, the cache and the data tree.
BYTES_NEEDED_PER_DECISION = 70_000


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    size_options(parser, units=1000, decisions_per_quarter=250, out=ROOT / "bench-scale-out")
    parser.add_argument("--query", default="资金")
    args = parser.parse_args()

    decisions = args.units * args.quarters * args.decisions_per_quarter
    shutil.rmtree(args.out, ignore_errors=True)
    args.out.mkdir(parents=True)
    free = shutil.disk_usage(args.out).free
    if free < decisions * BYTES_NEEDED_PER_DECISION:
        sys.exit(
            f"磁盘空间不足：{decisions:,} 项决策约需 {decisions * BYTES_NEEDED_PER_DECISION / 1e9:.0f} GB，"
            f"{args.out} 所在磁盘只剩 {free / 1e9:.0f} GB。"
        )
    bin_dir = Path(sys.executable).parent
    gongkai = str(bin_dir / "gongkai")
    data, site, cache = args.out / "data", args.out / "site", args.out / "cache"
    seconds, peak = measure(demo_command(args, data))
    print(f"示例数据：{decisions:,} 项决策，生成用时 {seconds:.0f} 秒", flush=True)

    seconds, peak = measure([gongkai, "build", "--data", str(data), "--out", str(site)], cache=cache)
    print(f"冷构建：{seconds:.0f} 秒（CPU {LAST_CPU[0]:.0f} 秒），进程树峰值内存 {peak:,.0f} MB", flush=True)
    at, parts = LAST_PEAK[0]
    print(
        f"峰值出现在第 {at:.0f} 秒，各进程："
        + "，".join(f"{name} {mb:,.0f} MB" for name, mb in parts if mb >= 1),
        flush=True,
    )
    print(LAST_OUTPUT[0].strip().splitlines()[-1], flush=True)
    files, size = site_size(site)
    print(f"网站：{files:,} 个文件，{size:,} 字节，每项决策 {size / decisions / 1000:.1f} KB", flush=True)
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "search_transfer.py"), str(site), args.query], check=True
    )


if __name__ == "__main__":
    main()
