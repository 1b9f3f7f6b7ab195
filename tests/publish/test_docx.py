"""The Word file: read back with python-docx, and converted to PDF by LibreOffice keeping A4."""
from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from docx import Document
from docx.oxml.ns import qn


@pytest.fixture(scope="module")
def doc(built):
    return Document(built.outputs["docx"])


def test_a4_and_east_asian_font(doc):
    sec = doc.sections[0]
    assert round(sec.page_width.mm) == 210 and round(sec.page_height.mm) == 297
    fonts = doc.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "Noto Serif CJK SC"
    assert doc.styles["Heading 1"].element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == \
        "Noto Sans CJK SC"


def test_official_headings(doc):
    h1 = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    h2 = [p.text for p in doc.paragraphs if p.style.name == "Heading 2"]
    assert h1 == ["前言", "一、江西省数字经济总体发展情况", "二、江西省数字经济重点领域发展情况",
                  "三、江西省数字经济发展形势", "四、江西省数字经济发展建议"]
    assert h2[0] == "（一）数字经济发展动能更加强劲" and h2[-1] == "（二）面临挑战"


def test_numbered_captions_and_toc_field(doc):
    captions = [p for p in doc.paragraphs if p.style.name == "Caption"]
    figs = [int(m.group(1)) for p in captions if (m := re.match(r"图(\d+) ", p.text))]
    assert figs == list(range(1, 18))
    assert [p.text.split(" ")[0] for p in captions if p.text.startswith("表")] == ["表1", "表2"]
    xml = doc.element.body.xml
    assert "SEQ 图 \\* ARABIC" in xml and "SEQ 表 \\* ARABIC" in xml
    assert 'TOC \\o "1-2"' in xml
    assert len(doc.inline_shapes) == 18  # 17 figures + the map


@pytest.mark.slow
def test_libreoffice_converts_keeping_a4(built, tmp_path):
    office = shutil.which("libreoffice") or shutil.which("soffice")
    assert office, "libreoffice-writer-nogui is required"
    res = subprocess.run(
        [office, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to",
         "pdf", "--outdir", str(tmp_path), str(built.outputs["docx"])],
        capture_output=True, text=True, timeout=240, check=False)
    assert res.returncode == 0, res.stderr
    pdf = tmp_path / "report.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "(A4)" in info
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "图17" in text.replace(" ", "") and "表2" in text.replace(" ", "")
