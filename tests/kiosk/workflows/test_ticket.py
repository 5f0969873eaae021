"""After booking, a person takes the appointment away: a ticket's words and a phone event."""

from __future__ import annotations

from datetime import UTC, timedelta

from icalendar import Calendar

from kiosk.workflows.falc import problems
from kiosk.workflows.flow import Flow
from tests.kiosk.workflows.memory_services import MemoryServices
from tests.kiosk.workflows.scenarios import book_known_person, run


def test_the_done_screen_gives_a_ticket_with_day_time_practitioner_address_and_how_to_cancel(
    flow: Flow, world: MemoryServices
) -> None:
    done = run(flow, book_known_person())[-1]
    booked = next(iter(world.booked.values()))
    assert done.ticket is not None
    title, day, time, who, address, *rest = done.ticket.lines
    assert title == "Rendez-vous médical"
    assert day.startswith("Le ") and str(booked.starts_at.year) in day
    assert time == f"À {booked.starts_at.hour} h."
    assert who == f"Avec {booked.practitioner_name}."
    assert address == "Adresse : 12 rue de Paris, Douai."
    assert "Pour annuler, allez dans Mes rendez-vous." in rest
    assert not [line for line in done.ticket.lines if problems(line)]


def test_the_event_a_phone_adds_has_the_time_in_utc_the_place_and_a_reminder_the_day_before(
    flow: Flow, world: MemoryServices
) -> None:
    done = run(flow, book_known_person())[-1]
    booked = next(iter(world.booked.values()))
    (event,) = Calendar.from_ical(done.ticket.calendar).walk("VEVENT")
    assert event.decoded("dtstart") == booked.starts_at.astimezone(UTC)
    assert event.decoded("dtend") - event.decoded("dtstart") == timedelta(minutes=20)
    assert str(event["location"]) == "12 rue de Paris, Douai"
    assert str(event["summary"]) == f"Rendez-vous avec {booked.practitioner_name}"
    (alarm,) = event.walk("VALARM")
    assert alarm.decoded("trigger") == timedelta(days=-1)


def test_an_arabic_ticket_is_printed_in_french_as_receipt_printers_have_no_arabic(
    flow: Flow,
) -> None:
    run(flow, [("answer", "language"), ("answer", "ar")])
    done = run(flow, book_known_person())[-1]
    assert done.ticket.lines[0] == "موعد طبي"
    assert done.ticket.paper[0] == "Rendez-vous médical"
    assert len(done.ticket.paper) == len(done.ticket.lines)
    assert done.ticket.paper_caption == "Ce code ajoute le rendez-vous à votre téléphone."
    assert done.ticket.caption != done.ticket.paper_caption  # in Arabic on the screen


def test_the_reason_for_the_visit_stays_off_the_ticket_and_the_event(flow: Flow) -> None:
    done = run(flow, book_known_person())[-1]
    assert "consultation" not in done.ticket.calendar.lower()
    assert not [line for line in done.ticket.lines if "consultation" in line.lower()]


def test_a_moved_appointment_gives_a_new_ticket_and_other_results_none(flow: Flow) -> None:
    run(flow, book_known_person())
    moved = run(flow, [("answer", "home"), ("answer", "mine"), ("choose", 1)])[-1]
    assert moved.step == "appointments.detail"
    moved = run(flow, [("answer", "move"), ("choose", 2), ("answer", True)])[-1]
    assert moved.step == "appointments.moved"
    assert moved.ticket is not None and "VEVENT" in moved.ticket.calendar
    waiting = run(flow, [("answer", "home"), ("answer", "mine"), ("choose", 1)])
    waiting = run(flow, [("answer", "waitlist"), ("answer", True)])[-1]
    assert waiting.step == "appointments.waiting" and waiting.ticket is None
