"""Figure entries of a spec: each mistake is reported with its key path and what was expected."""
from __future__ import annotations

import pytest

from digecon.figures.defs import SpecError, parse_figure

GOOD = {"caption": "图题", "kind": "cities", "periods": [2021],
        "series": [{"indicator": "de_va", "type": "bar"}]}


def test_good_entry_parses():
    f = parse_figure("f", GOOD, "r.yaml", {"de_va"}, "360000")
    assert f.periods == ("2021",) and f.series[0].indicator == "de_va" and f.label == "图"


@pytest.mark.parametrize("patch, path, found, expected", [
    ({"kind": "pie"}, "figures.f.kind", "发现「pie」",
     "应为 time（历年变化）、cities（各下级地区对比）或 choropleth（分级设色地图）"),
    ({"series": [{"indicator": "nope"}]}, "figures.f.series[0].indicator",
     "发现「nope」，目录中没有这个指标", "应为目录中的指标代码"),
    ({"series": [{"indicator": "de_va", "axis": 2}]}, "figures.f.series[0].axis", "发现「2」",
     "应为 0（左轴）或 1（右轴）"),
    ({"caption": ""}, "figures.f.caption", "发现「」", "应为非空的图题文字"),
    ({"colour": "red"}, "figures.f.colour", "发现未知的键「colour」", "应为以下键之一：basemap、caption"),
    ({"kind": "choropleth"}, "figures.f.geo", "发现该字段缺失", "应为地图的 GeoJSON 文件路径"),
    ({"optional": "yes"}, "figures.f.optional", "发现「yes」", "应为 true 或 false"),
    ({"kind": "time", "series": [{"indicator": "de_va", "average": "region"}]},
     "figures.f.series[0].average", "发现「region」用在 kind: time 的图上", "应为 kind: cities 的图"),
])
def test_bad_entries(patch, path, found, expected):
    with pytest.raises(SpecError) as err:
        parse_figure("f", {**GOOD, **patch}, "r.yaml", {"de_va"}, "360000")
    assert err.value.file == "r.yaml" and err.value.path == path
    assert str(err.value).startswith(f"r.yaml: {path}: {found}，{expected}")
    assert err.value.found.startswith(found.removeprefix("发现").lstrip())
    assert err.value.expected.startswith(expected.removeprefix("应为").lstrip())


def test_a_mistyped_indicator_is_told_the_closest_codes():
    raw = {**GOOD, "series": [{"indicator": "de_vaa"}]}
    with pytest.raises(SpecError) as err:
        parse_figure("f", raw, "r.yaml", {"de_va", "di_va", "gdp"}, "360000")
    assert str(err.value).endswith("；最接近：de_va、di_va")
