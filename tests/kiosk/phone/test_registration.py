"""The kiosk's line as an extension of the centre's IPBX: it registers with digest
authentication, here against SIPp (Debian's sip-tester) playing the registrar."""

from __future__ import annotations

import socket
import subprocess
import time
from pathlib import Path

from kiosk.phone.line import Account, PhoneLine
from tests.kiosk.phone.conftest import free_udp_port

REGISTRAR = Path(__file__).parent / "sipp" / "registrar.xml"


def registrar(port: int) -> subprocess.Popen[bytes]:
    """One registration, then SIPp exits: 0 if the kiosk answered the challenge right."""
    command = ["sipp", "-sf", str(REGISTRAR), "-i", "127.0.0.1", "-p", str(port)]
    command += ["-m", "1", "-timeout", "20s", "-nostdin"]
    ipbx = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while _free(port):  # listening: the first REGISTER must not be lost
        assert time.monotonic() < deadline, "SIPp did not start"
        time.sleep(0.02)
    return ipbx


def _free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def line_for(password: str, registrar_port: int) -> PhoneLine:
    account = Account(
        "sip:borne@127.0.0.1", ("127.0.0.1", registrar_port), user="borne", password=password
    )
    return PhoneLine(lambda call: None, ("127.0.0.1", free_udp_port()), account=account)


def test_the_line_registers_its_extension_with_the_right_password():
    port = free_udp_port()
    ipbx = registrar(port)
    line = line_for("secret", port).start()
    try:
        assert line.registered.wait(10)
        assert ipbx.wait(20) == 0
    finally:
        line.stop()
        ipbx.kill()


def test_a_wrong_password_is_refused_and_the_line_is_not_registered():
    port = free_udp_port()
    ipbx = registrar(port)
    line = line_for("wrong", port).start()
    try:
        ipbx.wait(20)  # it refused the answer to its challenge
        assert not line.registered.is_set()
    finally:
        line.stop()
        ipbx.kill()
