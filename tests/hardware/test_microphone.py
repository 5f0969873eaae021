"""The microphone: this machine has no sound card, which is what a kiosk without one sees."""

import pytest

from hardware.microphone import NoMicrophone, microphone


def test_without_an_input_device_the_microphone_says_so_before_any_audio():
    with pytest.raises(NoMicrophone):
        next(microphone())
