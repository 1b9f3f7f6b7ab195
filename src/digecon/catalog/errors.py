"""The catalog's errors: a bad extension file, an unknown name, a name that means several regions."""
from __future__ import annotations

from digecon.errors import InputError


class CatalogError(InputError):
    """A catalog extension file (regions.csv / indicators.csv) that cannot be merged; the
    message names file:line:column, the value found and what was expected."""


class UnknownNameError(KeyError, InputError):
    """A region, indicator or unit that the catalog does not know; carries close matches."""

    def __init__(self, what: str, found: str, suggestions: list[str]):
        self.what, self.found, self.suggestions = what, found, suggestions
        hint = f"（最接近：{'、'.join(suggestions)}）" if suggestions else ""
        super().__init__(f"未知{what}「{found}」{hint}")

    def __str__(self) -> str:  # KeyError would quote the message
        return self.args[0]


class AmbiguousNameError(UnknownNameError):
    """A name that several regions of the same level carry (鼓楼区, 朝阳区 …); `candidates`
    lists them, each as its full name with its parents and its code."""

    def __init__(self, found: str, candidates: list[str], example: str):
        self.what, self.found, self.suggestions = "地区", found, candidates
        self.candidates = candidates
        KeyError.__init__(self, f"地区名称「{found}」不唯一，有 {len(candidates)} 个地区同名："
                                f"{'、'.join(candidates)}；请写六位代码或带上级的名称（如 {example}）")
