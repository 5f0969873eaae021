"""Speech output: how soon a screen starts to be heard, and how fast espeak-ng synthesises.

Time to first audio runs from `Speaker.say` (what a screen calls on entry) to the moment the
first sentence reaches the player, through the real worker process and a real player writing
to a sink folder (no sound card here: the sink paces itself like one). The screen is a typical
one: a question and three options, in French.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from bench.common import summary_ms
from hardware.audio import Player
from kiosk.voice.speaker import Speaker, sentences
from kiosk.voice.speech import Synthesiser

SCREEN = ["Pour qui est le rendez-vous ?", "Pour moi", "Pour mon enfant", "Pour un proche"]
RUNS = 20
TARGET_MS = 100.0  # issue 5: time to first audio of speech ≤ 100 ms


def first_audio(speaker: Speaker, player: Player, since: float | None = None) -> float:
    """Seconds from say() (or from `since`) to the first sentence handed to the player."""
    start = time.perf_counter() if since is None else since
    speaker.say(SCREEN, "fr")
    while not player.playing:
        time.sleep(0.0002)
    elapsed = time.perf_counter() - start
    speaker.stop()
    return elapsed


def real_time_factor(synthesiser: Synthesiser) -> tuple[float, float]:
    """Synthesis time over audio length for the screen's sentences, and the audio length."""
    spent = heard = 0.0
    for _ in range(RUNS):
        for part in sentences(SCREEN):
            start = time.perf_counter()
            audio = synthesiser.synthesise(part, "fr")
            spent += time.perf_counter() - start
            heard += audio.seconds
    return spent / heard, heard / RUNS


def run() -> list[dict]:
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-speech-") as folder:
        started = time.perf_counter()
        synthesiser = Synthesiser()
        player = Player(Path(folder))
        speaker = Speaker(player, synthesiser)
        cold = first_audio(speaker, player, since=started)  # the worker process starting too
        times = [first_audio(speaker, player) for _ in range(RUNS)]
        rtf, screen_seconds = real_time_factor(synthesiser)
        speaker.close()
        player.close()
    timing = summary_ms(times)
    row = {
        "benchmark": "speech",
        "runs": RUNS,
        "first_audio_p50_ms": timing["p50_ms"],
        "first_audio_p95_ms": timing["p95_ms"],
        "first_audio_cold_ms": round(cold * 1000, 1),
        "synthesis_rtf": round(rtf, 4),
        "screen_audio_s": round(screen_seconds, 2),
        "meets_target": timing["p95_ms"] <= TARGET_MS,
    }
    print(f"\n{'speech (fr, question + 3 options)':<36} value")
    for key, value in row.items():
        if key != "benchmark":
            print(f"  {key:<34} {value}")
    return [row]


if __name__ == "__main__":
    run()
