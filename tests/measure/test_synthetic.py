"""Synthetic records: city weights and years come from the dataset, not from code."""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
import yaml
from click.testing import CliRunner

from digecon.measure import synthetic
from digecon.measure.cli import EXIT_REJECTED, measure
from digecon.store.datasets import DatasetError

REPO = Path(__file__).resolve().parents[2]
DATASET = REPO / "datasets" / "jiangxi-2022"
CITIES = DATASET / "synthetic" / "cities.csv"
HEADER = "region_code,gdp_weight,digital_intensity\n"


def run(*args):
    return CliRunner().invoke(measure, [str(a) for a in args])


@pytest.fixture
def other_dataset(tmp_path, monkeypatch):
    """A copy of the bundled dataset (no observations) as $DIGECON_DATASETS, report.year 2023."""
    root = tmp_path / "datasets"
    shutil.copytree(DATASET, root / "jiangxi-2022", ignore=shutil.ignore_patterns("observations"))
    spec = root / "jiangxi-2022" / "report.yaml"
    raw = yaml.safe_load(spec.read_text(encoding="utf-8"))
    raw["report"]["year"] = 2023
    spec.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    monkeypatch.setenv("DIGECON_DATASETS", str(root))
    return root / "jiangxi-2022"


def test_bundled_weights_are_the_eleven_cities_in_file_order():
    cities = synthetic.read_cities()
    assert list(cities) == ["360100", "360200", "360300", "360400", "360500", "360600",
                            "360700", "360800", "360900", "361000", "361100"]
    assert cities["360100"] == (6650.53, 2.0) and cities["361100"] == (3043.49, 1.1)
    assert "INVENTED" in CITIES.read_text(encoding="utf-8")  # the file says the intensity is made up


def test_records_are_those_of_the_bundled_sample():
    # enterprises_sample.csv was written before the weights moved out of the code
    expected = (DATASET / "synthetic" / "enterprises_sample.csv").read_text(encoding="utf-8")
    assert synthetic.generate(2000, seed=2022).to_csv(index=False) == expected


def test_default_years_follow_the_report_spec(other_dataset):
    assert synthetic.default_years() == (2022, 2023)
    df = synthetic.generate(100, seed=1)
    assert sorted(df.year.unique()) == [2022, 2023]


def test_default_years_of_the_bundled_spec():
    assert synthetic.default_years() == (2020, 2021)


def test_another_cities_file(tmp_path):
    path = tmp_path / "two.csv"
    path.write_text("# two cities\n" + HEADER + "360100,1,1\n360500,999,0\n", encoding="utf-8")
    out = synthetic.write(tmp_path / "s.parquet", 4000, seed=3, years=(2021,), cities=path)
    table = pq.read_table(out)
    counts = table.to_pandas().region_code.value_counts()
    assert set(counts.index) == {"360100", "360500"} and counts["360500"] > 3900
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    assert table.schema.metadata[b"digecon.cities"] == f"two.csv sha256:{digest}".encode()
    assert table.schema.metadata[b"digecon.years"] == b"2021"


def test_cli_years_and_cities(tmp_path):
    path = tmp_path / "one.csv"
    path.write_text(HEADER + "360700,4169.37,1.3\n", encoding="utf-8")
    out = tmp_path / "s.csv"
    r = run("synthetic", "--records", 50, "--years", "2019,2020,2021", "--cities", path,
            "--out", out)
    assert r.exit_code == 0, r.output
    df = pd.read_csv(out, dtype={"region_code": str})
    assert set(df.region_code) == {"360700"} and sorted(df.year.unique()) == [2019, 2020, 2021]


def test_cli_default_years_from_the_spec(tmp_path, other_dataset):
    out = tmp_path / "s.csv"
    r = run("synthetic", "--records", 10, "--out", out)
    assert r.exit_code == 0, r.output
    assert "年份 2022,2023" in r.output


def test_cli_help_names_the_defaults():
    r = run("synthetic", "--help")
    assert "report.year" in r.output and "synthetic/cities.csv" in r.output
    assert "虚构" in r.output


BAD = [
    ("missing column", HEADER.replace(",digital_intensity", "") + "360100,1\n",
     (":1: 表头缺少列 digital_intensity；发现 region_code, gdp_weight，应为 region_code, "
      "gdp_weight, digital_intensity")),
    ("header only", "# note\n" + HEADER, ": 发现只有表头、没有数据行"),
    ("empty", "", ": 发现没有表头和数据行"),
    ("unknown region", HEADER + "360100,1,1\n999999,1,1\n",
     ":3:region_code: 发现「999999」，目录中没有这个地区，应为目录中地市级地区的代码"),
    ("province", HEADER + "360000,1,1\n", ":2:region_code: 发现「360000」（江西省，不是地市级地区）"),
    ("a name", HEADER + "南昌,1,1\n", ":2:region_code: 发现「南昌」，是地区名称（南昌市 的代码为 360100）"),
    ("blank code", HEADER + ",1,1\n", ":2:region_code: 发现空值"),
    ("duplicate", "# c\n" + HEADER + "360100,1,1\n360100,2,1\n",
     ":4:region_code: 发现「360100」重复（已在第 3 行），应为每个地区一行"),
    ("text weight", HEADER + "360100,六千,1\n",
     ":2:gdp_weight: 发现「六千」，应为正数（该市企业数量的权重，如 GDP 亿元）"),
    ("zero weight", HEADER + "360100,0,1\n", ":2:gdp_weight: 发现「0」，应为正数"),
    ("nan weight", HEADER + "360100,nan,1\n", ":2:gdp_weight: 发现「nan」，应为正数"),
    ("blank intensity", HEADER + "360100,5,\n", ":2:digital_intensity: 发现空值，应为不小于 0 的数"),
    ("negative intensity", HEADER + "360100,5,-0.5\n",
     ":2:digital_intensity: 发现「-0.5」，应为不小于 0 的数（数字产业企业的相对概率）"),
    ("short row", HEADER + "360100,5\n", ":2:digital_intensity: 发现空值"),
]


@pytest.mark.parametrize("content,expected", [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_bad_cities_file_is_named_and_nothing_is_written(tmp_path, content, expected):
    path = tmp_path / "cities.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DatasetError) as exc:
        synthetic.read_cities(path)
    assert f"{path}{expected}" in str(exc.value)
    out = tmp_path / "s.parquet"
    r = run("synthetic", "--records", 10, "--cities", path, "--out", out)
    assert r.exit_code == EXIT_REJECTED and f"{path}{expected}" in r.output
    assert not out.exists()


def test_missing_and_non_utf8_cities_files(tmp_path):
    r = run("synthetic", "--cities", tmp_path / "none.csv", "--out", tmp_path / "s.csv")
    assert r.exit_code == EXIT_REJECTED
    assert f"{tmp_path / 'none.csv'}: 发现文件缺失，应为合成记录的城市权重 CSV" in r.output
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes((HEADER + "360100,1,1\n# 南昌\n").encode("gb18030"))
    r = run("synthetic", "--cities", gbk, "--out", tmp_path / "s.csv")
    assert r.exit_code == EXIT_REJECTED and f"{gbk}:3: 发现非 UTF-8 字节 0x" in r.output
    assert not (tmp_path / "s.csv").exists()


def test_missing_bundled_cities_file(other_dataset, tmp_path):
    (other_dataset / "synthetic" / "cities.csv").unlink()
    r = run("synthetic", "--records", 10, "--out", tmp_path / "s.csv")
    assert r.exit_code == EXIT_REJECTED
    assert f"{other_dataset / 'synthetic' / 'cities.csv'}: 发现文件缺失" in r.output


def test_unusable_spec_for_default_years(other_dataset, tmp_path):
    spec = other_dataset / "report.yaml"
    spec.write_text(spec.read_text(encoding="utf-8").replace("year: 2023", "year: 二〇二三"),
                    encoding="utf-8")
    r = run("synthetic", "--records", 10, "--out", tmp_path / "s.csv")
    assert r.exit_code == EXIT_REJECTED
    assert f"{spec}: report.year: 发现「二〇二三」" in r.output and "--years" in r.output
    ok = run("synthetic", "--records", 10, "--years", "2021", "--out", tmp_path / "s.csv")
    assert ok.exit_code == 0, ok.output


def test_load_demo_of_another_dataset_uses_its_own_years_and_cities(tmp_path, monkeypatch):
    """`load-demo --dataset X` computes the synthetic accounts from X's spec and weights, not
    from the bundled dataset's."""
    from digecon.store import Store
    from digecon.store.cli import _demo_extras

    root = tmp_path / "datasets"
    shutil.copytree(DATASET, root / "jiangxi-2022", ignore=shutil.ignore_patterns("observations"))
    other = root / "other-2023"
    shutil.copytree(DATASET, other, ignore=shutil.ignore_patterns("observations"))
    spec = other / "report.yaml"
    raw = yaml.safe_load(spec.read_text(encoding="utf-8"))
    raw["report"]["year"] = 2023
    spec.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    weights = other / "synthetic" / "cities.csv"
    lines = weights.read_text(encoding="utf-8").splitlines()
    header = next(ln for ln in lines if ln.startswith("region_code"))
    weights.write_text(f"{header}\n360100,6650.53,2.0\n360700,4169.37,1.3\n", encoding="utf-8")
    monkeypatch.setenv("DIGECON_DATASETS", str(root))

    (_label, step), = _demo_extras("other-2023", "2023-07-01")
    store = Store(tmp_path / "s.duckdb")
    store.init()
    step(store)
    got = store.query(indicator="di_va", status="synthetic")
    assert set(got.period) == {"2022", "2023"}
    assert set(got.region_code) == {"360100", "360700", "360000"}
