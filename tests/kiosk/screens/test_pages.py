"""A screen taller than the window is turned by large page buttons: no drag, nothing thin."""

from __future__ import annotations

from kivy.tests.common import UnitTestTouch

from kiosk.screens.widgets import Column, walk
from tests.kiosk.screens.conftest import DISPLAY, Hand


def card_at_a_plus_plus(hand: Hand) -> Column:
    hand.tap("Prendre un rendez-vous", "button")
    hand.tap("Médecin généraliste", "button")
    hand.tap(hand.session.view.options[0].label, "button")
    assert hand.session.view.step == "booking.card"
    hand.tap("A++", "button")
    return next(w for w in hand.widgets("list") if isinstance(w, Column))


def seen(column: Column) -> set[int]:
    """The parts of the list wholly inside its window now."""
    bottom, top = column.window.y, column.window.top
    inside = set()
    for w in walk(column.box):
        low, high = w.to_window(w.x, w.y)[1], w.to_window(w.x, w.top)[1]
        if low >= bottom - 1 and high <= top + 1:
            inside.add(id(w))
    return inside


def test_a_card_at_a_plus_plus_is_read_whole_with_the_page_buttons(hand: Hand):
    column = card_at_a_plus_plus(hand)
    assert column.overflows
    assert column.up.disabled and not column.down.disabled  # at the top: only "Plus bas"
    for tap in (column.up, column.down):
        assert min(tap.size) / DISPLAY.px_per_mm >= 15
    read = seen(column)
    pages = 0
    while not column.down.disabled:
        hand.tap("Plus bas", "button")
        read |= seen(column)
        pages += 1
        assert pages < 20
    assert read == {id(w) for w in walk(column.box)}
    assert column.window.scroll_y == 0
    for _ in range(pages):
        hand.tap("Plus haut", "button")
    assert column.window.scroll_y == 1 and column.up.disabled


def test_dragging_the_list_does_not_move_it(hand: Hand):
    column = card_at_a_plus_plus(hand)
    x, y = column.window.to_window(*column.window.center)
    touch = UnitTestTouch(x, y)
    touch.touch_down()
    touch.touch_move(x, y + 300)
    touch.touch_up()
    hand.settle()
    assert column.window.scroll_y == 1


def test_a_short_list_has_no_page_buttons(hand: Hand):
    column = next(w for w in hand.widgets("list") if isinstance(w, Column))
    assert not column.overflows and column.pager.parent is None
    assert "Plus bas" not in hand.texts()
