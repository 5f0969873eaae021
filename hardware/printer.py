"""ESC/POS receipt printer: prints one appointment ticket, or says clearly why it cannot.

The connection is opened for each ticket and closed right after, because a kiosk's printer
may be switched off or unplugged between two people, and so that nothing of a ticket stays
in this process. Every failure becomes a PrinterError whose reason the screens can explain.
"""

from __future__ import annotations

import logging
import textwrap
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Literal
from urllib.parse import unquote, urlsplit

from escpos.constants import QR_ECLEVEL_M
from escpos.escpos import Escpos
from escpos.exceptions import DeviceNotFoundError
from escpos.magicencode import Encoder, MagicEncode
from escpos.printer import File, Network, Usb

Reason = Literal["no_printer", "no_paper", "failed"]
Status = Literal["ready", "no_paper", "no_printer"]

log = logging.getLogger(__name__)

NETWORK_PORT = 9100  # the raw printing port of network receipt printers
QR_MODULE_DOTS = 4  # 0.5 mm modules at 203 dpi: read by phones, fits 58 mm paper
# The Latin code pages that nearly every ESC/POS printer holds (PC437, PC850, PC858,
# WPC1252): they cover French. Left free, python-escpos picks whichever page has a letter
# first, e.g. Turkish PC857 for "À", which cheaper printers number differently.
LATIN_CODE_PAGES = frozenset({"CP437", "CP850", "CP858", "CP1252"})
# Typographic marks outside PC437/PC850: printed plain, an ordinary ticket needs no rarer page.
PLAIN_MARKS = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2026": "...",
        "\u00a0": " ",
        "\u202f": " ",
    }
)


class PrinterError(Exception):
    """Printing is impossible; reason tells the person what to do (or whom to call)."""

    def __init__(self, reason: Reason) -> None:
        super().__init__(reason)
        self.reason: Reason = reason


class ReceiptPrinter:
    """One receipt printer, reached anew for each ticket.

    connect builds an unopened python-escpos printer, or is None when no printer is
    configured. two_way says whether the connection can answer status requests (network
    and USB can; a file or device node cannot).
    """

    def __init__(
        self,
        connect: Callable[[], Escpos] | None,
        *,
        two_way: bool,
    ) -> None:
        self._connect = connect
        self._two_way = two_way

    @property
    def configured(self) -> bool:
        """Whether the kiosk was given a printer at all."""
        return self._connect is not None

    def status(self) -> Status:
        """Whether a ticket can be printed now, asking the printer when it can answer.

        A file or device node can only be opened (nothing is written; a plain file is emptied).
        """
        try:
            with self._connection():
                pass
        except PrinterError as error:
            return "no_paper" if error.reason == "no_paper" else "no_printer"
        return "ready"

    def print_ticket(self, lines: Sequence[str], qr: str | None, qr_caption: str = "") -> None:
        """Print the title (first line), the other lines, the QR code and its caption, then cut.

        Raises PrinterError, and only that, when the ticket could not be printed.
        """
        with self._connection() as printer:
            _write_ticket(printer, lines, qr, qr_caption)

    @contextmanager
    def _connection(self) -> Iterator[Escpos]:
        """An open printer that has paper (when it can tell), closed whatever happens."""
        if self._connect is None:
            raise PrinterError("no_printer")
        printer: Escpos | None = None
        try:
            printer = self._connect()
            printer.open()
            if self._two_way:
                _check_ready(printer)
            yield printer
        except PrinterError as error:
            log.warning("receipt printer unavailable: %s", error.reason)
            raise
        except (DeviceNotFoundError, OSError) as error:
            # Refused, timed out, unplugged, USB device missing: the printer cannot be reached.
            log.warning("receipt printer unreachable: %s", type(error).__name__)
            raise PrinterError("no_printer") from error
        except Exception as error:
            log.warning("receipt printing failed: %s", type(error).__name__)
            raise PrinterError("failed") from error
        finally:
            if printer is not None:
                _close(printer)


def _check_ready(printer: Escpos) -> None:
    """Ask the printer (DLE EOT 1 and DLE EOT 4) whether it is online and has paper.

    Paper is asked even when offline, because a printer without paper also goes offline.
    A silent printer answers nothing: is_online() is then False (python-escpos would
    report plenty of paper on an empty answer, so online must be checked too).
    """
    online = printer.is_online()
    if printer.paper_status() == 0:
        raise PrinterError("no_paper")
    if not online:
        raise PrinterError("no_printer")


def _write_ticket(printer: Escpos, lines: Sequence[str], qr: str | None, qr_caption: str) -> None:
    """Send the ticket's ESC/POS commands; python-escpos picks the code page for accents."""
    columns = printer.profile.get_columns("a")
    pages = {  # numbers as int: python-escpos tries pages in that order, lowest first
        name: int(number)
        for name, number in printer.profile.get_code_pages().items()
        if name in LATIN_CODE_PAGES
    }
    if pages:
        printer.magic = MagicEncode(printer, encoder=Encoder(pages))
    title, *body = lines or [""]
    printer.hw("INIT")  # forget any style left by an earlier, interrupted job
    printer.set(align="center", bold=True, double_height=True)
    printer.textln(_fit(title, columns))
    printer.set_with_default()
    for line in body:
        printer.textln(_fit(line, columns))
    if qr:
        printer.ln()
        native = bool(printer.profile.supports("qrCode"))
        printer.set(align="center")
        printer.qr(qr, ec=QR_ECLEVEL_M, size=QR_MODULE_DOTS, native=native, center=not native)
        if qr_caption:
            printer.textln(_fit(qr_caption, columns))
        printer.set_with_default()
    printer.cut()


def _fit(text: str, columns: int) -> str:
    """Wrap between words (the printer would cut words; hyphenated place names stay whole)
    and keep to marks that every printer code page holds."""
    return textwrap.fill(text, columns, break_on_hyphens=False).translate(PLAIN_MARKS)


def _close(printer: Escpos) -> None:
    """Close without letting a failing close hide the real outcome."""
    try:
        printer.close()
    except Exception as error:  # a vanished device may fail to close; nothing left to do
        log.warning("receipt printer close failed: %s", type(error).__name__)


def open_printer(
    address: str,
    *,
    timeout: float = 5.0,
    profile: str | None = None,
) -> ReceiptPrinter:
    """The printer at address: "usb://VVVV:PPPP", "tcp://host[:port]", "file:///path" or "none".

    timeout (seconds) bounds connecting, sending and waiting for a status answer. profile
    is a python-escpos printer profile name (code pages, columns, cutter, QR support).
    Raises ValueError for a malformed address: that is a configuration mistake.
    """
    scheme, _, rest = address.strip().partition("://")
    scheme = scheme.lower()
    if scheme == "none" and not rest:
        return ReceiptPrinter(None, two_way=False)
    if scheme == "usb":
        vendor, product = _usb_ids(rest, address)
        return ReceiptPrinter(
            lambda: Usb(vendor, product, timeout=int(timeout * 1000), profile=profile),
            two_way=True,
        )
    if scheme == "tcp":
        host, port = _host_port(address)
        return ReceiptPrinter(
            lambda: Network(host, port, timeout=timeout, profile=profile), two_way=True
        )
    if scheme == "file" and rest.startswith("/"):
        path = unquote(rest)
        return ReceiptPrinter(lambda: File(path, profile=profile), two_way=False)
    raise ValueError(f"unsupported printer address: {address!r}")


def _usb_ids(ids: str, address: str) -> tuple[int, int]:
    """Vendor and product ids from "04b8:0202" (hexadecimal, as lsusb shows them)."""
    try:
        vendor, product = (int(part, 16) for part in ids.split(":"))
    except ValueError:
        raise ValueError(f"USB printer address needs vendor:product: {address!r}") from None
    return vendor, product


def _host_port(address: str) -> tuple[str, int]:
    """Host and port of "tcp://host[:port]"; the port defaults to raw printing, 9100."""
    try:
        parts = urlsplit(address)
        host, port = parts.hostname, parts.port or NETWORK_PORT
    except ValueError:
        host = None
    if not host:
        raise ValueError(f"network printer address needs a host: {address!r}")
    return host, port
