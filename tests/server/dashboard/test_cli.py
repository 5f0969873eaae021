"""`kiosk-server counsellor`: adding and disabling counsellors from a terminal."""

from __future__ import annotations

import os
import subprocess
import sys

import pyotp
from fastapi.testclient import TestClient

from tests.server.dashboard.conftest import Enrolled, sign_in


def _cli(settings, *args: str, stdin: str = "") -> subprocess.CompletedProcess:  # noqa: ANN001
    env = {**os.environ, "DATABASE_URL": settings.database_url}
    return subprocess.run(
        [sys.executable, "-m", "server.cli", "counsellor", *args],
        input=stdin,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _uri(output: str) -> str:
    return next(line.split(" : ", 1)[1] for line in output.splitlines() if "otpauth://" in line)


def test_add_prints_the_otpauth_uri_and_a_qr_code_and_the_counsellor_can_sign_in(
    settings, app, tmp_path
):
    password_file = tmp_path / "password"
    password_file.write_text("un mot de passe assez long\n")
    added = _cli(
        settings, "add", "Dominique", "--name", "Dominique", "--password-file", str(password_file)
    )
    assert added.returncode == 0, added.stderr
    uri = _uri(added.stdout)
    assert uri.startswith("otpauth://totp/Kiosque%20sant%C3%A9:dominique?")
    assert "█" in added.stdout  # the QR code, drawn with blocks
    secret = pyotp.parse_uri(uri).secret
    who = Enrolled(0, "dominique", "Dominique", "un mot de passe assez long", secret)
    with TestClient(app, follow_redirects=False) as browser:
        sign_in(browser, who)
        assert "Compte : Dominique" in browser.get("/conseil/").text


def test_add_reads_the_password_from_standard_input(settings):
    added = _cli(settings, "add", "sacha", "--name", "Sacha", stdin="douze caractères\n")
    assert added.returncode == 0, added.stderr
    assert "otpauth://" in added.stdout


def test_add_refuses_a_short_password_in_one_french_line(settings):
    added = _cli(settings, "add", "sacha", "--name", "Sacha", stdin="court\n")
    assert added.returncode == 1
    assert added.stderr.strip() == "Le mot de passe doit avoir au moins 12 caractères."


def test_add_refuses_a_login_taken_and_a_missing_password_file(settings, tmp_path):
    assert (
        _cli(settings, "add", "sacha", "--name", "Sacha", stdin="douze caractères\n").returncode
        == 0
    )
    again = _cli(settings, "add", "sacha", "--name", "Sacha", stdin="douze caractères\n")
    assert (again.returncode, again.stderr.strip()) == (1, "L'identifiant sacha existe déjà.")
    missing = _cli(settings, "add", "lou", "--name", "Lou", "--password-file", str(tmp_path / "x"))
    assert missing.returncode == 1
    assert missing.stderr.startswith("Fichier illisible")


def test_disable_stops_a_signed_in_counsellor_at_their_next_page(settings, desk, camille):
    assert desk.get("/conseil/").status_code == 200
    disabled = _cli(settings, "disable", "camille")
    assert disabled.returncode == 0, disabled.stderr
    answer = desk.get("/conseil/")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/conseil/connexion"


def test_disable_an_unknown_login_fails_in_french(settings):
    disabled = _cli(settings, "disable", "personne")
    assert disabled.returncode == 1
    assert disabled.stderr.strip() == "Aucun conseiller n'a l'identifiant personne."
