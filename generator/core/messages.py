"""How findings are worded: a catalog of Chinese titles and message templates.

Every finding type has an entry in ``MESSAGES``: a short title and a ``str.format`` template with
named placeholders (``{where}`` is always the file, row and column, e.g.
``data/fgw/2025Q1/decisions.csv 第 7 行“会议编号（meeting_id）”``). A key may carry a variant after
a colon (``constraint-error:enum``); the finding's ``type`` is the part before the colon, so the
type slugs stay the Frictionless ones while each variant gets its own sentence.

Each template declares its placeholders (``Message.placeholders``, less ``optional``); ``Place``
names a file and makes its findings. Turning Frictionless's errors into findings is validation's
job: ``generator.validate.explain``.
"""

from __future__ import annotations

import os
import string
from dataclasses import dataclass
from typing import Any

from generator.core.findings import Finding
from generator.core.schema import field_info, resource_spec, table_schema


@dataclass(frozen=True)
class Message:
    """A catalog entry: a Chinese title and a message template whose placeholders are declared by
    the template itself; ``optional`` names those a finding may leave out (shown as nothing)."""

    title: str
    template: str
    optional: frozenset[str] = frozenset()

    @property
    def placeholders(self) -> frozenset[str]:
        return placeholders(self.template)

    @property
    def required(self) -> frozenset[str]:
        return self.placeholders - self.optional


def placeholders(template: str) -> frozenset[str]:
    """The names a ``str.format`` template asks for."""
    return frozenset(name for _, name, _, _ in string.Formatter().parse(template) if name)


class MissingPlaceholder(KeyError):
    """A finding did not give a placeholder its message needs (raised under ``STRICT_ENV`` only)."""


#: Set (as the test suite does) to make a finding that leaves out a required placeholder raise,
#: instead of showing the message with a gap.
STRICT_ENV = "GONGKAI_STRICT_MESSAGES"


_HEADER_TAIL = "修正表头后才会校验该表的数据行。"
_SAVE_AS_UTF8 = (
    "请另存为“UTF-8（无 BOM）”编码的 CSV：例如用记事本打开后“另存为”，编码选“UTF-8”"
    "（不要选“带有 BOM 的 UTF-8”），或在 WPS 表格中另存为 CSV 时选择 UTF-8 编码。"
)

MESSAGES: dict[str, Message] = {
    # --- Files -------------------------------------------------------------------------------
    "missing-file": Message("缺少文件", "{where}：文件不存在。{hint}"),
    "missing-file:not-a-file": Message("缺少文件", "{where}：应为文件，实为文件夹。{hint}"),
    "io-error": Message("无法读取文件", "{where}：无法读取文件（{detail}）。"),
    "empty-file": Message("文件为空", "{where}：文件为空，至少应包含表头行。{hint}"),
    "encoding-bom": Message(
        "文件带 BOM",
        "{where}：文件以 UTF-8 BOM 开头（Excel“CSV UTF-8”格式会加上它），其他程序读取时表头会出错。"
        + _SAVE_AS_UTF8,
    ),
    "encoding-gbk": Message(
        "文件是 GBK/GB18030 编码",
        "{where}：文件不是 UTF-8 编码，看起来是 GBK/GB18030 编码（Excel 或 WPS 保存的 CSV 常见此情况）。"
        "这是第一处无法按 UTF-8 读取的行，按 GB18030 读出的内容为“{line}”。" + _SAVE_AS_UTF8,
    ),
    "encoding-error": Message(
        "文件编码错误",
        "{where}：文件不是 UTF-8 编码，也无法按 GBK/GB18030 读取（{detail}）。" + _SAVE_AS_UTF8,
    ),
    "encoding-error:utf16": Message(
        "文件是 UTF-16 编码",
        "{where}：文件是 UTF-16 编码（Excel“Unicode 文本”格式），不是逗号分隔的 UTF-8 CSV。" + _SAVE_AS_UTF8,
    ),
    "encoding-error:nul": Message(
        "文件含有空字符",
        "{where}：文件中含有空字符（NUL），可能不是文本文件，或是 UTF-16 等其他编码。" + _SAVE_AS_UTF8,
    ),
    "special-file": Message(
        "不允许的文件类型",
        "{where}：是{kind}，不是普通文件或文件夹。数据目录中只能有普通文件和文件夹：链接所指向的内容"
        "可能在数据目录之外，命名管道、设备等不是数据。请删除它；如需要其中的数据，请把文件本身复制到这里。",
    ),
    "file-too-large": Message(
        "文件过大",
        "{where}：文件大小为 {size}，超过上限 {limit} MB，未读取。请检查文件是否有误（例如重复粘贴）；"
        "如确需公开这么大的文件，可在 portal.yml 中调高上限，例如 max_file_mb: {limit}0。",
    ),
    "too-many-rows": Message(
        "行数过多",
        "{where}：数据行超过上限 {limit} 行（第 {first_row} 行起未读取），未校验该表。请检查文件是否有误；"
        "如确需公开这么多行，可在 portal.yml 中调高上限，例如 max_rows: {limit}0。",
    ),
    "cell-too-long": Message(
        "单元格过长",
        "{where}：单元格有 {length} 个字符，超过上限 {limit} 个。请检查是否有英文双引号没有闭合，"
        "或把长文改为摘要；如确需公开这么长的内容，可在 portal.yml 中调高上限，例如 max_cell_chars: {limit}0。"
        "修正后才会校验该表的数据行。",
    ),
    "control-character": Message(
        "含有控制字符",
        "{where}：第 {position} 个字符是不可见的控制字符（{char}），可能是从其他文档复制时带入的，"
        "会在网页和下载文件中造成错乱；请删除后重新保存（单元格内的换行和制表符可以保留）。"
        "修正后才会校验该表的数据行。",
    ),
    "control-character:descriptor": Message(
        "含有控制字符",
        "{where}：“{name}”的第 {position} 个字符是不可见的控制字符（{char}），可能是从其他文档复制时带入的；"
        "请删除后重新保存。",
    ),
    "csv-syntax": Message(
        "CSV 格式错误",
        "{where}：CSV 格式错误，{detail}。含逗号、英文双引号或换行的单元格应整体用英文双引号括起，"
        '单元格内的英文双引号要写成两个（""）。修正后才会校验该表的数据行。',
    ),
    # --- Header (row 1) ------------------------------------------------------------------------
    "missing-label": Message(
        "缺少列", "{where}：表头缺少列“{label}”。表头应依次为：{header}。" + _HEADER_TAIL
    ),
    "missing-label:many": Message(
        "缺少列", "{where}：表头缺少 {count} 列：{labels}。表头应依次为：{header}。" + _HEADER_TAIL
    ),
    "extra-label": Message(
        "多余的列", "{where}：第 {col} 列“{value}”不是“{table_title}”的字段，请删除该列。" + _HEADER_TAIL
    ),
    "incorrect-label": Message(
        "列名错误",
        "{where}：第 {col} 列的列名为“{value}”，应为“{name}”（{field_title}）。{hint}" + _HEADER_TAIL,
        optional=frozenset({"hint"}),  # a hint only when the label looks like a known mistake
    ),
    "duplicate-label": Message(
        "列名重复", "{where}：列名“{value}”出现了两次（第 {other_col} 列和第 {col} 列）。" + _HEADER_TAIL
    ),
    "blank-label": Message("列名为空", "{where}：第 {col} 列的列名为空。" + _HEADER_TAIL),
    "label-order": Message(
        "列的顺序不对", "{where}：各列齐全，但顺序与标准表结构不同，应依次为：{header}。" + _HEADER_TAIL
    ),
    "blank-header": Message("表头为空", "{where}：表头行为空。表头应依次为：{header}。" + _HEADER_TAIL),
    "unmatched-header": Message(
        "表头不匹配", "{where}：表头中没有任何标准字段。表头应依次为：{header}。" + _HEADER_TAIL
    ),
    # --- Rows and cells ----------------------------------------------------------------------
    "type-error": Message("类型错误", "{where}：值“{value}”不是有效的{type_name}{hint}。"),
    "type-error:boolean": Message("类型错误", "{where}：值“{value}”无效，只能填“是”或“否”。"),
    "constraint-error": Message(
        "不符合约束", "{where}：值“{value}”不满足约束条件“{constraint}”（{limit}）。"
    ),
    "constraint-error:required": Message("必填项为空", "{where}：必填，不能为空。"),
    "constraint-error:enum": Message(
        "取值不在允许范围内", "{where}：值“{value}”不在允许的取值中，应为以下之一：{allowed}。"
    ),
    "constraint-error:pattern": Message("格式不正确", "{where}：值“{value}”格式不正确，{rule}。"),
    "constraint-error:minimum": Message("小于最小值", "{where}：值“{value}”小于允许的最小值 {limit}。"),
    "constraint-error:maximum": Message("大于最大值", "{where}：值“{value}”大于允许的最大值 {limit}。"),
    "constraint-error:exclusiveMinimum": Message("过小", "{where}：值“{value}”应大于 {limit}。"),
    "constraint-error:exclusiveMaximum": Message("过大", "{where}：值“{value}”应小于 {limit}。"),
    "constraint-error:minLength": Message("内容过短", "{where}：值“{value}”过短，至少应有 {limit} 个字。"),
    "constraint-error:maxLength": Message("内容过长", "{where}：值“{value}”过长，最多 {limit} 个字。"),
    "unique-error": Message("值重复", "{where}：值“{value}”与第 {other_row} 行重复，该列的值不能重复。"),
    "primary-key": Message("编号重复", "{where}：编号“{value}”与第 {other_row} 行重复，编号在表内必须唯一。"),
    "primary-key:composite": Message(
        "组合编号重复", "{where}：{labels}的组合“{value}”与第 {other_row} 行重复，这一组合在表内必须唯一。"
    ),
    "primary-key:blank": Message("编号为空", "{where}：{labels}为空，无法识别这一行。"),
    "foreign-key": Message(
        "引用的编号不存在", "{where}：值“{value}”在 {ref_file} 的“{ref_title}”中不存在。{hint}"
    ),
    "missing-cell": Message(
        "缺少单元格",
        "{where}：这一行只有 {cells} 个单元格，比表头少 {missing} 个（从“{label}”起缺失）。"
        "请检查是否少了逗号，或单元格中的英文双引号没有成对出现。",
    ),
    "extra-cell": Message(
        "多余的单元格",
        "{where}：这一行有 {cells} 个单元格，比表头多 {extra} 个（多出的值为“{value}”）。"
        "含逗号的单元格应整体用英文双引号括起。",
    ),
    "blank-row": Message("空行", "{where}：是空行，请删除这一行。"),
    # --- datapackage.json ----------------------------------------------------------------------
    "json-error": Message("JSON 格式错误", "{where}：第 {line} 行第 {col} 列 JSON 格式错误：{detail}。"),
    "json-error:encoding": Message("JSON 编码错误", "{where}：文件不是 UTF-8（无 BOM）编码，无法读取。"),
    "descriptor": Message("描述文件有误", "{where}：{detail}"),
    "schema-changed": Message(
        "表结构被修改",
        "{where}：“{resource_title}”（{resource}）的表结构（schema）被修改，与标准表结构不一致：{diff}。"
        "校验始终按标准表结构进行；请不要手工修改 datapackage.json 中的表结构，应使用标准描述文件。",
    ),
    "later-columns": Message(
        "表头与表结构不一致",
        "{where}：“{resource_title}”（{resource}）：{detail}。两者应一致，否则下载的数据包无法通过校验："
        "建议在表头末尾加上这些列，并使用标准描述文件（gongkai template 或 gongkai new-quarter 生成的 datapackage.json）。",
    ),
    # --- The tree and rules across files --------------------------------------------------------
    "unregistered-unit": Message(
        "未登记的单位",
        "{where}：目录“{value}”不是已登记的单位，units.csv 中没有单位编号（unit_id）为“{value}”的行。"
        "请在 units.csv 中登记该单位，或删除、改名该目录。",
    ),
    "unit-dir": Message(
        "单位目录名错误",
        "{where}：单位目录名应为单位编号（英文字母、数字、连字符“-”和下划线“_”，以字母或数字开头，"
        "最长 64 个字符），实为“{value}”。请改名或删除该目录。",
    ),
    "period-dir": Message(
        "季度目录名错误", "{where}：季度目录名应为“年份Q季度”的形式，例如 2025Q1，实为“{value}”。"
    ),
    "id-reused": Message(
        "编号被重复使用",
        "{where}：编号“{value}”已在 {other_file} 第 {other_row} 行使用过；"
        "同一单位的{id_title}在不同季度之间不能重复使用。",
    ),
    "date-out-of-period": Message(
        "日期不在本季度内",
        "{where}：日期“{value}”不在本数据包所属的{period_label}（{start} 至 {end}）内。",
    ),
    "withheld-basis:missing": Message(
        "缺少不予公开依据",
        "{where}：本行“依法不予公开”为“是”，必须填写不予公开所依据的法律法规条款，"
        "例如《中华人民共和国保守国家秘密法》第十三条、《中华人民共和国政府信息公开条例》第十四条。",
    ),
    "withheld-basis:unused": Message(
        "不予公开依据多余",
        "{where}：未填“是”，但本行填写了“不予公开依据”。该行依法不予公开的，应填“是”；"
        "应当公开的，请清空“不予公开依据”。",
    ),
    "withheld-hearing": Message(
        "关联事项依法不予公开",
        "{where}：关联的决策事项“{value}”依法不予公开，本听证、论证或质询记录也应标为依法不予公开"
        "（“依法不予公开”填“是”并填写依据），否则其议题和结果会透露该事项的内容。",
    ),
    "principal-count:none": Message(
        "没有主要负责人",
        "{where}：没有“是否主要负责人（is_principal）”为“是”的成员；每个班子应有且只有一名主要负责人。",
    ),
    "principal-count:many": Message(
        "主要负责人不止一名",
        "{where}：值为“是”，但本表共有 {count} 名主要负责人（第 {rows} 行）；每个班子应有且只有一名主要负责人。",
    ),
    # --- 执行进展 (progress on earlier quarters' decisions) -----------------------------------------
    "progress:unknown": Message(
        "执行进展对应的事项不存在",
        "{where}：本单位以往季度没有编号为“{value}”的决策事项；执行进展只报告以往季度已公开的事项，请核对事项编号。",
    ),
    "progress:not-earlier": Message(
        "执行进展对应的是本季度或以后的事项",
        "{where}：决策事项“{value}”在 {period} 公开；本季度事项的执行情况填在“决策事项”的执行状态和执行说明中，"
        "执行进展只报告以往季度的事项。",
    ),
    "progress:withheld-note": Message(
        "依法不予公开的事项不填进展说明",
        "{where}：决策事项“{value}”依法不予公开，执行进展只公开执行状态；请删除进展说明。",
    ),
    # --- Records already published (the previous release) -----------------------------------------
    "published-edit": Message(
        "已公开的记录被修改",
        "{where}：已公开的{table_title}“{record}”（{label}）被修改：上次发布为“{old}”，现为“{value}”。"
        "已公开的记录不能直接修改。如确需更正，请在 {fix_file} 中添加一行更正记录：table 填 {table}，"
        "record_id 填 {record}，field 填 {field}，old_value 填“{old}”，new_value 填“{value}”，"
        "并写明更正理由（reason）和更正日期（corrected_on）；否则请恢复原值。"
        "用 Excel 工作簿填报的，在该季度工作簿的“更正记录”工作表中添加一行：所在表选“{table_title}”，"
        "记录编号填 {record}，更正字段选“{field_title}”，填写原值、新值、更正理由和更正日期，"
        "再用 gongkai import … --replace 重新导入。",
        optional=frozenset({"field_title"}),
    ),
    "published-removal": Message(
        "已公开的记录被删除",
        "{where}：已公开的{table_title}“{record}”（{label}）在本次数据中不存在。已公开的记录不能直接删除。"
        "如确需撤回，请在 {fix_file} 中添加一行撤回记录：table 填 {table}，record_id 填 {record}，"
        "label 填“{label}”，并写明撤回理由（reason）和撤回日期（withdrawn_on）；否则请恢复这一行。"
        "用 Excel 工作簿填报的，在该季度工作簿的“撤回记录”工作表中添加一行（所在表选“{table_title}”），"
        "再用 gongkai import … --replace 重新导入。",
    ),
    "published-package-removed": Message(
        "已公开的数据包被删除",
        "{where}：{period_label}的数据包已经公开，但数据目录中已没有这个目录。已公开的数据包不能删除；"
        "请恢复该目录。如需撤回其中的记录，删除要撤回的行，并在该目录的 withdrawals.csv 中逐条登记撤回理由。",
    ),
    "published-entry-removed": Message(
        "已公开的更正或撤回记录被改动",
        "{where}：上次发布的{table_title}中的“{value}”在本次数据中不存在或被修改。"
        "更正记录和撤回记录一经公开，只能增加，不能修改或删除；请恢复这一行。",
    ),
    "correction-mismatch:old": Message(
        "更正记录的原值与已公开的不符",
        "{where}：更正记录写明{table_title}“{record}”的“{field_label}”原值为“{value}”，"
        "但上次发布的值为“{published}”。原值（old_value）应填已公开的值。",
    ),
    "correction-mismatch:new": Message(
        "更正记录的新值与数据不符",
        "{where}：更正记录写明{table_title}“{record}”的“{field_label}”新值为“{value}”，"
        "但 {data_file} 中的值为“{current}”。新值（new_value）应与本次数据一致。",
    ),
    "correction-mismatch:unpublished": Message(
        "更正的记录尚未公开",
        "{where}：{table_title}“{value}”在上次发布中还没有公开，不需要更正记录；请直接修改数据并删除这一行。",
    ),
    "correction-target:record": Message(
        "更正的记录不存在",
        "{where}：{data_file} 中没有编号为“{value}”的记录。请核对所在表（table）和记录编号（record_id）；"
        "已撤回的记录不能再更正。",
    ),
    "correction-target:field": Message(
        "更正的字段不存在",
        "{where}：“{value}”不是{table_title}（{table}）的字段，应为以下之一：{allowed}。",
    ),
    "correction-target:key": Message(
        "编号不能更正",
        "{where}：“{value}”是{table_title}的编号字段，编号不能更正；请撤回原记录，再以新编号公开。",
    ),
    "withdrawal-target:present": Message(
        "撤回的记录仍在数据中",
        "{where}：{data_file} 第 {other_row} 行仍是编号为“{value}”的记录。撤回的记录要从数据中删除。",
    ),
    "withdrawal-target:unpublished": Message(
        "撤回的记录尚未公开",
        "{where}：上次发布的{table_title}中没有编号为“{value}”的记录，不需要撤回记录；请删除这一行。",
    ),
    "config": Message("设置错误", "{detail}"),
    "internal-error": Message(
        "内部错误",
        "{where}：校验时发生意外错误（{detail}）。这通常说明文件内容异常，请检查该文件；"
        "如仍无法解决，请把这条信息发给平台维护人员。",
    ),
    # --- Any other Frictionless error -------------------------------------------------------------
    "frictionless": Message("数据错误", "{where}：{kind_title}。原始信息（英文）：{note}"),
}

#: Chinese titles of every Frictionless error type that has no sentence of its own above.


def finding_type(key: str) -> str:
    """The type slug of a catalog key: ``constraint-error:enum`` → ``constraint-error``."""
    return key.split(":", 1)[0]


class _Params(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return ""


def fill(name: str, template: str, params: dict[str, Any], optional: frozenset[str] = frozenset()) -> str:
    """``template`` filled with ``params`` (every message a reader sees, findings and rule outcomes
    alike): a placeholder left out, unless ``optional``, raises ``MissingPlaceholder`` under
    ``STRICT_ENV`` (the test suite), else shows as nothing."""
    missing = placeholders(template) - optional - params.keys()
    if missing and os.environ.get(STRICT_ENV):
        raise MissingPlaceholder(f"{name}: {', '.join(sorted(missing))}")
    return template.format_map(_Params(params))


def render(key: str, **params: Any) -> tuple[str, str]:
    """The (title, message) of a catalog entry filled with ``params`` (``fill``)."""
    entry = MESSAGES.get(key) or MESSAGES[finding_type(key)]
    title = params.get("kind_title") or entry.title
    return title, fill(key, entry.template, params, entry.optional)


@dataclass(frozen=True)
class Place:
    """A file being checked: how findings name it and which table it holds."""

    #: Path relative to the data directory (posix), stored in ``Finding.file``.
    file: str
    #: The path as shown in messages, e.g. ``data/fgw/2025Q1/decisions.csv``.
    display: str
    #: The table (schema name) the file holds, if any.
    table: str | None = None

    def label(self, column: str) -> str:
        """How a column is named: 会议编号（meeting_id）."""
        info = field_info(self.table, column) if self.table else None
        return info.label if info else column

    def where(self, row: int | None = None, column: str | None = None) -> str:
        text = self.display
        if row is not None:
            text += f" 第 {row} 行"
        if column:
            text += f"“{self.label(column)}”"
        return text

    def finding(
        self,
        key: str,
        *,
        row: int | None = None,
        column: str | None = None,
        value: str | None = None,
        expected: str | None = None,
        where: str | None = None,
        **params: Any,
    ) -> Finding:
        info = field_info(self.table, column) if self.table and column else None
        title, message = render(
            key,
            where=where if where is not None else self.where(row, column),
            value=value if value is not None else "",
            **params,
        )
        return Finding(
            type=finding_type(key),
            title=title,
            message=message,
            file=self.file,
            row=row,
            column=column,
            column_title=info.title if info else None,
            value=value,
            expected=expected,
        )


def primary_key(table: str | None) -> list[str]:
    if not table:
        return []
    key = table_schema(table).get("primaryKey", [])
    return [key] if isinstance(key, str) else list(key)


def table_title(table: str | None) -> str:
    if not table:
        return ""
    try:
        return str(resource_spec(table).get("title", table))
    except OSError:
        return table


def expected_header(table: str | None) -> str:
    return ",".join(f["name"] for f in table_schema(table)["fields"]) if table else ""
