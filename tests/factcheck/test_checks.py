"""Internal and store checks: the 12.3% share, another region's paragraph, repeats, thresholds."""
from __future__ import annotations

from pathlib import Path

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
