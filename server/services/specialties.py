"""The catalogue of specialties a person can look for, in the words people really use.

People type or say "kiné", "gynéco" or "docteur", not "Masseur-kinésithérapeute": every
specialty carries those everyday words, and `resolve_specialty` tolerates accents, case
and small typos. `specialty_from_rpps` maps the national directory (RPPS) onto the same codes.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein
from sqlalchemy.orm import Session

from server.models import Specialty
from server.text import fold


@dataclass(frozen=True)
class SpecialtyInfo:
    code: str
    label: str  # what a person reads: "Kinésithérapeute"
    profession: str
    words: tuple[str, ...]  # everyday words, any accents or case


SPECIALTIES: tuple[SpecialtyInfo, ...] = (
    SpecialtyInfo(
        "medecine-generale",
        "Médecin généraliste",
        "Médecin",
        (
            "généraliste",
            "médecin généraliste",
            "docteur",
            "médecin",
            "medecin traitant",
            "médecine générale",
            "mon médecin",
            "toubib",
            "généraliste docteur",
        ),
    ),
    SpecialtyInfo(
        "dentiste",
        "Dentiste",
        "Chirurgien-dentiste",
        (
            "dentiste",
            "chirurgien dentiste",
            "dents",
            "dent",
            "mal aux dents",
            "soins dentaires",
        ),
    ),
    SpecialtyInfo(
        "ophtalmologie",
        "Ophtalmologue",
        "Médecin",
        (
            "ophtalmo",
            "ophtalmologue",
            "ophtalmologiste",
            "ophtalmologie",
            "ophtamo",
            "yeux",
            "oeil",
            "médecin des yeux",
        ),
    ),
    SpecialtyInfo(
        "pediatrie",
        "Pédiatre",
        "Médecin",
        (
            "pédiatre",
            "pédiatrie",
            "médecin des enfants",
            "médecin pour enfant",
            "bébé",
        ),
    ),
    SpecialtyInfo(
        "gynecologie",
        "Gynécologue",
        "Médecin",
        (
            "gynéco",
            "gynécologue",
            "gynécologie",
            "gyneco",
            "gynécologue obstétricien",
        ),
    ),
    SpecialtyInfo(
        "sage-femme",
        "Sage-femme",
        "Sage-femme",
        (
            "sage-femme",
            "sage femme",
            "sages-femmes",
            "maïeuticien",
            "grossesse",
        ),
    ),
    SpecialtyInfo(
        "kinesitherapie",
        "Kinésithérapeute",
        "Masseur-kinésithérapeute",
        (
            "kiné",
            "kinési",
            "kinésithérapeute",
            "kinésithérapie",
            "kinésithérapeuthe",
            "masseur kinésithérapeute",
            "rééducation",
        ),
    ),
    SpecialtyInfo(
        "dermatologie",
        "Dermatologue",
        "Médecin",
        (
            "dermato",
            "dermatologue",
            "dermatologie",
            "peau",
            "médecin de la peau",
        ),
    ),
    SpecialtyInfo(
        "cardiologie",
        "Cardiologue",
        "Médecin",
        (
            "cardio",
            "cardiologue",
            "cardiologie",
            "coeur",
            "médecin du coeur",
        ),
    ),
    SpecialtyInfo(
        "psychiatrie",
        "Psychiatre",
        "Médecin",
        (
            "psychiatre",
            "psychiatrie",
            "psy",
            "pédopsychiatre",
        ),
    ),
    SpecialtyInfo(
        "orl",
        "ORL (oreilles, nez, gorge)",
        "Médecin",
        (
            "orl",
            "oto-rhino",
            "oto-rhino-laryngologiste",
            "oto-rhino-laryngologie",
            "oreilles",
            "oreille",
            "nez gorge oreilles",
        ),
    ),
    SpecialtyInfo(
        "radiologie",
        "Radiologue",
        "Médecin",
        (
            "radiologue",
            "radiologie",
            "radio",
            "radiographie",
            "échographie",
            "écho",
            "imagerie",
            "scanner",
            "irm",
        ),
    ),
    SpecialtyInfo(
        "infirmier",
        "Infirmier ou infirmière",
        "Infirmier",
        (
            "infirmier",
            "infirmière",
            "infirmiere",
            "infirmiers",
            "soins infirmiers",
            "piqûre",
            "prise de sang",
            "pansement",
        ),
    ),
    SpecialtyInfo(
        "orthophonie",
        "Orthophoniste",
        "Orthophoniste",
        (
            "orthophoniste",
            "orthophonie",
            "ortho",
        ),
    ),
    SpecialtyInfo(
        "podologie",
        "Podologue",
        "Pédicure-podologue",
        (
            "podologue",
            "pédicure",
            "pédicure podologue",
            "podologie",
            "pieds",
        ),
    ),
    SpecialtyInfo(
        "pneumologie",
        "Pneumologue",
        "Médecin",
        (
            "pneumologue",
            "pneumologie",
            "pneumo",
            "poumons",
            "asthme",
        ),
    ),
    SpecialtyInfo(
        "rhumatologie",
        "Rhumatologue",
        "Médecin",
        (
            "rhumatologue",
            "rhumatologie",
            "rhumato",
            "rhumatismes",
        ),
    ),
    SpecialtyInfo(
        "gastro-enterologie",
        "Gastro-entérologue",
        "Médecin",
        (
            "gastro-entérologue",
            "gastro entérologue",
            "gastro",
            "gastroentérologue",
            "gastro-entérologie",
            "hépatologue",
        ),
    ),
    SpecialtyInfo(
        "endocrinologie",
        "Endocrinologue",
        "Médecin",
        (
            "endocrinologue",
            "endocrino",
            "endocrinologie",
            "diabétologue",
            "diabète",
            "thyroïde",
        ),
    ),
    SpecialtyInfo(
        "neurologie",
        "Neurologue",
        "Médecin",
        (
            "neurologue",
            "neurologie",
            "neuro",
        ),
    ),
    SpecialtyInfo(
        "psychologue",
        "Psychologue",
        "Psychologue",
        (
            "psychologue",
            "psychologie",
            "psychothérapeute",
            "psycho",
        ),
    ),
    SpecialtyInfo(
        "orthoptie",
        "Orthoptiste",
        "Orthoptiste",
        (
            "orthoptiste",
            "orthoptie",
        ),
    ),
)

BY_CODE: dict[str, SpecialtyInfo] = {s.code: s for s in SPECIALTIES}

# Words around the specialty that say nothing about it: "un rendez-vous chez le kiné".
_FILLER = frozenset(
    [
        "un",
        "une",
        "le",
        "la",
        "les",
        "l",
        "de",
        "du",
        "des",
        "d",
        "chez",
        "pour",
        "voir",
        "je",
        "cherche",
        "veux",
        "voudrais",
        "rendez",
        "vous",
        "rdv",
        "mon",
        "ma",
        "mes",
        "avec",
        "aller",
        "consulter",
        "consultation",
    ]
)


def _strip_filler(folded: str) -> str:
    return " ".join(t for t in folded.split() if t not in _FILLER)


def _alias_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for info in SPECIALTIES:
        for word in (info.code, info.label, *info.words):
            table.setdefault(fold(word), info.code)
            table.setdefault(_strip_filler(fold(word)), info.code)
    return table


_ALIASES = _alias_table()


def _max_typos(word: str) -> int:
    if len(word) < 5:
        return 0
    return 1 if len(word) < 9 else 2


def resolve_specialty(text: str) -> str | None:
    """The specialty code the whole text names ("Kiné", "ophtalmologiste", "gynecologe"), or None.

    The whole text must name a specialty, so "docteur Dupont" is not a specialty search.
    """
    folded = fold(text or "")
    if not folded or len(folded) > 80:
        return None
    for candidate in (folded, _strip_filler(folded)):
        if candidate in _ALIASES:
            return _ALIASES[candidate]
    wanted = _strip_filler(folded)
    best: tuple[int, str] | None = None
    for alias, code in _ALIASES.items():
        limit = _max_typos(alias)
        if not limit or abs(len(alias) - len(wanted)) > limit:
            continue
        distance = Levenshtein.distance(wanted, alias, score_cutoff=limit)
        if distance <= limit and (best is None or distance < best[0]):
            best = (distance, code)
    return best[1] if best else None


def specialty_label(code: str | None) -> str | None:
    info = BY_CODE.get(code or "")
    return info.label if info else None


def ensure_specialties(db: Session) -> None:
    """Insert or update the catalogue rows, so imports and searches share the same codes."""
    existing = {s.code: s for s in db.query(Specialty).all()}
    for info in SPECIALTIES:
        row = existing.get(info.code)
        if row is None:
            db.add(Specialty(code=info.code, label=info.label, profession=info.profession))
        else:
            row.label, row.profession = info.label, info.profession
    db.flush()


# RPPS "Code profession" → specialty, for professions with one specialty.
_RPPS_PROFESSIONS: dict[str, str] = {
    "40": "dentiste",
    "50": "sage-femme",
    "60": "infirmier",
    "70": "kinesitherapie",
    "80": "podologie",
    "91": "orthophonie",
    "92": "orthoptie",
    "93": "psychologue",
}
# Same, by words of "Libellé profession", in case the code table moves.
_PROFESSION_WORDS: tuple[tuple[str, str], ...] = (
    ("dentiste", "dentiste"),
    ("sage femme", "sage-femme"),
    ("infirmi", "infirmier"),
    ("kinesitherap", "kinesitherapie"),
    ("podolog", "podologie"),
    ("orthophon", "orthophonie"),
    ("orthopt", "orthoptie"),
    ("psychologue", "psychologue"),
)
_GENERAL_PRACTICE_CODES = frozenset({"SM26", "SM53", "SM54"})
# Words of a physician's "Libellé savoir-faire", checked in order (surgery is excluded first).
_SAVOIR_FAIRE_WORDS: tuple[tuple[str, str], ...] = (
    ("medecine generale", "medecine-generale"),
    ("ophtalmolog", "ophtalmologie"),
    ("psychiatr", "psychiatrie"),
    ("pediatr", "pediatrie"),
    ("gynecolog", "gynecologie"),
    ("dermatolog", "dermatologie"),
    ("cardiolog", "cardiologie"),
    ("oto rhino", "orl"),
    ("radio diagnostic", "radiologie"),
    ("radiolog", "radiologie"),
    ("imagerie", "radiologie"),
    ("pneumolog", "pneumologie"),
    ("rhumatolog", "rhumatologie"),
    ("gastro enterolog", "gastro-enterologie"),
    ("endocrinolog", "endocrinologie"),
    ("neurolog", "neurologie"),
)


def specialty_from_rpps(
    profession_code: str,
    profession_label: str,
    savoir_faire_code: str,
    savoir_faire_label: str,
) -> str | None:
    """Our specialty code for an RPPS row, or None when it is not one people book here."""
    code = (profession_code or "").strip()
    profession = fold(profession_label or "")
    if code in _RPPS_PROFESSIONS:
        return _RPPS_PROFESSIONS[code]
    if code != "10" and "medecin" not in profession:
        return next((spec for word, spec in _PROFESSION_WORDS if word in profession), None)
    if (savoir_faire_code or "").strip().upper() in _GENERAL_PRACTICE_CODES:
        return "medecine-generale"
    label = fold(savoir_faire_label or "")
    if not label or "chirurgi" in label:
        return None
    return next((spec for word, spec in _SAVOIR_FAIRE_WORDS if word in label), None)
