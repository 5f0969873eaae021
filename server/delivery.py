"""The one interface every delivery backend offers, and the factory choosing them from settings."""

from __future__ import annotations

import fcntl
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from server.config import Settings


@dataclass(frozen=True)
class Outgoing:
    """A message as handed to a backend, detached from any database session."""

    id: int
    channel: str  # sms | email
    recipient: str
    body: str
    subject: str | None = None


class DeliveryError(Exception):
    """The gateway did not take the message; retried later.

    Its text is stored in outbox.last_error, so it never holds personal data.
    """


class Backend(Protocol):
    def send(self, message: Outgoing) -> None: ...


class JsonLinesBackend:
    """Development and workshops: one JSON line per message in a file anyone can read."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    def send(self, message: Outgoing) -> None:
        record = {"to": message.recipient, "body": message.body}
        if message.subject is not None:
            record["subject"] = message.subject
        record |= {"sent_at": datetime.now(UTC).isoformat(timespec="seconds"), "id": message.id}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as out:
            # Several workers may append at once: a lock keeps every line whole.
            fcntl.flock(out, fcntl.LOCK_EX)
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


def make_backend(settings: Settings, channel: str) -> Backend:
    """The backend configured for a channel ("sms" or "email")."""
    if channel == "sms":
        if settings.sms_backend == "file":
            return JsonLinesBackend(settings.sms_file_path)
        if settings.sms_backend == "http":
            from server.sms.http import HttpSmsBackend  # noqa: PLC0415 - needs requests

            return HttpSmsBackend(settings)
        raise ValueError(f"unknown SMS backend: {settings.sms_backend}")
    if channel == "email":
        if settings.mail_backend == "file":
            return JsonLinesBackend(settings.mail_file_path)
        if settings.mail_backend == "smtp":
            from server.mail.smtp import SmtpBackend  # noqa: PLC0415

            return SmtpBackend(settings)
        raise ValueError(f"unknown mail backend: {settings.mail_backend}")
    raise ValueError(f"unknown channel: {channel}")
