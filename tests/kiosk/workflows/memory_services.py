"""A small in-memory world that keeps the `Services` contract, for unit tests of the steps.

The issue asks for every step to be tested without a server; this world holds a handful of
practitioners and applies the same rules the journeys rely on (one booking per time, codes,
consent). End-to-end tests run the same journeys through kiosk/client against the real server.
"""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from kiosk.workflows.services import (
    Appointment,
    Card,
    CodeSent,
    Commune,
    Found,
    Helpers,
    JournalLine,
    JourneyRun,
    Me,
    Motive,
    Offline,
    Person,
    Place,
    SearchPage,
    ServiceError,
    Slot,
    Where,
)

PARIS = ZoneInfo("Europe/Paris")
DOUAI = Commune("59178", "Douai", "59500", "Douai (59)")
ARRAS = [
    Commune("62041", "Arras", "62000", "Arras (62)"),
    Commune("13", "Arras-en-Lavedan", "65400", "Arras-en-Lavedan (65)"),
]
CODE = "123456"


def _person(pid: int, fields: dict[str, Any], relationship: str | None = None) -> Person:
    born = fields.get("birth_date")
    return Person(
        id=pid,
        sex=fields.get("sex"),
        first_name=fields.get("first_name"),
        last_name=fields.get("last_name"),
        birth_date=date.fromisoformat(born) if isinstance(born, str) else born,
        relationship=relationship or fields.get("relationship_label"),
        complete=all(fields.get(k) for k in ("sex", "first_name", "last_name", "birth_date")),
    )


class MemoryServices:
    def __init__(self, today: date, *, known_phone: str | None = None) -> None:
        self.today = today
        self.offline = False
        self.ids = itertools.count(100)
        self.accounts: dict[str, dict[str, Any]] = {}
        self.phone: str | None = None
        self.codes_sent: list[str] = []
        self.ended = 0
        self.waitlist: list[tuple[int, int, int | None]] = []
        self.call_backs: list[tuple[str, str]] = []  # (phone, step)
        self.help_asked: list[str] = []  # steps where the person asked for a counsellor
        self.helper: str | None = None  # the counsellor coming, as the server would say
        self.where: Where | None = None
        self.runs: list[JourneyRun] = []
        self.booked: dict[int, Appointment] = {}
        self.taken: set[int] = set()
        self.practitioners = {
            1: self._card(1, "dr", "Marie", "Dupont", "medecine-generale", True),
            2: self._card(2, "mme", "Élodie", "N'Diaye", "kinesitherapie", True),
            3: self._card(3, "dr", "Paul", "Martin", "medecine-generale", False),
        }
        self.motive_lists = {
            1: [
                Motive(11, "Première consultation", 20, True, "practice"),
                Motive(12, "Consultation de suivi", 15, False, "practice"),
            ],
            2: [Motive(21, "Séance de kinésithérapie", 30, True, "practice")],
            3: [],
        }
        if known_phone:
            self.accounts[known_phone] = self._account(
                {
                    "sex": "F",
                    "first_name": "Jeanne",
                    "last_name": "Petit",
                    "birth_date": "1948-05-02",
                }
            )

    # ---------------------------------------------------------------- world

    def _card(self, pid: int, civ: str, first: str, last: str, spec: str, online: bool) -> Card:
        place = Place(
            "12 rue de Paris", "59500", "Douai", "0327000000", True, True, True, "ligne 1"
        )
        return Card(
            pid,
            civ,
            first,
            last,
            spec,
            None,
            [place],
            "0327000000",
            "1",
            2650,
            ["vitale", "card"],
            ["fr", "ar"],
            False,
            online,
        )

    def _account(self, profile: dict[str, Any]) -> dict[str, Any]:
        holder = _person(next(self.ids), profile) if profile else None
        return {"holder": holder, "relatives": [], "email": None, "email_code": None}

    def visited(self, phone: str, practitioner_id: int, motive_id: int, days_ago: int) -> None:
        """A visit that took place: the account holder saw the practitioner for this motive."""
        holder = self.accounts[phone]["holder"]
        starts = datetime.combine(self.today - timedelta(days=days_ago), time(10), PARIS)
        card = self.practitioners[practitioner_id]
        label = next(m.label for m in self.motive_lists[practitioner_id] if m.id == motive_id)
        visit = Appointment(
            next(self.ids),
            "PAST",
            "honoured",
            starts,
            starts + timedelta(minutes=20),
            practitioner_id,
            f"Docteur {card.first_name} {card.last_name}",
            "12 rue de Paris, Douai",
            card.phone,
            motive_id,
            label,
            holder.id,
            holder.first_name,
            False,
        )
        self.booked[visit.id] = visit

    def slot_times(self, pid: int) -> list[Slot]:
        start = datetime.combine(self.today + timedelta(days=1), datetime.min.time(), PARIS)
        return [
            Slot(pid * 1000 + n, start + timedelta(days=n // 4, hours=9 + n % 4)) for n in range(40)
        ]

    def _online(self) -> None:
        if self.offline:
            raise Offline()

    def _me_account(self) -> dict[str, Any]:
        if self.phone is None:
            raise ServiceError("session_expired", "Reconnectez-vous.", None, 401)
        return self.accounts[self.phone]

    # ------------------------------------------------------------- contract

    def home(self) -> Commune:
        return DOUAI

    def find_communes(self, text: str) -> list[Commune]:
        self._online()
        if text.lower().startswith("arras"):
            return ARRAS
        return [DOUAI] if text.lower() in ("douai", "59500") else []

    def search(self, *, specialty, name, near, offset=0, limit=5) -> SearchPage:  # noqa: ANN001
        found = [
            Found(
                c.id,
                c.civility,
                c.first_name,
                c.last_name,
                c.specialty,
                None,
                "12 rue de Paris",
                "Douai",
                c.phone,
                1.5,
                self.slot_times(c.id)[0].starts_at if c.bookable_online else None,
                c.bookable_online,
            )
            for c in self.practitioners.values()
            if (specialty and c.specialty == specialty)
            or (name and name.lower() in c.last_name.lower())
        ]
        return SearchPage(found[offset : offset + limit], None, self.offline)

    def card(self, practitioner_id: int) -> Card:
        return self.practitioners[practitioner_id]

    def motives(self, practitioner_id: int) -> list[Motive]:
        self._online()
        return self.motive_lists[practitioner_id]

    def slots(self, practitioner_id: int, motive_id: int, start: date) -> list[Slot]:
        self._online()
        end = start + timedelta(days=7)
        return [
            s
            for s in self.slot_times(practitioner_id)
            if start <= s.starts_at.date() < end and s.id not in self.taken
        ]

    def request_code(self, phone: str) -> CodeSent:
        self._online()
        self.codes_sent.append(phone)
        self.pending_phone = phone
        return CodeSent("v-1", 60)

    def check_code(self, verification_id: str, code: str) -> bool:
        self._online()
        if code != CODE:
            raise ServiceError(
                "wrong_code",
                "Ce code n'est pas le bon. Il vous reste 4 essais.",
                "code",
                422,
                {"tries_left": 4},
            )
        self.phone = self.pending_phone
        return self.phone in self.accounts

    def me(self) -> Me:
        account = self._me_account()
        return Me(
            self.phone, account["email"], False, account["holder"], list(account["relatives"])
        )

    def save_profile(self, fields: dict[str, Any], *, consent: bool | None = None) -> Me:
        self._online()
        if self.phone not in self.accounts:
            if consent is not True:
                raise ServiceError("consent_required", "Il faut votre accord.", "consent", 422)
            self.accounts[self.phone] = self._account({})
        account = self.accounts[self.phone]
        if "email" in fields:
            account["email"] = fields.pop("email")
        if fields:
            holder = account["holder"]
            pid = holder.id if holder else next(self.ids)
            account["holder"] = _person(pid, fields)
        return self.me()

    def check_email(self, code: str) -> None:
        if code != CODE:
            raise ServiceError("wrong_code", "Ce code n'est pas le bon.", "code")

    def add_relative(self, fields: dict[str, Any]) -> Person:
        self._online()
        relative = _person(next(self.ids), fields)
        self._me_account()["relatives"].append(relative)
        return relative

    def update_relative(self, relative_id: int, fields: dict[str, Any]) -> Person:
        relatives = self._me_account()["relatives"]
        index = next(i for i, p in enumerate(relatives) if p.id == relative_id)
        relatives[index] = _person(relative_id, fields)
        return relatives[index]

    def remove_relative(self, relative_id: int) -> None:
        account = self._me_account()
        account["relatives"] = [p for p in account["relatives"] if p.id != relative_id]

    def hold(
        self, *, slot_id, motive_id, patient_id, first_visit, other_practitioner_consent=False
    ):  # noqa: ANN001, ANN201
        self._online()
        if slot_id in self.taken:
            raise ServiceError("slot_taken", "Cet horaire vient d'être pris.", "slot_id", 409)
        pid = slot_id // 1000
        slot = next(s for s in self.slot_times(pid) if s.id == slot_id)
        card = self.practitioners[pid]
        people = [self._me_account()["holder"], *self._me_account()["relatives"]]
        patient = next(p for p in people if p.id == patient_id)
        self.taken.add(slot_id)
        appointment = Appointment(
            next(self.ids),
            "REF",
            "pending",
            slot.starts_at,
            slot.starts_at + timedelta(minutes=20),  # as move() does
            pid,
            f"Docteur {card.first_name} {card.last_name}",
            "12 rue de Paris, Douai",
            card.phone,
            motive_id,
            "Première consultation",
            patient_id,
            patient.first_name,
            True,
        )
        self.booked[appointment.id] = appointment
        return appointment

    def confirm(self, appointment_id: int) -> Appointment:
        self._online()
        return self._set(appointment_id, status="confirmed")

    def cancel(self, appointment_id: int) -> Appointment:
        self._online()
        return self._set(appointment_id, status="cancelled")

    def move(self, appointment_id: int, slot_id: int) -> Appointment:
        self._online()
        pid = slot_id // 1000
        slot = next(s for s in self.slot_times(pid) if s.id == slot_id)
        self.taken.add(slot_id)
        ends_at = slot.starts_at + timedelta(minutes=20)
        return self._set(appointment_id, starts_at=slot.starts_at, ends_at=ends_at)

    def appointments(self) -> list[Appointment]:
        self._online()
        return sorted(self.booked.values(), key=lambda a: a.starts_at)

    def join_waitlist(
        self, *, practitioner_id: int, patient_id: int, motive_id: int | None
    ) -> None:
        self.waitlist.append((practitioner_id, patient_id, motive_id))

    def helpers(self) -> Helpers:
        self._online()
        account = self._me_account()
        return Helpers(account.get("mandate_until"), list(account.get("journal", [])))

    def give_mandate(self, duration: str) -> Helpers:
        self._online()
        account = self._me_account()
        days = {"visit": 0, "day": 1, "month": 31, "year": 365}[duration]
        now = datetime.combine(self.today, time(10, 0), PARIS)
        account["mandate_until"] = now + (timedelta(days=days) if days else timedelta(hours=3))
        account.setdefault("journal", []).insert(0, JournalLine(now, None, "consent_given", None))
        return self.helpers()

    def counsellor_acted(self, phone: str, who: str, action: str, patient: str | None) -> None:
        """What the dashboard would journal when a counsellor acts for this account."""
        at = datetime.combine(self.today, time(11, 30), PARIS)
        self.accounts[phone].setdefault("journal", []).insert(
            0, JournalLine(at, who, action, patient)
        )

    def revoke_mandate(self) -> Helpers:
        self._online()
        account = self._me_account()
        account["mandate_until"] = None
        now = datetime.combine(self.today, time(10, 5), PARIS)
        account.setdefault("journal", []).insert(0, JournalLine(now, None, "consent_revoked", None))
        return self.helpers()

    def request_call_back(self, phone: str, step: str) -> None:
        self._online()
        self.call_backs.append((phone, step))

    def ask_for_help(self, step: str) -> None:
        self._online()
        self.help_asked.append(step)

    def helper_coming(self) -> str | None:
        return self.helper

    def showing(self, where: Where) -> None:
        self.where = where

    def journey_ended(self, run: JourneyRun) -> None:
        self.runs.append(run)

    def exercise_phone(self) -> list[str]:
        """As the sandbox: the code sent last, to the number given in this session."""
        return [f"Code : {CODE}"] if self.codes_sent else []

    def end_session(self) -> None:
        self.ended += 1
        self.phone = None
        self.help_asked.clear()
        self.helper = None

    def _set(self, appointment_id: int, **changes: Any) -> Appointment:
        self.booked[appointment_id] = replace(self.booked[appointment_id], **changes)
        return self.booked[appointment_id]
