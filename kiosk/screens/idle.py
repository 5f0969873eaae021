"""The idle watch of a shared kiosk: warn after a quiet minute, count down, then wipe.

Durations are parameters so tests run in a blink; the kiosk uses the defaults
(ACCESSIBILITY.md: warn after about 60 s, at least 20 s to continue, 10 extensions).
"""

from __future__ import annotations

from collections.abc import Callable

from kivy.clock import Clock, ClockEvent


class IdleGuard:
    def __init__(
        self,
        warn: Callable[[int], None],
        tick: Callable[[int], None],
        expire: Callable[[], None],
        *,
        idle: float = 60.0,
        countdown: int = 20,
        extensions: int = 10,
        second: float = 1.0,
    ) -> None:
        self._warn, self._tick, self._expire = warn, tick, expire
        self.idle, self.countdown, self.extensions, self.second = (
            idle,
            countdown,
            extensions,
            second,
        )
        self.extended = 0
        self.left: int | None = None  # seconds left while the warning is shown
        self._timer: ClockEvent | None = None

    @property
    def warning(self) -> bool:
        return self.left is not None

    def touched(self) -> None:
        """A person acted: a new quiet minute starts, with all the extensions back."""
        self.extended = 0
        self._restart()

    def extend(self) -> None:
        """ "Je continue": one more minute."""
        self.extended += 1
        self._restart()

    def disarm(self) -> None:
        """Nobody is there (the welcome screen after a wipe): nothing to watch."""
        self._cancel()
        self.left = None

    def _restart(self) -> None:
        self.disarm()
        self._timer = Clock.schedule_once(self._quiet, self.idle)

    def _cancel(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _quiet(self, _: float) -> None:
        if self.extended >= self.extensions:
            self._end()
            return
        self.left = self.countdown
        self._warn(self.left)
        self._timer = Clock.schedule_interval(self._count, self.second)

    def _count(self, _: float) -> None:
        assert self.left is not None
        self.left -= 1
        if self.left <= 0:
            self._end()
        else:
            self._tick(self.left)

    def _end(self) -> None:
        self.disarm()
        self._expire()
