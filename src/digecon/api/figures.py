"""Figures for the API and pages: the report spec's ECharts options, cached per store state."""
from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

from .data import StoreView, db_lock, records


class FigureService:
    """The figures of one report spec (the one the dashboard was started with)."""

    def __init__(self, view: StoreView, spec):
        self.view = view
        self._spec = spec
        self._cache: dict[tuple[str, int], dict] = {}
        self._lock = threading.Lock()

    def spec(self):
        return self._spec

    def ids(self) -> list[str]:
        return list(self.spec().figures)

    def captions(self) -> dict[str, str]:
        return {fid: f.caption for fid, f in self.spec().figures.items()}

    def maps(self) -> dict[str, Path]:
        """Map name → GeoJSON file, from the spec only: the whitelist /assets/maps serves."""
        from digecon.figures.options import map_name

        sp = self.spec()
        return {map_name(str(sp.base_dir / f.geo)): sp.base_dir / f.geo
                for f in sp.figures.values() if f.geo}

    def get(self, figure_id: str) -> dict:
        """{id, caption, option, data, source, notes, marked}; KeyError for unknown ids."""
        sp = self.spec()
        if figure_id not in sp.figures:
            raise KeyError(figure_id)
        key = (figure_id, self.view.version)
        with self._lock:
            if key not in self._cache:
                from digecon.figures import build_option, figure_data, figure_notes

                fdef = sp.figures[figure_id]
                with db_lock:
                    option = build_option(figure_id, self.view.store, sp)
                    frame = figure_data(figure_id, self.view.store, sp)
                source, notes = figure_notes(fdef, frame)
                cols = [c for c in frame.columns]
                rows = frame.astype(object).where(frame.notna(), None).to_dict("records")
                data = [{k: _plain(v) for k, v in r.items()} for r in rows]
                statuses = sorted(set(frame["status"])) if "status" in frame else []
                self._cache[key] = {
                    "id": figure_id, "caption": fdef.caption, "label": fdef.label,
                    "kind": fdef.kind, "option": option, "columns": cols, "data": data,
                    "source": source, "notes": notes, "statuses": statuses,
                    "marked": any(s in ("illustrative", "synthetic") for s in statuses),
                    "map": Path(fdef.geo).stem if fdef.geo else None,
                }
            return self._cache[key]


def _plain(v: Any) -> Any:
    if hasattr(v, "isoformat"):
        return v.isoformat()[:10]
    if hasattr(v, "item"):
        return v.item()
    return v


def script_json(obj: Any) -> str:
    """JSON safe inside <script type="application/json">: "</" cannot end the element."""
    return json.dumps(obj, ensure_ascii=False).replace("</", "<\\/")


__all__ = ["FigureService", "records", "script_json"]
