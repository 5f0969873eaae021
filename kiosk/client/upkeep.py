"""Background upkeep of a kiosk: send the writes waiting in the outbox, refresh the replica."""

from __future__ import annotations

import logging

from kiosk.client.periodic import Periodic
from kiosk.client.services import KioskServices
from kiosk.workflows.services import Offline, ServiceError

log = logging.getLogger(__name__)


class Upkeep(Periodic):
    def __init__(self, services: KioskServices, every_seconds: float = 60) -> None:
        super().__init__("kiosk-upkeep", every_seconds)
        self.services = services

    def once(self) -> None:
        """One pass: drain first (the person's writes matter most), then the directory."""
        try:
            self.services.outbox.drain()
            self.services.replica.sync(self.services.api)
        except (Offline, ServiceError) as failed:
            log.info("upkeep postponed: %s", type(failed).__name__)
