"""GET /api/v1/facts: the value every surface shows for a cell, with its text, status and source."""
from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, HTTPException, Query, Request
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

    def read() -> list[dict]:
        facts = view.facts_of(indicators=[indicator] if indicator else None,
                              regions=[region] if region else None,
                              periods=[period] if period else None, as_of=as_of)
        return [f.to_dict() for f in facts]

    try:
        rows = await run_in_threadpool(read)
    except UnknownNameError as exc:
        raise HTTPException(422, str(exc)) from None
    return {"total": len(rows), "limit": limit, "offset": offset,
            "as_of": as_of.isoformat() if as_of else None,
            "items": rows[offset:offset + limit]}
