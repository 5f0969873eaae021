"""Text to speech: espeak-ng through pyttsx3, in a worker process, one sentence at a time."""

from __future__ import annotations

import json
import struct
import subprocess
import sys
import threading
from dataclasses import dataclass

# espeak-ng voice per kiosk language (`espeak-ng --voices`).
VOICES = {"fr": "roa/fr", "en": "gmw/en", "ar": "sem/ar"}
# Words per minute, slowest to fastest; ACCESSIBILITY.md asks for about 150 by default.
RATES = (105, 125, 150, 175, 200)
DEFAULT_RATE = 150


@dataclass(frozen=True)
class Audio:
    """16-bit signed little-endian mono PCM."""

    samples: bytes
    rate: int

    @property
    def seconds(self) -> float:
        return len(self.samples) / 2 / self.rate


def voice_for(language: str) -> str:
    """The espeak-ng voice for a language code such as "fr" or "fr-BE"."""
    base = language.split("-")[0].split("_")[0].lower()
    if base not in VOICES:
        raise ValueError(f"no voice for language {language!r}")
    return VOICES[base]


class Synthesiser:
    """Turns a sentence into audio through the espeak worker process; safe to share between threads.

    The worker starts at once, so its start-up is not paid by the first sentence. `restart()`
    ends the worker, with whatever text it last held, and starts a fresh one.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._worker = self._start()

    def synthesise(self, text: str, language: str, rate: int = DEFAULT_RATE) -> Audio:
        request = json.dumps({"text": text, "voice": voice_for(language), "rate": rate})
        with self._lock:
            try:
                return self._ask(request)
            except (OSError, EOFError, struct.error):
                # The worker died (a crash in the C library): one fresh worker, one more try.
                self._stop()
                self._worker = self._start()
                return self._ask(request)

    def restart(self) -> None:
        with self._lock:
            self._stop()
            self._worker = self._start()

    def close(self) -> None:
        with self._lock:
            self._stop()

    def _ask(self, request: str) -> Audio:
        stdin, stdout = self._worker.stdin, self._worker.stdout
        assert stdin and stdout
        stdin.write(request.encode() + b"\n")
        stdin.flush()
        rate, size = struct.unpack(">II", _read(stdout, 8))
        return Audio(_read(stdout, size), rate)

    @staticmethod
    def _start() -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [sys.executable, "-m", "kiosk.voice.espeak_worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )

    def _stop(self) -> None:
        worker = self._worker
        if worker.stdin:
            worker.stdin.close()
        try:
            worker.wait(timeout=1)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
        if worker.stdout:
            worker.stdout.close()


def _read(stream, size: int) -> bytes:
    data = stream.read(size)
    if len(data) != size:
        raise EOFError("espeak worker ended")
    return data
