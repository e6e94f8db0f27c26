"""``gongkai template UNIT``: an Excel workbook to fill in, generated from the Table Schemas.

Sheets: 说明 (how to fill it in, ID rules, date format, every sheet and column), then one sheet
per table named by the table's Chinese title. Row 1 of a table sheet has the Chinese column
titles; row 2, hidden, the field names (so ``gongkai import`` knows each column even if the clerk
reorders them); data starts on row 3. Enum and 是/否 columns get drop-down lists, date columns
date formatting and a date check, ID and text columns text formatting (so ``001`` stays ``001``).
A hidden sheet ``_gongkai`` records the unit and the quarter the lists were taken from.

The unit's current members, power list (with steps) and negative list from its latest quarter are
filled in; meetings, decisions, stances and hearings are left empty.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from generator.core.schema import ALL_RESOURCES, OPTIONAL_RESOURCES, resource_spec, table_schema
from generator.core.spreadsheet import runs_as_formula
from generator.intake import (
    CARRIED_OVER,
    PublishError,
    previous_period,
    read_table,
    unit_record,
)

INSTRUCTIONS_SHEET = "说明"
META_SHEET = "_gongkai"
LISTS_SHEET = "_lists"
#: Row of the Chinese titles, of the (hidden) field names, and the first data row.
TITLE_ROW, NAME_ROW, FIRST_DATA_ROW = 1, 2, 3
#: Drop-down lists and formats reach this row.
LAST_ROW = 5000
TEMPLATE_VERSION = "1"
DATE_FORMAT = "yyyy-mm-dd"

_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="9E1B1B")
_REQUIRED_FILL = PatternFill("solid", fgColor="7A1414")
_TITLE_FONT = Font(bold=True, size=14)
_BOLD = Font(bold=True)
_WRAP = Alignment(wrap_text=True, vertical="top")

TYPE_LABELS = {
    "string": "文字",
    "integer": "整数",
    "number": "数字",
    "boolean": "是/否",
    "date": "日期",
}


def sheet_name(table: str) -> str:
    """The worksheet of a table: its Chinese title, e.g. 决策事项."""
    return str(resource_spec(table)["title"])[:31]


def write_template(data_dir: Path, unit_id: str, out: Path) -> str:
    """Write the workbook for ``unit_id`` to ``out``; returns a Chinese one-line summary."""
    unit = unit_record(data_dir, unit_id)
    source = previous_period(data_dir, unit_id)
    prefill: dict[str, list[dict[str, str]]] = {}
    if source is not None:
        package_dir = data_dir / unit_id / str(source)
        prefill = {table: read_table(package_dir, table) for table in CARRIED_OVER}

    workbook = Workbook()
    instructions = workbook.active
    assert instructions is not None
    instructions.title = INSTRUCTIONS_SHEET
    _write_instructions(instructions, unit_id, unit.get("name", unit_id), source, prefill)
    for table in ALL_RESOURCES:
        _write_table_sheet(workbook.create_sheet(sheet_name(table)), table, prefill.get(table, []))
    from generator.intake.choices import all_field_titles

    # The long drop-down lists, on a hidden sheet (Excel caps a list written inline at 255 characters).
    lists = workbook.create_sheet(LISTS_SHEET)
    for number, title in enumerate(all_field_titles(), start=1):
        lists.cell(row=number, column=1, value=title)
    lists.sheet_state = "hidden"
    meta = workbook.create_sheet(META_SHEET)
    for row in (
        ("unit_id", unit_id),
        ("template_version", TEMPLATE_VERSION),
        ("source_period", str(source) if source else ""),
    ):
        meta.append(row)
    meta.sheet_state = "hidden"
    workbook.active = 0
    _texts_as_strings(workbook)

    out = Path(out)
    if out.suffix.lower() != ".xlsx":
        raise PublishError(f"输出文件“{out}”应以 .xlsx 结尾。")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        workbook.save(out)
    except OSError as error:
        raise PublishError(
            f"无法写入“{out}”（{error.strerror or error}）。如文件已在 Excel 中打开，请先关闭。"
        ) from None
    counts = "、".join(f"{sheet_name(t)} {len(prefill.get(t, []))} 行" for t in CARRIED_OVER)
    basis = f"已按 {source} 数据预填：{counts}" if source else "该单位尚无已公开的季度，各表均为空"
    return f"已生成填报模板 {out}（{unit.get('name', unit_id)}）；{basis}。"


def _texts_as_strings(workbook: Workbook) -> None:
    """Every text cell a string, never a formula: openpyxl takes a text beginning with ``=`` as a
    formula, and a unit's name, a member's position or a power item can begin with one. A text a
    spreadsheet could run (``generator.core.spreadsheet``) also gets Excel's quote prefix, so that the
    clerk editing the cell does not turn it into a formula either."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = "s"
                    if runs_as_formula(cell.value):
                        cell.quotePrefix = True


def _write_instructions(
    sheet: Worksheet,
    unit_id: str,
    unit_name: str,
    source: Any,
    prefill: dict[str, list[dict[str, str]]],
) -> None:
    sheet.column_dimensions["A"].width = 18
    sheet.column_dimensions["B"].width = 16
    sheet.column_dimensions["C"].width = 8
    sheet.column_dimensions["D"].width = 10
    sheet.column_dimensions["E"].width = 40
    sheet.column_dimensions["F"].width = 60
    sheet["A1"] = f"{unit_name}“三重一大”季度公开数据填报模板"
    sheet["A1"].font = _TITLE_FONT
    basis = (
        f"班子成员、权力清单、权力运行流程和负面清单已按 {source} 公开的数据预填，如有变化请直接修改。"
        if source
        else "该单位尚无已公开的季度数据，所有工作表均为空。"
    )
    lines = [
        f"单位：{unit_name}（单位编号 {unit_id}）。{basis}",
        "",
        "一、填报步骤",
        "1. 逐个工作表填写本季度的数据：每行一条记录，第 1 行是列名，不要修改、删除或移动列名行；"
        "第 2 行为隐藏的字段名行，请勿删除。",
        "2. 带下拉箭头的列只能从下拉列表中选择；“是/否”列只填“是”或“否”。主持人、牵头班子成员和逐位表态的成员"
        "从下拉列表中选择“班子成员”工作表中的姓名（同名时填成员编号）；更正记录、撤回记录的“所在表”和“更正字段”"
        "选择中文名称，例如 决策事项、事项名称。导入时会换成相应的编号。",
        "3. 会议、决策事项、逐位表态、听证/论证四个工作表为空，请按本季度实际情况填写；没有的可以留空。",
        "4. 填好后保存为 .xlsx 文件，交给平台管理员，或运行：gongkai import 本文件.xlsx --unit "
        f"{unit_id} --quarter 2025Q3（季度按实际填写）。导入时会逐项校验，错误会指出工作表、行号和列名。",
        "",
        "二、编号规则",
        "会议编号、事项编号、听证/论证编号、成员编号、清单条目编号只能由英文字母、数字、连字符“-”和下划线“_”组成，"
        "以字母或数字开头，最长 64 个字符，例如 hy2025-009、jc2025-0045、ql001。",
        "编号一经公开永不改变、永不重复使用：成员和清单条目跨季度沿用原编号；会议、决策事项和听证/论证每季度使用新的编号。",
        "决策事项的“会议编号”、逐位表态的“事项编号”和“成员编号”等必须是其他工作表中已有的编号。",
        "",
        "三、日期、数字和是/否",
        "日期填写为 2025-07-15 的形式（Excel 日期格式即可）；会议日期和听证日期须在所填报的季度内。",
        "金额、人数等只填数字，不带单位、不加千分位逗号，例如 1250000。金额单位为元。",
        "“是/否”列只填“是”或“否”。",
        "",
        "四、个人信息",
        "不得填写身份证号码、手机号码、银行卡号等个人信息；确需提及的，只保留首尾几位并用 * 代替其余数字，"
        "例如 3201**********1234、138****5678。含有个人信息的数据无法发布。",
        "",
        "五、各工作表",
    ]
    row = 2
    for line in lines:
        sheet.cell(row=row, column=1, value=line)
        if line.startswith(("一、", "二、", "三、", "四、", "五、")):
            sheet.cell(row=row, column=1).font = _BOLD
        row += 1
    for table in ALL_RESOURCES:
        spec = resource_spec(table)
        state = (
            f"已预填 {len(prefill.get(table, []))} 行"
            if table in CARRIED_OVER and prefill
            else "可选：只在更正或撤回已公开的记录时填写"
            if table in OPTIONAL_RESOURCES
            else "空表，请填写"
        )
        sheet.cell(row=row, column=1, value=sheet_name(table)).font = _BOLD
        sheet.cell(row=row, column=2, value=state)
        sheet.cell(row=row, column=5, value=spec.get("description", ""))
        row += 1
    row += 1
    sheet.cell(row=row, column=1, value="六、各列说明").font = _BOLD
    row += 1
    for column, heading in enumerate(("工作表", "列名", "必填", "类型", "允许的取值", "说明"), start=1):
        sheet.cell(row=row, column=column, value=heading).font = _BOLD
    row += 1
    for table in ALL_RESOURCES:
        for spec in table_schema(table)["fields"]:
            constraints = spec.get("constraints", {})
            allowed = "、".join(constraints.get("enum", []))
            if spec.get("type") == "boolean":
                allowed = "是、否"
            values = (
                sheet_name(table),
                spec.get("title", spec["name"]),
                "是" if constraints.get("required") else "",
                TYPE_LABELS.get(spec.get("type", "string"), spec.get("type", "")),
                allowed,
                spec.get("description", ""),
            )
            for column, value in enumerate(values, start=1):
                cell = sheet.cell(row=row, column=column, value=value)
                cell.alignment = _WRAP
            row += 1


def _write_table_sheet(sheet: Worksheet, table: str, rows: list[dict[str, str]]) -> None:
    fields = table_schema(table)["fields"]
    for column, spec in enumerate(fields, start=1):
        letter = get_column_letter(column)
        constraints = spec.get("constraints", {})
        required = bool(constraints.get("required"))
        kind = spec.get("type", "string")
        title = sheet.cell(row=TITLE_ROW, column=column, value=spec.get("title", spec["name"]))
        title.font = _HEADER_FONT
        title.fill = _REQUIRED_FILL if required else _HEADER_FILL
        title.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        note = spec.get("description", "")
        if required:
            note = f"（必填）{note}"
        title.comment = Comment(note, "gongkai", width=300, height=120)
        sheet.cell(row=NAME_ROW, column=column, value=spec["name"])
        width = max(10, min(40, 2 * len(spec.get("title", "")) + 4))
        if kind == "string" and not constraints.get("enum") and "pattern" not in constraints:
            width = 30
        dimension = sheet.column_dimensions[letter]
        dimension.width = width
        if kind == "date":
            dimension.number_format = DATE_FORMAT
        elif kind == "string":
            dimension.number_format = "@"
        _add_validation(sheet, letter, spec, table)
        for offset, row in enumerate(rows):
            cell = sheet.cell(
                row=FIRST_DATA_ROW + offset, column=column, value=typed(row.get(spec["name"], ""), kind)
            )
            if kind == "date":
                cell.number_format = DATE_FORMAT
            elif kind == "string":
                cell.number_format = "@"
    sheet.row_dimensions[NAME_ROW].hidden = True
    sheet.row_dimensions[TITLE_ROW].height = 30
    sheet.freeze_panes = sheet.cell(row=FIRST_DATA_ROW, column=1)


def _add_validation(sheet: Worksheet, letter: str, spec: dict[str, Any], table: str) -> None:
    from generator.intake.choices import (
        FIELD_COLUMNS,
        MEMBER_COLUMNS,
        TABLE_COLUMNS,
        all_field_titles,
        table_titles,
    )

    constraints = spec.get("constraints", {})
    kind = spec.get("type", "string")
    title = spec.get("title", spec["name"])
    area = f"{letter}{FIRST_DATA_ROW}:{letter}{LAST_ROW}"
    choices: list[str] = list(constraints.get("enum", []))
    if kind == "boolean":
        choices = ["是", "否"]
    if (table, spec["name"]) in TABLE_COLUMNS:
        choices = list(table_titles())  # the tables by their Chinese titles; import maps them back
    validation: DataValidation | None = None
    if (table, spec["name"]) in MEMBER_COLUMNS:
        members = sheet_name("members")
        column = get_column_letter([f["name"] for f in table_schema("members")["fields"]].index("name") + 1)
        validation = DataValidation(
            type="list",
            formula1=f"'{members}'!${column}${FIRST_DATA_ROW}:${column}${LAST_ROW}",
            allow_blank=True,
        )
        validation.error = f"“{title}”请从下拉列表中选择“{members}”工作表中的姓名（也可填成员编号）。"
        validation.prompt = f"从“{members}”工作表的姓名中选择"
        validation.showErrorMessage = False  # a member_id typed as it is is also accepted
    elif (table, spec["name"]) in {(t, c) for t, c, _ in FIELD_COLUMNS}:
        titles = all_field_titles()
        validation = DataValidation(
            type="list", formula1=f"{LISTS_SHEET}!$A$1:$A${len(titles)}", allow_blank=True
        )
        validation.error = f"“{title}”请从下拉列表中选择被更正的列名，例如 事项名称。"
        validation.prompt = "选择被更正的列名（与“所在表”一致），例如 事项名称"
    elif choices:
        validation = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True)
        validation.error = f"“{title}”只能从下拉列表中选择：{'、'.join(choices)}。"
        validation.prompt = f"请从下拉列表中选择：{'、'.join(choices)}"
    elif kind == "date":
        validation = DataValidation(
            type="date",
            operator="between",
            formula1="DATE(2000,1,1)",
            formula2="DATE(2100,12,31)",
            allow_blank=True,
        )
        validation.error = f"“{title}”应为日期，例如 2025-07-15。"
        validation.prompt = "日期，例如 2025-07-15"
    elif kind in ("integer", "number") and "minimum" in constraints:
        validation = DataValidation(
            type="whole" if kind == "integer" else "decimal",
            operator="greaterThanOrEqual",
            formula1=str(constraints["minimum"]),
            allow_blank=True,
        )
        unit = "整数" if kind == "integer" else "数字"
        validation.error = f"“{title}”应为不小于 {constraints['minimum']} 的{unit}，不带单位。"
    if validation is None:
        return
    validation.errorTitle = "输入值无效"
    validation.promptTitle = title
    validation.showErrorMessage = (table, spec["name"]) not in MEMBER_COLUMNS
    validation.showInputMessage = bool(validation.prompt)
    validation.add(area)
    sheet.add_data_validation(validation)


def typed(value: str, kind: str) -> Any:
    """A CSV value as the Excel cell value of a column of ``kind`` (numbers and dates typed)."""
    if value == "":
        return None
    try:
        if kind == "integer":
            return int(value)
        if kind == "number":
            number = float(value)
            return int(number) if number.is_integer() and "." not in value else number
        if kind == "date":
            return datetime.date.fromisoformat(value)
    except ValueError:
        return value
    return value
