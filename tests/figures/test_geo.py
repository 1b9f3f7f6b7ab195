"""The 南海诸岛 inset: a map reaching the South China Sea moves its sea parts into a framed box
at a smaller scale, from its own geometry; other maps are drawn as they are."""
from __future__ import annotations

from pathlib import Path

import pytest

from digecon.figures.geo import (
    FRAME_NAME,
    INSET_NAME,
    line_names,
    reaches_south_china_sea,
    with_inset,
)
from digecon.figures.options import load_geojson

GEO = Path(__file__).resolve().parents[2] / "datasets" / "jiangxi-2022" / "geo"


def _square(x0, y0, x1, y1):
    return [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]


# a mainland 100–120°E × 20–40°N, an island at 113.5–114.5°E × 13–14°N, a line down to 10°N
TOY = {"type": "FeatureCollection", "features": [
    {"type": "Feature", "properties": {"name": "甲", "adcode": "1"},
     "geometry": {"type": "MultiPolygon",
                  "coordinates": [_square(100, 20, 120, 40), _square(113.5, 13, 114.5, 14)]}},
    {"type": "Feature", "properties": {"name": "线"},
     "geometry": {"type": "LineString", "coordinates": [[112, 12], [112, 10]]}},
]}


def _feature(geo, name):
    return next(f for f in geo["features"] if f["properties"]["name"] == name)


def test_toy_map_gets_the_inset_beside_its_mainland():
    assert reaches_south_china_sea(TOY)
    out = with_inset(TOY)
    # the mainland stays; its island leaves the main map
    assert _feature(out, "甲")["geometry"]["coordinates"] == [_square(100, 20, 120, 40)]
    # box: height 0.3 × 20° = 6°, width 6 × 18 / 22 = 4.909°; the mainland fills the corner,
    # so the box sits beside it: x from 120 + 0.2455 to 125.1545, y 20 … 26
    frame = _feature(out, FRAME_NAME)["geometry"]["coordinates"][0]
    assert frame[0] == [120.24545, 20.0] and frame[2] == [125.15455, 26.0]
    # island centre (114, 13.5) → x 120.24545 + 9 × 4.909 / 18 = 122.7, y 20 + 11 × 6 / 22 = 23
    # the inset's land: the mainland's coast clipped to the sea (105–120°E × 20–24.5°N), then
    # the island
    coast, island = (poly[0] for poly in _feature(out, INSET_NAME)["geometry"]["coordinates"])
    # 20°N → 20 + 17.5 × 6 / 22 = 24.77273; 24.5°N (the box's top) → 26
    assert min(p[1] for p in coast) == 24.77273 and max(p[1] for p in coast) == 26.0
    xs, ys = [p[0] for p in island], [p[1] for p in island]
    assert (min(xs) + max(xs)) / 2 == pytest.approx(122.7, abs=1e-4)
    assert (min(ys) + max(ys)) / 2 == pytest.approx(23.0, abs=1e-4)
    # the line lies wholly in the sea: it is drawn in the inset only, with the frame;
    # (112, 12) → (120.24545 + 7 × 0.27273, 20 + 9.5 × 0.27273), (112, 10) → (…, 20 + 7.5 × …)
    assert not [f for f in out["features"] if f["properties"]["name"] == "线"]
    assert _feature(out, FRAME_NAME)["geometry"]["coordinates"][1] == [[122.15455, 22.59091],
                                                                       [122.15455, 22.04545]]
    assert line_names(out) == [FRAME_NAME]


def test_province_map_without_sea_is_unchanged():
    raw = GEO / "jiangxi_360000.geojson"
    geo = load_geojson(str(raw))
    assert not reaches_south_china_sea(geo)
    assert not [f for f in geo["features"] if f["properties"]["name"] in (INSET_NAME, FRAME_NAME)]
    assert len(geo["features"]) == 11


def test_national_map_has_the_inset_with_its_islands_and_line():
    geo = load_geojson(str(GEO / "china_provinces.geojson"))
    names = [f["properties"]["name"] for f in geo["features"]]
    assert INSET_NAME in names and FRAME_NAME in names
    # the nine segments of the line: 2 reach north of 18°N and stay in the main map too; all 9
    # are drawn in the inset (after the 4-sided frame)
    assert len(_feature(geo, "南海断续线")["geometry"]["coordinates"]) == 2
    assert len(_feature(geo, FRAME_NAME)["geometry"]["coordinates"]) == 1 + 9
    # the main map ends below Hainan island: nothing of it south of 17.7°N
    main = [f for f in geo["features"] if f["properties"]["name"] not in (INSET_NAME, FRAME_NAME)]
    lowest = min(p[1] for f in main for part in f["geometry"]["coordinates"]
                 for p in (part if f["geometry"]["type"] == "MultiLineString"
                           else [q for ring in part for q in ring]))
    assert lowest > 17.7


def test_national_map_option_and_svg_draw_the_inset():
    import pandas as pd

    from digecon.figures import figure_svg
    from digecon.figures.defs import parse_figure
    from digecon.figures.options import option_for

    path = str(GEO / "china_provinces.geojson")
    fdef = parse_figure("m", {"caption": "各省份", "kind": "choropleth", "region": "100000",
                              "periods": [2021], "geo": "china_provinces.geojson",
                              "series": [{"indicator": "de_va"}],
                              "basemap": {"source": "自然资源部标准地图服务",
                                          "review_no": "GS(2024)0650号"}},
                        "r.yaml", None, "100000")
    df = pd.DataFrame({"region_code": ["360000", "460000"], "region_name": ["江西省", "海南省"],
                       "indicator": "de_va", "period": "2021", "value": [10378.0, 1200.0],
                       "unit": "亿元", "status": "published", "text": ["10378.0", "1200.0"]})
    option = option_for(fdef, df, path)
    data = {d["name"]: d for d in option["series"][0]["data"]}
    assert data["海南省"]["value"] == 1200.0 and data["江西省"]["value"] == 10378.0
    assert data[INSET_NAME]["value"] is None and data[INSET_NAME]["label"]["show"] is True
    assert data[FRAME_NAME]["label"]["show"] is False
    assert data[FRAME_NAME]["itemStyle"]["borderColor"] == "#555555"
    svg = figure_svg(option, path, 800, 600)
    assert svg.count(">南海诸岛<") == 1 and FRAME_NAME not in svg and ">南海断续线<" not in svg
