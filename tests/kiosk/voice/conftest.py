import subprocess
import tempfile
import wave
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from hardware.audio import Player
from kiosk.voice.recognition.models import VOSK_TEST_MODEL, vosk_model_dir
from kiosk.voice.recognition.vosk import VoskRecogniser
from kiosk.voice.speaker import Speaker


@pytest.fixture
def sink(tmp_path: Path) -> Path:
    """Where the player writes what would have come out of the loudspeaker."""
    return tmp_path / "sink"


@pytest.fixture
def player(sink: Path) -> Iterator[Player]:
    player = Player(sink, headset="no")
    yield player
    player.close()


@pytest.fixture
def speaker(player: Player) -> Iterator[Speaker]:
    speaker = Speaker(player)
    yield speaker
    speaker.close()


def heard(folder: Path) -> list[np.ndarray]:
    """The clips written to a sink folder, in playing order (read once nothing is playing)."""
    clips = []
    for path in sorted(folder.glob("*.wav")):
        with wave.open(str(path)) as wav:
            clips.append(np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2"))
    return clips


def seconds(clips: list[np.ndarray], rate: int = 22050) -> float:
    return sum(len(clip) for clip in clips) / rate


def espeak_seconds(text: str, voice: str, rate: int) -> float:
    """The length espeak-ng's own command line gives the same text: the reference for a voice."""
    with tempfile.NamedTemporaryFile(suffix=".wav") as out:
        subprocess.run(
            ["espeak-ng", "-v", voice, "-s", str(rate), "-w", out.name, text], check=True
        )
        with wave.open(out.name) as wav:
            return wav.getnframes() / wav.getframerate()


# Each recogniser's model is loaded once per test session (Whisper's: tests/kiosk/conftest.py).
@pytest.fixture(scope="session")
def vosk_ko() -> VoskRecogniser:
    return VoskRecogniser(vosk_model_dir(VOSK_TEST_MODEL))
