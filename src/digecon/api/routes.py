"""The JSON/CSV/XLSX API under /api/v1: open reading, token-guarded ingest."""
from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import tempfile
from enum import Enum
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import FileResponse, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from digecon.accounts import Principal
from digecon.catalog import UnknownNameError, get_catalog
from digecon.factcheck import check_text
from digecon.factcheck.render import result
from digecon.ingest.errors import WriteError
from digecon.ingest.files import ingest_files
from digecon.ingest.reader import ReadError
from digecon.ingest.validate import ValidationError
from digecon.store import StoreLockedError
from digecon.store.schema import STATUSES
from digecon.store.store import file_sha256

from .config import MAX_PAGE
from .data import STATUS_ZH, db_lock, neutralise, to_csv, to_xlsx
from .indices import WEIGHT_CHOICES, IndexInputError
from .security import audit_request, require
from .upload import parse_multipart, run_niced, spool_body, write_nice

router = APIRouter(prefix="/api/v1")

Status = Enum("Status", {s: s for s in STATUSES}, type=str)


class Fmt(str, Enum):
    json = "json"
    csv = "csv"
    xlsx = "xlsx"


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _svc(request: Request):
    return request.app.state


def _json(body: Any, status: int = 200, headers: dict | None = None) -> Response:
    return Response(json.dumps(body, ensure_ascii=False), status_code=status,
                    media_type="application/json", headers=headers)


@router.get("/regions", summary="地区（GB/T 2260）")
def regions(level: str | None = Query(None, description="province / city …"),
            parent: str | None = Query(None, max_length=12, description="上级地区代码")):

    rs = get_catalog().regions(level=level, parent=parent)
    return [{"code": r.code, "name": r.name, "short": r.short, "level": r.level,
             "parent": r.parent, "name_en": r.name_en} for r in rs]


@router.get("/indicators", summary="指标：定义、单位、来源与状态")
def indicators(request: Request):
    return _svc(request).catalogue()


@router.get("/observations", summary="观测值（筛选、分页；JSON / CSV / XLSX）",
            responses={200: {"content": {"text/csv": {}, XLSX_TYPE: {}}}})
async def observations(
        request: Request,
        indicator: str | None = Query(None, max_length=100, description="指标代码或中文名"),
        region: str | None = Query(None, max_length=100, description="地区代码或名称"),
        period: str | None = Query(None, max_length=20, description="时期，如 2021"),
        status: Status | None = Query(None, description="数据状态"),  # noqa: B008 (FastAPI idiom)
        as_of: dt.date | None = Query(None, description="只看此日期及以前发布的版本"),  # noqa: B008 (FastAPI idiom)
        limit: int | None = Query(None, ge=1, le=MAX_PAGE,
                                  description="每页行数（JSON 默认 100；CSV/XLSX 默认全部）"),
        offset: int = Query(0, ge=0, le=10_000_000),
        history: bool = Query(False, description=(
            "false（默认）：每格只列当前值（与 /facts 相同的唯一取值）及原文界限值；"
            "true：列出截至 as_of 的全部版本，current 标明当前值，其余为历史（被更正或被取代）")),
        format: Fmt = Query(Fmt.json, description="json / csv / xlsx")):  # noqa: B008 (FastAPI idiom)
    view = _svc(request).view
    st = status.value if status else None
    lim = limit if limit is not None else (100 if format is Fmt.json else MAX_PAGE)
    try:
        if format is Fmt.json:  # the page's JSON text is cached with it (StoreView)
            args = (indicator, region, period, st, as_of, lim, offset, history)
            # A cached answer is sent from the event loop: no hop to a worker thread.
            hit = view.cached_observations_json(*args)
            total, items = hit if hit is not None else await run_in_threadpool(
                view.observations_json, *args)
            body = f'{{"total":{total},"limit":{lim},"offset":{offset},"items":{items}}}'
            return Response(body, media_type="application/json",
                            headers={"X-Total-Count": str(total)})
        total, page = await run_in_threadpool(view.observations, indicator, region, period, st,
                                              as_of, lim, offset, history)
    except UnknownNameError as exc:
        raise HTTPException(422, str(exc)) from None
    headers = {"X-Total-Count": str(total)}
    name = "observations"
    # Text a spreadsheet would run as a formula (= + - @) is made inert, whatever the writer does.
    page = [{k: neutralise(v) for k, v in r.items()} for r in page]
    if format is Fmt.csv:
        headers["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return Response(to_csv(page), media_type="text/csv; charset=utf-8", headers=headers)
    headers["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    data = await run_in_threadpool(to_xlsx, page)
    return Response(data, media_type=XLSX_TYPE, headers=headers)


@router.get("/indices", summary="可用的综合指数")
def indices_list(request: Request):
    svc = _svc(request).indices
    return [{"id": i} for i in svc.ids()]


def _index_or_404(svc, index_id: str):
    if index_id not in svc.ids():
        raise HTTPException(404, f"未知指数 {index_id!r}；可用：{', '.join(svc.ids())}")


@router.get("/indices/{index_id}", summary="指数得分、排名、梯队与排名区间")
def index_get(request: Request, index_id: str = PathParam(..., examples=["city_de", "table1"])):
    svc = _svc(request).indices
    _index_or_404(svc, index_id)
    return svc.get(index_id)


class Reweight(BaseModel):
    weights: dict[str, float] = Field(default_factory=dict,
                                      description="框架代码 → 权重（同一上级内按比例归一）")
    method: str | None = Field(None, description="第 1 层赋权方法：" + " / ".join(WEIGHT_CHOICES))


@router.post("/indices/{index_id}/recompute", summary="按给定权重重新计算排名")
def index_recompute(request: Request, body: Reweight,
                    index_id: str = PathParam(..., examples=["city_de"])):
    svc = _svc(request).indices
    _index_or_404(svc, index_id)
    try:
        return svc.recompute(index_id, body.weights, body.method)
    except IndexInputError as exc:
        raise HTTPException(422, str(exc)) from None
    except ValueError as exc:  # the build refused the combination (e.g. entropy on negatives)
        raise HTTPException(422, f"无法按此设置计算：{exc}") from None


@router.get("/figures", summary="图表列表")
def figures_list(request: Request):
    caps = _svc(request).figures.captions()
    return [{"id": k, "caption": v} for k, v in caps.items()]


@router.get("/figures/{figure_id}", summary="图表的 ECharts 配置与数据")
def figure_get(request: Request,
               figure_id: str = PathParam(..., examples=["fig_de_va", "map_city_de"])):
    svc = _svc(request).figures
    try:
        return svc.get(figure_id)
    except KeyError:
        raise HTTPException(404, f"未知图表 {figure_id!r}") from None


@router.get("/reports", summary="已生成的报告文件")
def reports_list(request: Request):
    files = _svc(request).report_files()
    return [{"name": k, "bytes": p.stat().st_size, "url": f"/api/v1/reports/{k}"}
            for k, p in files.items()]


@router.get("/reports/{name:path}", summary="下载一个报告文件")
def report_get(request: Request, name: str = PathParam(..., examples=["index.html"])):
    # The name is only a key into the listing made just now; it is never joined to a path.
    files = _svc(request).report_files()
    path = files.get(name)
    if path is None:
        raise HTTPException(404, "没有这个报告文件；可用文件见 /api/v1/reports")
    return FileResponse(path, filename=Path(name).name)


class FactcheckIn(BaseModel):
    text: str = Field(..., description="待核查的中文文本（上限见 413 说明）")
    region: str | None = Field(None, max_length=100)
    year: int | None = Field(None, ge=1949, le=2100)
    as_of: dt.date | None = None


@router.post("/factcheck", summary="数字核查：文本进，断言与核查结果出",
             responses={413: {"description": "文本或请求体过长"},
                        429: {"description": "同一地址请求过于频繁（见 Retry-After）"}})
def factcheck(request: Request, body: FactcheckIn):

    state = _svc(request)
    limit = state.settings.max_factcheck_chars
    if len(body.text) > limit:
        raise HTTPException(413, f"待核查文本 {len(body.text)} 个字符，超过上限 {limit} 个字符；"
                                 f"请分段提交，或在本地运行 digecon factcheck")
    # Reads only: check_text opens read connections (cursors of the served instance), so it
    # never takes db_lock, which is the writers' (POST /ingest) alone.
    try:
        claims = check_text(body.text, store=state.view.store, region=body.region,
                            year=str(body.year) if body.year else None,
                            as_of=body.as_of.isoformat() if body.as_of else None)
    except UnknownNameError as exc:
        raise HTTPException(422, str(exc)) from None
    # The same object as `digecon factcheck --format json`: claims, checks, coverage, summary.
    return result(claims)


def _count_rows(path: Path) -> int:
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        try:
            from openpyxl import load_workbook

            wb = load_workbook(path, read_only=True)
            try:
                return sum(ws.max_row or 0 for ws in wb.worksheets)
            finally:
                wb.close()
        except Exception:  # noqa: BLE001
            return 0  # unreadable: the reader reports it with its own message
    with open(path, "rb") as fh:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 20), b""))


INGEST_BODY = {
    "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
        "type": "object", "required": ["files"],
        "properties": {
            "files": {"type": "array", "items": {"type": "string", "format": "binary"}},
            "status": {"type": "string", "enum": list(STATUSES)},
            "vintage": {"type": "string", "format": "date"},
            "source": {"type": "string"}, "indicator": {"type": "string"},
            "period": {"type": "string"}, "sheet": {"type": "string"},
        }}}}},
    "security": [{"bearer": []}],
}


@router.post("/ingest", summary="导入数据文件（需要令牌；与 digecon ingest 相同的校验）",
             openapi_extra=INGEST_BODY,
             responses={401: {"description": "缺少或错误的令牌"},
                        413: {"description": "文件过大或行数过多"},
                        422: {"description": "校验未通过，未写入任何数据"}})
async def ingest(request: Request, who: Principal = Depends(require("ingest"))):  # noqa: B008 (FastAPI idiom)

    settings = request.app.state.settings
    ctype = request.headers.get("content-type", "")
    if not ctype.startswith("multipart/form-data"):
        raise HTTPException(415, "应以 multipart/form-data 上传，字段 files 为 CSV 或 XLSX 文件")
    tmp = Path(tempfile.mkdtemp(prefix="digecon-upload-"))
    try:
        # The body goes to disk as it arrives; parsing and counting run in a worker thread,
        # so the event loop keeps answering readers while a large file is uploaded.
        await spool_body(request, tmp / ".body", settings.max_upload_bytes)
        files = tmp / "files"
        files.mkdir()
        form = await run_in_threadpool(parse_multipart, tmp / ".body", ctype, files)
        (tmp / ".body").unlink()
        if not form.files:
            raise HTTPException(422, "未收到文件：字段 files 应包含至少一个 CSV 或 XLSX 文件")
        opts: dict[str, str | None] = {
            key: (form.fields.get(key) or None)
            for key in ("status", "vintage", "source", "indicator", "period", "sheet")}
        paths = form.files
        for path in paths:
            rows = await run_in_threadpool(_count_rows, path)
            if rows > settings.max_upload_rows:
                raise HTTPException(
                    413, f"{path.name}：{rows} 行，超过上限 {settings.max_upload_rows} 行")
        view = request.app.state.view
        notices: list[str] = []

        def run() -> int:
            with db_lock:
                return ingest_files(view.store, paths, on_notice=notices.append, **opts)

        prefix = str(files) + os.sep
        try:
            # The write runs at a lower CPU priority than the requests being answered meanwhile.
            written = await run_in_threadpool(run_niced, run, write_nice())
        except ValidationError as exc:
            problems = [str(p).replace(prefix, "") for p in exc.problems]
            return _json({"detail": "校验未通过，未写入任何数据", "total": exc.total,
                          "problems": problems, "report": exc.report().replace(prefix, "")}, 422)
        except (ReadError, UnknownNameError) as exc:
            msg = str(exc).replace(prefix, "")
            return _json({"detail": "未写入任何数据", "problems": [msg], "report":
                          f"{msg}\n未写入任何数据。"}, 422)
        except StoreLockedError as exc:
            raise HTTPException(503, f"{exc}；未写入任何数据") from None
        except WriteError as exc:  # the store could not be written (a full disk, permissions)
            raise HTTPException(507, f"{str(exc).replace(prefix, '')}；未写入任何数据") from None
        # The audit entry: who wrote which files (their SHA-256, as the batch records them).
        sums = await run_in_threadpool(lambda: ",".join(file_sha256(p) for p in paths))
        await run_in_threadpool(audit_request, request, "ingest", account=who.account,
                                detail={"files": [p.name for p in paths], "written": written},
                                checksum=sums)
        return {"written": written, "files": [p.name for p in paths],
                "notices": [n.replace(prefix, "") for n in notices],
                "message": f"已写入 {written} 条观测值（含派生指标）"}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


__all__ = ["STATUS_ZH", "router"]
