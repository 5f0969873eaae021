import time
from pathlib import Path

import numpy as np
import pytest

from hardware.audio import DEFAULT_VOLUME, Player
from kiosk.voice.speaker import Speaker, sentences
from kiosk.voice.speech import DEFAULT_RATE, Synthesiser
from tests.kiosk.voice.conftest import heard, seconds

SCREEN = ["Pour qui est le rendez-vous ?", "Pour moi.", "Pour mon enfant.", "Pour un proche."]
LONG = [
    "Votre rendez-vous est confirmé.",
    "Il a lieu mardi 13 octobre 2026 à 14 h 30.",
    "Le médecin vous attend au cabinet de la place de la mairie.",
    "Venez avec votre carte Vitale.",
    "Pour annuler, appelez le cabinet la veille au plus tard.",
]


def test_a_screen_is_cut_into_sentences_to_start_speaking_early():
    assert sentences(["Bonjour. Touchez le bouton.", "Êtes-vous toujours là ?\nJe continue"]) == [
        "Bonjour.",
        "Touchez le bouton.",
        "Êtes-vous toujours là ?",
        "Je continue",
    ]


def test_a_french_screen_is_heard_in_full_sentence_by_sentence(
    speaker: Speaker, player: Player, sink: Path
):
    speaker.say(SCREEN, "fr")

    assert speaker.wait(timeout=30)
    clips = heard(sink)
    assert len(clips) == 4
    assert all(np.abs(clip).max() > 1000 for clip in clips)
    assert 3 < seconds(clips) < 12


def test_stop_cuts_a_long_text_short(
    speaker: Speaker, player: Player, sink: Path, synthesiser: Synthesiser
):
    full = sum(synthesiser.synthesise(part, "fr").seconds for part in sentences(LONG))
    speaker.say(LONG, "fr")
    assert _until(lambda: started(sink))
    time.sleep(0.5)

    speaker.stop()

    assert not player.playing
    assert seconds(heard(sink)) < full / 2
    assert speaker.wait(timeout=5)
    assert seconds(heard(sink)) < full / 2


def test_a_new_say_replaces_what_is_being_said(speaker: Speaker, player: Player, sink: Path):
    speaker.say(LONG, "fr")
    assert _until(lambda: started(sink))

    speaker.say(["Hello."], "en")

    assert speaker.wait(timeout=30)
    clips = heard(sink)
    assert len(clips) <= 3  # the French text was abandoned after a sentence or two
    assert 0.3 < seconds(clips[-1:]) < 1.5  # and the last words heard were the English ones


def test_slower_speech_lasts_longer(tmp_path: Path):
    lengths = []
    for steps in ("slower", "faster"):
        player = Player(tmp_path / steps)
        speaker = Speaker(player)
        getattr(speaker, steps)()
        getattr(speaker, steps)()
        speaker.say(["Choisissez une réponse."], "fr")
        assert speaker.wait(timeout=30)
        lengths.append(seconds(heard(tmp_path / steps)))
        speaker.close()
        player.close()

    assert lengths[0] > lengths[1] * 1.4


def test_rate_stops_at_its_slowest_and_fastest_steps(speaker: Speaker):
    for _ in range(10):
        speaker.slower()
    slowest = speaker.rate
    for _ in range(10):
        speaker.faster()

    assert slowest < DEFAULT_RATE < speaker.rate


def test_reset_leaves_no_audio_and_default_settings(speaker: Speaker, player: Player, sink: Path):
    speaker.louder()
    speaker.slower()
    speaker.say(LONG, "fr")
    assert _until(lambda: started(sink))

    speaker.reset()

    assert heard(sink) == []
    assert not player.playing
    assert (speaker.rate, player.volume) == (DEFAULT_RATE, DEFAULT_VOLUME)
    speaker.say(["Bonjour."], "fr")  # the next person is spoken to as usual
    assert speaker.wait(timeout=30)
    assert len(heard(sink)) == 1


def test_louder_and_softer_change_the_volume_step(speaker: Speaker, player: Player):
    speaker.louder()
    assert player.volume == DEFAULT_VOLUME + 1
    speaker.softer()
    speaker.softer()
    assert player.volume == DEFAULT_VOLUME - 1


@pytest.mark.parametrize(("setting", "expected"), [("yes", True), ("no", False)])
def test_the_speaker_reports_the_configured_headset(tmp_path: Path, setting: str, expected: bool):
    player = Player(tmp_path, headset=setting)
    speaker = Speaker(player)

    assert speaker.headset is expected
    speaker.close()
    player.close()


def test_an_unknown_language_is_refused_at_once(speaker: Speaker):
    with pytest.raises(ValueError):
        speaker.say(["Bonjour."], "xx")


def started(sink: Path) -> bool:
    return any(sink.glob("*.wav"))


def _until(condition, timeout: float = 20.0) -> bool:
    """Waits for something the test needs to have happened (not a timing assertion)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True
