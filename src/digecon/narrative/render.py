"""Render a narrative template (Jinja2, kept with a dataset) over the statement blocks.

A template writes Markdown paragraphs separated by blank lines (a paragraph may run over
several lines; they are joined). After rendering, every sentence (ending in 。！？) or bold
lead-in that still holds a Missing sentinel is dropped and reported, and a paragraph left
without its body loses its lead-in too. `{% call opt() %}…{% endcall %}` marks a clause
that is dropped on its own when it lacks a fact.

Names a template can use besides the blocks (v, growth, pp, tiers … of Statements): `region`
(全称), `short`, `code`, `year` (report.year), `prev` (the year before), `unit_word` (设区市,
市州, 盟市 … from the catalog or the dataset's manifest), `whole` (全省, 全区, 全市: how the
text names the region as a whole), `group` / `group_name` (西部 / 西部地区), `mark` (※),
`opt`, and `nothing(why)` (a gap that drops its sentence with that reason). Nothing of a province is written in code: a new province writes templates and data.
A template that cannot be rendered raises TemplateError with its file and line.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from digecon.errors import InputError
from digecon.facts import Facts, unit_word

from . import fmt
from .said import Missing, Said, gaps, has_gap
from .statements import Statements

MACROS = Path(__file__).parent / "macros"  # generic macros: {% import "blocks.j2" as b %}
PARAGRAPH = "\x01"
FACT_OPEN, FACT_CLOSE = "\x02", "\x03"  # around each rendered statement that rests on facts
_BLANK = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)*")
_CODE = re.compile(r"[\"']([a-z0-9][a-z0-9_]*)[\"']")
_SECTION = re.compile(r"\{#-?\s*section:\s*(\S+?)\s*-?#\}")
_UNITS = re.compile(r"\*\*.+?\*\*|[^。！？]+(?:[。！？]+[”’」）)]*|$)")
_BLOCKS = ("v", "num", "fact", "has", "bound", "growth", "pp", "gap", "cagr", "added_times",
           "crossed", "rank", "brackets", "bracket_text", "leader", "tiers", "tier_rule",
           "structure", "input_vintage", "when", "cn", "units", "club", "above", "members", "top")


class TemplateError(InputError):
    """A narrative template that cannot be rendered: its file and line, what was found there
    (an unknown indicator or region, a Jinja syntax error, an undefined name) and what is
    expected; no text is written."""


def _template_line(exc: BaseException) -> int | None:
    """The template line where rendering failed (Jinja rewrites the traceback so that the
    template's own frames carry its line numbers)."""
    line = getattr(exc, "lineno", None)
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


_EXPECTED = {
    "UnknownNameError": "目录中已有的指标代码或地区名称（数据集 catalog/indicators.csv 可增加指标）",
    "AmbiguousNameError": "六位地区代码或带上级的地区名称",
    "UndefinedError": "语句块（v、growth、pp、tiers …）或模板中已定义的变量",
    "TemplateSyntaxError": "合乎 Jinja2 语法的模板",
}


@dataclass
class Narrative:
    """A rendered section: its Markdown, and each sentence or clause left out for want of a
    fact (the reason, the sentence as far as it could be written)."""

    text: str
    template: Path
    section: str = ""
    skipped: list[tuple[str, str]] = field(default_factory=list)
    stated: int = 0  # sentences kept that state a fact (0: the store had nothing for it)

    def log_lines(self) -> list[str]:
        return [f"跳过：{why}（{sentence}）" for why, sentence in self.skipped]


def template_section(path: Path) -> str:
    """The section a template declares in its first line: {#- section: 前言 -#}."""
    head = path.read_text(encoding="utf-8")[:400]
    m = _SECTION.search(head)
    return m.group(1) if m else ""


def find_template(section: str, folder: Path) -> Path:
    """The template in `folder` (a dataset's narrative/) that declares `section`."""
    found = sorted(p for p in folder.glob("*.j2") if template_section(p) == section)
    if not found:
        known = sorted(filter(None, (template_section(p) for p in folder.glob("*.j2"))))
        raise LookupError(f"{folder}: 发现没有声明 section: {section} 的模板，应为其中已有的节 "
                          f"{'、'.join(known) or '（至少一个 *.md.j2 模板，首行 {#- section: 名称 -#}）'}")
    return found[0]


# how a text names its own province as a whole: 全省, 全区 (自治区), 全市 (直辖市)
_WHOLE = {"省": "全省", "自治区": "全区", "直辖市": "全市", "特别行政区": "全区"}


def _context(st: Statements) -> dict:
    home = st.home
    group = st.catalog.group_of(home.code) if home.level != "country" else None
    ctx = {name: getattr(st, name) for name in _BLOCKS}
    ctx.update(region=home.name, short=home.short, code=home.code, year=st.year,
               whole=_WHOLE.get(home.kind, "全省") if home.level == "province" else "",
               prev=st.year - 1, unit_word=unit_word(home.code) if home.level == "province"
               else "下级地区", group=group.short if group else "", mark=fmt.ILLUSTRATIVE_MARK,
               group_name=group.name if group else "")
    return ctx


def _sentences(paragraph: str) -> list[str]:
    return [u for u in _UNITS.findall(paragraph) if u.strip()]


def _finalize(value):
    """Jinja's finalize: mark where a statement resting on facts was written."""
    if isinstance(value, Said) and value.facts and not isinstance(value, Missing):
        return FACT_OPEN + value + FACT_CLOSE
    return value


def _clean(text: str, skipped: list[tuple[str, str]]) -> tuple[str, int]:
    """The paragraphs without the sentences that lack a fact, and how many kept sentences
    state one; a template that states no fact at all gives no text."""
    paragraphs = text.split(PARAGRAPH)
    out, stated = [], 0
    for para in paragraphs:
        para = "".join(line.strip() for line in para.splitlines())
        if not para:
            continue
        units = _sentences(para)
        kept = []
        for u in units:
            if has_gap(u):
                skipped.append(("；".join(gaps(u)), _plain(re.sub("\x00[^\x00]*\x00", "□", u))))
            else:
                kept.append(u)
        body = [u for u in kept if not u.startswith("**")]
        if not body:
            if kept:
                skipped.append(("段落无正文", _plain("".join(kept))))
            continue
        stated += sum(1 for u in body if FACT_OPEN in u)
        out.append(_plain("".join(kept)).strip())
    if not stated:
        return "", 0
    return "\n\n".join(out) + ("\n" if out else ""), stated


def _plain(text: str) -> str:
    return text.replace(FACT_OPEN, "").replace(FACT_CLOSE, "")


def render_template(template: str | Path, store=None, region: str = "", year: int | str = 0,
           as_of: str | None = None, *, facts: Facts | None = None,
           base_dir: Path | None = None) -> Narrative:
    """The Markdown of one template for `region` and `year`, the store read at `as_of`.

    `base_dir` is where the template's own file references (an index spec for tier_rule)
    are resolved: the dataset folder (default: the template folder's parent)."""
    path = Path(template)
    facts = facts if facts is not None else Facts(store, as_of)
    source = path.read_text(encoding="utf-8")
    # one query for every indicator the template names (Facts caches them for the next one)
    facts.select([c for c in dict.fromkeys(_CODE.findall(source))
                  if facts.catalog.has_indicator(c)])
    st = Statements(facts, region, year, base_dir or path.parent.parent)
    skipped: list[tuple[str, str]] = []

    def opt(caller) -> str:
        clause = caller()
        if has_gap(clause):
            skipped.append(("；".join(gaps(clause)), "从句"))
            return ""
        return clause

    env = jinja2.Environment(loader=jinja2.FileSystemLoader([str(path.parent), str(MACROS)]),
                             undefined=jinja2.StrictUndefined, trim_blocks=True,
                             lstrip_blocks=True, autoescape=False, finalize=_finalize)
    env.globals.update(_context(st), opt=opt, nothing=Missing)
    # Blank lines of the template separate paragraphs; mark them before Jinja runs, since
    # trim_blocks swallows the newline after a tag that ends a paragraph.
    # (as many newlines as before, so an error names the template's own line)
    source = _BLANK.sub(lambda m: "\n" + PARAGRAPH + "\n" * (m.group().count("\n") - 1),
                        source)
    try:
        raw = env.from_string(source).render()
    except (jinja2.TemplateError, InputError, TypeError, ValueError) as exc:
        if isinstance(exc, TemplateError):
            raise
        line = _template_line(exc)
        if isinstance(exc, InputError) and type(exc).__name__ not in _EXPECTED:
            # the input a block read is wrong (an index spec, the data it needs): its own
            # 发现…应为…, at the template line that read it
            where = f"{path}:{line}" if line else str(path)
            raise TemplateError(f"{where}: {exc}", file=str(path), row=line) from exc
        raise TemplateError(file=str(path), row=line, found=f"{exc}",
                            expected=_EXPECTED.get(type(exc).__name__,
                                                   "可由语句块求值的模板表达式")) from exc
    text, stated = _clean(raw, skipped)
    return Narrative(text, path, template_section(path), skipped, stated)
