"""`kiosk`: the one place that picks the channel and the concrete parts, and wires them.

kiosk text                          the text channel, with its own demo server
kiosk text --server URL --token T   the text channel against a running server
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

from kiosk.client.services import open_services
from kiosk.client.upkeep import Upkeep
from kiosk.embedded_server import embedded_server
from kiosk.text.channel import run as run_text
from kiosk.workflows.flow import Flow
from kiosk.workflows.journeys import JOURNEYS


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="kiosk", description="Borne de rendez-vous médicaux")
    channels = parser.add_subparsers(dest="channel", required=True)
    text = channels.add_parser("text", help="the journeys in a terminal (UTF-8)")
    text.add_argument("--server", help="base URL of a running server, e.g. http://127.0.0.1:8000")
    text.add_argument("--token", help="this kiosk's token (kiosk-server kiosk add)")
    text.add_argument("--data", type=Path, help="folder for the outbox and the directory copy")
    args = parser.parse_args(argv)

    with ExitStack() as stack:
        data = args.data or Path(stack.enter_context(tempfile.TemporaryDirectory()))
        base_url, token = args.server, args.token
        if base_url is None:
            server = stack.enter_context(embedded_server(data / "server"))
            base_url, token = server.base_url, server.kiosk_token
            print(
                f"Serveur de démonstration : {base_url}\n"
                f"Codes SMS : KIOSK_DATA_DIR={server.env['KIOSK_DATA_DIR']} "
                "kiosk-server sms-outbox --to 06… --last",
                file=sys.stderr,
            )
        if not token:
            parser.error("--token is needed with --server")
        services = open_services(base_url, token, data / "kiosk")
        stack.callback(Upkeep(services).start().stop)
        sys.stdout.reconfigure(encoding="utf-8")
        sys.stdin.reconfigure(encoding="utf-8")
        run_text(Flow(JOURNEYS, services), sys.stdin, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
