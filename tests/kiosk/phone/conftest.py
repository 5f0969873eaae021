"""The kiosk's telephone line on 127.0.0.1, against the live server, and a real telephone
(baresip) to call it."""

from __future__ import annotations

import queue
import random
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.client.services import KioskServices
from kiosk.phone.call import take_call
from kiosk.phone.line import CallLine, PhoneLine
from kiosk.voice.dialogue import Turn
from kiosk.voice.recognition.whisper import WhisperRecogniser
from kiosk.workflows.flow import Flow, View
from kiosk.workflows.journeys import JOURNEYS
from server.clock import utcnow
from tests.kiosk.conftest import PHONE
from tests.kiosk.phone.baresip import Baresip


class Kiosk:
    """The line and what it said: each turn of each call, with the view it was at."""

    def __init__(self, line: PhoneLine) -> None:
        self.line = line
        self.turns: queue.Queue[tuple[Turn, View]] = queue.Queue()  # of every call
        self.turns_of: dict[str, queue.Queue[tuple[Turn, View]]] = {}  # by caller (SIP user)
        self.sent: list[bytes] = []  # the last call's packets of voice, as they left (8 kHz)

    @property
    def uri(self) -> str:
        host, port = self.line.address
        return f"sip:borne@{host}:{port}"

    def next_turn(self, phone: Baresip | None = None, timeout: float = 15.0) -> tuple[Turn, View]:
        """The kiosk's next turn in any call, or in this telephone's call."""
        turns = self.turns_of.setdefault(phone.user, queue.Queue()) if phone else self.turns
        return turns.get(timeout=timeout)


@pytest.fixture
def kiosk_line(services: KioskServices, whisper: WhisperRecogniser) -> Iterator[Kiosk]:
    def new_flow(caller: str | None) -> Flow:
        person = KioskServices(services.api, services.outbox, services.replica)
        return Flow(JOURNEYS, person, today=lambda: utcnow().date(), caller=caller)

    kiosk: Kiosk | None = None

    def answer(call: CallLine) -> None:
        assert kiosk is not None
        kiosk.sent.clear()
        next_frame = call.next_frame

        def sending() -> bytes:
            kiosk.sent.append(next_frame())
            return kiosk.sent[-1]

        call.next_frame = sending  # type: ignore[method-assign]
        user = call.caller.removeprefix("sip:").partition("@")[0]

        def on_turn(turn: Turn, view: View) -> None:
            assert kiosk is not None
            kiosk.turns.put((turn, view))
            kiosk.turns_of.setdefault(user, queue.Queue()).put((turn, view))

        take_call(call, new_flow, whisper, on_turn)

    line = PhoneLine(
        answer,
        ("127.0.0.1", free_udp_port()),
        rtp_ports=free_rtp_ports(4),
    )
    kiosk = Kiosk(line.start())
    yield kiosk
    line.stop()


@pytest.fixture
def caller(tmp_path: Path) -> Iterator[Baresip]:
    """A telephone whose number is not shown (its SIP user is a name)."""
    phone = Baresip(tmp_path / "baresip", free_udp_port(), free_tcp_port())
    yield phone
    phone.close()


@pytest.fixture
def mobile(tmp_path: Path) -> Iterator[Baresip]:
    """The returning person's mobile, calling: its number comes with the call."""
    phone = Baresip(tmp_path / "mobile", free_udp_port(), free_tcp_port(), user=PHONE)
    yield phone
    phone.close()


def free_udp_port() -> int:
    return _free_port(socket.SOCK_DGRAM)


def free_tcp_port() -> int:
    return _free_port(socket.SOCK_STREAM)


def _free_port(kind: socket.SocketKind) -> int:
    """A port free now, below the range the system hands out to outgoing connections: a
    port from that range could be taken by the next HTTP request before baresip binds it."""
    lowest_ephemeral = int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    while True:
        port = random.randrange(20000, lowest_ephemeral - 1)
        with socket.socket(socket.AF_INET, kind) as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port


def free_rtp_ports(count: int) -> list[int]:
    """Even ports whose next one is free too (RTCP)."""
    ports: list[int] = []
    while len(ports) < count:
        port = free_udp_port() & ~1
        with (
            socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as rtp,
            socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as rtcp,
        ):
            try:
                rtp.bind(("127.0.0.1", port))
                rtcp.bind(("127.0.0.1", port + 1))
            except OSError:
                continue
        ports.append(port)
    return ports
