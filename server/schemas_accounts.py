"""Request and response bodies of verifications, the account ("me") and relatives.

Text fields are cleaned by server.services.person_fields; its French reasons become
"<field> : <reason>" answers naming the field.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from server.models import Account, Patient
from server.services import accounts, person_fields
from server.services.phones import format_phone_fr


def _cleaned(clean: Callable[[Any], Any]) -> BeforeValidator:
    """Run a cleaner on text; null and empty text clear the field."""

    def run(value: Any) -> Any:
        if value is None:
            return None
        if not isinstance(value, str):
            raise ValueError("la valeur n'est pas valide.")
        return clean(value)

    return BeforeValidator(run)


Name = Annotated[str | None, _cleaned(person_fields.clean_name)]
Text = Annotated[str | None, _cleaned(person_fields.clean_text)]
Sex = Annotated[str | None, _cleaned(person_fields.clean_sex)]
BirthDate = Annotated[date | None, _cleaned(person_fields.parse_birth_date)]
Postcode = Annotated[str | None, _cleaned(person_fields.clean_postcode)]
Insee = Annotated[str | None, _cleaned(person_fields.clean_insee)]
Email = Annotated[str | None, _cleaned(person_fields.clean_email)]
Language = Annotated[str | None, _cleaned(person_fields.clean_language)]
_city = partial(person_fields.clean_text, limit=person_fields.NAME_MAX)
City = Annotated[str | None, _cleaned(_city)]
# The column holds 40 characters: "enfant", "conjoint", "mère"…
Label = Annotated[str | None, _cleaned(partial(person_fields.clean_text, limit=40))]


# ------------------------------------------------------------------ verifications


class VerificationIn(BaseModel):
    phone: str = Field(max_length=40)


class VerificationOut(BaseModel):
    verification_id: str
    expires_in: int
    resend_after: int


class CodeIn(BaseModel):
    code: str = Field(max_length=20)


class SignedInOut(BaseModel):
    session_token: str
    account_exists: bool


# ------------------------------------------------------------------------ people


class PersonIn(BaseModel):
    """Every field is optional: what is sent is saved, what is left out is kept."""

    model_config = ConfigDict(extra="ignore")

    sex: Sex = None
    first_name: Name = None
    last_name: Name = None
    birth_name: Name = None
    birth_date: BirthDate = None
    born_in_france: bool | None = None
    birth_commune_insee: Insee = None
    birth_country: Name = None
    address: Text = None
    postcode: Postcode = None
    city: City = None

    def changes(self) -> dict[str, Any]:
        return self.model_dump(include=self.model_fields_set)


class MeIn(PersonIn):
    email: Email = None
    language: Language = None
    consent: bool | None = None


class RelativeIn(PersonIn):
    relationship_label: Label = None


class PersonOut(BaseModel):
    id: int
    sex: str | None
    first_name: str | None
    last_name: str | None
    birth_name: str | None
    birth_date: date | None
    born_in_france: bool | None
    birth_commune_insee: str | None
    birth_country: str | None
    address: str | None
    postcode: str | None
    city: str | None
    profile_complete: bool

    @classmethod
    def of(cls, patient: Patient, **extra: Any) -> PersonOut:
        return cls(
            id=patient.id,
            sex=patient.sex.value if patient.sex else None,
            first_name=patient.first_name,
            last_name=patient.last_name,
            birth_name=patient.birth_name,
            birth_date=patient.birth_date,
            born_in_france=patient.born_in_france,
            birth_commune_insee=patient.birth_commune_insee,
            birth_country=patient.birth_country,
            address=patient.address,
            postcode=patient.postcode,
            city=patient.city,
            profile_complete=accounts.profile_complete(patient),
            **extra,
        )


class RelativeOut(PersonOut):
    relationship_label: str | None

    @classmethod
    def of(cls, patient: Patient, **extra: Any) -> RelativeOut:
        return super().of(patient, relationship_label=patient.relationship_label, **extra)


class AccountOut(BaseModel):
    phone: str  # as French people write it: "06 12 34 56 78"
    email: str | None
    email_verified: bool
    language: str


class MeOut(BaseModel):
    account: AccountOut
    profile: PersonOut | None
    relatives: list[RelativeOut]

    @classmethod
    def of(cls, account: Account) -> MeOut:
        holder = accounts.holder_of(account)
        return cls(
            account=AccountOut(
                phone=format_phone_fr(account.phone),
                email=account.email,
                email_verified=account.email_verified_at is not None,
                language=account.language,
            ),
            profile=PersonOut.of(holder) if holder else None,
            relatives=[RelativeOut.of(p) for p in accounts.relatives_of(account)],
        )
