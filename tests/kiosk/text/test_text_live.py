"""`kiosk text --server URL --token T --data DIR`, the real command, against the real server.

Once with answers piped from a file, as a counsellor's demo script would; once typed line by
line as a person does, reading the SMS code from the server's file when it is asked for.
"""

from __future__ import annotations

import subprocess
from datetime import timedelta
from pathlib import Path

from bench.scripts import SmsInbox
from tests.factories import make_account
from tests.kiosk.client.people import add_doctor
from tests.kiosk.text.terminal import Terminal

PHONE = "0610000001"


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


def test_a_person_typing_line_by_line_signs_in_with_the_sms_code_and_books(
    command: list[str], db, inbox: SmsInbox
) -> None:
    add_doctor(db, slots_in=[timedelta(days=2), timedelta(days=3)])
    with db.writing() as session:
        make_account(session, phone="+33610000001")
    terminal = Terminal(command)
    try:
        assert "Bonjour. Que voulez-vous faire ?" in terminal.screen()
        for line in ("1", "1", "1"):  # book, GP, the first found near here
            terminal.type(line)
        assert "Quel est votre numéro de portable ?" in terminal.type("1")  # Prendre rendez-vous
        assert "Quel code avez-vous reçu par SMS ?" in terminal.type(PHONE)
        assert "Avez-vous déjà vu ce soignant ?" in terminal.type(inbox.code(PHONE))
        # Never seen them: the doctor's only reason open to new patients is chosen alone.
        assert "Choisissez un jour et une heure." in terminal.type("non")
        assert "Vérifiez votre rendez-vous." in terminal.type("1")  # the first time
        assert "Votre rendez-vous est confirmé." in terminal.type("oui")
    finally:
        code = terminal.close()
    assert code == 0
    assert "!" not in [line[:1] for line in terminal.shown.splitlines()]  # no error shown
