"""Map geometry as drawn: a map whose geometry reaches the South China Sea gets the 南海诸岛 inset.

The inset is built from the map's own GeoJSON (no borders are added): every part south of the
main map's cut latitude moves into a framed box at the lower right, drawn at a smaller scale
with the South China Sea's coasts, islands and whatever boundary lines the file carries. It is
part of the one registered map, so the static renderings and the interactive page draw the same
thing. Coordinates are lon/lat; ECharts projects them linearly, so a scaled copy stays true.
"""
from __future__ import annotations

import copy

INSET_NAME = "南海诸岛"
FRAME_NAME = "南海诸岛附图框"
# The inset's content: the South China Sea from the Beibu Gulf to the Bashi Channel, down to
# the southernmost islands (about 3.5°N).
SCS_BOX = (105.0, 2.5, 123.0, 24.5)  # lon_min, lat_min, lon_max, lat_max
# Parts of the main map lying wholly south of this latitude (and within SCS_BOX's longitudes)
# are shown in the inset only: the main map then ends below Hainan island.
MAIN_CUT = 18.0
INSET_HEIGHT = 0.3  # the inset's height as a share of the main map's


def _parts(geom: dict) -> list:
    """Polygons (lists of rings) or lines (lists of points) of a geometry."""
    if geom is None:
        return []
    kind, coords = geom["type"], geom["coordinates"]
    if kind in ("Polygon", "LineString"):
        return [coords]
    if kind in ("MultiPolygon", "MultiLineString"):
        return list(coords)
    return []


def _is_line(geom: dict | None) -> bool:
    return bool(geom) and geom["type"] in ("LineString", "MultiLineString")


def _points(part: list, line: bool) -> list:
    return part if line else [p for ring in part for p in ring]


def _bbox(points: list) -> tuple[float, float, float, float]:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)


def _in_sea(part: list, line: bool) -> bool:
    """Wholly south of the cut, within the sea's longitudes: shown in the inset only."""
    x0, _, x1, y1 = _bbox(_points(part, line))
    return y1 < MAIN_CUT and x0 >= SCS_BOX[0] and x1 <= SCS_BOX[2]


def reaches_south_china_sea(geo: dict) -> bool:
    """True for a map with parts in the South China Sea south of the cut (China, Hainan)."""
    for f in geo.get("features", []):
        line = _is_line(f.get("geometry"))
        if any(_in_sea(p, line) for p in _parts(f.get("geometry"))):
            return True
    return False


def _clip_ring(ring: list, box: tuple[float, float, float, float]) -> list:
    """Sutherland–Hodgman clipping of a closed ring to a rectangle."""
    x0, y0, x1, y1 = box
    edges = [(lambda p: p[0] >= x0, lambda a, b: _cut_x(a, b, x0)),
             (lambda p: p[0] <= x1, lambda a, b: _cut_x(a, b, x1)),
             (lambda p: p[1] >= y0, lambda a, b: _cut_y(a, b, y0)),
             (lambda p: p[1] <= y1, lambda a, b: _cut_y(a, b, y1))]
    out = [list(p) for p in ring]
    for inside, cut in edges:
        if not out:
            break
        src, out = out, []
        for i, cur in enumerate(src):
            prev = src[i - 1]
            if inside(cur):
                if not inside(prev):
                    out.append(cut(prev, cur))
                out.append(cur)
            elif inside(prev):
                out.append(cut(prev, cur))
    if len(out) < 3:
        return []
    if out[0] != out[-1]:
        out.append(out[0])
    return out


def _cut_x(a: list, b: list, x: float) -> list:
    t = (x - a[0]) / (b[0] - a[0])
    return [x, a[1] + t * (b[1] - a[1])]


def _cut_y(a: list, b: list, y: float) -> list:
    t = (y - a[1]) / (b[1] - a[1])
    return [a[0] + t * (b[0] - a[0]), y]


def _clip_line(points: list, box: tuple[float, float, float, float]) -> list[list]:
    """The pieces of a polyline inside a rectangle (points outside split it)."""
    x0, y0, x1, y1 = box
    pieces, cur = [], []
    for p in points:
        if x0 <= p[0] <= x1 and y0 <= p[1] <= y1:
            cur.append(list(p))
        elif cur:
            pieces.append(cur)
            cur = []
    if cur:
        pieces.append(cur)
    return [c for c in pieces if len(c) >= 2]


def _inset_box(main_parts: list[tuple[list, bool]]) -> tuple[float, float, float, float]:
    """Where the inset goes: the main map's lower-right corner, or beside it when land or a
    line of the main map lies in that corner."""
    bb = [_bbox(_points(p, line)) for p, line in main_parts]
    y0 = min(b[1] for b in bb)
    x1, y1 = max(b[2] for b in bb), max(b[3] for b in bb)
    h = (y1 - y0) * INSET_HEIGHT
    w = h * (SCS_BOX[2] - SCS_BOX[0]) / (SCS_BOX[3] - SCS_BOX[1])
    box = (x1 - w, y0, x1, y0 + h)
    if any(b[0] < box[2] and b[2] > box[0] and b[1] < box[3] and b[3] > box[1] for b in bb):
        gap = w * 0.05
        box = (x1 + gap, y0, x1 + gap + w, y0 + h)
    return box


def _mapper(box: tuple[float, float, float, float]):
    sx = (box[2] - box[0]) / (SCS_BOX[2] - SCS_BOX[0])
    sy = (box[3] - box[1]) / (SCS_BOX[3] - SCS_BOX[1])

    def to_box(p: list) -> list:
        return [round(box[0] + (p[0] - SCS_BOX[0]) * sx, 5),
                round(box[1] + (p[1] - SCS_BOX[1]) * sy, 5)]

    return to_box


def _geometry(parts: list, line: bool) -> dict | None:
    if not parts:
        return None
    return {"type": "MultiLineString" if line else "MultiPolygon", "coordinates": parts}


def with_inset(geo: dict) -> dict:
    """The map as drawn: the main map without its South China Sea parts, and the inset.

    Inset features: 南海诸岛 (every polygon part clipped to the sea, e.g. coasts and islands),
    a feature of the map that lies wholly in the sea under its own name (三沙市 on a map of
    Hainan's cities, so that it keeps its value), and 南海诸岛附图框 (the frame and the lines the
    file carries, clipped to the sea)."""
    main, kept_parts, moved = [], [], []
    for f in geo.get("features", []):
        geom = f.get("geometry")
        line = _is_line(geom)
        parts = _parts(geom)
        stay = [p for p in parts if not _in_sea(p, line)]
        kept_parts += [(p, line) for p in stay]
        if stay:
            g = _geometry(stay, line)
            main.append({**f, "geometry": g})
        moved.append((f, line, bool(stay)))
    box = _inset_box(kept_parts)
    to_box = _mapper(box)
    land, lines, whole = [], [], []
    for f, line, partly_main in moved:
        for part in _parts(f.get("geometry")):
            if line:
                lines += [[to_box(p) for p in piece] for piece in _clip_line(part, SCS_BOX)]
                continue
            rings = [_clip_ring(r, SCS_BOX) for r in part]
            if not rings or not rings[0]:
                continue
            poly = [[to_box(p) for p in r] for r in rings if r]
            if partly_main:
                land.append(poly)
            else:
                whole.append((f, poly))
    out = [copy.deepcopy(f) for f in main]
    names = {}
    for f, poly in whole:
        names.setdefault(id(f), (f, []))[1].append(poly)
    for f, polys in names.values():
        out.append({**f, "geometry": _geometry(polys, False)})
    cx, pad = (box[0] + box[2]) / 2, (box[3] - box[1]) * 0.06
    if land:
        out.append({"type": "Feature", "geometry": _geometry(land, False),
                    "properties": {"name": INSET_NAME, "cp": [round(cx, 5),
                                                              round(box[1] + pad, 5)]}})
    frame = [[box[0], box[1]], [box[2], box[1]], [box[2], box[3]], [box[0], box[3]],
             [box[0], box[1]]]
    out.append({"type": "Feature", "geometry": _geometry(
        [[[round(x, 5), round(y, 5)] for x, y in frame], *lines], True),
        "properties": {"name": FRAME_NAME}})
    return {"type": "FeatureCollection", "features": out}


def line_names(geo: dict) -> list[str]:
    """Names of the features drawn as lines (boundary lines, the inset frame): no labels."""
    return [str((f.get("properties") or {}).get("name", "")) for f in geo.get("features", [])
            if _is_line(f.get("geometry"))]


__all__ = ["FRAME_NAME", "INSET_NAME", "line_names", "reaches_south_china_sea", "with_inset"]

