"""Score extraction on the reference paper against seedfacts/facts.csv (value, unit and position)."""
from __future__ import annotations

import csv
import re
from fractions import Fraction
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SEED = REPO.parent / "shared" / "seed" / "000_a7baf10cccd9541d.txt"
FACTS = REPO.parent / "shared" / "data" / "seedfacts" / "facts.csv"
CN = {'一': '1', '两': '2', '二': '2', '三': '3', '四': '4', '五': '5', '六': '6', '七': '7', '八': '8',
      '九': '9', '十': '10', '百': '100', '首位': '1', '三分之一': '1/3', '万亿': '1', '零': '0',
      '持平': '0', '领跑': '1'}
UNIT_ALIAS = {"台(套)": "台（套）"}


def same_unit(claim_unit: str, claim_value: str, fact_unit: str) -> bool:
    """facts.csv writes fractions (2/3) without a unit; the checker reads them as a share in %."""
    c, f = UNIT_ALIAS.get(claim_unit, claim_unit), UNIT_ALIAS.get(fact_unit, fact_unit)
    return c == f or ("/" in claim_value and c == "%" and f == "")


def normalise_map(raw: str) -> tuple[str, list[int]]:
    """Collapse whitespace runs to one space (as facts.csv does) and map raw offsets -> normalised."""
    out, where, prev_space = [], [], False
    for ch in raw:
        if ch.isspace():
            if not prev_space:
                out.append(" ")
            prev_space = True
            where.append(len(out) - 1)
        else:
            prev_space = False
            where.append(len(out))
            out.append(ch)
    where.append(len(out))
    text = "".join(out)
    lead = len(text) - len(text.lstrip())
    return text[lead:].rstrip(), [max(0, w - lead) for w in where]


def fact_positions(norm: str) -> list[dict]:
    facts = []
    with open(FACTS, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for r in rows:
        q = re.sub(r"\s+", " ", r["quote"]).strip()
        occ = [m.start() for m in re.finditer(re.escape(q), norm)]
        qstart = occ[int(r["quote_occurrence"]) - 1]
        m = re.search(r"(?<![\d.])" + re.escape(r["value"]) + r"(?!\d)(?!\.\d)", q)
        if m:
            off = m.start()
        else:
            w = re.search(r"written_as=([^;；\s]+)", r["note"]).group(1)
            off = q.index(w)
            if w in ("领跑", "首位", "万亿"):
                pass
        r["pos"] = qstart + off
        facts.append(r)
    return facts


def same_value(a: str, b: str) -> bool:
    try:
        return Fraction(a) == Fraction(b)
    except ValueError:
        return a == b


def score(claims, where: list[int], facts: list[dict], lo: int, hi: int):
    """Recall over facts, precision over claims inside [lo, hi) of the normalised text."""
    spans = [(where[c.start], where[c.end - 1] + 1, c) for c in claims]
    matched_claims, missed = set(), []
    for f in facts:
        unit = UNIT_ALIAS.get(f["unit"], f["unit"])
        hit = [i for i, (a, b, c) in enumerate(spans)
               if a <= f["pos"] < b + 1 and same_value(c.value, f["value"]) and same_unit(c.unit, c.value, unit)]
        if hit:
            matched_claims.update(hit)
        else:
            missed.append(f)
    inside = [i for i, (a, b, c) in enumerate(spans) if lo <= a < hi]
    extra = [spans[i][2] for i in inside if i not in matched_claims]
    recall = 1 - len(missed) / len(facts)
    precision = len([i for i in inside if i in matched_claims]) / max(1, len(inside))
    return recall, precision, missed, extra
