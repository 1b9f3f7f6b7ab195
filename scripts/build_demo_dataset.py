"""Build the bundled Jiangxi 2022 dataset's observation files from the seed data.

Run from the repository root: `.venv/bin/python scripts/build_demo_dataset.py`. Writes long CSV
files (the same layout `digecon ingest` reads) under datasets/jiangxi-2022/observations/ and the
manifest's checksums. Deterministic: the same inputs give byte-identical files (two seeded
streams, SEED for the cities and SEED + 1 for the interpolated province series).

05_illustrative.csv, the city values. The paper gives them only as thresholds
(seedfacts/city_thresholds.csv) and chart images, so the demo draws them, and draws them
consistently with everything the paper does state:

1. Bounds. Every statement about a city holds — stated (南昌 超2500亿元), expanded from 其余
   and inferred from omission (a city not listed above a bracket is at or below it) — for the
   amount and for its share of the city's 2021 GDP (reference/jiangxi_gdp.csv, the shares the
   store derives), each kept 1 亿元 / 0.06 pp inside its bound so that a printed rounding
   cannot cross it.
2. Totals. The cities add up to the province's published values at their written precision:
   Σ数字经济增加值 = 10378 (exactly), Σ数字产业化 = 1308.2 (exactly), hence Σ产业数字化 =
   9069.8, which is the published 9070 to its precision (1308.2 + 9070 = 10378.2 in the paper);
   Σ网络零售额 = 1926.2; 南昌's published 223.21 plus the other ten = 784.38 (信息传输、软件和
   信息技术服务业营业收入); the growth rates of online retail imply the province's 24.25 %
   (Σ v / (1 + g) is the province's 2020 value).
3. Order. The cities of each list the paper gives (上饶市、九江市、赣州市、吉安市、宜春市 占比
   超过35% …) stand in descending order of the value the list is about — every list that can
   be read so together with the lists before it, the bounds and the totals; the one that cannot
   (数字产业化占GDP比重超3%: 赣州市、南昌市、新余市、九江市、抚州市、宜春市) is printed.
   数字产业化 and 产业数字化 are integers of 0.1 亿元: the point nearest (weighted L1) to a random
   target in each city's box that meets 1–3, a small mixed-integer programme (`draw_accounts`,
   scipy's HiGHS). The chart-only amounts are shares of the total in the last digit (`split`).
4. Tiers. The indicators shown only as charts (图7–图17) are drawn around a level per city that
   follows its published 梯队, within what the paper says (南昌、景德镇 above the province's
   1.55 件 of patents; 赣州、新余 leading 智慧作业); then the city index
   (index/city_de.yaml, its steps and its `tiers:` rule) is built on the draw, and the draw is
   kept only when the index's tiers are the published ones and no city of a lower tier ranks
   above one of a higher tier; otherwise the next draw from the same stream is tried.
"""
from __future__ import annotations

import csv
import hashlib
import itertools
import math
import random
import re
import sys
from fractions import Fraction
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from notes_zh import formula, translate  # scripts/, beside this file

from digecon.catalog import get_catalog

DS = ROOT / "datasets" / "jiangxi-2022"
OUT = DS / "observations"
PAPER = "《江西省数字经济发展白皮书（2022年）》（江西省大数据中心，2022年7月）"
PAPER_VINTAGE = "2022-07-01"
SEED = 20220701
COLUMNS = ["region", "indicator", "period", "value", "unit", "qualifier", "status", "vintage",
           "source", "section", "ref", "quote", "formula", "note"]

cat = get_catalog()
mapping = __import__("json").loads(
    (ROOT / "datasets/jiangxi-2022/seedfacts/seedfacts_map.json").read_text(encoding="utf-8"))


def read(name: str) -> list[dict[str, str]]:
    with open(DS / name, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def write(name: str, rows: list[dict]) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with open(OUT / name, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
        w.writeheader()
        for r in rows:
            # the notes in Chinese, as a reader of the store meets them (scripts/notes_zh.py)
            r = {**r, "note": translate(r.get("note", "")), "formula": formula(r.get("formula", ""))}
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
# The paper's unit words where the catalog writes the unit out: 46.49T is 46.49 Tbps.
SEED_UNITS = {"T": "Tbps"}


def paper_facts() -> list[dict]:
    rows, seen = [], set()
    for f in read("seedfacts/facts.csv"):
        value, note = number(f["value"])
        for region in f["region"].split("|"):
            ind = indicator_of(f["fact_id"])
            unit = SEED_UNITS.get(f["unit"], f["unit"])
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
                     "vintage": vintage, "source": g["document"],
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
                     "vintage": PAPER_VINTAGE, "source": f"由{PAPER}所述数值推算",
                     "ref": s["figure"], "formula": s["arithmetic"], "quote": s["quote"],
                     "note": s["note"]})
    return rows


# ---------------------------------------------------------------- illustrative values
ILLU_SOURCE = "示意数据（按白皮书对各设区市的表述与全省合计确定性生成，非统计数据）"
ILLU_SERIES_SOURCE = "示意数据（在白皮书所给年份的数值之间确定性插值或外推，非统计数据）"
PROVINCE, PROVINCE_CODE, CITY_PERIOD = "江西省", "360000", "2021"
CITY_INDEX = DS / "index" / "city_de.yaml"
# city_thresholds.csv names → store indicator codes of the three accounts and their GDP shares
ACCOUNT = {"de_value_added": "de_va", "di_value_added": "di_va", "id_value_added": "id_va",
           "de_share_gdp": "de_share_gdp", "di_share_gdp": "di_share_gdp",
           "id_share_gdp": "id_share_gdp"}
# distance kept from every stated bound, so that neither the stored value nor its printed
# rounding (to 1 亿元, or to 0.1 pp) can land on the wrong side
VALUE_MARGIN, SHARE_MARGIN = 1.0, 0.06
# plausible ranges of a city's share of GDP where the paper states no bound (pp)
SHARE_RANGE = {"di_va": (1.0, 12.0), "id_va": (12.0, 45.0), "de_va": (0.0, 55.0)}
# the level around which a city's chart-only indicators are drawn, by its published 梯队
TIER_LEVEL = {1: 0.85, 2: 0.6, 3: 0.35}
ATTEMPTS = 500


def illu(region: str, ind: str, period: str, value: float, decimals: int, note: str = "",
         source: str = ILLU_SOURCE) -> dict:
    return {"region": region, "indicator": ind, "period": period,
            "value": f"{value:.{decimals}f}", "status": "illustrative", "vintage": PAPER_VINTAGE,
            "source": source, "ref": "示意", "note": note}


def decimals_of(text: str) -> int:
    return len(text.split(".")[1]) if "." in text else 0


def province_totals() -> dict[str, tuple[Fraction, int]]:
    """The province's published 2021 values (exact, with the decimals they are written with)."""
    out: dict[str, tuple[Fraction, int]] = {}
    for r in paper_facts():
        if r["region"] == PROVINCE and r["period"] == CITY_PERIOD and r["qualifier"] == "eq":
            out.setdefault(r["indicator"], (Fraction(r["value"]), decimals_of(r["value"])))
    return out


def city_gdp() -> dict[str, float]:
    return {g["region"]: float(g["gdp_100m_yuan"]) for g in read("reference/jiangxi_gdp.csv")
            if g["region_code"] != PROVINCE_CODE and g["year"] == CITY_PERIOD}


def published_city(city: str, indicator: str) -> str:
    """A city's exact published value (as written) from the paper's statements."""
    for t in read("seedfacts/city_thresholds.csv"):
        if t["city"] == city and t["indicator"] == indicator and t["relation"] == "eq":
            return t["threshold"]
    raise SystemExit(f"seedfacts/city_thresholds.csv: 无 {city} {indicator} 的公布数")


def published_tiers() -> dict[str, int]:
    return {t["city"]: int(t["threshold"]) for t in read("seedfacts/city_thresholds.csv")
            if t["indicator"] == "tier"}


def bounds_by_city() -> dict[tuple[str, str], list[float]]:
    """[lower, upper] per (city, store code) from every stated, expanded or inferred threshold,
    moved inwards by the margins."""
    out: dict[tuple[str, str], list[float]] = {}
    for t in read("seedfacts/city_thresholds.csv"):
        code = ACCOUNT.get(t["indicator"])
        if code is None:
            continue
        lo, hi = out.setdefault((t["city"], code), [-math.inf, math.inf])
        m = SHARE_MARGIN if code.endswith("_share_gdp") else VALUE_MARGIN
        x = float(Fraction(t["threshold"]))
        if t["relation"] in ("gt", "ge"):
            out[(t["city"], code)][0] = max(lo, x + m)
        elif t["relation"] in ("lt", "le"):
            out[(t["city"], code)][1] = min(hi, x - m)
    return out


def listed_orders() -> list[tuple[str, list[str]]]:
    """The cities of each stated bracket in the order the paper lists them, per store code, in
    the order of the statements (e.g. de_share_gdp: 上饶市、九江市、赣州市、吉安市、宜春市)."""
    groups: dict[str, tuple[str, str, list[str]]] = {}
    for t in read("seedfacts/city_thresholds.csv"):
        code = ACCOUNT.get(t["indicator"])
        if code is None or t["basis"] != "explicit" or t["relation"] != "gt":
            continue
        key = re.sub(r"_dup\d+$", "", t["fact_id"])
        groups.setdefault(key, (code, t["quote"], []))[2].append(t["city"])
    out = []
    for code, quote, cities in groups.values():
        members = sorted(set(cities), key=lambda c: quote.find(c.removesuffix("市")))
        if len(members) > 1:
            out.append((code, members))
    return out


def tenths(x: Fraction) -> int:
    q = x * 10
    if q.denominator != 1:
        raise SystemExit(f"{x} 不是一位小数")
    return int(q)


ORDER_GAP = {"va": 10, "share_gdp": 0.02}  # 1 亿元 (in tenths) / 0.02 pp between listed cities


def descending_lists(cities: list[str], gdp: dict[str, float],
                     totals: dict) -> list[tuple[str, list[str]]]:
    """The lists read as descending (the paper's custom), each kept when it can hold together
    with the bounds, the totals and the lists kept before it; the others are printed."""
    kept: list[tuple[str, list[str]]] = []
    for order in listed_orders():
        if draw_accounts(random.Random(0), cities, gdp, totals, [*kept, order]) is not None:
            kept.append(order)
        else:
            print(f"不按降序解读（与前面的表述和合计不能同时成立）：{order[0]} {'、'.join(order[1])}")
    return kept


def draw_accounts(rng: random.Random, cities: list[str], gdp: dict[str, float],
                  totals: dict, orders: list[tuple[str, list[str]]]
                  ) -> dict[str, dict[str, float]] | None:
    """数字产业化 x and 产业数字化 y per city, integers of 0.1 亿元: the point nearest (weighted
    L1) to a random target such that every bound holds for x, y, x + y and their shares of the
    city's GDP, the paper's lists stay in order, Σ(x + y) = the province's 数字经济 and Σx its
    数字产业化 (so Σy is their difference, which must round to the published 产业数字化).
    A small mixed-integer programme (scipy's HiGHS), deterministic for a given target."""
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp

    b = bounds_by_city()
    n = len(cities)
    at = {c: i for i, c in enumerate(cities)}
    # variables: x (n), y (n), |x - tx| (n), |y - ty| (n)
    rows, lo, hi = [], [], []

    def add(coef: dict[int, float], low: float, high: float) -> None:
        row = np.zeros(4 * n)
        for j, v in coef.items():
            row[j] += v
        rows.append(row)
        lo.append(low)
        hi.append(high)

    def parts(code: str, i: int) -> dict[int, float]:
        return {"di": {i: 1.0}, "id": {n + i: 1.0}, "de": {i: 1.0, n + i: 1.0}}[code[:2]]

    box: dict[tuple[str, str], tuple[float, float]] = {}
    for c in cities:
        i, g = at[c], gdp[c]
        for code in ("di_va", "id_va", "de_va"):
            lo_v, hi_v = b.get((c, code), [-math.inf, math.inf])
            lo_s, hi_s = b.get((c, code.replace("_va", "_share_gdp")), [-math.inf, math.inf])
            floor_s, cap_s = SHARE_RANGE[code]
            low = 10 * max(lo_v, lo_s * g / 100, floor_s * g / 100)
            high = 10 * min(hi_v, hi_s * g / 100, cap_s * g / 100)
            box[(c, code)] = (math.ceil(low), math.floor(high))
            add(parts(code, i), math.ceil(low), math.floor(high))
    for code, members in orders:
        kind = "va" if code.endswith("_va") else "share_gdp"
        base = code if kind == "va" else code.replace("_share_gdp", "_va")
        for a, c in itertools.pairwise(members):
            scale_a = 1.0 if kind == "va" else 10 / gdp[a]  # share in pp = 10 x / GDP
            scale_c = 1.0 if kind == "va" else 10 / gdp[c]
            coef = {j: v * scale_a for j, v in parts(base, at[a]).items()}
            for j, v in parts(base, at[c]).items():
                coef[j] = coef.get(j, 0.0) - v * scale_c
            add(coef, ORDER_GAP[kind], math.inf)
    t_de, t_di = tenths(totals["de_va"][0]), tenths(totals["di_va"][0])
    add({i: 1.0 for i in range(2 * n)}, t_de, t_de)
    add({i: 1.0 for i in range(n)}, t_di, t_di)
    # the random target: a point of each city's boxes; deviations weighted by the box widths
    weights = np.zeros(4 * n)
    for c in cities:
        i = at[c]
        for j, code in ((i, "di_va"), (n + i, "id_va")):
            low, high = box[(c, code)]
            target = low + rng.uniform(0.2, 0.8) * (high - low)
            add({2 * n + j: 1.0, j: -1.0}, -target, math.inf)
            add({2 * n + j: 1.0, j: 1.0}, target, math.inf)
            weights[2 * n + j] = rng.uniform(0.8, 1.2) / max(high - low, 1)
    res = milp(weights, constraints=LinearConstraint(np.array(rows), lo, hi),
               integrality=np.r_[np.ones(2 * n), np.zeros(2 * n)],
               bounds=Bounds(np.r_[np.zeros(2 * n), np.zeros(2 * n)], np.full(4 * n, np.inf)))
    if res.status != 0:
        return None
    x = [round(float(v)) for v in res.x[:2 * n]]
    return {c: {"di_va": x[at[c]] / 10, "id_va": x[n + at[c]] / 10} for c in cities}


def shares(c: str, acc: dict[str, float], gdp: dict[str, float]) -> dict[str, float]:
    """As the store derives them: 数字经济 = 数字产业化 + 产业数字化, shares of the city's GDP."""
    de = acc["di_va"] + acc["id_va"]
    return {"de_va": de, "de_share_gdp": de / gdp[c] * 100,
            "di_share_gdp": acc["di_va"] / gdp[c] * 100, "id_share_gdp": acc["id_va"] / gdp[c] * 100}


def split(rng: random.Random, total: Fraction, decimals: int, weights: list[float]) -> list[float]:
    """total shared in proportion to weights, written to `decimals`; the parts add up exactly."""
    unit = Fraction(1, 10 ** decimals)
    n = int(total / unit)
    raw = [n * w / sum(weights) for w in weights]
    parts = [math.floor(v) for v in raw]
    for i in sorted(range(len(raw)), key=lambda i: raw[i] - parts[i], reverse=True):
        if sum(parts) < n:
            parts[i] += 1
    return [float(p * unit) for p in parts]


def chart_levels(rng: random.Random, cities: list[str], stated: dict[str, int],
                 acc: dict[str, dict[str, float]]) -> dict[str, float]:
    """Each city's level (0–1) for the chart-only indicators: its 梯队's, higher within the tier
    for a larger 数字经济增加值 (±0.06), with a little noise."""
    out = {}
    for tier in sorted(set(stated.values())):
        members = sorted((c for c in cities if stated[c] == tier),
                         key=lambda c: -(acc[c]["di_va"] + acc[c]["id_va"]))
        for k, c in enumerate(members):
            pos = 0.5 - k / (len(members) - 1) if len(members) > 1 else 0.0
            out[c] = TIER_LEVEL[tier] + 0.12 * pos + rng.uniform(-0.05, 0.05)
    return out


def scaled(level: float, lo: float, hi: float, rng: random.Random, noise: float = 0.12) -> float:
    return lo + (hi - lo) * min(0.98, max(0.02, level + rng.gauss(0, noise)))


def draw_chart_indicators(rng: random.Random, cities: list[str], gdp: dict[str, float],
                          level: dict[str, float], totals: dict) -> dict[str, dict[str, float]]:
    """The indicators the paper shows for the cities only as charts (图7–图17), around each
    city's level, within what the paper says of them, adding up to the province's totals."""
    out: dict[str, dict[str, float]] = {c: {} for c in cities}
    # 图7: 南昌、景德镇 above the provincial 1.55 件, the other nine below it
    for c in cities:
        lo, hi = (1.7, 4.5) if c in ("南昌市", "景德镇市") else (0.5, 1.45)
        out[c]["high_value_patents_per_10k"] = round(scaled(level[c], lo, hi, rng), 2)
    # 图8: 南昌 (223.21) and the province (784.38) are published; the other ten share the rest
    others = [c for c in cities if c != "南昌市"]
    total, dec = totals["it_services_revenue"]
    rest = total - Fraction(published_city("南昌市", "it_services_revenue"))
    weights = [gdp[c] * (0.4 + level[c]) * rng.uniform(0.8, 1.2) for c in others]
    for c, v in zip(others, split(rng, rest, dec, weights)):
        out[c]["it_services_revenue"] = v
    for c in cities:
        out[c]["agri_iot_base_ratio"] = round(scaled(level[c], 8, 35, rng), 1)
    # 图11: the cities' online retail adds up to the province's 1926.2 亿元, and their growth
    # rates to the province's 24.25 %: Σ v / (1 + g) = 1926.2 / 1.2425 (the 2020 total)
    total, dec = totals["online_retail"]
    weights = [gdp[c] * (0.3 + level[c]) * rng.uniform(0.85, 1.15) for c in cities]
    retail = split(rng, total, dec, weights)
    growth = [scaled(level[c], 14, 34, rng, 0.2) for c in cities]
    g_total, g_dec = totals["online_retail_growth"]
    target = float(total) / (1 + float(g_total) / 100)
    lo, hi = -30.0, 30.0
    for _ in range(100):  # a common shift of every city's growth rate, by bisection
        mid = (lo + hi) / 2
        base = sum(v / (1 + (g + mid) / 100) for v, g in zip(retail, growth))
        lo, hi = (mid, hi) if base > target else (lo, mid)
    growth = [round(g + lo, g_dec) for g in growth]
    step = 10 ** -g_dec
    big = max(range(len(cities)), key=lambda i: retail[i])
    for _ in range(1000):  # the rounding of each rate, made good on the largest city's
        implied = float(total) / sum(v / (1 + g / 100) for v, g in zip(retail, growth)) * 100 - 100
        if round(implied, g_dec) == float(g_total):
            break
        growth[big] = round(growth[big] + (step if implied < float(g_total) else -step), g_dec)
    else:  # pragma: no cover - one city's rate moves the total by well under the last digit
        raise SystemExit("各市网络零售额增速无法与全省 24.25% 相符")
    for c, v, g in zip(cities, retail, growth):
        out[c]["online_retail"], out[c]["online_retail_growth"] = v, g
    for c in cities:
        out[c]["bs5g_per_10k"] = round(scaled(level[c], 5, 16, rng), 1)
        out[c]["computing_power_index"] = round(scaled(level[c], 40, 90, rng), 1)
        out[c]["health_record_coverage"] = round(scaled(level[c], 60, 92, rng), 1)
    # 图16: 赣州、新余 lead the province
    for c in cities:
        lo, hi = (86, 96) if c in ("赣州市", "新余市") else (50, 84)
        out[c]["smart_homework_coverage"] = round(scaled(level[c], lo, hi, rng), 1)
    return out


def city_index(values: dict[str, dict[str, float]]) -> tuple[dict[str, int], dict[str, int]]:
    """(梯队, rank) per city from the city index spec (its steps and tiers block) on these values."""
    import tempfile

    import pandas as pd
    import yaml

    from digecon.evaluate import build, spec_from_dict

    spec = yaml.safe_load(CITY_INDEX.read_text(encoding="utf-8"))
    codes = [r["iCode"] for r in spec["framework"] if r["Level"] == 1]
    frame = pd.DataFrame([{"uCode": c, "uName": c, **{k: v[k] for k in codes}}
                          for c, v in values.items()])
    with tempfile.TemporaryDirectory() as tmp:
        frame.to_csv(Path(tmp) / "data.csv", index=False)
        raw = {"name": spec["name"], "data": "data.csv", "meta": spec["framework"],
               "steps": spec["steps"]}
        res = build(spec_from_dict(raw, source=CITY_INDEX.name, base_dir=Path(tmp)))
    top = res.ranks.columns[-1]
    ranks = dict(zip(res.ranks["uCode"], res.ranks[top].astype(int)))
    tiers = dict(zip(res.tiers["uCode"], res.tiers["tier"].astype(int)))
    return tiers, ranks


def consistent(tiers: dict[str, int], ranks: dict[str, int]) -> bool:
    """No city of a lower 梯队 is ranked above a city of a higher one."""
    return all(ranks[a] < ranks[b] for a in tiers for b in tiers if tiers[a] < tiers[b])


def illustrative_cities(rng: random.Random) -> list[dict]:
    """Draw accounts and chart indicators until the city index agrees with the paper: its tiers
    (by the spec's rule) are the published 梯队 and its ranking keeps them in order."""
    cities = [r.name for r in cat.regions(level="city", parent=PROVINCE_CODE)]
    gdp, totals, stated = city_gdp(), province_totals(), published_tiers()
    orders = descending_lists(cities, gdp, totals)
    for _ in range(ATTEMPTS):
        acc = draw_accounts(rng, cities, gdp, totals, orders)
        if acc is None:
            continue
        level = chart_levels(rng, cities, stated, acc)
        chart = draw_chart_indicators(rng, cities, gdp, level, totals)
        values = {c: {**acc[c], **shares(c, acc[c], gdp), **chart[c]} for c in cities}
        values["南昌市"]["it_services_revenue"] = float(  # published; the index reads it
            published_city("南昌市", "it_services_revenue"))
        tiers, ranks = city_index(values)
        if tiers == stated and consistent(tiers, ranks):
            break
    else:  # pragma: no cover
        raise SystemExit(f"{ATTEMPTS} 次抽样均未得到与白皮书梯队一致的示意数据")
    rows = []
    note = "示意值：在白皮书对该市的表述所允许的区间内确定性生成；各市合计等于全省公布数"
    for c in cities:
        rows.append(illu(c, "di_va", CITY_PERIOD, acc[c]["di_va"], 1, note))
        rows.append(illu(c, "id_va", CITY_PERIOD, acc[c]["id_va"], 1, note))
    note = "示意值（确定性生成）"
    total = {k: f"{float(v):.{d}f}" for k, (v, d) in totals.items()}
    written = [("high_value_patents_per_10k", 2,
                note + f"；南昌、景德镇高于全省 {total['high_value_patents_per_10k']} 件，其余低于"),
               ("it_services_revenue", 2,
                note + f"；与南昌市合计等于全省 {total['it_services_revenue']} 亿元"),
               ("agri_iot_base_ratio", 1, note),
               ("online_retail", 1, note + f"；各市合计等于全省 {total['online_retail']} 亿元"),
               ("online_retail_growth", 2,
                note + f"；按各市上年数合计，全省增速为 {total['online_retail_growth']}%"),
               ("bs5g_per_10k", 1, note), ("computing_power_index", 1, note),
               ("health_record_coverage", 1, note),
               ("smart_homework_coverage", 1, note + "；赣州、新余居全省前两位")]
    for code, dec, text in written:
        for c in cities:
            if code == "it_services_revenue" and c == "南昌市":
                continue  # published
            rows.append(illu(c, code, CITY_PERIOD, chart[c][code], dec, text))
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
    cities_rng, series_rng = random.Random(SEED), random.Random(SEED + 1)
    write("01_gdp.csv", gdp_rows())
    write("02_white_paper_facts.csv", paper_facts())
    write("03_open_data_tables.csv", table_rows())
    write("04_estimated_from_paper.csv", estimated_rows())
    write("05_illustrative.csv",
          illustrative_cities(cities_rng) + province_series(series_rng))
    lines = ["# sha256 of each observation file, checked by `digecon load-demo`"]
    for path in sorted(OUT.glob("*.csv")):
        lines.append(f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {path.name}")
    (OUT / "SHA256SUMS").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("wrote", ", ".join(p.name for p in sorted(OUT.glob("*.csv"))))


if __name__ == "__main__":
    main()
