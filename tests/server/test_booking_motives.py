"""Opening hours may list the motives they take; hours without a list take them all."""

from __future__ import annotations

from server.models import Motive, OpeningHours, Slot
from tests.server.booking_world import build_world


def _set_rule_motives(db, world, motive_ids):
    with db.writing() as session:
        slot = session.get(Slot, world.slot_ids[0])
        rule = session.get(OpeningHours, slot.opening_hours_id)
        rule.motives = [session.get(Motive, motive_id) for motive_id in motive_ids]


def test_hours_without_a_list_take_every_motive(client, db, kiosk):
    world = build_world(db, kiosk.id)
    assert world.book(client).status_code == 201


def test_hours_that_list_the_motive_take_it(client, db, kiosk):
    world = build_world(db, kiosk.id)
    _set_rule_motives(db, world, [world.new_motive_id])
    assert world.book(client).status_code == 201


def test_hours_that_list_other_motives_refuse_it_in_french(client, db, kiosk):
    world = build_world(db, kiosk.id)
    _set_rule_motives(db, world, [world.followup_motive_id])
    answer = world.book(client)
    assert answer.status_code == 422
    assert answer.json()["field"] == "motive_id"
    assert answer.json()["message"] == (
        "Ce motif n'est pas possible à cet horaire. Choisissez un autre horaire."
    )


def test_a_slot_without_opening_hours_takes_every_motive(client, db, kiosk):
    world = build_world(db, kiosk.id)
    _set_rule_motives(db, world, [world.followup_motive_id])
    with db.writing() as session:
        session.get(Slot, world.slot_ids[0]).opening_hours_id = None
    assert world.book(client).status_code == 201
