"""The report build: spec → assembled report → HTML site, PDF, DOCX, XLSX, timing each stage."""
from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from digecon.dataset_paths import chosen_dataset, dataset_of_spec, use_dataset
from digecon.publish.document import Report, assemble, render_figures
from digecon.publish.spec import load_spec, parse_as_of

log = logging.getLogger(__name__)
FORMATS = ("html", "pdf", "docx", "xlsx")


@dataclass
class BuildResult:
    report: Report
    outputs: dict[str, Path] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)


def parse_formats(text: str) -> list[str]:
    wanted = [f.strip().lower() for f in text.split(",") if f.strip()]
    bad = [f for f in wanted if f not in FORMATS]
    if bad or not wanted:
        raise ValueError(f"未知输出格式：{', '.join(bad) or '(空)'}；可选：{', '.join(FORMATS)}")
    return wanted


def build_report(spec_path: str | Path, store, out: str | Path,
                 formats: list[str] | tuple[str, ...] = FORMATS,
                 progress: Callable[[str], None] | None = None,
                 as_of: str | None = None) -> BuildResult:
    """Build every requested format into `out`; the spec is checked before anything is written.

    `as_of` (YYYY-MM-DD, or "latest") overrides the spec's `report.as_of`: the vintage every
    number is read at. The spec's own dataset (the folder above it with a dataset.yaml) is the
    active one while it builds — its catalog/ indicators and its manifest apply, as under
    `digecon report build` — and the one active before is put back after.
    """
    own = dataset_of_spec(spec_path)
    if own is None:
        return _build(spec_path, store, out, formats, progress, as_of)
    before = chosen_dataset()
    use_dataset(own)
    try:
        return _build(spec_path, store, out, formats, progress, as_of)
    finally:
        use_dataset(before)


def _build(spec_path: str | Path, store, out: str | Path, formats: list[str] | tuple[str, ...],
           progress: Callable[[str], None] | None, as_of: str | None) -> BuildResult:
    tick = progress or (lambda _label: None)
    t0 = time.perf_counter()
    spec = load_spec(spec_path)
    as_of = spec.meta.get("as_of") if as_of is None else parse_as_of(as_of)  # "latest" → None
    timings = {"spec": time.perf_counter() - t0}

    t = time.perf_counter()
    report = assemble(spec, store, progress=lambda kind, ref: tick(f"{kind} {ref}"), as_of=as_of)
    timings["assemble"] = time.perf_counter() - t
    for line in report.log:
        log.info(line)

    t = time.perf_counter()
    render_figures(report, png=bool({"docx", "pdf"} & set(formats)), progress=lambda kind, ref: tick(f"render {ref}"))
    timings["render_figures"] = time.perf_counter() - t

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    result = BuildResult(report, timings=timings)
    pending_docx = None
    if "docx" in formats:  # LibreOffice lays it out (contents' page numbers) while the rest is written
        from digecon.publish.docx_out import start_docx

        t = time.perf_counter()
        pending_docx = start_docx(report, out / "report.docx")
        timings["docx"] = time.perf_counter() - t
    for fmt in sorted(formats, key=lambda f: f == "docx"):  # docx last: its layout runs meanwhile
        t = time.perf_counter()
        if fmt == "html":
            from digecon.publish.html import write_site

            result.outputs["html"] = write_site(report, out / "html")
        elif fmt == "pdf":
            from digecon.publish.pdf import write_pdf

            result.outputs["pdf"] = write_pdf(report, out / "report.pdf")
        elif fmt == "docx":
            result.outputs["docx"] = pending_docx.wait()
        elif fmt == "xlsx":
            from digecon.publish.xlsx import write_xlsx

            result.outputs["xlsx"] = write_xlsx(report, out / "report-annex.xlsx")
        timings[fmt] = timings.get(fmt, 0.0) + time.perf_counter() - t
        tick(f"write {fmt}")
    # The generated narrative alone, so `digecon factcheck out/narrative.md` can check it; the
    # header tells factcheck the vintage the numbers were read at (a concrete date even for
    # "latest", so later revisions do not change the verdict).
    from digecon.publish.document import TextOut

    generated = [o.markdown for _, outs in report.parts for o in outs
                 if isinstance(o, TextOut) and o.origin == "generated"]
    (out / "narrative.md").write_text(
        narrative_header(report) + "\n\n" + "\n\n".join(generated) + "\n", encoding="utf-8")
    (out / "build-log.txt").write_text(
        "\n".join(report.log + [f"{k}: {v:.2f}s" for k, v in timings.items()]) + "\n",
        encoding="utf-8")
    return result


def narrative_header(report) -> str:
    """`<!-- digecon as_of: 2022-07-31 region: 360000 year: 2021 -->`, read by `digecon factcheck`."""
    meta = report.spec.meta
    return (f"<!-- digecon as_of: {report.as_of or report.vintage or 'latest'} "
            f"region: {meta.get('region', '')} year: {meta.get('year', '')} -->")


def step_count(spec_path: str | Path, formats) -> int:
    spec = load_spec(spec_path)
    return len(spec.blocks()) + len(spec.figures) + len(formats)
