"""Reading a multipart upload off the event loop: the body is streamed to a file as it arrives,
then parsed into files and fields in a worker thread, so a 100 MB upload never stalls the
requests being answered meanwhile."""
from __future__ import annotations

import contextlib
import os
import re
import shutil
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import anyio
from fastapi import HTTPException
from python_multipart.multipart import create_form_parser

T = TypeVar("T")
_SAFE = re.compile(r"[^\w.\-\u4e00-\u9fff]+")
CHUNK = 1 << 20
WRITE_NICE = 10


@dataclass
class Upload:
    files: list[Path] = field(default_factory=list)  # saved under the upload's own directory
    fields: dict[str, str] = field(default_factory=dict)


def safe_name(raw: str | None, i: int) -> str:
    name = _SAFE.sub("_", Path(raw or f"upload{i}").name).lstrip(".") or f"upload{i}"
    return name[:120]


async def spool_body(request, dest: Path, limit: int) -> int:
    """Write the request body to `dest` as it arrives; 413 past `limit` bytes."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise HTTPException(413, f"上传内容 {int(declared)} 字节，超过上限 {limit} 字节")
    size = 0
    async with await anyio.open_file(dest, "wb") as fh:
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise HTTPException(413, f"上传内容超过上限 {limit} 字节")
            await fh.write(chunk)
    return size


def parse_multipart(body: Path, content_type: str, dest: Path, *, file_field: str = "files",
                    max_files: int = 20, max_fields: int = 20) -> Upload:
    """The parts of a multipart/form-data body saved in `body`: files of `file_field` written to
    `dest` under safe, distinct names, other fields as text. HTTPException 400 for a body that is
    not a well-formed form."""
    out = Upload()
    counts = {"files": 0, "fields": 0}

    def on_field(f) -> None:
        counts["fields"] += 1
        if counts["fields"] > max_fields:
            raise HTTPException(400, f"表单字段过多：最多 {max_fields} 个")
        name = (f.field_name or b"").decode("utf-8", "replace")
        out.fields[name] = (f.value or b"").decode("utf-8", "replace")

    def on_file(f) -> None:
        name = (f.field_name or b"").decode("utf-8", "replace")
        if name != file_field:
            return
        counts["files"] += 1
        if counts["files"] > max_files:
            raise HTTPException(400, f"文件过多：一次最多上传 {max_files} 个")
        i = len(out.files)
        fname = safe_name((f.file_name or b"").decode("utf-8", "replace"), i)
        if any(p.name == fname for p in out.files):
            fname = f"{i}_{fname}"
        path = dest / fname
        src = f.file_object
        src.seek(0)
        with open(path, "wb") as fh:
            shutil.copyfileobj(src, fh, CHUNK)
        f.close()
        out.files.append(path)

    headers = {"Content-Type": content_type.encode("latin-1", "replace")}
    try:
        parser = create_form_parser(headers, on_field, on_file,
                                    config={"UPLOAD_DIR": str(dest), "MAX_MEMORY_FILE_SIZE": CHUNK})
        with open(body, "rb") as fh:
            while chunk := fh.read(CHUNK):
                parser.write(chunk)
        parser.finalize()
    except HTTPException:
        raise
    except Exception as exc:  # noqa: BLE001 - any parse failure is the client's
        raise HTTPException(400, f"无法解析上传的表单：{exc}") from None
    return out


def write_nice() -> int:
    """How much lower a bulk write runs than the readers: $DIGECON_SERVE_WRITE_NICE, else 10."""
    raw = os.environ.get("DIGECON_SERVE_WRITE_NICE", "")
    return int(raw) if raw.strip().isdigit() else WRITE_NICE


def run_niced(fn: Callable[[], T], nice: int) -> T:
    """Run `fn` in a thread of its own whose scheduling priority is lowered by `nice` (Linux
    nice values are per thread), and wait for it. A bulk write then takes the CPU only when the
    readers leave it, and no pooled thread is left with the lowered priority (it cannot be
    raised again without privileges)."""
    box: dict[str, object] = {}

    def target() -> None:
        if nice > 0 and hasattr(os, "setpriority"):
            with contextlib.suppress(OSError):
                os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), nice)
        try:
            box["value"] = fn()
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller's thread
            box["error"] = exc

    worker = threading.Thread(target=target, name="digecon-write", daemon=True)
    worker.start()
    worker.join()
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["value"]  # type: ignore[return-value]


__all__ = ["Upload", "parse_multipart", "run_niced", "safe_name", "spool_body", "write_nice"]
