"""The dashboard's region and year come from the report spec (--spec / $DIGECON_REPORT_SPEC)."""
from __future__ import annotations

import re
import shutil

import pytest
import yaml
from conftest import REPO, run_cli
from fastapi.testclient import TestClient

from digecon.api import Settings, create_app
from digecon.api.scope import ScopeError, load_scope

DATASET = REPO / "datasets" / "jiangxi-2022"


def spec_copy(tmp_path, edit=None, **report):
    """The bundled dataset copied (the spec's files are relative to it), with `report` keys set."""
    folder = tmp_path / "dataset"
    shutil.copytree(DATASET, folder, ignore=shutil.ignore_patterns("observations"))
    path = folder / "report.yaml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    raw["report"].update(report)
    if edit:
        edit(raw)
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def overview(demo_db, spec=None) -> str:
    extra = {"spec": spec} if spec else {}
    app = create_app(Settings(db=demo_db, uncertainty_runs=5, **extra))
    with TestClient(app) as c:
        r = c.get("/")
    assert r.status_code == 200, r.text[-2000:]
    return r.text


def card(page: str, name: str) -> str:
    """The value shown on the overview card for one indicator."""
    m = re.search(rf'<div class="k">{name}</div>\s*<div class="v">([^<]*)<', page)
    assert m, f"no card {name}"
    return m.group(1)


def test_bundled_spec_is_the_default(demo_db, monkeypatch):
    monkeypatch.delenv("DIGECON_REPORT_SPEC", raising=False)
    page = overview(demo_db)
    assert "<h1>江西省数字经济总览（2021年）</h1>" in page
    assert card(page, "数字经济增加值") == "10378"
    assert Settings().spec == Settings.from_env().spec == DATASET / "report.yaml"


def test_env_names_the_spec(tmp_path, monkeypatch):
    spec = spec_copy(tmp_path, year=2020)
    monkeypatch.setenv("DIGECON_REPORT_SPEC", str(spec))
    assert Settings.from_env().spec == spec
    assert Settings.from_env(spec=DATASET / "report.yaml").spec == DATASET / "report.yaml"


def test_overview_shows_the_spec_year(demo_db, tmp_path):
    page = overview(demo_db, spec_copy(tmp_path, year=2020))
    assert "<h1>江西省数字经济总览（2020年）</h1>" in page
    assert card(page, "数字经济增加值") == "8684.5"  # 2020, estimated (2021 is 10378)
    # The newest vintage wins (digecon.facts): the share derived from the 2024 GDP revision,
    # 8684.5 / 25781.95, supersedes the 32.5 estimated from the paper — as in the figures.
    assert card(page, "数字经济增加值占GDP比重") == "33.7"
    assert "设区市一览" in page  # the index is about this region's cities, so it is shown


def test_platform_name_comes_from_the_spec(demo_db, tmp_path):
    def name_it(raw):
        raw.setdefault("dashboard", {})["platform"] = "赣数通"
    page = overview(demo_db, spec_copy(tmp_path, edit=name_it))
    assert "<title>江西省数字经济总览 · 赣数通</title>" in page
    assert '<a class="brand" href="/">赣数通</a>' in page
    assert "digecon 数字经济" not in page


def test_empty_platform_name_is_refused(tmp_path):
    def blank(raw):
        raw.setdefault("dashboard", {})["platform"] = "  "
    with pytest.raises(ScopeError, match="dashboard.platform"):
        load_scope(spec_copy(tmp_path, edit=blank))


def test_region_without_data_says_so(demo_db, tmp_path):
    page = overview(demo_db, spec_copy(tmp_path, region="430000"))
    # the site carries the region's name, not the software's nor Jiangxi's
    assert "<title>湖南省数字经济总览</title>" in page
    assert '<a class="brand" href="/">湖南省数字经济</a>' in page and "江西" not in page
    assert "<h1>湖南省数字经济总览（2021年）</h1>" in page
    assert "暂无数据：数据库中没有湖南省 2021 年的数值" in page
    # figures of a region the store has no data for, and Jiangxi's city index, are not shown as Hunan's
    assert 'class="chart' not in page and "设区市一览" not in page and "南昌市" not in page


def test_neighbours_come_from_the_spec_map(demo_db):
    app = create_app(Settings(db=demo_db, uncertainty_runs=5))
    with TestClient(app) as c:
        page = c.get("/city/360100").text
    near = re.search(r"相邻设区市</h2>\s*<p>(.*?)</p>", page, re.DOTALL).group(1)
    assert re.findall(r">(\S+?)</a>", near) == ["九江市", "宜春市", "抚州市", "上饶市"]


def _without_map(raw: dict) -> None:
    del raw["figures"]["map_city_de"]

    def drop(sections):
        for sec in sections:
            sec["blocks"] = [b for b in sec.get("blocks", []) if b != {"figure": "map_city_de"}]
            drop(sec.get("sections", []))

    drop(raw["sections"])
    raw["dashboard"]["overview_figures"].remove("map_city_de")


def test_dashboard_block_is_checked(tmp_path):
    from digecon.api.scope import ScopeError, load_scope

    spec = spec_copy(tmp_path, edit=lambda raw: raw["dashboard"].update(city_figure="fig_nope"))
    with pytest.raises(ScopeError, match="fig_nope"):
        load_scope(spec)
    spec = spec_copy(tmp_path / "b", edit=lambda raw: raw["dashboard"].update(headlines=["zz"]))
    with pytest.raises(ScopeError, match="未知指标「zz」"):
        load_scope(spec)


def test_a_spec_without_dashboard_block_shows_no_cards(demo_db, tmp_path):
    spec = spec_copy(tmp_path, edit=lambda raw: raw.pop("dashboard"))
    page = overview(demo_db, spec)
    assert "<h1>" in page and not re.search(r'<div class="k">数字经济增加值</div>', page)


def test_spec_without_a_map_has_no_neighbours(demo_db, tmp_path):
    spec = spec_copy(tmp_path, edit=_without_map)
    app = create_app(Settings(db=demo_db, spec=spec, uncertainty_runs=5))
    with TestClient(app) as c:
        r = c.get("/city/360100")
        assert c.get("/assets/maps/jiangxi_360000.js").status_code == 404
    assert r.status_code == 200
    assert re.search(r"相邻设区市</h2>\s*<p>—</p>", r.text)


# -- bad --spec: exit 2, the file and the field named, before the server starts -----------------

@pytest.fixture
def bad_specs(tmp_path):
    (tmp_path / "binary.yaml").write_bytes(b"\x00\xa3\xff\xfe binary \x81")
    (tmp_path / "broken.yaml").write_text("report: {title: [unclosed\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("只是一段文字，不是报告规格。\n", encoding="utf-8")
    return tmp_path


BAD = [
    ("missing.yaml", "发现文件不存在，应为报告规格 YAML 文件"),
    ("binary.yaml", "发现非 UTF-8 内容（第 2 个字节），应为UTF-8 编码的 YAML 报告规格"),
    ("broken.yaml", "发现无法解析的 YAML（第 2 行第 1 列"),
    ("notes.txt", "发现不是键值映射的内容，应为含 report、figures、sections 的 YAML 映射"),
]


@pytest.mark.parametrize("name,expected", BAD, ids=[b[0] for b in BAD])
def test_bad_spec_exits_2_with_the_file_named(bad_specs, name, expected):
    path = bad_specs / name
    # --db does not exist either: exit 2 (not 1) shows the spec is checked first
    result = run_cli("serve", "--spec", str(path), "--db", str(bad_specs / "none.duckdb"))
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert f"无法启动：报告规格 {path}：{expected}" in result.stderr


def test_unknown_region_exits_2_naming_the_field(tmp_path, monkeypatch):
    spec = spec_copy(tmp_path, region="999999")
    monkeypatch.setenv("DIGECON_REPORT_SPEC", str(spec))  # the environment variable is checked too
    result = run_cli("serve", "--db", str(tmp_path / "none.duckdb"))
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert (f"报告规格 {spec}：字段 report.region：发现「999999」，目录中没有这个地区，"
            f"应为目录中的地区代码（GB/T 2260，如 \"360000\" 江西省）") in result.stderr


def test_bad_year_names_the_field(tmp_path):
    spec = spec_copy(tmp_path, year="二〇二一")
    with pytest.raises(ScopeError) as exc:
        load_scope(spec)
    assert exc.value.field == "report.year"
    assert str(exc.value) == (f"报告规格 {spec}：字段 report.year：发现「二〇二一」，"
                              "应为四位年份（如 2021）")


def test_catalog_extension_broken_while_serving_is_a_503_naming_the_file(demo_db, tmp_path,
                                                                          monkeypatch):
    from fastapi.testclient import TestClient

    ext = tmp_path / "catalog"
    ext.mkdir()
    regions = ext / "regions.csv"
    regions.write_text("code,name,short,level,parent,name_en\n"
                       "430100,长沙市,长沙,city,430000,Changsha\n", encoding="utf-8")
    monkeypatch.setenv("DIGECON_CATALOG_PATH", str(ext))
    with TestClient(create_app(Settings(db=demo_db, uncertainty_runs=5))) as c:
        assert "430100" in c.get("/api/v1/regions", params={"parent": "430000"}).text
        regions.write_text("code,name,short,level,parent,name_en\n"
                           "43010,长沙市,长沙,city,430000,Changsha\n", encoding="utf-8")
        r = c.get("/api/v1/regions", params={"parent": "430000"})
    assert r.status_code == 503
    assert f"{regions}:2:code" in r.json()["detail"] and "43010" in r.json()["detail"]


def test_tier_rule_is_read_from_the_index_spec():
    from digecon.api.pages import tier_rule

    steps = {"tiers": {"method": "thresholds", "labels": ["甲", "乙"],
                       "rules": [{"tier": 1, "when": {"gdp": {"ge": 5000}}}, {"tier": 2}]}}
    assert tier_rule(steps) == "划分规则（指数规格）：甲：地区生产总值不低于5000亿元；乙：其余"
    assert tier_rule({"tiers": {"method": "jenks", "k": 3}}) == "按指数得分以自然断点法（Jenks）分为3个梯队"
    assert tier_rule({}) == ""


def test_facts_and_pages_refuse_bad_input_with_a_message(demo_db):
    c = TestClient(create_app(Settings(db=demo_db, uncertainty_runs=5)))
    r = c.get("/api/v1/facts", params={"region": "火星"})
    assert r.status_code == 422 and "未知地区「火星」" in r.json()["detail"]
    assert c.get("/api/v1/facts", params={"as_of": "yesterday"}).status_code == 422
    assert c.get("/api/v1/facts", params={"limit": 0}).status_code == 422
    page = c.get("/city/360100", params={"as_of": "2022-13-01"})
    assert page.status_code == 422 and "as_of" in page.text


def test_a_national_map_is_served_with_its_south_china_sea_inset(demo_db, tmp_path):
    def national(raw):
        raw["figures"]["map_city_de"]["geo"] = "geo/china_provinces.geojson"

    spec = spec_copy(tmp_path, edit=national)
    app = create_app(Settings(db=demo_db, spec=spec, uncertainty_runs=5))
    with TestClient(app) as c:
        body = c.get("/assets/maps/china_provinces.js").text
    assert body.startswith('echarts.registerMap("china_provinces", ')
    assert body.count('"南海诸岛"') == 1  # the inset, as the report's own renderers draw it
    with TestClient(create_app(Settings(db=demo_db, uncertainty_runs=5))) as c:
        assert "南海诸岛" not in c.get("/assets/maps/jiangxi_360000.js").text
