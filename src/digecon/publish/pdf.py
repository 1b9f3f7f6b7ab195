"""The PDF: the print HTML paginated by WeasyPrint on A4, CJK fonts embedded as subsets."""
from __future__ import annotations

import tempfile
from pathlib import Path

from digecon.publish.document import Report
from digecon.publish.html import render_html


def write_pdf(report: Report, path: Path) -> Path:
    from weasyprint import HTML

    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="digecon-pdf-") as tmp:
        base = Path(tmp)
        (base / "figures").mkdir()
        # PNG from resvg, not the SVG: WeasyPrint's SVG renderer ignores paint-order, so the
        # white halo ECharts draws behind labels would paint over the label text.
        for fig in report.figures:
            (base / "figures" / f"{fig.fdef.id}.png").write_bytes(fig.png)
        html = render_html(report, "pdf", image_ext="png")
        HTML(string=html, base_url=str(base)).write_pdf(path)
    return path
