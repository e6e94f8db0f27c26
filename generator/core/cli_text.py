"""argparse in Chinese: every word ``gongkai --help`` and a usage error print.

argparse asks ``gettext`` for each of its own texts (``usage:``, ``options``, ``show this help message
and exit``, its error messages) through the module-level names ``_`` and ``ngettext``; ``install``
points them at the table below. A text argparse adds in a later Python and this table lacks stays
English rather than failing (tests/test_cli_text.py lists every text of the running Python).
"""

from __future__ import annotations

import argparse

#: argparse's own texts (Python 3.11–3.13) → Chinese. ``%``-placeholders are kept as argparse fills them.
TEXTS: dict[str, str] = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "show program's version number and exit": "显示版本号并退出",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的取值 %(value)r（可选：%(choices)s）",
    "invalid %(type)s value: %(value)r": "%(value)r 不是有效的%(type)s值",
    "expected one argument": "需要一个值",
    "expected at most one argument": "最多一个值",
    "expected at least one argument": "至少需要一个值",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "ignored explicit argument %r": "多余的值 %r",
    "one of the arguments %s is required": "参数 %s 中必须给出一个",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 有歧义，可能是：%(matches)s",
    "unexpected option string: %s": "意外的选项：%s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "未知命令 %(parser_name)r（可用命令：%(choices)s）",
    "can't open '%(filename)s': %(error)s": "无法打开“%(filename)s”：%(error)s",
    # Python 3.12+
    "invalid choice: %(value)r (choose from %(choices)s)\n": "无效的取值 %(value)r（可选：%(choices)s）\n",
    "ambiguous option: %(option)s could match %(matches)s\n": "选项 %(option)s 有歧义，可能是：%(matches)s\n",
}
#: ngettext texts: (singular, plural) → Chinese (Chinese has one form).
PLURALS: dict[tuple[str, str], str] = {
    ("expected %s argument", "expected %s arguments"): "需要 %s 个值",
}


def translate(text: str) -> str:
    return TEXTS.get(text, text)


def translate_plural(singular: str, plural: str, count: int) -> str:
    return PLURALS.get((singular, plural), singular if count == 1 else plural)


def install() -> None:
    """Make argparse speak Chinese in this process (idempotent)."""
    argparse._ = translate  # type: ignore[attr-defined]
    argparse.ngettext = translate_plural  # type: ignore[attr-defined]
