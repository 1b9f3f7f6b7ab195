"""Static rendering of ECharts options: SVG by ECharts SSR inside an embedded V8, PNG by resvg."""
from __future__ import annotations

import atexit
import json
import os
import re
import threading
from pathlib import Path

CJK_FONT = "Noto Sans CJK SC"
FONT_STACK = f"'{CJK_FONT}', 'Noto Sans CJK', 'Source Han Sans SC', sans-serif"

_lock = threading.Lock()
_ctx = None
_maps: set[str] = set()


def repo_root() -> Path:
    """The checkout holding `node_modules/` and `datasets/` (src layout, editable install)."""
    env = os.environ.get("DIGECON_HOME")
    if env:
        return Path(env)
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "datasets").is_dir() and (parent / "src" / "digecon").is_dir():
            return parent
    return Path.cwd()


def echarts_js_path() -> Path:
    """The locally installed echarts bundle (npm ci); the same file the HTML site serves."""
    path = repo_root() / "node_modules" / "echarts" / "dist" / "echarts.min.js"
    if not path.is_file():
        raise FileNotFoundError(
            f"未找到 ECharts：{path}。请在仓库根目录运行 `npm ci` 安装前端依赖。"
        )
    return path


def _context():
    global _ctx
    if _ctx is None:
        from py_mini_racer import MiniRacer

        ctx = MiniRacer()
        # echarts' UMD wrapper looks for a global object; V8 alone has no window.
        ctx.eval("var self = this; var window = undefined;")
        ctx.eval(echarts_js_path().read_text(encoding="utf-8"))
        _ctx = ctx
        # Close V8 while the interpreter is still whole: mini-racer's __del__ at shutdown can
        # hang the process after its work is done.
        atexit.register(_close_context)
    return _ctx


def _close_context() -> None:
    global _ctx
    if _ctx is not None:
        ctx, _ctx = _ctx, None
        ctx.close()


def register_map(name: str, geojson: dict) -> None:
    """Make a GeoJSON map known to the embedded ECharts (once per process)."""
    with _lock:
        if name in _maps:
            return
        _context().eval(f"echarts.registerMap({json.dumps(name)}, {json.dumps(geojson)});")
        _maps.add(name)


_RENDER = """(function (opt, w, h) {
  var chart = echarts.init(null, null, {renderer: 'svg', ssr: true, width: w, height: h});
  chart.setOption(opt);
  var svg = chart.renderToSVGString();
  chart.dispose();
  return svg;
})(%s, %d, %d)"""

# zrender numbers instances (zr0, zr1, ...) and CSS classes (cls-0, cls-1, ...) per process, so
# the numbers depend on what was drawn before. They are renumbered in order of first use within
# each SVG (consistently, so style rules still match) to keep output byte-identical.
_ZR_ID = re.compile(r"\bzr\d*-(cls-|[a-z]+)\d+")


def _renumber(svg: str) -> str:
    seen: dict[str, str] = {}
    per_kind: dict[str, int] = {}

    def sub(m: re.Match) -> str:
        token, kind = m.group(0), m.group(1)
        if token not in seen:
            seen[token] = f"zr-{kind}{per_kind.get(kind, 0)}"
            per_kind[kind] = per_kind.get(kind, 0) + 1
        return seen[token]

    return _ZR_ID.sub(sub, svg)


def render_svg(option: dict, width: int = 800, height: int = 450) -> str:
    """Render an ECharts option to an SVG string without a browser; deterministic."""
    opt = dict(option)
    opt["animation"] = False
    script = _RENDER % (json.dumps(opt, ensure_ascii=False, sort_keys=True), width, height)
    with _lock:
        svg = _context().eval(script)
    return _renumber(svg)


def render_png(svg: str, scale: float = 2.0) -> bytes:
    """Rasterise an SVG with resvg, using the system CJK fonts."""
    import resvg_py

    return bytes(
        resvg_py.svg_to_bytes(
            svg_string=svg,
            background="#ffffff",
            zoom=scale,
            font_family=CJK_FONT,
            sans_serif_family=CJK_FONT,
        )
    )
