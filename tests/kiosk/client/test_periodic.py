"""Background work of a kiosk: done at once, then again every few seconds, until stopped."""

from __future__ import annotations

import threading
import time

from kiosk.client.periodic import Periodic


class Counting(Periodic):
    def __init__(self) -> None:
        super().__init__("counting", every_seconds=0.01)
        self.done = 0
        self.twice = threading.Event()

    def once(self) -> None:
        self.done += 1
        if self.done >= 2:
            self.twice.set()


def test_the_work_starts_at_once_repeats_and_stops_when_asked() -> None:
    work = Counting().start()
    assert work.twice.wait(timeout=5)
    work.stop()
    stopped_at = work.done
    time.sleep(0.05)
    assert work.done == stopped_at
    assert not work._thread.is_alive()
