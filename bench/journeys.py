"""How much a person does, types and reads in six journeys, beside Doctolib's (seed 001).

The scripts of bench/scripts.py are replayed through the real workflows (`Flow` +
`JOURNEYS`) and the real kiosk client against a real server: the demo server of `kiosk text`
(demo directory around Douai, SQLite, its notification worker writing SMS to a file).

Counted from the first screen: the main menu, in French, with the other languages on it.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from bench.people import returning
from bench.scripts import MEASURED, SmsInbox, replay
from kiosk.client.services import open_services
from kiosk.embedded_server import embedded_server
from kiosk.workflows.flow import Flow
from kiosk.workflows.journeys import JOURNEYS

TARGETS = {
    "new_person_books": {"actions": 15, "typed_fields": 5},
    "returning_person_books": {"actions": 8},
    "returning_person_books_again": {"actions": 8},
}

# ------------------------------------------------------------------------ Doctolib

# Seed 001 (a France Services workshop: "créer mon compte Doctolib et prendre mes rendez-vous").
# Counted from the document, path to a first booking for oneself, and nothing optional: not the
# browser and address bar (like walking up to the kiosk), nor e-mail check, two-factor
# authentication, preferences, cookies or documents, which the workshop also walks through.
#  new person: "Se connecter / Gérer mes RDV", "s'inscrire"; sign-up form: e-mail, password
#  (the account page lists Téléphone, Email, Mot de passe; the phone is asked afterwards);
#  terms checkbox, "S'inscrire"; the data-protection page's button; mobile number, SMS code,
#  "VALIDER"; "Mon profil Non-renseigné"; profile ("remplissez TOUS les champs"): sex, first
#  name, last name, birth name, birth date, "Né(e) en France", birth town, address, postcode,
#  town, "AJOUTER"; search: what, where, "Rechercher"; the practitioner; "Prendre rendez-vous";
#  for whom; seen before; motive; date; "CONFIRMER LE RENDEZ-VOUS".
#  = 32 actions, 14 typed fields.
#  returning person: "Se connecter", e-mail, password, "se connecter"; then the search and the
#  booking as above (what, where, Rechercher, practitioner, Prendre rendez-vous, for whom, seen
#  before, motive, date, confirm) = 14 actions, 4 typed fields.
# Typed characters use the same person as our scripts (Marie Dupont, 12/03/1950, Douai): e-mail
# marie.dupont@exemple.fr 23, password 8 (a minimum), phone 10, code 6, Marie 5, Dupont 6,
# birth name Dupont 6, 12/03/1950 10, Douai 5, "12 rue de la Gare" 17, 59500 5, Douai 5,
# "médecin généraliste" 19, Douai 5.
# Prompts: the screens the document shows or names on that path (for whom and the confirm
# button share one screen). Words: the words of the screen texts the document quotes on that
# path: code page 76, account page 35, profile form 61, seen before 29, motive 46, date 33, for
# whom and confirm 35 (a lower bound: screens it does not quote, such as the search results and
# the practitioner's card, count for nothing).
DOCTOLIB = (
    {
        "journey": "doctolib_new_person_books",
        "actions": 32,
        "typed_fields": 14,
        "typed_chars": 130,
        "prompts": 15,
        "words": 315,
        "password": True,
        "email": True,
    },
    {
        "journey": "doctolib_returning_person_books",
        "actions": 14,
        "typed_fields": 4,
        "typed_chars": 55,
        "prompts": 9,
        "words": 143,
        "password": True,
        "email": True,
    },
)


# ------------------------------------------------------------------------ the bench


def measure(folder: Path) -> list[dict]:
    with embedded_server(folder / "server") as server:
        inbox = SmsInbox.of(server)
        services = open_services(server.base_url, server.kiosk_token, folder / "kiosk")
        rows = []
        for n, journey in enumerate(MEASURED):
            phone = f"06100000{n:02d}"
            returning(services, server.env["DATABASE_URL"], phone, inbox, journey.before)
            flow = Flow(JOURNEYS, services)
            done = replay(flow, journey.script(phone, inbox.code))
            flow.stop()
            rows.append({"journey": journey.name, **done.counts(), "ends_at": done.views[-1].step})
    return rows


def run(kinds: tuple[str, ...] = ("sqlite",)) -> list[dict]:
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-journeys-") as folder:
        measured = measure(Path(folder))
    rows = [{"benchmark": "journeys", "database": "sqlite", **row} for row in measured]
    rows += [{"benchmark": "journeys", "database": "seed 001", **row} for row in DOCTOLIB]
    for row in rows:
        target = TARGETS.get(row["journey"])
        if target:
            row["meets_target"] = all(row[k] <= v for k, v in target.items()) and not (
                row["password"] or row["email"]
            )
    print_table(rows)
    return rows


COLUMNS = (
    ("journey", "journey", 32),
    ("actions", "actions*", 9),
    ("typed_fields", "typed", 6),
    ("typed_chars", "chars", 6),
    ("prompts", "prompts", 8),
    ("words", "words", 6),
    ("password", "password", 9),
    ("email", "e-mail", 7),
)


def print_table(rows: list[dict]) -> None:
    print("\n" + " ".join(f"{title:<{width}}" for _, title, width in COLUMNS) + " target")
    for row in rows:
        cells = [
            f"{('yes' if v else 'no') if isinstance(v, bool) else v!s:<{width}}"
            for v, width in ((row[key], width) for key, _, width in COLUMNS)
        ]
        met = row.get("meets_target")
        print(" ".join(cells) + ("" if met is None else " met" if met else " MISSED"))
    print(
        "* actions counted from the first screen, the main menu (French; other languages on it).\n"
        "  Targets: new person ≤ 15 actions, ≤ 5 typed fields, no password,\n"
        "  no e-mail; returning person ≤ 8 actions. Doctolib: counted from seed 001 (see\n"
        "  bench/journeys.py)."
    )
