"""The specialty catalogue: the codes, the everyday words, and the RPPS mapping."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from server.models import Specialty
from server.services.specialties import (
    SPECIALTIES,
    ensure_specialties,
    resolve_specialty,
    specialty_from_rpps,
)

CODES = {
    "medecine-generale", "dentiste", "ophtalmologie", "pediatrie", "gynecologie", "sage-femme",
    "kinesitherapie", "dermatologie", "cardiologie", "psychiatrie", "orl", "radiologie",
    "infirmier", "orthophonie", "podologie", "pneumologie", "rhumatologie",
    "gastro-enterologie", "endocrinologie", "neurologie", "psychologue", "orthoptie",
}  # fmt: skip


def test_the_catalogue_has_exactly_the_agreed_codes():
    assert {s.code for s in SPECIALTIES} == CODES
    assert all(s.label and s.profession and s.words for s in SPECIALTIES)


@pytest.mark.parametrize(
    ("said", "code"),
    [
        ("généraliste", "medecine-generale"),
        ("Médecin traitant", "medecine-generale"),
        ("docteur", "medecine-generale"),
        ("medecin", "medecine-generale"),
        ("Dentiste", "dentiste"),
        ("le dentiste", "dentiste"),
        ("gynéco", "gynecologie"),
        ("GYNECOLOGUE", "gynecologie"),
        ("gynecologe", "gynecologie"),
        ("kiné", "kinesitherapie"),
        ("kinésithérapeuthe", "kinesitherapie"),
        ("ophtalmo", "ophtalmologie"),
        ("ophtalmologiste", "ophtalmologie"),
        ("l'ophtalmo", "ophtalmologie"),
        ("pédiatre", "pediatrie"),
        ("pediatre", "pediatrie"),
        ("sage-femme", "sage-femme"),
        ("sage femme", "sage-femme"),
        ("psy", "psychiatrie"),
        ("psychologue", "psychologue"),
        ("ORL", "orl"),
        ("dermato", "dermatologie"),
        ("infirmière", "infirmier"),
        ("orthoptiste", "orthoptie"),
        ("gastro-entérologue", "gastro-enterologie"),
        ("kinesitherapie", "kinesitherapie"),
    ],
)
def test_everyday_words_name_a_specialty(said, code):
    assert resolve_specialty(said) == code


@pytest.mark.parametrize(
    "said", ["", "   ", "dupont", "docteur Dupont", "🦷", "x" * 300, "astrologue"]
)
def test_names_and_nonsense_are_not_specialties(said):
    assert resolve_specialty(said) is None


@pytest.mark.parametrize(
    ("profession", "label", "savoir_code", "savoir_label", "code"),
    [
        ("10", "Médecin", "SM53", "Spécialiste en Médecine Générale", "medecine-generale"),
        ("10", "Médecin", "SM54", "", "medecine-generale"),
        ("10", "Médecin", "SM26", "Qualifié en Médecine Générale", "medecine-generale"),
        ("10", "Médecin", "SM38", "Ophtalmologie", "ophtalmologie"),
        ("10", "Médecin", "SMXX", "Pédiatrie", "pediatrie"),
        ("10", "Médecin", "", "Gynécologie médicale", "gynecologie"),
        ("10", "Médecin", "", "Gynécologie-obstétrique", "gynecologie"),
        ("10", "Médecin", "", "Dermatologie et vénéréologie", "dermatologie"),
        ("10", "Médecin", "", "Cardiologie et maladies vasculaires", "cardiologie"),
        ("10", "Médecin", "", "Psychiatrie", "psychiatrie"),
        ("10", "Médecin", "", "Oto-rhino-laryngologie", "orl"),
        ("10", "Médecin", "", "Radio-diagnostic", "radiologie"),
        ("10", "Médecin", "", "Pneumologie", "pneumologie"),
        ("10", "Médecin", "", "Rhumatologie", "rhumatologie"),
        ("10", "Médecin", "", "Gastro-entérologie et hépatologie", "gastro-enterologie"),
        ("10", "Médecin", "", "Endocrinologie, diabète, maladies métaboliques", "endocrinologie"),
        ("10", "Médecin", "", "Neurologie", "neurologie"),
        ("10", "Médecin", "SM49", "Santé publique et médecine sociale", None),
        ("10", "Médecin", "", "Chirurgie pédiatrique", None),
        ("40", "Chirurgien-Dentiste", "", "", "dentiste"),
        ("50", "Sage-Femme", "", "", "sage-femme"),
        ("60", "Infirmier", "", "", "infirmier"),
        ("70", "Masseur-Kinésithérapeute", "", "", "kinesitherapie"),
        ("80", "Pédicure-Podologue", "", "", "podologie"),
        ("91", "Orthophoniste", "", "", "orthophonie"),
        ("92", "Orthoptiste", "", "", "orthoptie"),
        ("93", "Psychologue", "", "", "psychologue"),
        ("", "Masseur-Kinésithérapeute", "", "", "kinesitherapie"),
        ("21", "Pharmacien", "", "", None),
    ],
)
def test_rpps_professions_and_qualifications_map_to_our_codes(
    profession, label, savoir_code, savoir_label, code
):
    assert specialty_from_rpps(profession, label, savoir_code, savoir_label) == code


def test_ensure_specialties_inserts_then_updates_without_duplicates(db):
    with db.writing() as s:
        s.add(Specialty(code="dentiste", label="Ancien libellé", profession="?"))
    with db.writing() as s:
        ensure_specialties(s)
    with db.writing() as s:
        ensure_specialties(s)
    with db.reading() as s:
        rows = s.scalars(select(Specialty)).all()
    assert {r.code for r in rows} == CODES
    assert next(r for r in rows if r.code == "dentiste").label == "Dentiste"
