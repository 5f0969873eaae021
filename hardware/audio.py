"""Sound output: 16-bit mono PCM to the sound card, or to WAV files when there is none.

Playback runs in a thread of its own, in blocks of 20 ms, so `stop()` silences within a block.
Volume is a gain in steps, applied block by block, so a change is heard at once.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import threading
import time
import wave
from collections import deque
from pathlib import Path

import numpy as np

# Gain steps in decibels, softest to loudest; the default leaves two steps of headroom.
VOLUME_STEPS_DB = (-20.0, -16.0, -12.0, -8.0, -4.0, 0.0)
DEFAULT_VOLUME = 3
BLOCK_S = 0.02
HEADSET_SETTINGS = ("auto", "yes", "no")
# A control block of `amixer contents`: the jack's name line, its "; type" and ": values" lines.
_JACK = re.compile(
    r"iface=CARD,name='[^']*Headphone[^']*Jack'[^\n]*\n(?:\s+;[^\n]*\n)*\s+: values=(\w+)"
)


class Player:
    """Plays clips one after the other; `sink` (a folder) forces WAV files instead of a device.

    Without a sink and without an output device, clips go to WAV files in a private temporary
    folder. Files are written at the pace of real playback, so a stopped clip is cut short there
    too. `reset()` ends a session: silence, default volume, no clip and no file left.
    """

    def __init__(
        self, sink: Path | None = None, *, device: int | str | None = None, headset: str = "auto"
    ) -> None:
        if headset not in HEADSET_SETTINGS:
            raise ValueError(f"headset must be one of {HEADSET_SETTINGS}, not {headset!r}")
        self._headset_setting = headset
        self._volume = Volume()
        self._queue: deque[tuple[bytes, int]] = deque()
        self._generation = 0  # bumped by stop(): the clip being played is then dropped
        self._busy = False
        self._closed = False
        self._changed = threading.Condition()
        if sink is None and _output_device_exists(device):
            self._out: _Output = _DeviceOutput(device)
        else:
            self._out = _SinkOutput(sink)
        self._thread = threading.Thread(target=self._run, name="audio-player", daemon=True)
        self._thread.start()

    @property
    def volume(self) -> int:
        """The volume step, 0 (softest) to len(VOLUME_STEPS_DB) - 1."""
        return self._volume.step

    @property
    def sink(self) -> Path | None:
        """The folder of WAV files played to, or None when a sound card plays."""
        return self._out.folder if isinstance(self._out, _SinkOutput) else None

    @property
    def headset(self) -> bool:
        """Whether private information may be spoken: read anew each time (a jack can change)."""
        return headset_connected(self._headset_setting)

    @property
    def playing(self) -> bool:
        with self._changed:
            return self._busy or bool(self._queue)

    def play(self, samples: bytes, rate: int) -> None:
        """Queue a clip (16-bit signed little-endian mono) after those already waiting."""
        with self._changed:
            self._queue.append((samples, rate))
            self._changed.notify_all()

    def stop(self) -> None:
        """Silence now and forget queued clips; returns once the current block has ended."""
        with self._changed:
            self._generation += 1
            self._queue.clear()
            self._changed.notify_all()
            self._changed.wait_for(lambda: not self._busy, timeout=1.0)

    def wait(self, timeout: float | None = None) -> bool:
        """Until every queued clip has been played; False if the timeout came first."""
        with self._changed:
            return self._changed.wait_for(lambda: not self._busy and not self._queue, timeout)

    def louder(self) -> None:
        self._volume.louder()

    def softer(self) -> None:
        self._volume.softer()

    def reset(self) -> None:
        """End of a session: silence, default volume, and no audio kept in memory or on disk."""
        self.stop()
        self._volume.reset()
        self._out.forget()

    def close(self) -> None:
        self.reset()
        with self._changed:
            self._closed = True
            self._changed.notify_all()
        self._thread.join()
        self._out.close()

    def _run(self) -> None:
        while True:
            with self._changed:
                self._changed.wait_for(lambda: self._queue or self._closed)
                if self._closed:
                    return
                samples, rate = self._queue.popleft()
                generation, self._busy = self._generation, True
            try:
                self._play(samples, rate, generation)
            finally:
                with self._changed:
                    self._busy = False
                    self._changed.notify_all()

    def _play(self, samples: bytes, rate: int, generation: int) -> None:
        step = int(rate * BLOCK_S) * 2
        self._out.begin(rate)
        cut = False
        for start in range(0, len(samples), step):
            if self._generation != generation:
                cut = True
                break
            self._out.write(self._volume.applied(samples[start : start + step]))
        self._out.end(cut)


def headset_connected(setting: str = "auto") -> bool:
    """ "yes"/"no" as configured; "auto" reads the headphone jacks of the ALSA cards.

    Nothing readable (no card, no amixer, no jack control) counts as no headset: private
    information then stays off the loudspeaker.
    """
    if setting != "auto":
        return setting == "yes"
    cards = Path("/proc/asound/cards")
    if not cards.exists() or shutil.which("amixer") is None:
        return False
    for number in re.findall(r"^\s*(\d+)\s", cards.read_text(), flags=re.MULTILINE):
        try:
            out = subprocess.run(
                ["amixer", "-c", number, "contents"], capture_output=True, text=True, timeout=1
            ).stdout
        except (OSError, subprocess.TimeoutExpired):
            continue
        if jack_plugged(out):
            return True
    return False


def jack_plugged(amixer_contents: str) -> bool:
    """Whether `amixer contents` shows a headphone jack control that is on."""
    return any(value == "on" for value in _JACK.findall(amixer_contents))


class Volume:
    """A volume in steps (VOLUME_STEPS_DB), one step at a time: what "plus fort" changes."""

    def __init__(self) -> None:
        self.step = DEFAULT_VOLUME

    def louder(self) -> None:
        self.step = min(self.step + 1, len(VOLUME_STEPS_DB) - 1)

    def softer(self) -> None:
        self.step = max(self.step - 1, 0)

    def reset(self) -> None:
        self.step = DEFAULT_VOLUME

    def applied(self, block: bytes) -> bytes:
        """16-bit PCM made softer by this step's gain."""
        factor = 10 ** (VOLUME_STEPS_DB[self.step] / 20)
        if factor == 1.0:
            return block
        scaled = np.frombuffer(block, dtype="<i2").astype(np.float32) * factor
        return np.clip(scaled, -32768, 32767).astype("<i2").tobytes()


def _output_device_exists(device: int | str | None) -> bool:
    try:
        import sounddevice
    except OSError:  # no PortAudio library
        return False
    try:
        return sounddevice.query_devices(device, "output")["max_output_channels"] > 0
    except (ValueError, sounddevice.PortAudioError):
        return False


class _Output:
    """Where blocks go: one clip is begin(), write()…, end(cut)."""

    def begin(self, rate: int) -> None: ...
    def write(self, block: bytes) -> None: ...
    def end(self, cut: bool) -> None: ...
    def forget(self) -> None: ...
    def close(self) -> None: ...


class _DeviceOutput(_Output):
    """A PortAudio stream, kept open between clips of the same rate (opening one takes time)."""

    def __init__(self, device: int | str | None) -> None:
        self._device = device
        self._stream = None

    def begin(self, rate: int) -> None:
        import sounddevice

        if self._stream is not None and self._stream.samplerate != rate:
            self.close()
        if self._stream is None:
            self._stream = sounddevice.RawOutputStream(
                samplerate=rate, channels=1, dtype="int16", device=self._device, latency="low"
            )
        if not self._stream.active:
            self._stream.start()

    def write(self, block: bytes) -> None:
        self._stream.write(block)

    def end(self, cut: bool) -> None:
        if cut:
            self._stream.abort()  # drops what PortAudio still holds: silence now

    def forget(self) -> None:
        if self._stream is not None:
            self._stream.abort()

    def close(self) -> None:
        if self._stream is not None:
            self._stream.close()
            self._stream = None


class _SinkOutput(_Output):
    """WAV files numbered in playing order, written at the pace of real playback."""

    def __init__(self, folder: Path | None) -> None:
        self._own = folder is None
        self.folder = Path(tempfile.mkdtemp(prefix="kiosk-audio-")) if folder is None else folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self._count = 0
        self._wav: wave.Wave_write | None = None
        self._rate = 0
        self._written = 0
        self._started = 0.0

    def begin(self, rate: int) -> None:
        self._count += 1
        # Opened here, closed in end(): a clip's file spans several calls.
        self._wav = wave.open(str(self.folder / f"{self._count:04d}.wav"), "wb")  # noqa: SIM115
        self._wav.setnchannels(1)
        self._wav.setsampwidth(2)
        self._wav.setframerate(rate)
        self._rate, self._written, self._started = rate, 0, time.monotonic()

    def write(self, block: bytes) -> None:
        assert self._wav is not None
        self._wav.writeframes(block)
        self._written += len(block) // 2
        ahead = self._started + self._written / self._rate - time.monotonic()
        if ahead > 0:
            time.sleep(ahead)

    def end(self, cut: bool) -> None:
        if self._wav is not None:
            self._wav.close()
            self._wav = None

    def forget(self) -> None:
        for path in self.folder.glob("[0-9][0-9][0-9][0-9].wav"):
            path.unlink()
        self._count = 0

    def close(self) -> None:
        if self._own:
            shutil.rmtree(self.folder, ignore_errors=True)
