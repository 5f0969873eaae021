"""The kiosk's speaker: reads a screen aloud in the background, sentence by sentence.

The first sentence plays as soon as it is synthesised while the next ones are prepared, so the
person hears something within milliseconds. Any new `say` or `stop` silences what is playing.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Sequence
from typing import Protocol

from kiosk.voice.speech import DEFAULT_RATE, RATES, Synthesiser, voice_for

log = logging.getLogger(__name__)
_SENTENCE_END = re.compile(r"(?<=[.!?…:])\s+|\n+")


class Output(Protocol):
    """What the speaker plays through (hardware.audio.Player)."""

    @property
    def headset(self) -> bool: ...
    def play(self, samples: bytes, rate: int) -> None: ...
    def stop(self) -> None: ...
    def wait(self, timeout: float | None = None) -> bool: ...
    def louder(self) -> None: ...
    def softer(self) -> None: ...
    def reset(self) -> None: ...


def sentences(texts: Sequence[str]) -> list[str]:
    """A screen's texts cut into sentences, the unit that is synthesised and played."""
    return [part.strip() for text in texts for part in _SENTENCE_END.split(text) if part.strip()]


class Speaker:
    """Speaks texts in a language through an output, at a rate the person can change."""

    def __init__(self, output: Output, synthesiser: Synthesiser | None = None) -> None:
        self._output = output
        self._synthesiser = synthesiser or Synthesiser()
        self._rate = DEFAULT_RATE
        self._job: tuple[list[str], str] | None = None
        self._generation = 0  # bumped by say/stop/reset: the job being spoken is abandoned
        self._working = False
        self._closed = False
        self._changed = threading.Condition()
        self._thread = threading.Thread(target=self._run, name="speaker", daemon=True)
        self._thread.start()

    @property
    def headset(self) -> bool:
        return self._output.headset

    @property
    def rate(self) -> int:
        """Words per minute."""
        return self._rate

    def say(self, texts: Sequence[str], language: str) -> None:
        """Start reading texts aloud, in place of anything being said; returns at once."""
        voice_for(language)  # an unknown language fails here, in the caller, not in the thread
        with self._changed:
            self._silence()
            self._job = (sentences(texts), language)
            self._changed.notify_all()

    def stop(self) -> None:
        with self._changed:
            self._silence()

    def wait(self, timeout: float | None = None) -> bool:
        """Until all asked has been said (then the voice channel listens); False on timeout."""
        with self._changed:
            if not self._changed.wait_for(lambda: not self._working and not self._job, timeout):
                return False
        return self._output.wait(timeout)

    def louder(self) -> None:
        self._output.louder()

    def softer(self) -> None:
        self._output.softer()

    def slower(self) -> None:
        self._rate = RATES[max(RATES.index(self._rate) - 1, 0)]

    def faster(self) -> None:
        self._rate = RATES[min(RATES.index(self._rate) + 1, len(RATES) - 1)]

    def reset(self) -> None:
        """Session over: silence, default volume and rate, no audio or text kept."""
        with self._changed:
            self._silence()
            self._rate = DEFAULT_RATE
        self._output.reset()
        self._synthesiser.restart()

    def close(self) -> None:
        with self._changed:
            self._silence()
            self._closed = True
            self._changed.notify_all()
        self._thread.join()
        self._synthesiser.close()

    def _silence(self) -> None:
        """Drop the job and cut the output; called holding the lock, so no clip slips in after."""
        self._generation += 1
        self._job = None
        self._output.stop()

    def _run(self) -> None:
        while True:
            with self._changed:
                self._changed.wait_for(lambda: self._job or self._closed)
                if self._closed:
                    return
                (parts, language), self._job = self._job, None
                generation, self._working = self._generation, True
            try:
                self._speak(parts, language, generation)
            except (OSError, EOFError):  # the synthesiser failed twice: this screen stays silent
                log.exception("speech synthesis failed")
            finally:
                with self._changed:
                    self._working = False
                    self._changed.notify_all()

    def _speak(self, parts: list[str], language: str, generation: int) -> None:
        for part in parts:
            audio = self._synthesiser.synthesise(part, language, self._rate)
            with self._changed:
                if self._generation != generation:
                    return
                self._output.play(audio.samples, audio.rate)
