"""A CSV file: its encoding and header settled before the store is locked, its records read by
DuckDB's parallel reader in strict mode, and every record it refuses reported by line.

Strict mode keeps a quoted line break inside a cell and reads `""` as one quote; a record with
more or fewer fields than the header, or an unclosed quote, is refused (not cut or padded).
A file that is not UTF-8 is decoded whole as GB18030 (or UTF-16 with a BOM) into a temporary
copy that has no name in any folder, so nothing is left behind even if the process is killed.
"""
from __future__ import annotations

import csv
import io
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import duckdb

from .errors import ReadError

HEAD_BYTES = 1 << 16
DELIMITERS = (",", "\t", ";", "|")
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# A valid UTF-8 prefix with this many CJK characters is UTF-8 text, not GB18030 bytes that
# happen to form UTF-8 (two GBK characters rarely make even one).
UTF8_CJK_EVIDENCE = 3
SNIPPET = 60


@dataclass
class Rejected:
    """A record the reader refused: its first line and the message for it."""
    line: int
    column: str
    message: str


@dataclass
class CsvFile:
    path: Path
    headers: list[str] = field(default_factory=list)
    delimiter: str = ","
    encoding: str = "utf-8"
    readable: str = ""                  # what DuckDB reads: the file or a nameless copy
    _copy: IO[bytes] | None = None

    def close(self) -> None:
        if self._copy is not None:
            self._copy.close()
            self._copy = None

    # encoding ----------------------------------------------------------------------------
    def transcode(self, encoding: str) -> None:
        """Decode the whole file as `encoding` into a UTF-8 copy; ReadError naming the line
        where it is neither UTF-8 nor `encoding`."""
        data = self.path.read_bytes()
        if encoding == "gb18030":
            _refuse_mixed_utf8(self.path, data)
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            raise ReadError(_encoding_message(self.path, data, exc.start,
                                              "既不是 UTF-8 也不是 GB18030")) from None
        self._write_copy(text.encode("utf-8"))
        self.encoding = encoding

    def normalise_line_ends(self) -> None:
        """A copy with every CRLF as LF, if the file mixes CRLF and LF (the strict reader
        wants one kind of line end). Line numbers stay the same."""
        crlf = lf = 0
        last = b""
        with open(self.readable, "rb") as fh:
            while chunk := fh.read(1 << 22):
                lf += chunk.count(b"\n")
                crlf += chunk.count(b"\r\n") + (last == b"\r" and chunk[:1] == b"\n")
                last = chunk[-1:]
        if 0 < crlf < lf:
            data = Path(self.readable).read_bytes()
            self._write_copy(data.replace(b"\r\n", b"\n"))

    def _write_copy(self, data: bytes) -> None:
        copy = tempfile.TemporaryFile()  # noqa: SIM115 - O_TMPFILE on Linux: never has a name
        copy.write(data)
        copy.flush()
        proc = f"/proc/self/fd/{copy.fileno()}"
        if os.path.exists(proc):
            self.close()
            self._copy, self.readable = copy, proc
            return
        copy.close()  # no /proc: a named file in the temp folder, removed by close()
        named = tempfile.NamedTemporaryFile(suffix=".csv")  # noqa: SIM115 - kept open on purpose
        named.write(data)
        named.flush()
        self.close()
        self._copy, self.readable = named, named.name

    # records -----------------------------------------------------------------------------
    def read(self, con: duckdb.DuckDBPyConnection, table: str) -> list[Rejected]:
        """Read every record into temp table `table` (columns c0…cN as strings, file order);
        returns the records refused, by line. Runs inside the write transaction, where a
        failed statement aborts everything: so nothing here may fail and be retried."""
        for attempt in range(2):
            rejects = f"{table}_rejects{attempt}"
            try:
                con.execute(self._read_sql(table, rejects))
            except duckdb.InvalidInputException as exc:
                first = str(exc).splitlines()[0]
                raise ReadError(f"{self.path}: 发现无法解析的 CSV 内容（{first}），"
                                "应为每行列数与表头一致的 CSV") from None
            kinds = {r[0] for r in con.execute(
                f"SELECT DISTINCT error_type FROM {rejects}").fetchall()}
            if "INVALID ENCODING" in kinds and self.encoding == "utf-8":
                self.transcode("gb18030")  # not UTF-8 after the first 64 KiB
                self.normalise_line_ends()
                continue
            return self._rejected(con, rejects) if kinds else []
        raise AssertionError("unreachable: a transcoded copy is UTF-8")  # pragma: no cover

    def _read_sql(self, table: str, rejects: str) -> str:
        columns = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(len(self.headers)))
        path = self.readable.replace("'", "''")
        delim = self.delimiter.replace("'", "''")
        # Read in parallel into a temp table: rows stay in file order, so row ids number them.
        return f"""CREATE OR REPLACE TEMP TABLE {table} AS
            SELECT * FROM read_csv('{path}', header = true, auto_detect = false,
                columns = {{{columns}}}, delim = '{delim}', quote = '"', escape = '"',
                strict_mode = true, null_padding = false, store_rejects = true,
                rejects_table = '{rejects}', rejects_scan = '{rejects}_scan')"""

    def _rejected(self, con: duckdb.DuckDBPyConnection, rejects: str) -> list[Rejected]:
        rows = con.execute(f"""SELECT line_byte_position, min(error_type), min(column_name),
                   min(error_message), min(csv_line)
            FROM {rejects} GROUP BY line_byte_position ORDER BY line_byte_position""").fetchall()
        data = Path(self.readable).read_bytes()
        out = []
        for start, kind, column, message, text in rows:
            line = _line_at(data, int(start))
            snippet = (text or "").strip()
            if not snippet:  # a line of blanks only: as empty as an empty line
                out.append(Rejected(line, "", ""))
                continue
            out.append(self._describe(line, kind, column, message, snippet))
        return out

    def _describe(self, line: int, kind: str, column: str | None, message: str,
                  snippet: str) -> Rejected:
        expected = len(self.headers)
        shown = snippet if len(snippet) <= SNIPPET else snippet[:SNIPPET] + "…"
        found = re.search(r"Found: (\d+)", message or "")
        n = int(found.group(1)) if found else 0
        if kind == "TOO MANY COLUMNS":
            hint = "；含逗号的数值须去掉逗号或整格加英文双引号" if self.delimiter == "," else ""
            return Rejected(line, f"列{expected + 1}",
                            f"发现 {n} 个字段（「{shown}」），应为 {expected} 个字段"
                            f"（与表头相同）{hint}")
        if kind == "MISSING COLUMNS":
            return Rejected(line, self.label(n),
                            f"发现 {n} 个字段（「{shown}」），应为 {expected} 个字段（与表头相同）")
        label = self.label(int(column[1:])) if column and column[1:].isdigit() else "列?"
        if kind == "UNQUOTED VALUE":
            return Rejected(line, label, f"发现引号不成对（「{shown}」），应为含逗号、引号或"
                                         "换行的单元格整格用英文双引号括起，格内的双引号写成两个（\"\"）")
        return Rejected(line, label, f"发现 CSV 格式错误 {kind}（{message}），应为符合 CSV 格式的行")

    def label(self, index: int) -> str:
        if 0 <= index < len(self.headers):
            return self.headers[index] or f"列{index + 1}"
        return f"列{index + 1}"


def open_csv(path: Path) -> CsvFile:
    """Settle a CSV's encoding, delimiter and header (transcoding it if need be)."""
    with open(path, "rb") as fh:
        head = fh.read(HEAD_BYTES)
    found = CsvFile(path, readable=str(path))
    if head.startswith(UTF16_BOMS):
        found.transcode("utf-16")
    elif not _utf8_head(head):
        found.transcode("gb18030")
    found.normalise_line_ends()
    if found.readable != str(path):
        with open(found.readable, "rb") as fh:
            head = fh.read(HEAD_BYTES)
    text = head.decode("utf-8", errors="ignore").lstrip("\ufeff")
    found.headers, found.delimiter = _header(text)
    return found


def read_rows(found: CsvFile) -> list[tuple[int, list[str]]]:
    """Every record of the (decoded) file with the line it starts on, for the table reader:
    records may have any number of fields. The delimiter is the one that gives the widest
    record among the first lines (a title line has one field whatever the delimiter)."""
    text = Path(found.readable).read_bytes().decode("utf-8", errors="replace").lstrip("\ufeff")
    head = "\n".join(text.splitlines()[:30])
    delim = max(DELIMITERS, key=lambda d: max(
        (len(r) for r in csv.reader(io.StringIO(head), delimiter=d)), default=0))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
    out, line = [], 1
    for record in reader:
        out.append((line, record))
        line = reader.line_num + 1
    return out


def _utf8_head(head: bytes) -> bool:
    try:
        head.decode("utf-8")
        return True
    except UnicodeDecodeError as exc:
        # a multi-byte character cut by the sample's end is not evidence
        return len(head) == HEAD_BYTES and exc.start > len(head) - 4


def _header(text: str) -> tuple[list[str], str]:
    """The first record, split by whichever delimiter gives it the most fields."""
    best: tuple[list[str], str] = ([], ",")
    for delim in DELIMITERS:
        record = next(csv.reader(io.StringIO(text), delimiter=delim), [])
        if len(record) > len(best[0]):
            best = (record, delim)
    return [h.strip() for h in best[0]], best[1]


def _line_at(data: bytes, start: int) -> int:
    """The line of the record whose text (after any empty lines) begins near byte `start`."""
    while start < len(data) and data[start:start + 1] in (b"\n", b"\r"):
        start += 1
    return data.count(b"\n", 0, start) + 1


def _refuse_mixed_utf8(path: Path, data: bytes) -> None:
    """UTF-8 text that turns into something else part-way is a damaged file, not GB18030."""
    try:
        data.decode("utf-8")
        return
    except UnicodeDecodeError as exc:
        prefix = data[:exc.start].decode("utf-8")
        start = exc.start
    if sum(1 for ch in prefix if "\u4e00" <= ch <= "\u9fff") >= UTF8_CJK_EVIDENCE:
        raise ReadError(_encoding_message(path, data, start, "此前是 UTF-8 文本，此处起不是"))


def _encoding_message(path: Path, data: bytes, start: int, detail: str) -> str:
    line = data.count(b"\n", 0, start) + 1
    return (f"{path}:{line}: 发现无法识别的文字编码（第 {line} 行，文件第 {start} 字节；{detail}），"
            "应为 UTF-8 或 GB18030 编码的文本（整个文件同一种编码）：请用 Excel 或记事本"
            "“另存为”UTF-8 CSV")
