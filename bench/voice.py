"""The voice kiosk: from the end of a person's speech to the start of the spoken reply, and
how often an answer is understood right the first time.

Reply latency runs the real `Conversation` (endpointer, recogniser, dialogue, speaker writing
to a sink that plays at a loudspeaker's pace) over recorded answers fed as a microphone would:
the figure is the endpointer's wait for the end of speech (its trailing silence, spent in real
time by a person's microphone) plus the measured time from that moment to the first sentence
reaching the player. Whisper listens to the 20 human French clips of
../shared/realdata/fr_audio; vosk (Korean test model, the only one installable here) to
Korean words synthesised by espeak-ng, each with a grammar, as at a step.

Accuracy: a set of French answers synthesised by espeak-ng (several voices and speeds), read
by Whisper with the step's expected phrases, then by kiosk.voice.understanding.
"""

from __future__ import annotations

import subprocess
import tempfile
import time
import wave
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from bench.common import ROOT, summary_ms
from hardware.audio import Player
from kiosk.client.services import KioskServices, open_services
from kiosk.embedded_server import embedded_server
from kiosk.voice import understanding as u
from kiosk.voice.conversation import Conversation
from kiosk.voice.dialogue import Dialogue
from kiosk.voice.recognition.base import SAMPLE_RATE, Recogniser
from kiosk.voice.recognition.endpoint import Endpointer
from kiosk.voice.recognition.models import VOSK_TEST_MODEL, vosk_model_dir
from kiosk.voice.recognition.vosk import VoskRecogniser
from kiosk.voice.recognition.whisper import WhisperRecogniser
from kiosk.voice.speaker import Speaker
from kiosk.workflows.flow import Flow
from kiosk.workflows.journeys import JOURNEYS

HUMAN = ROOT.parent / "shared" / "realdata" / "fr_audio" / "speech_to_phrase_fr"
TARGETS_S = {"whisper": 1.0, "vosk": 0.3}  # reply p95 from the end of speech (issue 5)
TODAY = date(2026, 11, 23)  # birth dates said are read against it
KOREAN = ("안녕하세요", "네", "아니요", "감사합니다", "다시")
VOICES = (("fr", 140, 50), ("fr+m3", 150, 40), ("fr+f3", 130, 60))


# ------------------------------------------------------------------------ audio


def espeak(text: str, voice: str, speed: int, pitch: int) -> np.ndarray:
    """espeak-ng's speech as 16 kHz samples (band-limited resampling through the spectrum)."""
    with tempfile.NamedTemporaryFile(suffix=".wav") as out:
        command = ["espeak-ng", "-v", voice, "-s", str(speed), "-p", str(pitch), "-w", out.name]
        subprocess.run([*command, text], check=True)
        with wave.open(out.name) as wav:
            rate = wav.getframerate()
            samples = np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2")
    count = round(len(samples) * SAMPLE_RATE / rate)
    spectrum = np.fft.rfft(samples.astype(np.float64))[: count // 2 + 1]
    out = np.fft.irfft(spectrum, count) * count / len(samples)
    return np.clip(np.round(out), -32768, 32767).astype("<i2")


def human(path: Path) -> np.ndarray:
    with wave.open(str(path)) as wav:
        return np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2")


def blocks(samples: np.ndarray, ms: int = 30) -> list[bytes]:
    data = samples.astype("<i2").tobytes()
    size = SAMPLE_RATE * ms // 1000 * 2
    return [data[i : i + size] for i in range(0, len(data), size)]


# ------------------------------------------------------------------------ reply latency


def reply_latency(
    recogniser: Recogniser, clips: list[np.ndarray], services: KioskServices, folder: Path
) -> list[float]:
    """Seconds from the end of each clip's speech to the first sentence of the reply played."""
    player = Player(folder, headset="no")
    speaker = Speaker(player)
    endpointer = Endpointer()
    trailing = 0.7  # Endpointer's default wait, spent in real time at a real microphone
    turns: list[Any] = []
    conversation = Conversation(
        Dialogue(Flow(JOURNEYS, services)),
        recogniser,
        speaker,
        endpointer=endpointer,
        on_turn=turns.append,
    )
    conversation.run([])
    times = []
    quiet = np.zeros(round(1.5 * SAMPLE_RATE), dtype="<i2")
    for clip in clips:
        speaker.stop()
        player.wait()
        before = len(turns)
        for block in blocks(np.concatenate([quiet[:4800], clip, quiet])):
            started = time.perf_counter()
            conversation.feed(block)
            if len(turns) > before:
                while not player.playing:
                    time.sleep(0.0005)
                times.append(trailing + time.perf_counter() - started)
                break
    speaker.close()
    player.close()
    return times


# ------------------------------------------------------------------------ accuracy


def answer_set() -> list[tuple[str, str, Callable[[str], Any], Any]]:
    """(kind, what is said, how it is read, the value expected)."""
    cases: list[tuple[str, str, Callable[[str], Any], Any]] = []
    for said, value in (("oui", True), ("non", False), ("d'accord", True), ("pas du tout", False)):
        cases.append(("yes_no", said, u.yes_no, value))
    for said, value in (("un", 0), ("deux", 1), ("trois", 2), ("le premier", 0), ("le dernier", 4)):
        labels = ["Médecin généraliste", "Dentiste", "Kinésithérapeute", "Médecin des yeux", "Nom"]
        cases.append(("choice", said, lambda t, labels=labels: u.pick(t, labels), value))
    for said in ("répéter", "retour", "aide", "plus fort", "moins vite"):
        cases.append(("command", said, u.command, u.command(said)))
    phones = ("06 12 34 56 78", "07 81 23 45 67", "06 98 76 54 32")
    for phone in phones:
        said = ", ".join(_pair(pair) for pair in phone.split())
        cases.append(("digits", said, u.digits, phone.replace(" ", "")))
    for said, value in (
        ("le douze mars mille neuf cent cinquante", date(1950, 3, 12)),
        ("le premier avril mille neuf cent soixante", date(1960, 4, 1)),
    ):
        cases.append(("date", said, lambda t: u.spoken_date(t, TODAY, past=True), value))
    return cases


def _pair(pair: str) -> str:
    """ "06" → "zéro six", "12" → "douze": a phone number said by pairs."""
    return f"zéro {u.say(int(pair))}" if pair.startswith("0") else u.say(int(pair))


def accuracy(whisper: WhisperRecogniser) -> dict[str, Any]:
    right, by_kind, missed = 0, {}, []
    cases = answer_set()
    for voice, speed, pitch in VOICES:
        for kind, said, read, expected in cases:
            audio = espeak(said, voice, speed, pitch)
            utterance = whisper.listen(u.expected_phrases(kind if kind != "command" else "info"))
            utterance.feed(audio.tobytes())
            text = utterance.result().text
            ok = read(text) == expected
            right += ok
            total, good = by_kind.get(kind, (0, 0))
            by_kind[kind] = (total + 1, good + ok)
            if not ok:
                missed.append(f"{said!r} ({voice}) → {text!r}")
    count = len(cases) * len(VOICES)
    return {
        "answers": count,
        "understood_first_time_pct": round(100 * right / count, 1),
        "by_kind_pct": {k: round(100 * g / t) for k, (t, g) in by_kind.items()},
        "missed_examples": missed[:8],
        "meets_target": right / count >= 0.95,
    }


# ------------------------------------------------------------------------ the bench


def run() -> list[dict]:
    rows = []
    with (
        tempfile.TemporaryDirectory(prefix="kiosk-bench-voice-") as folder,
        embedded_server(Path(folder) / "server") as server,
    ):
        services = open_services(server.base_url, server.kiosk_token, Path(folder) / "kiosk")
        started = time.perf_counter()
        whisper = WhisperRecogniser.from_packages(Path(folder) / "models")
        whisper_load = time.perf_counter() - started
        clips = [human(path) for path in sorted(HUMAN.glob("*.wav"))]
        latency = summary_ms(reply_latency(whisper, clips, services, Path(folder) / "w"))
        rows.append(_latency_row("whisper", latency, whisper_load))
        started = time.perf_counter()
        vosk = VoskRecogniser(vosk_model_dir(VOSK_TEST_MODEL))
        vosk_load = time.perf_counter() - started
        korean = [espeak(word, "ko", 140, 50) for word in KOREAN * 4]
        latency = summary_ms(reply_latency(vosk, korean, services, Path(folder) / "v"))
        rows.append(_latency_row("vosk", latency, vosk_load))
        rows.append({"benchmark": "voice_accuracy", "engine": "whisper", **accuracy(whisper)})
    for row in rows:
        print(row)
    return rows


def _latency_row(engine: str, latency: dict[str, float], load_s: float) -> dict[str, Any]:
    return {
        "benchmark": "voice_reply",
        "engine": engine,
        "model_load_s": round(load_s, 2),
        **latency,
        "meets_target": latency["p95_ms"] / 1000 <= TARGETS_S[engine],
    }


if __name__ == "__main__":
    run()
