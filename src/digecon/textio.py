"""Reading users' small text files (CSV tables of regions, weights …) with errors that point at the line."""
from __future__ import annotations

from pathlib import Path


def decode_utf8(path: Path, raw: bytes, error: type[ValueError], wanted: str) -> str:
    """`raw` as UTF-8 (a BOM is dropped), else `error` naming the line and the first bad byte."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise error(f"{path}:{line}: 发现非 UTF-8 字节 0x{raw[exc.start]:02x}，应为{wanted}"
                    ) from None
