"""The kiosks' sync feed: a replica built from its pages equals the server's data of the area."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from server.clock import utcnow
from server.models import DirectoryChange, Motive, OpeningHours, Place, Practitioner, Slot
from server.services.communes import bounding_box, communes
from server.services.sync import compact_changes, motive_data, place_data, practitioner_data
from tests.conftest import DOUAI_INSEE
from tests.factories import add_opening_hours, make_practitioner, make_slot

LYON = {"commune_insee": "69123", "postcode": "69001", "city": "Lyon", "lat": 45.764, "lng": 4.8357}
ARRAS = {
    "commune_insee": "62041",
    "postcode": "62000",
    "city": "Arras",
    "lat": 50.291,
    "lng": 2.777,
}

Replica = dict[str, dict[int, dict]]


def _empty() -> Replica:
    return {"practitioner": {}, "place": {}, "motive": {}, "slot": {}}


def apply(replica: Replica, changes: list[dict]) -> None:
    """What a kiosk does: upsert, delete, and forget everything of a deleted practitioner."""
    for change in changes:
        entity, entity_id = change["entity"], change["id"]
        if not change["deleted"]:
            replica[entity][entity_id] = change["data"]
            continue
        replica[entity].pop(entity_id, None)
        if entity == "practitioner":
            for kind in ("place", "motive", "slot"):
                replica[kind] = {
                    i: d for i, d in replica[kind].items() if d["practitioner_id"] != entity_id
                }


def sync(client, replica: Replica, since: str | None = None, limit: int = 500) -> str:
    """Fetch every page from `since`; returns the last cursor."""
    for _ in range(1000):
        params = {"limit": limit} | ({"since": since} if since else {})
        response = client.get("/api/v1/sync/directory", params=params)
        assert response.status_code == 200, response.json()
        page = response.json()
        if since is None or since.startswith("snap:"):  # copying the tables: exact pages
            assert len(page["changes"]) <= limit
        apply(replica, page["changes"])
        since = page["next_cursor"]
        if not page["has_more"]:
            return since
    raise AssertionError("the feed never ends")


def server_data(db) -> Replica:
    """The server's directory for a kiosk of Douai, computed straight from the tables."""
    douai = communes().get(DOUAI_INSEE)
    min_lat, max_lat, min_lng, max_lng = bounding_box(douai.lat, douai.lng, 50)
    now = utcnow()
    data = _empty()
    with db.reading() as session:
        for practitioner in session.scalars(select(Practitioner)):
            if not any(
                p.lat is not None and min_lat <= p.lat <= max_lat and min_lng <= p.lng <= max_lng
                for p in practitioner.places
            ):
                continue
            data["practitioner"][practitioner.id] = practitioner_data(practitioner)
            for place in practitioner.places:
                data["place"][place.id] = place_data(place)
            for motive in practitioner.motives:
                data["motive"][motive.id] = motive_data(motive)
            slots = select(Slot).where(
                Slot.practitioner_id == practitioner.id, Slot.starts_at >= now
            )
            for slot in session.scalars(slots):
                hours = (
                    session.get(OpeningHours, slot.opening_hours_id)
                    if slot.opening_hours_id
                    else None
                )
                data["slot"][slot.id] = {
                    "practitioner_id": slot.practitioner_id,
                    "place_id": slot.place_id,
                    "starts_at": slot.starts_at.isoformat(),
                    "ends_at": slot.ends_at.isoformat(),
                    "free": not slot.taken and not slot.closed,
                    "motive_ids": sorted(m.id for m in hours.motives) if hours else [],
                }
    return data


def _practitioner_with_slots(session, last_name: str, place: dict | None = None, slots: int = 3):
    practitioner = make_practitioner(session, last_name=last_name, place=place)
    opening = add_opening_hours(session, practitioner, weekdays=[1])[0]
    for day in range(slots):
        make_slot(session, practitioner, starts_in=timedelta(days=day + 1), opening=opening)
    return practitioner


@pytest.fixture
def directory(db) -> dict[str, int]:
    """Two practitioners in Douai, one in Arras (in the area), one in Lyon (far away)."""
    with db.writing() as session:
        ids = {
            name: _practitioner_with_slots(session, name, place).id
            for name, place in [
                ("Douai1", None),
                ("Douai2", None),
                ("Arras", ARRAS),
                ("Lyon", LYON),
            ]
        }
        # A slot in the past is never sent.
        make_slot(session, session.get(Practitioner, ids["Douai1"]), starts_in=timedelta(hours=-3))
    return ids


def test_a_first_sync_copies_the_area_and_nothing_from_lyon(client, db, directory):
    replica = _empty()
    sync(client, replica)
    assert replica == server_data(db)
    assert directory["Lyon"] not in replica["practitioner"]
    assert len(replica["practitioner"]) == 3
    assert all(s["practitioner_id"] != directory["Lyon"] for s in replica["slot"].values())


def test_a_first_sync_in_small_pages_gives_the_same_replica(client, db, directory):
    replica = _empty()
    sync(client, replica, limit=2)
    assert replica == server_data(db)


def test_a_replica_follows_every_kind_of_change(client, db, directory):
    replica = _empty()
    cursor = sync(client, replica, limit=3)
    with db.writing() as session:
        _practitioner_with_slots(session, "Nouvelle")  # a new practitioner
        place = session.scalars(
            select(Place).where(Place.practitioner_id == directory["Douai1"])
        ).one()
        place.address = "12 rue Neuve"  # an edited place
        booked = session.scalars(
            select(Slot).where(
                Slot.practitioner_id == directory["Douai1"], Slot.starts_at > utcnow()
            )
        ).first()
        booked.taken = True  # a booked slot
        motive = session.scalars(
            select(Motive).where(Motive.practitioner_id == directory["Douai2"])
        ).first()
        session.delete(motive)  # a deleted motive: slots no longer allow it
        session.get(Practitioner, directory["Lyon"]).last_name = "Lointain"
    cursor = sync(client, replica, cursor, limit=2)
    assert replica == server_data(db)
    assert replica["slot"][booked.id]["free"] is False
    assert motive.id not in replica["motive"]
    assert replica["place"][place.id]["address"] == "12 rue Neuve"

    with db.writing() as session:
        # Lyon moves into the area: its whole card arrives. Arras leaves it: it goes.
        session.scalars(
            select(Place).where(Place.practitioner_id == directory["Lyon"])
        ).one().lat = 50.37
        session.scalars(
            select(Place).where(Place.practitioner_id == directory["Lyon"])
        ).one().lng = 3.1
        arras = session.scalars(
            select(Place).where(Place.practitioner_id == directory["Arras"])
        ).one()
        arras.lat, arras.lng = LYON["lat"], LYON["lng"]
        # A deleted practitioner and a deleted slot.
        session.delete(session.get(Practitioner, directory["Douai2"]))
        session.delete(booked)
    sync(client, replica, cursor, limit=2)
    assert replica == server_data(db)
    assert directory["Lyon"] in replica["practitioner"]
    assert directory["Arras"] not in replica["practitioner"]
    assert directory["Douai2"] not in replica["practitioner"]


def test_opening_hours_that_change_their_motives_resend_their_slots(client, db, directory):
    replica = _empty()
    cursor = sync(client, replica)
    with db.writing() as session:
        hours = session.scalars(
            select(OpeningHours).where(OpeningHours.practitioner_id == directory["Douai1"])
        ).first()
        hours.motives = hours.motives[:1]
        other = session.scalars(
            select(OpeningHours).where(OpeningHours.practitioner_id == directory["Douai2"])
        ).first()
        session.delete(other)
    sync(client, replica, cursor)
    assert replica == server_data(db)


def test_a_rolled_back_change_leaves_no_log_row(db, directory):
    with db.reading() as session:
        before = session.scalar(select(DirectoryChange.id).order_by(DirectoryChange.id.desc()))
    with pytest.raises(RuntimeError), db.writing() as session:
        session.get(Practitioner, directory["Douai1"]).last_name = "Annulé"
        session.flush()
        raise RuntimeError
    with db.reading() as session:
        after = session.scalar(select(DirectoryChange.id).order_by(DirectoryChange.id.desc()))
    assert after == before


def test_an_unchanged_sync_returns_nothing_and_keeps_its_cursor(client, directory):
    replica = _empty()
    cursor = sync(client, replica)
    page = client.get("/api/v1/sync/directory", params={"since": cursor}).json()
    assert page["changes"] == []
    assert page["has_more"] is False


@pytest.mark.parametrize(
    "cursor", ["abc", "s:", "s:-1", "p:1", "snap:9:0:s:1", "s:1e3", "s:" + "9" * 30]
)
def test_a_bad_cursor_is_refused_in_french_on_the_since_field(client, cursor):
    response = client.get("/api/v1/sync/directory", params={"since": cursor})
    if response.status_code == 409:  # a well-formed cursor of the other database kind
        assert response.json()["error"] == "resync"
        return
    assert response.status_code == 422
    body = response.json()
    assert body["field"] == "since"
    assert "Curseur" in body["message"]


def test_a_limit_over_2000_is_refused(client):
    response = client.get("/api/v1/sync/directory", params={"limit": 2001})
    assert response.status_code == 422
    assert response.json()["field"] == "limit"


def test_the_feed_needs_a_kiosk_token(app):
    from fastapi.testclient import TestClient

    with TestClient(app) as anonymous:
        assert anonymous.get("/api/v1/sync/directory").status_code == 401


def test_after_compaction_an_old_cursor_must_resync_and_a_fresh_one_goes_on(client, db, directory):
    old_cursor = sync(client, _empty())
    with db.writing() as session:
        session.get(Practitioner, directory["Douai1"]).last_name = "Changé"
    replica = _empty()
    fresh_cursor = sync(client, replica)
    with db.writing() as session:
        session.execute(update(DirectoryChange).values(changed_at=utcnow() - timedelta(days=40)))
        assert compact_changes(session, older_than_days=30) > 0
    response = client.get("/api/v1/sync/directory", params={"since": old_cursor})
    assert response.status_code == 409
    assert response.json()["error"] == "resync"
    with db.writing() as session:
        session.get(Practitioner, directory["Douai2"]).last_name = "Après"
    sync(client, replica, fresh_cursor)
    assert replica == server_data(db)
    restarted = _empty()
    sync(client, restarted)
    assert restarted == server_data(db)


def test_generated_slots_and_an_absence_reach_the_replica(client, db, directory):
    from server.models import Absence
    from server.services.slots import close_for_absence, generate_slots

    replica = _empty()
    cursor = sync(client, replica)
    with db.writing() as session:
        practitioner = make_practitioner(session, last_name="Generee")
        add_opening_hours(session, practitioner)
        assert (
            generate_slots(
                session, start=utcnow().date(), days=14, practitioner_ids=[practitioner.id]
            )
            > 0
        )
        practitioner_id = practitioner.id
    cursor = sync(client, replica, cursor)
    assert replica == server_data(db)
    assert sum(s["practitioner_id"] == practitioner_id for s in replica["slot"].values()) > 10
    with db.writing() as session:
        absence = Absence(
            practitioner_id=practitioner_id,
            starts_at=utcnow(),
            ends_at=utcnow() + timedelta(days=7),
        )
        session.add(absence)
        session.flush()
        assert close_for_absence(session, absence) > 0
    sync(client, replica, cursor)
    assert replica == server_data(db)
    closed = [s for s in replica["slot"].values() if s["practitioner_id"] == practitioner_id]
    assert any(not s["free"] for s in closed)


def test_a_late_commit_on_postgresql_is_still_delivered(client, db, directory, database_url):
    """Transaction A edits first and commits last; B commits in between. A must not be lost."""
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite serializes writers: ids are commit order")
    replica = _empty()
    cursor = sync(client, replica)
    late = db.write_session()
    try:
        place_a = late.scalars(
            select(Place).where(Place.practitioner_id == directory["Douai1"])
        ).one()
        place_a.address = "Adresse du retardataire"
        late.flush()  # its change row exists, uncommitted, with the older transaction id
        with db.writing() as early:
            place_b = early.scalars(
                select(Place).where(Place.practitioner_id == directory["Douai2"])
            ).one()
            place_b.address = "Adresse du premier"
        page = client.get("/api/v1/sync/directory", params={"since": cursor}).json()
        # B committed, but A (older) still runs: the page stops before both.
        assert place_b.id not in {c["id"] for c in page["changes"] if c["entity"] == "place"}
        apply(replica, page["changes"])
        cursor = page["next_cursor"]
        late.commit()
    finally:
        late.close()
    sync(client, replica, cursor)
    assert replica["place"][place_a.id]["address"] == "Adresse du retardataire"
    assert replica["place"][place_b.id]["address"] == "Adresse du premier"
    assert replica == server_data(db)


def test_booking_and_cancelling_through_the_api_show_in_the_feed(client, db, kiosk):
    from tests.server.booking_world import build_world

    world = build_world(db, kiosk.id)
    replica = _empty()
    cursor = sync(client, replica)
    slot_id = world.slot_ids[0]
    assert replica["slot"][slot_id]["free"] is True
    booked = world.book(client)
    assert booked.status_code in (200, 201), booked.json()
    cursor = sync(client, replica, cursor)
    assert replica["slot"][slot_id]["free"] is False
    cancel = client.post(
        f"/api/v1/appointments/{booked.json()['id']}/cancel", headers=world.headers
    )
    assert cancel.status_code == 200, cancel.json()
    sync(client, replica, cursor)
    assert replica["slot"][slot_id]["free"] is True
    assert replica == server_data(db)


def test_several_changes_of_one_entity_come_as_one_entry(client, db, directory):
    cursor = sync(client, _empty())
    for name in ("Un", "Deux", "Trois"):
        with db.writing() as session:
            session.get(Practitioner, directory["Douai1"]).last_name = name
    page = client.get("/api/v1/sync/directory", params={"since": cursor}).json()
    entries = [c for c in page["changes"] if c["entity"] == "practitioner"]
    assert len(entries) == 1
    assert entries[0]["data"]["last_name"] == "Trois"
