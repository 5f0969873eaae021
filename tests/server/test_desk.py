"""What kiosks tell the centre's counsellors (server/api/desk.py): their state, calls for
help, journeys for the statistics. Free text cannot slip in, so neither can a person."""

from __future__ import annotations

from datetime import date

from fastapi.testclient import TestClient

from server.db import Database
from server.services import statistics

PRESENCE = {"journey": "Prendre un rendez-vous", "step": "booking.slot", "progress": "4/6"}


def _run(client: TestClient, **fields: object) -> int:
    body = {
        "journey": "Prendre un rendez-vous",
        "completed": True,
        "last_step": "booking.done",
        "seconds": 200,
        "day": "2026-11-23",
    }
    return client.post("/api/v1/journey-runs", json=body | fields).status_code


def test_a_kiosk_reports_where_it_is_and_hears_nobody_is_coming(client: TestClient) -> None:
    answer = client.put("/api/v1/kiosk/presence", json=PRESENCE | {"printer": "ready"})
    assert answer.status_code == 200
    assert answer.json() == {"help": None, "workshop": None}


def test_a_report_with_free_text_for_a_step_is_refused_naming_the_field(
    client: TestClient,
) -> None:
    for step in ("Marie Dupont", "booking.slot 06 12 34 56 78", "x" * 61):
        answer = client.put(
            "/api/v1/kiosk/presence", json=PRESENCE | {"step": step, "printer": "ready"}
        )
        assert answer.status_code == 422
        assert answer.json()["field"] == "step"


def test_an_unknown_printer_state_or_progress_is_refused(client: TestClient) -> None:
    answer = client.put("/api/v1/kiosk/presence", json=PRESENCE | {"printer": "on fire"})
    assert (answer.status_code, answer.json()["field"]) == (422, "printer")
    answer = client.put(
        "/api/v1/kiosk/presence", json=PRESENCE | {"printer": "ready", "progress": "quatre"}
    )
    assert (answer.status_code, answer.json()["field"]) == (422, "progress")


def test_a_kiosk_without_its_token_is_not_heard(app) -> None:  # noqa: ANN001
    with TestClient(app) as anonymous:
        answer = anonymous.post("/api/v1/help-requests", json={"step": "welcome.menu"})
    assert answer.status_code == 401


def test_pressing_help_twice_keeps_one_request_and_the_first_place_in_line(
    client: TestClient,
) -> None:
    first = client.post("/api/v1/help-requests", json={"step": "booking.slot"})
    again = client.post("/api/v1/help-requests", json={"step": "booking.review"})
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json() == {"id": first.json()["id"], "coming": None}


def test_the_end_of_the_session_closes_the_request(client: TestClient) -> None:
    first = client.post("/api/v1/help-requests", json={"step": "booking.slot"}).json()
    assert client.delete("/api/v1/help-requests/current").status_code == 204
    assert client.delete("/api/v1/help-requests/current").status_code == 204  # nothing open
    report = client.put("/api/v1/kiosk/presence", json={"printer": "none"})
    assert report.json()["help"] is None
    later = client.post("/api/v1/help-requests", json={"step": "welcome.menu"}).json()
    assert later["id"] != first["id"]


def test_a_journey_run_needs_a_plausible_length_and_a_step_id(client: TestClient) -> None:
    assert _run(client) == 204
    assert _run(client, seconds=-1) == 422
    assert _run(client, seconds=5 * 3600) == 422
    assert _run(client, last_step="Prénom : Zoé") == 422
    assert _run(client, day="2026-02-30") == 422


def test_statistics_by_week_count_runs_the_median_and_where_people_give_up(
    client: TestClient, db: Database
) -> None:
    for seconds in (100, 300, 200):
        _run(client, seconds=seconds, day="2026-11-24")
    _run(client, completed=False, last_step="booking.motive", seconds=50, day="2026-11-25")
    _run(client, completed=False, last_step="booking.motive", seconds=60, day="2026-11-26")
    _run(client, completed=False, last_step="sign_in.code", seconds=70, day="2026-11-26")
    _run(client, day="2026-11-16", seconds=90)  # the week before
    with db.reading() as read:
        weeks = statistics.by_week(read, since=date(2026, 11, 1))
    this_week, last_week = weeks
    assert this_week.week == date(2026, 11, 23)  # a Monday
    assert (this_week.started, this_week.completed, this_week.median_seconds) == (6, 3, 200)
    assert (this_week.given_up_most_at, this_week.given_up_there) == ("booking.motive", 2)
    assert (last_week.week, last_week.started, last_week.given_up_most_at) == (
        date(2026, 11, 16),
        1,
        None,
    )
