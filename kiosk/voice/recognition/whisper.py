"""Whisper (faster-whisper, CTranslate2 int8 on the CPU): free French, decoded at the end.

Whisper reads a whole clip at once, so an utterance only buffers audio and `result()` pays
the decoding. Short answers are weak on their own: the step's expected phrases go in as the
initial prompt, and short clips get silence around them.

Whisper was trained on 30 s windows, and faster-whisper pads every clip to 30 s: the encoder
then costs ~0.6 s on two cores for a one-word answer. A kiosk answer lasts a few seconds, so
the encoder here reads a shorter window (`context` seconds, more for a longer answer) filled
with silence: about 0.1 s. Whisper's own checks stay: a likely silence is no answer, and a
text that loops is decoded again over the whole window.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import ctranslate2
import numpy as np
from faster_whisper import WhisperModel
from faster_whisper.tokenizer import Tokenizer
from faster_whisper.transcribe import get_compression_ratio

from kiosk.voice.recognition.base import SAMPLE_RATE, Heard, WholeAnswer, as_float
from kiosk.voice.recognition.models import whisper_base_dir

FRAMES_PER_SECOND = 100  # Whisper's log-mel frames: 10 ms apart
# What a short window lets Whisper write: French answers say about three words a second.
TOKENS_PER_SECOND = 8
TOKENS_AT_LEAST = 12
# Whisper's thresholds (openai-whisper's transcribe defaults) for a decode not to trust.
NO_SPEECH = 0.6
UNSURE = -1.0
REPETITIVE = 2.4


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
        context: float = 15.0,
    ) -> None:
        self._model = WhisperModel(
            str(model_dir),
            device="cpu",
            compute_type="int8",
            cpu_threads=threads,
            local_files_only=True,
        )
        self._language, self._beam_size, self._context = language, beam_size, context
        self._tokenizer = Tokenizer(
            self._model.hf_tokenizer, multilingual=True, task="transcribe", language=language
        )
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
        prompt = ", ".join(expected) or None
        # The window is filled with digital silence, as Whisper's 30 s windows are.
        seconds = min(30, max(self._context, math.ceil(len(audio) / SAMPLE_RATE)))
        window = np.zeros(round(seconds * SAMPLE_RATE), dtype=np.float32)
        window[: len(audio)] = audio[: len(window)]
        features = self._model.feature_extractor(window, padding=0)
        features = np.ascontiguousarray(features[:, : round(seconds * FRAMES_PER_SECOND)])
        encoded = self._model.model.encode(ctranslate2.StorageView.from_array(features[None]))
        tokens = self._model.get_prompt(
            self._tokenizer,
            self._tokenizer.encode(" " + prompt) if prompt else [],
            without_timestamps=True,
        )
        spoken = len(audio) / SAMPLE_RATE
        result = self._model.model.generate(
            encoded,
            [tokens],
            beam_size=self._beam_size,
            max_length=min(
                self._model.max_length,
                len(tokens) + TOKENS_AT_LEAST + round(TOKENS_PER_SECOND * spoken),
            ),
            return_scores=True,
            return_no_speech_prob=True,
            suppress_blank=True,
            suppress_tokens=[-1],
        )[0]
        written = result.sequences_ids[0]
        text = self._tokenizer.decode(written).strip()
        logprob = result.scores[0] * len(written) / (len(written) + 1)
        # Whisper's own rules (openai-whisper's defaults): likely no speech and an unsure
        # text is silence; a text that repeats itself is a loop, worth the whole window.
        if not text or (result.no_speech_prob > NO_SPEECH and logprob < UNSURE):
            return Heard("", None)
        if get_compression_ratio(text) > REPETITIVE:
            return self._whole_window(audio, prompt)
        return Heard(text, math.exp(logprob))

    def _whole_window(self, audio: np.ndarray, prompt: str | None) -> Heard:
        """faster-whisper's own transcription, over Whisper's whole 30 s window."""
        segments, _ = self._model.transcribe(
            audio,
            language=self._language,
            beam_size=self._beam_size,
            # One pass only: the fallback to higher temperatures can take seconds more.
            temperature=0.0,
            without_timestamps=True,
            condition_on_previous_text=False,
            initial_prompt=prompt,
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

    streaming = False

    def __init__(self, recogniser: WhisperRecogniser, expected: Sequence[str]) -> None:
        self._recogniser, self._expected = recogniser, tuple(expected)
        self._whole = WholeAnswer(expected)
        self._pcm = bytearray()
        self._early: Future[Heard] | None = None

    def feed(self, pcm: bytes) -> None:
        self._pcm += pcm

    def prepare(self) -> None:
        if self._early is not None:
            self._early.cancel()  # an earlier pause's decode, if it has not started yet
        self._early = self._recogniser.decode_soon(self._samples(), self._expected)

    def complete(self) -> bool:
        """The decode started in this pause is done and gave a whole expected phrase."""
        early = self._early
        if early is None or not early.done() or early.cancelled():
            return False
        return self._whole(early.result().text)

    def result(self) -> Heard:
        early, self._early = self._early, None
        # Every decode goes through the recogniser's one worker: one model, one decode at a time.
        heard = (early or self._recogniser.decode_soon(self._samples(), self._expected)).result()
        self._pcm.clear()  # the person's voice is not kept once it is text
        return heard

    def _samples(self) -> np.ndarray:
        return as_float(bytes(self._pcm))
