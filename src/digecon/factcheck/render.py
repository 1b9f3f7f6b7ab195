"""Write checked claims as JSON, CSV or one self-contained HTML page (the text with each flag and its fix)."""
from __future__ import annotations

import csv
import html
import io
import json

from digecon.factcheck.model import Claim

FIELDS = ["quote", "start", "end", "text", "value", "unit", "qualifier", "kind", "region", "period",
          "indicator", "role", "quantity", "status", "suggested"]
_STATUS_ZH = {"consistent": "一致", "inconsistent": "不一致", "unverifiable": "无法核验"}


def _item(c: Claim) -> dict:
    d = {k: getattr(c, k) for k in FIELDS}
    d["status_zh"] = _STATUS_ZH[c.status]
    d["checks"] = [{"rule": k.rule, "ok": k.ok, "expected": k.expected, "explanation": k.explanation,
                    "related": [list(r) for r in k.related]} for k in c.checks]
    return d


def summary(claims: list[Claim]) -> dict:
    """Counts by status and coverage: the share of claims the checks confirmed or refuted."""
    counts = {s: sum(c.status == s for c in claims) for s in _STATUS_ZH}
    decided = counts["consistent"] + counts["inconsistent"]
    return {"claims": len(claims), **counts,
            "coverage": round(decided / len(claims), 4) if claims else 0.0}


def _checks(claims: list[Claim]) -> list[dict]:
    """Each relation once, with the spans of all its numbers: a check is seen from each of its claims, and
    its verdict is False when any of them reports it failing (the others say which number is blamed)."""
    by: dict[tuple, dict] = {}
    for c in claims:
        for k in c.checks:
            spans = sorted({(c.start, c.end), *map(tuple, k.related)})
            key = (k.rule, tuple(spans))
            row = by.setdefault(key, {"rule": k.rule, "ok": k.ok, "spans": [list(x) for x in spans],
                                      "explanation": k.explanation})
            if k.ok is False or (row["ok"] is None and k.ok is True):
                row["ok"], row["explanation"] = k.ok, k.explanation
    return list(by.values())


def result(claims: list[Claim]) -> dict:
    """What a check of a text returns, as one object: the claims, each relation once, the coverage and the
    counts (`digecon factcheck --format json` writes it; the API's POST /factcheck should answer the same)."""
    s = summary(claims)
    return {"claims": [_item(c) for c in claims], "checks": _checks(claims), "coverage": s["coverage"],
            "summary": s}


def to_json(claims: list[Claim]) -> str:
    """The object of `result`: claims, checks, coverage, summary."""
    return json.dumps(result(claims), ensure_ascii=False, indent=1)


def to_csv(claims: list[Claim]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(FIELDS + ["checks"])
    for c in claims:
        w.writerow([getattr(c, k) if getattr(c, k) is not None else "" for k in FIELDS]
                   + [" | ".join(k.explanation for k in c.checks)])
    s = summary(claims)
    w.writerow([(f"# 共{s['claims']}个数值表述：一致{s['consistent']}，不一致{s['inconsistent']}，"
                f"无法核验{s['unverifiable']}；覆盖率{s['coverage']:.1%}")])
    return buf.getvalue()


_CSS = """body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei",sans-serif;max-width:56em;
margin:2em auto;line-height:1.9;color:#222;padding:0 1em}pre{white-space:pre-wrap;font-family:inherit}
mark{padding:0 .1em;border-radius:3px}mark.consistent{background:#cdeccd}mark.inconsistent{background:#f6b8b8;
outline:2px solid #c00}mark.unverifiable{background:#eee}.fix{color:#c00;font-size:.85em;margin-left:.2em}
.legend span{margin-right:1em}table{border-collapse:collapse;font-size:.9em}
td,th{border:1px solid #ccc;padding:.2em .5em;vertical-align:top}"""


def to_html(text: str, claims: list[Claim], title: str = "数字核查结果") -> str:
    """The text with each claim marked by status (hover for the arithmetic; a flag shows its fix), then a table."""
    out, at = [], 0
    ordered = sorted(enumerate(claims), key=lambda ic: ic[1].start)
    for i, c in ordered:
        if c.start < at:
            continue
        tip = "；".join(k.explanation for k in c.checks) or _STATUS_ZH[c.status]
        out.append(html.escape(text[at:c.start]))
        out.append(f'<mark id="c{i}" class="{c.status}" title="{html.escape(tip)}">'
                   f"{html.escape(text[c.start:c.end])}</mark>")
        if c.status == "inconsistent":
            fix = f"→ 应为{c.suggested}" if c.suggested else "→ 不一致"
            out.append(f'<a class="fix" href="#f{i}">{html.escape(fix)}</a>')
        at = c.end
    out.append(html.escape(text[at:]))
    s = summary(claims)
    rows = "".join(
        f'<tr id="f{i}"><td><a href="#c{i}">{html.escape(c.text)}</a></td>'
        f"<td>{html.escape(c.suggested or '—')}</td><td>{html.escape(c.quote)}</td><td>"
        + "<br>".join(html.escape(k.explanation) for k in c.checks if k.ok is not True) + "</td></tr>"
        for i, c in enumerate(claims) if c.status == "inconsistent")
    legend = "".join(f'<span><mark class="{k}">{z}</mark> {s[k]}</span>' for k, z in _STATUS_ZH.items())
    legend += f"<span>覆盖率（得到证实或否定的表述所占比例）{s['coverage']:.1%}</span>"
    return (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f"<style>{_CSS}</style></head><body><h1>{html.escape(title)}</h1><p class=legend>{legend}</p>"
            f"<h2>不一致的数字</h2><table><tr><th>数字</th><th>建议值</th><th>语句</th><th>核算</th></tr>{rows}"
            f"</table><h2>全文</h2><pre>{''.join(out)}</pre></body></html>")
