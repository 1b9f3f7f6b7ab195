"""Check linked claims against the store's observations, within the precision they are stated with."""
from __future__ import annotations

import logging
import math
import re

from digecon.factcheck.interval import bounds, scale
from digecon.factcheck.model import Check, Claim
from digecon.narrative.fmt import format_number

log = logging.getLogger(__name__)
# Within one vintage the arithmetic (derived) is the best evidence; illustrative before synthetic
# as in the store's STATUS_PRIORITY, and both only where nothing measured is there.
_PREFER = {"derived": 0, "published": 1, "estimated": 2, "illustrative": 3, "synthetic": 4}
_MARKED = ("illustrative", "synthetic")
_STATUS_ZH = {"derived": "推算", "published": "已发布", "estimated": "估算", "synthetic": "合成",
              "illustrative": "示意"}


def _rows(store, indicator: str, region: str, period: str, as_of=None) -> list[dict]:
    try:
        df = store.query(indicator=indicator, region=region, period=period, as_of=as_of)
    except KeyError:
        return []  # region or indicator unknown to the catalog: nothing to compare with
    return df.to_dict("records")


def _same_statement(row: dict, c: Claim) -> bool:
    """A published row quoting this very sentence is the claim itself, not evidence for it."""
    q = re.sub(r"\s+", "", str(row.get("quote") or ""))
    return bool(q) and q in re.sub(r"\s+", "", c.quote)


def _best(rows: list[dict], c: Claim) -> dict | None:
    rows = [r for r in rows if not _same_statement(r, c) and (r.get("qualifier") or "eq") == "eq"
            and r.get("value") is not None and not (isinstance(r["value"], float) and math.isnan(r["value"]))]
    # A newer vintage supersedes an older one (a share derived from revised GDP replaces the one
    # published with the preliminary figure): the rule the narrative and figures choose by.
    rows.sort(key=lambda r: _PREFER.get(r.get("status", ""), 9))
    rows.sort(key=lambda r: str(r.get("vintage") or ""), reverse=True)
    rows.sort(key=lambda r: r.get("status") in _MARKED)
    return rows[0] if rows else None


def _judge_value(c: Claim, value: float, unit: str, what_zh: str, what_en: str, status: str) -> Check:
    v = value * scale(unit or c.unit)
    lo, hi = bounds(c)
    eps = 1e-9
    ok = {"gt": v > lo + eps, "ge": v >= lo - eps, "lt": v < hi - eps}.get(c.qualifier,
                                                                         lo - eps <= v <= hi + eps)
    shown = format_number(value, max(c.decimals, 1) + 1 if c.decimals < 2 else c.decimals)
    exp = format_number(value / scale(c.unit) * scale(unit or c.unit), c.decimals)
    tag = _STATUS_ZH.get(status, status)
    return Check(rule="store", ok=ok, expected=exp,
                 explanation=f"库中{what_zh}为{shown}{unit}（{tag}），按所述精度为{exp}，"
                             + ("与所述一致" if ok else f"与所述{c.text}不符"),
                 explanation_en=f"the store holds {what_en} = {shown} {unit} ({status}), which gives {exp} "
                                f"at the stated precision; {'consistent' if ok else 'inconsistent'} with {c.value}")


def _weak(row: dict) -> bool:
    """Evidence that cannot overrule a text: estimated or illustrative, or derived from such inputs."""
    if row.get("status") in ("estimated", "illustrative", "synthetic"):
        return True
    inputs = str(row.get("inputs") or "")
    return bool(re.search(r'"status":\s*"(estimated|illustrative|synthetic)"', inputs))


def _soften(check: Check, row: dict) -> Check:
    if check.ok is False and _weak(row):
        check.ok = None
        check.explanation += "；但库中数值为估算/示意或由其推算，不据此判定"
        check.explanation_en += "; the store value is estimated/illustrative (or derived from such), so no verdict"
    vint = row.get("vintage")
    if vint:
        check.explanation += f"（版本{vint}）"
        check.explanation_en += f" (vintage {vint})"
    return check


def check_store(claims: list[Claim], store, as_of=None) -> None:
    """Append a `store` check to every claim the store has a value for; leave the others alone."""
    for c in claims:
        if not c.indicator or "|" in c.region or not c.region or not re.fullmatch(r"\d{4}", c.period):
            continue
        try:
            if c.role == "" and store.catalog.has_indicator(c.indicator):
                row = _best(_rows(store, c.indicator, c.region, c.period, as_of), c)
                if row:
                    c.checks.append(_soften(_judge_value(c, float(row["value"]), row.get("unit") or "",
                                                         f"{c.indicator}", c.indicator, row.get("status", "")), row))
            elif c.role == "gap_gdp" and c.indicator == "de_growth":
                a = _best(_rows(store, "de_growth", c.region, c.period, as_of), c)
                b = _best(_rows(store, "gdp_growth_real", c.region, c.period, as_of), c)
                if a and b:
                    gap = float(a["value"]) - float(b["value"])
                    c.checks.append(_soften(_judge_value(
                        c, gap, "个百分点", f"de_growth − gdp_growth_real（{a['value']:.1f} − {b['value']:.1f}）",
                        "de_growth − gdp_growth_real", f"{a.get('status')}/{b.get('status')}"),
                        a if _weak(a) else b))
        except Exception as exc:  # one odd row must not stop the whole check
            log.warning("store check skipped for %s %s %s: %s", c.indicator, c.region, c.period, exc)
