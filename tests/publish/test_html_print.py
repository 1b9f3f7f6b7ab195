"""The HTML site printed from a browser (print stylesheet: A4, chapters on new pages, static
charts, no navigation, downloads or link addresses) and its alt text, on a small case of our
own (the 贵州 report of test_xlsx), checked in real chromium."""
from __future__ import annotations

import re
import subprocess

import pytest

from digecon.facts import Facts
from tests.publish.test_xlsx import PROVINCE, small_case

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    result, store, _ = small_case(tmp_path_factory.mktemp("small-html"), ["html"])
    facts = {(f.indicator, f.region, f.period): f for f in Facts(store, "2022-06-30").select(
        ["de_va", "de_growth", "de_share_gdp"], [PROVINCE, "520100", "520300", "522600"])}
    return result.outputs["html"], facts


def test_alt_text_states_the_facts(site):
    index, facts = site
    html = index.read_text(encoding="utf-8")
    alts = re.findall(r'<img class="chart-print" src="[^"]+" alt="([^"]*)"', html)
    assert len(alts) == 2
    va = {p: facts[("de_va", PROVINCE, p)].text for p in ("2019", "2021")}
    assert alts[0] == (f"图1 2019-2021年贵州省数字经济增加值及增速：数字经济增加值2019年{va['2019']}亿元，"
                       f"2021年{va['2021']}亿元；数字经济增加值名义增速2020年"
                       f"{facts[('de_growth', PROVINCE, '2020')].text}%（推算值），2021年"
                       f"{facts[('de_growth', PROVINCE, '2021')].text}%（推算值）。")
    assert va == {"2019": "5000.5", "2021": "6300"}  # a level drops a zero fraction
    # units: the highest and the lowest by the facts, with the status of invented values
    assert (f"3个市州中遵义市最高，{facts[('de_va', '520300', '2021')].text}亿元；黔东南苗族侗族自治州最低，"
            f"{facts[('de_va', '522600', '2021')].text}亿元（示意值）") in alts[1]
    assert f'aria-label="{alts[1]}"' in html  # the interactive chart and its figure say the same


@pytest.mark.parametrize("media", ["screen", "print"])
def test_print_view_in_chromium(site, browser, media, tmp_path):
    index, _ = site
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    try:
        page = context.new_page()
        page.goto(index.as_uri(), wait_until="load")
        page.emulate_media(media=media)
        state = page.evaluate("""() => {
          const shown = el => getComputedStyle(el).display !== 'none';
          const q = s => Array.from(document.querySelectorAll(s));
          return {
            imgs: q('img').map(i => [i.getAttribute('alt') || '', i.naturalWidth, shown(i)]),
            figures: q('figure').map(f => f.getAttribute('aria-label') || ''),
            charts: q('.chart').map(c => [c.getAttribute('role'), c.getAttribute('aria-label') || '',
                                          shown(c), c.dataset.rendered]),
            tables: q('table[aria-labelledby]').map(
              t => document.getElementById(t.getAttribute('aria-labelledby')).textContent),
            tableCount: q('main table').length,
            nav: shown(document.querySelector('nav.toc')),
            downloads: q('.download').map(shown),
            chapter: getComputedStyle(document.querySelector('main > h1')).breakBefore,
            linkAfter: q('a[href]').map(a => getComputedStyle(a, '::after').content),
          };
        }""")
        # the page size is the stylesheet's (@page size: A4), as a browser's print dialog takes it
        pdf = page.pdf(prefer_css_page_size=True, print_background=True) if media == "print" \
            else b""
    finally:
        context.close()
    assert state["imgs"] and all(alt.strip() for alt, _, _ in state["imgs"])
    assert len(state["figures"]) == 3 and all(label.strip() for label in state["figures"])
    assert all(role == "img" and label and flag == "true"
               for role, label, _, flag in state["charts"])
    assert state["tables"] == ["表1 测试代码表"] and state["tableCount"] == 1
    assert all(w > 0 for _, w, _ in state["imgs"])  # the static charts are loaded
    printing = media == "print"
    # printing: the static charts instead of the interactive ones, no navigation or downloads
    assert all(shown == printing for _, _, shown in state["imgs"])
    assert all(shown != printing for _, _, shown, _ in state["charts"])
    assert state["nav"] != printing and all(d != printing for d in state["downloads"])
    assert (state["chapter"] == "page") == printing
    assert all(c in ("none", "normal") for c in state["linkAfter"])
    if printing:
        path = tmp_path / "print.pdf"
        path.write_bytes(pdf)
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True,
                              check=True).stdout
        assert "(A4)" in info
        pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
        text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                              text=True, check=True).stdout
        assert "图1 2019-2021年贵州省数字经济增加值及增速" in text and "下载" not in text
        assert "file:" not in text and "http" not in text and "目　录" not in text
        # the cover, the front matter, the chapter: each starts a page
        assert pages >= 3
        first_chapter = [i for i, p in enumerate(text.split("\f")) if "一、总体情况" in p]
        assert first_chapter and first_chapter[0] >= 2
