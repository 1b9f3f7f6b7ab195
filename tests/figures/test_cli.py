"""`digecon figure`: renders from the store; bad ids and missing stores exit 2 with a message."""
from __future__ import annotations

import json

from click.testing import CliRunner

from digecon.figures.cli import figure


def test_help_has_example():
    result = CliRunner().invoke(figure, ["render", "--help"])
    assert result.exit_code == 0 and "Example:" in result.output


def test_render_svg_and_json(store, tmp_path):
    runner = CliRunner()
    svg = tmp_path / "f.svg"
    res = runner.invoke(figure, ["render", "fig_city_de", "--db", str(store.path), "--out", str(svg)])
    assert res.exit_code == 0, res.output
    assert svg.read_text(encoding="utf-8").startswith("<svg") and "南昌" in svg.read_text()
    js = tmp_path / "f.json"
    res = runner.invoke(figure, ["render", "fig_iif", "--format", "json", "--db", str(store.path),
                                 "--out", str(js)])
    assert res.exit_code == 0
    assert [d["value"] for d in json.loads(js.read_text())["series"][0]["data"]] == \
        [55.2, 57.1, 59.4, 61.8]


def test_list_in_order():
    res = CliRunner().invoke(figure, ["list"])
    lines = res.output.strip().splitlines()
    assert lines[0].startswith("图1\tfig_de_va") and lines[-1].startswith("图18\tfig_health")
    # the optional 数字经济核心产业 figure says that it is printed only with data
    [core] = [ln for ln in lines if "\tfig_core\t" in ln]
    assert core.startswith("图4\t") and "可选" in core


def test_unknown_figure_exits_2(store, tmp_path):
    res = CliRunner().invoke(figure, ["render", "fig_x", "--db", str(store.path),
                                      "--out", str(tmp_path / "x.svg")])
    assert res.exit_code == 2 and "未知图表 'fig_x'" in res.output
    assert not (tmp_path / "x.svg").exists()


def test_missing_store_exits_2(tmp_path):
    res = CliRunner().invoke(figure, ["render", "fig_iif", "--db", str(tmp_path / "none.duckdb"),
                                      "--out", str(tmp_path / "x.svg")])
    assert res.exit_code == 2 and "不存在" in res.output
