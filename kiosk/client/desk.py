"""This kiosk's line to the centre's counsellors: what the screen shows, the call for help
and who answered it, and the workshop the kiosk is part of.

One Desk per kiosk, shared by its everyday services and its workshop services: a call for
help from an exercise reaches the same dashboard, through the real server's API.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from kiosk.client.api import Api
from kiosk.workflows.services import Offline, ServiceError, Where


@dataclass(frozen=True)
class Workshop:
    """The exercise a counsellor set for this kiosk, and how many times they reset it."""

    exercise: str
    resets: int


class Desk:
    def __init__(self, api: Api) -> None:
        self.api = api
        self.where: Where | None = None  # what the screen shows, for the presence reports
        self.helper: str | None = None  # the counsellor on their way, from the server
        self.workshop: Workshop | None = None  # from the server; None: an everyday kiosk
        self._asked = False

    def ask_for_help(self, step: str) -> None:
        """Sent at once, not queued: a call for help only means something now."""
        answer = self.api.request("POST", "/help-requests", body={"step": step})
        self._asked = True
        self.helper = answer.get("coming")

    @property
    def waiting(self) -> bool:
        """A visitor called for help and no counsellor has answered yet."""
        return self._asked and self.helper is None

    def heard(self, answer: dict) -> None:
        """The server's answer to a presence report."""
        help_request, workshop = answer.get("help"), answer.get("workshop")
        self.helper = help_request.get("coming") if help_request else None
        self.workshop = Workshop(workshop["exercise"], workshop["resets"]) if workshop else None

    def person_left(self) -> None:
        """Nobody waits at the kiosk any more: withdraw the call for help, if there was one.
        Out of reach, the counsellor closes it from the dashboard."""
        if self._asked:
            self._asked, self.helper = False, None
            with contextlib.suppress(Offline, ServiceError):
                self.api.request("DELETE", "/help-requests/current")
