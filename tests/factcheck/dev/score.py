"""Score the checker on the development cases (cases.yaml): recall lenient/strict, precision, coverage.

A planted error is caught (lenient) when a claim overlapping its wrong number or a related number is
inconsistent, (strict) when the claim overlapping the wrong number is. A false alarm is an inconsistent
claim overlapping no planted error's numbers. `python -m tests.factcheck.dev.score` prints the table.
"""
from __future__ import annotations

from pathlib import Path

import yaml

CASES = Path(__file__).with_name("cases.yaml")
CASES2 = Path(__file__).with_name("cases2.yaml")
CASES3 = Path(__file__).with_name("cases3.yaml")
CASES4 = Path(__file__).with_name("cases4.yaml")
CASES5 = Path(__file__).with_name("cases5.yaml")
CASES6 = Path(__file__).with_name("cases6.yaml")
CASES7 = Path(__file__).with_name("cases7.yaml")
CASES8 = Path(__file__).with_name("cases8.yaml")
CASES9 = Path(__file__).with_name("cases9.yaml")
CASES10 = Path(__file__).with_name("cases10.yaml")
CASES11 = Path(__file__).with_name("cases11.yaml")


def spans(text: str, s: str) -> tuple[int, int]:
    i = text.find(s)
    if i < 0 or text.find(s, i + 1) >= 0:
        raise ValueError(f"{CASES.name}: 「{s}」 must occur exactly once in the text")
    return i, i + len(s)


def _hit(c, span: tuple[int, int]) -> bool:
    return c.start < span[1] and span[0] < c.end


def score(check, path: Path = CASES) -> dict:
    cases = yaml.safe_load(path.read_text(encoding="utf-8"))
    caught_l = caught_s = planted = false_alarms = flagged = claims = decided = 0
    held_flagged: list[str] = []
    missed: list[str] = []
    kinds: dict[str, list[int]] = {}
    for case in cases:
        text = case["text"]
        got = check(text)
        claims += len(got)
        decided += sum(c.status != "unverifiable" for c in got)
        bad = [c for c in got if c.status == "inconsistent"]
        flagged += len(bad)
        error_spans = []
        for err in case["errors"]:
            w = spans(text, err["wrong"])
            rel = [spans(text, r) for r in err["related"]]
            error_spans += [w, *rel]
            planted += 1
            strict = any(_hit(c, w) for c in bad)
            lenient = strict or any(_hit(c, r) for c in bad for r in rel)
            caught_s += strict
            caught_l += lenient
            k = kinds.setdefault(err.get("kind", "other"), [0, 0, 0])
            k[0] += 1
            k[1] += strict
            k[2] += lenient
            if not strict:
                missed.append(f"{case['id']}:{err['wrong']}{'（仅宽松）' if lenient else ''}")
        for c in bad:
            if not any(_hit(c, s) for s in error_spans):
                false_alarms += 1
                held_flagged.append(f"{case['id']}:{c.text}")
        for h in case["holds"]:
            s = spans(text, h)
            if any(_hit(c, s) for c in bad) and not any(s == e for e in error_spans):
                held_flagged.append(f"{case['id']}:{h}(holds)")
    return {"planted": planted, "recall_lenient": caught_l / planted, "recall_strict": caught_s / planted,
            "flagged": flagged,
            "precision": 1 - false_alarms / flagged if flagged else 1.0, "coverage": decided / claims,
            "missed": missed, "false_alarms": sorted(set(held_flagged)),
            "by_kind": {k: f"{v[1]}/{v[0]} strict, {v[2]}/{v[0]} lenient" for k, v in sorted(kinds.items())}}


if __name__ == "__main__":
    from digecon.factcheck import check_text

    for path in (CASES, CASES2, CASES3, CASES4, CASES5, CASES6, CASES7, CASES8, CASES9, CASES10, CASES11):
        print(f"== {path.name}")
        for k, v in score(check_text, path).items():
            print(f"{k}: {v:.3f}" if isinstance(v, float) else f"{k}: {v}")
