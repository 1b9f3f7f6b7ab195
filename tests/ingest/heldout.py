"""Score ingest on a set of held-out users' files (FOLDER/expectations.yaml; the first set,
fixtures/heldout, unless a folder is given).

    .venv/bin/python tests/ingest/heldout.py                                # the first set
    .venv/bin/python tests/ingest/heldout.py tests/ingest/fixtures/heldout2 # the second

Each file goes alone through the command line (`digecon ingest`, the command users run) into
a fresh store: a copy of one empty store that `digecon init` made for the run, so that only the
ingest is run per file. See the yaml's header for what "correct" means. test_user_tables.py
keeps each set's score as a floor.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import duckdb
import yaml

HERE = Path(__file__).parent / "fixtures" / "heldout"  # the default folder
SETS = {"heldout": HERE, "heldout2": Path(__file__).parent / "fixtures" / "heldout2",
        "heldout3": Path(__file__).parent / "fixtures" / "heldout3"}
ARGS = ["--vintage", "2023-03-15", "--source", "测试"]


def digecon(*args: str) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).with_name("digecon")
    cmd = [str(exe)] if exe.exists() else [shutil.which("digecon") or "digecon"]
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200"}
    return subprocess.run([*cmd, *args], check=False, capture_output=True, text=True, env=env,
                          timeout=300)


def stored(db: Path) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT region_code, indicator, period, value, qualifier "
                           "FROM observations WHERE status <> 'derived'").fetchall()
    finally:
        con.close()


def _same_rows(got: list[tuple], want: list[list]) -> list[str]:
    key = {(str(r[0]), r[1], str(r[2])): (float(r[3]), r[4]) for r in want}
    have = {(str(r[0]), r[1], str(r[2])): (float(r[3]), r[4]) for r in got}
    out = []
    for k in sorted(set(key) | set(have)):
        a, b = key.get(k), have.get(k)
        if a is None:
            out.append(f"unexpected row {k} = {b}")
        elif b is None:
            out.append(f"missing row {k} = {a}")
        elif abs(a[0] - b[0]) > 1e-9 * max(1.0, abs(a[0])) or a[1] != b[1]:
            out.append(f"row {k}: want {a}, got {b}")
    if len(got) != len(have):
        out.append(f"{len(got) - len(have)} rows stored twice")
    return out


def _problem_found(lines: list[str], path: Path, spec: dict) -> bool:
    head = f"{path}:{spec['sheet']}:" if spec.get("sheet") else f"{path}:"
    head += f"{spec['row']}:"
    for line in lines:
        if not line.startswith(head):
            continue
        column = line[len(head):].split(":", 1)[0].strip()
        named = any(column == c or column.startswith((f"{c}（", f"{c}(")) or c in column.split("·")
                    for c in map(str, spec["column"]))
        if named and all(str(w) in line for w in spec["contains"]):
            return True
    return False


def empty_store(work: Path) -> Path:
    """A store as `digecon init` leaves it, in `work`, to be copied for each file."""
    db = work / "empty.duckdb"
    init = digecon("init", "--db", str(db))
    if init.returncode:
        raise RuntimeError(f"digecon init failed: {init.stderr}")
    return db


def check(name: str, spec: dict, work: Path, folder: Path | None = None,
          empty: Path | None = None) -> list[str]:
    """What is wrong with ingesting `name` of `folder` (default HERE) (empty: correct), into a
    copy of the store `empty` (default: one made by `digecon init` for this file alone)."""
    path = (folder or HERE) / name
    db = work / f"{path.stem}.duckdb"
    shutil.copyfile(empty or empty_store(work), db)
    r = digecon("ingest", str(path), "--db", str(db), *ARGS)
    text = r.stdout + r.stderr
    problems = []
    if "Traceback" in text:
        problems.append("traceback: " + r.stderr[-400:])
    if spec["expect"] == "stored":
        if r.returncode != 0:
            return problems + [f"exit {r.returncode}: {r.stderr.strip()[:600]}"]
        problems += _same_rows(stored(db), spec["rows"])
        problems += [f"no notice naming {n!r}" for n in spec.get("notices", []) if n not in text]
    else:
        if r.returncode != 2:
            problems.append(f"exit {r.returncode}, want 2")
        if stored(db):
            problems.append("rows were written")
        lines = r.stderr.splitlines()
        problems += [f"no message {p}" for p in spec["problems"]
                     if not _problem_found(lines, path, p)]
        english = [ln for ln in lines if "found " in ln or "expected " in ln]
        problems += [f"English in message: {ln}" for ln in english[:2]]
        if problems:
            problems.append("stderr: " + r.stderr.strip()[:600])
    return problems


def score(folder: Path | None = None) -> dict[str, list[str]]:
    """Each file of `folder` (default HERE) -> what is wrong with it (empty: correct)."""
    folder = folder or HERE
    specs = yaml.safe_load((folder / "expectations.yaml").read_text(encoding="utf-8"))["files"]
    with tempfile.TemporaryDirectory() as tmp:
        empty = empty_store(Path(tmp))
        return {name: check(name, spec, Path(tmp), folder, empty)
                for name, spec in specs.items()}


def main() -> None:
    results = score(Path(sys.argv[1]) if len(sys.argv) > 1 else None)
    for name, problems in results.items():
        print(("ok   " if not problems else "FAIL ") + name)
        for p in problems:
            print("       " + p.replace("\n", "\n       "))
    good = sum(1 for p in results.values() if not p)
    print(f"score: {good}/{len(results)} correct as expected")


if __name__ == "__main__":
    main()
