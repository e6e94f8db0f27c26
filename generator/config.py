"""Portal configuration: ``portal.yml`` at the top of a data tree.

Every option is typed and documented where it is declared. A data tree without ``portal.yml``
gets the defaults below.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import yaml

CONFIG_FILE = "portal.yml"

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
    #: Number of latest decisions listed on the home page.
    home_latest: int = 10
    #: Search documents per Pagefind shard (whole quarters per shard). Pagefind needs about 75 KB of
    #: memory per document while indexing, so 8,000 keeps one run well under 1 GB.
    search_shard_size: int = 8000
    #: Extra, unknown keys are kept for later stages (rule settings).
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def licence_info(self) -> dict[str, str]:
        return LICENCES[self.licence]


def load_config(data_dir: Path) -> PortalConfig:
    path = data_dir / CONFIG_FILE
    if not path.exists():
        return PortalConfig()
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}：文件不是 UTF-8 编码，请另存为 UTF-8。") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第 {mark.line + 1} 行" if mark is not None else ""
        raise ConfigError(f"{path}{where}：YAML 格式错误（{getattr(exc, 'problem', exc)}）。") from exc
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}：顶层应为“键: 值”形式的设置。")
    known = {f.name: f for f in fields(PortalConfig) if f.name != "extra"}
    values: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    for key, value in raw.items():
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
    config = PortalConfig(**values, extra=extra)
    if config.licence not in LICENCES:
        allowed = "、".join(LICENCES)
        raise ConfigError(f"{path}：设置项“licence”的值“{config.licence}”不受支持，应为以下之一：{allowed}。")
    return config
