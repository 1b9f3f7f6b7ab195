"""Deterministic synthetic enterprise records (labelled synthetic) for the demo and the benchmarks."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from digecon.measure.accounts import RECORD_COLUMNS
from digecon.measure.classify import gbt4754

__all__ = ["CITIES", "STATUS", "generate", "write"]

STATUS = "synthetic"
CHUNK = 1_000_000  # fixed so the records do not depend on how they are written

# 11 设区市 of 江西省 (GB/T 2260) with 2021 GDP in 亿元 (preliminary, reference/jiangxi_gdp.csv)
# as the weight of each city's enterprise population, and a made-up digital intensity
# (relative chance that an enterprise is in 39/63/64/65) — synthetic, not an estimate.
CITIES: dict[str, tuple[float, float]] = {
    "360100": (6650.53, 2.0), "360200": (1102.31, 0.8), "360300": (1108.30, 0.6),
    "360400": (3735.68, 1.1), "360500": (1154.60, 0.8), "360600": (1143.92, 1.0),
    "360700": (4169.37, 1.3), "360800": (2525.65, 1.6), "360900": (3191.28, 0.9),
    "361000": (1794.55, 0.7), "361100": (3043.49, 1.1),
}
# Share of enterprises by 门类 (manufacturing, construction and trade dominate), invented.
SECTION_WEIGHTS = {"A": 3, "B": 1, "C": 38, "D": 2, "E": 6, "F": 12, "G": 14, "H": 3, "I": 5,
                   "J": 2, "K": 3, "L": 3, "M": 3, "N": 1, "O": 1, "P": 1, "Q": 1, "R": 1, "S": 1}
DIGITAL_DIVISIONS = ("39", "63", "64", "65")
BASE_DIGITAL_PROB = 0.07


def _codes() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    g = gbt4754()
    parent = dict(zip(g.code, g.parent))
    small = g[g.level == "小类"].code.to_numpy()
    section = np.array([parent[parent[parent[c]]] for c in small])
    digital = np.array([c[:2] in DIGITAL_DIVISIONS for c in small])
    return small, section, digital


def _chunk(rng: np.random.Generator, n: int, start_id: int, years: tuple[int, ...],
           codes: tuple[np.ndarray, np.ndarray, np.ndarray]) -> pa.Table:
    small, section, digital = codes
    n_ent = -(-n // len(years))
    city_codes = np.array(list(CITIES))
    gdp = np.array([v[0] for v in CITIES.values()])
    intensity = np.array([v[1] for v in CITIES.values()])
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


def _meta(n: int, seed: int, years: tuple[int, ...]) -> dict[bytes, bytes]:
    return {b"digecon.status": STATUS.encode(),
            b"digecon.generator": b"digecon.measure.synthetic",
            b"digecon.seed": str(seed).encode(), b"digecon.records": str(n).encode(),
            b"digecon.years": ",".join(map(str, years)).encode(),
            b"digecon.note": "合成数据（synthetic records）：非真实企业，不得作为公布数据使用".encode()}


def generate(n: int, seed: int = 2022, years: tuple[int, ...] = (2020, 2021)) -> pd.DataFrame:
    """`n` synthetic records (money in 万元) as a DataFrame, labelled in column `data_status`."""
    return pa.concat_tables(list(_chunks(n, seed, years))).to_pandas()


def _chunks(n: int, seed: int, years: tuple[int, ...]):
    codes = _codes()
    per_ent = len(years)
    for i, start in enumerate(range(0, n, CHUNK)):
        m = min(CHUNK, n - start)
        rng = np.random.default_rng([seed, i])
        yield _chunk(rng, m, 1 + start // per_ent, years, codes)


def write(path: str | Path, n: int, seed: int = 2022,
          years: tuple[int, ...] = (2020, 2021)) -> Path:
    """Write `n` synthetic records to Parquet (status in the file's metadata too) or CSV."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() == ".csv":
        generate(n, seed, years).to_csv(path, index=False)
        return path
    writer = None
    try:
        for t in _chunks(n, seed, years):
            t = t.replace_schema_metadata(_meta(n, seed, years))
            writer = writer or pq.ParquetWriter(path, t.schema)
            writer.write_table(t, row_group_size=250_000)
    finally:
        if writer:
            writer.close()
    return path
