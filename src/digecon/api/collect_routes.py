"""Collection endpoints and pages: templates, uploads, status board, review, objections.

Who is asking comes from digecon.api.security (current_principal); what that account may do
for a task is decided by digecon.collect. A refusal answers 401/403 with a Chinese message,
writes nothing but its audit entry."""
from __future__ import annotations

import csv
import hashlib
import io
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi import Path as PathParam
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from digecon import collect
from digecon.catalog import UnknownNameError, get_catalog
from digecon.errors import InputError
from digecon.facts import fact_text
from digecon.ingest.errors import ReadError
from digecon.ingest.validate import ValidationError

from . import security
from .data import db_lock
from .pages import render

router = APIRouter()
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TASKS_VARIABLE = "DIGECON_COLLECT_TASKS"
MAX_GRID_ROWS = 400
# A department's template has a row per indicator × region: far fewer than a raw ingest file.
MAX_UPLOAD_ROWS = 10_000
_SAFE_CHARS = set("._-")
UPLOAD_SUFFIXES = (".xlsx", ".xlsm", ".csv", ".txt")
MAX_ID = 2**62


def _body(properties: dict, required: list[str], multipart: bool = False) -> dict:
    schema = {"type": "object", "required": required, "properties": properties}
    content = {"multipart/form-data": {"schema": schema}} if multipart else {
        "application/json": {"schema": schema},
        "application/x-www-form-urlencoded": {"schema": schema}}
    return {"requestBody": {"required": True, "content": content},
            "security": [{"bearer": []}]}


SUBMIT_BODY = _body({"task": {"type": "string", "description": "任务编号"},
                     "file": {"type": "string", "format": "binary",
                              "description": "填好的模板（XLSX 或 CSV）"}},
                    ["task", "file"], multipart=True)
REVIEW_BODY = _body({"decision": {"type": "string", "enum": ["approve", "return"]},
                     "reason": {"type": "string", "description": "退回原因（退回时必填）"},
                     "vintage": {"type": "string", "format": "date",
                                 "description": "发布版本日期（默认今天）"}}, ["decision"])
OBJECTION_BODY = _body({"region": {"type": "string"}, "indicator": {"type": "string"},
                        "period": {"type": "string"}, "reason": {"type": "string"}},
                       ["region", "indicator", "period", "reason"])
RESOLVE_BODY = _body({"decision": {"type": "string", "enum": ["rejected", "revised"]},
                      "note": {"type": "string"}, "value": {"type": "string"},
                      "vintage": {"type": "string", "format": "date"}}, ["decision", "note"])


# who, where, which tasks -----------------------------------------------------------------
def principal(request: Request):
    """The signed-in account (session cookie or Bearer token), or None."""
    return security.current_principal(request)


def address(request: Request) -> str | None:
    return security.request_address(request)


def _store(request: Request):
    return request.app.state.view.store


def tasks_path(request: Request) -> Path:
    """The round's task file: app.state.collect_tasks, $DIGECON_COLLECT_TASKS, else the
    report spec's dataset's collection/tasks.yaml."""
    given = getattr(request.app.state, "collect_tasks", None) or os.environ.get(TASKS_VARIABLE)
    if given:
        return Path(given)
    return request.app.state.scope.base_dir / "collection" / "tasks.yaml"


def _tasks(request: Request) -> list[collect.Task]:
    try:
        return collect.load_tasks(tasks_path(request))
    except collect.TaskFileError as exc:
        raise HTTPException(503, f"报送任务文件有误：{exc}") from None


def _task(request: Request, task_id: str | None) -> collect.Task:
    try:
        return collect.find_task(_tasks(request), task_id or "")
    except collect.TaskFileError as exc:
        raise HTTPException(404, str(exc)) from None


def _refuse(request: Request, who, status: int, message: str) -> HTTPException:
    """401/403 with `message`, logged in the audit log within security's per-address budget
    (a flood of refusals cannot fill the log)."""
    _log_refusal(request, who, status, {"message": message})
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return HTTPException(status, message, headers=headers)


def _log_refusal(request: Request, who, status: int, detail: dict) -> None:
    security._audit_refusal(request, "refused_401" if status == 401 else "refused_403",
                            getattr(who, "account", None), detail)


def _signed_in(request: Request, what: str):
    who = principal(request)
    if who is None:
        raise _refuse(request, None, 401, f"请先登录：{what}需要账号")
    return who


async def _check_csrf(request: Request) -> None:
    """A cookie-authenticated form must carry its page's CSRF token (Bearer calls need none);
    digecon.api.security checks and logs it. Call after the form was read."""
    if getattr(request.state, "digecon_auth_via", None) == "session":
        await security.verify_csrf(request)


def _csrf_value(request: Request) -> str:
    return security.csrf_token(request) if principal(request) is not None else ""


def _json(body: Any, status: int = 200) -> Response:
    """JSON for one account: never kept by a shared cache (it may hold unpublished values)."""
    import json

    return Response(json.dumps(body, ensure_ascii=False, default=str), status_code=status,
                    media_type="application/json",
                    headers={"Cache-Control": "private, no-store"})


def _safe_name(raw: str | None) -> str:
    name = Path(raw or "upload.xlsx").name
    name = "".join(ch if ch.isalnum() or ch in _SAFE_CHARS or "\u4e00" <= ch <= "\u9fff"
                   else "_" for ch in name).lstrip(".")
    return (name or "upload.xlsx")[:120]


# the upload -------------------------------------------------------------------------------
async def _read_upload(request: Request) -> tuple[dict[str, str], str, bytes]:
    """(fields, file name, file bytes) of a multipart form with one file in field `file`."""
    limit = request.app.state.settings.max_upload_bytes
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise HTTPException(413, f"上传内容 {int(declared)} 字节，超过上限 {limit} 字节")
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise HTTPException(415, "应以 multipart/form-data 上传：字段 task 为任务编号，file 为填好的模板")
    try:
        form = await request.form(max_files=1, max_fields=10)
    except Exception as exc:  # noqa: BLE001 - any parse failure is the client's
        raise HTTPException(400, f"无法解析上传的表单：{exc}") from None
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    upload = form.get("file")
    if upload is None or isinstance(upload, str):
        raise HTTPException(422, "未收到文件：字段 file 应为填好的 XLSX 或 CSV 模板")
    data = await upload.read()
    if len(data) > limit:
        raise HTTPException(413, f"上传内容超过上限 {limit} 字节")
    return fields, _safe_name(upload.filename), data


async def _submitted_upload(request: Request) -> tuple[Any, collect.Task, str, bytes]:
    """(account, task, file name, file bytes) of an upload the account may submit to its
    task (the API's and the page's alike); 401/403/413/415/422 otherwise, nothing written."""
    who = _signed_in(request, "报送数据")
    fields, name, data = await _read_upload(request)
    await _check_csrf(request)
    task = _task(request, fields.get("task"))
    try:
        collect.require_submitter(task, who)
    except collect.CollectPermissionError as exc:
        raise _refuse(request, who, 403, str(exc)) from None
    return who, task, name, data


def _check_and_submit(request: Request, task: collect.Task, who, name: str,
                      data: bytes) -> tuple[collect.Check, int | None, Path]:
    """Check the file as `who` would submit it; submit when it is clean. Returns the check, the
    submission number (None when refused or invalid) and the saved copy (caller removes it)."""
    if Path(name).suffix.lower() not in UPLOAD_SUFFIXES:
        raise ReadError(f"{name}: 发现扩展名「{Path(name).suffix}」，应为 .xlsx 或 .csv（填好的模板）")
    if not data:
        raise ReadError(f"{name}: 发现空文件，应为填好的模板")
    tmp = Path(tempfile.mkdtemp(prefix="digecon-collect-"))
    path = tmp / name
    try:
        path.write_bytes(data)
        limit = min(MAX_UPLOAD_ROWS, request.app.state.settings.max_upload_rows)
        over = _over_rows(path, limit)
        if over is not None:
            where = f"工作表「{over}」" if over else "文件"
            raise HTTPException(413, f"{name}：{where}超过 {limit} 行（每次报送的上限），未写入任何数据；"
                                     f"应按任务的模板填报（每个指标 × 地区一行），或分批上传")
        store = _store(request)
        with db_lock:
            check = collect.check_upload(store, path, task, who, name=name)
            if not check.ok:
                return check, None, path
            sid = collect.submit(store, check, task, who,
                                 checksum=hashlib.sha256(data).hexdigest(),
                                 address=address(request))
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return check, sid, path


def _data_sheets(book) -> list:
    """A template's visible sheets of data (not its 说明 sheet nor its hidden lists)."""
    return [ws for ws in book.worksheets
            if not ws.title.startswith("_") and ws.title not in ("说明", "填报说明")
            and getattr(ws, "sheet_state", "visible") == "visible"]


def _over_rows(path: Path, limit: int) -> str | None:
    """The sheet ("" for a CSV) with more than `limit` rows, read no further than that; None
    when every sheet is within it (or the file is unreadable: the reader says why)."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        try:
            book = load_workbook(path, read_only=True)
        except Exception:  # noqa: BLE001 - not a workbook: ingest's reader reports it
            return None
        try:
            for ws in _data_sheets(book):
                for n, _row in enumerate(ws.iter_rows(values_only=True), start=1):
                    if n > limit:
                        return ws.title
            return None
        finally:
            book.close()
    with open(path, "rb") as fh:
        lines, last = 0, b"\n"
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            lines, last = lines + chunk.count(b"\n"), chunk[-1:]
            if lines > limit:
                return ""
    return "" if lines + (last != b"\n") > limit else None


def _problem_dicts(problems) -> list[dict]:
    return [{"file": p.file, "sheet": p.sheet, "row": p.row, "column": p.column,
             "message": p.message, "text": str(p)} for p in problems]


@router.post("/api/v1/collect/submissions", summary="报送数据（部门填报员；校验通过后待审核，不发布）",
             status_code=201, openapi_extra=SUBMIT_BODY,
             responses={401: {"description": "未登录"}, 403: {"description": "超出账号的报送范围"},
                        422: {"description": "校验未通过，未写入任何数据"}})
async def api_submit(request: Request):
    who, task, name, data = await _submitted_upload(request)
    tmp_dir = None
    try:
        check, sid, saved = await run_in_threadpool(_check_and_submit, request, task, who, name,
                                                    data)
        tmp_dir = saved.parent
    except (ReadError, InputError) as exc:
        return _json({"detail": "未写入任何数据", "total": 1, "problems": [
            {"file": name, "sheet": "", "row": None, "column": "", "message": str(exc),
             "text": str(exc)}]}, 422)
    finally:
        if tmp_dir is not None:
            shutil.rmtree(tmp_dir, ignore_errors=True)
    if check.refused:
        raise _refuse(request, who, 403, f"{len(check.refused)} 行超出账号的报送范围，未写入任何数据："
                      + "；".join(str(p) for p in check.refused[:5]))
    if sid is None:
        return _json({"detail": "校验未通过，未写入任何数据", "total": check.total,
                      "problems": _problem_dicts(check.problems)}, 422)
    return _json({"submission": sid, "status": "submitted", "status_zh": "待审核",
                  "rows": len(check.rows), "notices": check.notices,
                  "message": f"已提交 {len(check.rows)} 个数值，待审核；审核通过后才发布"}, 201)


@router.get("/api/v1/collect/tasks", summary="报送任务")
def api_tasks(request: Request):
    cat = get_catalog()
    return [{"id": t.id, "name": t.name, "department": t.department, "period": t.period,
             "deadline": t.deadline.isoformat(), "indicators": list(t.indicators),
             "regions": [{"code": r, "name": cat.region(r).name} for r in t.regions]}
            for t in _tasks(request)]


@router.get("/api/v1/collect/template", summary="某任务的部门填报模板（XLSX）")
def api_template(request: Request, task: str, department: str | None = None):
    who = _signed_in(request, "下载模板")
    t = _task(request, task)
    try:
        collect.require_submitter(t, who)
    except collect.CollectPermissionError as exc:
        raise _refuse(request, who, 403, str(exc)) from None
    tmp = Path(tempfile.mkdtemp(prefix="digecon-template-"))
    try:
        out = tmp / "template.xlsx"
        try:
            collect.department_template(out, t, department, principal=who)
        except collect.TaskFileError as exc:
            raise HTTPException(422, str(exc)) from None
        body = out.read_bytes()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    mine = f"_{who.account}" if who.regions else ""  # restricted to this account's cells
    filename = f"填报模板_{t.id}_{t.department}{mine}.xlsx"
    from urllib.parse import quote

    return Response(body, media_type=XLSX_TYPE, headers={
        "Content-Disposition": f"attachment; filename=\"template_{t.id}.xlsx\"; "
                               f"filename*=UTF-8''{quote(filename)}",
        "Cache-Control": "private, no-store"})


def _visible_submission(request: Request, who, sid: int) -> dict:
    try:
        sub = collect.submission(_store(request), sid)
    except collect.CollectError as exc:
        raise HTTPException(404, str(exc)) from None
    if not who.may("review") and sub["account"] != who.account:
        raise _refuse(request, who, 403, f"账号「{who.account}」不能查看他人的报送 #{sid}")
    return sub


@router.get("/api/v1/collect/submissions", summary="报送记录（审核员看全部，填报员看自己的）")
def api_submissions(request: Request, status: str | None = None, task: str | None = None):
    who = _signed_in(request, "查看报送")
    mine = None if who.may("review") else who.account
    return _json(collect.submissions(_store(request), account=mine, status=status, task=task))


@router.get("/api/v1/collect/submissions/{sid}", summary="一次报送及其数值")
def api_submission(request: Request, sid: int = PathParam(..., ge=1, le=MAX_ID)):
    who = _signed_in(request, "查看报送")
    return _json(_visible_submission(request, who, sid))


async def _form(request: Request) -> dict[str, str]:
    ctype = request.headers.get("content-type", "")
    if ctype.startswith("application/json"):
        try:
            body = await request.json()
        except ValueError:
            raise HTTPException(400, "请求体不是合法的 JSON") from None
        return {k: str(v) for k, v in (body or {}).items() if v is not None} \
            if isinstance(body, dict) else {}
    form = await request.form(max_files=0, max_fields=20)
    return {k: v for k, v in form.items() if isinstance(v, str)}


def _reviewer(request: Request):
    who = _signed_in(request, "审核")
    if not who.may("review"):
        raise _refuse(request, who, 403, f"账号「{who.account}」的角色不能审核报送（需要审核员或省级管理员）")
    return who


def _decide(request: Request, who, sid: int, fields: dict[str, str]) -> dict:
    store = _store(request)
    decision = fields.get("decision", "")
    try:
        with db_lock:
            if decision == "approve":
                written = collect.approve(store, sid, who, vintage=fields.get("vintage") or None,
                                          address=address(request))
                return {"submission": sid, "status": "approved", "written": written,
                        "message": f"已通过：写入 {written} 条观测值（已发布）"}
            if decision == "return":
                collect.return_submission(store, sid, who, fields.get("reason", ""),
                                          address=address(request))
                return {"submission": sid, "status": "returned", "message": "已退回"}
    except ValidationError as exc:
        raise HTTPException(422, exc.report()) from None
    except collect.CollectError as exc:
        raise HTTPException(409 if "状态" in str(exc) else 422, str(exc)) from None
    raise HTTPException(422, f"decision: 发现「{decision}」，应为 approve（通过）或 return（退回）")


@router.post("/api/v1/collect/submissions/{sid}/review", summary="审核：通过（发布）或退回",
             openapi_extra=REVIEW_BODY)
async def api_review(request: Request, sid: int = PathParam(..., ge=1, le=MAX_ID)):
    who = _reviewer(request)
    fields = await _form(request)
    await _check_csrf(request)
    _visible_submission(request, who, sid)
    return await run_in_threadpool(_decide, request, who, sid, fields)


@router.get("/api/v1/collect/status", summary="报送状态；format=csv/xlsx 导出未报送清单")
def api_status(request: Request, format: str = "json"):
    _signed_in(request, "查看报送状态")
    tasks = _tasks(request)
    store = _store(request)
    if format == "json":
        rows = collect.board(store, tasks)
        return _json({"summary": collect.summary(rows), "regions": rows})
    cells = collect.missing(store, tasks)
    if format == "csv":
        return Response(collect.missing_csv(cells), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": 'attachment; filename="missing.csv"',
                                 "Cache-Control": "private, no-store"})
    if format == "xlsx":
        buf = io.BytesIO()
        collect.missing_xlsx(cells, buf)
        return Response(buf.getvalue(), media_type=XLSX_TYPE,
                        headers={"Content-Disposition": 'attachment; filename="missing.xlsx"',
                                 "Cache-Control": "private, no-store"})
    raise HTTPException(422, f"format: 发现「{format}」，应为 json、csv 或 xlsx")


@router.get("/api/v1/collect/in-review/{region}", summary="某地区待审核与已退回的报送数值")
def api_in_review(request: Request, region: str):
    who = _signed_in(request, "查看未发布数据")
    code = _region_code(region)
    if not who.may("view_unpublished", code):
        raise _refuse(request, who, 403, f"账号「{who.account}」不能查看「{region}」的未发布数据")
    return _json(collect.in_review(_store(request), code))


def _region_code(name: str) -> str:
    try:
        return get_catalog().region(name).code
    except UnknownNameError as exc:
        raise HTTPException(404, str(exc)) from None


@router.get("/api/v1/collect/objections", summary="异议（市级用户看本市的，审核员看全部）")
def api_objections(request: Request, region: str | None = None):
    who = _signed_in(request, "查看异议")
    code = _region_code(region) if region else None
    if not who.may("review"):
        own = list(getattr(who, "regions", ()))
        if code is None and len(own) == 1:
            code = own[0]
        if code is None or not who.may("view_unpublished", code):
            raise _refuse(request, who, 403, f"账号「{who.account}」只能查看本地区的异议")
    return _json(collect.objections(_store(request), code))


def _raise(request: Request, who, fields: dict[str, str]) -> dict:
    try:
        with db_lock:
            oid = collect.raise_objection(_store(request), who, fields.get("region", ""),
                                          fields.get("indicator", ""), fields.get("period", ""),
                                          fields.get("reason", ""), address=address(request))
    except collect.CollectPermissionError as exc:
        raise _refuse(request, who, 403, str(exc)) from None
    except (collect.CollectError, UnknownNameError) as exc:
        raise HTTPException(422, str(exc)) from None
    return {"objection": oid, "status": "open", "message": f"已提出异议 #{oid}，待处理"}


@router.post("/api/v1/collect/objections", summary="对已发布数值提出异议（市级用户）",
             status_code=201, openapi_extra=OBJECTION_BODY)
async def api_raise(request: Request):
    who = _signed_in(request, "提出异议")
    fields = await _form(request)
    await _check_csrf(request)
    return _json(await run_in_threadpool(_raise, request, who, fields), 201)


def _resolve(request: Request, who, oid: int, fields: dict[str, str]) -> dict:
    raw = fields.get("value", "").strip()
    try:
        value = float(raw) if raw else None
    except ValueError:
        raise HTTPException(422, f"value: 发现「{raw}」，应为数值") from None
    try:
        with db_lock:
            written = collect.resolve_objection(
                _store(request), oid, who, fields.get("decision", ""), fields.get("note", ""),
                value=value, vintage=fields.get("vintage") or None, address=address(request))
    except ValidationError as exc:
        raise HTTPException(422, exc.report()) from None
    except collect.CollectError as exc:
        raise HTTPException(422, str(exc)) from None
    return {"objection": oid, "status": fields.get("decision"), "written": written}


@router.post("/api/v1/collect/objections/{oid}/resolve", summary="处理异议：驳回或修订（新版本）",
             openapi_extra=RESOLVE_BODY)
async def api_resolve(request: Request, oid: int = PathParam(..., ge=1, le=MAX_ID)):
    who = _reviewer(request)
    fields = await _form(request)
    await _check_csrf(request)
    return await run_in_threadpool(_resolve, request, who, oid, fields)


# pages ---------------------------------------------------------------------------------------
def _page(request: Request, name: str, who, **ctx):
    return render(request, name, nav="collect", principal=who, csrf=_csrf_value(request), **ctx)


@router.get("/collect", include_in_schema=False)
def page_home(request: Request, done: str | None = None):
    who = principal(request)
    if who is None:
        return RedirectResponse("/login?next=/collect", status_code=303)
    store = _store(request)
    tasks = _tasks(request)
    mine = [t for t in tasks if who.role == "admin" or
            (who.role == "reporter" and t.department == who.department)]
    reviewing = who.may("review")
    subs = collect.submissions(store, account=None if reviewing else who.account)
    regions = list(getattr(who, "regions", ()))
    if reviewing:
        objs = collect.objections(store)
    elif who.role == "city" and regions:
        objs = collect.objections(store, regions[0])
    else:
        objs = []
    cat = get_catalog()
    scopes = {}
    for t in mine:
        try:
            regions, indicators = collect.account_scope(t, who, cat)
        except collect.TaskFileError:
            scopes[t.id] = None  # none of the task's cells is this account's
            continue
        scopes[t.id] = {"regions": "、".join(cat.region(r).name for r in regions),
                        "indicators": len(indicators), "whole": regions == t.regions
                        and indicators == t.indicators}
    return _page(request, "collect.html.j2", who, title="数据报送", tasks=mine, subs=subs,
                 scopes=scopes,
                 reviewing=reviewing, objections=objs, done=done,
                 may_object=bool(regions) and who.may("object", regions[0]),
                 object_region=cat.region(regions[0]).name if regions else "",
                 indicators=_objectable(store, regions[0]) if regions else [])


def _objectable(store, region: str) -> list[dict]:
    """The indicators the public sees a value of for `region` (what an objection can be on)."""
    if not store.exists():
        return []
    cat = get_catalog()
    codes = sorted(set(store.chosen(regions=[region])["indicator"]))
    return [{"code": c, "name_zh": cat.indicator(c).name_zh} for c in codes]


@router.post("/collect/upload", include_in_schema=False)
async def page_upload(request: Request):
    who, task, name, data = await _submitted_upload(request)
    try:
        check, sid, saved = await run_in_threadpool(_check_and_submit, request, task, who, name,
                                                    data)
    except (ReadError, InputError, HTTPException) as exc:
        too_big = isinstance(exc, HTTPException)
        if too_big and exc.status_code != 413:
            raise
        resp = _page(request, "collect_upload.html.j2", who, title="上传结果", task=task,
                     file=name, sid=None, check=None, sheets=[],
                     loose=[exc.detail if too_big else str(exc)])
        resp.status_code = 413 if too_big else 422
        return resp
    try:
        sheets, loose = _grid(saved, check.problems + check.refused)
    finally:
        shutil.rmtree(saved.parent, ignore_errors=True)
    if check.refused:
        _log_refusal(request, who, 403, {"task": task.id, "refused_rows": len(check.refused)})
    resp = _page(request, "collect_upload.html.j2", who, title="上传结果", task=task, file=name,
                 sid=sid, check=check, sheets=sheets, loose=loose)
    if check.refused:
        resp.status_code = 403
    elif sid is None:
        resp.status_code = 422
    return resp


@router.get("/collect/status", include_in_schema=False)
def page_status(request: Request):
    who = principal(request)
    if who is None:
        return RedirectResponse("/login?next=/collect/status", status_code=303)
    rows = collect.board(_store(request), _tasks(request))
    return _page(request, "collect_status.html.j2", who, title="报送状态",
                 summary=collect.summary(rows), rows=rows, states=collect.STATES)


@router.get("/collect/review/{sid}", include_in_schema=False)
def page_review(request: Request, sid: int = PathParam(..., ge=1, le=MAX_ID)):
    who = principal(request)
    if who is None:
        return RedirectResponse(f"/login?next=/collect/review/{sid}", status_code=303)
    sub = _visible_submission(request, who, sid)
    cat = get_catalog()
    now = collect.published_values(_store(request), sub["rows"]) \
        if sub["status"] == "submitted" and _store(request).exists() else {}
    for r in sub["rows"]:
        r["region_name"] = cat.region(r["region_code"]).name
        r["name_zh"] = cat.indicator(r["indicator"]).name_zh
        old = now.get((r["region_code"], r["indicator"], r["period"]))
        ind = cat.indicator(r["indicator"])
        # the value the public sees now, in the words every surface prints it (digecon.facts)
        r["published_now"] = old and {**old, "text": fact_text(old["value"], ind.decimals,
                                                               ind.kind),
                                      "replaced": old["value"] != float(r["value"])}
    return _page(request, "collect_review.html.j2", who, title=f"审核报送 #{sid}", sub=sub,
                 reviewing=who.may("review"))


@router.post("/collect/review/{sid}", include_in_schema=False)
async def page_decide(request: Request, sid: int = PathParam(..., ge=1, le=MAX_ID)):
    who = _reviewer(request)
    fields = await _form(request)
    await _check_csrf(request)
    _visible_submission(request, who, sid)
    result = await run_in_threadpool(_decide, request, who, sid, fields)
    return RedirectResponse(f"/collect?done={result['status']}", status_code=303)


@router.post("/collect/objections", include_in_schema=False)
async def page_raise(request: Request):
    who = _signed_in(request, "提出异议")
    fields = await _form(request)
    await _check_csrf(request)
    await run_in_threadpool(_raise, request, who, fields)
    return RedirectResponse("/collect?done=object", status_code=303)


@router.post("/collect/objections/{oid}", include_in_schema=False)
async def page_resolve(request: Request, oid: int = PathParam(..., ge=1, le=MAX_ID)):
    who = _reviewer(request)
    fields = await _form(request)
    await _check_csrf(request)
    await run_in_threadpool(_resolve, request, who, oid, fields)
    return RedirectResponse("/collect?done=resolve", status_code=303)


# the uploaded grid, with each problem beside its cell ------------------------------------
def _grid(path: Path, problems) -> tuple[list[dict], list[str]]:
    """The uploaded sheets as rows of cells, each problem attached to its cell; problems that
    name no cell of the grid are returned apart (shown above it)."""
    sheets = _read_cells(path)
    by_sheet = {s["title"]: s for s in sheets}
    loose: list[str] = []
    for p in problems:
        sheet = by_sheet.get(p.sheet) or (sheets[0] if sheets and not p.sheet else None)
        if sheet is None or not sheet["rows"]:
            loose.append(str(p))
            continue
        header = sheet["rows"][0]["cells"]
        col = next((i for i, c in enumerate(header) if c["text"] == p.column), None)
        row = next((r for r in sheet["rows"] if r["number"] == p.row), None)
        if col is None or row is None or col >= len(row["cells"]):
            loose.append(str(p))
            continue
        row["cells"][col]["messages"].append(p.message)
        row["bad"] = True
        sheet["problems"] += 1
    return sheets, loose


def _read_cells(path: Path) -> list[dict]:
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        book = load_workbook(path, read_only=True, data_only=True)
        try:
            out = []
            for ws in _data_sheets(book):
                rows = []
                for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
                    if number > MAX_GRID_ROWS:
                        break
                    rows.append(_row(number, values))
                out.append({"title": ws.title, "rows": _squared(rows), "problems": 0})
            return out
        finally:
            book.close()
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        return []
    rows = [_row(n, values) for n, values in enumerate(csv.reader(io.StringIO(text)), start=1)
            if n <= MAX_GRID_ROWS]
    return [{"title": "", "rows": _squared(rows), "problems": 0}]


def _row(number: int, values) -> dict:
    cells = [{"text": "" if v is None else (format(v, ".15g") if isinstance(v, float) else str(v)),
              "messages": []} for v in values]
    return {"number": number, "cells": cells, "bad": False}


def _squared(rows: list[dict]) -> list[dict]:
    """Every row as wide as the widest non-empty cell of the sheet (no ragged table)."""
    width = max((i + 1 for r in rows for i, c in enumerate(r["cells"]) if c["text"]), default=0)
    for r in rows:
        r["cells"] = (r["cells"] + [{"text": "", "messages": []}
                                    for _ in range(width - len(r["cells"]))])[:width]
    return rows
