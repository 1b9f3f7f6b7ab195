"""The FastAPI application: services on app.state, API router, pages and whitelisted assets."""
from __future__ import annotations

import json
import logging
from pathlib import Path

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response

from digecon.catalog import CatalogError
from digecon.figures.options import load_geojson
from digecon.store import Store, StoreLockedError, StoreMissingError

from .config import Settings
from .data import StoreView
from .figures import FigureService
from .indices import IndexService
from .pagecache import PageCache
from .scope import load_scope
from .security import GuardedPost, SecurityHeaders

log = logging.getLogger("digecon.api")
STATIC = Path(__file__).parent / "static"


class State:
    """What the routes share: settings, the report scope, the store view and cached services."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.scope = load_scope(settings.spec)  # ScopeError before anything is served
        self.view = StoreView(Store(settings.db))
        self.indices = IndexService(self.view, self.scope.base_dir / "index",
                                    runs=settings.uncertainty_runs)
        self.figures = FigureService(self.view, self.scope.spec)
        self._catalogue: tuple[int, list[dict]] | None = None

    def catalogue(self) -> list[dict]:
        """Every catalog indicator with the sources, statuses and periods the store holds for it."""
        from digecon.catalog import get_catalog

        version = self.view.version
        if self._catalogue and self._catalogue[0] == version:
            return self._catalogue[1]
        seen = self.view.indicator_summary()
        out = []
        for ind in get_catalog().indicators():
            s = seen.get(ind.code, {"sources": set(), "statuses": set(), "periods": set(), "n": 0})
            out.append({"code": ind.code, "name_zh": ind.name_zh, "name_en": ind.name_en,
                        "unit": ind.unit, "kind": ind.kind, "decimals": ind.decimals,
                        "definition": ind.definition, "formula": ind.formula,
                        "aliases": list(ind.aliases), "sources": sorted(s["sources"]),
                        "statuses": sorted(s["statuses"]), "periods": sorted(s["periods"]),
                        "observations": s["n"]})
        self._catalogue = (version, out)
        return out

    def report_files(self) -> dict[str, Path]:
        """Relative name → file, listed from the configured out dir (regular files, no symlinks)."""
        root = self.settings.reports_dir
        if root is None or not root.is_dir():
            return {}
        root = root.resolve()
        out: dict[str, Path] = {}
        for p in sorted(root.rglob("*")):
            if p.is_symlink() or not p.is_file():
                continue
            if any(part.startswith(".") for part in p.relative_to(root).parts):
                continue
            out[p.relative_to(root).as_posix()] = p
        return out

    def assets(self) -> dict[str, tuple[Path, str]]:
        """The only files /assets serves: our static dir, the npm echarts bundle."""
        types = {".css": "text/css", ".js": "text/javascript", ".svg": "image/svg+xml",
                 ".png": "image/png"}
        out = {p.name: (p, types.get(p.suffix, "application/octet-stream"))
               for p in STATIC.iterdir() if p.is_file()}
        try:
            from digecon.figures import echarts_js_path

            out["echarts.min.js"] = (echarts_js_path(), "text/javascript")
        except (ImportError, FileNotFoundError) as exc:
            log.warning("echarts bundle not available: %s", exc)
        return out


class DigeconAPI(FastAPI):
    """FastAPI with the security headers outside every other layer, Starlette's error
    middleware included: `add_middleware` would put them inside it, and a 500 went without."""

    def build_middleware_stack(self):
        return SecurityHeaders(super().build_middleware_stack())


def create_app(settings: Settings | None = None) -> FastAPI:
    """The app for one report spec (`settings.spec`); a spec it cannot use raises ScopeError."""
    settings = settings or Settings.from_env()
    app = DigeconAPI(
        title="digecon API",
        version="1",
        description="区域数字经济数据、指数、图表与核查接口。读取开放；写入需要账号（令牌或登录会话）。",
        docs_url=None, redoc_url=None,  # FastAPI's pages load swagger-ui from a CDN
    )
    state = State(settings)
    app.state.settings = settings
    app.state.scope = state.scope
    app.state.view = state.view
    app.state.indices = state.indices
    app.state.figures = state.figures
    app.state.catalogue = state.catalogue
    app.state.report_files = state.report_files
    assets = state.assets()
    # Anonymous readers of the pages get a rendered copy until the next batch is written.
    app.add_middleware(PageCache, version=lambda: state.view.version,
                       paths=("/", "/city/", "/catalogue", "/explorer", "/docs"))
    app.add_middleware(GuardedPost, path="/api/v1/factcheck",
                       max_bytes=settings.max_factcheck_bytes,
                       per_minute=settings.factcheck_per_minute, what="数字核查")

    from .auth_routes import router as auth_router
    from .collect_routes import router as collect_router
    from .facts_api import router as facts_router
    from .pages import router as pages_router
    from .routes import router as api_router

    app.include_router(api_router)
    app.include_router(facts_router)
    app.include_router(auth_router)
    app.include_router(collect_router)
    app.include_router(pages_router)

    @app.get("/assets/{name}", include_in_schema=False)
    def asset(name: str):
        hit = assets.get(name)
        if hit is None:
            raise HTTPException(404, "没有这个静态文件")
        return FileResponse(hit[0], media_type=hit[1],
                            headers={"Cache-Control": "public, max-age=3600"})

    @app.get("/assets/maps/{name}.js", include_in_schema=False)
    def map_script(name: str):
        path = state.figures.maps().get(name)
        if path is None:
            raise HTTPException(404, "没有这个地图")
        # The map as every renderer draws it (a national map carries its 南海诸岛 inset).
        geo = json.dumps(load_geojson(str(path)), ensure_ascii=False, separators=(",", ":"))
        body = f"echarts.registerMap({json.dumps(name)}, {geo});\n"
        return Response(body, media_type="text/javascript",
                        headers={"Cache-Control": "public, max-age=3600"})

    @app.exception_handler(StoreMissingError)
    async def _missing(request: Request, exc: StoreMissingError):
        return JSONResponse({"detail": str(exc)}, status_code=503)

    @app.exception_handler(StoreLockedError)
    async def _locked(request: Request, exc: StoreLockedError):
        return JSONResponse({"detail": str(exc)}, status_code=503)

    @app.exception_handler(CatalogError)
    async def _catalog(request: Request, exc: CatalogError):
        # A catalog extension file edited into a bad state while the server runs.
        return JSONResponse({"detail": f"目录扩展文件有误：{exc}"}, status_code=503)

    @app.exception_handler(Exception)
    async def _bug(request: Request, exc: Exception):
        # Logged in full here; an anonymous client learns only that it was our fault.
        log.error("%s %s failed", request.method, request.url.path, exc_info=exc)
        return JSONResponse({"detail": "服务器内部错误，请求未完成；已记录，请稍后再试或联系管理员"},
                            status_code=500)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        # Pydantic's input echo can hold bytes; keep the message, drop what is not JSON.
        errors = [{"loc": list(e.get("loc", [])), "msg": e.get("msg", ""), "type": e.get("type")}
                  for e in exc.errors()]
        return JSONResponse({"detail": errors}, status_code=422)

    return app
