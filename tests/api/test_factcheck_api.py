"""POST /api/v1/factcheck checks a text against the store: the reference paper's 12.3% is flagged."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow

# The paper's own sentence (section 三): 1308.2 / 10378 is 12.6%, as its 前言 says.
PAPER = ("2021 年，江西数字产业化规模为 1308.2 亿元，占 GDP 比重仅为 4.4%，"
         "占数字经济总体规模比重为 12.3%，远低于全国水平。")


def test_the_papers_wrong_share_is_flagged(client):
    r = client.post("/api/v1/factcheck", json={"text": PAPER})
    assert r.status_code == 200, r.text
    claims = r.json()["claims"]
    wrong = [c for c in claims if c["text"].replace(" ", "").startswith("12.3")]
    assert wrong and wrong[0]["status"] == "inconsistent", claims
    right = [c for c in claims if c["text"].replace(" ", "").startswith("1308.2")]
    assert right and right[0]["status"] != "inconsistent", claims
