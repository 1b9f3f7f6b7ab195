"""Narrative: Chinese number language (fmt) and generated paragraphs from the store (generate)."""
from digecon.narrative import fmt
from digecon.narrative.fmt import ILLUSTRATIVE_MARK
from digecon.narrative.generate import SECTIONS, generate

__all__ = ["ILLUSTRATIVE_MARK", "SECTIONS", "fmt", "generate"]
