"""`digecon index build` on specs and data a user gets wrong: exit 2, a Chinese message naming
where and what, no output directory — never a traceback and never a NaN ranking with exit 0."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from digecon.evaluate.cli import index
from digecon.ingest import write_frame

DATA = "uCode,a,b\nX,1,2\nY,2,3\nZ,3,1\n"
META = """meta:
  - {iCode: a, Level: 1, Parent: T}
  - {iCode: b, Level: 1, Parent: T}
  - {iCode: T, Level: 2}
"""


def _build(tmp_path: Path, spec: str, data: str | bytes | None = DATA):
    if isinstance(data, bytes):
        (tmp_path / "d.csv").write_bytes(data)
    elif data is not None:
        (tmp_path / "d.csv").write_text(data, encoding="utf-8")
    path = tmp_path / "s.yaml"
    path.write_text(spec, encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(index, ["build", str(path), "--out", str(out)])
    return result, out


def _refused(result, out: Path, *needles: str) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"traceback: {result.exception!r}")
    assert result.exit_code == 2, result.output
    for n in needles:
        assert n in result.output, result.output
    assert "未写入任何文件" in result.output
    assert not out.exists()


AHP = """steps:
  weights:
    method: ahp
    matrices:
"""


def test_ahp_matrix_larger_than_its_codes_is_refused(tmp_path):
    spec = ("data: d.csv\n" + META + AHP
            + "      T: {codes: [a, b], matrix: [[1, 2, 4], [0.5, 1, 2], [0.25, 0.5, 1]]}\n")
    result, out = _build(tmp_path, spec)
    _refused(result, out, "steps.weights.matrices.T.matrix", "(3, 3)", "2×2")


def test_ragged_ahp_matrix_is_refused(tmp_path):
    result, out = _build(tmp_path, "data: d.csv\n" + META + AHP
                         + "      T: {matrix: [[1, 2], [0.5]]}\n")
    _refused(result, out, "steps.weights.matrices.T.matrix", "2×2")


def test_ahp_matrix_for_an_unknown_code_is_refused(tmp_path):
    spec = ("data: d.csv\n" + META + AHP
            + "      T: {codes: [a, b], matrix: [[1, 2], [0.5, 1]]}\n"
            + "      Q: {codes: [a, b], matrix: [[1, 2], [0.5, 1]]}\n")
    result, out = _build(tmp_path, spec)
    _refused(result, out, "steps.weights.matrices.Q", "'T'")


def test_non_numeric_max_missing_is_refused(tmp_path):
    result, out = _build(tmp_path, "data: d.csv\n" + META
                         + "steps: {impute: {method: mean, max_missing: half}}\n")
    _refused(result, out, "steps.impute.max_missing", "'half'", "0 到 1")


def test_non_numeric_level_names_its_row(tmp_path):
    spec = ("data: d.csv\nmeta:\n  - {iCode: a, Level: one, Parent: T}\n"
            "  - {iCode: b, Level: 1, Parent: T}\n  - {iCode: T, Level: 2}\n")
    result, out = _build(tmp_path, spec)
    _refused(result, out, ":2:Level", "'one'", "正整数")


def test_weight_levels_outside_the_framework_are_refused(tmp_path):
    result, out = _build(tmp_path, "data: d.csv\n" + META
                         + "steps: {weights: {method: entropy, levels: [7]}}\n")
    _refused(result, out, "steps.weights.levels", "7", "1 到 1")


def test_negative_weight_is_refused_with_its_row(tmp_path):
    spec = ("data: d.csv\nmeta:\n  - {iCode: a, Level: 1, Parent: T, Weight: -1}\n"
            "  - {iCode: b, Level: 1, Parent: T, Weight: 2}\n  - {iCode: T, Level: 2}\n")
    result, out = _build(tmp_path, spec)
    _refused(result, out, ":2:Weight", "-1", "非负")


def test_all_zero_weights_under_a_parent_are_refused(tmp_path):
    spec = ("data: d.csv\nmeta:\n  - {iCode: a, Level: 1, Parent: T, Weight: 0}\n"
            "  - {iCode: b, Level: 1, Parent: T, Weight: 0}\n  - {iCode: T, Level: 2}\n")
    result, out = _build(tmp_path, spec)
    _refused(result, out, "T", "权重全为 0")


def test_one_zero_weight_still_builds(tmp_path):
    spec = ("data: d.csv\nmeta:\n  - {iCode: a, Level: 1, Parent: T, Weight: 0}\n"
            "  - {iCode: b, Level: 1, Parent: T, Weight: 1}\n  - {iCode: T, Level: 2}\n")
    result, out = _build(tmp_path, spec)
    assert result.exit_code == 0, result.output
    scores = (out / "scores.csv").read_text(encoding="utf-8").split()
    # b alone: minmax of 2, 3, 1 → 50, 100, 0
    assert scores == ["uCode,T", "X,50.0", "Y,100.0", "Z,0.0"]


def test_data_csv_with_an_unclosed_quote_names_file_and_line(tmp_path):
    result, out = _build(tmp_path, "data: d.csv\n" + META, 'uCode,a,b\nX,1,2\nY,"2,3\nZ,3,1\n')
    _refused(result, out, "d.csv:3", "引号")


def test_gbk_data_file_is_read(tmp_path):
    data = "uCode,a,b\n南昌,1,2\n九江,2,3\n赣州,3,1\n".encode("gbk")
    result, out = _build(tmp_path, "data: d.csv\n" + META, data)
    assert result.exit_code == 0, result.output
    assert (out / "scores.csv").read_text(encoding="utf-8").split()[1:] == [
        "南昌,25.0", "九江,75.0", "赣州,50.0"]


def test_undecodable_data_file_is_refused(tmp_path):
    result, out = _build(tmp_path, "data: d.csv\n" + META, b"uCode,a,b\nX,1,2\n\x80\xff\xfe,1,2\n")
    _refused(result, out, "d.csv:3", "UTF-8")


FRAMEWORK = """framework:
  - {{iCode: {code}, Level: 1, Parent: T}}
  - {{iCode: T, Level: 2}}
observations: {{period: '2021', db: {db}{extra}}}
"""


def test_unknown_indicator_in_framework_is_refused(tmp_path):
    spec = FRAMEWORK.format(code="no_such_indicator", db=tmp_path / "x.duckdb", extra="")
    result, out = _build(tmp_path, spec, None)
    _refused(result, out, "framework", "no_such_indicator", "未知指标")


def test_non_date_as_of_is_refused(tmp_path):
    spec = FRAMEWORK.format(code="de_va", db=tmp_path / "x.duckdb", extra=", as_of: notadate")
    result, out = _build(tmp_path, spec, None)
    _refused(result, out, "observations.as_of", "'notadate'", "YYYY-MM-DD")


def test_missing_store_is_named(tmp_path):
    db = tmp_path / "typo.duckdb"
    result, out = _build(tmp_path, FRAMEWORK.format(code="de_va", db=db, extra=""), None)
    _refused(result, out, str(db), "不存在")
    assert not db.exists()


@pytest.mark.parametrize("as_of", ["2022-07-01", "'2022-07-01'"])
def test_date_as_of_reads_the_store(tmp_path, as_of):
    import pandas as pd

    from digecon.store import Store

    db = tmp_path / "s.duckdb"
    st = Store(db)
    st.init()
    write_frame(st, pd.DataFrame({"region": ["南昌市", "九江市"], "indicator": ["de_va", "de_va"],
                           "period": ["2021", "2021"], "value": ["10", "30"], "unit": ["亿元"] * 2}),
             vintage="2022-06-01", source="测试", origin="t.csv")
    spec = FRAMEWORK.format(code="de_va", db=db, extra=f", as_of: {as_of}")
    result, out = _build(tmp_path, spec, None)
    assert result.exit_code == 0, result.output
    assert sorted((out / "scores.csv").read_text(encoding="utf-8").split()[1:]) == [
        "360100,0.0", "360400,100.0"]


def _store_with(tmp_path, vintage: str, regions=("南昌市", "九江市"), values=("10", "30")):
    from digecon.ingest import write_frame
    from digecon.store import Store

    st = Store(tmp_path / "v.duckdb")
    st.init()
    write_frame(st, pd.DataFrame({"region": list(regions), "indicator": "de_va", "period": "2021",
                                  "value": list(values), "unit": "亿元"}),
                vintage=vintage, source="测试", origin="t.csv")
    return st


def test_as_of_before_an_input_exists_is_a_lookup_error_naming_the_first_vintage(tmp_path):
    """`report build --as-of` catches LookupError (data the store lacks): it used to get a
    SpecError it did not catch, and printed a traceback."""
    from digecon.evaluate import spec_from_dict
    from digecon.evaluate.errors import MissingInputError

    st = _store_with(tmp_path, "2023-03-01")
    raw = {"framework": [{"iCode": "de_va", "Level": 1, "Parent": "T"},
                         {"iCode": "T", "Level": 2}],
           "observations": {"period": "2021", "as_of": "2022-07-31"}}
    with pytest.raises(LookupError) as info:
        spec_from_dict(raw, source="city.yaml", store=st)
    assert isinstance(info.value, MissingInputError)
    msg = str(info.value)
    assert "city.yaml: framework.de_va" in msg and "2022-07-31" in msg and "2023-03-01" in msg
    raw["observations"]["as_of"] = "2023-03-01"
    assert spec_from_dict(raw, source="city.yaml", store=st).data["de_va"].tolist() == [10.0, 30.0]


def test_inputs_missing_for_some_units_at_as_of_are_a_lookup_error(tmp_path):
    from digecon.evaluate import spec_from_dict
    from digecon.ingest import write_frame

    st = _store_with(tmp_path, "2022-06-01", ("南昌市", "九江市", "赣州市"), ("10", "30", "20"))
    for vintage, region in (("2022-06-01", "南昌市"), ("2023-03-01", "九江市"),
                            ("2023-03-01", "赣州市")):
        write_frame(st, pd.DataFrame({"region": [region], "indicator": "de_share_gdp",
                                      "period": "2021", "value": ["30"], "unit": "%"}),
                    vintage=vintage, source="测试", origin="t2.csv")
    raw = {"framework": [{"iCode": "de_va", "Level": 1, "Parent": "T"},
                         {"iCode": "de_share_gdp", "Level": 1, "Parent": "T"},
                         {"iCode": "T", "Level": 2}],
           "observations": {"period": "2021", "as_of": "2022-07-31"},
           "steps": {"impute": {"method": "mean", "max_missing": 0.5}}}
    with pytest.raises(LookupError, match=r"de_share_gdp: 发现 '缺失 67%（2/3）'"):
        spec_from_dict(raw, source="city.yaml", store=st)
    raw["observations"]["as_of"] = "2023-03-01"
    assert len(spec_from_dict(raw, source="city.yaml", store=st).data) == 3
