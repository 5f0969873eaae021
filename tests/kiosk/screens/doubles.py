"""Stand-ins for the devices the kiosk is given: a loudspeaker and a receipt printer.

They record what they were asked, like a person listening would; the real ones live in
kiosk/voice and hardware/ and are tested there.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass
class RecordingSpeaker:
    headset: bool = False
    said: list[tuple[list[str], str]] = field(default_factory=list)
    stops: int = 0
    volume: int = 0
    resets: int = 0

    def say(self, texts: Sequence[str], language: str) -> None:
        self.said.append((list(texts), language))

    def stop(self) -> None:
        self.stops += 1

    def louder(self) -> None:
        self.volume += 1

    def softer(self) -> None:
        self.volume -= 1

    def reset(self) -> None:
        self.volume = 0
        self.resets += 1

    def heard(self) -> list[str]:
        return [text for texts, _ in self.said for text in texts]


class PrinterError(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class RecordingPrinter:
    tickets: list[tuple[list[str], str | None, str]] = field(default_factory=list)
    fails: str | None = None  # the reason to fail with: "no_paper", "no_printer"

    def print_ticket(self, lines: Sequence[str], qr: str | None, qr_caption: str = "") -> None:
        if self.fails:
            raise PrinterError(self.fails)
        self.tickets.append((list(lines), qr, qr_caption))
