"""Words a chart prints: Chinese period labels, the catalog's short region names, 全省/全区."""
from __future__ import annotations

import re
import unicodedata

from digecon.catalog import UnknownNameError, get_catalog

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_SPAN = re.compile(r"^(\d{4})-(\d{4})$")
_PART = re.compile(r"^(\d{4})(Q[1-4]|H[12])$")
_PARTS = {"Q1": "第一季度", "Q2": "第二季度", "Q3": "第三季度", "Q4": "第四季度",
          "H1": "上半年", "H2": "下半年"}
# The whole of a region as its own documents say it: 全省, 全区 (自治区), 全市 (直辖市), 全国.
_WHOLE = {"省": "全省", "自治区": "全区", "直辖市": "全市", "特别行政区": "全区", "国家": "全国"}


def period_label(period: str) -> str:
    """2021 → 2021年, 2021-09 → 2021年9月, 2021Q3 → 2021年第三季度, 2019-2021 → 2019-2021年;
    anything else is shown as stored."""
    p = str(period).strip()
    if re.fullmatch(r"\d{4}", p):
        return f"{p}年"
    if m := _MONTH.match(p):
        return f"{m.group(1)}年{int(m.group(2))}月"
    if m := _SPAN.match(p):
        return f"{m.group(1)}{SPAN_DASH}{m.group(2)}年"
    if m := _PART.match(p):
        return f"{m.group(1)}年{_PARTS[m.group(2)]}"
    return p


SPAN_DASH = "—"  # 2018—2023年: the dash of a span in Chinese text (GB/T 15834)


def periods_text(periods: list[str]) -> str:
    """Periods as a sentence names them: years in runs, each run of consecutive years written
    as a span and the gaps kept (2018、2019、2020、2022 → 2018—2020、2022年); other periods
    (2021年9月, 第三季度) listed in full after them, in the order given."""
    years = sorted({int(p) for p in map(str, periods) if re.fullmatch(r"\d{4}", p.strip())})
    runs: list[list[int]] = []
    for y in years:
        if runs and y == runs[-1][-1] + 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    parts = [f"{r[0]}{SPAN_DASH}{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs]
    head = "、".join(parts) + "年" if parts else ""
    rest = [period_label(p) for p in dict.fromkeys(map(str, periods))
            if not re.fullmatch(r"\d{4}", p.strip())]
    return "、".join([head, *rest] if head else rest)


def with_remark(source: str, remark: str) -> str:
    """A source credited with a remark on how its values were used (部分数值据其推算), read
    once: after a comma, never as a second bracket after the source's own （…）, and not at
    all when the source already says it (由《X》所述数值推算)."""
    source = source.strip()
    verb = remark[-2:]
    if verb and verb in source:
        return source
    return f"{source}，{remark}"


def periods_axis_name(periods: list[str]) -> str:
    """年份 when every period is a year, else 时间."""
    return "年份" if all(re.fullmatch(r"\d{4}", str(p)) for p in periods) else "时间"


def short_name(code: str, name: str) -> str:
    """The catalog's short name (南昌, 湘西州) for an axis label; the name itself when the
    catalog does not know the code."""
    try:
        return get_catalog().region(code).short or name
    except UnknownNameError:
        return name


def whole_word(code: str) -> str:
    """全省 for a province, 全区 for an autonomous region, 全市 for a municipality, 全国."""
    try:
        region = get_catalog().region(code)
    except UnknownNameError:
        return "全域"
    return _WHOLE.get(region.kind, region.short)


def label_width(text: str, size: float) -> float:
    """The width in px of a one-line label at `size` px: CJK and full-width forms 1 em, other
    characters 0.6 em (the CJK fonts' Latin and digits)."""
    return sum(size if unicodedata.east_asian_width(ch) in "WF" else 0.6 * size for ch in text)
