"""Audio for the voice tests: speech made by espeak-ng, human clips, microphone-sized chunks."""

from __future__ import annotations

import subprocess
import tempfile
import unicodedata
import wave
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from kiosk.voice.recognition.base import SAMPLE_RATE
from tests.conftest import REALDATA

HUMAN_CLIPS = REALDATA / "fr_audio" / "speech_to_phrase_fr"
# The commands that work at every step (ACCESSIBILITY.md, "Voice dialogue"), plus yes and no.
COMMANDS = (
    "oui",
    "non",
    "annuler",
    "répéter",
    "retour",
    "aide",
    "arrêter",
    "plus fort",
    "moins vite",
)


def speak(text: str, voice: str = "fr", speed: int = 140, pitch: int = 50) -> np.ndarray:
    """espeak-ng's speech for `text` as 16 kHz int16 samples, without its silent ends."""
    with tempfile.NamedTemporaryFile(suffix=".wav") as out:
        subprocess.run(
            ["espeak-ng", "-v", voice, "-s", str(speed), "-p", str(pitch), "-w", out.name, text],
            check=True,
        )
        with wave.open(out.name) as wav:
            rate = wav.getframerate()
            samples = np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2")
    sounded = np.flatnonzero(np.abs(samples) > 100)
    return resample(samples[sounded[0] : sounded[-1] + 1], rate)


def resample(samples: np.ndarray, rate: int) -> np.ndarray:
    """Band-limited resampling to 16 kHz through the spectrum (no scipy or sox here)."""
    if rate == SAMPLE_RATE:
        return samples
    count = round(len(samples) * SAMPLE_RATE / rate)
    spectrum = np.fft.rfft(samples.astype(np.float64))[: count // 2 + 1]
    out = np.fft.irfft(spectrum, count) * count / len(samples)
    return np.clip(np.round(out), -32768, 32767).astype("<i2")


def silence(seconds: float) -> np.ndarray:
    return np.zeros(round(seconds * SAMPLE_RATE), dtype="<i2")


def read_clip(path: Path) -> np.ndarray:
    with wave.open(str(path)) as wav:
        assert (wav.getframerate(), wav.getnchannels(), wav.getsampwidth()) == (SAMPLE_RATE, 1, 2)
        return np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2")


def words(text: str) -> list[str]:
    """Lower case, no accents, no punctuation: "Répéter !" gives ["repeter"]."""
    folded = unicodedata.normalize("NFD", text.casefold())
    plain = "".join(c if c.isalnum() else " " for c in folded if not unicodedata.combining(c))
    return plain.split()


def chunks(samples: np.ndarray, ms: int = 30) -> Iterator[bytes]:
    """Audio as a microphone gives it: small blocks, one after the other."""
    data = samples.astype("<i2").tobytes()
    size = SAMPLE_RATE * ms // 1000 * 2
    for offset in range(0, len(data), size):
        yield data[offset : offset + size]
