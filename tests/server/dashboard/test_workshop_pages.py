"""The workshop page (/conseil/atelier): set an exercise for kiosks, follow the participants,
read the exercise phone, end the workshop; fed by what kiosks send through /api/v1.

Each workshop start builds the sandbox (a few seconds): only three tests start one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from server.clock import utcnow
from server.models import Kiosk, OutboxMessage, Practitioner
from server.services.kiosks import add_kiosk
from tests.server.dashboard import reading
from tests.server.dashboard.conftest import sign_in
from tests.server.sms_sign_in import ask_code

# Pages: one database is enough here; the services beneath them (presence, help requests,
# workshop, assistance, counsellors) are tested on SQLite and PostgreSQL in their own files.
pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

EXERCISES = [
    {"id": "account", "title": "Créer mon compte"},
    {"id": "book", "title": "Prendre un rendez-vous"},
]
# A kiosk reports its exercises each time: a report without them says it offers none.
REPORT = {"printer": "none", "exercises": EXERCISES}
BOOKING = {"journey": "Prendre un rendez-vous", "step": "booking.slot", "progress": "2/6"}
FOREIGN = {"Origin": "http://autre-site.example"}


def _report(kiosk_client, **fields) -> dict:  # noqa: ANN001
    """A presence report; the answer tells the kiosk its exercise."""
    answer = kiosk_client.put("/api/v1/kiosk/presence", json=REPORT | fields)
    assert answer.status_code == 200, answer.text
    return answer.json()


def _start(desk, kiosk_ids: list[int], exercise: str = "book") -> None:  # noqa: ANN001
    chosen = {"exercise": exercise, "kiosks": [str(kiosk_id) for kiosk_id in kiosk_ids]}
    answer = desk.post("/conseil/atelier/commencer", data=chosen)
    assert answer.status_code == 303, reading.text(answer.text)
    assert answer.headers["location"] == "/conseil/atelier?commence=1#participants"


def _page(desk) -> str:  # noqa: ANN001
    answer = desk.get("/conseil/atelier")
    assert answer.status_code == 200
    return answer.text


def _checked(html: str, name: str) -> dict[str, bool]:
    """Each radio button or checkbox of a group: its value, and whether it is checked."""
    return {
        value: bool(checked)
        for value, checked in re.findall(rf'name="{name}" value="([^"]+)"( checked)?', html)
    }


def _second_kiosk(db, app, *, exercises: list | None = None, online: bool = True) -> int:  # noqa: ANN001
    """ "Borne 2", which reported these exercises (or never spoke) and may be silent since."""
    with db.writing() as session:
        device, token = add_kiosk(session, name="Borne 2", commune_insee="59178")
    if exercises is not None:
        with TestClient(app, headers={"X-Kiosk-Token": token}) as other:
            other.put("/api/v1/kiosk/presence", json={"printer": "none", "exercises": exercises})
    if not online:
        with db.writing() as session:
            session.get(Kiosk, device.id).last_seen_at = utcnow() - timedelta(minutes=5)
    return device.id


def _count(database, model: type) -> int:  # noqa: ANN001
    with database.reading() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_the_workshop_page_needs_a_signed_in_counsellor(browser):
    answer = browser.get("/conseil/atelier")
    assert (answer.status_code, answer.headers["location"]) == (303, "/conseil/connexion")
    started = browser.post("/conseil/atelier/commencer", data={"exercise": "book"})
    assert (started.status_code, started.headers["location"]) == (303, "/conseil/connexion")


def test_before_any_kiosk_reported_its_exercises_the_page_says_to_switch_them_on_first(desk, kiosk):
    answer = desk.get("/conseil/atelier")
    assert answer.headers["content-security-policy"].startswith("default-src 'self'")
    assert answer.text.count("<h1") == 1
    assert '<a href="/conseil/atelier" aria-current="page">Atelier</a>' in answer.text
    words = reading.text(answer.text)
    assert "Aucune borne n'a encore indiqué ses exercices. Allumez d'abord les bornes" in words
    assert 'action="/conseil/atelier/commencer"' not in answer.text
    assert "Aucune borne n'est en atelier." in words
    assert "Aucun SMS d'exercice pour le moment." in words
    assert "Aucun atelier en cours." in words


def test_the_form_offers_each_reported_exercise_once_and_checks_the_kiosks_online(
    client, desk, db, app, kiosk
):
    _report(client)
    other = _second_kiosk(
        db,
        app,
        exercises=[EXERCISES[1], {"id": "cancel", "title": "Annuler un rendez-vous"}],
        online=False,
    )
    html = _page(desk)
    # Borne 2 comes first by name: its exercises first, then those only Borne de test has.
    assert _checked(html, "exercise") == {"book": False, "cancel": False, "account": False}
    assert list(_checked(html, "exercise")) == ["book", "cancel", "account"]
    assert _checked(html, "kiosks") == {str(other): False, str(kiosk.id): True}
    words = reading.text(html)
    assert "Exercice Prendre un rendez-vous Annuler un rendez-vous Créer mon compte" in words
    assert "Bornes Borne 2, hors ligne Borne de test, en ligne Commencer" in words
    assert f'<label class="atelier-option" for="kiosk-{kiosk.id}">' in html


def test_a_form_without_exercise_or_kiosk_names_the_error_beside_it_and_keeps_the_choice(
    client, desk, kiosk
):
    _report(client)
    no_kiosk = desk.post("/conseil/atelier/commencer", data={"exercise": "book"})
    assert no_kiosk.status_code == 200
    assert "Bornes Erreur : Choisissez au moins une borne." in reading.text(no_kiosk.text)
    assert 'aria-describedby="kiosks-erreur"' in no_kiosk.text
    assert _checked(no_kiosk.text, "exercise") == {"account": False, "book": True}
    assert _checked(no_kiosk.text, "kiosks") == {str(kiosk.id): False}
    no_exercise = desk.post("/conseil/atelier/commencer", data={"kiosks": [str(kiosk.id)]})
    assert "Exercice Erreur : Choisissez un exercice." in reading.text(no_exercise.text)
    assert 'aria-describedby="exercise-erreur"' in no_exercise.text
    assert _checked(no_exercise.text, "kiosks") == {str(kiosk.id): True}
    assert _report(client)["workshop"] is None  # nothing started


def test_a_kiosk_that_did_not_report_the_exercise_is_named_and_nothing_starts(
    client, desk, db, app, kiosk
):
    _report(client)
    other = _second_kiosk(db, app)  # never switched on
    chosen = {"exercise": "book", "kiosks": [str(kiosk.id), str(other)]}
    answer = desk.post("/conseil/atelier/commencer", data=chosen)
    assert answer.status_code == 200
    assert (
        "Erreur : Borne 2 n'a pas signalé cet exercice : allumez-la d'abord, ou décochez-la."
        in reading.text(answer.text)
    )
    assert _report(client)["workshop"] is None


def test_forms_posted_from_another_site_are_refused_and_change_nothing(client, desk, kiosk):
    _report(client)
    chosen = {"exercise": "book", "kiosks": [str(kiosk.id)]}
    for action, data in [("commencer", chosen), (f"{kiosk.id}/recommencer", {}), ("terminer", {})]:
        answer = desk.post(f"/conseil/atelier/{action}", data=data, headers=FOREIGN)
        assert answer.status_code == 403, action
        assert "Ce formulaire vient d'un autre site. Il est refusé." in reading.text(answer.text)
    assert _report(client)["workshop"] is None


def test_restarting_a_kiosk_outside_a_workshop_is_refused_in_french(desk, kiosk):
    answer = desk.post(f"/conseil/atelier/{kiosk.id}/recommencer")
    assert answer.status_code == 422
    assert "Cette borne n'est pas en atelier." in reading.text(answer.text)


def test_starting_an_exercise_sets_the_kiosk_and_the_participants_table_follows_its_reports(
    client, desk, kiosk
):
    _report(client)
    _start(desk, [kiosk.id], "book")
    assert _report(client)["workshop"] == {"exercise": "book", "resets": 0}
    started = desk.get("/conseil/atelier?commence=1")
    assert "L'exercice est commencé." in reading.text(started.text)
    html = _page(desk)
    assert reading.row(html, "Borne de test") == (
        "Borne de test Prendre un rendez-vous Accueil En cours Aucune erreur En ligne "
        "Recommencer l'exercice : Borne de test"
    )

    _report(client, **BOOKING, mistakes=3)
    html = _page(desk)
    assert reading.row(html, "Borne de test") == (
        "Borne de test Prendre un rendez-vous Prendre un rendez-vous, étape 2 sur 6 En cours "
        "À aider : 3 erreurs de suite En ligne Recommencer l'exercice : Borne de test"
    )
    assert '<strong class="atelier-alerte">' in html  # highlighted, and said in words
    _report(client, **BOOKING, mistakes=1)
    assert "1 erreur En ligne" in reading.row(_page(desk), "Borne de test")
    _report(client, **BOOKING, exercise_done=True)
    assert "Exercice réussi" in reading.row(_page(desk), "Borne de test")

    reset = desk.post(f"/conseil/atelier/{kiosk.id}/recommencer")
    assert (reset.status_code, reset.headers["location"]) == (303, "/conseil/atelier#participants")
    assert _report(client)["workshop"] == {"exercise": "book", "resets": 1}
    assert "En cours" in reading.row(_page(desk), "Borne de test")

    _start(desk, [kiosk.id], "account")  # another exercise, the same way
    assert _report(client)["workshop"] == {"exercise": "account", "resets": 1}
    html = _page(desk)
    assert reading.row(html, "Borne de test").startswith("Borne de test Créer mon compte Accueil")
    assert "Borne de test, en ligne, en atelier : Créer mon compte" in reading.text(html)


def test_the_exercise_phone_shows_the_sandbox_codes_until_the_confirmed_end_wipes_everything(
    client, desk, app, db, kiosk
):
    _report(client)
    _start(desk, [kiosk.id])
    with TestClient(
        app, base_url="http://testserver/atelier", headers={"X-Kiosk-Token": kiosk.token}
    ) as in_sandbox:
        ask_code(in_sandbox, "06 12 34 56 78")
        ask_code(in_sandbox, "07 98 76 54 32")
    html = _page(desk)
    phone = reading.text(html.split('<h2 id="telephone">')[1])
    assert re.search(
        r"il y a moins d'une minute 07 98 76 54 32 .*\b\d{6}\b.*"
        r"il y a moins d'une minute 06 12 34 56 78 .*\b\d{6}\b",
        phone,
    ), phone
    assert _count(db, OutboxMessage) == 0  # fictional: the centre's outbox never saw them

    confirm = desk.get("/conseil/atelier/terminer")
    assert confirm.status_code == 200
    assert "Tout ce que les participants ont tapé sera effacé." in reading.text(confirm.text)
    assert 'action="/conseil/atelier/terminer"' in confirm.text
    ended = desk.post("/conseil/atelier/terminer")
    assert (ended.status_code, ended.headers["location"]) == (303, "/conseil/atelier?termine=1")
    assert _count(app.state.sandbox, OutboxMessage) == _count(app.state.sandbox, Practitioner) == 0
    assert _report(client)["workshop"] is None
    words = reading.text(desk.get(ended.headers["location"]).text)
    assert "L'atelier est terminé." in words
    assert "Aucune borne n'est en atelier." in words
    assert "Aucun SMS d'exercice pour le moment." in words


@pytest.fixture
def watcher(live_server, camille) -> Iterator[httpx.Client]:  # noqa: ANN001
    """A browser signed in to the real server."""
    with httpx.Client(base_url=live_server, follow_redirects=False, timeout=20) as browser:
        sign_in(browser, camille)
        yield browser


def test_the_workshop_stream_sends_its_live_part_then_again_when_an_exercise_starts(
    live_server, watcher, kiosk
):
    reported = httpx.put(
        f"{live_server}/api/v1/kiosk/presence",
        json=REPORT,
        headers={"X-Kiosk-Token": kiosk.token},
        timeout=10,
    )
    assert reported.status_code == 200
    with watcher.stream("GET", "/conseil/atelier/flux") as stream:
        assert stream.status_code == 200
        assert stream.headers["content-type"].startswith("text/event-stream")
        events = reading.events(stream)
        _, first = next(events)
        assert "Aucune borne n'est en atelier." in first
        assert '<h2 id="telephone">Téléphone d\'exercice</h2>' in first
        assert "<html" not in first and "Demandes d'aide" not in first  # this page's part only
        _start(watcher, [kiosk.id])
        _, fragment = reading.until(
            events, lambda event: f'id="recommencer-{kiosk.id}"' in event[1]
        )
        assert "Prendre un rendez-vous" in fragment
