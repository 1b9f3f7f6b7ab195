"""Build the bundled Jiangxi 2022 dataset's observation files from the seed data.

Run from the repository root: `python scripts/build_demo_dataset.py`. Writes long CSV files
(the same layout `digecon ingest` reads) under datasets/jiangxi-2022/observations/ and the
manifest's checksums. Deterministic: the same inputs give byte-identical files.
"""
from __future__ import annotations

import csv
import hashlib
import math
import random
import re
import sys
from fractions import Fraction
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from digecon.catalog import get_catalog  # noqa: E402

DS = ROOT / "datasets" / "jiangxi-2022"
OUT = DS / "observations"
PAPER = "《江西省数字经济发展白皮书（2022年）》（江西省大数据中心，2022年7月）"
PAPER_VINTAGE = "2022-07-01"
SEED = 20220701
COLUMNS = ["region", "indicator", "period", "value", "unit", "qualifier", "status", "vintage",
           "source", "section", "ref", "quote", "formula", "note"]

cat = get_catalog()
mapping = __import__("json").loads(
    (ROOT / "src/digecon/catalog/data/seedfacts_map.json").read_text(encoding="utf-8"))


def read(name: str) -> list[dict[str, str]]:
    with open(DS / name, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def write(name: str, rows: list[dict]) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with open(OUT / name, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow({c: r.get(c, "") for c in COLUMNS})


def indicator_of(fact_id: str) -> str:
    base = re.sub(r"_dup\d+$", "", fact_id)
    return mapping.get(base, re.sub(r"(_\d{4})+$", "", base))


def number(text: str) -> tuple[str, str]:
    if "/" in text:
        f = Fraction(text)
        return f"{float(f):.10g}", f"原文为分数 {text}"
    return text, ""


QUAL = {"eq": "eq", "gt": "gt", "lt": "lt", "approx": "approx", "ge": "ge"}


def paper_facts() -> list[dict]:
    rows, seen = [], set()
    for f in read("seedfacts/facts.csv"):
        value, note = number(f["value"])
        for region in f["region"].split("|"):
            ind = indicator_of(f["fact_id"])
            unit = f["unit"]
            key = (region, ind, f["period"], f["qualifier"], f["section"])
            if key in seen:
                continue  # the same statement again in the same section
            seen.add(key)
            rows.append({"region": region, "indicator": ind, "period": f["period"],
                         "value": value, "unit": unit, "qualifier": QUAL[f["qualifier"]],
                         "status": "published", "vintage": PAPER_VINTAGE, "source": PAPER,
                         "section": f["section"], "ref": f["section"], "quote": f["quote"],
                         "note": "; ".join(x for x in (note, f["note"]) if x)})
    for t in read("seedfacts/city_thresholds.csv"):
        if t["unit"].startswith("flag"):  # membership, coded 1 = selected
            rows.append({"region": t["city"], "indicator": t["indicator"], "period": t["period"],
                         "value": "1", "unit": "", "status": "published",
                         "vintage": PAPER_VINTAGE, "source": PAPER, "section": t["section"],
                         "ref": t["section"], "quote": t["quote"],
                         "note": "1 = 入选（编码值，不是白皮书中的数字）"})
    return rows


def gdp_rows() -> list[dict]:
    rows = []
    for g in read("reference/jiangxi_gdp.csv"):
        prelim = g["vintage"].startswith("preliminary")
        year = int(g["year"])
        vintage = f"{year + 1}-03-01" if prelim else "2024-01-01"
        rows.append({"region": g["region_code"], "indicator": "gdp", "period": g["year"],
                     "value": g["gdp_100m_yuan"], "unit": "亿元", "status": "published",
                     "vintage": vintage, "source": g["source"],
                     "ref": "初步核算" if prelim else "修订数",
                     "note": (g["vintage"] + "；版本日期为近似值（统计公报通常于次年3月发布）" if prelim
                              else g["vintage"] + "；版本日期为近似值（收录修订数的时点）")})
    return rows


def table_rows() -> list[dict]:
    rows = []
    src1 = PAPER + " 表1（原始来源：复旦大学数字与移动治理实验室《中国地方政府数据开放报告》）"
    layers = [("readiness_index", "open_data_readiness"), ("platform_index", "open_data_platform"),
              ("data_index", "open_data_data"), ("utilization_index", "open_data_utilization"),
              ("composite_index", "open_data_composite"), ("overall_rank", "open_data_rank")]
    for t in read("seedfacts/table1_open_data_index.csv"):
        for col, ind in layers:
            if t[col]:
                rows.append({"region": t["region"], "indicator": ind, "period": "2021",
                             "value": t[col], "status": "published", "vintage": PAPER_VINTAGE,
                             "source": src1, "section": "三(一)", "ref": "表1"})
    src2 = PAPER + " 表2"
    for t in read("seedfacts/table2_shulin_cumulative.csv"):
        for col, ind in (("cumulative_score_2018_2021", "shulin_cumulative"), ("rank", "shulin_rank")):
            rows.append({"region": t["region"], "indicator": ind, "period": "2018-2021",
                         "value": t[col], "status": "published", "vintage": PAPER_VINTAGE,
                         "source": src2, "section": "三(一)", "ref": "表2"})
    return rows


SERIES = {"de_value_added": "de_va", "de_share_gdp": "de_share_gdp",
          "di_share_of_de": "di_share_de", "id_share_of_de": "id_share_de",
          "di_value_added": "di_va", "id_value_added": "id_va"}


def estimated_rows() -> list[dict]:
    rows, seen = [], set()
    for s in read("seedfacts/province_series.csv"):
        ind = SERIES.get(s["series_id"])
        if s["how"] != "implied" or ind is None or (ind, s["period"]) in seen:
            continue
        seen.add((ind, s["period"]))
        rows.append({"region": s["region"], "indicator": ind, "period": s["period"],
                     "value": s["value"], "unit": s["unit"], "status": "estimated",
                     "vintage": PAPER_VINTAGE, "source": "digecon 由白皮书所述数值推算",
                     "ref": s["figure"], "formula": s["arithmetic"], "quote": s["quote"],
                     "note": s["note"]})
    return rows


# ---------------------------------------------------------------- illustrative values
ILLU_SOURCE = "digecon 示意数据（确定性生成，满足白皮书对各设区市的全部表述；非统计数据）"
ILLU_SERIES_SOURCE = "digecon 示意数据（确定性生成，在白皮书所给年份的数值之间插值或外推；非统计数据）"


def illu(region: str, ind: str, period: str, value: float, decimals: int, note: str = "",
         source: str = ILLU_SOURCE) -> dict:
    return {"region": region, "indicator": ind, "period": period,
            "value": f"{value:.{decimals}f}", "status": "illustrative", "vintage": PAPER_VINTAGE,
            "source": source, "ref": "示意", "note": note}


def bounds_by_city() -> dict[tuple[str, str], list[float]]:
    """[lower, upper] per (city, indicator) from every stated or inferred threshold."""
    out: dict[tuple[str, str], list[float]] = {}
    for t in read("seedfacts/city_thresholds.csv"):
        key = (t["city"], t["indicator"])
        lo, hi = out.setdefault(key, [-math.inf, math.inf])
        x = float(Fraction(t["threshold"]))
        if t["relation"] in ("gt", "ge"):
            out[key][0] = max(lo, x)
        elif t["relation"] in ("lt", "le"):
            out[key][1] = min(hi, x)
    return out


def city_accounts(rng: random.Random) -> list[dict]:
    b = bounds_by_city()
    gdp = {g["region"]: float(g["gdp_100m_yuan"]) for g in read("reference/jiangxi_gdp.csv")
           if g["region_code"] != "360000"}
    rows = []
    for city in [r.name for r in cat.regions(level="city", parent="360000")]:
        g = gdp[city]

        def va_bounds(va: str, share: str, floor_share: float, cap_share: float):
            lo_v, hi_v = b.get((city, va), [-math.inf, math.inf])
            lo_s, hi_s = b.get((city, share), [-math.inf, math.inf])
            lo = max(lo_v, lo_s * g / 100, floor_share * g / 100)
            hi = min(hi_v, hi_s * g / 100, cap_share * g / 100)
            # keep clear of each threshold so rounding to one decimal cannot cross it
            return lo + 0.02 * (hi - lo) + 0.2, hi - 0.02 * (hi - lo) - 0.2

        di_lo, di_hi = va_bounds("di_value_added", "di_share_gdp", 1.0, 12.0)
        id_lo, id_hi = va_bounds("id_value_added", "id_share_gdp", 12.0, 45.0)
        de_lo, de_hi = va_bounds("de_value_added", "de_share_gdp", 0.0, 55.0)
        for _ in range(10000):
            di = rng.uniform(di_lo, di_hi)
            lo, hi = max(id_lo, de_lo - di), min(id_hi, de_hi - di)
            if lo < hi:
                idv = rng.uniform(lo + 0.1 * (hi - lo), hi - 0.1 * (hi - lo))
                break
        else:  # pragma: no cover - the thresholds are jointly satisfiable
            raise SystemExit(f"no illustrative values satisfy the statements for {city}")
        note = "示意值：在白皮书对该市的表述所允许的区间内确定性生成"
        rows.append(illu(city, "di_va", "2021", di, 1, note))
        rows.append(illu(city, "id_va", "2021", idv, 1, note))
    return rows


def other_city_indicators(rng: random.Random) -> list[dict]:
    cities = [r.name for r in cat.regions(level="city", parent="360000")]
    rows = []
    note = "示意值（确定性生成）"
    # 图7: 南昌、景德镇 above the provincial 1.55, the others below it
    for c in cities:
        v = rng.uniform(1.7, 4.5) if c in ("南昌市", "景德镇市") else rng.uniform(0.3, 1.45)
        rows.append(illu(c, "high_value_patents_per_10k", "2021", v, 2, note))
    # 图8: 南昌 (223.21) and the province (784.38) are published; the other ten share the rest
    others = [c for c in cities if c != "南昌市"]
    weights = [rng.uniform(0.6, 1.6) for _ in others]
    rest = [round((784.38 - 223.21) * w / sum(weights), 2) for w in weights]
    rest[-1] = round(784.38 - 223.21 - sum(rest[:-1]), 2)
    for c, v in zip(others, rest):
        rows.append(illu(c, "it_services_revenue", "2021", v, 2,
                         note + "；与南昌市合计等于全省 784.38 亿元"))
    for c in cities:
        rows.append(illu(c, "agri_iot_base_ratio", "2021", rng.uniform(8, 35), 1, note))
    # 图11: city online retail sums to the published provincial 1926.2
    weights = [rng.uniform(0.5, 1.5) * (3.0 if c == "南昌市" else 1.0) for c in cities]
    total = sum(weights)
    values = [round(1926.2 * w / total, 1) for w in weights]
    values[-1] = round(1926.2 - sum(values[:-1]), 1)
    for c, v in zip(cities, values):
        rows.append(illu(c, "online_retail", "2021", v, 1, note + "；各市合计等于全省 1926.2 亿元"))
        rows.append(illu(c, "online_retail_growth", "2021", rng.uniform(12, 38), 1, note))
    for c in cities:
        rows.append(illu(c, "bs5g_per_10k", "2021", rng.uniform(4, 14), 1, note))
        rows.append(illu(c, "computing_power_index", "2021", rng.uniform(40, 90), 1, note))
        rows.append(illu(c, "health_record_coverage", "2021", rng.uniform(60, 92), 1, note))
    # 图16: 赣州、新余 lead the province
    for c in cities:
        v = rng.uniform(86, 96) if c in ("赣州市", "新余市") else rng.uniform(50, 84)
        rows.append(illu(c, "smart_homework_coverage", "2021", v, 1, note))
    return rows


def province_series(rng: random.Random) -> list[dict]:
    rows = []
    # 图1: 2016 and 2020 are estimated from the paper; 2017–2019 illustrative on the CAGR path
    start, end = 4051.1, 8684.5
    for i, year in enumerate((2017, 2018, 2019), start=1):
        v = start * (end / start) ** (i / 4) * rng.uniform(0.985, 1.015)
        rows.append(illu("江西省", "de_va", str(year), v, 1,
                         "示意值：2016年与2020年推算值之间按年均增速插值", ILLU_SERIES_SOURCE))
    # 图9: 47.0 (2018) and 50.0 (2021) are published
    for year, v in ((2019, 48.0 + rng.uniform(-0.3, 0.3)), (2020, 49.0 + rng.uniform(-0.3, 0.3))):
        rows.append(illu("江西省", "iif_level", str(year), v, 1, "示意值：两个公布年份之间插值", ILLU_SERIES_SOURCE))
    # 图12, 图13: the paper states only the latest point
    for year, v in ((2018, 18.0), (2019, 24.5), (2020, 33.8)):
        rows.append(illu("江西省", "export_bandwidth", f"{year}-12", v * rng.uniform(0.97, 1.03),
                         2, "示意值：早于公布时点的年份", ILLU_SERIES_SOURCE))
    for year, v in ((2018, 2010.0), (2019, 2205.0), (2020, 2430.0)):
        rows.append(illu("江西省", "broadband_ports", f"{year}-12", v * rng.uniform(0.99, 1.01),
                         1, "示意值：早于公布时点的年份", ILLU_SERIES_SOURCE))
    return rows


def main() -> None:
    rng = random.Random(SEED)
    write("01_gdp.csv", gdp_rows())
    write("02_white_paper_facts.csv", paper_facts())
    write("03_open_data_tables.csv", table_rows())
    write("04_estimated_from_paper.csv", estimated_rows())
    write("05_illustrative.csv", city_accounts(rng) + other_city_indicators(rng) + province_series(rng))
    lines = ["# sha256 of each observation file, checked by `digecon load-demo`"]
    for path in sorted(OUT.glob("*.csv")):
        lines.append(f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {path.name}")
    (OUT / "SHA256SUMS").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("wrote", ", ".join(p.name for p in sorted(OUT.glob("*.csv"))))


if __name__ == "__main__":
    main()
