"""`Services` for the journeys, over the server (`Api`), the `Outbox` and the `Replica`.

Reads ask the server first and fall back to the replica when it cannot be reached (the
answer then says `offline`). Writes go through the outbox: what the journeys get back is
only ever what the server said, so a booking is never shown confirmed before it was; a write
that could not be sent raises Offline(queued=True) and leaves later with the outbox.

Sign-in codes (SMS, e-mail) are sent directly, not queued: they only mean something while
the person is standing there.

Personal values (the session token, the person's account and appointments) live in this
object only, never in the replica; `end_session` forgets them.
"""

from __future__ import annotations

import contextlib
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

from kiosk.client.api import Api
from kiosk.client.desk import Desk
from kiosk.client.outbox import Outbox
from kiosk.client.replica import Replica
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

T = TypeVar("T")


def open_services(
    base_url: str,
    kiosk_token: str,
    folder: str | Path,
    desk: Desk | None = None,
    *,
    workshop: bool = False,
) -> KioskServices:
    """Services for a kiosk keeping its outbox and replica files in `folder`; `workshop`:
    the workshops' sandbox at `base_url`, with the `desk` of the kiosk's everyday services."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    api = Api(base_url, kiosk_token)
    outbox, replica = Outbox(folder / "outbox.sqlite3", api), Replica(folder / "replica.sqlite3")
    return KioskServices(api, outbox, replica, desk, workshop=workshop)


class KioskServices:
    """What the journeys may ask of the world, for one kiosk (see kiosk.workflows.services)."""

    def __init__(
        self,
        api: Api,
        outbox: Outbox,
        replica: Replica,
        desk: Desk | None = None,
        *,
        workshop: bool = False,
    ) -> None:
        self.api, self.outbox, self.replica = api, outbox, replica
        self.desk = desk or Desk(api)
        self.workshop = workshop  # talking to the workshops' sandbox
        self._exercise_number: str | None = None
        self._token: str | None = None
        self._me: Me | None = None
        self._appointments: list[Appointment] | None = None

    @property
    def signed_in(self) -> bool:
        return self._token is not None

    # ------------------------------------------------------------------ directory

    def home(self) -> Commune:
        """The kiosk's commune: the centre the server gives a search that names no place."""
        try:
            answer = self.api.get("/practitioners", {"limit": 1})
        except Offline:
            known = self.replica.home()
            if known is None:
                raise
            return known
        near = answer["near"]
        self.replica.remember_communes([near])
        self.replica.set_home(near["insee"])
        return _commune(near)

    def find_communes(self, text: str) -> list[Commune]:
        try:
            found = self.api.get("/communes", {"q": text})
        except Offline:
            return self.replica.find_communes(text)
        self.replica.remember_communes(found)
        return [_commune(c) for c in found]

    def search(
        self,
        *,
        specialty: str | None,
        name: str | None,
        near: str,
        offset: int = 0,
        limit: int = 5,
    ) -> SearchPage:
        try:
            # The kiosk's own commune is the server's default; a name search then looks
            # everywhere, as the person named someone and no place.
            home = self.replica.home() or self.home()
            commune = None if near == home.insee else near
            params = {"specialty": specialty, "q": name, "commune": commune}
            params = {k: v for k, v in params.items() if v} | {"offset": offset, "limit": limit}
            answer = self.api.get("/practitioners", params)
        except Offline:
            return self.replica.search(
                specialty=specialty, name=name, near=near, offset=offset, limit=limit
            )
        results = [_found(r) for r in answer["results"]]
        for r in results:
            self.replica.remember_specialty(r.specialty, r.specialty_label)
        if answer.get("near"):
            self.replica.remember_communes([answer["near"]])
        near_commune = _commune(answer["near"]) if answer.get("near") else None
        return SearchPage(results, near=near_commune)

    def card(self, practitioner_id: int) -> Card:
        try:
            answer = self.api.get(f"/practitioners/{practitioner_id}")
        except Offline:
            return _or_offline(self.replica.card(practitioner_id))
        card = _card(answer)
        self.replica.remember_specialty(card.specialty, card.specialty_label)
        return card

    def motives(self, practitioner_id: int) -> list[Motive]:
        try:
            answer = self.api.get(f"/practitioners/{practitioner_id}/motives")
        except Offline:
            return _or_offline(self.replica.motives(practitioner_id))
        return [_motive(m) for m in answer]

    def slots(self, practitioner_id: int, motive_id: int, start: date) -> list[Slot]:
        params = {"motive_id": motive_id, "from": start.isoformat()}
        try:
            answer = self.api.get(f"/practitioners/{practitioner_id}/slots", params)
        except Offline:
            return _or_offline(self.replica.slots(practitioner_id, motive_id, start))
        return [
            Slot(s["id"], datetime.fromisoformat(s["starts_at_local"]))
            for day in answer["days"]
            for s in day["slots"]
        ]

    # ------------------------------------------------------------------ signing in

    def request_code(self, phone: str) -> CodeSent:
        answer = self.api.request("POST", "/verifications", body={"phone": phone})
        if self.workshop:
            self._exercise_number = phone
        return CodeSent(answer["verification_id"], answer["resend_after"])

    def check_code(self, verification_id: str, code: str) -> bool:
        answer = self.api.request(
            "POST", f"/verifications/{verification_id}/check", body={"code": code}
        )
        self._forget_person()
        self._token = answer["session_token"]
        return bool(answer["account_exists"])

    # ------------------------------------------------------------------ the person

    def me(self) -> Me:
        try:
            answer = self.api.get("/me", token=self._signed_in_token())
        except Offline:
            return _or_offline(self._me)
        self._me = _me(answer)
        return self._me

    def save_profile(self, fields: dict[str, Any], *, consent: bool | None = None) -> Me:
        body = dict(fields) | ({"consent": consent} if consent is not None else {})
        self._me = _me(self._write("PUT", "/me", body))
        return self._me

    def check_email(self, code: str) -> None:
        answer = self.api.request(
            "POST", "/me/email/check", body={"code": code}, token=self._signed_in_token()
        )
        self._me = _me(answer)

    def add_relative(self, fields: dict[str, Any]) -> Person:
        return _person(self._write("POST", "/me/relatives", _relative_body(fields)))

    def update_relative(self, relative_id: int, fields: dict[str, Any]) -> Person:
        body = _relative_body(fields)
        return _person(self._write("PUT", f"/me/relatives/{relative_id}", body))

    def remove_relative(self, relative_id: int) -> None:
        self._write("DELETE", f"/me/relatives/{relative_id}")

    # ------------------------------------------------------------------ appointments

    def hold(
        self,
        *,
        slot_id: int,
        motive_id: int,
        patient_id: int,
        first_visit: bool,
        other_practitioner_consent: bool = False,
    ) -> Appointment:
        body = {
            "slot_id": slot_id,
            "motive_id": motive_id,
            "patient_id": patient_id,
            "first_visit": first_visit,
            "other_practitioner_consent": other_practitioner_consent,
        }
        return _appointment(self._write("POST", "/appointments", body))

    def confirm(self, appointment_id: int) -> Appointment:
        return _appointment(self._write("POST", f"/appointments/{appointment_id}/confirm"))

    def cancel(self, appointment_id: int) -> Appointment:
        return _appointment(self._write("POST", f"/appointments/{appointment_id}/cancel"))

    def move(self, appointment_id: int, slot_id: int) -> Appointment:
        body = {"slot_id": slot_id}
        return _appointment(self._write("POST", f"/appointments/{appointment_id}/move", body))

    def appointments(self) -> list[Appointment]:
        try:
            answer = self.api.get("/me/appointments", token=self._signed_in_token())
        except Offline:
            return _or_offline(self._appointments)
        self._appointments = [_appointment(a) for a in answer["appointments"]]
        return self._appointments

    def join_waitlist(
        self, *, practitioner_id: int, patient_id: int, motive_id: int | None
    ) -> None:
        body = {"practitioner_id": practitioner_id, "patient_id": patient_id}
        self._write("POST", "/waitlist", body | {"motive_id": motive_id})

    def helpers(self) -> Helpers:
        return _helpers(self.api.get("/me/helpers", token=self._signed_in_token()))

    def give_mandate(self, duration: str) -> Helpers:
        return _helpers(self._write("PUT", "/me/mandate", {"duration": duration}))

    def revoke_mandate(self) -> Helpers:
        return _helpers(self._write("DELETE", "/me/mandate"))

    def request_call_back(self, phone: str, step: str) -> None:
        """Queued like any write: a network cut does not lose the request."""
        self.outbox.send("POST", "/callbacks", {"phone": phone, "step": step})

    # ------------------------------------------------------------ the centre's counsellors

    def ask_for_help(self, step: str) -> None:
        self.desk.ask_for_help(step)

    def helper_coming(self) -> str | None:
        return self.desk.helper

    def showing(self, where: Where) -> None:
        self.desk.where = where

    def exercise_phone(self) -> list[str]:
        if self._exercise_number is None:
            return []
        answer = self.api.get("/exercise-phone", {"to": self._exercise_number})
        return [message["body"] for message in answer["messages"]]

    def journey_ended(self, run: JourneyRun) -> None:
        """Queued and sent by the upkeep: counting never keeps the person waiting.
        Exercises are not the centre's statistics: a workshop counts nothing."""
        if self.workshop:
            return
        body = {
            "journey": run.journey,
            "completed": run.completed,
            "last_step": run.last_step,
            "seconds": run.seconds,
            "day": date.today().isoformat(),
        }
        self.outbox.add("POST", "/journey-runs", body)

    # ------------------------------------------------------------------ the end

    def end_session(self) -> None:
        """Sign out (queued if the server is out of reach), then forget everything personal."""
        token, self._token = self._token, None
        self._forget_person()
        self.desk.person_left()
        if token is not None:
            # Offline: queued; ServiceError: the session had already ended on the server.
            with contextlib.suppress(Offline, ServiceError):
                self.outbox.send("POST", "/me/logout", token=token)
        self.outbox.scrub()

    def _forget_person(self) -> None:
        self._me = self._appointments = None
        self._exercise_number = None

    def _signed_in_token(self) -> str:
        if self._token is None:
            raise ServiceError(
                "not_signed_in",
                "Connectez-vous d'abord avec votre numéro de portable.",
                None,
                401,
            )
        return self._token

    def _write(self, method: str, path: str, body: Any = None) -> Any:
        return self.outbox.send(method, path, body, token=self._signed_in_token())


# ------------------------------------------------------------ from answers to values


def _or_offline(value: T | None) -> T:
    """What the kiosk knows without the server, or Offline when it knows nothing."""
    if value is None:
        raise Offline()
    return value


def _commune(c: dict[str, Any]) -> Commune:
    return Commune(c["insee"], c["name"], c.get("postcode"), c["label"])


def _local(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _helpers(answer: dict[str, Any]) -> Helpers:
    mandate = answer["mandate"]
    return Helpers(
        until=_local(mandate["expires_at"]) if mandate else None,
        journal=[
            JournalLine(_local(line["at"]), line["who"], line["action"], line["patient"])
            for line in answer["journal"]
        ],
    )


def _found(r: dict[str, Any]) -> Found:
    place = r.get("place") or {}
    return Found(
        id=r["id"],
        civility=r.get("civility"),
        first_name=r["first_name"],
        last_name=r["last_name"],
        specialty=r.get("specialty"),
        specialty_label=r.get("specialty_label"),
        address=place.get("address"),
        city=place.get("city"),
        phone=place.get("phone"),
        distance_km=r.get("distance_km"),
        next_free_slot=_local(r.get("next_free_slot_local")),
        bookable_online=r["bookable_online"],
    )


def _card(p: dict[str, Any]) -> Card:
    specialty = p.get("specialty") or {}
    return Card(
        id=p["id"],
        civility=p.get("civility"),
        first_name=p["first_name"],
        last_name=p["last_name"],
        specialty=specialty.get("code"),
        specialty_label=specialty.get("label"),
        places=[_place(place) for place in p["places"]],
        phone=p.get("phone"),
        convention_sector=p.get("convention_sector"),
        consultation_fee_cents=p.get("consultation_fee_cents"),
        payment_means=[w["code"] for w in p.get("payment_means", [])],
        languages=[w["code"] for w in p.get("languages", [])],
        video=p["video"],
        bookable_online=p["bookable_online"],
    )


def _place(p: dict[str, Any]) -> Place:
    fields = ("address", "postcode", "city", "phone", "ground_floor", "wheelchair", "parking")
    return Place(**{f: p.get(f) for f in fields}, public_transport=p.get("public_transport"))


def _motive(m: dict[str, Any]) -> Motive:
    return Motive(
        m["id"], m["label"], m["duration_minutes"], m["open_to_new_patients"], m["modality"]
    )


def _person(p: dict[str, Any]) -> Person:
    return Person(
        id=p["id"],
        sex=p.get("sex"),
        first_name=p.get("first_name"),
        last_name=p.get("last_name"),
        birth_date=date.fromisoformat(p["birth_date"]) if p.get("birth_date") else None,
        relationship=p.get("relationship_label"),
        complete=bool(p.get("profile_complete")),
    )


def _me(m: dict[str, Any]) -> Me:
    account = m["account"]
    return Me(
        phone=account["phone"],
        email=account.get("email"),
        email_verified=account["email_verified"],
        profile=_person(m["profile"]) if m.get("profile") else None,
        relatives=[_person(r) for r in m.get("relatives", [])],
    )


def _relative_body(fields: dict[str, Any]) -> dict[str, Any]:
    """The journeys say `relationship`, as in `Person`; the server `relationship_label`."""
    body = dict(fields)
    if "relationship" in body:
        body["relationship_label"] = body.pop("relationship")
    return body


def _appointment(a: dict[str, Any]) -> Appointment:
    return Appointment(
        id=a["id"],
        reference=a["reference"],
        status=a["status"],
        starts_at=datetime.fromisoformat(a["starts_at_local"]),
        ends_at=datetime.fromisoformat(a["ends_at"]),
        practitioner_id=a["practitioner_id"],
        practitioner_name=a["practitioner_name"],
        address=a["place_address"],
        practice_phone=a.get("place_phone"),
        motive_id=a["motive_id"],
        motive_label=a["motive_label"],
        patient_id=a["patient_id"],
        patient_first_name=a.get("patient_first_name"),
        can_cancel_online=a["can_cancel_online"],
    )
