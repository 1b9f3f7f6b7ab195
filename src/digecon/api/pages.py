"""Server-rendered pages: overview, one page per prefecture-level unit, the index explorer, the
data catalogue, API docs. What they show comes from the report spec (`dashboard:`)."""
from __future__ import annotations

import datetime as dt
import json
import math
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse

from digecon.catalog import UnknownNameError, get_catalog
from digecon.facts import Fact, format_number

from .data import MARKED, STATUS_ZH
from .figures import script_json
from .indices import WEIGHT_CHOICES, IndexInputError

router = APIRouter(include_in_schema=False)
METHOD_ZH = {"metadata": "按规格权重", "equal": "等权", "entropy": "熵权法", "critic": "CRITIC",
             "cv": "变异系数法", "pca": "主成分分析"}

_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=True, trim_blocks=True, lstrip_blocks=True)


def fmt_value(value: Any, decimals: int | None = None) -> str:
    """Scores and other numbers that are not facts, half-up like every fact (2 places default)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return format_number(value, 2 if decimals is None else int(decimals))


_env.filters["num"] = fmt_value
_env.globals["STATUS_ZH"] = STATUS_ZH
_env.globals["MARKED"] = MARKED


def render(request: Request, name: str, **ctx) -> HTMLResponse:
    ctx.setdefault("cities", city_list(request.app.state.scope.region.code))
    ctx.setdefault("unit_word", request.app.state.scope.unit_word)
    return HTMLResponse(_env.get_template(name).render(**ctx))


@lru_cache(maxsize=8)
def city_list(parent: str) -> list[dict]:
    return [{"code": r.code, "name": r.name}
            for r in get_catalog().regions(level="city", parent=parent)]


def _row_view(fact: Fact) -> dict:
    """A fact as the templates show it: its own rounded text and status label."""
    return {**fact.to_dict(), "definition": get_catalog().indicator(fact.indicator).definition}


def _figure(state, fid: str) -> dict | None:
    """The figure when the spec has it and it is about the dashboard's region, else None."""
    fdef = state.figures.spec().figures.get(fid)
    if fdef is None or fdef.region != state.scope.region.code:
        return None
    try:
        f = state.figures.get(fid)
    except LookupError:  # the store has no data for this region (e.g. a new province's spec)
        return None
    # Unnumbered "图" adds nothing before a caption; "附图" (maps) is kept.
    label = f["label"] if f.get("label") not in (None, "", "图") else ""
    return {**f, "label": label, "option_json": script_json(f["option"]),
            "dom_id": f"chart-{fid}"}


def _index(state) -> dict | None:
    """The city index when the dataset has one and its units are this region's cities."""
    city_index = state.scope.dashboard.city_index
    if city_index is None or city_index not in state.indices.ids():
        return None
    ours = {c["code"] for c in city_list(state.scope.region.code)}
    units = set(state.indices.spec(city_index).data["uCode"].astype(str))
    if not units or not units <= ours:
        return None
    return state.indices.get(city_index)


_OP_ZH = {"gt": "超过", "ge": "不低于", "lt": "低于", "le": "不超过", "eq": "等于"}
_METHOD_ZH = {"jenks": "自然断点法（Jenks）", "mean_sd": "均值±标准差", "kmeans": "k 均值聚类"}


def tier_rule(steps: dict) -> str:
    """The index spec's tier rule in words, shown beside a city's tier."""
    tiers = steps.get("tiers") or {}
    method = tiers.get("method") if isinstance(tiers, dict) else tiers
    if not method or method == "none":
        return ""
    labels = list(tiers.get("labels") or [])
    cat = get_catalog()

    def label(t: int) -> str:
        return labels[t - 1] if 0 < t <= len(labels) else f"第{t}梯队"

    if method in ("thresholds", "rules") and tiers.get("rules"):
        parts = []
        for rule in tiers["rules"]:
            when = []
            for code, conds in (rule.get("when") or {}).items():
                try:
                    ind = cat.indicator(code)
                    name, unit = ind.name_zh, ind.unit
                except KeyError:
                    name, unit = code, ""
                for op, x in conds.items():
                    when.append(f"{name}{_OP_ZH.get(op, op)}{format_number(x, 0)}{unit}")
            parts.append(f"{label(int(rule['tier']))}：" + ("且".join(when) if when else "其余"))
        return "划分规则（指数规格）：" + "；".join(parts)
    k = tiers.get("k")
    how = _METHOD_ZH.get(method, method)
    return f"按指数得分以{how}分为{k or len(labels)}个梯队"


def neighbours(state) -> dict[str, list[str]]:
    """Regions sharing a border in the maps the report spec draws (the same GeoJSON files)."""
    out: dict[str, list[str]] = {}
    for path in state.figures.maps().values():
        for code, near in _borders(path, path.stat().st_mtime_ns).items():
            out.setdefault(code, []).extend(c for c in near if c not in out[code])
    return out


@lru_cache(maxsize=8)
def _borders(path: Path, _mtime: int) -> dict[str, list[str]]:
    """Features that share at least two boundary points, by adcode."""
    geo = json.loads(path.read_text(encoding="utf-8"))
    points: dict[str, set] = {}

    def walk(c, acc):
        if c and isinstance(c[0], (int, float)):
            acc.add((round(c[0], 3), round(c[1], 3)))
        else:
            for x in c:
                walk(x, acc)

    for f in geo.get("features", []):
        code = f.get("properties", {}).get("adcode")
        if code is None or not f.get("geometry"):
            continue
        acc: set = set()
        walk(f["geometry"]["coordinates"], acc)
        points[str(code)] = acc
    return {a: sorted(b for b in points if b != a and len(points[a] & points[b]) >= 2)
            for a in points}


def _as_of(request: Request) -> str | None:
    """`?as_of=YYYY-MM-DD`: the page as the store stood on that date (default: the newest)."""
    raw = request.query_params.get("as_of")
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw).isoformat()
    except ValueError:
        raise HTTPException(422, f"as_of：应为日期 YYYY-MM-DD，收到「{raw[:40]}」") from None


@router.get("/", response_class=HTMLResponse)
def overview(request: Request):
    state = request.app.state
    region, year = state.scope.region, state.scope.year
    best = state.view.best(region.code, year, as_of=_as_of(request))
    board = state.scope.dashboard
    heads = [_row_view(best[(c, year)]) for c in board.headlines if (c, year) in best]
    figures = [f for f in (_figure(state, fid) for fid in board.overview_figures) if f]
    if figures:  # the long time series reads better across the whole width
        figures[0]["wide"] = True
    idx = _index(state)
    tiers = {u["code"]: u for u in idx["units"]} if idx else {}
    marked = any(h["marked"] for h in heads) or any(f["marked"] for f in figures)
    spec_name = f"{state.scope.base_dir.name}/{state.scope.path.name}"
    return render(request, "overview.html.j2", title=f"{region.name}数字经济总览", heads=heads,
                  figures=figures, index=idx, tiers=tiers, marked=marked, year=year,
                  region=region, spec_name=spec_name, nav="overview",
                  maps=sorted({f["map"] for f in figures if f.get("map")}))


def _pillar_option(idx: dict, unit: dict, unit_word: str) -> dict:
    from .indices import mean_components

    names = {a["code"]: a["name"] for a in idx["aggregates"]}
    mean = mean_components(idx)
    keys = list(unit["components"])
    return {
        "animation": False,
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0},
        "grid": {"left": 48, "right": 24, "top": 40, "bottom": 32},
        "xAxis": {"type": "category", "data": [names.get(k, k) for k in keys],
                  "axisLabel": {"interval": 0}},
        "yAxis": {"type": "value", "min": 0, "max": 100, "name": "得分"},
        "series": [
            {"type": "bar", "name": unit["name"],
             "data": [round(unit["components"][k] or 0, 1) for k in keys],
             "itemStyle": {"color": "#1f5fa8"}},
            {"type": "bar", "name": f"全省{unit_word}平均", "data": [round(mean[k], 1) for k in keys],
             "itemStyle": {"color": "#b8c7d9"}},
        ],
    }


@router.get("/city/{code}", response_class=HTMLResponse)
def city(request: Request, code: str):
    state = request.app.state
    home = state.scope.region
    try:
        region = get_catalog().region(code)
    except UnknownNameError:
        raise HTTPException(404, f"没有这个地区：{code}") from None
    if region.level != "city" or region.parent != home.code:
        raise HTTPException(404, f"{region.name} 不是{home.name}的{state.scope.unit_word}")
    best = state.view.best(region.code, as_of=_as_of(request))
    rows = sorted((_row_view(r) for r in best.values()),
                  key=lambda r: (r["indicator"], r["period"]))
    idx = _index(state)
    unit = next((u for u in idx["units"] if u["code"] == region.code), None) if idx else None
    figures = []
    if idx and unit:
        opt = _pillar_option(idx, unit, state.scope.unit_word)
        caption = f"{unit['name']}各分项得分与全省{state.scope.unit_word}平均"
        figures.append({"dom_id": "chart-pillars", "caption": caption,
                        "option_json": script_json(opt), "marked": idx["marked"],
                        "source": idx["name"],
                        "notes": []})
    f = _figure(state, state.scope.dashboard.city_figure) if state.scope.dashboard.city_figure \
        else None
    if f:
        figures.append(f)
    peers = []
    if idx and unit:
        peers = [u for u in idx["units"] if u["code"] != unit["code"]
                 and abs(u["rank"] - unit["rank"]) <= 2]
    names = {c["code"]: c["name"] for c in city_list(home.code)}
    near = [{"code": c, "name": names[c]} for c in neighbours(state).get(region.code, [])
            if c in names]
    marked = any(r["marked"] for r in rows) or any(f["marked"] for f in figures)
    rule = tier_rule(state.indices.spec(idx["id"]).steps) if idx and "id" in idx else ""
    return render(request, "city.html.j2", title=region.name, region=region, rows=rows,
                  tier_rule=rule,
                  index=idx, unit=unit, figures=figures, peers=peers, near=near, marked=marked,
                  n_units=len(idx["units"]) if idx else 0, nav="city", maps=[])


def _explorer_option(p: dict) -> dict:
    units = p["units"]
    return {
        "animation": False,
        "title": {"text": p["target_name"] + ("【示意】" if p["marked"] else ""),
                  "left": "center", "textStyle": {"fontSize": 14}},
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 72, "right": 32, "top": 40, "bottom": 24},
        "xAxis": {"type": "value", "name": "得分"},
        "yAxis": {"type": "category", "inverse": True, "data": [u["name"] for u in units]},
        "series": [{"type": "bar", "data": [round(u["score"] or 0, 2) for u in units],
                    "label": {"show": True, "position": "right"},
                    "itemStyle": {"color": "#1f5fa8"}}],
    }


@router.get("/explorer", response_class=HTMLResponse)
def explorer(request: Request):
    state = request.app.state
    ids = state.indices.ids()
    qp = request.query_params
    preferred = state.scope.dashboard.city_index
    index_id = qp.get("index") or (preferred if preferred in ids else (ids[0] if ids else ""))
    if index_id not in ids:
        raise HTTPException(404, f"未知指数 {index_id!r}")
    nominal = state.indices.get(index_id)
    spec = state.indices.spec(index_id)
    fw = spec.fw
    editable = list(fw.children[fw.top])
    current = {w["code"]: w["weight"] for w in nominal["weights"]}
    raw_weights = {c: float(fw.weight[c]) for c in editable}
    method = qp.get("method") or None
    error = None
    weights: dict[str, float] = {}
    for c in editable:
        v = qp.get(f"w_{c}")
        if v not in (None, ""):
            try:
                weights[c] = float(v)
            except ValueError:
                error = f"{c} 的权重「{v}」不是数字"
    result = nominal
    if (weights or method) and error is None:
        try:
            result = state.indices.recompute(index_id, weights, method)
        except IndexInputError as exc:
            error = str(exc)
        except ValueError as exc:
            error = f"无法按此设置计算：{exc}"
    base_rank = {u["code"]: u["rank"] for u in nominal["units"]}
    spec_w = spec.steps.get("weights") or {}
    spec_method = spec_w.get("method") if isinstance(spec_w, dict) else str(spec_w)
    form = {c: weights.get(c, raw_weights[c]) for c in editable}
    opt = _explorer_option(result)
    fig = {"dom_id": "chart-ranking", "caption": "重新计算后的得分",
           "option_json": script_json(opt), "marked": result["marked"], "source": result["name"],
           "notes": []}
    return render(request, "explorer.html.j2", title="指数探索", ids=ids, index_id=index_id,
                  result=result, nominal=nominal, base_rank=base_rank, editable=editable,
                  names=fw.names, form=form, method=method or spec_method,
                  methods=WEIGHT_CHOICES, method_zh=METHOD_ZH, error=error, figures=[fig],
                  current=current, marked=result["marked"], nav="explorer", maps=[])


@router.get("/catalogue", response_class=HTMLResponse)
def catalogue(request: Request):
    rows = request.app.state.catalogue()
    marked = any(s in MARKED for r in rows for s in r["statuses"])
    return render(request, "catalogue.html.j2", title="数据目录", rows=rows, marked=marked,
                  nav="catalogue", figures=[], maps=[])


@router.get("/docs", response_class=HTMLResponse)
def api_docs(request: Request):
    spec = request.app.openapi()
    ops = []
    for path, methods in spec.get("paths", {}).items():
        for method, op in methods.items():
            params = [{"name": p["name"], "in": p["in"], "required": p.get("required", False),
                       "description": p.get("description", ""),
                       "type": _schema_text(p.get("schema", {}))}
                      for p in op.get("parameters", [])]
            body = list(op.get("requestBody", {}).get("content", {}))
            ops.append({"method": method.upper(), "path": path, "summary": op.get("summary", ""),
                        "params": params, "body": body,
                        "secured": bool(op.get("security"))})
    return render(request, "docs.html.j2", title="API 文档", ops=ops, nav="docs", figures=[],
                  maps=[], marked=False)


def _schema_text(s: dict) -> str:
    if "anyOf" in s:
        return " | ".join(_schema_text(x) for x in s["anyOf"] if x.get("type") != "null")
    if "enum" in s:
        return " / ".join(map(str, s["enum"]))
    if "$ref" in s:
        return s["$ref"].rsplit("/", 1)[-1]
    t = s.get("type", "")
    return f"{t} ({s['format']})" if s.get("format") else t
