"""The nationwide region table: built from the pinned GB/T 2260 list, every prefecture-level
unit found by its full and short names, ambiguous names refused, groupings, unit words."""
from __future__ import annotations

import csv
import subprocess
import sys
from collections import Counter

import pytest
from conftest import REPO

from digecon.catalog import AmbiguousNameError, Catalog, UnknownNameError, get_catalog
from digecon.store.datasets import DatasetError, dataset_unit_word, unit_word

DATA = REPO / "src" / "digecon" / "catalog" / "data"


@pytest.fixture
def bare(tmp_path, monkeypatch):
    """No extension at all: no $DIGECON_CATALOG_PATH, an active dataset without catalog/."""
    (tmp_path / "datasets" / "jiangxi-2022").mkdir(parents=True)
    monkeypatch.setenv("DIGECON_DATASETS", str(tmp_path / "datasets"))
    monkeypatch.delenv("DIGECON_CATALOG_PATH", raising=False)
    monkeypatch.delenv("DIGECON_DATASET", raising=False)
    return get_catalog()


@pytest.mark.parametrize("key", ["湘西州", "湘西", "湘西土家族苗族自治州", "433100", 433100,
                                 "湘西自治州", "湖南湘西州", "湖南省湘西土家族苗族自治州"])
def test_xiangxi_by_every_name_on_an_empty_extension(bare, key):
    r = bare.region(key)
    assert (r.code, r.name, r.short, r.level, r.kind, r.parent) == (
        "433100", "湘西土家族苗族自治州", "湘西州", "city", "自治州", "430000")


@pytest.mark.parametrize("key,code", [
    ("恩施州", "422800"), ("恩施", "422800"), ("黔东南州", "522600"), ("黔东南", "522600"),
    ("广西", "450000"), ("内蒙古", "150000"), ("锡林郭勒", "152500"), ("大兴安岭", "232700"),
    ("南昌", "360100"), ("博州", "652700"), ("延边", "222400"), ("中国", "100000"),
    # a higher level wins a name it shares with a lower one
    ("吉林", "220000"), ("海南", "460000"), ("朝阳", "211300"), ("和田", "653200"),
    ("吉林市", "220200"), ("恩施市", "422801"), ("北京朝阳区", "110105"), ("长春市朝阳区", "220104"),
])
def test_short_names_and_aliases(bare, key, code):
    assert bare.region(key).code == code


def test_counts_levels_and_kinds(bare):
    assert len(bare.regions(level="province")) == 31
    cities = bare.regions(level="city")
    assert Counter(r.kind for r in cities) == {"地级市": 293, "自治州": 30, "地区": 7, "盟": 3}
    assert len(bare.regions(level="county")) == 2846
    assert bare.regions() == [r for r in bare.regions() if r.level != "county"]  # counties opt-in
    # 直辖市 have no prefecture level: their districts hang from the municipality itself
    for code in ("110000", "120000", "310000", "500000"):
        assert bare.regions(level="city", parent=code) == []
    assert len(bare.regions(level="county", parent="110000")) == 16
    # 省直辖县级行政区划 (仙桃市 …) hang from the province
    assert [r.name for r in bare.regions(level="county", parent="420000")] == [
        "仙桃市", "潜江市", "天门市", "神农架林区"]


def test_every_prefecture_of_every_province_by_full_and_short_name(bare):
    """Walks the table: each prefecture-level unit and province is found by its full name,
    its short name and each alias; no two of them share a key."""
    seen: dict[str, str] = {}
    walked = 0
    for r in bare.regions():
        for key in (r.name, r.short, *r.aliases):
            assert bare.region(key) == r, (key, r)
            assert seen.setdefault(key, r.code) == r.code, (key, seen[key], r.code)
        walked += r.level == "city"
    assert walked == 333


def test_every_county_by_code_and_by_name_or_refused_with_the_candidates(bare):
    counties = bare.regions(level="county")
    ambiguous = 0
    for r in counties:
        assert bare.region(r.code) == r
        try:
            found = bare.region(r.name)
        except AmbiguousNameError as exc:
            ambiguous += 1
            assert f"{bare.path_name(r)}（{r.code}）" in exc.candidates
            found = bare.region(bare.path_name(r))  # the name with its parents is unique
        assert found == r
    assert 0 < ambiguous < 300  # 朝阳区, 鼓楼区, 城区 … but most county names are unique


def test_ambiguous_name_lists_the_candidates_in_chinese(bare):
    with pytest.raises(AmbiguousNameError) as exc:
        bare.region("朝阳区")
    assert str(exc.value) == ("地区名称「朝阳区」不唯一，有 2 个地区同名：北京市朝阳区（110105）、"
                              "吉林省长春市朝阳区（220104）；请写六位代码或带上级的名称（如 北京市朝阳区）")
    assert isinstance(exc.value, UnknownNameError)  # every caller that catches unknown names
    with pytest.raises(AmbiguousNameError, match="有 4 个地区同名"):
        bare.region("鼓楼")


def test_build_script_reproduces_the_shipped_table(tmp_path):
    result = subprocess.run([sys.executable, str(REPO / "scripts" / "build_regions.py"),
                             "--out", str(tmp_path)], check=False, capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "regions.csv").read_bytes() == (DATA / "regions.csv").read_bytes()
    assert "333 city, 2846 county" in result.stdout


def test_build_script_refuses_another_source(tmp_path):
    sys.path.insert(0, str(REPO / "scripts"))
    try:
        import build_regions
    finally:
        sys.path.pop(0)
    changed = tmp_path / "mca.txt"
    changed.write_bytes(build_regions.SOURCE.read_bytes().replace("湘西".encode(), "湘南".encode()))
    with pytest.raises(build_regions.BuildError, match="sha256"):
        build_regions.build(source=changed)


def test_shipped_table_is_small_and_has_the_columns():
    path = DATA / "regions.csv"
    assert path.stat().st_size < 1_000_000
    with open(path, encoding="utf-8") as fh:
        header = next(csv.reader(fh))
    assert header == ["code", "name", "short", "level", "kind", "parent", "name_en", "aliases"]


@pytest.mark.parametrize("region,group", [
    ("江西", "中部地区"), ("南昌市", "中部地区"), ("433100", "中部地区"), ("广东省", "东部地区"),
    ("内蒙古", "西部地区"), ("锡林郭勒", "西部地区"), ("辽宁", "东北地区"), ("海南", "东部地区"),
    ("北京朝阳区", "东部地区")])
def test_group_of(bare, region, group):
    assert bare.group_of(region).name == group


def test_groups_cover_the_provinces_once(bare):
    groups = bare.groups()
    assert [(g.name, len(g.members)) for g in groups] == [
        ("东部地区", 10), ("中部地区", 6), ("西部地区", 12), ("东北地区", 3)]
    members = [m for g in groups for m in g.members]
    assert sorted(members) == sorted(r.code for r in bare.regions(level="province"))
    assert bare.group("中部").code == bare.group("中部地区").code == "central"
    assert bare.group_of("全国") is None
    with pytest.raises(UnknownNameError, match="未知地区分组「华中」"):
        bare.group("华中")


@pytest.mark.parametrize("province,word", [
    ("湖南", "市州"), ("江西", "设区市"), ("内蒙古", "盟市"), ("广东", "设区市"), ("湖北", "市州"),
    ("新疆", "地州市"), ("西藏", "地市"), ("黑龙江", "地市"), ("海南", "市县"), ("北京", "区"),
    ("重庆", "区县"), ("430000", "市州")])
def test_unit_word_from_the_kinds(bare, province, word):
    assert bare.unit_word(province) == word


def test_unit_word_override_and_wrong_level(bare):
    assert bare.unit_word("云南", override="州（市）") == "州（市）"
    with pytest.raises(ValueError, match="不是省级地区"):
        bare.unit_word("南昌")
    lone = Catalog(regions=[r for r in bare.regions() if r.code in ("100000", "810000")]
                   + [bare.region("430000")])
    with pytest.raises(ValueError, match="没有下级区划"):
        lone.unit_word("430000")


def test_unit_word_set_by_the_active_dataset(tmp_path, monkeypatch):
    root = tmp_path / "datasets"
    (root / "jiangxi-2022").mkdir(parents=True)
    (root / "jiangxi-2022" / "dataset.yaml").write_text("vintage: 2022-07-01\n", encoding="utf-8")
    (root / "yunnan").mkdir()
    (root / "yunnan" / "dataset.yaml").write_text(
        'vintage: 2023-07-01\nunit_word: {"530000": 州（市）}\n', encoding="utf-8")
    (root / "hlj").mkdir()
    (root / "hlj" / "dataset.yaml").write_text("vintage: 2023-07-01\nunit_word: 市（地）\n",
                                               encoding="utf-8")
    monkeypatch.setenv("DIGECON_DATASETS", str(root))
    monkeypatch.delenv("DIGECON_CATALOG_PATH", raising=False)
    monkeypatch.delenv("DIGECON_DATASET", raising=False)
    assert dataset_unit_word("360000") is None
    assert unit_word("江西") == "设区市"
    monkeypatch.setenv("DIGECON_DATASET", "yunnan")
    assert (unit_word("云南"), unit_word("湖南")) == ("州（市）", "市州")
    monkeypatch.setenv("DIGECON_DATASET", "hlj")
    assert unit_word("黑龙江省") == "市（地）"
    (root / "hlj" / "dataset.yaml").write_text("vintage: 2023-07-01\nunit_word: [市, 地]\n",
                                               encoding="utf-8")
    with pytest.raises(DatasetError, match=r"hlj/dataset.yaml:2:unit_word: 发现列表"):
        unit_word("黑龙江省")


def test_importing_the_catalog_loads_neither_duckdb_pandas_nor_the_store():
    code = ("import sys, digecon.catalog as c; c.get_catalog().region('湘西州'); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('duckdb', 'pandas') "
            "or m.startswith('digecon.store')))")
    result = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True,
                            text=True, cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize("old, code", [("襄樊市", "420600"), ("襄樊", "420600"), ("铜仁地区", "520600"),
                                       ("毕节地区", "520500"), ("思茅市", "530800"), ("海东地区", "630200"),
                                       ("吐鲁番地区", "650400"), ("哈密地区", "650500"),
                                       ("日喀则地区", "540200"), ("那曲地区", "540600")])
def test_former_names_of_renamed_prefectures_resolve_to_the_current_unit(bare, old, code):
    """Older series and files name a prefecture by its name before 撤地设市 or a renaming; the
    territory is the same, so the name is an alias of today's unit (region_overrides.csv)."""
    assert bare.region(old).code == code


def test_a_former_name_does_not_take_a_county_short_name(bare):
    """思茅 alone is 思茅区 (the district kept the old name); only 思茅市 is 普洱市's former name."""
    assert bare.region("思茅").code == "530802" and bare.region("思茅区").code == "530802"
