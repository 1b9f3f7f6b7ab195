"""The Excel template departments fill in: one row per region × indicator × period."""
from __future__ import annotations

from pathlib import Path

import xlsxwriter

from digecon.catalog import Indicator, Region, get_catalog
from digecon.store.schema import STATUSES


def write_template(path: Path, indicators: list[Indicator], regions: list[Region],
                   periods: list[str]) -> int:
    cat = get_catalog()
    book = xlsxwriter.Workbook(str(path))
    head = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    locked = book.add_format({"bg_color": "#F2F2F2", "border": 1})
    entry = book.add_format({"bg_color": "#FFF2CC", "border": 1, "num_format": "0.00##"})
    ws = book.add_worksheet("数据")
    # The last column only helps the person filling in; `#` makes ingest pass over it.
    headers = ["region", "indicator", "period", "value", "unit", "status", "source", "note",
               "#指标名称（单位）"]
    for col, text in enumerate(headers):
        ws.write_string(0, col, text, head)
    row = 1
    for ind in indicators:
        for reg in regions:
            for per in periods:
                ws.write_string(row, 0, reg.name, locked)
                ws.write_string(row, 1, ind.code, locked)
                ws.write_string(row, 2, str(per), locked)
                ws.write_blank(row, 3, None, entry)
                ws.write_string(row, 4, ind.unit, entry)
                ws.write_string(row, 5, "published", entry)
                ws.write_blank(row, 6, None, entry)
                ws.write_blank(row, 7, None, entry)
                ws.write_string(row, 8, f"{ind.name_zh}（{ind.unit}）", locked)
                row += 1
    lists = book.add_worksheet("_lists")
    lists.hide()
    region_names = [r.name for r in cat.regions()]
    # write_string throughout: xlsxwriter's write() turns text starting with = into a live
    # formula, and catalog names come from data anyone can extend.
    for col, texts in enumerate([region_names, [i.code for i in cat.indicators()],
                                 list(STATUSES), [u.unit for u in cat.units()]]):
        for row_no, text in enumerate(texts):
            lists.write_string(row_no, col, text)
    last = max(row - 1, 1)
    ws.data_validation(1, 0, last, 0, {"validate": "list",
                                       "source": f"=_lists!$A$1:$A${len(region_names)}"})
    ws.data_validation(1, 1, last, 1, {"validate": "list",
                                       "source": f"=_lists!$B$1:$B${len(cat.indicators())}"})
    ws.data_validation(1, 3, last, 3, {"validate": "decimal", "criteria": "between",
                                       "minimum": -1e15, "maximum": 1e15,
                                       "error_message": "请填写数值"})
    ws.data_validation(1, 4, last, 4, {"validate": "list",
                                       "source": f"=_lists!$D$1:$D${len(cat.units())}",
                                       "show_error": False})
    ws.data_validation(1, 5, last, 5, {"validate": "list", "source": list(STATUSES)})
    ws.set_column(0, 2, 14)
    ws.set_column(3, 7, 12)
    ws.set_column(8, 8, 36)
    ws.freeze_panes(1, 0)
    notes = book.add_worksheet("说明")
    for i, line in enumerate([
        "填报说明",
        "1. 只在黄色单元格填写：value 为数值；unit 可改为可换算的单位（如 万元 → 亿元 会自动换算）。",
        "2. 未掌握的数据留空即可，导入时跳过空值。",
        "3. 填好后运行：digecon ingest 本文件.xlsx --vintage YYYY-MM-DD --source 部门名称",
        "4. 最后一列（表头以 # 开头）只供参考，导入时不读取。",
    ]):
        notes.write_string(i, 0, line)
    book.close()
    return row - 1
