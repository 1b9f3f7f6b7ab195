"""The bundled Jiangxi 2022 dataset as loaded by `digecon load-demo`."""
from __future__ import annotations

import csv
import re
from fractions import Fraction

import pytest
from conftest import REPO, run_cli

from digecon.catalog import get_catalog
from digecon.store import Store

THRESHOLDS = REPO / "datasets/jiangxi-2022/seedfacts/city_thresholds.csv"
CORE = {"de_value_added": "de_va", "de_share_gdp": "de_share_gdp", "di_value_added": "di_va",
        "di_share_gdp": "di_share_gdp", "id_value_added": "id_va", "id_share_gdp": "id_share_gdp"}
RANKED = {"di_value_added_rank": "di_va", "id_value_added_rank": "id_va",
          "smart_homework_coverage_rank": "smart_homework_coverage"}
FIGURE_SERIES = {"high_value_patents_per_10k", "it_services_revenue"}


def holds(value: float, relation: str, threshold: float) -> bool:
    return {"gt": value > threshold, "ge": value >= threshold, "lt": value < threshold,
            "le": value <= threshold, "eq": abs(value - threshold) < 1e-9,
            "approx": abs(value - threshold) <= 0.05 * abs(threshold)}[relation]


def tier_of(de_va: float, share: float) -> int:
    """The paper's grouping in 一(二): leader above 2500亿元 and 40%; second tier above 35%."""
    if de_va > 2500 and share > 40:
        return 1
    return 2 if share > 35 else 3


@pytest.fixture(scope="module")
def store(demo_db):
    return Store(demo_db)


def test_query_de_va_prints_value_and_quote(demo_db):
    out = run_cli("query", "--indicator", "de_va", "--region", "江西省", "--period", "2021",
                  db=demo_db)
    assert out.returncode == 0, out.stderr
    assert "10378 亿元" in out.stdout and "江西省数字经济增加值达10378亿元" in out.stdout


def test_query_di_share_de_is_derived_with_formula(demo_db):
    """The derived 1308.2 / 10378 = 12.61 % stays beside the paper's 12.6 %, which is the cell's
    current value (same vintage, published first); its text follows the one rounding rule."""
    out = run_cli("query", "--indicator", "di_share_de", "--region", "江西省", "--period", "2021",
                  "--status", "derived", "--history", "--format", "json", db=demo_db)
    assert out.returncode == 0, out.stderr
    import json
    [row] = json.loads(out.stdout)
    assert row["value"] == pytest.approx(1308.2 / 10378 * 100)
    assert row["text"] == "12.6 %" and row["status"] == "derived" and row["current"] is False
    assert row["formula"] == "di_va / de_va × 100 = 1308.2 / 10378 × 100 = 12.6055"
    out = run_cli("query", "--indicator", "di_share_de", "--region", "江西省", "--period", "2021",
                  "--format", "json", db=demo_db)
    [current] = json.loads(out.stdout)
    assert (current["text"], current["status"], current["current"]) == ("12.6 %", "published",
                                                                         True)


def test_every_city_statement_holds_on_demo_data(store):
    cat = get_catalog()
    cities = [r.name for r in cat.regions(level="city", parent="360000")]
    best = {}
    for code in set(CORE.values()) | set(RANKED.values()) | FIGURE_SERIES:
        for city in cities:
            row = store.value(code, city, "2021")
            if row is not None:
                best[(city, code)] = row
    checked = 0
    with open(THRESHOLDS, encoding="utf-8") as fh:
        for t in csv.DictReader(fh):
            city, ind, rel = t["city"], t["indicator"], t["relation"]
            x = float(Fraction(t["threshold"]))
            if ind == "tier":
                got = tier_of(best[(city, "de_va")]["value"], best[(city, "de_share_gdp")]["value"])
                assert got == x, (city, got, t["quote"])
                stated = store.value("city_tier", city, "2021")
                assert stated["value"] == x and stated["status"] == "published"
            elif ind in CORE or ind in FIGURE_SERIES:
                row = best[(city, CORE.get(ind, ind))]
                assert row["status"] in ("illustrative", "published")
                shown = round(row["value"], 1 if rel != "eq" else 2)  # as a label prints it
                assert holds(row["value"], rel, x) and holds(shown, rel, x), (city, ind, row["value"], t)
            elif ind in RANKED:
                code = RANKED[ind]
                ranked = sorted(cities, key=lambda c: -best[(c, code)]["value"])
                assert holds(ranked.index(city) + 1, rel, x), (city, ind, ranked)
            else:
                rows = store.query(region=city)
                base = re.sub(r"_dup\d+$", "", t["fact_id"])
                ids = {re.sub(r"(_\d{4})+$", "", base), base, ind}
                match = rows[rows["indicator"].isin(ids)]
                assert not match.empty, (city, t["fact_id"])
                assert any(holds(v, "eq", x) for v in match["value"]), (city, t["fact_id"])
                assert set(match["status"]) == {"published"}
            checked += 1
    assert checked == 198


def test_illustrative_values_are_marked_and_sourced(store):
    rows = store.query(status="illustrative")
    assert len(rows) > 100
    direct = rows[rows["formula"] == ""]
    assert direct["source"].str.contains("示意").all()
    computed = rows[rows["formula"] != ""]
    assert computed["inputs"].str.contains('"illustrative"').all()
    shares = store.query(indicator="de_share_gdp", region="南昌市", period="2021")
    computed = shares[shares["formula"] != ""]
    assert set(computed["status"]) == {"illustrative"}  # derived from illustrative inputs


def test_gdp_two_vintages_and_paper_era_share(store):
    rows = store.query(indicator="gdp", region="江西省", period="2021", latest_only=False)
    assert sorted(rows["value"]) == [29619.7, 29827.8]
    paper_era = store.query(indicator="de_share_gdp", region="江西省", period="2021",
                            status="derived", as_of="2022-07-31")
    assert paper_era["value"].iloc[0] == pytest.approx(35.0375, abs=1e-4)


def test_load_demo_twice_adds_nothing(demo_copy):
    before = Store(demo_copy).checksum()
    out = run_cli("load-demo", "--db", str(demo_copy))
    assert out.returncode == 0, out.stderr
    assert Store(demo_copy).checksum() == before


def test_tampered_dataset_is_refused(tmp_path):
    import shutil
    root = tmp_path / "datasets"
    shutil.copytree(REPO / "datasets/jiangxi-2022", root / "jiangxi-2022")
    f = root / "jiangxi-2022/observations/01_gdp.csv"
    f.write_text(f.read_text(encoding="utf-8").replace("29619.7", "29999.9"), encoding="utf-8")
    import os
    import subprocess
    import sys
    env = dict(os.environ, DIGECON_DATASETS=str(root), DIGECON_DB=str(tmp_path / "x.duckdb"))
    out = subprocess.run([sys.executable, "-m", "digecon.cli", "load-demo"], env=env,
                         capture_output=True, text=True, check=False)
    assert out.returncode == 2 and "01_gdp.csv" in out.stderr and "sha256" in out.stderr
    assert not (tmp_path / "x.duckdb").exists()


def test_load_demo_refuses_a_store_built_from_another_edition_of_its_files(tmp_path):
    """Two editions of one dataset file in one store would leave two values of one statement
    at one vintage; load-demo names the file and writes nothing."""
    import hashlib
    import shutil

    root = tmp_path / "datasets"
    shutil.copytree(REPO / "datasets" / "jiangxi-2022", root / "jiangxi-2022")
    db = tmp_path / "x.duckdb"
    env = {"DIGECON_DATASETS": str(root)}
    first = run_cli("load-demo", "--db", str(db), env=env)
    assert first.returncode == 0, first.stderr
    folder = root / "jiangxi-2022" / "observations"
    csv = folder / "05_illustrative.csv"
    csv.write_bytes(csv.read_bytes() + b"\n")  # another edition of the same file
    digest = hashlib.sha256(csv.read_bytes()).hexdigest()
    sums = folder / "SHA256SUMS"
    lines = [f"{digest}  05_illustrative.csv" if ln.endswith("05_illustrative.csv") else ln
             for ln in sums.read_text(encoding="utf-8").splitlines()]
    sums.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = Store(db).checksum()
    again = run_cli("load-demo", "--db", str(db), env=env)
    assert again.returncode == 2, again.stderr
    assert "05_illustrative.csv 的另一个版本已载入" in again.stderr
    assert Store(db).checksum() == before
