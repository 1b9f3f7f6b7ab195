"""A figure without its own `region` is about the spec's `report.region`, whichever province."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import spec_variant

from digecon.figures import build_option, figure_data
from digecon.figures.defs import SpecError
from digecon.publish.spec import load_spec

SPEC = Path(__file__).resolve().parents[2] / "datasets" / "jiangxi-2022" / "report.yaml"


def _hunan(raw: dict) -> None:
    raw["report"]["region"] = "430000"


def test_bundled_figures_name_no_region():
    # the premise of the tests below: every figure takes its region from the report
    raw = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    assert not [fid for fid, f in raw["figures"].items() if "region" in f]


@pytest.mark.parametrize("region", ["430000", "湖南省"])
def test_figures_default_to_the_report_region(tmp_path, region):
    spec = load_spec(spec_variant(tmp_path, lambda r: r["report"].update(region=region)))
    assert spec.meta["region"] == "430000"
    assert {f.region for f in spec.figures.values()} == {"430000"}


def test_bundled_spec_figures_are_jiangxi(spec, store):
    assert {f.region for f in spec.figures.values()} == {"360000"}
    assert set(figure_data("fig_de_va", store, spec)["region_code"]) == {"360000"}
    assert len(figure_data("fig_city_de", store, spec)) == 22  # 11 设区市 × 2 indicators


@pytest.mark.parametrize("figure_id", ["fig_de_va", "fig_city_de", "map_city_de"])
def test_other_province_gets_no_jiangxi_data(tmp_path, store, figure_id):
    # the store holds Jiangxi only: a Hunan report finds nothing rather than Jiangxi's numbers
    spec = load_spec(spec_variant(tmp_path, _hunan))
    with pytest.raises(LookupError, match=f"{figure_id}: no observations"):
        figure_data(figure_id, store, spec)
    with pytest.raises(LookupError):
        build_option(figure_id, store, spec)


def test_a_figure_may_name_its_own_region(tmp_path, store):
    def mutate(raw):
        _hunan(raw)
        raw["figures"]["fig_de_va"]["region"] = "江西省"

    spec = load_spec(spec_variant(tmp_path, mutate))
    assert spec.figures["fig_de_va"].region == "360000"
    assert spec.figures["fig_de_share"].region == "430000"
    assert set(figure_data("fig_de_va", store, spec)["region_code"]) == {"360000"}


def test_unknown_figure_region_names_the_field(tmp_path):
    path = spec_variant(tmp_path, lambda r: r["figures"]["fig_de_va"].update(region="999999"))
    with pytest.raises(SpecError) as err:
        load_spec(path)
    assert err.value.path == "figures.fig_de_va.region"
    assert str(err.value).startswith(f"{path}: figures.fig_de_va.region: 发现「999999」，目录中没有这个地区")
