"""The devices the touch screen is given (kiosk/__main__.py picks the concrete ones).

Defined here so the screens never import kiosk.voice or hardware: anything with these
methods will do.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from kiosk.screens import words
from kiosk.workflows.flow import Flow, View


class Speaker(Protocol):
    headset: bool  # a headset is plugged in: private data may be spoken

    def say(self, texts: Sequence[str], language: str) -> None:
        """Speak in the background, replacing whatever is being said."""

    def stop(self) -> None: ...
    def louder(self) -> None: ...
    def softer(self) -> None: ...
    def reset(self) -> None:
        """Session over: default volume and rate."""


class Ears(Protocol):
    """Speech input beside the touches (kiosk.voice.beside_screen.SpeechInput)."""

    def follow(self, flow: Flow, moved: Callable[[View], None]) -> None:
        """The flow is at a new step: listen there. `moved` shows a view speech led to."""


class Printer(Protocol):
    def print_ticket(self, lines: Sequence[str], qr: str | None, qr_caption: str = "") -> None:
        """Raises an error with a `reason`: "no_printer", "no_paper" or "failed"."""


def print_failure(error: Exception) -> str:
    """The message id telling why a ticket was not printed (duck-typed: hardware stays out)."""
    reason = getattr(error, "reason", "failed")
    return words.PRINT_FAILURES.get(reason, words.PRINT_FAILURES["failed"])
