"""The home page and the statistics, fed by what kiosks send through /api/v1."""

from __future__ import annotations

import logging
import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from server.clock import utcnow
from server.models import CallbackRequest, HelpRequest, Kiosk
from server.services.kiosks import add_kiosk
from tests.server.dashboard import reading

# Pages: one database is enough here; the services beneath them (presence, help requests,
# workshop, assistance, counsellors) are tested on SQLite and PostgreSQL in their own files.
pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

PRESENCE = {"journey": "Prendre un rendez-vous", "step": "booking.slot", "progress": "2/6"}


def _help(client) -> int:  # noqa: ANN001
    answer = client.post("/api/v1/help-requests", json={"step": "booking.slot"})
    assert answer.status_code == 201, answer.text
    return answer.json()["id"]


def test_the_home_page_shows_what_a_kiosk_reported(client, desk):
    synced = (datetime.now(ZoneInfo("UTC")) - timedelta(minutes=3, seconds=10)).isoformat()
    report = PRESENCE | {"printer": "no_paper", "last_sync": synced}
    assert client.put("/api/v1/kiosk/presence", json=report).status_code == 200
    page = desk.get("/conseil/")
    assert page.status_code == 200
    assert page.headers["content-security-policy"].startswith("default-src 'self'")
    assert reading.row(page.text, "Borne de test") == (
        "Borne de test En ligne il y a 3 minutes Plus de papier "
        "Prendre un rendez-vous, étape 2 sur 6"
    )


def test_a_silent_kiosk_is_offline_and_an_old_sync_is_a_full_french_date(client, desk, db, kiosk):
    client.put("/api/v1/kiosk/presence", json={"printer": "ready"})  # on its welcome screen
    with db.writing() as session:
        stored = session.get(Kiosk, kiosk.id)
        stored.last_seen_at = utcnow() - timedelta(minutes=5)
        stored.last_sync_at = datetime(2025, 3, 4, 13, 30)  # UTC: 14 h 30 in Paris
    row = reading.row(desk.get("/conseil/").text, "Borne de test")
    assert row == "Borne de test Hors ligne mardi 4 mars 2025 à 14 h 30 Prête Accueil"


def test_j_arrive_tells_the_kiosk_who_is_coming_and_termine_closes_the_request(client, desk, db):
    request_id = _help(client)
    page = desk.get("/conseil/")
    assert f'data-aide="{request_id}"' in page.text
    assert "Personne pour le moment." in reading.text(page.text)
    assert "J'arrive" in reading.text(page.text)
    coming = desk.post(f"/conseil/aide/{request_id}/j-arrive")
    assert (coming.status_code, coming.headers["location"]) == (303, "/conseil/#aide")
    heard = client.put("/api/v1/kiosk/presence", json=PRESENCE | {"printer": "ready"})
    assert heard.json()["help"] == {"id": request_id, "coming": "Camille"}
    after = reading.text(desk.get("/conseil/").text)
    assert "Camille arrive." in after
    assert "J'arrive" not in after  # one counsellor is enough
    assert desk.post(f"/conseil/aide/{request_id}/termine").status_code == 303
    heard = client.put("/api/v1/kiosk/presence", json=PRESENCE | {"printer": "ready"})
    assert heard.json()["help"] is None
    assert "Aucune demande d'aide pour le moment." in reading.text(desk.get("/conseil/").text)
    with db.reading() as session:
        assert session.get(HelpRequest, request_id).closed_at is not None


def test_help_requests_are_listed_oldest_first_with_how_long_they_waited(app, desk, db, kiosk):
    with db.writing() as session:
        _, other_token = add_kiosk(session, name="Borne du hall", commune_insee="59178")
    with TestClient(app, headers={"X-Kiosk-Token": other_token}) as hall:
        newer = _help(hall)
    with TestClient(app, headers={"X-Kiosk-Token": kiosk.token}) as first:
        older = _help(first)
    with db.writing() as session:
        session.get(HelpRequest, older).raised_at = utcnow() - timedelta(hours=1, minutes=5)
        session.get(HelpRequest, newer).raised_at = utcnow() - timedelta(minutes=2)
    page = desk.get("/conseil/")
    order = re.findall(r'data-aide="(\d+)"', page.text)
    assert order == [str(older), str(newer)]
    words = reading.text(page.text)
    assert "Attend depuis 1 heure et 5 minutes" in words
    assert "Attend depuis 2 minutes" in words


def test_a_request_already_closed_answers_in_french(desk):
    answer = desk.post("/conseil/aide/999999/j-arrive")
    assert answer.status_code == 404
    assert "Cette demande d'aide est introuvable." in reading.text(answer.text)


def test_a_call_back_shows_the_number_to_call_and_rappel_fait_erases_it(client, desk, db):
    asked = client.post("/api/v1/callbacks", json={"phone": "0612345678", "step": "booking.slot"})
    assert asked.status_code == 201, asked.text
    callback_id = asked.json()["id"]
    page = desk.get("/conseil/")
    assert "06 12 34 56 78" in reading.text(page.text)
    assert 'href="tel:+33612345678"' in page.text
    done = desk.post(f"/conseil/rappels/{callback_id}/fait")
    assert (done.status_code, done.headers["location"]) == (303, "/conseil/#rappels")
    assert "Aucun rappel à faire." in reading.text(desk.get("/conseil/").text)
    with db.reading() as session:
        assert session.scalars(select(CallbackRequest)).one().phone is None


def test_the_access_log_names_the_routes_never_the_ids_or_the_numbers(client, desk, caplog):
    caplog.set_level(logging.INFO, logger="server.access")
    callback_id = client.post(
        "/api/v1/callbacks", json={"phone": "0612345678", "step": "booking.slot"}
    ).json()["id"]
    desk.get("/conseil/")
    desk.post(f"/conseil/rappels/{callback_id}/fait")
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "POST /conseil/rappels/{request_id}/fait 303" in logged
    assert "0612345678" not in logged and "12 34 56 78" not in logged


def test_the_statistics_page_shows_each_journey_of_each_week(client, desk):
    today = date.today()
    runs = [(True, "booking.done", 240), (True, "booking.done", 300), (False, "booking.slot", 90)]
    for completed, last_step, seconds in runs:
        body = {
            "journey": "Prendre un rendez-vous",
            "completed": completed,
            "last_step": last_step,
            "seconds": seconds,
            "day": today.isoformat(),
        }
        assert client.post("/api/v1/journey-runs", json=body).status_code == 204
    long_ago = {"journey": "Annuler", "completed": True, "last_step": "cancel.done"}
    old = long_ago | {"seconds": 60, "day": (today - timedelta(weeks=9)).isoformat()}
    assert client.post("/api/v1/journey-runs", json=old).status_code == 204
    page = desk.get("/conseil/statistiques")
    assert page.status_code == 200
    monday = today - timedelta(days=today.weekday())
    caption = re.search(r"<caption>(.*?)</caption>", page.text).group(1)
    assert caption.startswith("Semaine du lundi ")
    assert caption.endswith(f"{monday.year}")
    assert str(monday.day) in caption
    assert reading.row(page.text, "Prendre un rendez-vous") == (
        "Prendre un rendez-vous 3 2 4 min 30 s booking.slot 1"
    )
    assert "Annuler" not in page.text  # older than 8 weeks


def test_the_statistics_page_says_when_there_is_nothing_yet(desk):
    assert "Aucun parcours pour le moment." in desk.get("/conseil/statistiques").text
