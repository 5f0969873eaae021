"""Slots generated from weekly opening hours (Paris wall clock) into naive UTC."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from server.models import Absence, Appointment, AppointmentStatus, OpeningHours, Slot
from server.services.slots import close_for_absence, generate_slots, regenerate_slots
from tests.factories import add_opening_hours, make_practitioner

MONDAY_WINTER = date(2030, 1, 7)
# Summer time starts on Sunday 31 March 2030: the Monday after is UTC+2.
MONDAY_SUMMER = date(2030, 4, 1)


def _starts(db, practitioner_id):
    with db.reading() as session:
        return session.scalars(
            select(Slot.starts_at)
            .where(Slot.practitioner_id == practitioner_id)
            .order_by(Slot.starts_at)
        ).all()


def _practitioner_with_mornings(db, **hours):
    with db.writing() as session:
        practitioner = make_practitioner(session)
        add_opening_hours(session, practitioner, weekdays=[0], **hours)
        return practitioner.id


def test_paris_wall_clock_becomes_utc_in_winter_and_summer(db):
    practitioner_id = _practitioner_with_mornings(db, start=time(9), end=time(10))
    with db.writing() as session:
        assert generate_slots(session, start=MONDAY_WINTER, days=1) == 2
        assert generate_slots(session, start=MONDAY_SUMMER, days=1) == 2
    assert _starts(db, practitioner_id) == [
        datetime(2030, 1, 7, 8, 0),
        datetime(2030, 1, 7, 8, 30),
        datetime(2030, 4, 1, 7, 0),
        datetime(2030, 4, 1, 7, 30),
    ]


def test_generating_again_creates_nothing_new(db):
    _practitioner_with_mornings(db)
    with db.writing() as session:
        assert generate_slots(session, start=MONDAY_WINTER, days=14) == 12
    with db.writing() as session:
        assert generate_slots(session, start=MONDAY_WINTER, days=14) == 0


def test_a_last_slot_must_end_before_closing_time(db):
    practitioner_id = _practitioner_with_mornings(
        db, start=time(9), end=time(10, 10), slot_minutes=20
    )
    with db.writing() as session:
        generate_slots(session, start=MONDAY_WINTER, days=1)
    assert len(_starts(db, practitioner_id)) == 3


def test_absences_and_validity_dates_are_respected(db):
    practitioner_id = _practitioner_with_mornings(db)
    with db.writing() as session:
        rule = session.scalars(select(OpeningHours)).one()
        rule.valid_until = MONDAY_WINTER + timedelta(days=7)
        session.add(
            Absence(
                practitioner_id=practitioner_id,
                starts_at=datetime(2030, 1, 7, 8, 0),
                ends_at=datetime(2030, 1, 7, 9, 0),
            )
        )
        session.flush()
        assert generate_slots(session, start=MONDAY_WINTER, days=21) == 4 + 6


def test_only_the_given_practitioners_get_slots(db):
    first = _practitioner_with_mornings(db)
    second = _practitioner_with_mornings(db)
    with db.writing() as session:
        generate_slots(session, start=MONDAY_WINTER, days=1, practitioner_ids=[second])
    assert _starts(db, first) == []
    assert len(_starts(db, second)) == 6


def test_an_absence_closes_free_slots_but_not_taken_ones(db):
    practitioner_id = _practitioner_with_mornings(db)
    with db.writing() as session:
        generate_slots(session, start=MONDAY_WINTER, days=1)
        first = session.scalars(select(Slot).order_by(Slot.starts_at)).first()
        first.taken = True
        absence = Absence(
            practitioner_id=practitioner_id,
            starts_at=datetime(2030, 1, 7, 0, 0),
            ends_at=datetime(2030, 1, 8, 0, 0),
        )
        session.add(absence)
        session.flush()
        assert close_for_absence(session, absence) == 5


def test_regenerating_follows_changed_hours_and_keeps_booked_slots(db):
    practitioner_id = _practitioner_with_mornings(db)
    start = date.today() + timedelta(days=7 - date.today().weekday())  # next Monday
    with db.writing() as session:
        generate_slots(session, start=start, days=1)
        slots = session.scalars(select(Slot).order_by(Slot.starts_at)).all()
        booked = slots[-1]
        booked.taken = True
        session.add(
            Appointment(
                reference="REGEN001",
                slot_id=booked.id,
                practitioner_id=practitioner_id,
                place_id=booked.place_id,
                motive_id=session.scalars(select(OpeningHours)).one().motives[0].id,
                first_visit=True,
                status=AppointmentStatus.CONFIRMED,
                starts_at=booked.starts_at,
                ends_at=booked.ends_at,
            )
        )
        rule = session.scalars(select(OpeningHours)).one()
        rule.end_time = time(10)  # mornings now end at 10:00
        session.flush()
        regenerate_slots(session, practitioner_id=practitioner_id, start=start, days=1)
    kept = _starts(db, practitioner_id)
    assert len(kept) == 3  # 9:00, 9:30, and the booked 11:30 kept
    assert kept[-1] == booked.starts_at
