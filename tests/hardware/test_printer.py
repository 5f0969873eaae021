"""The receipt printer adapter against real python-escpos: a file backend and a network
printer stood in for by a local TCP server that answers the ESC/POS real-time status
requests (DLE EOT n) the way an Epson-compatible printer does."""

from __future__ import annotations

import re
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from escpos.printer import Dummy

from hardware.printer import PrinterError, ReceiptPrinter, open_printer

TITLE = "Rendez-vous à l’hôpital"
LINES = [
    TITLE,
    "Lundi 23 novembre 2026 à 10 h 30",
    "Docteur Françoise Lefèvre, généraliste",
    "12 rue de l'Hôtel-de-Ville, Douai",
    "Pour annuler, appelez le 03 27 00 00 00.",
    "Où ? Côté gare, à côté de la poste.",
    "À jeun. Évitez le café, pour le cœur.",
]
PRINTED_LINES = [line.replace("’", "'") for line in LINES]
ICAL = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//France Services//Borne//FR\r\n"
    "BEGIN:VEVENT\r\nUID:4f1c2a7e-0b7d-4d7e-9a51-3c2f0c9e8d11@kiosk\r\n"
    "DTSTAMP:20261123T090000Z\r\nDTSTART:20261123T093000Z\r\nDTEND:20261123T100000Z\r\n"
    "SUMMARY:Rendez-vous médical - Docteur Françoise Lefèvre\r\n"
    "LOCATION:12 rue de l'Hôtel-de-Ville\\, 59500 Douai\r\n"
    "DESCRIPTION:Pour annuler\\, appelez le 03 27 00 00 00.\r\n"
    "END:VEVENT\r\nEND:VCALENDAR\r\n"
)
CAPTION = "Ajoutez le rendez-vous à votre téléphone."

# Code pages that every ESC/POS printer of the trade holds (ESC t 0, 2, 16, 19).
COMMON_CODE_PAGES = {0, 2, 16, 19}
# Status bytes of an Epson-compatible printer (fixed bits 1 and 4 set):
# DLE EOT 1 printer status, bit 3 = offline; DLE EOT 4 roll paper, bits 2-3 near end, 5-6 end.
ONLINE, OFFLINE = 0x12, 0x1A
PAPER_OK, PAPER_OUT = 0x12, 0x72


def decode(output: bytes) -> tuple[str, set[int]]:
    """The text a printer shows: bytes decoded in the code page selected by each ESC t n."""
    code_pages = Dummy().profile.codePages
    parts = re.split(rb"\x1bt(.)", output, flags=re.S)
    text, pages = parts[0].decode("cp437", "replace"), set()
    for selector, chunk in zip(parts[1::2], parts[2::2], strict=True):
        page = selector[0]
        pages.add(page)
        text += chunk.decode(code_pages[str(page)].lower(), "replace")
    return text, pages


class StandInPrinter:
    """A network receipt printer on 127.0.0.1: keeps what it receives, answers DLE EOT n."""

    def __init__(self, *, paper: bool = True, answers: bool = True) -> None:
        self.replies = {1: ONLINE if paper else OFFLINE, 4: PAPER_OK if paper else PAPER_OUT}
        self.answers = answers
        self.jobs: list[bytes] = []
        self._server = socket.create_server(("127.0.0.1", 0))
        self.port = self._server.getsockname()[1]
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self._server.accept()
            except OSError:
                return
            with connection:
                self.jobs.append(self._receive(connection))

    def _receive(self, connection: socket.socket) -> bytes:
        received = b""
        while chunk := connection.recv(4096):
            start = len(received) - 2  # a request may straddle two chunks
            received += chunk
            for request in re.finditer(rb"\x10\x04([\x01-\x04])", received[max(start, 0) :]):
                if self.answers:
                    connection.sendall(bytes([self.replies.get(request.group(1)[0], ONLINE)]))
        return received

    def close(self) -> list[bytes]:
        """Stop listening once every connection has ended; the jobs received, in order."""
        self._server.close()
        self._thread.join(timeout=10)
        return self.jobs


@pytest.fixture
def network_printer(request: pytest.FixtureRequest) -> Iterator[StandInPrinter]:
    printer = StandInPrinter(**getattr(request, "param", {}))
    yield printer
    printer.close()


def printer_at(stand_in: StandInPrinter) -> ReceiptPrinter:
    return open_printer(f"tcp://127.0.0.1:{stand_in.port}", timeout=1.0)


def test_the_file_backend_prints_title_lines_qr_code_and_cut_in_that_order(tmp_path: Path):
    device = tmp_path / "lp0"
    open_printer(f"file://{device}").print_ticket(LINES, ICAL, qr_caption=CAPTION)
    output = device.read_bytes()
    text, _ = decode(output)

    positions = [text.index(line) for line in PRINTED_LINES]
    assert positions == sorted(positions)
    qr_data = b"1P0" + ICAL.encode()
    assert b"\x1d(k" + len(qr_data).to_bytes(2, "little") + qr_data in output
    assert text.index(CAPTION) > text.index(PRINTED_LINES[-1])
    assert output.index(b"\x1d(k") < output.rindex(b"\x1dV")
    assert output.rstrip().endswith(b"\x1dV\x00")


def test_accents_and_apostrophes_print_in_code_pages_every_printer_has(tmp_path: Path):
    device = tmp_path / "lp0"
    open_printer(f"file://{device}").print_ticket(LINES, None)
    text, pages = decode(device.read_bytes())

    for line in PRINTED_LINES:
        assert line in text
    assert "?" not in text.replace("Où ?", "")
    assert pages <= COMMON_CODE_PAGES


def test_the_title_is_bold_and_double_height_and_the_rest_is_normal(tmp_path: Path):
    device = tmp_path / "lp0"
    open_printer(f"file://{device}").print_ticket(["Votre rendez-vous", "Lundi"], None)
    output = device.read_bytes()

    title, lundi = output.index(b"Votre rendez-vous"), output.index(b"Lundi")

    assert b"\x1b!\x10" in output[:title]  # ESC ! double height
    assert b"\x1bE\x01" in output[:title]  # ESC E bold on
    assert b"\x1b!\x00" in output[title:lundi]
    assert b"\x1bE\x00" in output[title:lundi]


def test_long_lines_wrap_between_words_within_the_paper_width(tmp_path: Path):
    device = tmp_path / "lp0"
    address = "Maison France Services, 12 rue de l'Hôtel-de-Ville, 59500 Douai, deuxième étage"
    open_printer(f"file://{device}").print_ticket(["Adresse", address], None)
    text, _ = decode(device.read_bytes())

    printed = text[text.index("Maison") : text.index("étage") + len("étage")]
    assert printed.replace("\n", " ") == address
    assert all(len(row) <= 42 for row in printed.split("\n"))


def test_a_missing_device_file_means_no_printer(tmp_path: Path):
    printer = open_printer(f"file://{tmp_path / 'usb' / 'lp0'}")

    assert printer.status() == "no_printer"
    with pytest.raises(PrinterError) as failure:
        printer.print_ticket(LINES, ICAL)
    assert failure.value.reason == "no_printer"


def test_a_network_printer_with_paper_is_ready_and_prints_the_ticket(
    network_printer: StandInPrinter,
):
    printer = printer_at(network_printer)

    assert printer.status() == "ready"
    printer.print_ticket(LINES, ICAL, qr_caption=CAPTION)
    status_check, ticket = network_printer.close()

    assert status_check == b"\x10\x04\x01\x10\x04\x04"
    assert ticket.startswith(b"\x10\x04\x01\x10\x04\x04")
    text, _ = decode(ticket)
    assert all(line in text for line in PRINTED_LINES)
    assert ICAL.encode() in ticket
    assert b"\x1dV\x00" in ticket


@pytest.mark.parametrize("network_printer", [{"paper": False}], indirect=True)
def test_a_network_printer_without_paper_refuses_before_printing_anything(
    network_printer: StandInPrinter,
):
    printer = printer_at(network_printer)

    assert printer.status() == "no_paper"
    with pytest.raises(PrinterError) as failure:
        printer.print_ticket(LINES, ICAL)
    assert failure.value.reason == "no_paper"
    assert all(job == b"\x10\x04\x01\x10\x04\x04" for job in network_printer.close())


@pytest.mark.parametrize("network_printer", [{"answers": False}], indirect=True)
def test_a_network_printer_that_never_answers_is_reported_missing(
    network_printer: StandInPrinter,
):
    printer = open_printer(f"tcp://127.0.0.1:{network_printer.port}", timeout=0.3)

    assert printer.status() == "no_printer"
    with pytest.raises(PrinterError) as failure:
        printer.print_ticket(LINES, ICAL)
    assert failure.value.reason == "no_printer"
    assert all(TITLE.encode("cp437", "replace") not in job for job in network_printer.close())


def test_a_closed_network_port_means_no_printer():
    with socket.create_server(("127.0.0.1", 0)) as placeholder:
        port = placeholder.getsockname()[1]
    printer = open_printer(f"tcp://127.0.0.1:{port}", timeout=1.0)

    assert printer.status() == "no_printer"
    with pytest.raises(PrinterError) as failure:
        printer.print_ticket(LINES, ICAL)
    assert failure.value.reason == "no_printer"


def test_a_usb_printer_that_is_not_plugged_in_means_no_printer():
    printer = open_printer("usb://fffe:fffd", timeout=1.0)

    assert printer.status() == "no_printer"
    with pytest.raises(PrinterError) as failure:
        printer.print_ticket(LINES, ICAL)
    assert failure.value.reason == "no_printer"


def test_no_printer_configured_is_said_plainly():
    printer = open_printer("none")

    assert printer.status() == "no_printer"
    with pytest.raises(PrinterError) as failure:
        printer.print_ticket(LINES, ICAL)
    assert failure.value.reason == "no_printer"


@pytest.mark.parametrize(
    "address", ["", "lpt1", "usb://04b8", "usb://zz:01", "tcp://", "tcp://host:port", "file://x"]
)
def test_a_malformed_address_is_a_configuration_error(address: str):
    with pytest.raises(ValueError):
        open_printer(address)
