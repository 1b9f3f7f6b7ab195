"""Numbers as written: value, unit, dimension, qualifier, interval at stated precision and exact span."""
from __future__ import annotations

import math

import pytest

from digecon.factcheck.numbers import find_numbers, unit_factor


def one(text):
    (n,) = find_numbers(text)
    return n


@pytest.mark.parametrize("text, written, value, unit, dim, qualifier", [
    ("收入达1,234.5亿元，", "1,234.5亿元", 1234.5, "亿元", "元", "eq"),
    ("同比增长-3.2%", "-3.2%", -3.2, "%", "%", "eq"),
    ("规模１２３．５万户", "１２３．５万户", 123.5, "万户", "户", "eq"),
    ("企业一千二百家", "一千二百家", 1200, "家", "家", "eq"),
    ("两万三千人", "两万三千人", 23000, "人", "人", "eq"),
    ("一亿二千万户", "一亿二千万户", 120000000, "户", "户", "eq"),
    ("占三成以上", "三成", 30, "%", "%", "ge"),
    ("比重为百分之三十五", "百分之三十五", 35, "%", "%", "eq"),
    ("超过三分之一", "三分之一", 100 / 3, "%", "%", "gt"),
    ("翻了一番", "翻了一番", 2, "倍", "倍", "eq"),
    ("是2015年的2.5倍", "2.5倍", 2.5, "倍", "倍", "eq"),
    ("提高2.5个百分点", "2.5个百分点", 2.5, "个百分点", "pp", "eq"),
    ("总长度18.4万公里", "18.4万公里", 18.4, "万公里", "公里", "eq"),
    ("出口带宽46.49Tbps", "46.49Tbps", 46.49, "Tbps", "bps", "eq"),
    ("出口额12.5亿美元", "12.5亿美元", 12.5, "亿美元", "美元", "eq"),
    ("约1600PFlops", "1600PFlops", 1600, "PFlops", "Flops", "approx"),
    ("近80亿元", "80亿元", 80, "亿元", "元", "approx"),
    ("超2500亿元", "2500亿元", 2500, "亿元", "元", "gt"),
    ("逾3000件", "3000件", 3000, "件", "件", "gt"),
    ("不到5%", "5%", 5, "%", "%", "lt"),
    ("1000亿元以上", "1000亿元", 1000, "亿元", "元", "ge"),
    ("增长10%左右", "10%", 10, "%", "%", "approx"),
    ("110余家", "110余家", 110, "家", "家", "gt"),
    ("1.4万亿元", "1.4万亿元", 1.4, "万亿元", "元", "eq"),
    ("培育5项", "5项", 5, "项", "项", "eq"),
])
def test_one_number(text, written, value, unit, dim, qualifier):
    n = one(text)
    assert (text[n.start:n.end], n.unit, n.dim, n.qualifier) == (written, unit, dim, qualifier)
    assert math.isclose(n.value, value)


@pytest.mark.parametrize("text, lo, hi", [
    ("12.6%", 12.55, 12.65),
    ("10378亿元", 10377.5e8, 10378.5e8),
    ("1.4万亿元", 1.35e12, 1.45e12),
    ("超2500亿元", 2500e8, math.inf),
    ("110余家", 110, 120),
    ("不到5%", -math.inf, 5),
    ("三成", 25, 35),
])
def test_interval_at_stated_precision(text, lo, hi):
    iv = one(text).interval
    assert math.isclose(iv.lo, lo, rel_tol=1e-9) or iv.lo == lo
    assert math.isclose(iv.hi, hi, rel_tol=1e-9) or iv.hi == hi


def test_decrease_words_negate_and_ranges_and_lists():
    assert one("同比下降3.2%").negated and not one("增长3.2%").negated
    assert not one("下降到3.2%").negated
    (r,) = find_numbers("3%—5%")
    assert (r.form, r.interval.lo, r.interval.hi) == ("range", 2.5, 5.5)
    (r,) = find_numbers("10至20亿元")
    assert r.interval.lo == 9.5e8 and r.interval.hi == 20.5e8
    a, b, c = find_numbers("分别为120.3、450.6和700.1亿元")
    assert [x.unit for x in (a, b, c)] == ["亿元"] * 3 and a.text == "120.3"


@pytest.mark.parametrize("text", ["2016-2021年", "2021年9月底", "5G基站", "IPv6", "1. 数字产业", "一是",
                                  "“十四五”规划", "“5020”项目", "进一步", "统一", "图3 各市", "2+N"])
def test_not_numbers_of_a_quantity(text):
    assert find_numbers(text) == []


def test_spans_index_the_original_text():
    text = "全省5G基站达１２．３万个，同比增长33.7%，居全国第11位。"
    got = [text[n.start:n.end] for n in find_numbers(text)]
    assert got == ["１２．３万个", "33.7%", "11位"]


def test_unit_factor_of_store_units():
    assert unit_factor("亿元") == ("元", 1e8)
    assert unit_factor("万户") == ("户", 1e4)
    assert unit_factor("%") == ("%", 1)
    assert unit_factor("furlongs") is None
