"""Score `digecon.factcheck.check_text` on the held-out texts (FACTCHECK_CONTRACT.md): recall, precision, coverage.

    python -m tests.factcheck.heldout.score [--json] [--details] [--stems 15-26]
"""
from __future__ import annotations

import argparse
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from fractions import Fraction

from digecon.factcheck import check_text
from tests.factcheck.heldout import expect

OVERALL = "overall"


def _overlaps(claim, span: expect.Span) -> bool:
    return claim.start < span.end and span.start < claim.end


def _number(text: str | None) -> Fraction | None:
    """The first number in a suggested value ("8.6%", "-3.2", "1,161.6亿元"), or None."""
    if not text:
        return None
    m = re.search(r"-?\d+(?:\.\d+)?", str(text).replace(",", ""))
    return Fraction(m.group(0)) if m else None


def _suggestion_fits(suggested, fits: str) -> bool:
    """A suggested value agrees with `fits` when it lies within half a unit of fits' last digit."""
    value, wanted = _number(suggested), expect.fits_value(fits)
    if value is None or wanted is None:
        return False
    lo, hi = expect.stated_interval(wanted)
    return lo <= value <= hi


@dataclass
class Tally:
    """Counts for one kind (or overall)."""

    errors: int = 0
    lenient: int = 0
    strict: int = 0
    suggested: int = 0      # strictly caught with a suggested value that fits
    true_flags: int = 0     # inconsistent claims on a planted error's numbers
    false_flags: int = 0    # inconsistent claims on no planted error's numbers
    claims: int = 0
    verified: int = 0       # claims whose status is not "unverifiable"
    missed: list[str] = field(default_factory=list)
    alarms: list[str] = field(default_factory=list)

    def metrics(self) -> dict[str, float | None]:
        flags = self.true_flags + self.false_flags
        return {
            "recall_lenient": self.lenient / self.errors if self.errors else None,
            "recall_strict": self.strict / self.errors if self.errors else None,
            "precision": self.true_flags / flags if flags else None,
            "coverage": self.verified / self.claims if self.claims else None,
        }


def score_cases(cases: Iterable[expect.Case], check: Callable) -> dict[str, Tally]:
    """Run `check(text, store=None)` on each case and tally per kind and overall."""
    tallies: dict[str, Tally] = {k: Tally() for k in expect.HOLD_KINDS}
    tallies[OVERALL] = Tally()
    tallies["other"] = Tally()
    for case in cases:
        claims = check(case.text, store=None)
        _score_one(case, claims, tallies)
    return tallies


def _score_one(case: expect.Case, claims: list, tallies: dict[str, Tally]) -> None:
    total = tallies[OVERALL]
    bad = [c for c in claims if c.status == "inconsistent"]
    for err in case.errors:
        spans = [err.number, *err.related]
        lenient = any(_overlaps(c, s) for c in bad for s in spans)
        strict_claims = [c for c in bad if _overlaps(c, err.number)]
        fits = any(_suggestion_fits(getattr(c, "suggested", None), err.fits) for c in strict_claims)
        for t in (tallies[err.kind], total):
            t.errors += 1
            t.lenient += lenient
            t.strict += bool(strict_claims)
            t.suggested += fits
            if not strict_claims:
                t.missed.append(f"{case.stem}: {err.number.number}（{err.kind}，应为{err.fits}）")
    for claim in claims:
        kinds = _kinds_of(case, claim)
        is_bad = claim.status == "inconsistent"
        verified = claim.status != "unverifiable"
        error_kind = next((e.kind for e in case.errors
                           if any(_overlaps(claim, s) for s in [e.number, *e.related])), None)
        for kind in set(kinds) or {"other"}:
            tallies[kind].claims += 1
            tallies[kind].verified += verified
        total.claims += 1
        total.verified += verified
        if not is_bad:
            continue
        where = f"{case.stem}: {case.text[claim.start:claim.end]}@{claim.start}"
        if error_kind is not None:
            tallies[error_kind].true_flags += 1
            total.true_flags += 1
        else:
            kind = kinds[0] if kinds else "other"
            tallies[kind].false_flags += 1
            tallies[kind].alarms.append(where)
            total.false_flags += 1
            total.alarms.append(where)


def _kinds_of(case: expect.Case, claim) -> list[str]:
    """Kinds of the expected statements the claim touches: their own number first (planted errors
    before holds), then as a related number; each kind once."""
    entries = [*case.errors, *case.holds]
    own = [e.kind for e in entries if _overlaps(claim, e.number)]
    related = [e.kind for e in entries if any(_overlaps(claim, r) for r in e.related)]
    return list(dict.fromkeys(own + related))


def report(tallies: dict[str, Tally]) -> dict[str, dict[str, float | None]]:
    return {k: t.metrics() | {"errors": t.errors, "flags": t.true_flags + t.false_flags,
                              "claims": t.claims, "suggested": t.suggested}
            for k, t in tallies.items() if t.errors or t.claims}


def _fmt(x: float | None) -> str:
    return "  —  " if x is None else f"{x:5.2f}"


def table(tallies: dict[str, Tally]) -> str:
    rows = ["kind            errors  lenient strict  flags  precision  claims coverage  suggested"]
    order = [k for k in (*expect.HOLD_KINDS, "other", OVERALL) if k in tallies]
    for kind in order:
        t = tallies[kind]
        if not (t.errors or t.claims):
            continue
        m = t.metrics()
        rows.append(f"{kind:<15} {t.errors:6d}  {_fmt(m['recall_lenient'])}  {_fmt(m['recall_strict'])}"
                    f"  {t.true_flags + t.false_flags:5d}  {_fmt(m['precision']):>9}  {t.claims:6d}"
                    f"  {_fmt(m['coverage']):>7}  {t.suggested:5d}")
    return "\n".join(rows)


def run(stems: str | None = None) -> dict[str, Tally]:
    """Score every held-out text, or those whose number lies in `stems` ("15-26", "01-14", "07")."""
    cases = expect.load_all()
    if stems:
        first, _, last = stems.partition("-")
        lo, hi = int(first), int(last or first)
        cases = [c for c in cases if lo <= int(c.stem[:2]) <= hi]
        if not cases:
            raise SystemExit(f"没有编号在 {stems} 内的留出文本")
    return score_cases(cases, check_text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Score the fact-checker on the held-out texts.")
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    parser.add_argument("--details", action="store_true", help="list missed errors and false alarms")
    parser.add_argument("--stems", metavar="A-B",
                        help="only the texts numbered A to B (e.g. 15-26); default all")
    args = parser.parse_args(argv)
    tallies = run(args.stems)
    if args.json:
        print(json.dumps(report(tallies), ensure_ascii=False, indent=1))
    else:
        print(table(tallies))
    if args.details:
        print("\n未抓到（strict）：\n  " + "\n  ".join(tallies[OVERALL].missed))
        print("\n误报：\n  " + "\n  ".join(tallies[OVERALL].alarms))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
