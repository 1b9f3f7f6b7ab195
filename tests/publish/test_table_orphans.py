"""No table starts at a page's foot with a row or two under its caption, and none leaves a row
alone on its last page — in the WeasyPrint PDF and in the DOCX as LibreOffice prints it. Read
on the printed pages (pdftotext -layout, a row a line) of a region with a 38-row table (the
chongqing-2023 fixture: 附表1 of its 区县)."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from digecon.ingest import write_frame
from digecon.publish.build import build_report
from digecon.publish.flow import MIN_ROWS_AFTER, MIN_ROWS_BEFORE
from digecon.store import Store
from publish.province import in_dataset

pytestmark = pytest.mark.slow

CQ = Path(__file__).parent / "fixtures" / "chongqing-2023"


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _pages(pdf: Path) -> list[list[str]]:
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                         text=True, check=True).stdout
    return [[_flat(ln) for ln in p.splitlines() if ln.strip()] for p in out.split("\f")[:-1]]


def rows_per_page(pages: list[list[str]], caption: str, rows: list[list[str]]) -> list[int]:
    """How many of a table's rows each page it runs over prints, from the page of its caption
    (its own line, not the contents entry with its leader dots): a row is the line holding
    its cells after the first, in order."""
    cap = _flat(caption)
    [(at, i)] = [(k, j) for k, lines in enumerate(pages) for j, ln in enumerate(lines)
                 if ln == cap]
    counts = [0]
    for row in rows:
        tail = "".join(_flat(v) for v in row[1:])
        while not any(tail in ln for ln in pages[at][i:]):
            at, i = at + 1, 0
            counts.append(0)
            assert at < len(pages), (caption, row)
        i += next(k for k, ln in enumerate(pages[at][i:]) if tail in ln) + 1
        counts[-1] += 1
    return counts


def check_no_orphan_rows(pdf: Path, tables) -> None:
    pages = _pages(pdf)
    for tab in tables:
        rows = [[str(v) for v in r] for r in tab.frame.itertuples(index=False)]
        counts = rows_per_page(pages, tab.caption, rows)
        if len(counts) > 1:  # a table over two pages (or split by the plan under 续表)
            assert counts[0] >= MIN_ROWS_BEFORE, (tab.caption, counts)
            assert counts[-1] >= MIN_ROWS_AFTER, (tab.caption, counts)


@pytest.fixture(scope="module")
def chongqing(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("cq-orphans")
    with in_dataset(CQ):
        store = Store(tmp / "store.duckdb")
        store.init()
        csv = CQ / "observations" / "observations.csv"
        write_frame(store, pd.read_csv(csv, dtype=str), origin=csv.name)
        result = build_report(CQ / "report.yaml", store, tmp / "out", formats=["pdf", "docx"])
    assert max(len(t.frame) for t in result.report.tables) >= 38
    return result, tmp


def test_pdf_table_starts_with_three_rows_under_its_caption(chongqing):
    result, _ = chongqing
    check_no_orphan_rows(result.outputs["pdf"], result.report.tables)


def test_libreoffice_table_starts_with_three_rows_under_its_caption(chongqing):
    result, tmp = chongqing
    office = shutil.which("libreoffice") or shutil.which("soffice")
    assert office, "libreoffice-writer-nogui is required"
    docx = result.outputs["docx"]
    subprocess.run([office, "--headless", f"-env:UserInstallation=file://{tmp}/lo",
                    "--convert-to", "pdf", "--outdir", str(tmp), str(docx)],
                   capture_output=True, timeout=240, check=True)
    check_no_orphan_rows(tmp / "report.pdf", result.report.tables)


def test_the_count_sees_a_caption_over_one_row():
    """The check can fail: a caption with one row at a page's foot is counted as such."""
    pages = [["正文", "表1测试", "地区数值", "甲1.0"], ["地区数值", "乙2.0", "丙3.0", "丁4.0"]]
    rows = [["甲", "1.0"], ["乙", "2.0"], ["丙", "3.0"], ["丁", "4.0"]]
    assert rows_per_page(pages, "表1 测试", rows) == [1, 3]
