"""The `kiosk-server` command, run as an operator would, against both databases."""

from __future__ import annotations

import os
import subprocess
import sys

from fastapi.testclient import TestClient

from server.services.outbox import enqueue
from server.services.worker import run_worker


def _cli(settings, *args: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DATABASE_URL": settings.database_url,
        "KIOSK_SECRET_KEY": settings.secret_key,
        "SMS_FILE_PATH": settings.sms_file_path,
    }
    return subprocess.run(
        [sys.executable, "-m", "server.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_kiosk_add_prints_a_token_on_its_last_line_that_the_api_accepts(settings, app):
    added = _cli(settings, "kiosk", "add", "Borne de l'accueil", "--commune", "59178")
    assert added.returncode == 0, added.stderr
    token = added.stdout.strip().splitlines()[-1]
    with TestClient(app, headers={"X-Kiosk-Token": token}) as client:
        assert client.get("/api/v1/practitioners", params={"near": "Douai"}).status_code == 200
    with TestClient(app, headers={"X-Kiosk-Token": token + "x"}) as client:
        assert client.get("/api/v1/practitioners").status_code == 401


def test_kiosk_add_refuses_an_unknown_commune(settings):
    added = _cli(settings, "kiosk", "add", "Borne", "--commune", "99999")
    assert added.returncode == 2
    assert "99999" in added.stderr


def test_sms_outbox_prints_the_last_message_sent_to_a_number_in_any_format(settings, db):
    with db.writing() as session:
        for body in ("Premier message.", "Dernier message."):
            enqueue(session, kind="code", channel="sms", recipient="+33612345678", body=body)
    run_worker(db, settings, once=True)
    shown = _cli(settings, "sms-outbox", "--to", "06.12.34.56.78", "--last")
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.strip().endswith("Dernier message.")
    assert "Premier" not in shown.stdout
    nothing = _cli(settings, "sms-outbox", "--to", "07 81 23 45 67", "--last")
    assert nothing.returncode == 1


def test_sms_outbox_explains_a_wrong_number_in_french(settings):
    shown = _cli(settings, "sms-outbox", "--to", "01 23 45 67 89")
    assert shown.returncode == 2
    assert "portable" in shown.stderr
    assert "Traceback" not in shown.stderr
