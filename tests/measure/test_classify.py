"""Concordances: the CAICT scope, versioned files, and the NBS annex loader with its errors."""
from __future__ import annotations

import pytest

from digecon.measure.accounts import OUTSIDE, lookup_table
from digecon.measure.classify import ConcordanceError, caict_scope, load_concordance, load_nbs_annex


def test_caict_scope_covers_the_four_divisions():
    c = caict_scope()
    assert (c.name, c.version) == ("caict_di_2017", "1")
    e = c.expanded()
    assert set(e.industry_code.str[:2]) == {"39", "63", "64", "65"}
    # 70 小类 + 4 大类 + their 中类 (GB/T 4754-2017 as bundled)
    assert (e.industry_code.str.len() == 4).sum() == 70
    assert e.share.eq(1.0).all()
    assert dict(e.drop_duplicates("de_code").set_index("industry_code").de_code) == \
        {"39": "01", "63": "03"}


def test_lookup_splits_partial_codes_and_keeps_every_gbt_code():
    c = load_nbs_annex_fixture()
    lk = lookup_table(c)
    # *6513 is partial in 03 and in 05: 0.5 / 2 each, the rest (0.5) outside.
    rows = lk[lk.industry_code == "6513"].set_index("de_code")
    assert rows.share.to_dict() == {"03": 0.25, "05": 0.25, "core": 0.25, "total": 0.5,
                                    OUTSIDE: 0.5}
    assert rows.counts.to_dict() == {"03": 1, "05": 1, "core": 1, "total": 1, OUTSIDE: 0}
    # A code outside every category is present with its whole value added outside.
    assert lk[lk.industry_code == "1311"].set_index("de_code").share.to_dict() == {OUTSIDE: 1.0}


def load_nbs_annex_fixture():
    from pathlib import Path

    return load_nbs_annex(Path(__file__).parent / "fixtures" / "nbs_annex.csv")


def test_nbs_annex_fixture_loads_at_大类_level():
    c = load_nbs_annex_fixture()
    t = c.table.sort_values(["industry_code", "de_code"]).reset_index(drop=True)
    assert t.to_dict("records") == [
        {"industry_code": "0111", "de_code": "05", "share": 0.5},
        {"industry_code": "3911", "de_code": "01", "share": 1.0},
        {"industry_code": "3912", "de_code": "01", "share": 1.0},
        {"industry_code": "6311", "de_code": "03", "share": 1.0},
        {"industry_code": "6312", "de_code": "03", "share": 1.0},
        {"industry_code": "6511", "de_code": "03", "share": 1.0},
        {"industry_code": "6513", "de_code": "03", "share": 0.25},
        {"industry_code": "6513", "de_code": "05", "share": 0.25},
    ]


def test_nbs_annex_at_小类_level_keeps_six_digits(fixtures):
    c = load_nbs_annex(fixtures / "nbs_annex.csv", level="小类", partial_share=0.8)
    assert set(c.table.de_code) == {"010101", "010102", "030101", "030102", "030201",
                                    "050101", "050102"}
    assert c.table[c.table.industry_code == "6513"].share.tolist() == [0.4, 0.4]


def test_nbs_annex_code_absent_from_gbt_is_named(fixtures):
    with pytest.raises(ConcordanceError) as ei:
        load_nbs_annex(fixtures / "nbs_annex_bad.csv")
    msg = str(ei.value)
    assert "nbs_annex_bad.csv:4:国民经济行业代码及名称" in msg
    assert "代码 '3999' 不在 GB/T 4754-2017 中" in msg


def test_concordance_errors_name_row_and_column(tmp_path):
    p = tmp_path / "mine.v2.csv"
    p.write_text("industry_code,de_code,share\n39,01,1\n3999,03,1\n65,03,1.5\n", encoding="utf-8")
    with pytest.raises(ConcordanceError) as ei:
        load_concordance(p)
    msg = str(ei.value)
    assert f"{p}:3:industry_code: 取值 '3999' 不是 GB/T 4754-2017 代码" in msg
    assert f"{p}:4:share: 取值 '1.5'，应为 (0, 1] 内的份额" in msg


def test_concordance_missing_columns(tmp_path):
    p = tmp_path / "x.v1.csv"
    p.write_text("code,share\n39,1\n", encoding="utf-8")
    with pytest.raises(ConcordanceError, match="缺少列 industry_code, de_code；表头为 code, share"):
        load_concordance(p)


def test_shares_over_one_rejected(tmp_path):
    p = tmp_path / "over.v1.csv"
    p.write_text("industry_code,de_code,share\n3911,01,0.7\n3911,05,0.6\n", encoding="utf-8")
    with pytest.raises(ConcordanceError, match="3911: 份额合计 1.3，应不超过 1"):
        load_concordance(p)


def test_annex_saved_by_excel_as_gb18030_reads_as_utf8(fixtures, tmp_path):
    """Excel in China saves CSV as GB18030; the loaders read it as `digecon ingest` does."""
    gbk = tmp_path / "annex_gbk.csv"
    gbk.write_bytes((fixtures / "nbs_annex.csv").read_text(encoding="utf-8").encode("gb18030"))
    a, b = load_nbs_annex(fixtures / "nbs_annex.csv"), load_nbs_annex(gbk)
    assert a.table.equals(b.table) and len(a.table) > 0
