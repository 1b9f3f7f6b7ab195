"""The HTML site: offline (no http(s) resource), interactive figures rendered in real chromium."""
from __future__ import annotations

import re

import pytest


def test_no_remote_resources(built):
    site = built.outputs["html"].parent
    html = built.outputs["html"].read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html, re.IGNORECASE)
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", html, re.IGNORECASE)
    assert not re.search(r"@import", html)
    assert (site / "assets" / "echarts.min.js").stat().st_size > 500_000
    assert (site / "assets" / "maps" / "jiangxi_360000.js").is_file()
    assert len(list((site / "data").glob("*.csv"))) == 21  # 18 figures + 3 tables
    assert html.count('class="chart"') == 18


def test_figure_csv_has_status_and_source(built):
    site = built.outputs["html"].parent
    text = (site / "data" / "fig_de_va.csv").read_text(encoding="utf-8-sig")
    header = text.splitlines()[0].split(",")
    assert header[:3] == ["region_code", "region_name", "indicator"]
    assert "status" in header and "source" in header
    assert any(line.startswith("360000,江西省,de_va,数字经济增加值,2021,10378.0")
               for line in text.splitlines())


@pytest.mark.slow
def test_chromium_renders_every_figure_offline(built, browser):
    index = built.outputs["html"]
    external, errors = [], []
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    try:
        page = context.new_page()
        page.on("request", lambda r: external.append(r.url)
                if not r.url.startswith(("file://", "data:", "about:")) else None)
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(index.as_uri(), wait_until="load")
        rendered = page.eval_on_selector_all(
            ".chart", "els => els.map(e => [e.dataset.rendered, e.querySelectorAll('svg path').length])")
        map_text = page.inner_text("#map_city_de")
    finally:
        context.close()
    assert external == [] and errors == []
    assert len(rendered) == 18
    assert all(flag == "true" and paths > 5 for flag, paths in rendered), rendered
    assert "附图1" in map_text


def test_front_matter_and_no_software_name_in_the_text(built):
    html = built.outputs["html"].read_text(encoding="utf-8")
    assert '<meta name="generator" content="digecon ' in html  # in the metadata only
    head_end = html.index("</head>")
    front = re.sub(r"<[^>]+>", " ", html[head_end:html.index("<main>")])
    for word in ("digecon", "illustrative", "estimated"):
        assert word not in front.lower()
    for head in ("版权声明", "编制说明", "编制组", "图目录", "表目录", "指导单位：", "编制单位："):
        assert head in front
    # the lists in document order: 附图1 where it is printed (after 图6), 附表1 before 表1
    figs = re.findall(r'<li class="toc-fig"><a href="#(\w+)">(附?[图表]\d+)', html)
    labels = [label for _, label in figs]
    assert labels[5:8] == ["图6", "附图1", "图7"] and labels[17:] == ["图17", "附表1", "表1", "表2"]
    assert "\u2060※" in html and "※" not in html.replace("\u2060※", "")


def test_layout_css_from_the_spec(tmp_path):
    from digecon.publish.html import layout_css
    from digecon.publish.spec import parse_layout

    font = tmp_path / "fs.ttf"
    font.write_bytes(b"\0")  # the file is only named, not read, until WeasyPrint embeds it
    css = layout_css(parse_layout({"fonts": {"body": {"family": "仿宋_GB2312", "file": "fs.ttf"}},
                                   "page": {"body_pt": 16, "line_pitch_pt": 28}},
                                  "report.yaml", tmp_path))
    assert f'@font-face {{ font-family: "仿宋_GB2312"; src: url("{font.as_uri()}"); }}' in css
    assert 'body { font-family: "仿宋_GB2312", "Noto Serif CJK SC", serif; }' in css
    assert "body.pdf { font-size: 16pt; line-height: 28pt; }" in css
    assert "@page { margin: 37mm 26mm 35mm 28mm; }" in css


def test_every_chart_and_figure_has_alt_text(built):
    """Bundled site: each chart container, its print image and its figure say what it shows."""
    html = built.outputs["html"].read_text(encoding="utf-8")
    figures = re.findall(r"<figure [^>]*>", html)
    assert len(figures) == 21  # 18 charts + 3 tables
    assert all(re.search(r'aria-label="[^"]+"', f) for f in figures)
    imgs = re.findall(r"<img [^>]*>", html)
    assert len(imgs) == 18 and all(re.search(r'alt="[^"]+"', i) for i in imgs)
    charts = re.findall(r'<div class="chart"[^>]*>', html)
    assert len(charts) == 18 and all(re.search(r'role="img" aria-label="附?图\d', c) for c in charts)
    # 图1's line from the facts: 数字经济增加值 2021 is the paper's 10378
    first = re.search(r'id="fig_de_va"[^>]*aria-label="([^"]+)"', html).group(1)
    assert first.startswith("图1 ") and "2021年10378亿元" in first
    pdf_imgs = [i for i in imgs if "chart-img" in i]
    assert pdf_imgs == []  # the site prints its own SVGs (class chart-print)


def test_download_links_are_worded_in_chinese(built):
    """Every figure offers its data and its vector image, every table its data; the link text
    is Chinese (下载数据, 下载矢量图), the format named only in the link's title."""
    site = built.outputs["html"].parent
    html = built.outputs["html"].read_text(encoding="utf-8")
    links = re.findall(r'<a href="([^"]+)"[^>]*>([^<]*)</a>', html.split("<main>")[1])
    downloads = [(href, text) for href, text in links if href.startswith(("data/", "figures/"))]
    assert len(downloads) == 18 * 2 + 3
    for href, text in downloads:
        assert text == ("下载矢量图" if href.endswith(".svg") else "下载数据"), (href, text)
        assert (site / href).is_file()
        assert not re.search(r"[A-Za-z]", text)
