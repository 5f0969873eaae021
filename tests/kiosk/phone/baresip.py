"""A real SIP telephone for the tests: baresip (Debian's baresip-core) on 127.0.0.1.

It is driven through its ctrl_tcp module (netstring-framed JSON commands and events): it dials
the kiosk, presses keys (RFC 4733 telephone-events, as a desk phone sends them), says a WAV file
(its aufile source, switched per answer) and hangs up. Its sndfile module records what it heard,
the kiosk's prompts, into a WAV file per call.
"""

from __future__ import annotations

import json
import queue
import socket
import subprocess
import threading
import time
import wave
from pathlib import Path

import numpy as np

CONFIG = """\
poll_method		epoll
sip_listen		127.0.0.1:{sip_port}
net_interface		127.0.0.1
audio_player		alsa,null
audio_alert		alsa,null
audio_source		aufile,{quiet}
module_path		/usr/lib/baresip/modules
module			g711.so
module			aufile.so
module			alsa.so
module			sndfile.so
module			account.so
module			menu.so
module			ctrl_tcp.so
ctrl_tcp_listen		127.0.0.1:{control_port}
snd_path		{recordings}
"""
RATE = 8000


class Baresip:
    """One baresip process with one account, sip:USER@127.0.0.1 (not registered)."""

    def __init__(
        self,
        folder: Path,
        sip_port: int,
        control_port: int,
        user: str = "caller",
        codec: str = "PCMU",  # offered alone: PCMU or PCMA (G.711 µ-law or A-law)
    ) -> None:
        self.folder, self.user = folder, user
        self.recordings = folder / "recordings"
        self.recordings.mkdir(parents=True, exist_ok=True)
        self.quiet = folder / "quiet.wav"
        write_wav(self.quiet, np.zeros(RATE * 600, dtype=np.int16))  # a long silence
        config = CONFIG.format(
            sip_port=sip_port,
            control_port=control_port,
            quiet=self.quiet,
            recordings=self.recordings,
        )
        (folder / "config").write_text(config)
        account = f"<sip:{user}@127.0.0.1>;regint=0;audio_codecs={codec}/8000/1"
        (folder / "accounts").write_text(account + "\n")
        self._process = subprocess.Popen(
            ["baresip", "-f", str(folder)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self._socket = _connect(control_port)
        self.events: queue.Queue[dict] = queue.Queue()
        self._said = 0
        threading.Thread(target=self._read, daemon=True, name="baresip").start()

    def close(self) -> None:
        self._socket.close()
        self._process.terminate()
        self._process.wait(timeout=10)

    # ------------------------------------------------------------------ commands

    def dial(self, uri: str) -> None:
        self._command("dial", uri)
        self.wait_for("CALL_ESTABLISHED")

    def press(self, keys: str) -> None:
        for key in keys:
            self._command("sndcode", key)
            time.sleep(0.25)  # a finger's pace; baresip sends each as a 100 ms event

    def say(self, samples: np.ndarray) -> None:
        """Say a recorded answer (8 kHz samples) into the call, then go quiet again; returns
        once it has been said (with a second of silence after it, as a person pauses)."""
        self._said += 1
        path = self.folder / f"said-{self._said}.wav"
        # baresip hangs up when a source file ends: the file holds more silence than is
        # played before the switch back to the long quiet one.
        write_wav(path, np.concatenate([samples, np.zeros(3 * RATE, dtype=np.int16)]))
        self._command("ausrc", f"aufile,{path}")
        time.sleep(len(samples) / RATE + 1.0)
        self._command("ausrc", f"aufile,{self.quiet}")

    def hang_up(self) -> None:
        self._command("hangup")
        self.wait_for("CALL_CLOSED")

    def wait_for(self, kind: str, timeout: float = 10.0) -> dict:
        deadline = time.monotonic() + timeout
        seen = []  # told in the failure: what the telephone did instead
        while (left := deadline - time.monotonic()) > 0:
            try:
                event = self.events.get(timeout=left)
            except queue.Empty:
                break
            if event.get("type") == kind:
                return event
            seen.append(event.get("type") or event.get("response") or event)
        alive = "running" if self._process.poll() is None else f"exited {self._process.poll()}"
        raise TimeoutError(f"baresip ({alive}): no {kind} within {timeout} s; saw {seen}")

    def heard(self) -> np.ndarray:
        """What the last call brought to the caller's ear (8 kHz samples), once it is closed."""
        [path] = sorted(self.recordings.glob("*-dec.wav"))[-1:]
        with wave.open(str(path)) as recording:
            return np.frombuffer(recording.readframes(recording.getnframes()), dtype="<i2")

    def _command(self, command: str, params: str = "") -> None:
        body = json.dumps({"command": command, "params": params, "token": command}).encode()
        self._socket.sendall(str(len(body)).encode() + b":" + body + b",")

    def _read(self) -> None:
        buffer = b""
        while True:
            try:
                data = self._socket.recv(65536)
            except OSError:
                return
            if not data:
                return
            buffer += data
            while b":" in buffer:
                size, _, rest = buffer.partition(b":")
                if len(rest) < int(size) + 1:
                    break
                self.events.put(json.loads(rest[: int(size)]))
                buffer = rest[int(size) + 1 :]


def write_wav(path: Path, samples: np.ndarray, rate: int = RATE) -> None:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(samples.astype("<i2").tobytes())


def _connect(port: int) -> socket.socket:
    deadline = time.monotonic() + 10
    while True:
        try:
            return socket.create_connection(("127.0.0.1", port))
        except ConnectionRefusedError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
