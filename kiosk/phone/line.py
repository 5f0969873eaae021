"""The telephone line: a SIP user agent that answers calls, and each call's audio and keys.

SIP and RTP run on one asyncio loop in a thread of its own (aiosipua and aiortp, see
docs/phone.md for why these). Each call is handed to `on_call` as a `CallLine`, on a thread of
its own: what the caller says comes out of `CallLine.inbox` as 16 kHz PCM (the recogniser's
rate), the keys they press as one-character strings, and None when they hang up; what the
kiosk says goes in through `CallLine` as the speaker's output, at the line's 8 kHz.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soxr
from aiosipua import IncomingCall, Registration, SipDigestAuth, SipUAC, SipUAS
from aiosipua.rtp_bridge import CallSession
from aiosipua.transport import UdpSipTransport

from hardware.audio import Volume
from kiosk.voice.recognition.base import SAMPLE_RATE

log = logging.getLogger(__name__)

LINE_RATE = 8000  # G.711
FRAME_S = 0.02  # one RTP packet: 20 ms, 160 samples
_FRAME_BYTES = round(LINE_RATE * FRAME_S) * 2
_SILENCE = bytes(_FRAME_BYTES)
G711 = [0, 8]  # PCMU, PCMA
Item = bytes | str | None  # audio, a key, or the end of the call


@dataclass(frozen=True)
class Account:
    """An extension on an IPBX: the line registers there, and calls come through it."""

    uri: str  # sip:borne@pbx.example.org
    registrar: tuple[str, int]
    user: str
    password: str


def address(text: str, default_port: int = 5060) -> tuple[str, int]:
    """ "127.0.0.1:5062" or "pbx.example.org" as (host, port)."""
    host, _, port = text.rpartition(":") if ":" in text else (text, "", "")
    return host, int(port) if port else default_port


def account(uri: str, password_file: Path | None) -> Account:
    """An extension from "sip:USER@HOST[:PORT]" and the file holding its password."""
    user, _, host = uri.removeprefix("sip:").partition("@")
    if not user or not host:
        raise ValueError(f"--register: sip:USER@HOST expected, not {uri!r}")
    password = password_file.read_text().strip() if password_file else ""
    return Account(f"sip:{user}@{host}", address(host), user, password)


class CallLine:
    """One call: the caller's audio and keys in, the kiosk's voice out (a speaker Output)."""

    def __init__(self, loop: asyncio.AbstractEventLoop, call: IncomingCall) -> None:
        self.caller = call.caller  # the caller's SIP URI: its user part is often their number
        self.inbox: queue.Queue[Item] = queue.Queue()
        self._loop, self._call = loop, call
        self._upsample = soxr.ResampleStream(LINE_RATE, SAMPLE_RATE, 1, dtype="int16")
        self._frames: deque[bytes] = deque()
        self._volume = Volume()
        self._drained = threading.Condition()
        self.ended = False

    # ------------------------------------------------------------------ from the line (loop)

    def heard(self, pcm: bytes, _timestamp: int) -> None:
        self.inbox.put(self._upsample.resample_chunk(_samples(pcm)).tobytes())

    def pressed(self, key: str, _duration: int) -> None:
        self.inbox.put(key)

    def hung_up(self) -> None:
        self.ended = True
        self.stop()
        self.inbox.put(None)

    def next_frame(self) -> bytes:
        with self._drained:
            frame = self._frames.popleft() if self._frames else _SILENCE
            if not self._frames:
                self._drained.notify_all()
        return frame

    # ------------------------------------------------------------------ the speaker's Output

    @property
    def headset(self) -> bool:
        """A telephone is heard by the caller alone: codes may be read to them."""
        return True

    def play(self, samples: bytes, rate: int) -> None:
        pcm = soxr.resample(_samples(samples), rate, LINE_RATE).tobytes()
        pcm = self._volume.applied(pcm)
        with self._drained:
            for start in range(0, len(pcm), _FRAME_BYTES):
                self._frames.append(pcm[start : start + _FRAME_BYTES].ljust(_FRAME_BYTES, b"\0"))

    def stop(self) -> None:
        with self._drained:
            self._frames.clear()
            self._drained.notify_all()

    def wait(self, timeout: float | None = None) -> bool:
        with self._drained:
            return self._drained.wait_for(lambda: not self._frames, timeout)

    def louder(self) -> None:
        self._volume.louder()

    def softer(self) -> None:
        self._volume.softer()

    def reset(self) -> None:
        self.stop()
        self._volume.reset()

    # ------------------------------------------------------------------ from the call's thread

    def hang_up(self) -> None:
        """The kiosk ends the call (the session ended): BYE, then the line forgets it."""
        if not self.ended:
            self._loop.call_soon_threadsafe(self._call.hangup)
        self.hung_up()


class _UdpTransport(UdpSipTransport):
    """aiosipua's UDP transport, less its check that the loop's datagram transport is an
    `asyncio.DatagramTransport`: Python 3.11's is not one by class (3.12's is)."""

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        self._udp_transport, _ = await loop.create_datagram_endpoint(
            lambda: _Datagrams(self), local_addr=self.local_addr
        )


class _Datagrams(asyncio.DatagramProtocol):
    def __init__(self, owner: UdpSipTransport) -> None:
        self._owner = owner

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        self._owner._dispatch(data, (str(addr[0]), int(addr[1])))  # noqa: SLF001


class PhoneLine:
    """Answers SIP calls on `address` (and registers an `account` if given); one thread each."""

    def __init__(
        self,
        on_call: Callable[[CallLine], None],
        address: tuple[str, int] = ("127.0.0.1", 5060),
        *,
        media_ip: str | None = None,
        rtp_ports: Iterable[int] = range(40000, 40200, 2),  # each with the next one, for RTCP
        account: Account | None = None,
        most_calls: int = 4,
    ) -> None:
        self._on_call, self.address, self._account = on_call, address, account
        if media_ip is None and address[0] in ("0.0.0.0", "::"):
            raise ValueError("media_ip: the address callers send audio to is needed")
        self._media_ip = media_ip or address[0]
        self._free_ports = deque(rtp_ports)
        self._most_calls = most_calls
        # A thread per call at most `most_calls` at once: a further caller hears "busy".
        self._talking = ThreadPoolExecutor(most_calls, thread_name_prefix="call")
        self._calls: dict[str, tuple[CallLine, asyncio.Task[None]]] = {}
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self.registered = threading.Event()  # the IPBX took the extension (with an account)
        self._stopping: asyncio.Event | None = None
        self._thread = threading.Thread(target=self._run, name="sip", daemon=True)

    def start(self) -> PhoneLine:
        self._thread.start()
        self._ready.wait()
        return self

    def stop(self) -> None:
        if self._stopping is not None:
            self._loop.call_soon_threadsafe(self._stopping.set)
        self._thread.join()
        self._talking.shutdown(wait=True)  # each call's session ended and forgotten

    def _run(self) -> None:
        self._loop.run_until_complete(self._serve())

    async def _serve(self) -> None:
        self._stopping = asyncio.Event()
        transport = _UdpTransport(local_addr=self.address)
        uac = SipUAC(transport)
        uas = SipUAS(transport, uac=uac, user_agent="health-kiosk")
        uas.on_invite = lambda call: asyncio.ensure_future(self._answer(call))
        uas.on_bye = lambda call, _request: self._hung_up(call.call_id)
        uas.on_cancel = lambda request, _addr: self._hung_up(request.call_id)
        await uas.start()
        registration = self._register(uac)
        self._ready.set()
        await self._stopping.wait()
        if registration is not None:
            registration.unregister()
        for line, sending in list(self._calls.values()):
            line.hang_up()
            await sending
        await uas.stop()

    def _register(self, uac: SipUAC) -> Registration | None:
        if self._account is None:
            return None
        account = self._account
        auth = SipDigestAuth(account.user, account.password)
        registration = Registration(uac, account.uri, account.registrar, auth=auth)
        registration.on_registered = lambda _: self.registered.set()
        registration.on_failed = lambda _, status, reason: log.error(
            "the IPBX refused the extension: %s %s", status, reason
        )
        registration.register()
        return registration

    async def _answer(self, call: IncomingCall) -> None:
        if call.sdp_offer is None:
            call.reject(488)
            return
        if len(self._calls) >= self._most_calls:
            call.reject(486)  # busy
            return
        for _ in range(len(self._free_ports)):
            port = self._free_ports.popleft()
            try:
                rtp = CallSession(self._media_ip, port, call.sdp_offer, supported_codecs=G711)
            except ValueError:  # no G.711 offered, or no audio
                self._free_ports.append(port)
                call.reject(488)
                return
            try:
                await rtp.start()
            except OSError:  # the port (or the next one, for RTCP) is taken: try another
                self._free_ports.append(port)
                continue
            break
        else:
            call.reject(486)  # busy: no media port free
            return
        line = CallLine(self._loop, call)
        rtp.on_audio, rtp.on_dtmf = line.heard, line.pressed
        call.accept(rtp.sdp_answer)
        sending = asyncio.ensure_future(self._send(call.call_id, line, rtp, port))
        self._calls[call.call_id] = (line, sending)
        self._talking.submit(self._take, line)

    def _take(self, line: CallLine) -> None:
        try:
            self._on_call(line)
        except Exception as error:  # one call's failure must not end the line (nor log words)
            log.error("a call ended on %s", type(error).__name__)
            line.hang_up()

    async def _send(self, call_id: str, line: CallLine, rtp: CallSession, port: int) -> None:
        """The kiosk's voice, one packet every 20 ms, silence in between (a steady stream),
        until either side hangs up; then the call's media is closed and its port freed."""
        next_at = self._loop.time()
        try:
            while not line.ended:
                rtp.rtp_session.send_audio_pcm_auto(line.next_frame())
                next_at += FRAME_S
                await asyncio.sleep(max(0.0, next_at - self._loop.time()))
        finally:
            self._calls.pop(call_id, None)
            await rtp.close()
            self._free_ports.append(port)

    def _hung_up(self, call_id: str | None) -> None:
        if (entry := self._calls.get(call_id or "")) is not None:
            entry[0].hung_up()


def _samples(pcm: bytes) -> np.ndarray:
    return np.frombuffer(pcm, dtype="<i2")
