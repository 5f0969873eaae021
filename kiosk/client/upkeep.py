"""Background upkeep of a kiosk: send the writes waiting in the outbox, refresh the replica.

Runs in a daemon thread; a network cut only delays it until the next round.
"""

from __future__ import annotations

import logging
import threading

from kiosk.client.services import KioskServices
from kiosk.workflows.services import Offline, ServiceError

log = logging.getLogger(__name__)


class Upkeep:
    def __init__(self, services: KioskServices, every_seconds: float = 60) -> None:
        self.services, self.every = services, every_seconds
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="kiosk-upkeep", daemon=True)

    def start(self) -> Upkeep:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def round(self) -> None:
        """One pass: drain first (the person's writes matter most), then the directory."""
        try:
            self.services.outbox.drain()
            self.services.replica.sync(self.services.api)
        except (Offline, ServiceError) as failed:
            log.info("upkeep postponed: %s", type(failed).__name__)

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.round()
            self._stop.wait(self.every)
