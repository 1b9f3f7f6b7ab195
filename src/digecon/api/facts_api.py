"""GET /api/v1/facts: the value every surface shows for a cell, with its text, status and source."""
from __future__ import annotations

import datetime as dt
import json

from fastapi import APIRouter, HTTPException, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from digecon.catalog import UnknownNameError

router = APIRouter(prefix="/api/v1", tags=["facts"])
MAX_FACTS = 5000


@router.get("/facts", summary="事实：每个单元格选定的数值（与报告、图表、页面一致）")
async def facts(
        request: Request,
        indicator: str | None = Query(None, max_length=100, description="指标代码或中文名"),
        region: str | None = Query(None, max_length=100, description="地区代码或名称"),
        period: str | None = Query(None, max_length=20, description="时期，如 2021"),
        as_of: dt.date | None = Query(None, description="数据版本截至此日期"),  # noqa: B008 (FastAPI idiom)
        limit: int = Query(500, ge=1, le=MAX_FACTS, description="每页条数"),
        offset: int = Query(0, ge=0, le=10_000_000)):
    view = request.app.state.view
    try:
        args = ([indicator] if indicator else None, [region] if region else None,
                [period] if period else None, as_of, limit, offset)
        hit = view.cached_facts_json(*args)  # a cached answer is sent from the event loop
        total, items = hit if hit is not None else await run_in_threadpool(view.facts_json,
                                                                           *args)
    except UnknownNameError as exc:
        raise HTTPException(422, str(exc)) from None
    stamp = json.dumps(as_of.isoformat() if as_of else None)
    body = (f'{{"total":{total},"limit":{limit},"offset":{offset},"as_of":{stamp},'
            f'"items":{items}}}')
    return Response(body, media_type="application/json")
