"""Deterministic synthetic enterprise records (labelled synthetic) for the demo and the benchmarks."""
from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from digecon.measure.accounts import RECORD_COLUMNS
from digecon.measure.classify import gbt4754
from digecon.store.datasets import read_synthetic_cities, report_year, synthetic_cities_path

__all__ = ["STATUS", "default_years", "generate", "read_cities", "write"]

STATUS = "synthetic"
CHUNK = 1_000_000  # fixed so the records do not depend on how they are written

# Share of enterprises by 门类 (manufacturing, construction and trade dominate), invented.
SECTION_WEIGHTS = {"A": 3, "B": 1, "C": 38, "D": 2, "E": 6, "F": 12, "G": 14, "H": 3, "I": 5,
                   "J": 2, "K": 3, "L": 3, "M": 3, "N": 1, "O": 1, "P": 1, "Q": 1, "R": 1, "S": 1}
DIGITAL_DIVISIONS = ("39", "63", "64", "65")
BASE_DIGITAL_PROB = 0.07


Cities = dict[str, tuple[float, float]]  # region_code -> (gdp_weight, digital_intensity)


def read_cities(path: str | Path | None = None) -> Cities:
    """The cities records are spread over, with their weights: `path`, else the bundled
    dataset's synthetic/cities.csv (GDP as the weight of each city's enterprise population and
    an invented digital intensity: relative chance × BASE_DIGITAL_PROB of being in 39/63/64/65).

    Raises DatasetError naming file:line:column for a missing or malformed file.
    """
    return read_synthetic_cities(path)


def default_years(dataset: str | None = None) -> tuple[int, int]:
    """report.year − 1 and report.year of the dataset's report spec (the bundled dataset unless
    named; the same folder as the city weights, so records never mix one dataset's cities with
    another's years).

    Raises DatasetError (naming the spec) when there is no usable report.year.
    """
    year = report_year(dataset)
    return (year - 1, year)


def _codes() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    g = gbt4754()
    parent = dict(zip(g.code, g.parent))
    small = g[g.level == "小类"].code.to_numpy()
    section = np.array([parent[parent[parent[c]]] for c in small])
    digital = np.array([c[:2] in DIGITAL_DIVISIONS for c in small])
    return small, section, digital


def _chunk(rng: np.random.Generator, n: int, start_id: int, years: tuple[int, ...],
           codes: tuple[np.ndarray, np.ndarray, np.ndarray], cities: Cities) -> pa.Table:
    small, section, digital = codes
    n_ent = -(-n // len(years))
    city_codes = np.array(list(cities))
    gdp = np.array([v[0] for v in cities.values()])
    intensity = np.array([v[1] for v in cities.values()])
    city = rng.choice(len(city_codes), size=n_ent, p=gdp / gdp.sum())
    is_dig = rng.random(n_ent) < BASE_DIGITAL_PROB * intensity[city]
    w = np.array([SECTION_WEIGHTS.get(s, 0) for s in section], dtype=float)
    w_trad = np.where(digital, 0.0, w)
    w_dig = np.where(digital, 1.0, 0.0)
    code = np.where(is_dig, rng.choice(len(small), size=n_ent, p=w_dig / w_dig.sum()),
                    rng.choice(len(small), size=n_ent, p=w_trad / w_trad.sum()))
    # Heavy tail: lognormal body with a Pareto tail for the few very large enterprises (万元).
    va0 = rng.lognormal(5.3, 1.3, n_ent) * np.where(rng.random(n_ent) < 0.01,
                                                     rng.pareto(1.2, n_ent) + 1.0, 1.0)
    va0 *= np.where(is_dig, 1.4, 1.0)
    cols: dict[str, list[np.ndarray]] = {k: [] for k in RECORD_COLUMNS}
    for k, year in enumerate(years):
        grow = rng.lognormal(0.08 * k, 0.15, n_ent) if k else np.ones(n_ent)
        va = va0 * grow
        lab = va * rng.uniform(0.30, 0.60, n_ent)
        tax = va * rng.uniform(0.05, 0.15, n_ent)
        dep = va * rng.uniform(0.05, 0.20, n_ent)
        cols["labour_compensation"].append(lab)
        cols["net_production_taxes"].append(tax)
        cols["depreciation"].append(dep)
        cols["operating_surplus"].append(va - lab - tax - dep)  # negative when a firm loses money
        cols["revenue"].append(va / rng.uniform(0.15, 0.45, n_ent))
        cols["year"].append(np.full(n_ent, year, dtype=np.int64))
        cols["region_code"].append(city_codes[city])
        cols["industry_code"].append(small[code])
        cols["enterprise_id"].append(np.arange(start_id, start_id + n_ent, dtype=np.int64))
    arrays = {k: np.concatenate(v)[:n] for k, v in cols.items()}
    ids = pc.binary_join_element_wise("SYN", pc.utf8_lpad(pa.array(arrays.pop("enterprise_id"))
                                                         .cast(pa.string()), 9, "0"), "")
    table = {"enterprise_id": ids}
    for k in RECORD_COLUMNS[1:]:
        v = arrays[k]
        table[k] = pa.array(np.round(v, 2) if v.dtype.kind == "f" else v)
    table["data_status"] = pa.array(np.full(n, STATUS))
    return pa.table(table)


def _meta(n: int, seed: int, years: tuple[int, ...], cities_file: Path) -> dict[bytes, bytes]:
    digest = hashlib.sha256(cities_file.read_bytes()).hexdigest()
    return {b"digecon.status": STATUS.encode(),
            b"digecon.generator": b"digecon.measure.synthetic",
            b"digecon.seed": str(seed).encode(), b"digecon.records": str(n).encode(),
            b"digecon.years": ",".join(map(str, years)).encode(),
            b"digecon.cities": f"{cities_file.name} sha256:{digest}".encode(),
            b"digecon.note": "合成数据（synthetic records）：非真实企业，不得作为公布数据使用".encode()}


def _inputs(years: tuple[int, ...] | None, cities: str | Path | None
            ) -> tuple[tuple[int, ...], Cities, Path]:
    """Years and city weights, defaults from the bundled dataset; read before anything is written."""
    cities_file = Path(cities) if cities is not None else synthetic_cities_path()
    weights = read_cities(cities_file)
    return (tuple(years) if years is not None else default_years()), weights, cities_file


def generate(n: int, seed: int = 2022, years: tuple[int, ...] | None = None,
             cities: str | Path | None = None) -> pd.DataFrame:
    """`n` synthetic records (money in 万元) as a DataFrame, labelled in column `data_status`.

    `years` defaults to default_years(); `cities` (a CSV like the dataset's
    synthetic/cities.csv) to the bundled dataset's city weights.
    """
    years, weights, _ = _inputs(years, cities)
    return _frame(n, seed, years, weights)


def _frame(n: int, seed: int, years: tuple[int, ...], cities: Cities) -> pd.DataFrame:
    return pa.concat_tables(list(_chunks(n, seed, years, cities))).to_pandas()


def _chunks(n: int, seed: int, years: tuple[int, ...], cities: Cities):
    codes = _codes()
    per_ent = len(years)
    for i, start in enumerate(range(0, n, CHUNK)):
        m = min(CHUNK, n - start)
        rng = np.random.default_rng([seed, i])
        yield _chunk(rng, m, 1 + start // per_ent, years, codes, cities)


def write(path: str | Path, n: int, seed: int = 2022, years: tuple[int, ...] | None = None,
          cities: str | Path | None = None) -> Path:
    """Write `n` synthetic records to Parquet (status, years and city file in the file's
    metadata too) or CSV. Defaults as generate(); bad inputs raise before anything is written."""
    path = Path(path)
    years, weights, cities_file = _inputs(years, cities)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() == ".csv":
        _frame(n, seed, years, weights).to_csv(path, index=False)
        return path
    writer = None
    try:
        for t in _chunks(n, seed, years, weights):
            t = t.replace_schema_metadata(_meta(n, seed, years, cities_file))
            writer = writer or pq.ParquetWriter(path, t.schema)
            writer.write_table(t, row_group_size=250_000)
    finally:
        if writer:
            writer.close()
    return path
