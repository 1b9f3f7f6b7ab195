"""Entry points: the CLI writes what DESIGN.md promises; bad input gets a message naming where and what, nothing written."""
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from digecon.evaluate import SpecError, load_spec
from digecon.evaluate.cli import index

FIX = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).parents[2]


def test_build_writes_scores_ranks_stages_and_spec(tmp_path):
    out = tmp_path / "o"
    r = CliRunner().invoke(index, ["build", str(ROOT / "datasets/jiangxi-2022/index/table1.yaml"), "--out", str(out)])
    assert r.exit_code == 0, r.output
    scores = pd.read_csv(out / "scores.csv")
    assert scores.columns[0] == "uCode" and scores.loc[scores.uCode == "江西", "composite_index"].item() == pytest.approx(31.56)
    ranks = pd.read_csv(out / "ranks.csv")
    assert ranks.loc[ranks.uCode == "江西", "composite_index"].item() == 8
    assert {p.name for p in (out / "stages").iterdir()} == {"Raw.csv", "Imputed.csv", "Normalised.csv", "Aggregated.csv"}
    assert "composite_index" in (out / "spec.yaml").read_text(encoding="utf-8")


def test_uncertainty_cli_writes_rank_stats(tmp_path):
    out = tmp_path / "ua"
    r = CliRunner().invoke(index, ["uncertainty", str(FIX / "asem_ua.yaml"), "--runs", "20", "--seed", "3", "--out", str(out)])
    assert r.exit_code == 0, r.output
    stats = pd.read_csv(out / "rank_stats.csv")
    assert len(stats) == 51 and (stats["Q5"] <= stats["Median"]).all() and (stats["Median"] <= stats["Q95"]).all()
    assert len(pd.read_csv(out / "runs.csv")) == 20 * 6
    assert set(pd.read_csv(out / "sobol.csv")["factor"]) == {"winmax", "normalise", "weights_noise", "aggregate"}


def _spec(tmp_path, text: str, data: str | None = None) -> Path:
    if data is not None:
        (tmp_path / "d.csv").write_text(data, encoding="utf-8")
    p = tmp_path / "s.yaml"
    p.write_text(text, encoding="utf-8")
    return p


META = """meta:
  - {iCode: a, Level: 1, Parent: T}
  - {iCode: b, Level: 1, Parent: T}
  - {iCode: T, Level: 2}
"""


def test_non_numeric_cell_names_file_row_column_and_writes_nothing(tmp_path):
    p = _spec(tmp_path, "data: d.csv\n" + META, "uCode,a,b\nX,1,2\nY,abc,3\n")
    out = tmp_path / "o"
    r = CliRunner().invoke(index, ["build", str(p), "--out", str(out)])
    assert r.exit_code == 2
    assert "d.csv:3:a" in r.output and "'abc'" in r.output and "数值" in r.output
    assert not out.exists()


def test_missing_column(tmp_path):
    p = _spec(tmp_path, "data: d.csv\n" + META, "uCode,a\nX,1\nY,2\n")
    with pytest.raises(SpecError, match=r"d.csv: 列 b: 发现 '缺失'"):
        load_spec(p)


def test_unknown_step_key_and_bad_method(tmp_path):
    p = _spec(tmp_path, "data: d.csv\n" + META + "steps: {normalize: minmax}\n", "uCode,a,b\nX,1,2\nY,2,3\n")
    with pytest.raises(SpecError, match=r"steps.normalize.*normalise"):
        load_spec(p)
    p = _spec(tmp_path, "data: d.csv\n" + META + "steps: {aggregate: median}\n")
    with pytest.raises(SpecError, match=r"steps.aggregate.method: 发现 'median'，应为 arithmetic"):
        load_spec(p)


def test_missing_data_above_threshold_is_refused(tmp_path):
    p = _spec(tmp_path, "data: d.csv\n" + META + "steps: {impute: {method: mean, max_missing: 0.3}}\n",
              "uCode,a,b\nX,1,2\nY,,3\nZ,3,4\n")
    with pytest.raises(SpecError, match=r"列 a: 发现 '缺失 33%（1/3）'"):
        load_spec(p)


def test_ahp_with_cr_above_0_1_is_refused_unless_forced(tmp_path):
    from digecon.evaluate import build
    text = ("data: d.csv\nmeta:\n  - {iCode: a, Level: 1, Parent: T}\n  - {iCode: b, Level: 1, Parent: T}\n"
            "  - {iCode: c, Level: 1, Parent: T}\n  - {iCode: T, Level: 2}\n"
            "steps:\n  weights:\n    method: ahp\n    matrices:\n      T: {codes: [a, b, c], matrix: [[1, 9, 0.1111111111], [0.1111111111, 1, 9], [9, 0.1111111111, 1]]}\n")
    p = _spec(tmp_path, text, "uCode,a,b,c\nX,1,2,3\nY,2,3,1\nZ,3,1,2\n")
    with pytest.raises(SpecError, match=r"一致性比率 CR = 6\.1.*CR < 0.1"):
        build(load_spec(p))
    p = _spec(tmp_path, text.replace("method: ahp", "method: ahp\n    force: true"))
    res = build(load_spec(p))
    assert res.weights.set_index("iCode").loc[["a", "b", "c"], "Weight"].to_numpy() == pytest.approx([1 / 3] * 3, abs=1e-6)


def test_geometric_with_zero_fails_cleanly_via_cli(tmp_path):
    p = _spec(tmp_path, "data: d.csv\n" + META + "steps: {aggregate: geometric}\n", "uCode,a,b\nX,1,2\nY,2,3\n")
    out = tmp_path / "o"
    r = CliRunner().invoke(index, ["build", str(p), "--out", str(out)])
    assert r.exit_code == 2 and "几何平均要求数值为正" in r.output and "单位 X" in r.output
    assert not out.exists()


def test_uncertainty_without_factors_is_refused(tmp_path):
    p = _spec(tmp_path, "data: d.csv\n" + META, "uCode,a,b\nX,1,2\nY,2,3\nZ,3,1\n")
    r = CliRunner().invoke(index, ["uncertainty", str(p), "--runs", "10", "--out", str(tmp_path / "u")])
    assert r.exit_code == 2 and "uncertainty.factors" in r.output
    assert not (tmp_path / "u").exists()


def test_help_has_examples():
    for args in (["--help"], ["build", "--help"], ["uncertainty", "--help"]):
        out = CliRunner().invoke(index, args).output
        assert "Example:" in out and "digecon index" in out
