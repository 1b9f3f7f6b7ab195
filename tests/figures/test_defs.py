"""Figure entries of a spec: each mistake is reported with its key path and what was expected."""
from __future__ import annotations

import pytest

from digecon.figures.defs import SpecError, parse_figure

GOOD = {"caption": "图题", "kind": "cities", "periods": [2021],
        "series": [{"indicator": "de_va", "type": "bar"}]}


def test_good_entry_parses():
    f = parse_figure("f", GOOD, "r.yaml", {"de_va"}, "360000")
    assert f.periods == ("2021",) and f.series[0].indicator == "de_va" and f.label == "图"


@pytest.mark.parametrize("patch, path, expected", [
    ({"kind": "pie"}, "figures.f.kind", "expected one of time, cities, choropleth"),
    ({"series": [{"indicator": "nope"}]}, "figures.f.series[0].indicator", "unknown indicator"),
    ({"series": [{"indicator": "de_va", "axis": 2}]}, "figures.f.series[0].axis", "expected 0 or 1"),
    ({"caption": ""}, "figures.f.caption", "non-empty caption"),
    ({"colour": "red"}, "figures.f.colour", "unknown key"),
    ({"kind": "choropleth"}, "figures.f.geo", "GeoJSON path"),
    ({"kind": "time", "series": [{"indicator": "de_va", "average": "region"}]},
     "figures.f.series[0].average", "expected kind: cities"),
])
def test_bad_entries(patch, path, expected):
    with pytest.raises(SpecError) as err:
        parse_figure("f", {**GOOD, **patch}, "r.yaml", {"de_va"}, "360000")
    assert err.value.file == "r.yaml" and err.value.path == path
    assert expected in str(err.value)
