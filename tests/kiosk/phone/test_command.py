"""`kiosk phone`, as an operator starts it: its own demo server, Whisper, a line on an address."""

from __future__ import annotations

import signal
import subprocess
import sys

from tests.kiosk.phone.baresip import Baresip
from tests.kiosk.phone.conftest import free_udp_port


def test_kiosk_phone_answers_calls_until_stopped(whisper, models, caller: Baresip):
    port = free_udp_port()
    command = [sys.executable, "-m", "kiosk", "phone", "--listen", f"127.0.0.1:{port}"]
    kiosk = subprocess.Popen([*command, "--models", str(models)], stderr=subprocess.PIPE, text=True)
    try:
        assert kiosk.stderr is not None
        for line in kiosk.stderr:  # the demo server's address, then the line's
            if line.startswith("Ligne téléphonique"):
                break
        caller.dial(f"sip:borne@127.0.0.1:{port}")
        caller.press("1")
        kiosk.send_signal(signal.SIGINT)  # the operator stops it: calls are ended first
        caller.wait_for("CALL_CLOSED")
        assert kiosk.wait(30) == 0
    finally:
        kiosk.kill()


def test_listening_everywhere_needs_the_address_put_in_sdp():
    command = [sys.executable, "-m", "kiosk", "phone", "--listen", "0.0.0.0:5060"]
    refused = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert refused.returncode == 2 and "--media-ip" in refused.stderr


def test_an_extension_without_a_host_is_refused_in_one_line():
    command = [sys.executable, "-m", "kiosk", "phone", "--register", "borne"]
    refused = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert refused.returncode == 2 and "sip:USER@HOST" in refused.stderr
    assert "Traceback" not in refused.stderr
