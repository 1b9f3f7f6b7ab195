"""Fact-check: extract the numeric claims of any Chinese text and check them by arithmetic and the store."""
from digecon.factcheck.check import check_text
from digecon.factcheck.model import Check, Claim

__all__ = ["Check", "Claim", "check_text"]
