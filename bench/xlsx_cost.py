"""Side by side in one run: the XLSX writer of ``generator.export.xlsx`` against XlsxWriter (constant
memory) on every bulk table of a demo portal; prints the seconds of each (docs/benchmarks.md).

    python bench/xlsx_cost.py DATA_DIR      # e.g. a `gongkai demo --units 20 --quarters 4 --decisions-per-quarter 250` tree
"""

from __future__ import annotations

import io
import sys
import time
from pathlib import Path

import xlsxwriter

from generator.export.tables import TABLES, Table, combined_tables
from generator.export.xlsx import table_workbook
from generator.sources.load import load_portal


def with_xlsxwriter(table: Table) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(
        out, {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    sheet = book.add_worksheet(table.title[:31])
    for column, title in enumerate(table.titles):
        sheet.write_string(0, column, title)
    for number, row in enumerate(table.rows, start=1):
        for column, text in enumerate(row):
            if text:
                sheet.write_string(number, column, text)
    book.close()
    return out.getvalue()


def main() -> None:
    tables = combined_tables(load_portal(Path(sys.argv[1])))
    rows = sum(len(t.rows) for t in tables.values())
    for round_ in range(2):
        started = time.perf_counter()
        for name in TABLES:
            table_workbook(tables[name], "2025-12-31")
        ours = time.perf_counter() - started
        started = time.perf_counter()
        for name in TABLES:
            with_xlsxwriter(tables[name])
        theirs = time.perf_counter() - started
        print(
            f"round {round_ + 1}: {rows} rows · generator.export.xlsx {ours:.2f} s · XlsxWriter {theirs:.2f} s"
        )


if __name__ == "__main__":
    main()
