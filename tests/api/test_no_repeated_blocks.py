"""No block of code is written twice in the server, accounts, collection, store, facts and evaluate
packages: five statements repeated in the same order (blank lines, comments and lone closing
brackets aside) are one helper waiting to be written. Re-export lists in __init__.py are exempt."""
from __future__ import annotations

from collections import defaultdict

from conftest import REPO

PACKAGES = ("api", "accounts", "collect", "store", "facts", "evaluate")
WINDOW = 5
TRIVIAL = {")", "]", "}", "):", "else:", "try:", "return", "pass"}


def _statements(path):
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        text = line.strip()
        if text and not text.startswith("#") and text not in TRIVIAL:
            yield number, text


def repeated_blocks(paths, root, window=WINDOW):
    """{block: [(file relative to root, first line), …]} for every `window` statements found
    more than once."""
    seen = defaultdict(list)
    for path in paths:
        lines = list(_statements(path))
        for k in range(len(lines) - window + 1):
            block = tuple(text for _, text in lines[k:k + window])
            seen[block].append((str(path.relative_to(root)), lines[k][0]))
    return {b: where for b, where in seen.items() if len(where) > 1}


def test_the_detector_finds_a_repeated_block(tmp_path):
    body = "\n".join(f"    x{i} = f({i})" for i in range(WINDOW))
    (tmp_path / "m.py").write_text(f"def a():\n{body}\n\n\ndef b():\n{body}\n", encoding="utf-8")
    found = repeated_blocks([tmp_path / "m.py"], tmp_path)
    assert list(found.values()) == [[("m.py", 2), ("m.py", 10)]]


def test_no_block_is_written_twice():
    paths = [p for pkg in PACKAGES for p in sorted((REPO / "src" / "digecon" / pkg).rglob("*.py"))
             if p.name != "__init__.py"]
    found = repeated_blocks(paths, REPO)
    assert not found, "\n".join(f"{' / '.join(f'{f}:{n}' for f, n in where)}: {block[0]}"
                                for block, where in found.items())
