"""`digecon template` without --region lists the report spec's region and its cities."""
from __future__ import annotations

import os
import shutil
import subprocess

import openpyxl
import pytest
import yaml
from conftest import DIGECON, REPO, run_cli

DATASET = REPO / "datasets" / "jiangxi-2022"


def spec_copy(tmp_path, **report):
    """The bundled dataset without observations (the spec's files are relative to it)."""
    folder = tmp_path / "dataset"
    shutil.copytree(DATASET, folder, ignore=shutil.ignore_patterns("observations"))
    path = folder / "report.yaml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    raw["report"].update(report)
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def template(out, *args, spec=None) -> subprocess.CompletedProcess:
    """`digecon template` with $DIGECON_REPORT_SPEC set to `spec`, or unset."""
    env = {k: v for k, v in os.environ.items() if k != "DIGECON_REPORT_SPEC"}
    if spec is not None:
        env["DIGECON_REPORT_SPEC"] = str(spec)
    return subprocess.run([*DIGECON, "template", "--indicator", "de_va", "--period", "2021",
                           "--out", str(out), *args], capture_output=True, text=True, env=env,
                          cwd=REPO, check=False)


def template_regions(tmp_path, *args, spec=None) -> list[str]:
    out = tmp_path / "t.xlsx"
    result = template(out, *args, spec=spec)
    assert result.returncode == 0, result.stderr
    ws = openpyxl.load_workbook(out)["数据"]
    return [row[0].value for row in ws.iter_rows(min_row=2)]


def test_default_is_the_bundled_spec_region_and_its_cities(tmp_path):
    regions = template_regions(tmp_path)
    assert regions[0] == "江西省"
    assert regions[1:] == ["南昌市", "景德镇市", "萍乡市", "九江市", "新余市", "鹰潭市", "赣州市",
                           "吉安市", "宜春市", "抚州市", "上饶市"]


def test_default_follows_the_spec_named_by_the_environment(tmp_path):
    spec = spec_copy(tmp_path, region="430000")
    regions = template_regions(tmp_path, spec=spec)
    # the nationwide catalog: 湖南省 and its 14 prefecture-level divisions, 长沙市 first
    assert regions[:2] == ["湖南省", "长沙市"] and len(regions) == 15


def test_explicit_region_wins_over_the_spec(tmp_path):
    spec = spec_copy(tmp_path, region="430000")
    assert template_regions(tmp_path, "--region", "九江", spec=spec) == ["九江市"]


@pytest.mark.parametrize("region,expected", [
    (None, "发现文件不存在"),
    ("999999", "report.region: 发现「999999」，目录中没有这个地区"),
])
def test_unusable_default_spec_exits_2_naming_it(tmp_path, region, expected):
    spec = tmp_path / "missing.yaml" if region is None else spec_copy(tmp_path, region=region)
    result = template(tmp_path / "t.xlsx", spec=spec)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert str(spec) in result.stderr and expected in result.stderr
    assert "--region" in result.stderr
    assert not (tmp_path / "t.xlsx").exists()


def test_help_names_the_default():
    result = run_cli("template", "--help")
    assert "report.region" in result.stdout and "DIGECON_REPORT_SPEC" in result.stdout
