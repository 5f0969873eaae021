"""The voice kiosk: from the end of a person's speech to the start of the spoken reply, and
how often an answer is understood right the first time.

Reply latency runs the real `Conversation` (endpointer, recogniser, dialogue, speaker writing
to a sink that plays at a loudspeaker's pace) over recorded answers fed at a microphone's pace:
the figure is the time from the end of the answer's speech to the first sentence of the reply
reaching the player. Whisper listens to the 20 human French clips of
../shared/realdata/fr_audio; vosk (Korean test model, the only one installable here) to
Korean words synthesised by espeak-ng, with those words as the step's grammar.

Accuracy: a few hundred French answers synthesised by espeak-ng (three voices, speeds and
pitches) and by two neural voices (Kokoro-82M reading espeak-ng's French phonemes), read by
Whisper with the step's expected phrases, then by kiosk.voice.understanding
as the dialogue reads them.
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

from bench.common import summary_ms
from hardware.audio import Player
from kiosk.client.services import KioskServices, open_services
from kiosk.embedded_server import embedded_server
from kiosk.voice import understanding as u
from kiosk.voice.conversation import Conversation
from kiosk.voice.dialogue import Dialogue
from kiosk.voice.recognition.base import SAMPLE_RATE, Recogniser, Utterance
from kiosk.voice.recognition.models import VOSK_TEST_MODEL, vosk_model_dir
from kiosk.voice.recognition.vosk import VoskRecogniser
from kiosk.voice.recognition.whisper import WhisperRecogniser
from kiosk.voice.speaker import Speaker
from kiosk.voice.understanding.answers import COMMANDS, NO, YES
from kiosk.voice.understanding.sounds import closed_set, understood
from kiosk.workflows.flow import Flow
from kiosk.workflows.journeys import JOURNEYS
from tests.kiosk.voice.audio import (
    HUMAN_CLIPS,
    NEURAL_VOICES,
    chunks,
    read_clip,
    silence,
    speak,
    speak_neural,
)
from tests.kiosk.voice.person import said_by_pairs, said_digit_by_digit

TARGETS_S = {"whisper": 1.0, "vosk": 0.3}  # reply p95 from the end of speech (issue 5)
TODAY = date(2026, 11, 23)  # birth dates said are read against it
KOREAN = ("안녕하세요", "네", "아니요", "감사합니다", "다시")
# Who says the answers: espeak-ng's voice at three speeds and pitches, and two neural voices.
SPEAKERS: dict[str, Callable[[str], np.ndarray]] = {
    "espeak fr": partial(speak, voice="fr", speed=140, pitch=50),
    "espeak fr+m3": partial(speak, voice="fr+m3", speed=150, pitch=40),
    "espeak fr+f3": partial(speak, voice="fr+f3", speed=130, pitch=60),
}
SPEAKERS |= {f"kokoro {voice}": partial(speak_neural, voice=voice) for voice in NEURAL_VOICES}


# ------------------------------------------------------------------------ reply latency


def reply_latency(
    recogniser: Recogniser, clips: list[np.ndarray], services: KioskServices, folder: Path
) -> list[float]:
    """Seconds from the end of each clip's speech to the first sentence of the reply played.

    Audio is fed in 30 ms blocks at a microphone's pace (each block when its 30 ms are over),
    so whatever the kiosk starts during a pause has the time it would have with a person.
    """
    player = Player(folder, headset="no")
    speaker = Speaker(player)
    turns: list[Any] = []
    conversation = Conversation(
        Dialogue(Flow(JOURNEYS, services)), recogniser, speaker, on_turn=turns.append
    )
    conversation.run([])
    times = []
    lead, quiet = silence(0.3), silence(1.5)
    for clip in clips:
        speaker.stop()
        player.wait()
        before = len(turns)
        start = time.perf_counter()
        end_of_speech = start + (len(lead) + speech_end(clip)) / SAMPLE_RATE
        arrives = start
        for block in chunks(np.concatenate([lead, clip, quiet])):
            arrives += len(block) / (2 * SAMPLE_RATE)  # when a microphone has this block
            time.sleep(max(0.0, arrives - time.perf_counter()))
            conversation.feed(block)
            if len(turns) > before:
                while not player.playing:
                    time.sleep(0.0005)
                times.append(float(time.perf_counter() - end_of_speech))
                break
    speaker.close()
    player.close()
    return times


def speech_end(clip: np.ndarray) -> int:
    """The sample where the last 10 ms louder than a twentieth of the loudest ends."""
    frames = clip[: len(clip) // 160 * 160].astype(np.float64).reshape(-1, 160)
    loudness = np.sqrt((frames**2).mean(axis=1))
    loud = np.flatnonzero(loudness > loudness.max() / 20)
    return (loud[-1] + 1) * 160 if len(loud) else 0


# ------------------------------------------------------------------------ accuracy


SPECIALTIES = ["Médecin généraliste", "Dentiste", "Kinésithérapeute", "Médecin des yeux", "Nom"]
PHONES = ("06 12 34 56 78", "07 81 23 45 67", "06 98 76 54 32", "06 40 50 60 70", "07 11 22 33 44")
DATES = (
    ("le douze mars mille neuf cent cinquante", date(1950, 3, 12)),
    ("le premier avril mille neuf cent soixante", date(1960, 4, 1)),
    ("trois mars cinquante", date(1950, 3, 3)),
    ("le vingt et un juin mille neuf cent quarante-cinq", date(1945, 6, 21)),
    ("le quinze août deux mille", date(2000, 8, 15)),
    ("le trente et un décembre mille neuf cent quatre-vingt-dix-neuf", date(1999, 12, 31)),
)


def answer_set() -> list[tuple[str, str, Callable[[str], Any], Any]]:
    """(kind, what is said, how it is read, the value expected): every yes and no variant,
    choices by number, rank and name, the commands, phone numbers by pairs and digit by
    digit, codes, birth dates."""
    cases: list[tuple[str, str, Callable[[str], Any], Any]] = []
    cases += [("yes_no", said, u.yes_no, True) for said in YES]
    cases += [("yes_no", said, u.yes_no, False) for said in NO]
    choices = [u.say(n) for n in range(1, 6)] + ["le premier", "le deuxième", "le dernier"]
    choices += [label.lower() for label in SPECIALTIES]
    for said in choices:
        cases.append(
            ("choice", said, partial(u.pick, labels=SPECIALTIES), u.pick(said, SPECIALTIES))
        )
    for name, phrases in COMMANDS.items():
        cases += [("command", said, u.command, name) for said in phrases[:3]]
    for phone in PHONES:
        number = phone.replace(" ", "")
        cases.append(("digits", said_by_pairs(number), u.digits, number))
        cases.append(("digits", said_digit_by_digit(number), u.digits, number))
    for code in ("123456", "470912", "808080"):
        cases.append(("digits", said_digit_by_digit(code), u.digits, code))
    for said, day in DATES:
        cases.append(("date", said, partial(u.spoken_date, today=TODAY, past=True), day))
    return cases


def accuracy(whisper: WhisperRecogniser) -> dict[str, Any]:
    """Each answer read as the dialogue reads it: at a step whose answers are all known
    (yes/no, choices, commands said there), a near miss is taken for the phrase it sounds like,
    among the step's expected phrases and the other ways of saying a command, yes or no."""
    by_kind: dict[str, list[bool]] = {}
    by_speaker: dict[str, list[bool]] = {}
    missed = []
    for name, say in SPEAKERS.items():
        for kind, said, read, expected in answer_set():
            step = "choice" if kind == "command" else kind
            phrases = u.expected_phrases(step, SPECIALTIES if step == "choice" else ())
            utterance = whisper.listen(phrases)
            utterance.feed(say(said).tobytes())
            text = utterance.result().text
            closed = kind in ("yes_no", "choice", "command")
            known = closed_set(phrases, yes_no=kind == "yes_no") if closed else []
            ok = understood(text, read, known) == expected
            by_kind.setdefault(kind, []).append(ok)
            by_speaker.setdefault(name, []).append(ok)
            if not ok:
                missed.append(f"{said!r} ({name}) → {text!r}")
    every = [ok for oks in by_speaker.values() for ok in oks]
    return {
        "answers": len(every),
        "understood_first_time_pct": _percent(every),
        "by_kind_pct": {kind: _percent(oks) for kind, oks in by_kind.items()},
        "by_speaker_pct": {name: _percent(oks) for name, oks in by_speaker.items()},
        "missed_examples": missed[:: max(1, len(missed) // 8)][:8],
        "meets_target": sum(every) / len(every) >= 0.95,
    }


def _percent(oks: list[bool]) -> float:
    return round(100 * sum(oks) / len(oks), 1)


# ------------------------------------------------------------------------ memory


def kiosk_memory(server: Any, folder: Path, engine: list[str]) -> float:
    """Peak resident memory (MB) of `kiosk voice` with its speech worker, from start to end of
    a visit: the model loaded, the welcome said, a recorded answer heard, the reply said."""
    command = [sys.executable, "-m", "kiosk", "voice", *engine, "--headset", "no"]
    command += ["--input", str(HUMAN_CLIPS / "annuler.wav"), "--data", str(folder / "kiosk")]
    command += ["--server", server.base_url, "--token", server.kiosk_token]
    kiosk = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0.0
    while kiosk.poll() is None:
        peak = max(peak, sum(_rss_mb(pid) for pid in _process_tree(kiosk.pid)))
        time.sleep(0.02)
    return round(peak)


def _process_tree(pid: int) -> list[int]:
    tree, i = [pid], 0
    while i < len(tree):
        for task in Path(f"/proc/{tree[i]}/task").glob("*"):
            with contextlib.suppress(OSError):  # the process ended meanwhile
                tree += [int(child) for child in (task / "children").read_text().split()]
        i += 1
    return tree


def _rss_mb(pid: int) -> float:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    rss = [line.split()[1] for line in status.splitlines() if line.startswith("VmRSS")]
    return int(rss[0]) / 1024 if rss else 0.0


# ------------------------------------------------------------------------ the bench


class KoreanStep:
    """vosk listening for the Korean words, wherever the dialogue is: the test model knows no
    French, so a French step's grammar would leave it nothing to recognise."""

    def __init__(self, vosk: VoskRecogniser) -> None:
        self.vosk, self.sample_rate = vosk, vosk.sample_rate

    def listen(self, expected: Sequence[str]) -> Utterance:
        return self.vosk.listen(KOREAN)


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
        clips = [read_clip(path) for path in sorted(HUMAN_CLIPS.glob("*.wav"))]
        latency = summary_ms(reply_latency(whisper, clips, services, Path(folder) / "w"))
        rows.append(_latency_row("whisper", latency, whisper_load))
        started = time.perf_counter()
        vosk = VoskRecogniser(vosk_model_dir(VOSK_TEST_MODEL))
        vosk_load = time.perf_counter() - started
        korean = [speak(word, "ko") for word in KOREAN * 4]
        latency = summary_ms(reply_latency(KoreanStep(vosk), korean, services, Path(folder) / "v"))
        rows.append(_latency_row("vosk", latency, vosk_load))
        whisper_args = ["--models", str(Path(folder) / "models")]
        vosk_args = ["--engine", "vosk", "--model", str(vosk_model_dir(VOSK_TEST_MODEL))]
        rows.append(
            {
                "benchmark": "voice_memory",
                "whisper_peak_rss_mb": kiosk_memory(server, Path(folder), whisper_args),
                "vosk_korean_peak_rss_mb": kiosk_memory(server, Path(folder), vosk_args),
            }
        )
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
        "meets_target": bool(latency["p95_ms"] / 1000 <= TARGETS_S[engine]),
    }


if __name__ == "__main__":
    run()
