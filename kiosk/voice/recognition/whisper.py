"""Whisper (faster-whisper, CTranslate2 int8 on the CPU): free French, decoded at the end.

Whisper reads a whole clip at once, so an utterance only buffers audio and `result()` pays
the decoding (a fixed ~1 s on two cores). Short answers are weak on their own: the step's
expected phrases go in as the initial prompt, and short clips get silence around them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import numpy as np
from faster_whisper import WhisperModel

from kiosk.voice.recognition.base import SAMPLE_RATE, Heard
from kiosk.voice.recognition.models import whisper_base_dir


class WhisperRecogniser:
    """One loaded Whisper model, shared by every utterance for the life of the kiosk."""

    sample_rate = SAMPLE_RATE

    def __init__(
        self,
        model_dir: Path,
        *,
        language: str = "fr",
        beam_size: int = 2,
        threads: int = 2,
        padding: float = 0.4,
    ) -> None:
        self._model = WhisperModel(
            str(model_dir),
            device="cpu",
            compute_type="int8",
            cpu_threads=threads,
            local_files_only=True,
        )
        self._language, self._beam_size = language, beam_size
        self._padding = np.zeros(round(padding * SAMPLE_RATE), dtype=np.float32)
        # One decode at a time, in the background, started while the person may still go on.
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="whisper")

    @classmethod
    def from_packages(cls, cache: Path) -> WhisperRecogniser:
        """Whisper base from its PyPI packages, joined once into `cache`."""
        return cls(whisper_base_dir(cache))

    def listen(self, expected: Sequence[str]) -> WhisperUtterance:
        return WhisperUtterance(self, expected)

    def transcribe(self, samples: np.ndarray, expected: Sequence[str]) -> Heard:
        """Text of float32 samples in -1..1 at 16 kHz."""
        audio = np.concatenate([self._padding, samples, self._padding])
        segments, _ = self._model.transcribe(
            audio,
            language=self._language,
            beam_size=self._beam_size,
            # One pass only: the fallback to higher temperatures can take seconds more.
            temperature=0.0,
            without_timestamps=True,
            condition_on_previous_text=False,
            initial_prompt=", ".join(expected) or None,
        )
        segments = list(segments)
        text = " ".join(segment.text.strip() for segment in segments).strip()
        if not segments:
            return Heard("", None)
        mean_logprob = sum(s.avg_logprob for s in segments) / len(segments)
        return Heard(text, math.exp(mean_logprob))

    def decode_soon(self, samples: np.ndarray, expected: Sequence[str]) -> Future[Heard]:
        return self._worker.submit(self.transcribe, samples, expected)


class WhisperUtterance:
    """Buffers one answer; decodes it in a pause that may be its end, or when asked for it.

    The last decode started in a pause covers every word: the end of speech is a pause, and
    speech after an earlier pause starts a new decode at the next one.
    """

    def __init__(self, recogniser: WhisperRecogniser, expected: Sequence[str]) -> None:
        self._recogniser, self._expected = recogniser, tuple(expected)
        self._pcm = bytearray()
        self._early: Future[Heard] | None = None

    def feed(self, pcm: bytes) -> None:
        self._pcm += pcm

    def prepare(self) -> None:
        if self._early is not None:
            self._early.cancel()  # an earlier pause's decode, if it has not started yet
        self._early = self._recogniser.decode_soon(self._samples(), self._expected)

    def complete(self) -> bool:
        return False

    def result(self) -> Heard:
        early, self._early = self._early, None
        # Every decode goes through the recogniser's one worker: one model, one decode at a time.
        heard = (early or self._recogniser.decode_soon(self._samples(), self._expected)).result()
        self._pcm.clear()  # the person's voice is not kept once it is text
        return heard

    def _samples(self) -> np.ndarray:
        return np.frombuffer(bytes(self._pcm), dtype="<i2").astype(np.float32) / 32768
