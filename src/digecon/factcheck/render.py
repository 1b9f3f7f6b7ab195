"""Write checked claims as JSON, CSV or one self-contained HTML page with claims highlighted by status."""
from __future__ import annotations

import csv
import html
import io
import json

from digecon.factcheck.model import Claim

FIELDS = ["quote", "start", "end", "text", "value", "unit", "qualifier", "kind", "region", "period",
          "indicator", "role", "quantity", "status"]
_STATUS_ZH = {"consistent": "一致", "inconsistent": "不一致", "unverifiable": "无法核验"}


def _item(c: Claim) -> dict:
    d = {k: getattr(c, k) for k in FIELDS}
    d["checks"] = [{"rule": k.rule, "ok": k.ok, "expected": k.expected, "explanation": k.explanation,
                    "explanation_en": k.explanation_en} for k in c.checks]
    return d


def to_json(claims: list[Claim]) -> str:
    return json.dumps([_item(c) for c in claims], ensure_ascii=False, indent=1)


def to_csv(claims: list[Claim]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(FIELDS + ["checks"])
    for c in claims:
        w.writerow([getattr(c, k) for k in FIELDS]
                   + [" | ".join(f"{k.rule}: {k.explanation}" for k in c.checks)])
    return buf.getvalue()


_CSS = """body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei",sans-serif;max-width:52em;
margin:2em auto;line-height:1.9;color:#222}pre{white-space:pre-wrap;font-family:inherit}
mark{padding:0 .1em;border-radius:3px}mark.consistent{background:#cdeccd}mark.inconsistent{background:#f6b8b8;
outline:2px solid #c00}mark.unverifiable{background:#eee}.legend span{margin-right:1em}
table{border-collapse:collapse;font-size:.9em}td,th{border:1px solid #ccc;padding:.2em .5em;vertical-align:top}"""


def to_html(text: str, claims: list[Claim], title: str = "数字核查结果") -> str:
    """The text with each claim marked by status (hover for the arithmetic), then the flagged claims."""
    out, at = [], 0
    for i, c in enumerate(sorted(claims, key=lambda c: c.start)):
        if c.start < at:
            continue
        tip = "；".join(k.explanation for k in c.checks) or _STATUS_ZH[c.status]
        out.append(html.escape(text[at:c.start]))
        out.append(f'<mark id="c{i}" class="{c.status}" title="{html.escape(tip)}">'
                   f"{html.escape(text[c.start:c.end])}</mark>")
        at = c.end
    out.append(html.escape(text[at:]))
    counts = {s: sum(c.status == s for c in claims) for s in _STATUS_ZH}
    rows = "".join(
        f"<tr><td>{html.escape(c.text)}</td><td>{html.escape(c.quote)}</td><td>"
        + "<br>".join(html.escape(k.explanation) for k in c.checks) + "</td></tr>"
        for c in claims if c.status == "inconsistent")
    legend = "".join(f'<span><mark class="{s}">{z}</mark> {counts[s]}</span>' for s, z in _STATUS_ZH.items())
    return (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f"<style>{_CSS}</style></head><body><h1>{html.escape(title)}</h1><p class=legend>{legend}</p>"
            f"<h2>不一致的数字</h2><table><tr><th>数字</th><th>语句</th><th>核算</th></tr>{rows}</table>"
            f"<h2>全文</h2><pre>{''.join(out)}</pre></body></html>")
