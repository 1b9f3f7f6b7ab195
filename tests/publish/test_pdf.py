"""The PDF: A4, CJK fonts embedded, captions 图1–图17 and 表1–表2 in order, sources and marks."""
from __future__ import annotations

import re
import subprocess

import pytest


@pytest.fixture(scope="module")
def text(built) -> str:
    return subprocess.run(["pdftotext", "-layout", str(built.outputs["pdf"]), "-"],
                          capture_output=True, text=True, check=True).stdout


def test_cjk_fonts_embedded(built):
    out = subprocess.run(["pdffonts", str(built.outputs["pdf"])], capture_output=True, text=True,
                         check=True).stdout
    rows = [line.split() for line in out.splitlines()[2:]]
    cjk = [r for r in rows if "CJK" in r[0]]
    assert len(cjk) >= 2
    assert all(r[-5] == "yes" for r in rows), out  # the emb column, for every font


def test_a4_pages(built):
    info = subprocess.run(["pdfinfo", str(built.outputs["pdf"])], capture_output=True, text=True,
                          check=True).stdout
    assert "595.276 x 841.89 pts (A4)" in info
    assert int(re.search(r"Pages:\s+(\d+)", info).group(1)) >= 15


def test_captions_in_order(text):
    body = text[text.index("一、江西省数字经济总体发展情况\n", text.index("表目录")):]
    figs = [int(n) for n in re.findall(r"(?<!附)图(\d+) \S", body)]
    assert figs == list(range(1, 18))
    tabs = [int(n) for n in re.findall(r"(?<!附)表(\d+) \S", body)]
    assert "附表1 2021年各设区市数字经济发展梯队（示意）" in body
    assert tabs == [1, 2]
    table1 = re.search(r"(?<!附)表1 ", body).start()
    assert body.index("图11 ") < table1 < body.index("表2 ") < body.index("图12 ")


def test_sources_notes_and_page_numbers(text):
    assert text.count("数据来源：") >= 20  # 18 figures + 2 tables
    assert "示意值（illustrative）" in text and "估算值（estimated）" in text
    pages = text.split("\f")
    assert pages[5].strip().splitlines()[-1].strip() == "6"  # footer page number
    assert re.search(r"目\s*录", pages[1]) and "江西省数字经济发展白皮书" in pages[0]
