"""Words shared by the journeys: specialties with pictograms, people, practitioners, times.

Pictogram names are those of the Material Symbols icon set (Apache 2.0), which the touch
channel ships; other channels ignore them.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from kiosk.workflows.formats import day_words, distance_words, moment_words
from kiosk.workflows.i18n import N_
from kiosk.workflows.services import Appointment, Card, Found, Person, load

if TYPE_CHECKING:
    from kiosk.workflows.flow import Context

# (code known by the server, everyday name, pictogram), most asked first.
SPECIALTIES: tuple[tuple[str, str, str], ...] = (
    ("medecine-generale", N_("Médecin généraliste"), "stethoscope"),
    ("dentiste", N_("Dentiste"), "dentistry"),
    ("kinesitherapie", N_("Kinésithérapeute"), "physical_therapy"),
    ("ophtalmologie", N_("Médecin des yeux"), "visibility"),
    ("pediatrie", N_("Médecin des enfants"), "child_care"),
    ("gynecologie", N_("Gynécologue"), "female"),
    ("sage-femme", N_("Sage-femme"), "pregnant_woman"),
    ("infirmier", N_("Infirmier ou infirmière"), "vaccines"),
    ("dermatologie", N_("Médecin de la peau"), "dermatology"),
    ("cardiologie", N_("Médecin du cœur"), "cardiology"),
    ("orl", N_("Médecin des oreilles, du nez et de la gorge"), "hearing"),
    ("psychiatrie", N_("Psychiatre"), "psychology"),
    ("psychologue", N_("Psychologue"), "psychology_alt"),
    ("orthophonie", N_("Orthophoniste"), "record_voice_over"),
    ("podologie", N_("Podologue"), "footprint"),
    ("radiologie", N_("Radiologue"), "radiology"),
    ("orthoptie", N_("Orthoptiste"), "eyeglasses"),
    ("pneumologie", N_("Médecin des poumons"), "pulmonology"),
    ("rhumatologie", N_("Rhumatologue"), "orthopedics"),
    ("gastro-enterologie", N_("Médecin du ventre"), "gastroenterology"),
    ("endocrinologie", N_("Endocrinologue"), "endocrinology"),
    ("neurologie", N_("Neurologue"), "neurology"),
)
CIVILITIES = {
    "dr": N_("Docteur"),
    "pr": N_("Professeur"),
    "mme": N_("Madame"),
    "m": N_("Monsieur"),
}
SEXES = {"F": N_("Madame"), "M": N_("Monsieur")}


def specialty_words(ctx: Context, code: str | None, fallback: str | None = None) -> str:
    label = next((label for c, label, _ in SPECIALTIES if c == code), None)
    return ctx.t(label) if label else (fallback or "")


def practitioner_words(ctx: Context, who: Found | Card | Appointment) -> str:
    """ "Docteur Marie Dupont": the civility in full, never "Dr"."""
    if isinstance(who, Appointment):
        return who.practitioner_name
    civility = CIVILITIES.get(who.civility or "")
    name = f"{who.first_name} {who.last_name}"
    return f"{ctx.t(civility)} {name}" if civility else name


def person_words(person: Person) -> str:
    return " ".join(p for p in (person.first_name, person.last_name) if p)


def when_words(ctx: Context, moment: datetime) -> str:
    return moment_words(moment, ctx.language)


def birth_words(ctx: Context, iso: str | None) -> str:
    return day_words(date.fromisoformat(iso), ctx.language) if iso else ""


def result_words(ctx: Context, found: Found) -> str:
    """One search result read as a sentence: who, what, how far, when free."""
    parts = [practitioner_words(ctx, found)]
    parts.append(specialty_words(ctx, found.specialty, found.specialty_label))
    if distance := distance_words(found.distance_km, ctx.language):
        parts.append(distance)
    text = ", ".join(p for p in parts if p) + "."
    if not found.bookable_online:
        return text + " " + ctx.t(N_("Rendez-vous par téléphone."))
    if found.next_free_slot:
        return (
            text
            + " "
            + ctx.t(N_("Libre le {moment}."), moment=when_words(ctx, found.next_free_slot))
        )
    return text


def people(ctx: Context) -> list[Person]:
    """The signed-in person then their relatives, as last read from the server."""
    return [load(Person, p) for p in ctx.data.get("people", [])]


def person(ctx: Context, person_id: int | None) -> Person | None:
    return next((p for p in people(ctx) if p.id == person_id), None)
