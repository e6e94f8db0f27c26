"""Portal configuration: ``portal.yml`` at the top of a data tree.

Every option is typed and documented where it is declared. A data tree without ``portal.yml``
gets the defaults below.
"""

from __future__ import annotations

import re
import unicodedata
import urllib.parse
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import yaml

from generator.core.datatree import FileTooLarge, NotRegularFile, read_regular

CONFIG_FILE = "portal.yml"
#: portal.yml is read only up to this size.
CONFIG_MAX_BYTES = 1024 * 1024

LICENCES: dict[str, dict[str, str]] = {
    "CC-BY-4.0": {
        "name": "CC-BY-4.0",
        "title": "知识共享署名 4.0 国际许可协议",
        "path": "https://creativecommons.org/licenses/by/4.0/",
    },
    "CC0-1.0": {
        "name": "CC0-1.0",
        "title": "CC0 1.0 公有领域贡献声明",
        "path": "https://creativecommons.org/publicdomain/zero/1.0/",
    },
}


#: Settings that hold the site's public registration numbers (not checked as personal numbers).
REGISTRATION_NUMBERS = ("icp", "police_record", "site_code")


class ConfigError(ValueError):
    """A problem in ``portal.yml``; the message is Chinese and names the file and option."""


@dataclass(frozen=True)
class PortalConfig:
    #: Site title shown in the header and the browser tab.
    title: str = "“三重一大”决策公开平台"
    #: The region or body that runs the portal, e.g. 示例市.
    region: str = ""
    #: Who publishes the portal (shown in the footer and in dataset metadata).
    publisher: str = ""
    #: Demo portals mark every page 示例数据 so nobody mistakes them for real disclosures.
    demo: bool = False
    #: Licence of the published data: a key of ``LICENCES``.
    licence: str = "CC-BY-4.0"
    #: Public address of the site (for sitemap.xml); empty for a site served from any address.
    site_url: str = ""
    #: The portal's permanent identifier (lowercase letters, digits and "-"), set once: it keeps the
    #: ids of feed entries (``urn:gongkai:<portal_id>:<page>``) the same when ``site_url`` changes.
    portal_id: str = ""
    #: Number of latest decisions listed on the home page.
    home_latest: int = 10
    #: Search documents per Pagefind shard (whole quarters while they fit, a bigger quarter cut by
    #: date). Pagefind needs about 75 KB of memory per document while indexing; the browser's first
    #: search loads only the newest shard, whose metadata grows with it (about 9 KB per 1,000
    #: documents); and a rebuild indexes again only the shards whose documents changed, in a time
    #: that grows faster than the shard (measured: 2,960 documents 2.0 s, 5,920 documents 4.3 s).
    #: 2,000 (a quarter of 20,000 decisions in three shards of about 1,950) keeps a correction's
    #: re-indexing off the build's longest path (Pagefind 2.0 → 1.3 CPU-s; the build's wait for it
    #: at its end 1.0 → 0.1-0.7 s; a correction 6.3 → 5.5 s, mean of five and six alternating
    #: runs); a new quarter's shards are indexed at once (``search.OVERLAP_DOCUMENTS``). A search
    #: whose matches are few or old walks more shards, each loading its own WebAssembly and index.
    search_shard_size: int = 2000
    #: Bounds on what the data tree and a workbook may hold. Every input beyond one is refused with
    #: a Chinese message naming the file and the bound, so that ``validate`` (which runs on pull
    #: requests) and ``import`` stay within bounded memory and time on any input. Raise them here
    #: if a real disclosure needs more.
    #: Size of any one file in the data tree (a CSV or ``datapackage.json``), in MB.
    max_file_mb: int = 20
    #: Characters in one CSV cell.
    max_cell_chars: int = 10000
    #: Data rows in one CSV file.
    max_rows: int = 100000
    #: Decompressed size of a workbook given to ``gongkai import``, in MB (an XLSX is a zip file:
    #: a few MB on disk can unpack to gigabytes).
    max_workbook_mb: int = 50
    #: Extra, unknown keys are kept for later stages (rule settings).
    extra: dict[str, Any] = field(default_factory=dict)
    #: The site's identity, shown in every page's footer as Chinese government sites show it
    #: (each left empty is not shown). 主办单位: the body the site belongs to.
    sponsor: str = ""
    #: 承办单位: the office that runs the site.
    operator: str = ""
    #: 联系方式: a telephone number, address or e-mail for readers.
    contact: str = ""
    #: The e-mail address of the open data's contact point (the catalog's ``data.json`` needs one).
    email: str = ""
    #: ICP 备案号, e.g. 京ICP备12345678号: links to the MIIT record query (beian.miit.gov.cn).
    icp: str = ""
    #: 公安机关备案号, e.g. 京公网安备11010502000001号: links to the MPS record query (beian.mps.gov.cn).
    police_record: str = ""
    #: 网站标识码, the code the government-site registry gives, e.g. 1100000001.
    site_code: str = ""

    @property
    def licence_info(self) -> dict[str, str]:
        return LICENCES[self.licence]


def load_config(data_dir: Path) -> PortalConfig:
    path = data_dir / CONFIG_FILE
    try:  # a regular file, never a link or a FIFO, of at most 1 MB
        raw = read_regular(path, CONFIG_MAX_BYTES)
    except FileNotFoundError:
        return PortalConfig()
    except NotRegularFile as exc:
        raise ConfigError(f"{path}：是{exc.kind}，不是普通文件；数据目录中只能有普通文件和文件夹。") from None
    except FileTooLarge:
        raise ConfigError(f"{path}：文件超过 {CONFIG_MAX_BYTES // 1024} KB，不像是设置文件。") from None
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff")  # a BOM from Windows editors
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}：文件不是 UTF-8 编码，请另存为 UTF-8。") from exc
    for number, line in enumerate(text.split("\n"), start=1):
        bad = control_character(line.rstrip("\r").replace("\t", " "))
        if bad is not None:
            raise ConfigError(
                f"{path}第 {number} 行：含有不可见的控制字符（{bad}），可能是从其他文档复制时带入的；请删除后重新保存。"
            )
    try:
        parsed = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第 {mark.line + 1} 行" if mark is not None else ""
        raise ConfigError(f"{path}{where}：YAML 格式错误（{getattr(exc, 'problem', exc)}）。") from exc
    if not isinstance(parsed, dict):
        raise ConfigError(f"{path}：顶层应为“键: 值”形式的设置。")
    known = {f.name: f for f in fields(PortalConfig) if f.name != "extra"}
    values: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    for key, value in parsed.items():
        if key not in known:
            extra[key] = value
            continue
        default = known[key].default
        if isinstance(default, bool) and not isinstance(value, bool):
            raise ConfigError(f"{path}：设置项“{key}”应为 true 或 false，实为“{value}”。")
        if isinstance(default, int) and not isinstance(default, bool) and not isinstance(value, int):
            raise ConfigError(f"{path}：设置项“{key}”应为整数，实为“{value}”。")
        if isinstance(default, str) and not isinstance(value, str):
            raise ConfigError(f"{path}：设置项“{key}”应为文字，实为“{value}”。")
        values[key] = value
    for key, value in parsed.items():
        _check_text(path, str(key), value)
    config = PortalConfig(**values, extra=extra)
    if config.site_url:
        _check_site_url(path, config.site_url)
    if config.email and not re.fullmatch(r"[\w.+-]+@[\w-]+(\.[\w-]+)+", config.email):
        raise ConfigError(
            f"{path}：设置项“email”的值“{config.email}”不是电子邮件地址，例如 gongkai@example.gov.cn。"
        )
    if config.portal_id and not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,63}", config.portal_id):
        raise ConfigError(
            f"{path}：设置项“portal_id”的值“{config.portal_id}”不可用，应由小写字母、数字和“-”组成"
            "（以字母或数字开头，最多 64 个字符），例如 shili-shi。"
        )
    for bound in ("max_file_mb", "max_cell_chars", "max_rows", "max_workbook_mb", "search_shard_size"):
        if getattr(config, bound) < 1:
            raise ConfigError(f"{path}：设置项“{bound}”应为正整数，实为“{getattr(config, bound)}”。")
    if config.licence not in LICENCES:
        allowed = "、".join(LICENCES)
        raise ConfigError(f"{path}：设置项“licence”的值“{config.licence}”不受支持，应为以下之一：{allowed}。")
    return config


#: Unicode's control (Cc) and format (Cf) categories; of them, tabs, line breaks and the zero-width
#: joiner (inside emoji sequences) are allowed in text.
CONTROL_CATEGORIES = ("Cc", "Cf")
CONTROL_ALLOWED = "\t\n\r\u200d"


def control_character(text: str) -> str | None:
    """The first control character in ``text`` (NUL, escape, bidirectional overrides …) written as
    U+XXXX, or None. Tabs and line breaks are left to the caller."""
    for char in text:
        if char not in CONTROL_ALLOWED and unicodedata.category(char) in CONTROL_CATEGORIES:
            return f"U+{ord(char):04X}"
    return None


def _check_text(path: Path, key: str, value: Any) -> None:
    """Text in ``portal.yml`` is shown on every page: no control characters, not even line breaks
    in the single-line settings."""
    if isinstance(value, dict):
        for inner_key, inner in value.items():
            _check_text(path, f"{key}.{inner_key}", inner)
        return
    if isinstance(value, list):
        for index, inner in enumerate(value):
            _check_text(path, f"{key}[{index}]", inner)
        return
    if not isinstance(value, str):
        return
    bad = control_character(value)
    if bad is None and "." not in key and any(char in value for char in "\t\n\r"):
        bad = "换行符或制表符"
    if bad is not None:
        raise ConfigError(
            f"{path}：设置项“{key}”含有不可见的控制字符（{bad}），可能是从其他文档复制时带入的；请删除后重新输入。"
        )


def _check_site_url(path: Path, url: str) -> None:
    """``site_url`` goes into links, the sitemap and the catalog: an absolute http(s) address only."""
    parts = urllib.parse.urlsplit(url)
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or any(char in url for char in " \"'<>`\\{}|^&")
        or parts.query
        or parts.fragment
    ):
        raise ConfigError(
            f"{path}：设置项“site_url”的值“{url}”不是网站的公开网址，应为以 https:// 或 http:// 开头的完整网址，"
            f"例如 https://gongkai.example.gov.cn/。"
        )
