"""Internal and store checks: the 12.3% share, another region's paragraph, repeats, thresholds."""
from __future__ import annotations

from pathlib import Path

import pytest
from conftest import require_shared

from digecon.factcheck import check_text

from .seedeval import SEED

FIX = Path(__file__).parent / "fixtures"
PAPER_SNIPPET = ("2021 年，江西省数字产业化增加值达到 1308.2 亿元，占数字经济总体规模比重达 12.6%。"
                 "全省全年数字经济增加值达10378亿元。2021 年，江西数字产业化规模为 1308.2 亿元，"
                 "占数字经济总体规模比重为 12.3%。")


def _by_text(claims, text):
    return [c for c in claims if c.text.replace(" ", "") == text]


def test_12_3_is_inconsistent_without_store():
    claims = check_text(PAPER_SNIPPET)
    (bad,) = _by_text(claims, "12.3%")
    assert bad.status == "inconsistent"
    share = next(k for k in bad.checks if k.rule == "share_of_parts")
    assert share.ok is False and share.expected == "12.6%"
    assert "12.606" in share.explanation and "12.3%" in share.explanation
    assert bad.suggested == "12.6%"
    (good,) = _by_text(claims, "12.6%")
    assert good.status == "consistent"


def test_12_3_is_inconsistent_with_store(demo_store):
    claims = check_text(PAPER_SNIPPET, store=demo_store)
    (bad,) = _by_text(claims, "12.3%")
    store_check = next(k for k in bad.checks if k.rule == "store")
    assert store_check.ok is False and store_check.expected.startswith("12.6")


def test_whole_paper_flags_only_12_3_and_the_fibre_growth():
    require_shared(SEED)
    claims = check_text(SEED.read_text(encoding="utf-8"))
    bad = [c for c in claims if c.status == "inconsistent"]
    assert [(c.value, c.indicator, c.suggested) for c in bad] == [
        ("16.1", "", "8.6%"),             # 18.4 / (233.1 − 18.4) = 8.57 %
        ("12.3", "di_share_de", "12.6%")]  # 1308.2 / 10378 = 12.606 %
    assert sum(c.status == "consistent" for c in claims) >= 40


def test_other_region_paragraph(demo_store):
    text = (FIX / "hunan_2021.txt").read_text(encoding="utf-8")
    claims = check_text(text, store=demo_store)
    assert {c.region for c in claims} == {"湖南省"}
    by = {c.text: c for c in claims}
    assert by["15.0%"].status == "consistent"  # 2100 / 1.4万亿 (13500–14500) admits 15.0
    assert by["80.0%"].status == "inconsistent"  # 11900 / 1.4万亿 = 85%
    assert by["1.4万亿元"].status == "consistent"  # 2100 + 11900 = 14000, inside 1.4万亿 = [13500, 14500)
    # the store's only Hunan cell is the paper's bound 数字经济增加值 ≥ 1万亿元 (万亿俱乐部): evidence, and met
    (bound,) = [k for k in by["1.4万亿元"].checks if k.rule == "store"]
    assert bound.ok is True and "不低于10000亿元" in bound.explanation


def test_threshold_and_cagr():
    text = "2016-2021年，江西省数字经济增加值增加了1.6倍，年均复合增长率为20.7%。2016-2021年，某省数字经济增加值增加了2.0倍，年均复合增长率为20.7%。"
    claims = check_text(text)
    m = [c for c in claims if c.kind == "multiple"]
    assert [c.status for c in m] == ["consistent", "inconsistent"]


def test_a_unit_slip_is_named_and_fixed():
    text = "2023年，山西省数字经济规模达到5,860亿元。\n全省数字经济规模5,860万元，占地区生产总值的22.9%。"
    bad = [c for c in check_text(text) if c.status == "inconsistent"]
    assert [(c.text, c.suggested) for c in bad] == [("5,860万元", "5,860亿元")]
    assert bad[0].checks[0].rule == "unit_plausibility" and "10的整数次幂" in bad[0].checks[0].explanation


@pytest.mark.parametrize("k, status", [("1.9", "consistent"), ("2.9", "inconsistent")])
def test_multiple_of_another_region(k, status):
    text = f"2023年，上海市人均数字经济增加值为8.1万元，全国为4.2万元，上海是全国的{k}倍。"
    (c,) = [c for c in check_text(text) if c.text == f"{k}倍"]
    assert c.status == status and (status == "consistent" or c.suggested == "1.9倍")


def test_increment_before_or_after_the_rate():
    for tail in ("同比增长16.1%，较上年增加18.4万公里", "较上年增加18.4万公里，同比增长16.1%"):
        text = f"截至2023年底，全省光缆线路总长度达233.1万公里，{tail}。"
        (c,) = [c for c in check_text(text) if c.text == "16.1%"]
        assert (c.status, c.suggested) == ("inconsistent", "8.6%")  # 18.4 / (233.1 − 18.4) = 8.57 %


def test_dataset_texts_raise_no_false_alarm():
    for path in sorted(Path(__file__).resolve().parents[2].glob("datasets/*/text/*.md")):
        bad = [c.text for c in check_text(path.read_text(encoding="utf-8")) if c.status == "inconsistent"]
        assert bad == [], path


@pytest.mark.parametrize("k, status", [("6.7", "consistent"), ("7.7", "inconsistent")])
def test_a_gap_of_two_levels_with_the_comparator_in_brackets(k, status):
    text = f"截至2021年9月底，湖南省固定宽带家庭普及率达到98.9部/百户，比全国平均水平（92.2部/百户）高{k}部/百户。"
    (c,) = [c for c in check_text(text) if c.text == f"{k}部/百户"]
    assert c.status == status and (status == "consistent" or c.suggested == "6.7部/百户")
