"""The upload path off the event loop: multipart parsed from a spooled file, writes niced."""
from __future__ import annotations

import os
import threading

import pytest
from fastapi import HTTPException

from digecon.api.upload import parse_multipart, run_niced


def _body(parts: list[tuple[str, str | None, bytes]], boundary: str = "b0undary") -> bytes:
    out = b""
    for name, filename, data in parts:
        disp = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
        out += f"--{boundary}\r\nContent-Disposition: {disp}\r\n\r\n".encode() + data + b"\r\n"
    return out + f"--{boundary}--\r\n".encode()


def test_files_and_fields_come_out_of_a_spooled_body_under_safe_distinct_names(tmp_path):
    big = b"region,indicator,period,value\n" + b"360000,gdp,2021,1.5\n" * 200_000  # > 1 chunk
    body = tmp_path / "body"
    body.write_bytes(_body([("files", "../../etc/数据.csv", big), ("files", "数据.csv", b"x\n"),
                            ("status", None, b"published"),
                            ("source", None, "《统计公报》".encode())]))
    dest = tmp_path / "files"
    dest.mkdir()
    form = parse_multipart(body, "multipart/form-data; boundary=b0undary", dest)
    assert [p.name for p in form.files] == ["数据.csv", "1_数据.csv"]
    assert all(p.parent == dest for p in form.files)
    assert form.files[0].read_bytes() == big and form.files[1].read_bytes() == b"x\n"
    assert form.fields == {"status": "published", "source": "《统计公报》"}


def test_too_many_files_or_a_broken_body_is_a_400_in_chinese(tmp_path):
    body = tmp_path / "body"
    body.write_bytes(_body([("files", f"f{i}.csv", b"a\n") for i in range(3)]))
    with pytest.raises(HTTPException) as exc:
        parse_multipart(body, "multipart/form-data; boundary=b0undary", tmp_path, max_files=2)
    assert exc.value.status_code == 400 and "最多上传 2 个" in exc.value.detail
    body.write_bytes(b"--b0undary\r\nno headers at all")
    with pytest.raises(HTTPException) as exc:
        parse_multipart(body, "multipart/form-data; boundary=zzz", tmp_path)
    assert exc.value.status_code == 400 and "无法解析上传的表单" in exc.value.detail


def test_a_niced_write_runs_in_its_own_lowered_thread_and_leaves_the_caller_alone():
    mine = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    def probe():
        return threading.get_native_id(), os.getpriority(os.PRIO_PROCESS,
                                                         threading.get_native_id())

    tid, nice = run_niced(probe, 5)
    assert tid != threading.get_native_id() and nice == min(19, mine + 5)
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == mine

    def fails():
        raise ValueError("校验未通过")

    with pytest.raises(ValueError, match="校验未通过"):
        run_niced(fails, 5)
