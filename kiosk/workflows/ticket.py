"""What a person takes away after booking: the words of a ticket and an event for a phone.

Channels render it: the touch screen shows the event as a QR code and prints the ticket,
the voice reads the lines. No motive on it: what the appointment is for is health data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from icalendar import Alarm, Calendar, Event

from kiosk.workflows.formats import day_words, phone_words, time_words
from kiosk.workflows.i18n import N_, SOURCE, language, phrase
from kiosk.workflows.services import Appointment

if TYPE_CHECKING:
    from kiosk.workflows.flow import Context


@dataclass(frozen=True)
class Ticket:
    lines: list[str]  # the first is a title; in the flow's language
    paper: list[str]  # the same for a receipt printer: French where its script is not printable
    calendar: str  # an iCalendar (RFC 5545) event a phone can add, with a reminder the day before
    caption: str  # what the QR code is for, beside it on the screen…
    paper_caption: str  # …and under it on paper, in the paper's language


QR_CAPTION = N_("Ce code ajoute le rendez-vous à votre téléphone.")


def ticket_for(ctx: Context, appointment: Appointment) -> Ticket:
    lines = _lines(appointment, ctx.language)
    # Receipt printers print Latin letters only: no joined Arabic, no right to left.
    on_paper = SOURCE if language(ctx.language).rtl else ctx.language
    summary = ctx.t(N_("Rendez-vous avec {who}"), who=appointment.practitioner_name)
    return Ticket(
        lines,
        paper=_lines(appointment, on_paper),
        calendar=calendar_event(appointment, summary=summary, reminder=lines[-1]),
        caption=phrase(ctx.language, QR_CAPTION),
        paper_caption=phrase(on_paper, QR_CAPTION),
    )


def _lines(a: Appointment, lang: str) -> list[str]:
    lines = [
        phrase(lang, N_("Rendez-vous médical")),
        phrase(lang, N_("Le {day}."), day=day_words(a.starts_at.date(), lang)),
        phrase(lang, N_("À {time}."), time=time_words(a.starts_at.time(), lang)),
        phrase(lang, N_("Avec {who}."), who=a.practitioner_name),
        phrase(lang, N_("Adresse : {address}."), address=a.address),
    ]
    if a.patient_first_name:
        lines.append(phrase(lang, N_("Pour {name}."), name=a.patient_first_name))
    lines.append(phrase(lang, N_("Pour annuler, allez dans Mes rendez-vous.")))
    if a.practice_phone:
        lines.append(
            phrase(lang, N_("Ou appelez le {phone}."), phone=phone_words(a.practice_phone))
        )
    return lines


def calendar_event(appointment: Appointment, *, summary: str, reminder: str) -> str:
    """One VEVENT; times in UTC so any phone shows them in its own time zone."""
    a = appointment
    event = Event()
    event.add("uid", f"{a.reference}@borne-rendez-vous")
    event.add("dtstamp", datetime.now(UTC))
    event.add("dtstart", a.starts_at.astimezone(UTC))
    event.add("dtend", a.ends_at.astimezone(UTC))
    event.add("summary", summary)
    event.add("location", a.address)
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", summary)
    alarm.add("trigger", timedelta(days=-1))
    event.add_component(alarm)
    event.add("description", reminder)
    calendar = Calendar()
    calendar.add("prodid", "-//Borne France Services//Rendez-vous//FR")
    calendar.add("version", "2.0")
    calendar.add_component(event)
    return calendar.to_ical().decode("utf-8")
