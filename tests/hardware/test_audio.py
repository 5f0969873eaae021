import time
import wave
from pathlib import Path

import numpy as np
import pytest

from hardware.audio import (
    DEFAULT_VOLUME,
    VOLUME_STEPS_DB,
    Player,
    headset_connected,
    jack_plugged,
)

RATE = 16000


def tone(seconds: float, amplitude: int = 10000) -> bytes:
    t = np.arange(int(seconds * RATE)) / RATE
    return (amplitude * np.sin(2 * np.pi * 440 * t)).astype("<i2").tobytes()


def played(folder: Path) -> list[np.ndarray]:
    clips = []
    for path in sorted(folder.glob("*.wav")):
        with wave.open(str(path)) as wav:
            assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, RATE)
            clips.append(np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2"))
    return clips


@pytest.fixture
def player(tmp_path: Path):
    player = Player(tmp_path)
    yield player
    player.close()


def test_clips_are_played_in_order_and_whole(player: Player, tmp_path: Path):
    player.play(tone(0.3), RATE)
    player.play(tone(0.1), RATE)

    assert player.wait(timeout=10)
    assert [len(clip) for clip in played(tmp_path)] == [int(0.3 * RATE), int(0.1 * RATE)]


def test_the_volume_step_is_applied_as_gain(player: Player, tmp_path: Path):
    for _ in VOLUME_STEPS_DB:
        player.louder()
    player.play(tone(0.1), RATE)
    player.wait(timeout=10)
    for _ in VOLUME_STEPS_DB:
        player.softer()
    player.play(tone(0.1), RATE)
    player.wait(timeout=10)

    loudest, softest = (np.abs(clip).max() for clip in played(tmp_path))
    assert loudest == pytest.approx(10000, abs=10)
    assert softest == pytest.approx(10000 * 10 ** (VOLUME_STEPS_DB[0] / 20), abs=10)


def test_stop_cuts_playback_and_forgets_the_queue(player: Player, tmp_path: Path):
    player.play(tone(5.0), RATE)
    player.play(tone(5.0), RATE)
    while not any(tmp_path.glob("*.wav")):
        time.sleep(0.01)

    player.stop()

    assert not player.playing
    clips = played(tmp_path)
    assert len(clips) == 1 and len(clips[0]) < 5.0 * RATE


def test_reset_deletes_the_audio_and_restores_the_volume(player: Player, tmp_path: Path):
    player.louder()
    player.play(tone(0.2), RATE)
    player.wait(timeout=10)

    player.reset()

    assert list(tmp_path.iterdir()) == []
    assert player.volume == DEFAULT_VOLUME


def test_without_a_sound_card_or_a_folder_the_audio_goes_to_a_private_folder_removed_at_close():
    player = Player()
    player.play(tone(0.05), RATE)
    assert player.wait(timeout=10)
    assert player.sink is not None and len(list(player.sink.glob("*.wav"))) == 1

    player.close()

    assert not player.sink.exists()


@pytest.mark.parametrize(("setting", "expected"), [("yes", True), ("no", False)])
def test_a_configured_headset_is_believed(setting: str, expected: bool):
    assert headset_connected(setting) is expected


@pytest.mark.skipif(Path("/proc/asound/cards").exists(), reason="this machine has a sound card")
def test_auto_headset_detection_without_a_sound_card_says_no_headset():
    assert headset_connected("auto") is False


def test_an_unknown_headset_setting_is_refused(tmp_path: Path):
    with pytest.raises(ValueError):
        Player(tmp_path, headset="maybe")


AMIXER = """numid=22,iface=CARD,name='Headphone Jack'
  ; type=BOOLEAN,access=r-------,values=1
  : values={headphone}
numid=21,iface=CARD,name='Internal Mic Phantom Jack'
  ; type=BOOLEAN,access=r-------,values=1
  : values=on
numid=2,iface=MIXER,name='Headphone Playback Switch'
  ; type=BOOLEAN,access=rw------,values=2
  : values=on,on
"""


def test_the_headphone_jack_state_is_read_from_amixer():
    assert jack_plugged(AMIXER.format(headphone="on")) is True
    assert jack_plugged(AMIXER.format(headphone="off")) is False
    assert jack_plugged("") is False
