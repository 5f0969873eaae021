"""The person's consent that counsellors act for them, and the journal of what they did:
given, read and revoked by the person at a kiosk (the dashboard has its own pages)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from fastapi import APIRouter

from server.api.deps import CurrentAccount, DatabaseDep, ReadSessionDep, SettingsDep
from server.models import JournalEntry, Mandate
from server.schemas_assistance import HelpersOut, JournalLineOut, MandateIn, MandateOut
from server.services import assistance, journal

router = APIRouter(tags=["assistance"])
SHOWN = 20  # the latest journal lines a kiosk shows


@router.get("/me/helpers")
def my_helpers(account: CurrentAccount, db: ReadSessionDep, settings: SettingsDep) -> HelpersOut:
    """Times are the centre's local times."""
    zone = ZoneInfo(settings.timezone)
    return _helpers(assistance.current(db, account.id), journal.entries(db, account.id), zone)


@router.put("/me/mandate")
def give_mandate(
    body: MandateIn, account: CurrentAccount, database: DatabaseDep, settings: SettingsDep
) -> HelpersOut:
    """The person, signed in with their own code, says yes to the consent text."""
    with database.writing() as db:
        mandate = assistance.give_at_kiosk(db, account=account, duration=body.duration)
        return _helpers(mandate, journal.entries(db, account.id), ZoneInfo(settings.timezone))


@router.delete("/me/mandate")
def revoke_mandate(
    account: CurrentAccount, database: DatabaseDep, settings: SettingsDep
) -> HelpersOut:
    with database.writing() as db:
        assistance.revoke(db, account.id)
        return _helpers(None, journal.entries(db, account.id), ZoneInfo(settings.timezone))


def _helpers(mandate: Mandate | None, entries: list[JournalEntry], zone: ZoneInfo) -> HelpersOut:
    def local(moment: datetime) -> datetime:
        return moment.replace(tzinfo=UTC).astimezone(zone)

    return HelpersOut(
        mandate=MandateOut(
            duration=mandate.duration,
            granted_at=local(mandate.granted_at),
            expires_at=local(mandate.expires_at),
        )
        if mandate
        else None,
        journal=[
            JournalLineOut(
                at=local(e.at),
                who=e.counsellor_name or None,
                action=e.action,
                patient=e.patient,
                reference=e.reference,
            )
            for e in entries[:SHOWN]
        ],
    )
