"""Real local stand-ins for unreachable third parties: an SMS HTTP gateway, an SMTP server."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller


@dataclass
class Gateway:
    """Records every request; answers the queued statuses in turn, then 200."""

    url: str
    statuses: list[int] = field(default_factory=list)
    requests: list[dict] = field(default_factory=list)


@contextmanager
def sms_gateway(statuses: list[int] | None = None) -> Iterator[Gateway]:
    gateway = Gateway(url="", statuses=list(statuses or []))
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            raw = self.rfile.read(int(self.headers["Content-Length"]))
            with lock:
                gateway.requests.append(
                    {"path": self.path, "headers": dict(self.headers), "json": json.loads(raw)}
                )
                status = gateway.statuses.pop(0) if gateway.statuses else 200
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b'{"ok": true}' if status < 300 else b'{"error": "busy"}')

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    gateway.url = f"http://127.0.0.1:{server.server_address[1]}/sms/send"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield gateway
    finally:
        server.shutdown()
        server.server_close()


class _Inbox:
    def __init__(self) -> None:
        self.envelopes: list = []

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: ANN001, N802
        self.envelopes.append(envelope)
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Smtp:
    port: int
    inbox: _Inbox
    logins: list[tuple[str, str]]


@contextmanager
def smtp_server(*, user: str | None = None, password: str | None = None) -> Iterator[Smtp]:
    """aiosmtpd on 127.0.0.1; with `user`, it requires that login (plain text, tests only)."""
    from aiosmtpd.smtp import AuthResult  # noqa: PLC0415

    inbox, logins = _Inbox(), []

    def authenticator(server, session, envelope, mechanism, auth_data):  # noqa: ANN001, ANN202
        login = (auth_data.login.decode(), auth_data.password.decode())
        logins.append(login)
        return AuthResult(success=login == (user, password))

    options = (
        {"authenticator": authenticator, "auth_require_tls": False, "auth_required": True}
        if user
        else {}
    )
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, **options)
    controller.start()
    try:
        yield Smtp(port=port, inbox=inbox, logins=logins)
    finally:
        controller.stop()
