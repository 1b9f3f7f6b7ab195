"""How a value cell is read, the same for every reader: the SQL that turns its text into a
number, a qualifier and a percent sign, and the marks that mean "no value".

Read: full-width digits, signs and separators (３，５６７．８); the minus signs other than ASCII
`-` that people type (U+2212 − from Word, full-width － from a Chinese input method, small ﹣):
`−3.2` is -3.2 — but a dash (— – ―) before a number is no minus sign, and is refused; thousands
separators three digits apart (1,234.5); a bound or an approximation in front (<0.1, ≥5, 约300 → qualifier lt/ge/approx);
a % sign at the end (12.3%, taken only where the unit is %), a ‰ sign (3.5‰ is 0.35%, also
only where the unit is %); spaces of every kind around it (a no-break space pasted from a web
page, a tab, a full-width space). Not read, and so refused with the cell named: anything else,
and the ellipsis (… is both "too small to show" and "not known").
Skipped with a notice: an empty cell and the marks for "no such value" (—, -, /).
"""
from __future__ import annotations

# Cells that say there is no value (not a zero): skipped with a notice, like an empty cell.
NO_DATA = frozenset({"—", "——", "―", "-", "--", "－", "−", "﹣", "–", "/", "／", "\\"})
# Cells that look like a value left out but may mean "less than half the last digit".
ELLIPSIS = frozenset({"…", "……", "...", "..", "。。。"})
# Commas in a number are read only as thousands separators, three digits apart: `4000,1` is a
# decimal comma (refused), `4,000.1` is four thousand and a tenth.
THOUSANDS_RE = r"^[+-]?[0-9]{1,3}(,[0-9]{3})+([.][0-9]*)?$"
# The minus signs (U+2212, full-width U+FF0D, small U+FE63) become ASCII `-`; the dashes
# (U+2014 —, U+2013 –, U+2015 ―) do not: before a number they are a mark, not a sign.
FULL_WIDTH = ("０１２３４５６７８９．，－−﹣＋％＜＞＝", "0123456789.,---+%<>=")
PREFIX_RE = r"^(<=|>=|≤|≥|<|>|约)\s*"
QUALIFIER_OF_PREFIX = {"<": "lt", "<=": "le", "≤": "le", ">": "gt", ">=": "ge", "≥": "ge",
                       "约": "approx"}


def _sql_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def no_data_sql(cell: str) -> str:
    """SQL: whether the text `cell` is one of the NO_DATA marks (the length test first: it
    spares a million numbers the trim)."""
    return (f"(length({cell}) <= 6 AND trim({cell}) IN "
            f"({', '.join(_sql_literal(m) for m in sorted(NO_DATA))}))")


def normalised_sql(cell: str) -> str:
    """SQL: the cell's text trimmed of spaces of every kind, with full-width characters made
    ASCII."""
    src, dst = FULL_WIDTH
    spaces = "\u00a0\u3000\u2002\u2003\u2009\u202f\t\r\n"
    return (f"translate(trim(translate({cell}, '{spaces}', '{' ' * len(spaces)}')), "
            f"'{src}', '{dst}')")


def body_sql(cell: str) -> str:
    """SQL: the number's text without its qualifier prefix and % or ‰ sign."""
    return (f"rtrim(trim(regexp_replace({normalised_sql(cell)}, '{PREFIX_RE}', '')), '%‰')")


def cast_sql(text: str) -> str:
    """SQL: `text` as a DOUBLE where DuckDB's cast reads it as a table means it, else NULL.
    The cast also takes `1_000` (a digit separator no table uses) and `+-5` (as -5; a table's
    +-5 may be ±5): both are refused rather than guessed. `2.39583E+12` (how Excel writes a
    long number into a CSV) is read; nan and inf are refused by validation."""
    return (f"CASE WHEN NOT (contains({text}, '_') OR contains({text}, '+-')) "
            f"THEN TRY_CAST({text} AS DOUBLE) END")


def number_sql(text: str) -> str:
    """SQL: `text` (already without prefix and %) as a DOUBLE, or NULL."""
    return (f"coalesce({cast_sql(text)}, CASE WHEN regexp_matches({text}, "
            f"'{THOUSANDS_RE}') THEN TRY_CAST(replace({text}, ',', '') AS DOUBLE) END)")


def prefix_qualifier_sql(cell: str) -> str:
    """SQL: the qualifier a prefix gives (lt, le, gt, ge, approx), or NULL."""
    prefix = f"regexp_extract({normalised_sql(cell)}, '{PREFIX_RE}', 1)"
    cases = " ".join(f"WHEN {_sql_literal(k)} THEN {_sql_literal(v)}"
                     for k, v in QUALIFIER_OF_PREFIX.items())
    return f"CASE {prefix} {cases} END"


def percent_sql(cell: str) -> str:
    """SQL: whether the cell ends in a % or ‰ sign."""
    return f"regexp_matches({normalised_sql(cell)}, '[%‰]$')"


def permille_sql(cell: str) -> str:
    """SQL: how many % one unit of the cell's number is: 0.1 after a ‰ sign, else 1."""
    return f"CASE WHEN ends_with({normalised_sql(cell)}, '‰') THEN 0.1 ELSE 1.0 END"


__all__ = ["ELLIPSIS", "NO_DATA", "THOUSANDS_RE", "body_sql", "cast_sql", "no_data_sql", "number_sql",
           "percent_sql", "permille_sql", "prefix_qualifier_sql"]
