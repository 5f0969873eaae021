"""The demo directory around Douai: fictional, deterministic, complete enough to book."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from sqlalchemy import func, select

from server.db import Database
from server.demo import catalogue, demo_plan, seed_demo
from server.models import Motive, OpeningHours, Place, Practitioner, Slot

TODAY = date(2026, 3, 2)  # a Monday


def test_the_plan_is_the_same_at_every_run() -> None:
    first = [(p.first_name, p.last_name, p.specialty, p.places) for p in demo_plan()]
    second = [(p.first_name, p.last_name, p.specialty, p.places) for p in demo_plan()]

    assert first == second


def test_the_demo_directory_has_what_a_workshop_needs(db: Database) -> None:
    counts = seed_demo(db, today=TODAY)

    assert counts["created"] is True
    assert counts["practitioners"] >= 150
    assert counts["specialties"] >= 12
    not_bookable = counts["practitioners"] - counts["bookable_online"]
    assert 0.15 <= not_bookable / counts["practitioners"] <= 0.25
    with db.reading() as session:
        people = session.scalars(select(Practitioner)).all()
        names = {(p.first_name, p.last_name) for p in people}
        assert [p.last_name for p in people].count("Dupont") == 1
        assert any("É" in first for first, _ in names)
        assert any("'" in last for _, last in names)
        assert any("-" in last for _, last in names)
        places_per_person = Counter(session.scalars(select(Place.practitioner_id)))
        assert any(n == 2 for n in places_per_person.values())
        communes = set(session.scalars(select(Place.commune_insee)))
        assert communes <= set(catalogue.COMMUNES)
        assert all(session.scalars(select(Place.phone)))
        assert names == {(p.first_name, p.last_name) for p in demo_plan()}


def test_every_bookable_practitioner_has_motives_and_four_weeks_of_slots(db: Database) -> None:
    seed_demo(db, today=TODAY)

    with db.reading() as session:
        bookable = session.scalars(
            select(Practitioner.id).where(Practitioner.bookable_online.is_(True))
        ).all()
        with_motives = set(session.scalars(select(Motive.practitioner_id)))
        with_hours = set(session.scalars(select(OpeningHours.practitioner_id)))
        with_slots = set(session.scalars(select(Slot.practitioner_id)))
        first, last = session.execute(
            select(func.min(Slot.starts_at), func.max(Slot.starts_at))
        ).one()
        closed_to_new = session.scalar(
            select(func.count()).select_from(Motive).where(Motive.open_to_new_patients.is_(False))
        )
    assert set(bookable) <= with_motives & with_hours & with_slots
    assert with_hours <= set(bookable)  # the others show their phone number only
    assert first.date() >= TODAY - timedelta(days=1)
    assert last.date() >= TODAY + timedelta(days=25)
    assert closed_to_new > 0


def test_seeding_twice_adds_nothing(db: Database) -> None:
    first = seed_demo(db, today=TODAY)

    again = seed_demo(db, today=TODAY)

    assert again["created"] is False
    assert {k: v for k, v in again.items() if k != "created"} == {
        k: v for k, v in first.items() if k != "created"
    }
