"""Work a kiosk does in the background, again and again: a daemon thread that runs `once()`
at start and then every few seconds, until stopped. A network cut only delays it."""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from typing import Self


class Periodic(ABC):
    def __init__(self, name: str, every_seconds: float) -> None:
        self.every = every_seconds
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name=name, daemon=True)

    @abstractmethod
    def once(self) -> None:
        """One round of the work."""

    def pause(self) -> float:
        """Seconds until the next time; the work may want to come back sooner."""
        return self.every

    def start(self) -> Self:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.once()
            self._stop.wait(self.pause())
