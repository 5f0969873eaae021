"""Tells the centre's counsellors, every few seconds, what this kiosk shows and whether its
printer can print; hears back whether a counsellor is coming to the person who asked, and
which exercise a counsellor set. What it sends is the journey and step, never the person.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from kiosk.client.desk import Desk
from kiosk.client.periodic import Periodic
from kiosk.client.replica import Replica
from kiosk.workflows.services import Offline, ServiceError

log = logging.getLogger(__name__)

PrinterState = Callable[[], str]  # ready | no_paper | offline | none
WAITING_EVERY = 1.0  # seconds between reports while a visitor waits for a counsellor


def no_printer() -> str:
    return "none"


class Presence(Periodic):
    def __init__(
        self,
        desk: Desk,
        replica: Replica,
        printer_state: PrinterState = no_printer,
        *,
        exercises: list[dict[str, str]] | None = None,
        every_seconds: float = 5,
        printer_every_seconds: float = 60,
    ) -> None:
        super().__init__("kiosk-presence", every_seconds)
        self.desk, self.replica, self.printer_state = desk, replica, printer_state
        self.exercises = exercises or []  # [{"id", "title"}]: what a counsellor may set here
        self.printer_every = printer_every_seconds
        self._printer: tuple[float, str] | None = None  # (asked at, state): asking costs

    def once(self) -> None:
        """One report; the answer says who is coming, if anyone."""
        where, synced = self.desk.where, self.replica.last_sync
        body = {
            "journey": where.journey if where else None,
            "step": where.step if where else None,
            "progress": f"{where.progress[0]}/{where.progress[1]}"
            if where and where.progress
            else None,
            "mistakes": where.mistakes if where else 0,
            "printer": self._printer_state(),
            "last_sync": synced.isoformat() if synced else None,
            "exercise_done": where.exercise_done if where else False,
            "exercises": self.exercises,
        }
        try:
            answer = self.desk.api.request("PUT", "/kiosk/presence", body=body)
        except (Offline, ServiceError) as failed:
            log.info("presence not reported: %s", type(failed).__name__)
            return
        self.desk.heard(answer)

    def pause(self) -> float:
        """Sooner while a visitor waits: "J'arrive" reaches the screen within a second."""
        return WAITING_EVERY if self.desk.waiting else self.every

    def _printer_state(self) -> str:
        now = time.monotonic()
        if self._printer is None or now - self._printer[0] >= self.printer_every:
            self._printer = (now, self.printer_state())
        return self._printer[1]
