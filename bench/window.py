"""``make bench-window``: what each quarterly commit of a publishing window costs.

    python bench/window.py [--units 50] [--quarters 4] [--decisions-per-quarter 100] [--out DIR]

``make bench`` times the last unit to publish the newest quarter: the worst case, since that
quarter's search shards then hold every other unit's documents and are all indexed again. A real
window starts with the first unit. This script:

1. writes the demo data (default 50 units × 4 quarters × 100 decisions, ``make bench``'s);
2. holds back every unit's newest quarter and builds the rest cold;
3. lets the units publish that quarter one at a time, in unit order: each is a rebuild into the
   same site, timed from start to exit, with the files it wrote or removed;
4. builds the whole data cold into a new folder with an empty cache, for the ratio, and checks that
   the site the 50 rebuilds left is byte-identical to it (the files that record the release
   sequence aside: the manifest, ``releases/``, 更新记录).

Not part of ``make test`` or CI: at the default size it takes about seven minutes.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from bench import LAST_OUTPUT, demo_command, measure, site_digest, size_options  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    size_options(parser, units=50, decisions_per_quarter=100, out=ROOT / "bench-window-out")
    args = parser.parse_args()

    shutil.rmtree(args.out, ignore_errors=True)
    args.out.mkdir(parents=True)
    gongkai = str(Path(sys.executable).parent / "gongkai")
    data, held, site = args.out / "data", args.out / "held", args.out / "site"
    measure(demo_command(args, data))
    newest = max(package.name for package in data.glob("*/20*Q*"))
    units = sorted(package.parent.name for package in data.glob(f"*/{newest}"))
    held.mkdir()
    for unit in units:
        shutil.move(data / unit / newest, held / unit)

    def build(out: Path, cache: Path) -> float:
        seconds, _peak = measure([gongkai, "build", "--data", str(data), "--out", str(out)], cache=cache)
        return seconds

    seconds = build(site, args.out / "cache")
    print(f"{len(units)} 个单位的 {newest} 暂不公开，冷构建 {seconds:.1f} 秒", flush=True)
    times = []
    for n, unit in enumerate(units, 1):
        shutil.move(held / unit, data / unit / newest)
        seconds = build(site, args.out / "cache")
        changed = re.search(r"写入或删除网站文件 (\d+) 个", LAST_OUTPUT[0])
        times.append(seconds)
        print(
            f"第 {n} 个单位 {unit} 公开 {newest}：{seconds:.1f} 秒，写入或删除 {changed[1] if changed else '?'} 个文件",
            flush=True,
        )
    cold = build(args.out / "cold", args.out / "cache-cold")
    same = site_digest(site) == site_digest(args.out / "cold")
    share = [100 * t / cold for t in times]
    print(f"全部数据冷构建：{cold:.1f} 秒")
    print(
        f"逐个公开的 {len(times)} 次重建：第一个 {times[0]:.1f} 秒（{share[0]:.1f}%），最后一个 {times[-1]:.1f} 秒"
        f"（{share[-1]:.1f}%），平均 {statistics.mean(times):.1f} 秒（{statistics.mean(share):.1f}%），"
        f"中位数 {statistics.median(times):.1f} 秒；不超过冷构建 10% 的 {sum(s <= 10 for s in share)} 次"
    )
    for first in range(0, len(times), 10):
        part = share[first : first + 10]
        print(f"第 {first + 1}-{first + len(part)} 个单位：平均 {statistics.mean(part):.1f}%")
    print("最后的网站与全部数据的冷构建逐字节相同" if same else "最后的网站与冷构建不同！")
    if not same:
        sys.exit(1)


if __name__ == "__main__":
    main()
