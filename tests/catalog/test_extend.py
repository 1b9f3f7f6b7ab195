"""The catalog extended by data: units the GB/T 2260 table does not have (Hunan's 管理区 of the
NBS statistical code list), aliases and English names for known regions, and a new indicator,
all added without code."""
from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_cli

from digecon.catalog import AmbiguousNameError, CatalogError, UnknownNameError, get_catalog
from digecon.dataset_paths import (
    active_dataset,
    catalog_extension_dir,
    dataset_of_spec,
    use_dataset,
)

REGIONS_HEADER = "code,name,short,level,parent,name_en\n"
INDICATORS_HEADER = "code,name_zh,name_en,unit,kind,decimals,definition,formula,aliases\n"
HUNAN_CITIES = (REGIONS_HEADER + "430100,长沙市,长沙,city,430000,Changsha\n"
                "430200,株洲市,株洲,city,430000,Zhuzhou\n")
# Statistical units with NBS codes (统计用区划代码 2023) that are no GB/T 2260 division.
MANAGED = (REGIONS_HEADER + "430671,岳阳市屈原管理区,屈原管理区,county,430600,\n"
           "430771,常德市西洞庭管理区,西洞庭管理区,county,430700,\n")
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
    folder = write(tmp_path / "hunan", MANAGED, BROADBAND)
    monkeypatch.setenv("DIGECON_CATALOG_PATH", str(folder))
    return folder


def test_units_and_indicator_from_catalog_path(hunan):
    cat = get_catalog()
    unit = cat.region("西洞庭管理区")
    assert (unit.code, unit.name, unit.level, unit.parent, unit.kind) == (
        "430771", "常德市西洞庭管理区", "county", "430700", "")
    assert cat.region(430671).name == "岳阳市屈原管理区"
    assert [r.code for r in cat.regions(level="county", parent="430700")][-1] == "430771"
    assert len(cat.regions(level="city", parent="430000")) == 14  # the packaged rows stay
    assert len(cat.regions(level="city", parent="360000")) == 11
    ind = cat.indicator("宽带用户")
    assert (ind.code, ind.unit, ind.kind, ind.decimals) == ("broadband_users", "万户", "count", 1)


def test_cache_follows_the_inputs(hunan, monkeypatch):
    assert get_catalog().region("屈原管理区").code == "430671"
    monkeypatch.delenv("DIGECON_CATALOG_PATH")
    with pytest.raises(UnknownNameError):
        get_catalog().region("430671")
    monkeypatch.setenv("DIGECON_CATALOG_PATH", str(hunan))
    (hunan / "regions.csv").write_text(MANAGED + "430971,益阳市大通湖管理区,大通湖管理区,county,"
                                       "430900,\n", encoding="utf-8")
    assert get_catalog().region("大通湖管理区").code == "430971"


def test_active_dataset_catalog_folder_is_merged_first(tmp_path, monkeypatch):
    datasets = tmp_path / "datasets"
    write(datasets / "jiangxi-2022" / "catalog", MANAGED.rsplit("430771", 1)[0])
    more = write(tmp_path / "more", REGIONS_HEADER + "430771,常德市西洞庭管理区,,county,430700,\n")
    monkeypatch.setenv("DIGECON_DATASETS", str(datasets))
    monkeypatch.setenv("DIGECON_CATALOG_PATH", str(more))
    assert [get_catalog().region(c).name for c in ("430671", "430771")] == [
        "岳阳市屈原管理区", "常德市西洞庭管理区"]


@pytest.mark.parametrize("how", ["variable", "use_dataset", "path"])
def test_any_active_dataset_catalog_folder_is_read(how, tmp_path, monkeypatch):
    """Not only the bundled dataset's: whichever dataset is active ($DIGECON_DATASET, a
    command's use_dataset(), or a dataset given by its folder)."""
    datasets = tmp_path / "datasets"
    write(datasets / "jiangxi-2022", None)
    hunan = write(datasets / "hunan-2023" / "catalog", MANAGED)
    monkeypatch.setenv("DIGECON_DATASETS", str(datasets))
    monkeypatch.delenv("DIGECON_CATALOG_PATH", raising=False)
    monkeypatch.delenv("DIGECON_DATASET", raising=False)
    with pytest.raises(UnknownNameError):
        get_catalog().region("屈原管理区")
    if how == "variable":
        monkeypatch.setenv("DIGECON_DATASET", "hunan-2023")
    elif how == "use_dataset":
        use_dataset("hunan-2023")
    else:
        monkeypatch.setenv("DIGECON_DATASET", str(hunan.parent))
    try:
        assert active_dataset() in ("hunan-2023", str(hunan.parent))
        assert catalog_extension_dir() == hunan
        assert get_catalog().region("屈原管理区").code == "430671"
    finally:
        use_dataset(None)
    monkeypatch.delenv("DIGECON_DATASET", raising=False)
    with pytest.raises(UnknownNameError):
        get_catalog().region("屈原管理区")


def test_a_report_spec_belongs_to_the_dataset_above_it(tmp_path):
    (tmp_path / "hunan-2023" / "index").mkdir(parents=True)
    (tmp_path / "hunan-2023" / "dataset.yaml").write_text("vintage: 2023-07-01\n", encoding="utf-8")
    assert dataset_of_spec(tmp_path / "hunan-2023" / "index" / "a.yaml") == tmp_path / "hunan-2023"
    assert dataset_of_spec(tmp_path / "loose.yaml") is None


def test_known_regions_get_aliases_and_english_names(tmp_path, monkeypatch):
    folder = write(tmp_path / "x", REGIONS_HEADER.replace("\n", ",aliases\n")
                   + "433100,湘西土家族苗族自治州,湘西,city,430000,Xiangxi,大湘西\n"
                   "430100,长沙市,,city,430000,Changsha,星城\n")
    monkeypatch.setenv("DIGECON_CATALOG_PATH", str(folder))
    cat = get_catalog()
    xiangxi = cat.region("大湘西")
    assert (xiangxi.code, xiangxi.short, xiangxi.name_en) == ("433100", "湘西", "Xiangxi")
    assert cat.region("湘西州").code == "433100"  # the packaged short name is an alias now
    assert (cat.region("星城").code, cat.region("长沙").name_en) == ("430100", "Changsha")


@pytest.mark.parametrize("row,column,found", [
    ("430100,长沙市,星沙,city,430000,,", "short", "「星沙」"),
    ("360100,南昌市,,city,360000,Hongcheng,", "name_en", "「Hongcheng」"),
    ("433100,湘西土家族苗族自治州,,city,430000,,地区", "kind", "「地区」，应为「自治州」"),
])
def test_known_region_contradicted_is_refused(row, column, found, tmp_path, monkeypatch):
    folder = write(tmp_path / "x", REGIONS_HEADER.replace("\n", ",kind\n") + row + "\n")
    monkeypatch.setenv("DIGECON_CATALOG_PATH", str(folder))
    with pytest.raises(CatalogError, match=f"regions.csv:2:{column}: 发现{found}"):
        get_catalog()


def test_a_county_name_may_repeat_under_another_parent(tmp_path, monkeypatch):
    folder = write(tmp_path / "x", REGIONS_HEADER + "430199,鼓楼区,,county,430100,\n")
    monkeypatch.setenv("DIGECON_CATALOG_PATH", str(folder))
    with pytest.raises(AmbiguousNameError) as exc:
        get_catalog().region("鼓楼区")
    assert "湖南省长沙市鼓楼区（430199）" in exc.value.candidates
    assert len(exc.value.candidates) == 5
    again = write(tmp_path / "y", REGIONS_HEADER + "320199,鼓楼区,,county,320100,\n")
    monkeypatch.setenv("DIGECON_CATALOG_PATH", str(again))
    with pytest.raises(CatalogError, match="regions.csv:2:name: 发现「鼓楼区」"):
        get_catalog()


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


def test_hunan_cities_end_to_end_through_the_cli(tmp_path, monkeypatch):
    # The packaged 长沙市 and 株洲市, repeated by an extension that adds their English names.
    monkeypatch.setenv("DIGECON_CATALOG_PATH", str(write(tmp_path / "hunan", HUNAN_CITIES)))
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
    for city, share in (("长沙市", "40.0 %"), ("株洲市", "30.0 %")):
        result = run_cli("query", "--indicator", "de_share_gdp", "--region", city,
                         "--period", "2021", "--db", str(db))
        assert result.returncode == 0, result.stderr
        assert city in result.stdout and share in result.stdout


# Each bad extension: files, the command that loads the catalog, where and what the error says.
BAD = [
    ("code_not_six_digits", REGIONS_HEADER + "43010,长沙市,长沙,city,430000,\n", None,
     "regions.csv:2:code", "「43010」"),
    ("level_unknown", REGIONS_HEADER + "430771,常德市西洞庭管理区,,prefecture,430700,\n", None,
     "regions.csv:2:level", "country、province、city、county"),
    ("parent_unknown", REGIONS_HEADER + "430771,常德市西洞庭管理区,,county,439900,\n", None,
     "regions.csv:2:parent", "「439900」，目录中没有这个地区"),
    ("parent_is_a_name", REGIONS_HEADER + "430771,常德市西洞庭管理区,,county,湖南省,\n", None,
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


# A province's breakdown may count county-level units the province administers directly
# (湖北's 17 市州: 13 prefecture-level units and 仙桃市, 潜江市, 天门市, 神农架林区).
HUBEI_DIRECT = "parent,code\n420000,429004\n420000,429005\n420000,429006\n420000,429021\n"


def test_subunits_csv_adds_directly_administered_units(tmp_path, monkeypatch):
    assert len(get_catalog().subunits("420000")) == 13  # without it: prefecture level only
    folder = tmp_path / "ext"
    folder.mkdir()
    (folder / "subunits.csv").write_text("# 省直辖县级行政单位\n" + HUBEI_DIRECT, encoding="utf-8")
    monkeypatch.setenv("DIGECON_CATALOG_PATH", str(folder))  # a folder with only subunits.csv
    units = get_catalog().subunits("湖北省")
    assert len(units) == 17
    assert [r.code for r in units] == sorted(r.code for r in units)
    assert {"仙桃市", "神农架林区", "恩施土家族苗族自治州", "武汉市"} <= {r.name for r in units}
    assert len(get_catalog().subunits("430000")) == 14  # other provinces keep their units
    assert get_catalog().unit_word("420000") == "市州"
    monkeypatch.delenv("DIGECON_CATALOG_PATH")
    assert len(get_catalog().subunits("420000")) == 13


@pytest.mark.parametrize(("rows", "found"), [
    ("420100,429004\n", "parent: 发现「420100」"),             # the parent is a city
    ("420000,420100\n", "code: 发现「420100（武汉市，上级 420000）」"),  # not county level
    ("420000,430121\n", "code: 发现「430121（长沙县，上级 430100）」"),  # another province's
    ("420000,999999\n", "code: 发现「999999」"),
    ("420000,429004\n420000,429004\n", "code: 发现「429004」，应为每个代码一行"),
])
def test_bad_subunits_rows_are_named(rows, found, tmp_path, monkeypatch):
    folder = tmp_path / "ext"
    folder.mkdir()
    (folder / "subunits.csv").write_text("parent,code\n" + rows, encoding="utf-8")
    monkeypatch.setenv("DIGECON_CATALOG_PATH", str(folder))
    with pytest.raises(CatalogError, match=r"subunits.csv:\d+:" + found.replace("（", "（")):
        get_catalog()
