"""The server builds every index again after each write, before a reader asks."""
from __future__ import annotations

import threading
import time

from digecon.api.indices import IndexService


class _View:
    def __init__(self):
        self.version = 1


class _Service(IndexService):
    def __init__(self, view, fail: bool = False):
        super().__init__(view, folder=None)
        self.built: list[tuple[str, int]] = []
        self.fail = fail

    def ids(self):
        return ["city_de", "table1"]

    def get(self, index_id):
        if self.fail:
            raise ValueError("规格有误")
        self.built.append((index_id, self.view.version))
        return {}


def _run(service, stop):
    t = threading.Thread(target=service.warm, args=(stop,), kwargs={"interval": 0.02,
                                                                    "nice": 0})
    t.start()
    return t


def test_every_index_is_built_once_per_store_version_until_stopped():
    view, stop = _View(), threading.Event()
    service = _Service(view)
    t = _run(service, stop)
    time.sleep(0.2)
    assert service.built == [("city_de", 1), ("table1", 1)]
    view.version = 2  # a batch was written
    time.sleep(0.2)
    stop.set()
    t.join(2)
    assert not t.is_alive()
    assert service.built == [("city_de", 1), ("table1", 1), ("city_de", 2), ("table1", 2)]


def test_a_failing_index_is_logged_and_not_retried_until_the_store_changes(caplog):
    view, stop = _View(), threading.Event()
    service = _Service(view, fail=True)
    t = _run(service, stop)
    time.sleep(0.2)
    stop.set()
    t.join(2)
    warnings = [r for r in caplog.records if "指数预计算失败" in r.getMessage()]
    assert len(warnings) == 1 and "规格有误" in warnings[0].getMessage()
