"""Server-rendered pages: overview, one page per prefecture-level unit (its 数据回流 page, with
its downloads), the index explorer, the data catalogue, API docs. What they show comes from the
report spec (`dashboard:`); who is asking (an account, or nobody) only adds what that account
may see before publication."""
from __future__ import annotations

import datetime as dt
import html
import io
import json
import math
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
import pandas as pd
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from digecon.catalog import UnknownNameError, get_catalog
from digecon.evaluate.errors import MissingInputError
from digecon.facts import Fact, Facts, fact_from_row, format_number, provenance_zh
from digecon.figures.labels import period_label
from digecon.narrative import Statements
from digecon.narrative.statements import QUALIFIER_WORDS

from .data import MARKED, STATUS_ZH, neutralise
from .figures import script_json
from .indices import WEIGHT_CHOICES, IndexInputError, mean_components

# Accounts (digecon.api.security) and collection (digecon.collect) are built beside these pages;
# until they exist every visitor is anonymous and nothing is in review.
try:
    from .security import current_principal
except ImportError:  # pragma: no cover - present once the accounts work lands
    current_principal = None
try:
    from .security import csrf_token
except ImportError:  # pragma: no cover
    csrf_token = None
try:
    from digecon.collect import in_review, objections
except ImportError:  # pragma: no cover
    in_review = objections = None

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


def rank_span(interval: dict) -> str:
    """A rank interval as a reader says it: 3–5, or 1 when both ends are the same place."""
    low, high = fmt_value(interval["q5"], 0), fmt_value(interval["q95"], 0)
    return low if low == high else f"{low}–{high}"


_env.filters["num"] = fmt_value
_env.filters["rank_span"] = rank_span
_env.globals["STATUS_ZH"] = STATUS_ZH
_env.globals["MARKED"] = MARKED


def principal_of(request: Request):
    """The signed-in account of this request (digecon.api.security), else None."""
    return current_principal(request) if current_principal is not None else None


def render(request: Request, name: str, **ctx) -> HTMLResponse:
    """A template extending base.html.j2, with the unit menu and who is signed in.

    A page shown to an account is that account's alone: never stored by a shared cache."""
    ctx.setdefault("cities", city_list(request.app.state.scope.region.code))
    ctx.setdefault("unit_word", request.app.state.scope.unit_word)
    ctx.setdefault("platform", request.app.state.scope.platform)
    principal = ctx.setdefault("principal", principal_of(request))
    if principal is not None and csrf_token is not None:
        ctx.setdefault("csrf", csrf_token(request))
    resp = HTMLResponse(_env.get_template(name).render(**ctx))
    if principal is not None:
        resp.headers["Cache-Control"] = "private, no-store"
    return resp


@lru_cache(maxsize=8)
def city_list(parent: str) -> list[dict]:
    return [{"code": r.code, "name": r.name}
            for r in get_catalog().subunits(parent)]  # a 直辖市's are its 区县


def _row_view(fact: Fact) -> dict:
    """A fact as the templates show it: its own rounded text and status label, and where it
    comes from in words (the source, or a computed value's arithmetic: facts.provenance_zh)."""
    cat = get_catalog()
    return {**fact.to_dict(), "definition": cat.indicator(fact.indicator).definition,
            "provenance": provenance_zh(fact, cat)}


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


def _index(state) -> tuple[dict | None, str]:
    """The city index when the dataset has one and its units are this region's cities, with ""; or
    None and why not in words when the spec names one but the store lacks its inputs."""
    city_index = state.scope.dashboard.city_index
    if city_index is None or city_index not in state.indices.ids():
        return None, ""
    try:
        units = set(state.indices.spec(city_index).data["uCode"].astype(str))
        ours = {c["code"] for c in city_list(state.scope.region.code)}
        if not units or not units <= ours:
            return None, ""
        return state.indices.get(city_index), ""
    except MissingInputError as exc:  # an empty store, or one without the spec's region data
        # a public page speaks a reader's words; the spec's paths and commands are the explorer's
        what = "计算它所需的数据"
        if exc.indicator and get_catalog().has_indicator(exc.indicator):
            when = f"{period_label(exc.period)}" if exc.period else ""
            what = f"计算它所需的{when}{get_catalog().indicator(exc.indicator).name_zh}等数据"
        return None, f"综合指数暂不可用：数据库中还没有{what}。"


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
    idx, index_gap = _index(state)
    tiers = {u["code"]: u for u in idx["units"]} if idx else {}
    marked = any(h["marked"] for h in heads) or any(f["marked"] for f in figures)
    spec_name = f"{state.scope.base_dir.name}/{state.scope.path.name}"
    missing = [c for c in board.headlines if (c, year) not in best]
    return render(request, "overview.html.j2", title=f"{region.name}数字经济总览", heads=heads,
                  figures=figures, index=idx, tiers=tiers, marked=marked, year=year,
                  index_gap=index_gap, missing=_names(missing),
                  region=region, spec_name=spec_name, nav="overview",
                  maps=sorted({f["map"] for f in figures if f.get("map")}))


def _names(codes: list[str]) -> str:
    """Indicators named as the catalog names them (数字经济增加值（de_va）), joined with 、."""
    cat = get_catalog()
    out = []
    for c in codes:
        try:
            out.append(f"{cat.indicator(c).name_zh}（{c}）")
        except KeyError:
            out.append(c)
    return "、".join(out)


def score_item(value: float | None, decimals: int, head: str, series: str,
               marked: bool = False) -> dict | None:
    """One bar of an index chart as the figures draw a fact: its value at the shown precision,
    rounded half-up as the tables print it, and its own tooltip text (54.0 stays 54.0; an axis
    tooltip would print ECharts' raw 54). None for a missing score."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    text = format_number(value, decimals)
    body = f"{series}：{text} 分" + ("（示意）" if marked else "")
    return {"value": float(text), "label": {"formatter": text},  # shown where a series shows labels
            "tooltip": {"formatter": f"{html.escape(head)}<br/>{html.escape(body)}"}}


def _pillar_option(idx: dict, unit: dict, average: str) -> dict:
    names = {a["code"]: a["name"] for a in idx["aggregates"]}
    mean = mean_components(idx)
    keys = list(unit["components"])
    marked = bool(idx.get("marked"))
    heads = [names.get(k, k) for k in keys]

    def items(values: dict, series: str) -> list:
        return [score_item(values.get(k), 1, h, series, marked) for k, h in zip(keys, heads)]

    return {
        "animation": False,
        "tooltip": {"trigger": "item"},  # each bar carries its own text (score_item)
        "legend": {"top": 0},
        "grid": {"left": 48, "right": 24, "top": 56, "bottom": 32},
        "xAxis": {"type": "category", "data": heads, "axisLabel": {"interval": 0}},
        "yAxis": {"type": "value", "min": 0, "max": 100, "name": "得分"},
        "series": [
            {"type": "bar", "name": unit["name"], "data": items(unit["components"], unit["name"]),
             "itemStyle": {"color": "#1f5fa8"}},
            {"type": "bar", "name": average, "data": items(mean, average),
             "itemStyle": {"color": "#b8c7d9"}},
        ],
    }


# The city page (数据回流) ----------------------------------------------------------------------
# What each status means, in the downloads' metadata sheet and the page's legend.
STATUS_MEANING = {
    "published": "来源文件（白皮书、统计公报等）明文给出，附原文",
    "estimated": "由公开发布的数值推出（如由增速倒推上年值），附算式",
    "derived": "按指标目录中的公式由库中数值计算，附公式与输入",
    "illustrative": "示意值：来源只给出界限或图片，演示数据按其表述生成，不是统计数据",
    "synthetic": "合成值：由生成的企业记录计算，仅用于展示方法",
}
QUALIFIER_ZH = {"eq": "等于", "gt": "超过", "ge": "不低于", "lt": "低于", "le": "不超过",
                "approx": "约"}


def _unit_region(state, code: str):
    """The catalog region of one of the dashboard region's units, else 404 with a message."""
    home = state.scope.region
    try:
        region = get_catalog().region(code)
    except UnknownNameError:
        raise HTTPException(404, f"没有这个地区：{code}") from None
    if region.code not in {c["code"] for c in city_list(home.code)}:
        raise HTTPException(404, f"{region.name} 不是{home.name}的{state.scope.unit_word}")
    return region


def _stated(st: Statements, b: Fact) -> str:
    """A published bound as its source words it (超2500亿元, 近200亿元, 30余家): the narrative's
    own phrasing, with the qualifier word the quote uses when it is one the narrative knows."""
    words = QUALIFIER_WORDS.get(b.qualifier, ())
    word = next((w for w in words if w in b.quote), None)
    return str(st.bound_text(b, word))


def is_yes_no(ind) -> bool:
    """A catalog indicator coded 1 (yes) / 0 (no): kind other, no unit and no decimals
    (入选全国首批“千兆城市”)."""
    return ind.kind == "other" and not ind.unit and ind.decimals == 0


def _exact_text(f: Fact) -> str:
    """An exact value as a sentence says it, by its catalog kind and unit: a rank as the position
    (第40位, 第1梯队), a yes/no code as 是/否, anything else as its value with its unit."""
    ind = get_catalog().indicator(f.indicator)
    if ind.kind == "rank":
        return f"第{f.text}{f.unit}"
    if _coded(f):
        return "是" if f.value else "否"
    return f.text_with_unit


def _coded(f: Fact) -> bool:
    return is_yes_no(get_catalog().indicator(f.indicator)) and f.value in (0, 1)


def city_statements(state, region_code: str, as_of: str | None) -> list[dict]:
    """Everything published about the unit that is current at `as_of` (each cell's one value,
    as facts choose it, and the bounds stated about it): each statement once (the same words in
    two sections of a document are one statement with both references), bounds as stated, the
    report's headline indicators first. A value since corrected or superseded is not listed."""
    _, rows = state.view.observations(region=region_code, as_of=as_of, limit=10_000,
                                      history=True)
    st = Statements(Facts(state.view.store, as_of), state.scope.region.code, state.scope.year)
    first = {c: i for i, c in enumerate(state.scope.dashboard.headlines)}
    seen: dict[tuple, dict] = {}
    # current rows first: a restatement that is not current (the same value, source and
    # vintage in another section) only adds its reference to the current one
    for r in sorted(rows, key=lambda r: not r["current"]):
        if r["status"] != "published":
            continue
        f = fact_from_row(r, state.view.catalog)
        key = (f.indicator, f.period, f.qualifier, f.value, f.source)
        if key in seen:
            if (f.ref and f.ref not in seen[key]["refs"]
                    and seen[key]["vintage"] == f.vintage.isoformat()):
                seen[key]["refs"].append(f.ref)
            continue
        if not r["current"]:
            continue
        stated = _exact_text(f) if f.qualifier == "eq" else _stated(st, f)
        seen[key] = {**f.to_dict(), "stated": stated, "refs": [f.ref] if f.ref else [],
                     "coded": f.qualifier == "eq" and _coded(f),
                     "definition": get_catalog().indicator(f.indicator).definition,
                     "qualifier_zh": QUALIFIER_ZH.get(f.qualifier, f.qualifier),
                     "bound": f.qualifier != "eq"}
    return sorted(seen.values(), key=lambda s: (first.get(s["indicator"], len(first)),
                                                 s["indicator"], s["period"], not s["bound"]))


def _rank_words(unit: dict, index: dict, unit_word: str) -> str:
    """The rank interval said plainly: what was varied, where nine runs in ten put the unit."""
    ri = unit.get("rank_interval")
    ua = index.get("uncertainty")
    if not ri or not ua or ri.get("q5") is None:
        return ""
    lo, hi = format_number(ri["q5"], 0), format_number(ri["q95"], 0)
    runs, factors = ua["runs"], ua["factors_zh"] or "计算假设"
    head = (f"名次取决于计算时的假设。把这些假设（{factors}）随机改变 {runs} 次、每次重新排名：")
    if lo == hi:
        return (head + f"{unit['name']}九成以上的结果都是第 {lo} 名，名次稳定，"
                       f"不随这些假设改变。")
    return (head + f"{unit['name']}有九成的结果落在第 {lo} 名到第 {hi} 名之间（5%–95% 分位），"
                   f"中间值为第 {format_number(ri['median'], 0)} 名。区间越宽，名次越受假设影响，"
                   f"与名次相近的{unit_word}之间的先后不宜过度解读。")


def _may_view_unpublished(principal, region_code: str) -> bool:
    return principal is not None and bool(principal.may("view_unpublished", region_code))


def _in_review(state, principal, region_code: str) -> list[dict] | None:
    """Submitted values not yet published, for an account that may see them; None otherwise."""
    if in_review is None or not _may_view_unpublished(principal, region_code):
        return None
    rows = list(in_review(state.view.store, region_code))
    for r in rows:  # as submitted (56, 123.4), not as a float prints it (56.0)
        v = r.get("value")
        r["value_text"] = f"{v:.15g}" if isinstance(v, (int, float)) else ("" if v is None else v)
    return rows


def _objections(state, principal, region_code: str) -> list[dict] | None:
    """The unit's objections (异议) and their outcome, for an account that may see them."""
    if objections is None or not _may_view_unpublished(principal, region_code):
        return None
    return list(objections(state.view.store, region_code))


@router.get("/city/{code}", response_class=HTMLResponse)
def city(request: Request, code: str):
    state = request.app.state
    home = state.scope.region
    region = _unit_region(state, code)
    as_of = _as_of(request)
    statements = city_statements(state, region.code, as_of)
    bounds: dict[tuple[str, str], list[str]] = {}
    for s in statements:
        if s["bound"]:
            bounds.setdefault((s["indicator"], s["period"]), []).append(s["stated"])
    best = state.view.best(region.code, as_of=as_of)
    others = sorted((_row_view(f) for f in best.values() if f.status != "published"),
                    key=lambda r: (r["indicator"], r["period"]))
    for r in others:
        r["bounds"] = bounds.get((r["indicator"], r["period"]), [])
    idx, index_gap = _index(state)
    unit = next((u for u in idx["units"] if u["code"] == region.code), None) if idx else None
    figures = []
    if idx and unit:
        average = f"{home.name}{state.scope.unit_word}平均"
        opt = _pillar_option(idx, unit, average)
        figures.append({"dom_id": "chart-pillars", "caption": f"{unit['name']}各分项得分与{average}",
                        "option_json": script_json(opt), "marked": idx["marked"],
                        "source": idx["name"], "notes": []})
    f = _figure(state, state.scope.dashboard.city_figure) if state.scope.dashboard.city_figure \
        else None
    if f:
        figures.append(f)
    peers = []
    if idx and unit:
        peers = [u for u in idx["units"] if abs(u["rank"] - unit["rank"]) <= 2]
    names = {c["code"]: c["name"] for c in city_list(home.code)}
    near = [{"code": c, "name": names[c]} for c in neighbours(state).get(region.code, [])
            if c in names]
    marked = any(r["marked"] for r in others) or any(f["marked"] for f in figures)
    rule = tier_rule(state.indices.spec(idx["id"]).steps) if idx and "id" in idx else ""
    principal = principal_of(request)
    review = _in_review(state, principal, region.code)
    may_object = principal is not None and bool(principal.may("object", region.code))
    return render(request, "city.html.j2", title=f"{region.name}数据回流", region=region,
                  home=home, statements=statements, rows=others, tier_rule=rule,
                  rank_words=_rank_words(unit, idx, state.scope.unit_word) if unit else "",
                  index=idx, unit=unit, figures=figures, peers=peers, near=near, marked=marked,
                  n_units=len(idx["units"]) if idx else 0, nav="city", maps=[],
                  principal=principal, review=review, as_of=as_of, may_object=may_object,
                  objections=_objections(state, principal, region.code),
                  status_meaning=STATUS_MEANING, index_gap=index_gap)


# downloads -------------------------------------------------------------------------------
DOWNLOAD_COLUMNS = {  # field → Chinese header, in the order of the sheet
    "region_code": "地区代码", "region_name": "地区", "indicator": "指标代码", "name": "指标",
    "period": "时期", "stated": "表述", "qualifier_zh": "限定", "value_rounded": "数值",
    "unit": "单位", "status_zh": "状态", "source": "来源", "refs": "出处", "quote": "原文",
    "vintage": "版本日期", "formula": "公式", "note": "说明"}
REVIEW_COLUMNS = {"indicator": "指标代码", "name_zh": "指标", "period": "时期", "value": "数值",
                  "unit": "单位", "department": "报送部门", "submitted_by": "报送人",
                  "submitted_at": "报送时间", "status_zh": "状态", "reason": "退回原因"}


def _download_rows(statements: list[dict], others: list[dict]) -> list[dict]:
    rows = []
    for s in statements:
        rows.append({**s, "refs": "；".join(s["refs"])})
    for r in others:
        rows.append({**r, "stated": r["text"] + ("" if r["unit"] == "梯队" else r["unit"]),
                     "qualifier_zh": QUALIFIER_ZH["eq"], "refs": r.get("ref", "")})
    return rows


def _sheet(rows: list[dict], columns: dict[str, str]) -> pd.DataFrame:
    frame = pd.DataFrame([{h: r.get(k) for k, h in columns.items()} for r in rows],
                         columns=list(columns.values()))
    for col in frame.columns:
        if not pd.api.types.is_numeric_dtype(frame[col]):
            frame[col] = frame[col].map(neutralise)
    return frame


def _metadata(region, home, rows: list[dict], as_of: str | None, unit_word: str,
              review: list[dict] | None) -> pd.DataFrame:
    vintages = sorted({str(r["vintage"]) for r in rows if r.get("vintage")})
    items = [("地区", f"{region.name}（{region.code}），{home.name}{unit_word}"),
             ("数据截至", as_of or "最新版本"),
             ("版本日期", "、".join(vintages) if vintages else "—"),
             ("内容", ("「数据」表：公开发布的表述（界限值按原文，如「超」「约」），以及其余指标的"
                       "当前取值（每格一个数值，按目录规定的小数位四舍五入）")),
             ("限定", "「限定」为「等于」以外时，「数值」是原文给出的界限，不是实际值")]
    counts: dict[str, int] = {}
    for r in rows:
        counts[r["status"]] = counts.get(r["status"], 0) + 1
    for status, n in sorted(counts.items()):
        items.append((f"状态：{STATUS_ZH.get(status, status)}",
                      f"{n} 行；{STATUS_MEANING.get(status, '')}"))
    sources: dict[str, int] = {}
    for r in rows:
        if r.get("source"):
            sources[r["source"]] = sources.get(r["source"], 0) + 1
    for src, n in sorted(sources.items()):
        items.append(("来源", f"{src}（{n} 行）"))
    if review is not None:
        items.append(("报送中", f"「报送中（未发布）」表：{len(review)} 行，尚未审核通过，不得引用或转发"))
    return pd.DataFrame(items, columns=["项目", "内容"])


def _attachment(filename: str, fallback: str) -> str:
    """Content-Disposition naming the file in Chinese (RFC 5987 filename*) with an ASCII fallback."""
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"


@router.get("/city/{code}/download")
def city_download(request: Request, code: str):
    """The unit's page as a file: CSV (the data table) or XLSX (data, metadata and, for an account
    that may see it, what is in review), Chinese headers, named after the unit."""
    state = request.app.state
    region = _unit_region(state, code)
    kind = request.query_params.get("format", "xlsx")
    if kind not in ("csv", "xlsx"):
        raise HTTPException(422, f"format：应为 csv 或 xlsx，收到「{kind[:20]}」")
    as_of = _as_of(request)
    statements = city_statements(state, region.code, as_of)
    others = sorted((_row_view(f) for f in state.view.best(region.code, as_of=as_of).values()
                     if f.status != "published"), key=lambda r: (r["indicator"], r["period"]))
    rows = _download_rows(statements, others)
    data = _sheet(rows, DOWNLOAD_COLUMNS)
    principal = principal_of(request)
    review = _in_review(state, principal, region.code) if kind == "xlsx" else None
    stamp = as_of or max((str(r["vintage"]) for r in rows), default="")
    stem = f"{region.name}数据回流" + (f"_{stamp}" if stamp else "")
    ascii_stem = f"{region.code}_data" + (f"_{stamp}" if stamp else "")
    if kind == "csv":
        body = data.to_csv(index=False).encode("utf-8-sig")
        media = "text/csv; charset=utf-8"
    else:
        buf = io.BytesIO()
        sheets = {"数据": data, "说明": _metadata(region, state.scope.region, rows, as_of,
                                                  state.scope.unit_word, review)}
        if review is not None:
            sheets["报送中（未发布）"] = _sheet(review, REVIEW_COLUMNS)
        # strings_to_formulas off: a cell of text is written as text, never as a live formula.
        with pd.ExcelWriter(buf, engine="xlsxwriter",
                            engine_kwargs={"options": {"strings_to_formulas": False}}) as xw:
            for name, frame in sheets.items():
                frame.to_excel(xw, sheet_name=name, index=False)
                ws = xw.sheets[name]
                ws.freeze_panes(1, 0)
                ws.set_column(0, len(frame.columns) - 1, 14)
        body = buf.getvalue()
        media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    headers = {"Content-Disposition": _attachment(f"{stem}.{kind}", f"{ascii_stem}.{kind}")}
    if principal is not None:
        headers["Cache-Control"] = "private, no-store"
    return Response(body, media_type=media, headers=headers)


def _explorer_option(p: dict) -> dict:
    units = p["units"]
    marked = bool(p["marked"])
    data = [score_item(u["score"], 2, u["name"], "得分", marked) for u in units]
    return {
        "animation": False,
        "title": {"text": p["target_name"] + ("【示意】" if marked else ""),
                  "left": "center", "textStyle": {"fontSize": 14}},
        "tooltip": {"trigger": "item"},  # each bar carries its own text (score_item)
        "grid": {"left": 72, "right": 48, "top": 40, "bottom": 24},
        "xAxis": {"type": "value", "name": "得分"},
        "yAxis": {"type": "category", "inverse": True, "data": [u["name"] for u in units]},
        "series": [{"type": "bar", "data": data,
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
    if not ids and not qp.get("index"):
        return _explorer_gap(request, ids, index_id,
                             f"指数探索暂不可用：报告规格 {state.scope.path.name} 的数据集没有"
                             "指数规格（index/*.yaml）。")
    if index_id not in ids:
        raise HTTPException(404, f"未知指数 {index_id!r}")
    try:
        nominal = state.indices.get(index_id)
        spec = state.indices.spec(index_id)
    except MissingInputError as exc:  # an empty store, or one without the spec's region data
        return _explorer_gap(request, ids, index_id,
                             f"指数 {index_id} 暂不可用：数据库缺少它的输入数据。{exc}")
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
                  current=current, marked=result["marked"], nav="explorer", maps=[],
                  city_codes={c["code"] for c in city_list(state.scope.region.code)})


def _explorer_gap(request: Request, ids: list[str], index_id: str, gap: str) -> HTMLResponse:
    """The explorer page saying why it has no ranking to show (and offering the other indices)."""
    return render(request, "explorer.html.j2", title="指数探索", ids=ids, index_id=index_id,
                  gap=gap, result=None, nav="explorer", figures=[], maps=[], marked=False)


@router.get("/catalogue", response_class=HTMLResponse)
def catalogue(request: Request):
    """Every indicator; `?q=` keeps the rows whose shown text holds every word of it (the page's
    script filters the same way as one types; without it the form sends `q`)."""
    rows = request.app.state.catalogue()
    q = " ".join(request.query_params.get("q", "").split())[:100]
    shown = {r["code"] for r in rows if catalogue_match(r, q)}
    marked = any(s in MARKED for r in rows if r["code"] in shown for s in r["statuses"])
    return render(request, "catalogue.html.j2", title="数据目录", rows=rows, shown=shown, q=q,
                  stored=sum(1 for r in rows if r["observations"]), marked=marked,
                  nav="catalogue", figures=[], maps=[])


def catalogue_match(row: dict, q: str) -> bool:
    """Whether every word of `q` occurs (case-insensitively) in what the row shows: code, names,
    unit, definition, formula, aliases and the sources listed (catalogue.js reads the same)."""
    words = q.lower().split()
    if not words:
        return True
    text = " ".join([row["code"], row["name_zh"], row["name_en"], row["unit"], row["definition"],
                     row["formula"], *row["aliases"], *row["sources"][:3]]).lower()
    return all(w in text for w in words)


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
