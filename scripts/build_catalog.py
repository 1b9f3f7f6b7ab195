"""Regenerate the indicators for the white paper's own quantities.

Run from the repository root: `python scripts/build_catalog.py`. Reads the bundled copies of
shared/ data under datasets/jiangxi-2022/ and writes the dataset's
catalog/indicators_paper.csv (the package keeps only the core indicators any dataset uses; the
region table is scripts/build_regions.py's).
"""
from __future__ import annotations

import csv
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "datasets" / "jiangxi-2022"
PACKAGE = ROOT / "src" / "digecon" / "catalog" / "data"
OUT = DATA / "catalog"

SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "省", "市")
KINDS = {"growth_rate": "growth", "index_score": "index", "pp_change": "pp_change",
         "multiple": "multiple", "share": "share", "level": "level", "count": "count",
         "rank": "rank", "other": "other"}


def short_name(name: str) -> str:
    for suffix in SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def base_id(fact_id: str) -> str:
    return re.sub(r"_dup\d+$", "", fact_id)


def indicator_code(fact_id: str) -> str:
    """Indicator code of a seedfacts row: its id without the _dupN and period suffixes."""
    code = re.sub(r"(_\d{4})+$", "", base_id(fact_id))
    return code


def decimals_of(value: str) -> int:
    return len(value.split(".")[1]) if "." in value else 0


def build_seedfact_indicators() -> None:
    with open(PACKAGE / "core_indicators.csv", encoding="utf-8") as fh:
        core = {r["code"] for r in csv.DictReader(fh)}
    from_map = json.loads((DATA / "seedfacts" / "seedfacts_map.json").read_text(encoding="utf-8"))
    seen: dict[str, list[str]] = {}
    with open(DATA / "seedfacts" / "facts.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            code = from_map.get(base_id(row["fact_id"]), indicator_code(row["fact_id"]))
            if code in core or code in seen:
                continue
            seen[code] = [code, row["indicator_zh"], "", row["unit"], KINDS[row["kind"]],
                          str(decimals_of(row["value"])),
                          f"白皮书所述指标：{row['indicator_zh']}", "", ""]
    with open(OUT / "indicators_paper.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["code", "name_zh", "name_en", "unit", "kind", "decimals", "definition",
                         "formula", "aliases"])
        writer.writerows(seen.values())


if __name__ == "__main__":
    # The region table is built by scripts/build_regions.py from its pinned GB/T 2260 source.
    build_seedfact_indicators()
    print("catalog data written to", OUT)
