"""The ``gongkai`` command: a thin layer that parses arguments and calls the library.

Exit codes: 0 success, 1 the data (or the build) has errors, 2 the command was used wrongly.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from generator.core import cli_text

if TYPE_CHECKING:
    from generator.build import Checked
    from generator.core.findings import Report
    from generator.release.source import Limits

EXIT_OK, EXIT_DATA, EXIT_USAGE = 0, 1, 2


class ChineseArgumentParser(argparse.ArgumentParser):
    """argparse with Chinese usage errors (exit code 2) and Chinese section headings."""

    def format_help(self) -> str:
        # argparse ends a section heading with an ASCII colon: the Chinese headings get a full-width one.
        return super().format_help().replace("位置参数:\n", "位置参数：\n").replace("选项:\n", "选项：\n")

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}：用法错误：{message}\n运行“{self.prog} --help”查看帮助。\n")


def _integer(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}”不是整数") from None


def _positive(text: str) -> int:
    value = _integer(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"应为正整数，实为 {value}")
    return value


_PUBLISHED_HELP = "已发布的网站目录：同时检查已公开的记录是否只经更正、撤回记录修改或删除"


def build_parser() -> argparse.ArgumentParser:
    cli_text.install()  # argparse's own words (usage, options, -h, its errors) in Chinese
    parser = ChineseArgumentParser(
        prog="gongkai",
        description="公开（Gongkai）：把“三重一大”季度公开数据包生成为可检索的静态公开平台。",
    )
    parser.add_argument("--version", action="version", version="%(prog)s 0.1.0", help="显示版本号并退出")
    sub = parser.add_subparsers(dest="command", metavar="命令", parser_class=ChineseArgumentParser)

    validate = sub.add_parser("validate", help="校验数据目录，不生成网站")
    validate.add_argument(
        "data_dir", nargs="?", default="data", type=Path, metavar="DATA_DIR", help="数据目录（默认 data）"
    )
    validate.add_argument(
        "--format",
        choices=["text", "json", "github"],
        default="text",
        help="报告格式：text、json，或 github（GitHub Actions 错误标注）（默认 text）",
    )
    validate.add_argument("--published", type=Path, metavar="SITE_DIR", help=_PUBLISHED_HELP)

    check = sub.add_parser("check", help="校验数据并检查“三重一大”制度规则（末位表态、预告会商、五不上会等）")
    check.add_argument(
        "data_dir", nargs="?", default="data", type=Path, metavar="DATA_DIR", help="数据目录（默认 data）"
    )
    check.add_argument("--format", choices=["text", "json"], default="text", help="报告格式（默认 text）")
    check.add_argument("--published", type=Path, metavar="SITE_DIR", help=_PUBLISHED_HELP)

    build = sub.add_parser("build", help="校验数据并生成网站")
    build.add_argument("--data", default="data", type=Path, metavar="DATA_DIR", help="数据目录（默认 data）")
    build.add_argument(
        "--out", default="site", type=Path, metavar="SITE_DIR", help="网站输出目录（默认 site）"
    )
    build.add_argument("--quiet", action="store_true", help="只输出错误")
    build.add_argument(
        "--full",
        action="store_true",
        help="不沿用已发布网站中未变化的页面，整站重新生成并整体替换（缓存中已校验的检索分片等仍会使用）",
    )

    serve = sub.add_parser("serve", help="生成网站并在本机预览")
    serve.add_argument("--data", default="data", type=Path, metavar="DATA_DIR", help="数据目录（默认 data）")
    serve.add_argument(
        "--out", default="site", type=Path, metavar="SITE_DIR", help="网站输出目录（默认 site）"
    )
    serve.add_argument("--port", default=8000, type=_integer, help="端口（默认 8000）")
    serve.add_argument("--no-build", action="store_true", help="不重新生成，直接预览已有网站")

    verify = sub.add_parser("verify", help="按发布清单和哈希链核对网站目录或镜像网址")
    verify.add_argument("target", metavar="PATH_OR_URL", help="网站目录，或镜像的 http(s) 网址")
    _add_read_limits(verify)

    fetch = sub.add_parser(
        "fetch-published",
        help="从线上网站取回已公开的记录和发布清单，供下一次 gongkai build 比对（门户的持续集成用）",
    )
    fetch.add_argument(
        "source",
        nargs="?",
        metavar="URL_OR_DIR",
        help=(
            "线上网站的 http(s) 网址或其副本目录（默认：环境变量 GONGKAI_SITE_URL；都没有时取数据目录"
            " portal.yml 中的 site_url，但在合并请求的持续集成中拒绝）"
        ),
    )
    fetch.add_argument("--data", default="data", type=Path, metavar="DATA_DIR", help="数据目录（默认 data）")
    fetch.add_argument(
        "--out", default="site", type=Path, metavar="SITE_DIR", help="写入的目录，须为新的或空的（默认 site）"
    )
    fetch.add_argument(
        "--first-release", action="store_true", help="线上还没有发布过网站时（首次发布）不报错"
    )
    _add_read_limits(fetch)

    demo = sub.add_parser("demo", help="生成任意规模的合成示例数据（用于测试和性能评测）")
    demo.add_argument("--out", required=True, type=Path, metavar="DIR", help="输出目录（须为空或不存在）")
    demo.add_argument("--units", default=6, type=_positive, metavar="N", help="单位数（默认 6）")
    demo.add_argument(
        "--quarters", default=2, type=_positive, metavar="Q", help="季度数，从 2025Q1 起（默认 2）"
    )
    demo.add_argument(
        "--decisions-per-quarter",
        default=34,
        type=_positive,
        metavar="D",
        help="每个单位每季度的决策事项数（默认 34）",
    )
    demo.add_argument(
        "--seed", default=2025, type=_integer, help="随机种子：相同参数和种子生成相同数据（默认 2025）"
    )
    _add_publish_commands(sub)
    return parser


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}”不是数字") from None
    if not 0 < value < 1e7:
        raise argparse.ArgumentTypeError(f"应为正数（秒），实为 {text}")
    return value


def _add_read_limits(command: argparse.ArgumentParser) -> None:
    """Bounds of reading a site that may be hostile (``generator.release.source.Limits``)."""
    command.add_argument(
        "--max-mb",
        default=2048,
        type=_positive,
        metavar="MB",
        help="读取的文件总量上限，单位 MB（默认 2048）",
    )
    command.add_argument(
        "--timeout",
        default=30.0,
        type=_seconds,
        metavar="SECONDS",
        help="连接和读取的超时，单位秒（默认 30）",
    )
    command.add_argument(
        "--deadline",
        default=1800.0,
        type=_seconds,
        metavar="SECONDS",
        help="整个命令的总时限，单位秒（默认 1800）",
    )


def _add_publish_commands(sub: argparse._SubParsersAction[ChineseArgumentParser]) -> None:
    """Quarterly publishing: template, import, new-quarter, status (``generator.intake``)."""
    data_help = "数据目录（默认 data）"
    template = sub.add_parser("template", help="生成本单位的 Excel 填报模板（预填班子成员和清单）")
    template.add_argument("unit", metavar="UNIT", help="单位编号，例如 fgw")
    template.add_argument("--data", default="data", type=Path, metavar="DATA_DIR", help=data_help)
    template.add_argument(
        "--out", type=Path, metavar="FILE.xlsx", help="输出文件（默认 UNIT-template.xlsx，在当前目录）"
    )

    importer = sub.add_parser("import", help="导入填好的 Excel 工作簿或 CSV 文件夹，校验后写入数据目录")
    importer.add_argument(
        "source", type=Path, metavar="WORKBOOK.xlsx|CSV_DIR", help="填好的工作簿或 CSV 文件夹"
    )
    importer.add_argument("--unit", required=True, metavar="UNIT", help="单位编号，例如 fgw")
    importer.add_argument("--quarter", required=True, metavar="YYYYQn", help="季度，例如 2025Q3")
    importer.add_argument("--data", default="data", type=Path, metavar="DATA_DIR", help=data_help)
    importer.add_argument("--replace", action="store_true", help="整体替换该季度已有的数据包")

    quarter = sub.add_parser("new-quarter", help="沿用上季度的班子成员和清单，生成新季度的数据包")
    quarter.add_argument("unit", metavar="UNIT", help="单位编号，例如 fgw")
    quarter.add_argument("quarter", metavar="YYYYQn", help="新季度，例如 2025Q3")
    quarter.add_argument("--data", default="data", type=Path, metavar="DATA_DIR", help=data_help)

    status = sub.add_parser("status", help="列出各单位某季度是否已公开")
    status.add_argument("--quarter", metavar="YYYYQn", help="季度（默认：已有单位公开的最新季度）")
    status.add_argument("--data", default="data", type=Path, metavar="DATA_DIR", help=data_help)
    status.add_argument("--format", choices=["text", "json"], default="text", help="输出格式（默认 text）")


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    try:
        if args.command == "validate":
            return _validate(args)
        if args.command == "check":
            return _check(args)
        if args.command == "build":
            return _build(args)
        if args.command == "serve":
            return _serve(args)
        if args.command == "demo":
            return _demo(args)
        if args.command in ("template", "import", "new-quarter", "status"):
            return _publish(args)
        if args.command == "verify":
            return _verify(args)
        if args.command == "fetch-published":
            return _fetch_published(args)
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return 130
    except Exception as error:  # a bug or the machine (disk full, permissions): never a bare traceback
        if os.environ.get("GONGKAI_DEBUG"):
            raise
        if (message := _template_error(error)) is not None:
            print(message, file=sys.stderr)
            return EXIT_DATA
        print(
            f"gongkai：内部错误（{type(error).__name__}：{error}）。已生成的网站保持不变。"
            "设置环境变量 GONGKAI_DEBUG=1 可查看详细信息；如属程序缺陷，请报告此问题。",
            file=sys.stderr,
        )
        return EXIT_DATA
    parser.error(f"未知命令“{args.command}”")


def _template_error(error: Exception) -> str | None:
    """A Chinese message for an error in a page template (most likely a portal's own, in
    ``overrides/templates/``, written for an earlier Gongkai): the template file and line, and what
    is wrong; None for any other error."""
    import re
    import traceback

    from jinja2 import TemplateError, TemplateSyntaxError

    from generator.core.datatree import OVERRIDES_DIR

    if not isinstance(error, TemplateError):
        return None
    where, line = "", 0
    if isinstance(error, TemplateSyntaxError):
        where, line = error.filename or error.name or "", error.lineno
    else:  # jinja2 puts the template's file and line into the traceback's frames
        for frame in traceback.extract_tb(error.__traceback__):
            if frame.filename.endswith(".html"):
                where, line = frame.filename, frame.lineno or 0
    detail = str(error.message or "").rstrip(".")
    undefined = re.fullmatch(r"'(.+)' is undefined", detail)
    if undefined:
        what = f"“{undefined.group(1)}”未定义"
    elif isinstance(error, TemplateSyntaxError):
        what = f"模板语法有误（jinja2 的说明：{detail}）"
    else:
        what = f"{type(error).__name__}（{detail}）"
    place = f"{where} 第 {line} 行" if where else "（未能确定是哪个模板）"
    if OVERRIDES_DIR in Path(where).parts:
        hint = (
            "门户自己的模板（overrides/templates/）可能是按 Gongkai 的旧版本写的："
            "请对照当前版本的同名模板（theme/templates/）修改。"
        )
    else:
        hint = "设置环境变量 GONGKAI_DEBUG=1 可查看详细信息；如属程序缺陷，请报告此问题。"
    return f"gongkai：页面模板出错：{place}，{what}。{hint}已生成的网站保持不变。"


def _validate(args: argparse.Namespace) -> int:
    from generator.build import check

    if not args.data_dir.is_dir():
        print(f"gongkai：找不到数据目录“{args.data_dir}”。", file=sys.stderr)
        return EXIT_USAGE
    if args.published is not None and not args.published.is_dir():
        print(f"gongkai：找不到已发布的网站目录“{args.published}”。", file=sys.stderr)
        return EXIT_USAGE
    report = _with_published(check(args.data_dir, args.published, rules=False))
    views = {"json": report.to_json, "github": report.to_github}
    print(views.get(args.format, report.to_text)())
    return EXIT_OK if report.valid else EXIT_DATA


def _with_published(checked: Checked) -> Report:
    """The validation report plus, with ``--published``, the published-records check (valid data only)."""
    if checked.kept is None:
        return checked.validation
    return dataclasses.replace(checked.validation, errors=checked.validation.errors + checked.kept.errors)


def _check(args: argparse.Namespace) -> int:
    """Validation first (rules need valid data), then the rule checks over the published view, as
    the build reads it. Warnings do not fail."""
    from generator.build import check
    from generator.core.config import ConfigError

    if not args.data_dir.is_dir():
        print(f"gongkai：找不到数据目录“{args.data_dir}”。", file=sys.stderr)
        return EXIT_USAGE
    if args.published is not None and not args.published.is_dir():
        print(f"gongkai：找不到已发布的网站目录“{args.published}”。", file=sys.stderr)
        return EXIT_USAGE
    try:
        checked = check(args.data_dir, args.published)
    except ConfigError as error:
        print(f"gongkai：{error}", file=sys.stderr)
        return EXIT_DATA
    validation = _with_published(checked)
    if not validation.valid:
        print(
            validation.to_json()
            if args.format == "json"
            else validation.to_text() + "\n数据未通过校验，无法检查规则。"
        )
        return EXIT_DATA
    assert checked.rules is not None
    report = checked.rules
    print(report.to_json() if args.format == "json" else report.to_text())
    return EXIT_DATA if report.errors else EXIT_OK


def _build(args: argparse.Namespace) -> int:
    from generator.build import BuildFailed, build

    if not args.data.is_dir():
        print(f"gongkai：找不到数据目录“{args.data}”。", file=sys.stderr)
        return EXIT_USAGE
    try:
        summary = build(args.data, args.out, log=None if args.quiet else print, full=args.full)
    except BuildFailed as failure:
        print(failure.message, file=sys.stderr)
        print(f"网站未更新：{args.out} 保持上一次成功生成的内容。", file=sys.stderr)
        return EXIT_DATA
    if not args.quiet:
        print(summary)
    return EXIT_OK


def _serve(args: argparse.Namespace) -> int:
    from generator.serve import PortUnavailable, make_server, serve

    # The port is opened before the build, so that a busy port is said at once, not after a build.
    try:
        server = make_server(args.out, args.port)
    except PortUnavailable as error:
        print(f"gongkai：{error.message}", file=sys.stderr)
        return EXIT_USAGE
    if not args.no_build:
        code = _build(argparse.Namespace(data=args.data, out=args.out, quiet=False))
        if code != EXIT_OK:
            server.server_close()
            return code
    if not args.out.is_dir():
        server.server_close()
        print(f"gongkai：网站目录“{args.out}”不存在，请先运行 gongkai build。", file=sys.stderr)
        return EXIT_USAGE
    serve(args.out, args.port, server)
    return EXIT_OK


def _demo(args: argparse.Namespace) -> int:
    from generator.demo import DemoError, write_demo

    try:
        count = write_demo(args.out, args.units, args.quarters, args.decisions_per_quarter, seed=args.seed)
    except DemoError as error:
        print(f"gongkai：{error}", file=sys.stderr)
        return EXIT_USAGE
    print(f"已在 {args.out} 生成示例数据：{count}")
    return EXIT_OK


def _publish(args: argparse.Namespace) -> int:
    from generator.intake import PublishError, check_unit_id, package_target, parse_period

    if not args.data.is_dir():
        print(f"gongkai：找不到数据目录“{args.data}”。", file=sys.stderr)
        return EXIT_USAGE
    try:
        # IDs from the command line name folders and files: checked before anything is read or written.
        if args.command in ("import", "new-quarter"):
            package_target(args.data, args.unit, parse_period(args.quarter))
        elif args.command == "template":
            check_unit_id(args.unit)
        if args.command == "template":
            from generator.intake.template import write_template

            out = args.out or Path(f"{args.unit}-template.xlsx")
            print(write_template(args.data, args.unit, out))
            return EXIT_OK
        if args.command == "import":
            from generator.intake.importer import import_source

            result = import_source(
                args.source, args.data, args.unit, parse_period(args.quarter), replace=args.replace
            )
            print(result.to_text(), file=sys.stdout if result.ok else sys.stderr)
            return EXIT_OK if result.ok else EXIT_DATA
        if args.command == "new-quarter":
            from generator.intake.scaffold import new_quarter

            outcome, source = new_quarter(args.data, args.unit, parse_period(args.quarter))
            if not outcome.written:
                print(outcome.report.to_text(), file=sys.stderr)
                print(f"未生成 {outcome.target}：沿用的 {source} 数据未通过校验。", file=sys.stderr)
                return EXIT_DATA
            print(
                f"已生成 {outcome.target}：沿用 {source} 的班子成员、权力清单、权力运行流程和负面清单，校验通过。"
            )
            return EXIT_OK
        from generator.intake.status import publication_status

        period = parse_period(args.quarter) if args.quarter else None
        status = publication_status(args.data, period)
        print(status.to_json() if args.format == "json" else status.to_text())
        return EXIT_OK
    except PublishError as error:
        print(f"gongkai：{error}", file=sys.stderr)
        return EXIT_USAGE


def _limits(args: argparse.Namespace) -> Limits:
    from generator.release.source import MB, Limits

    return Limits(max_total_bytes=args.max_mb * MB, timeout=args.timeout, deadline=args.deadline)


def _verify(args: argparse.Namespace) -> int:
    from generator.release.verify import VerifyUsageError, verify

    try:
        report = verify(args.target, _limits(args))
    except VerifyUsageError as error:
        print(f"gongkai：{error}", file=sys.stderr)
        return EXIT_USAGE
    print(report.to_text(), file=sys.stdout if report.ok else sys.stderr)
    return EXIT_OK if report.ok else EXIT_DATA


#: CI settings that hold the live site's address (documented in portal-ci/README.md).
SITE_URL_ENV = "GONGKAI_SITE_URL"


def _on_pull_request() -> bool:
    """Whether the command runs in a CI job of a pull or merge request (GitHub Actions, GitLab CI)."""
    return os.environ.get("GITHUB_EVENT_NAME", "") in ("pull_request", "pull_request_target") or bool(
        os.environ.get("CI_MERGE_REQUEST_IID")
    )


def _fetch_source(args: argparse.Namespace) -> str:
    """The live site's address: the command line, else the CI setting ``GONGKAI_SITE_URL``, else
    (never on a pull request, whose data is under review) ``site_url`` in portal.yml."""
    from generator.core.config import ConfigError, load_config

    if args.source:
        return str(args.source)
    if os.environ.get(SITE_URL_ENV, "").strip():
        return os.environ[SITE_URL_ENV].strip()
    if _on_pull_request():
        raise _UsageError(
            f"在合并请求（pull request）的持续集成中，线上网站的网址不能取自待审的数据（{args.data}/portal.yml 的"
            f" site_url 可能正被这个合并请求修改）。请在 CI 设置中定义变量 {SITE_URL_ENV}（GitHub：Settings → Secrets"
            f" and variables → Actions → Variables；GitLab：Settings → CI/CD → Variables），或在命令中给出网址。"
        )
    try:
        site_url = load_config(args.data).site_url
    except ConfigError as error:
        raise _UsageError(str(error)) from None
    if not site_url:
        raise _UsageError(
            f"请给出线上网站的网址：写在命令中，或设置环境变量 {SITE_URL_ENV}，或在 {args.data}/portal.yml 中设置 site_url。"
        )
    return str(site_url)


class _UsageError(Exception):
    """The command was used wrongly (Chinese message, exit code 2)."""


def _fetch_published(args: argparse.Namespace) -> int:
    from generator.release.fetch import FetchUsageError, fetch_published
    from generator.release.verify import VerifyUsageError

    try:
        source = _fetch_source(args)
        report = fetch_published(source, args.out, first_release=args.first_release, limits=_limits(args))
    except (_UsageError, FetchUsageError, VerifyUsageError) as error:
        print(f"gongkai：{error}", file=sys.stderr)
        return EXIT_USAGE
    print(report.to_text(), file=sys.stdout if report.ok else sys.stderr)
    return EXIT_OK if report.ok else EXIT_DATA


def run() -> None:
    """The ``gongkai`` command: ``main``, then the process ends at once. A build holds hundreds of
    thousands of records, which an orderly interpreter shutdown would free one by one for nothing
    (0.2-0.3 s at 20,000 decisions); everything the command writes is closed by then, and its
    helper processes joined, so only the output streams are flushed first."""
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed pipe: nothing more can be said
        pass
    os._exit(code)


if __name__ == "__main__":
    run()
