"""The interface every recogniser keeps, so the dialogue never knows which engine listens."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from kiosk.workflows.parsers import fold

# Both engines and the voice-activity detector work at 16 kHz, 16-bit mono little-endian.
SAMPLE_RATE = 16000


@dataclass(frozen=True)
class Heard:
    """What was understood; `confidence` is in 0..1, or None when the engine gives none."""

    text: str
    confidence: float | None


class Utterance(Protocol):
    """One answer from one person: audio goes in while they speak, the text comes out once."""

    # True when words are recognised as the audio comes, so `complete()` may be asked at any
    # time; False when only a `prepare()` decodes them, and then only that pause's one counts.
    streaming: bool

    def feed(self, pcm: bytes) -> None:
        """Add 16-bit mono little-endian PCM at the recogniser's sample rate."""

    def prepare(self) -> None:
        """The person may have finished (a pause): an engine that decodes at the end may start
        on the audio fed so far, and `result()` will use the last such start. Call it again
        after more speech."""

    def complete(self) -> bool:
        """True when the words heard (by the last `prepare()`, for an engine that is not
        streaming) are already a whole expected answer: the end need not be waited for long."""

    def result(self) -> Heard:
        """The text of all audio fed; call once, when speech has ended."""


class Recogniser(Protocol):
    """An engine with its model loaded once and reused for every utterance."""

    sample_rate: int

    def listen(self, expected: Sequence[str]) -> Utterance:
        """Start an utterance; `expected` are the step's likely phrases (empty: anything)."""


class WholeAnswer:
    """Whether words heard are one of the step's expected phrases, whole: "plus" begins
    "plus fort", so it is not whole yet. Case, accents and punctuation do not count."""

    def __init__(self, expected: Sequence[str]) -> None:
        phrases = [_words(phrase) for phrase in expected]
        self._whole = frozenset(" ".join(words) for words in phrases)
        self._beginnings = frozenset(" ".join(w[:n]) for w in phrases for n in range(1, len(w)))

    def __call__(self, text: str) -> bool:
        said = " ".join(_words(text))
        return said in self._whole and said not in self._beginnings


def as_float(pcm: bytes) -> np.ndarray:
    """16-bit PCM as float32 samples in -1..1, as the neural models take them."""
    return np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", fold(text))
