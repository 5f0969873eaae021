"""Sound input: the kiosk's microphone as 16 kHz 16-bit mono blocks, as recognisers want.

Blocks are handed over through a bounded queue: if the recogniser falls behind, the oldest
audio is dropped rather than the kiosk's memory growing. Nothing is recorded to disk.
"""

from __future__ import annotations

import queue
from collections.abc import Iterator

RATE = 16_000
BLOCK_S = 0.03  # webrtcvad's frame length
_KEPT_BLOCKS = 200  # six seconds of audio at most waiting to be read


class NoMicrophone(RuntimeError):
    """No input device (or no PortAudio): the voice channel cannot listen here."""


def microphone(device: int | str | None = None) -> Iterator[bytes]:
    """Blocks of audio from the input device until the caller stops iterating."""
    try:
        import sounddevice
    except OSError as missing:  # no PortAudio library
        raise NoMicrophone(str(missing)) from missing
    try:
        if sounddevice.query_devices(device, "input")["max_input_channels"] < 1:
            raise NoMicrophone("the device has no input")
    except (ValueError, sounddevice.PortAudioError) as error:
        raise NoMicrophone(str(error)) from error
    blocks: queue.Queue[bytes] = queue.Queue(maxsize=_KEPT_BLOCKS)

    def arrived(data: bytes, frames: int, time: object, status: object) -> None:
        if blocks.full():
            blocks.get_nowait()
        blocks.put_nowait(bytes(data))

    with sounddevice.RawInputStream(
        samplerate=RATE,
        blocksize=round(RATE * BLOCK_S),
        device=device,
        channels=1,
        dtype="int16",
        callback=arrived,
    ):
        while True:
            yield blocks.get()
