"""Benchmark: ``gongkai build`` against a plain ``mkdocs build`` of the same record pages.

    python bench/bench.py [--units 50 --quarters 4 --decisions-per-quarter 100] [--rounds 2]

1. ``gongkai demo`` writes a synthetic data tree (default: 50 units × 4 quarters × 100 = 20,000
   decisions); one unit's newest quarter is held back.
2. The baseline: every record page that gongkai renders (decisions, hearings, unit, unit-quarter
   and quarter pages) written as Markdown into a plain MkDocs + mkdocs-material project, outside the
   nav (MkDocs renders the whole nav into every page: the fast way to use it), with no search plugin.
3. Both builds run side by side, alternating, ``--rounds`` times each (this machine is shared and
   noisy: compare ratios, not absolute seconds). Peak memory is the largest sum of resident memory
   over the whole process tree (Python and the Pagefind binary), sampled every 20 ms.
4. Rebuilds of the last cold round's site, its cache kept: with nothing changed, after the unit
   publishes the held-back quarter, after a correction of one published decision, and after a
   change to portal.yml (which must rebuild everything). Each is given as a share of the cold
   build, and compared file by file with a cold build of the same data (all but the release
   sequence: the manifest, ``releases/``, 更新记录). The three small rebuilds run ``--repeats``
   times each (default 3) from the same published site and cache, and their median is given: one
   run on this host now and then stalls on the disk for seconds.
5. Between the two: what a citizen's first search transfers on the cold site
   (``bench/search_transfer.py``, uncompressed and gzip).
"""

from __future__ import annotations

import argparse
import ctypes
import hashlib
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from correct import correct  # noqa: E402  (bench/correct.py: a clerk's correction)

from generator.core.model import Decision, Disclosure, Hearing, Portal, Unit  # noqa: E402
from generator.core.urls import path_for  # noqa: E402
from generator.render.pages import yuan  # noqa: E402
from generator.sources.load import load_portal  # noqa: E402

_LIBC = ctypes.CDLL(None, use_errno=True)
_SYS_KCMP, _KCMP_VM = 312, 1  # x86_64's kcmp(2); KCMP_VM compares two processes' address spaces


def shares_memory(parent: int, child: int) -> bool:
    """Whether ``child`` runs in ``parent``'s own address space: a child made by ``vfork`` (how
    Python's ``subprocess`` starts Pagefind, ``git`` and ``rm``) between the fork and its ``exec``.
    Its VmRSS is its parent's, counted twice if summed: at 1,000,000 decisions that is several GB
    that exist once. ``kcmp(2)`` says so exactly; where it cannot (another kernel or architecture),
    the child counts."""
    if platform.machine() != "x86_64":
        return False
    return _LIBC.syscall(_SYS_KCMP, parent, child, _KCMP_VM, 0, 0) == 0


def tree_rss(pid: int) -> dict[int, tuple[str, int]]:
    """Resident memory (KB) of a process and all its descendants, by process ID with each one's
    name; each address space once (a ``vfork`` child shares its parent's, ``shares_memory``)."""
    found, stack = {}, [(pid, 0)]
    while stack:
        current, parent = stack.pop()
        try:
            if not (parent and shares_memory(parent, current)):
                name, rss = "", 0
                with open(f"/proc/{current}/status") as status:
                    for line in status:
                        if line.startswith("Name:"):
                            name = line.split()[1]
                        elif line.startswith("VmRSS:"):
                            rss = int(line.split()[1])
                            break
                found[current] = (name, rss)
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    stack += [(int(child), current) for child in children.read().split()]
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return found


LAST_OUTPUT: list[str] = [""]


LAST_CPU: list[float] = [0.0]


#: At the last ``measure``'s peak: seconds since its start, and each process's name and MB, largest first.
LAST_PEAK: list[tuple[float, list[tuple[str, float]]]] = [(0.0, [])]


def measure(command: list[str], cwd: Path | None = None, cache: Path | None = None) -> tuple[float, float]:
    """Run a command; return (seconds, peak MB of its process tree). Fails loudly. ``LAST_CPU`` gets
    the CPU seconds (user + system) of the command and every process it waited for: on a shared
    machine, a figure that the neighbours' load disturbs much less than the wall clock."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    env = dict(os.environ, GONGKAI_CACHE_DIR=str(cache)) if cache else None
    process = subprocess.Popen(command, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            found = tree_rss(process.pid)
            if (total := sum(rss for _name, rss in found.values())) > peak:
                peak = total
                parts = sorted(((name, rss / 1024) for name, rss in found.values()), key=lambda p: -p[1])
                LAST_PEAK[0] = (time.perf_counter() - started, parts)
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = process.communicate()
    LAST_OUTPUT[0] = stdout.decode("utf-8", "replace")
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    LAST_CPU[0] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    done.set()
    sampler.join()
    if process.returncode != 0:
        sys.exit(f"命令失败（退出码 {process.returncode}）：{' '.join(command)}\n{stderr.decode()[-3000:]}")
    return elapsed, peak / 1024


def clean(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
    os.sync()


def md_decision(d: Decision) -> str:
    assert d.disclosure is not None and d.meeting is not None
    lines = [
        f"# {d.title}",
        "",
        f"**{d.category}** · **{d.result}** · 执行：**{d.execution_status}**",
        "",
        d.summary,
        "",
        f"- 单位：[{d.disclosure.unit.name}](../../../{path_for(d.disclosure.unit)})",
        f"- 会议：{d.meeting.title}（{d.meeting.meeting_type}，{d.meeting.date}），第 {d.agenda_no} 项议题",
        f"- 议题预告：{d.meeting.notice_date}",
        f"- 出席：应到 {d.meeting.members_total} 人，实到 {d.meeting.members_present} 人",
        f"- 表决方式：{d.vote_method}",
        f"- 涉及金额：{yuan(d.amount_yuan)}",
        f"- 权力依据：{d.power_item.name if d.power_item else '未注明'}",
        f"- 执行说明：{d.execution_note}",
        "",
        "## “五不上会”前置程序",
        "",
        *[f"- {label}：{status}" for label, status in d.preconditions],
        "",
        "## 逐位表态",
        "",
        "| 顺序 | 班子成员 | 职务 | 表态 | 意见说明 |",
        "|---|---|---|---|---|",
        *[
            f"| {s.order} | {s.member.name if s.member else ''} | {s.member.position if s.member else ''} | {s.stance} | {s.remark} |"
            for s in d.stances
        ],
        "",
    ]
    if d.hearing:
        lines += ["## 听证", "", f"[{d.hearing.subject}](../../../{path_for(d.hearing)})", ""]
    return "\n".join(lines)


def md_hearing(h: Hearing) -> str:
    return "\n".join(
        [
            f"# {h.hearing_type}：{h.subject}",
            "",
            f"- 日期：{h.date}",
            f"- 参加人员：{h.participants}（{h.participant_count} 人）",
            f"- 意见：收到 {h.opinions_received} 条，采纳 {h.opinions_adopted} 条",
            f"- 结果：{h.outcome}",
            "",
        ]
    )


def md_disclosure(dis: Disclosure) -> str:
    lines = [f"# {dis.unit.short_name} · {dis.period.label}", ""]
    for m in dis.meetings:
        lines += [
            f"## {m.title}",
            "",
            f"{m.date} · {m.meeting_type}",
            "",
            "| 事项 | 类别 | 结果 | 执行 |",
            "|---|---|---|---|",
        ]
        lines += [
            f"| [{d.title}](../../../{path_for(d)}) | {d.category} | {d.result} | {d.execution_status} |"
            for d in m.decisions
        ]
        lines.append("")
    return "\n".join(lines)


def md_unit(unit: Unit) -> str:
    latest = unit.latest
    lines = [f"# {unit.name}", "", unit.description, ""]
    if latest:
        lines += ["## 班子成员", "", "| 姓名 | 职务 | 分管 |", "|---|---|---|"]
        lines += [f"| {m.name} | {m.position} | {m.portfolio} |" for m in latest.members]
        lines += ["", "## 权力清单", ""]
        for item in latest.power_items:
            lines += [f"### {item.name}", "", f"{item.holder} · {item.basis}", ""]
            lines += [f"{s.step_no}. {s.step}（{s.actor}）" for s in item.steps]
            lines.append("")
        lines += ["## 负面清单", "", *[f"- {n.content}" for n in latest.negative_items], ""]
    return "\n".join(lines)


def write_baseline(portal: Portal, project: Path) -> int:
    docs = project / "docs"
    docs.mkdir(parents=True)
    (docs / "index.md").write_text("# 首页\n", encoding="utf-8")
    count = 0

    def put(path: str, text: str) -> None:
        nonlocal count
        target = docs / (path.rstrip("/") + ".md")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        count += 1

    for unit in portal.units:
        put(path_for(unit), md_unit(unit))
    for dis in portal.disclosures:
        put(path_for(dis), md_disclosure(dis))
        for d in dis.decisions:
            put(path_for(d), md_decision(d))
        for h in dis.hearings:
            put(path_for(h), md_hearing(h))
    for period in portal.periods:
        put(path_for(period), f"# {period.label}\n")
    (project / "mkdocs.yml").write_text(
        "site_name: 基线\ntheme:\n  name: material\n  language: zh\n  font: false\nplugins: []\n"
        "markdown_extensions: [tables, attr_list]\nnav:\n  - 首页: index.md\n"
        "validation:\n  nav:\n    omitted_files: ignore\n  links:\n    unrecognized_links: ignore\n",
        encoding="utf-8",
    )
    return count


def site_size(site: Path) -> tuple[int, int]:
    """(files, bytes) of a built site."""
    files = size = 0
    for folder, _dirs, names in os.walk(site):
        for name in names:
            files += 1
            size += os.stat(os.path.join(folder, name), follow_symlinks=False).st_size
    return files, size


def site_digest(root: Path) -> dict[str, str]:
    """SHA-256 of every file of a site but those that record the release sequence (the manifest,
    ``releases/``, 更新记录), which an incremental build may number differently from a cold one."""
    digests = {}
    for top, _dirs, names in os.walk(root):
        for name in names:
            path = Path(top, name)
            relative = path.relative_to(root).as_posix()
            if not relative.startswith(("manifest.json", "releases/", "changelog/")):
                digests[relative] = hashlib.sha256(path.read_bytes()).hexdigest()
    return digests


def size_options(parser: argparse.ArgumentParser, units: int, decisions_per_quarter: int, out: Path) -> None:
    """The options every bench script takes: the demo portal's size, and the folder it works in."""
    parser.add_argument("--units", type=int, default=units)
    parser.add_argument("--quarters", type=int, default=4)
    parser.add_argument("--decisions-per-quarter", type=int, default=decisions_per_quarter)
    parser.add_argument("--out", type=Path, default=out)


def demo_command(args: argparse.Namespace, data: Path) -> list[str]:
    """``gongkai demo`` writing a portal of the size that ``size_options`` took into ``data``."""
    size = ["--units", str(args.units), "--quarters", str(args.quarters)]
    size += ["--decisions-per-quarter", str(args.decisions_per_quarter)]
    return [str(Path(sys.executable).parent / "gongkai"), "demo", "--out", str(data), *size]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    size_options(parser, units=50, decisions_per_quarter=100, out=ROOT / "bench-out")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument(
        "--repeats",
        type=int,
        default=3,
        help="runs of each small rebuild, from the same state (median given)",
    )
    args = parser.parse_args()

    shutil.rmtree(args.out, ignore_errors=True)
    args.out.mkdir(parents=True)
    bin_dir = Path(sys.executable).parent
    gongkai, mkdocs = str(bin_dir / "gongkai"), str(bin_dir / "mkdocs")
    data = args.out / "data"
    subprocess.run(demo_command(args, data), check=True, stdout=subprocess.DEVNULL)
    portal = load_portal(data)
    baseline = args.out / "baseline"
    pages = write_baseline(portal, baseline)
    decisions = len(portal.decisions())
    del portal
    # One unit's newest quarter is held back: the cold builds are of the portal without it, and the
    # quarterly update is that unit publishing it.
    newest = sorted(data.glob("*/*Q*"), key=lambda p: (p.name, p.parent.name))[-1]
    held = args.out / "held-back"
    shutil.move(newest, held)
    print(
        f"数据：{decisions} 项决策事项（其中 {newest.parent.name}/{newest.name} 暂不公开）；基线记录页面 {pages} 个（Markdown）。"
    )

    runs: dict[str, list[tuple[float, float]]] = {"gongkai build": [], "mkdocs build（基线）": []}
    cpu: dict[str, list[float]] = {name: [] for name in runs}
    site = args.out / "site"
    build_command = [gongkai, "build", "--data", str(data), "--out", str(site)]
    open_data: list[float] = []  # seconds of the 开放数据 stage, from gongkai's own stage timings
    for round_no in range(1, args.rounds + 1):
        # Each build starts from an empty output directory with the disk flushed, so that neither
        # pays for the other's (or its own previous) writes; every gongkai round gets a new, empty
        # cache, so that every round is a cold build.
        clean(site)
        runs["gongkai build"].append(measure(build_command, cache=args.out / f"cache-{round_no}"))
        cpu["gongkai build"].append(LAST_CPU[0])
        stage = re.search(r"开放数据 ([0-9.]+) 秒", LAST_OUTPUT[0])
        open_data.append(float(stage.group(1)) if stage else 0.0)
        clean(baseline / "site")
        runs["mkdocs build（基线）"].append(measure([mkdocs, "build", "--quiet"], cwd=baseline))
        cpu["mkdocs build（基线）"].append(LAST_CPU[0])
        print(
            f"第 {round_no} 轮："
            + "；".join(
                f"{name} {runs[name][-1][0]:.1f} 秒（CPU {cpu[name][-1]:.1f} 秒）/ {runs[name][-1][1]:.0f} MB"
                for name in runs
            )
        )
    rows = {
        name: (statistics.median(t for t, _ in values), max(m for _, m in values))
        for name, values in runs.items()
    }
    ours, base = rows["gongkai build"], rows["mkdocs build（基线）"]

    # What a citizen's first search transfers on the last cold round's site (Chromium; every byte
    # the server sends), as served by ``gongkai serve`` and by a host that compresses text.
    for extra in ([], ["--gzip"]):
        searched = subprocess.run(
            [sys.executable, str(ROOT / "bench" / "search_transfer.py"), str(site), *extra],
            capture_output=True,
            text=True,
        )
        label = "检索（gzip 压缩传输）" if extra else "检索（不压缩）"
        for line in (searched.stdout.strip() or searched.stderr.strip()[-300:]).splitlines():
            print(f"{label}：{line}")

    # Rebuilds of the published site of the last cold round (its cache kept), each compared with a
    # cold build of the same data (a new output folder, an empty cache).
    cache = args.out / f"cache-{args.rounds}"
    scenarios: list[tuple[str, float, float, str]] = []

    def rebuild(name: str, change: Callable[[], None], repeats: int = 1) -> None:
        # With ``repeats``, the published site and its cache as they were before the change are
        # copied aside (``cp -a``: their hard links and times kept, as the build's state expects),
        # and put back before each further run: the median of the runs is given, and every run.
        before = args.out / "before-rebuild"
        clean(before)
        if repeats > 1:
            before.mkdir()
            subprocess.run(["cp", "-a", str(site), str(cache), str(before)], check=True)
        change()
        runs_of: list[tuple[float, float]] = []
        for repeat in range(repeats):
            if repeat:
                clean(site)
                clean(cache)
                subprocess.run(
                    ["cp", "-a", str(before / site.name), str(before / cache.name), str(args.out)], check=True
                )
                os.sync()
            runs_of.append(measure(build_command, cache=cache))
        clean(before)
        seconds = statistics.median(t for t, _m in runs_of)
        peak = max(m for _t, m in runs_of)
        rebuilt = re.search(r"重新生成 (\d+) 个单位的页面.*写入或删除网站文件 (\d+) 个", LAST_OUTPUT[0])
        what = (
            f"重新生成 {rebuilt.group(1)} 个单位的页面，写入或删除 {rebuilt.group(2)} 个文件"
            if rebuilt
            else "网站已是最新，未作改动"
        )
        if repeats > 1:
            what = f"{repeats} 次的中位数（{'、'.join(f'{t:.1f}' for t, _m in runs_of)} 秒）；" + what
        reference = args.out / "cold-reference"
        clean(reference)
        measure(
            [gongkai, "build", "--data", str(data), "--out", str(reference)],
            cache=args.out / f"cache-ref-{name}",
        )
        same = site_digest(site) == site_digest(reference)
        scenarios.append(
            (name, seconds, peak, what + ("；与冷构建逐字节相同" if same else "；与冷构建不同！"))
        )
        print(
            f"{name}：{seconds:.1f} 秒（冷构建的 {seconds / ours[0]:.1%}）/ {peak:.0f} MB；{scenarios[-1][3]}"
        )

    rebuild("无改动重建", lambda: None, args.repeats)
    rebuild("该单位公开新季度", lambda: shutil.move(held, newest), args.repeats)
    rebuild("更正一项已公开决策", lambda: correct(data, 1), args.repeats)

    def retitle() -> None:
        config = data / "portal.yml"
        text = config.read_text(encoding="utf-8")
        config.write_text(text.replace("title: ", "title: 新", 1), encoding="utf-8")

    rebuild("修改 portal.yml（须全部重建）", retitle)
    # The last cold reference holds every decision (the held-back quarter published).
    files, size = site_size(args.out / "cold-reference")
    site_line = f"网站（冷构建，{decisions} 项决策）：{files} 个文件，{size:,} 字节，每项决策 {size / decisions / 1000:.1f} KB。"

    print()
    print("| 构建 | 用时中位数（秒） | CPU 时间中位数（秒） | 峰值内存（MB） |")
    print("|---|---|---|---|")
    for name, (seconds, peak) in rows.items():
        label = f"{name}（冷构建）" if name == "gongkai build" else name
        print(f"| {label} | {seconds:.1f} | {statistics.median(cpu[name]):.1f} | {peak:.0f} |")
    print("\n| 重建（同一输出目录，沿用缓存和已发布网站） | 用时（秒） | 占冷构建 | 峰值内存（MB） | 结果 |")
    print("|---|---|---|---|---|")
    for name, seconds, peak, what in scenarios:
        print(f"| {name} | {seconds:.1f} | {seconds / ours[0]:.1%} | {peak:.0f} | {what} |")
    print(
        f"\n速度比（基线用时 ÷ gongkai 用时）：冷构建 {base[0] / ours[0]:.2f}×（冷构建为基线的 {ours[0] / base[0]:.2f} 倍）。"
    )
    print(f"gongkai 峰值内存 {max([ours[1], *(peak for _n, _s, peak, _w in scenarios)]):.0f} MB。")
    print(site_line)
    # The release record of the site rebuilt above (a release a build that changed the data): it
    # grows with every release, not with the data (docs/benchmarks.md, twentieth session).
    releases = (
        [p for p in (site / "releases").iterdir() if p.is_dir()] if (site / "releases").is_dir() else []
    )
    if releases:
        _files, kept = site_size(site / "releases")
        each = "；".join(
            f"第 {p.name} 次 {_size(p / 'manifest.json'):,} + {_size(p / 'changes.json'):,}"
            for p in sorted(releases, key=lambda p: int(p.name))
        )
        print(
            f"发布记录（releases/）：{len(releases)} 次发布，{kept:,} 字节，"
            f"平均每次发布 {kept / len(releases) / 1e6:.2f} MB（每项决策 {kept / len(releases) / decisions / 1000:.3f} KB）。"
            f"各次发布的记录 + 更新记录（字节）：{each}；当前清单 manifest.json {_size(site / 'manifest.json'):,} 字节。"
        )
    base_cpu, our_cpu = (
        statistics.median(cpu["mkdocs build（基线）"]),
        statistics.median(cpu["gongkai build"]),
    )
    print(f"CPU 时间比（基线 ÷ gongkai，受同机负载影响较小）：冷构建 {base_cpu / our_cpu:.2f}×。")
    print(
        f"同一批冷构建中，开放数据阶段（批量下载、数据库、API、目录、订阅、发布清单）用时中位数 "
        f"{statistics.median(open_data):.1f} 秒（此时 Pagefind 在后台完成最后的检索分片）。"
    )


def _size(path: Path) -> int:
    return path.stat().st_size if path.is_file() else 0


if __name__ == "__main__":
    main()
