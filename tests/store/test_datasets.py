"""The dataset's manifest (dataset.yaml): its vintage is what load-demo stamps its own rows with."""
from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys

import pytest
from conftest import REPO

from digecon.store import Store
from digecon.store.datasets import DatasetError, dataset_vintage

DATASET = REPO / "datasets" / "jiangxi-2022"


def test_bundled_vintage_is_the_papers():
    assert dataset_vintage() == "2022-07-01"
    # the same date the observation files carry for the white paper's facts: the two must agree
    with open(DATASET / "observations" / "02_white_paper_facts.csv", encoding="utf-8") as fh:
        assert {row["vintage"] for row in csv.DictReader(fh)} == {dataset_vintage()}


def test_synthetic_accounts_carry_the_manifest_vintage(demo_db):
    df = Store(demo_db).query(indicator="di_va", status="synthetic")
    assert len(df) == 24  # 11 cities and the province, 2020 and 2021
    assert set(df.vintage.astype(str)) == {"2022-07-01"}


@pytest.fixture
def copy(tmp_path, monkeypatch):
    root = tmp_path / "datasets"
    shutil.copytree(DATASET, root / "jiangxi-2022")
    monkeypatch.setenv("DIGECON_DATASETS", str(root))
    return root / "jiangxi-2022"


@pytest.mark.parametrize("text,expected", [
    ("# edition\nvintage: 2022-13-01\n", ":2:vintage: 发现「2022-13-01」，应为日期 YYYY-MM-DD"),
    ("vintage: 七月\n", ":1:vintage: 发现「七月」，应为日期 YYYY-MM-DD"),
    ("name: x\n", ":1:vintage: 发现该字段缺失，应为数据集清单 dataset.yaml"),
    ("vintage: [2022\n", ":2: 发现无法解析的 YAML（expected ',' or ']'"),
    ("vintage:\n", ":1:vintage: 发现该字段缺失"),
    ("- 2022-07-01\n", ":1:vintage: 发现该字段缺失"),
])
def test_bad_manifest_is_named(copy, text, expected):
    (copy / "dataset.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(DatasetError) as exc:
        dataset_vintage()
    assert f"{copy / 'dataset.yaml'}{expected}" in str(exc.value)


def load_demo(tmp_path, root):
    env = dict(os.environ, DIGECON_DATASETS=str(root), DIGECON_DB=str(tmp_path / "x.duckdb"))
    return subprocess.run([sys.executable, "-m", "digecon.cli", "load-demo"], env=env,
                          capture_output=True, text=True, check=False)


def test_load_demo_without_manifest_writes_nothing(copy, tmp_path):
    (copy / "dataset.yaml").unlink()
    out = load_demo(tmp_path, copy.parent)
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert f"{copy / 'dataset.yaml'}: 发现文件缺失，应为数据集清单 dataset.yaml" in out.stderr
    assert not (tmp_path / "x.duckdb").exists()


def test_load_demo_with_bad_city_weights_writes_nothing(copy, tmp_path):
    cities = copy / "synthetic" / "cities.csv"
    cities.write_text(cities.read_text(encoding="utf-8").replace("360500,1154.60", "360500,n/a"),
                      encoding="utf-8")
    out = load_demo(tmp_path, copy.parent)
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert f"{cities}:9:gdp_weight: 发现「n/a」，应为正数" in out.stderr
    assert not (tmp_path / "x.duckdb").exists()
