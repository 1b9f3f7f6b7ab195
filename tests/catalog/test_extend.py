"""The catalog extended by data: Hunan's cities and a new indicator added without code."""
from __future__ import annotations

from pathlib import Path

import pytest

from digecon.catalog import CatalogError, get_catalog

from conftest import run_cli

REGIONS_HEADER = "code,name,short,level,parent,name_en\n"
INDICATORS_HEADER = "code,name_zh,name_en,unit,kind,decimals,definition,formula,aliases\n"
HUNAN_CITIES = (REGIONS_HEADER + "430100,长沙市,长沙,city,430000,Changsha\n"
                "430200,株洲市,株洲,city,430000,Zhuzhou\n")
BROADBAND = INDICATORS_HEADER + ("broadband_users,固定宽带用户数,Fixed broadband users,万户,"
                                 "count,1,年末固定互联网宽带接入用户数,,宽带用户\n")


def write(folder: Path, regions: str | None = None, indicators: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    if regions is not None:
        (folder / "regions.csv").write_text(regions, encoding="utf-8")
    if indicators is not None:
        (folder / "indicators.csv").write_text(indicators, encoding="utf-8")
    return folder


@pytest.fixture
def hunan(tmp_path, monkeypatch) -> Path:
    folder = write(tmp_path / "hunan", HUNAN_CITIES, BROADBAND)
    monkeypatch.setenv("DIGECON_CATALOG_PATH", str(folder))
    return folder


def test_cities_and_indicator_from_catalog_path(hunan):
    cat = get_catalog()
    changsha = cat.region("长沙")
    assert (changsha.code, changsha.name, changsha.level, changsha.parent) == (
        "430100", "长沙市", "city", "430000")
    assert cat.region(430200).name == "株洲市"
    assert [r.name for r in cat.regions(level="city", parent="430000")] == ["长沙市", "株洲市"]
    assert len(cat.regions(level="city", parent="360000")) == 11  # the packaged rows stay
    ind = cat.indicator("宽带用户")
    assert (ind.code, ind.unit, ind.kind, ind.decimals) == ("broadband_users", "万户", "count", 1)


def test_cache_follows_the_inputs(hunan, monkeypatch):
    assert get_catalog().region("长沙").code == "430100"
    monkeypatch.delenv("DIGECON_CATALOG_PATH")
    assert get_catalog().regions(level="city", parent="430000") == []
    monkeypatch.setenv("DIGECON_CATALOG_PATH", str(hunan))
    (hunan / "regions.csv").write_text(HUNAN_CITIES + "430300,湘潭市,湘潭,city,430000,\n",
                                       encoding="utf-8")
    assert [r.code for r in get_catalog().regions(parent="430000")] == [
        "430100", "430200", "430300"]


def test_active_dataset_catalog_folder_is_merged_first(tmp_path, monkeypatch):
    datasets = tmp_path / "datasets"
    write(datasets / "jiangxi-2022" / "catalog", HUNAN_CITIES)
    more = write(tmp_path / "more", REGIONS_HEADER + "430300,湘潭市,湘潭,city,430000,\n")
    monkeypatch.setenv("DIGECON_DATASETS", str(datasets))
    monkeypatch.setenv("DIGECON_CATALOG_PATH", str(more))
    assert [r.name for r in get_catalog().regions(parent="430000")] == [
        "长沙市", "株洲市", "湘潭市"]


def test_identical_repeat_of_a_known_code_is_fine(tmp_path, monkeypatch):
    folder = write(tmp_path / "x", REGIONS_HEADER + "360100,南昌市,南昌,city,360000,\n"
                   "430000,湖南省,,province,100000,\n" + HUNAN_CITIES.split("\n", 1)[1],
                   INDICATORS_HEADER + "de_va,数字经济增加值,,亿元,level,,,,\n")
    monkeypatch.setenv("DIGECON_CATALOG_PATH", str(folder))
    cat = get_catalog()
    assert len(cat.regions(level="city", parent="360000")) == 11
    assert len(cat.regions(level="province")) == 31
    assert cat.region("长沙市").code == "430100"
    assert cat.indicator("de_va").formula == "di_va + id_va"


def test_hunan_cities_end_to_end_through_the_cli(hunan, tmp_path):
    db = tmp_path / "hunan.duckdb"
    assert run_cli("init", "--db", str(db)).returncode == 0
    # GDP 2021 as published (亿元); the two digital-economy parts are invented for the test.
    data = tmp_path / "hunan_2021.csv"
    data.write_text("region,indicator,period,value,unit\n"
                    "长沙市,gdp,2021,13270.7,亿元\n长沙市,di_va,2021,1327.07,亿元\n"
                    "长沙市,id_va,2021,3981.21,亿元\n株洲市,gdp,2021,3420.3,亿元\n"
                    "株洲市,di_va,2021,342.03,亿元\n株洲市,id_va,2021,684.06,亿元\n",
                    encoding="utf-8")
    result = run_cli("ingest", str(data), "--db", str(db), "--vintage", "2022-07-01",
                     "--source", "测试", "--status", "illustrative")
    assert result.returncode == 0, result.stderr
    for city, share in (("长沙市", "40.00 %"), ("株洲市", "30.00 %")):
        result = run_cli("query", "--indicator", "de_share_gdp", "--region", city,
                         "--period", "2021", "--db", str(db))
        assert result.returncode == 0, result.stderr
        assert city in result.stdout and share in result.stdout


# Each bad extension: files, the command that loads the catalog, where and what the error says.
BAD = [
    ("code_not_six_digits", REGIONS_HEADER + "43010,长沙市,长沙,city,430000,\n", None,
     "regions.csv:2:code", "「43010」"),
    ("level_unknown", REGIONS_HEADER + "430100,长沙市,长沙,prefecture,430000,\n", None,
     "regions.csv:2:level", "country、province、city"),
    ("parent_unknown", REGIONS_HEADER + "430100,长沙市,长沙,city,439900,\n", None,
     "regions.csv:2:parent", "「439900」，目录中没有这个地区"),
    ("parent_is_a_name", REGIONS_HEADER + "430100,长沙市,长沙,city,湖南省,\n", None,
     "regions.csv:2:parent", "湖南省 的代码为 430000"),
    ("known_code_other_name", REGIONS_HEADER + "360100,长沙市,长沙,city,360000,\n", None,
     "regions.csv:2:name", "发现「长沙市」，应为「南昌市」"),
    ("duplicate_region_row", HUNAN_CITIES + "430100,长沙市,长沙,city,430000,Changsha\n", None,
     "regions.csv:4:code", "已在本文件第 2 行"),
    ("unknown_unit", None, INDICATORS_HEADER + "broadband_users,固定宽带用户数,,万个户,count,1,,,\n",
     "indicators.csv:2:unit", "「万个户」"),
    ("unknown_kind", None, INDICATORS_HEADER + "broadband_users,固定宽带用户数,,万户,stock,1,,,\n",
     "indicators.csv:2:kind", "「stock」"),
    ("duplicate_indicator_row", None, BROADBAND + BROADBAND.split("\n", 1)[1],
     "indicators.csv:3:code", "已在本文件第 2 行"),
    ("known_indicator_other_unit", None, INDICATORS_HEADER + "de_va,数字经济增加值,,万元,level,,,,\n",
     "indicators.csv:2:unit", "发现「万元」，应为「亿元」"),
]
COMMANDS = [
    ["init", "--db", "{d}/x.duckdb"],
    ["query", "--indicator", "de_va", "--region", "长沙市", "--db", "{d}/x.duckdb"],
    ["ingest", "{d}/data.csv", "--db", "{d}/x.duckdb"],
    ["template", "--indicator", "gdp", "--region", "南昌", "--period", "2021",
     "--out", "{d}/t.xlsx"],
]


@pytest.mark.parametrize("case", range(len(BAD)), ids=[b[0] for b in BAD])
def test_bad_extension_exits_2_naming_file_line_column(case, tmp_path, monkeypatch):
    _, regions, indicators, where, found = BAD[case]
    folder = write(tmp_path / "ext", regions, indicators)
    (tmp_path / "data.csv").write_text("region,indicator,period,value,unit\n"
                                       "南昌市,gdp,2021,7203.5,亿元\n", encoding="utf-8")
    monkeypatch.setenv("DIGECON_CATALOG_PATH", str(folder))
    with pytest.raises(CatalogError, match=found):
        get_catalog()
    args = [a.replace("{d}", str(tmp_path)) for a in COMMANDS[case % len(COMMANDS)]]
    result = run_cli(*args)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    assert f"{folder}/{where}: 发现" in result.stderr and found in result.stderr
    assert not (tmp_path / "x.duckdb").exists() and not (tmp_path / "t.xlsx").exists()


def test_missing_catalog_path_folder_is_an_error(tmp_path, monkeypatch):
    monkeypatch.setenv("DIGECON_CATALOG_PATH", str(tmp_path / "nowhere"))
    with pytest.raises(CatalogError, match="nowhere: 发现目录不存在"):
        get_catalog()
    assert issubclass(CatalogError, ValueError)


def test_unknown_column_is_named(tmp_path, monkeypatch):
    folder = write(tmp_path / "ext", "code,name,short,lavel,parent\n430100,长沙市,长沙,city,430000\n")
    monkeypatch.setenv("DIGECON_CATALOG_PATH", str(folder))
    with pytest.raises(CatalogError, match=r"regions.csv:1:4: 发现未知列「lavel」"):
        get_catalog()
