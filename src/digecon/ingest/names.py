"""How a name is read, the same for a region or indicator cell and a header cell: whitespace of
every kind (ASCII, full-width/ideographic, no-break, tabs, line breaks of a wrapped cell) is
layout, not part of a name; a leading 其中 marks a sub-item of the row above.

No region or indicator name of the catalog holds whitespace, so a space beside a Chinese
character (南　昌, 地　区, 数字产业化⏎增加值) is dropped, and a run of spaces between two Latin
words becomes one (an English alias would keep its word breaks). Nothing else is changed:
what is left must still be a name the catalog knows, or it is refused as written.
"""
from __future__ import annotations

import re

# Unicode whitespace, and the zero-width characters pasted text brings along.
_SPACE = re.compile(r"[\s\u00a0\u3000\u200b\u200c\u200d\u2060\ufeff]+")
# A space that touches a character outside ASCII (CJK, full-width brackets) is layout.
_AROUND_WIDE = re.compile(r" (?=[^\x00-\x7f])|(?<=[^\x00-\x7f]) ")
# 其中：数字产业化增加值 / 其中: … / 其中 … — the text after the marker is the name.
SUBITEM = re.compile(r"^其中\s*[：:]?\s*")


def plain_name(text: str) -> str:
    """`text` without the whitespace that is layout (see the module's docstring)."""
    if not text:
        return text
    squeezed = _SPACE.sub(" ", text).strip()
    return _AROUND_WIDE.sub("", squeezed) if " " in squeezed else squeezed


def indent(text: str) -> int:
    """How far a name cell is indented: its leading whitespace, a full-width space counting
    two, a tab four (as they show in a sheet)."""
    n = 0
    for ch in text:
        if ch == "\t":
            n += 4
        elif ch in "\u3000":
            n += 2
        elif ch.isspace() or ch == "\u00a0":
            n += 1
        else:
            break
    return n


def name_key(text: str) -> tuple[str, bool]:
    """The name a region or indicator cell gives, and whether it is marked as a sub-item
    (其中：…). `其中` alone is no name: it is returned as it is, to be refused."""
    name = plain_name(text)
    rest = SUBITEM.sub("", name, count=1)
    if rest and rest != name:
        return rest, True
    return name, False


__all__ = ["SUBITEM", "indent", "name_key", "plain_name"]
