"""Returning people, made in the server's database: what happened between two visits.

Kept apart from the journeys so a measured kiosk process never loads the server's modules.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import select

from bench.scripts import BOOKED, VISITED, SmsInbox, new_person_books, replay
from kiosk.client.services import KioskServices
from kiosk.workflows.flow import Flow
from kiosk.workflows.journeys import JOURNEYS
from server.db import Database
from server.models import Account, Appointment, AppointmentStatus, Verification
from server.services.phones import normalize_mobile


def returning(
    services: KioskServices, database_url: str, phone: str, inbox: SmsInbox, before: str
) -> None:
    """Make the person a journey starts with: nobody yet (NEW), someone who booked (BOOKED)
    and came back an hour later, or someone who also went to that appointment (VISITED)."""
    if before in (BOOKED, VISITED):
        prepare(services, phone, inbox)
        came_back_later(database_url, phone)
    if before == VISITED:
        visit_took_place(database_url, phone)


def prepare(
    services: KioskServices, phone: str, inbox: SmsInbox, script: Callable = new_person_books
) -> None:
    """A returning person's past visit: by default an account and one upcoming appointment,
    made as a new person would. The server then wants a minute before the next code: see
    `came_back_later`."""
    flow = Flow(JOURNEYS, services)
    done = replay(flow, script(phone, inbox.code))
    flow.stop()
    if done.views[-1].step != "booking.done":
        raise RuntimeError(f"preparing a returning person ended at {done.views[-1].step}")


def visit_took_place(database_url: str, phone: str, days_ago: int = 30) -> None:
    """The person's appointments, moved into the past and marked honoured: they went, and
    are now a patient of that practitioner."""
    db = Database(database_url, pool_size=1)
    try:
        with db.writing() as session:
            mine = Appointment.account_id.in_(
                select(Account.id).where(Account.phone == normalize_mobile(phone))
            )
            for appointment in session.scalars(select(Appointment).where(mine)):
                appointment.starts_at -= timedelta(days=days_ago)
                appointment.ends_at -= timedelta(days=days_ago)
                appointment.status = AppointmentStatus.HONOURED
    finally:
        db.dispose()


def came_back_later(database_url: str, phone: str, by: timedelta = timedelta(hours=1)) -> None:
    """Move the codes sent to this phone back in time, as if the person came back later
    (the server refuses a new code within a minute, and more than 3 an hour)."""
    db = Database(database_url, pool_size=1)
    try:
        with db.writing() as session:
            # Row by row: SQLite keeps times as text, where SQL arithmetic does not work.
            target = Verification.target == normalize_mobile(phone)
            for verification in session.scalars(select(Verification).where(target)):
                verification.created_at -= by
                verification.expires_at -= by
    finally:
        db.dispose()
