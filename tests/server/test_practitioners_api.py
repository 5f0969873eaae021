"""The directory API as a kiosk calls it: search, card, motives, slots and communes."""

from __future__ import annotations

from datetime import timedelta

import pytest

from server.models import Modality, Motive, OpeningHours
from server.services.specialties import ensure_specialties
from tests.factories import add_opening_hours, make_practitioner, make_slot


@pytest.fixture
def doctors(db):
    """Two Douai practitioners: Dupont books online with one free slot, Roux only by phone."""
    with db.writing() as s:
        ensure_specialties(s)
        dupont = make_practitioner(
            s,
            first_name="Élodie",
            last_name="Dupont",
            consultation_fee_cents=2650,
            payment_means=["vitale", "tiers_payant"],
            languages=["fr", "ar"],
        )
        slot = make_slot(s, dupont, starts_in=timedelta(days=1))
        roux = make_practitioner(s, last_name="Roux", bookable_online=False, convention_sector="2")
        return {"dupont": dupont.id, "roux": roux.id, "slot": slot.id}


def test_search_answers_with_the_next_free_slot_in_utc_and_in_paris_time(client, doctors):
    answer = client.get("/api/v1/practitioners", params={"q": "dupond", "near": "Douai"})
    assert answer.status_code == 200
    (first,) = answer.json()["results"]
    assert first["id"] == doctors["dupont"]
    assert first["specialty_label"] == "Médecin généraliste"
    assert first["next_free_slot"].endswith("Z")
    assert first["next_free_slot_local"][-6:] in ("+01:00", "+02:00")
    assert first["place"]["city"] == "Douai"
    assert first["distance_km"] == 0.0


def test_search_without_a_place_looks_around_the_kiosk(client, doctors):
    answer = client.get("/api/v1/practitioners", params={"specialty": "généraliste"})
    ids = [r["id"] for r in answer.json()["results"]]
    assert ids == [doctors["dupont"], doctors["roux"]]


def test_search_shows_practitioners_who_do_not_book_online_with_their_phone(client, doctors):
    answer = client.get("/api/v1/practitioners", params={"q": "roux"})
    (roux,) = answer.json()["results"]
    assert roux["bookable_online"] is False
    assert roux["next_free_slot"] is None
    assert roux["place"]["phone"] == "0327000000"
    assert (
        roux["message"] == "Ce praticien ne prend pas de rendez-vous en ligne. Appelez le cabinet."
    )


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"q": "dupont", "limit": "abc"}, "limit"),
        ({"q": "dupont", "limit": "0"}, "limit"),
        ({"q": "dupont", "limit": "51"}, "limit"),
        ({"q": "dupont", "radius_km": "-5"}, "radius_km"),
        ({"q": "dupont", "radius_km": "201"}, "radius_km"),
        ({"q": "dupont", "radius_km": "loin"}, "radius_km"),
        ({"q": "dupont", "order": "random"}, "order"),
        ({"q": "x" * 300}, "q"),
        ({"specialty": "astrologue"}, "specialty"),
        ({"specialty": "dentiste", "near": "Nulle-Part-sur-Mer"}, "near"),
        ({"q": "🙂"}, "q"),
    ],
)
def test_bad_search_values_get_a_french_message_naming_the_field(client, doctors, params, field):
    answer = client.get("/api/v1/practitioners", params=params)
    assert answer.status_code == 422
    body = answer.json()
    assert body["field"] == field
    assert body["message"] and "error" in body


def test_the_directory_needs_a_kiosk_token(app, doctors):
    from fastapi.testclient import TestClient  # noqa: PLC0415

    with TestClient(app) as anonymous:
        assert anonymous.get("/api/v1/practitioners", params={"q": "dupont"}).status_code == 401
        assert anonymous.get("/api/v1/communes", params={"q": "douai"}).status_code == 401


def test_the_card_says_fees_sector_payment_and_access_in_words(client, doctors):
    card = client.get(f"/api/v1/practitioners/{doctors['dupont']}").json()
    assert card["civility_label"] == "Docteur"
    assert card["specialty"] == {"code": "medecine-generale", "label": "Médecin généraliste"}
    assert card["convention_sector_label"].startswith("Conventionné secteur 1")
    assert card["fees"] == "Consultation : 26,50 €"
    assert [m["label"] for m in card["payment_means"]] == [
        "Carte Vitale acceptée",
        "Tiers payant : vous n'avancez pas les frais",
    ]
    assert [lang["label"] for lang in card["languages"]] == ["Français", "Arabe"]
    (place,) = card["places"]
    assert place["ground_floor"] is True and place["wheelchair"] is True
    assert card["phone"] == "0327000000"
    assert card["bookable_online"] is True and card["message"] is None


def test_the_card_of_a_phone_only_practitioner_says_to_call(client, doctors):
    card = client.get(f"/api/v1/practitioners/{doctors['roux']}").json()
    assert card["bookable_online"] is False
    assert "Appelez le cabinet" in card["message"]
    assert "secteur 2" in card["convention_sector_label"]


@pytest.mark.parametrize(
    "path", ["/api/v1/practitioners/999999", "/api/v1/practitioners/999999/motives"]
)
def test_an_unknown_practitioner_is_a_french_404(client, path):
    answer = client.get(path)
    assert answer.status_code == 404
    assert answer.json()["message"] == "Ce praticien est introuvable."


def test_a_practitioner_id_that_is_not_a_number_is_a_422(client):
    answer = client.get("/api/v1/practitioners/abc")
    assert answer.status_code == 422
    assert answer.json()["field"] == "practitioner_id"


def test_motives_list_only_active_ones_with_their_rules(client, db, doctors):
    with db.writing() as s:
        s.add(Motive(practitioner_id=doctors["dupont"], label="Ancien motif", active=False))
        s.add(
            Motive(
                practitioner_id=doctors["dupont"],
                label="Téléconsultation",
                modality=Modality.VIDEO,
                duration_minutes=20,
            )
        )
    motives = client.get(f"/api/v1/practitioners/{doctors['dupont']}/motives").json()
    assert [m["label"] for m in motives] == [
        "Première consultation",
        "Consultation de suivi",
        "Téléconsultation",
    ]
    assert (
        motives[0]["open_to_new_patients"] is True and motives[1]["open_to_new_patients"] is False
    )
    assert motives[2]["modality"] == "video" and motives[2]["modality_label"] == "En vidéo"


def _motive_ids(client, practitioner_id: int) -> list[int]:
    return [m["id"] for m in client.get(f"/api/v1/practitioners/{practitioner_id}/motives").json()]


def test_slots_come_by_local_day_with_utc_and_paris_times(client, doctors):
    first, _ = _motive_ids(client, doctors["dupont"])
    answer = client.get(
        f"/api/v1/practitioners/{doctors['dupont']}/slots", params={"motive_id": first}
    )
    assert answer.status_code == 200
    body = answer.json()
    (day,) = body["days"]
    (slot,) = day["slots"]
    assert slot["id"] == doctors["slot"]
    assert slot["starts_at"].endswith("Z")
    assert slot["starts_at_local"].startswith(day["date"])
    assert slot["time"] == slot["starts_at_local"][11:16]
    assert day["label"].split()[0] in (
        "lundi",
        "mardi",
        "mercredi",
        "jeudi",
        "vendredi",
        "samedi",
        "dimanche",
    )


def test_slots_only_offer_the_motives_of_their_opening_hours(client, db, doctors):
    with db.writing() as s:
        from server.models import Practitioner  # noqa: PLC0415

        person = s.get(Practitioner, doctors["dupont"])
        (rule,) = add_opening_hours(s, person, weekdays=[3])
        rule.motives = [person.motives[1]]  # follow-up only
        make_slot(s, person, starts_in=timedelta(days=2), opening=rule)
    first, follow_up = _motive_ids(client, doctors["dupont"])
    url = f"/api/v1/practitioners/{doctors['dupont']}/slots"

    def count(motive_id: int) -> int:
        days = client.get(url, params={"motive_id": motive_id}).json()["days"]
        return sum(len(d["slots"]) for d in days)

    assert count(follow_up) == 2
    assert count(first) == 1


def test_taken_closed_and_too_close_slots_are_not_offered(client, db, doctors):
    with db.writing() as s:
        from server.models import Practitioner, Slot  # noqa: PLC0415

        person = s.get(Practitioner, doctors["dupont"])
        opening = s.get(OpeningHours, s.get(Slot, doctors["slot"]).opening_hours_id)
        make_slot(s, person, starts_in=timedelta(minutes=10), opening=opening)
        make_slot(s, person, starts_in=timedelta(hours=30), opening=opening).taken = True
        make_slot(s, person, starts_in=timedelta(hours=31), opening=opening).closed = True
    first, _ = _motive_ids(client, doctors["dupont"])
    days = client.get(
        f"/api/v1/practitioners/{doctors['dupont']}/slots", params={"motive_id": first}
    ).json()["days"]
    assert [s["id"] for d in days for s in d["slots"]] == [doctors["slot"]]


def test_slots_of_a_phone_only_practitioner_are_empty_with_a_message(client, doctors):
    motive = _motive_ids(client, doctors["roux"])[0]
    body = client.get(
        f"/api/v1/practitioners/{doctors['roux']}/slots", params={"motive_id": motive}
    ).json()
    assert body["days"] == [] and body["bookable_online"] is False
    assert "Appelez" in body["message"]


@pytest.mark.parametrize(
    ("params", "status", "field"),
    [
        ({"motive_id": 999999}, 404, "motive_id"),
        ({}, 422, "motive_id"),
        ({"motive_id": "abc"}, 422, "motive_id"),
        ({"motive_id": 1, "from": "2030-13-45"}, 422, "from"),
        ({"motive_id": 1, "from": "2030-01-10", "to": "2030-01-01"}, 422, "to"),
        ({"motive_id": 1, "from": "2030-01-01", "to": "2030-06-01"}, 422, "to"),
    ],
)
def test_bad_slot_requests_get_a_french_message(client, doctors, params, status, field):
    if params.get("motive_id") == 1:
        params["motive_id"] = _motive_ids(client, doctors["dupont"])[0]
    answer = client.get(f"/api/v1/practitioners/{doctors['dupont']}/slots", params=params)
    assert answer.status_code == status
    assert answer.json()["field"] == field


def test_a_motive_of_another_practitioner_is_not_found(client, doctors):
    other = _motive_ids(client, doctors["roux"])[0]
    answer = client.get(
        f"/api/v1/practitioners/{doctors['dupont']}/slots", params={"motive_id": other}
    )
    assert answer.status_code == 404
    assert answer.json()["message"] == "Ce motif est introuvable."


@pytest.mark.parametrize(
    ("q", "first_label"),
    [
        ("douai", "Douai (59)"),
        ("59500", "Douai (59)"),
        ("L'Haÿ-les-Roses", "L'Haÿ-les-Roses (94)"),
        ("st etienne", "Saint-Étienne (42)"),
    ],
)
def test_communes_are_found_by_name_or_postcode(client, q, first_label):
    answer = client.get("/api/v1/communes", params={"q": q})
    assert answer.status_code == 200
    assert answer.json()[0]["label"] == first_label


def test_communes_answer_at_most_ten_with_their_codes(client):
    found = client.get("/api/v1/communes", params={"q": "saint"}).json()
    assert len(found) == 10
    douai = client.get("/api/v1/communes", params={"q": "Douai"}).json()[0]
    assert douai == {
        "insee": "59178",
        "name": "Douai",
        "postcode": "59500",
        "postcodes": ["59500"],
        "departement": "59",
        "label": "Douai (59)",
    }


@pytest.mark.parametrize("q", ["", "🙂", "x" * 150])
def test_communes_with_nothing_to_match_give_an_empty_list(client, q):
    answer = client.get("/api/v1/communes", params={"q": q})
    assert answer.status_code == 200
    assert answer.json() == []


def test_five_digits_are_read_as_a_postcode_first_and_the_answer_names_the_town(client):
    # 59450 is the postcode of Sin-le-Noble and the INSEE code of Ors, far away.
    answer = client.get("/api/v1/practitioners", params={"near": "59450"})
    assert answer.status_code == 200
    assert answer.json()["near"]["label"] == "Sin-le-Noble (59)"


def test_a_search_without_a_place_is_centred_on_the_kiosk_town(client):
    answer = client.get("/api/v1/practitioners", params={"specialty": "dentiste"})
    assert answer.json()["near"]["name"] == "Douai"


def test_an_insee_code_with_letters_still_finds_its_town(client):
    answer = client.get("/api/v1/practitioners", params={"near": "2A004", "specialty": "kiné"})
    assert answer.status_code == 200
    assert answer.json()["near"]["name"] == "Ajaccio"


def test_a_commune_chosen_from_a_list_is_sent_by_its_insee_code_and_taken_exactly(client):
    # 59450 as an INSEE code is Ors; typed as `near` it would be read as Sin-le-Noble's postcode.
    answer = client.get("/api/v1/practitioners", params={"commune": "59450"})
    assert answer.status_code == 200
    assert answer.json()["near"]["name"] == "Ors"
    unknown = client.get("/api/v1/practitioners", params={"commune": "00000"})
    assert (unknown.status_code, unknown.json()["field"]) == (422, "commune")
