"""`kiosk text --server URL --token T --data DIR`, the real command, against the real server.

Once with answers piped from a file, as a counsellor's demo script would; once typed line by
line as a person does, reading the SMS code from the server's file when it is asked for.
"""

from __future__ import annotations

import os
import select
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest

from bench.journeys import SmsInbox
from server.services.worker import run_worker
from tests.factories import make_account
from tests.kiosk.client.people import add_doctor

KIOSK = str(Path(sys.executable).with_name("kiosk"))
PHONE = "0610000001"


@pytest.fixture
def command(live_server: str, kiosk, tmp_path: Path) -> list[str]:
    return [
        KIOSK,
        "text",
        "--server",
        live_server,
        f"--token={kiosk.token}",
        "--data",
        str(tmp_path),
    ]


def test_answers_piped_from_a_file_show_the_practitioners_found_and_a_card(
    command: list[str], db, tmp_path: Path
) -> None:
    add_doctor(db, first_name="Claire", last_name="Fictive")
    # Book, a general practitioner, the first found near here; then the end of input.
    answers = tmp_path / "answers.txt"
    answers.write_text("1\n1\n1\n", encoding="utf-8")
    with answers.open("rb") as lines:
        done = subprocess.run(command, stdin=lines, capture_output=True, timeout=60)
    shown = done.stdout.decode("utf-8")
    assert done.returncode == 0, done.stderr.decode()
    assert "Choisissez un soignant." in shown
    assert "1. Docteur Claire Fictive, Médecin généraliste" in shown
    assert "Adresse : 1 rue de la Fiction, Douai." in shown  # the card
    assert "1. Prendre rendez-vous" in shown


class Terminal:
    """The command's input and output, as a person sees them: write a line, read the screen."""

    def __init__(self, command: list[str]) -> None:
        self.process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
        self.shown = ""

    def screen(self, seconds: float = 30) -> str:
        """Everything printed up to the next "> " prompt."""
        out, deadline = b"", time.monotonic() + seconds
        while not out.endswith(b"> "):
            left = deadline - time.monotonic()
            assert left > 0, f"no prompt; printed so far: {out.decode(errors='replace')}"
            ready, _, _ = select.select([self.process.stdout], [], [], left)
            if ready:
                chunk = os.read(self.process.stdout.fileno(), 65536)
                assert chunk, f"the command ended: {out.decode(errors='replace')}"
                out += chunk
        self.shown += out.decode("utf-8")
        return out.decode("utf-8")

    def type(self, line: str) -> str:
        self.process.stdin.write(f"{line}\n".encode())
        self.process.stdin.flush()
        return self.screen()

    def close(self) -> int:
        self.process.stdin.close()
        return self.process.wait(timeout=30)


def test_a_person_typing_line_by_line_signs_in_with_the_sms_code_and_books(
    command: list[str], db, settings
) -> None:
    add_doctor(db, slots_in=[timedelta(days=2), timedelta(days=3)])
    with db.writing() as session:
        make_account(session, phone="+33610000001")
    inbox = SmsInbox(settings.sms_file_path, deliver=lambda: run_worker(db, settings, once=True))
    terminal = Terminal(command)
    try:
        assert "Bonjour. Que voulez-vous faire ?" in terminal.screen()
        for line in ("1", "1", "1"):  # book, GP, the first found near here
            terminal.type(line)
        assert "Quel est votre numéro de portable ?" in terminal.type("1")  # Prendre rendez-vous
        assert "Écrivez le code reçu par SMS." in terminal.type(PHONE)
        assert "Avez-vous déjà vu ce soignant ?" in terminal.type(inbox.code(PHONE))
        # Never seen them: the doctor's only reason open to new patients is chosen alone.
        assert "Choisissez un jour et une heure." in terminal.type("non")
        assert "Vérifiez votre rendez-vous." in terminal.type("1")  # the first time
        assert "Votre rendez-vous est confirmé." in terminal.type("oui")
    finally:
        code = terminal.close()
    assert code == 0
    assert "!" not in [line[:1] for line in terminal.shown.splitlines()]  # no error shown
