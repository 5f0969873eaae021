"""The process that owns pyttsx3 and espeak-ng: `python -m kiosk.voice.espeak_worker`.

espeak-ng is a process-wide singleton (one voice, one callback), pyttsx3 applies voice and rate
asynchronously and prints to stdout after each file: a process of its own keeps all of that away
from the kiosk. Protocol: one JSON request per line on stdin ({"text", "voice", "rate"}); the
answer on stdout is a header (sample rate, byte count: two big-endian uint32) then 16-bit mono PCM.
"""

from __future__ import annotations

import io
import json
import os
import struct
import sys
import time
import wave

import pyttsx3
from pyttsx3.drivers import _espeak

SETTLE_S = 0.5  # longest wait for espeak to apply a voice or rate change


def main() -> None:
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    # pyttsx3 prints "Audio saved to …" after every synthesis: keep it off the protocol.
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    engine = pyttsx3.init("espeak")
    engine.runAndWait()  # before a first run, pyttsx3 queues property changes, not applies them
    for line in sys.stdin:
        request = json.loads(line)
        rate, pcm = synthesise(engine, request["text"], request["voice"], request["rate"])
        answers.write(struct.pack(">II", rate, len(pcm)) + pcm)
        answers.flush()


def synthesise(engine: pyttsx3.Engine, text: str, voice: str, rate: int) -> tuple[int, bytes]:
    """One utterance as (sample rate, PCM), synthesised once espeak is idle with voice and rate set.

    espeak-ng applies a rate change later, through its command queue, and pyttsx3 cancels that
    queue when it is not empty as a run starts: the change, or even the utterance, was lost about
    one time in three. Waiting for the queue to drain avoids it; an empty result is tried again.
    """
    engine.setProperty("voice", voice)
    engine.setProperty("rate", rate)
    deadline = time.monotonic() + SETTLE_S
    while _espeak.IsPlaying() or engine.getProperty("rate") != rate:
        if time.monotonic() > deadline:
            break
        time.sleep(0.0002)
    for _ in range(3):
        buffer = io.BytesIO()
        engine.save_to_file(text, buffer)
        engine.runAndWait()
        buffer.seek(0)
        with wave.open(buffer) as wav:
            if wav.getnframes():
                return wav.getframerate(), wav.readframes(wav.getnframes())
    return 22050, b""


if __name__ == "__main__":
    main()
