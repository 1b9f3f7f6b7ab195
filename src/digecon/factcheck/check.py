"""Run extraction, linking, internal checks and (optionally) store checks over one text."""
from __future__ import annotations

import re
from collections import Counter

from digecon.factcheck.extract import extract
from digecon.factcheck.internal import check_internal
from digecon.factcheck.link import link
from digecon.factcheck.model import Claim
from digecon.factcheck.regions import find_regions


def main_region(text: str) -> str:
    """The province (or city) the text is mostly about: the most named one, 全国 aside."""
    names = [r for r in find_regions(text) if r != "全国"]
    provinces = [r for r in names if r.endswith(("省", "自治区")) or r in ("北京市", "天津市", "上海市", "重庆市")]
    pool = provinces or names
    return Counter(pool).most_common(1)[0][0] if pool else ""


def main_year(text: str) -> str:
    """The year most statements are about: the most frequent 'YYYY年' that is not a span start."""
    import re
    years = re.findall(r"(?<![\d\-—比较])(20\d\d)\s*年", text)
    return Counter(years).most_common(1)[0][0] if years else ""


# `<!-- digecon as_of: 2022-07-31 region: 360000 year: 2021 -->` as the first line of a text
# written by `digecon report build` (out/narrative.md): the vintage its numbers were read at.
_HEADER = re.compile(r"\A\ufeff?[ \t]*<!--\s*digecon\b(?P<body>[^>]*?)-->[ \t]*")
_FIELD = re.compile(r"(\w+)\s*[:=]\s*(\S+)")


def read_header(text: str) -> tuple[dict[str, str], str]:
    """The digecon header's fields, and the text with the header blanked (offsets unchanged)."""
    m = _HEADER.match(text)
    if not m:
        return {}, text
    fields = {k: v for k, v in _FIELD.findall(m.group("body")) if v}
    return fields, " " * m.end() + text[m.end():]


def header_as_of(fields: dict[str, str]) -> str | None:
    value = fields.get("as_of", "")
    return None if value in ("", "latest") else value


def status_of(c: Claim) -> str:
    oks = [k.ok for k in c.checks]
    if any(ok is False for ok in oks):
        return "inconsistent"
    if any(ok is True for ok in oks):
        return "consistent"
    return "unverifiable"


def check_text(text: str, store=None, region: str | None = None, year: str | None = None,
               as_of: str | None = None) -> list[Claim]:
    """Every numeric claim of a Chinese text, checked against each other and, given a store, against it.

    The store is read as of `as_of` (YYYY-MM-DD); without it, as of the date in the text's digecon
    header (`<!-- digecon as_of: … -->`, written by `digecon report build`), else the latest.
    """
    if not isinstance(text, str):
        raise TypeError(f"text: expected str, found {type(text).__name__}")
    fields, text = read_header(text)
    as_of = as_of or header_as_of(fields)
    region = region or main_region(text)
    year = str(year or main_year(text))
    claims = extract(text, default_region=region, default_period=year)
    link(text, claims)
    check_internal(claims)
    if store is not None:
        from digecon.factcheck.against_store import check_store
        check_store(claims, store, as_of=as_of)
    for c in claims:
        c.status = status_of(c)
    return claims
