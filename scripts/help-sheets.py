"""The workshop's help sheets: each exercise's main path, one picture of the kiosk per step.

`make help-sheets` writes server/dashboard/static/fiches/: a PNG of each screen (drawn in
French on the real Kivy window, offscreen, 1280 × 800 at the base text size, then scaled to
640 px wide) and fiches.json, which the dashboard's /fiches/ pages print from.

The journeys are walked in the tests' in-memory world (tests/kiosk: fictional people,
practitioners and dates), and the screens are drawn as the accessibility audit draws them
(tests/kiosk/screens): the sheets show exactly what the kiosk shows in the tests. Same
journeys and words, same files: run it again after a step or a word changes.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Sets up Kivy offscreen at 1280 × 800 before Kivy is imported (as the screen tests do).
from tests.kiosk.screens.conftest import DISPLAY, Hand  # noqa: E402  isort: skip

import io  # noqa: E402
import json  # noqa: E402
import shutil  # noqa: E402
import tempfile  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from datetime import UTC, datetime, time, tzinfo  # noqa: E402
from typing import Any  # noqa: E402

from kivy.base import EventLoop  # noqa: E402
from kivy.core.window import Window  # noqa: E402
from PIL import Image  # noqa: E402

from kiosk.screens import words  # noqa: E402
from kiosk.screens.app import build_root  # noqa: E402
from kiosk.workflows import ticket  # noqa: E402
from kiosk.workflows.exercises import BY_ID  # noqa: E402
from kiosk.workflows.flow import Flow, View  # noqa: E402
from kiosk.workflows.journeys import JOURNEYS  # noqa: E402
from tests.kiosk.conftest import KNOWN_PHONE, TODAY  # noqa: E402
from tests.kiosk.screens.doubles import RecordingPrinter  # noqa: E402
from tests.kiosk.screens.test_audit import draw  # noqa: E402
from tests.kiosk.workflows.memory_services import CODE, MemoryServices  # noqa: E402
from tests.kiosk.workflows.scenarios import book_known_person, run  # noqa: E402

OUT = ROOT / "server" / "dashboard" / "static" / "fiches"
DISPLAY_HEIGHT = 800  # the test window: 1280 × 800
WIDTH = 640  # the pictures' width: sharp enough on paper at about 8 cm
COLOURS = 64  # a palette PNG: the kiosk's flat colours and smooth enough text edges


@dataclass(frozen=True)
class Do:
    """One step of a sheet: what to do on the screen of `step`.

    `event` is what the person does there (a Flow method and its argument, as in
    tests/kiosk/workflows/scenarios.py); None on the last step. `action` is the sentence
    printed, where {choice} is the label of the option chosen and {continue}, {confirm}
    the kiosk's own buttons."""

    step: str
    event: tuple[str, Any] | None
    action: str


TYPE_PHONE = "Tapez votre numéro de portable. Puis touchez {continue}."
TYPE_CODE = "Tapez le code reçu par SMS. Puis touchez {continue}."
TOUCH = "Touchez {choice}."
EITHER = "Touchez {options}."


def signing_in(phone: str) -> list[Do]:
    return [
        Do("sign_in.phone", ("answer", phone), TYPE_PHONE),
        Do("sign_in.code", ("answer", CODE), TYPE_CODE),
    ]


NEW_PERSON = [
    *signing_in("06 12 34 56 78"),
    Do("sign_in.consent", ("answer", True), "Lisez. Si vous êtes d'accord, touchez {choice}."),
    Do("sign_in.sex", ("answer", "F"), EITHER),
    Do("sign_in.first_name", ("answer", "Émilie-Anne"), "Écrivez votre prénom. Puis touchez "
       "{continue}."),
    Do("sign_in.last_name", ("answer", "N'Diaye"), "Écrivez votre nom. Puis touchez {continue}."),
    Do("sign_in.birth_date", ("answer", "12 mars 1950"), "Choisissez le jour, le mois et "
       "l'année. Puis touchez {continue}."),
]  # fmt: skip
KNOWN_PERSON = signing_in("06 98 76 54 32")
MY_APPOINTMENTS = [Do("welcome.menu", ("answer", "mine"), TOUCH), *KNOWN_PERSON]
MY_APPOINTMENT = Do("appointments.list", ("choose", 1), "Touchez votre rendez-vous.")

# Each sheet: its exercise (title, goal), whether the person already has an appointment, and
# the steps of the main path.
SHEETS: dict[str, tuple[bool, list[Do]]] = {
    "account": (
        False,
        [
            Do("welcome.menu", ("answer", "account"), TOUCH),
            *NEW_PERSON,
            Do("account.menu", None, "C'est fini : votre compte est créé."),
        ],
    ),
    "relative": (
        False,
        [
            Do("welcome.menu", ("answer", "account"), TOUCH),
            *KNOWN_PERSON,
            Do("account.menu", ("answer", "add"), TOUCH),
            Do("relative.sex", ("answer", "M"), EITHER),
            Do("relative.first_name", ("answer", "Noé"), "Écrivez son prénom. Puis touchez "
               "{continue}."),
            Do("relative.last_name", ("answer", "Petit"), "Écrivez son nom. Puis touchez "
               "{continue}."),
            Do("relative.birth_date", ("answer", {"day": 4, "month": 7, "year": 2019}),
               "Choisissez le jour, le mois et l'année. Puis touchez {continue}."),
            Do("relative.link", ("answer", "enfant"), "Touchez ce que cette personne est pour "
               "vous. Par exemple : {choice}."),
            Do("relative.review", ("answer", True), "Vérifiez. Puis touchez {confirm}."),
            Do("account.menu", None, "C'est fini : votre proche est ajouté."),
        ],
    ),
    "book": (
        False,
        [
            Do("welcome.menu", ("answer", "book"), TOUCH),
            Do("booking.what", ("answer", "medecine-generale"), TOUCH),
            Do("booking.results", ("choose", 1), "Touchez le soignant que vous voulez."),
            Do("booking.card", ("answer", "book"), TOUCH),
            *KNOWN_PERSON,
            Do("booking.seen_before", ("answer", False), "Touchez {choice} si c'est la "
               "première fois. Sinon touchez Oui."),
            Do("booking.slot", ("choose", 1), "Touchez le jour et l'heure que vous voulez."),
            Do("booking.review", ("answer", True), "Vérifiez le jour et l'heure. Puis touchez "
               "{confirm}."),
            Do("booking.done", None, "C'est fini. Touchez {print} pour avoir un ticket."),
        ],
    ),
    "move": (
        True,
        [
            *MY_APPOINTMENTS,
            MY_APPOINTMENT,
            Do("appointments.detail", ("answer", "move"), TOUCH),
            Do("appointments.move", ("choose", 2), "Touchez le nouveau jour et la nouvelle "
               "heure."),
            Do("appointments.move_ok", ("answer", True), "Vérifiez. Puis touchez {choice}."),
            Do("appointments.moved", None, "C'est fini : votre rendez-vous est changé."),
        ],
    ),
    "cancel": (
        True,
        [
            *MY_APPOINTMENTS,
            MY_APPOINTMENT,
            Do("appointments.detail", ("answer", "cancel"), TOUCH),
            Do("appointments.cancel", ("answer", True), "Pour annuler, touchez {choice}."),
            Do("appointments.cancelled", None, "C'est fini : votre rendez-vous est annulé."),
        ],
    ),
}  # fmt: skip


class Stamped(datetime):
    """The tickets' calendar event is stamped with the time it was made: here always the
    same (the tests' day, 8 h UTC), so the QR code on the last screen is the same each run."""

    @classmethod
    def now(cls, tz: tzinfo | None = None) -> datetime:
        return datetime.combine(TODAY, time(8), tzinfo=UTC).astimezone(tz)


ticket.datetime = Stamped


def new_flow(world: MemoryServices) -> Flow:
    return Flow(JOURNEYS, world, today=lambda: TODAY, clock=lambda: 1_000_000.0)


def walk(sheet_id: str) -> list[tuple[Do, View, str]]:
    """Each step's view, as shown before the person acts, and the sentence to print."""
    booked, path = SHEETS[sheet_id]
    world = MemoryServices(TODAY, known_phone=KNOWN_PHONE)
    if booked:  # an earlier visit: the appointment to change or cancel
        run(new_flow(world), book_known_person())
    flow = new_flow(world)
    view, walked = flow.view(), []
    for do in path:
        assert view.step == do.step, f"{sheet_id}: {do.step} expected, {view.step} shown"
        method, argument = do.event or ("answer", None)
        if method == "choose":
            chosen = view.options[argument - 1]
        else:
            chosen = next((o for o in view.options if o.value == argument), None)
        label = chosen.label if chosen else ""
        buttons = {"continue": words.CONTINUE, "confirm": words.CONFIRM, "print": words.PRINT}
        options = " ou ".join(option.label for option in view.options)
        action = do.action.format_map({"choice": label, "options": options, **buttons})
        walked.append((do, view, action))
        if do.event:
            view = getattr(flow, method)(argument)
            assert view.error is None, (sheet_id, do.step, view.error)
    return walked


def screen(hand: Hand, view: View, scratch: Path) -> Image.Image:
    draw(hand.session, view, size=0, high_contrast=False)
    shot = hand.screenshot(scratch, "screen")
    with Image.open(shot) as picture:
        picture = picture.convert("RGB")
    assert picture.size == (DISPLAY.width_px, DISPLAY_HEIGHT), picture.size
    height = round(picture.height * WIDTH / picture.width)
    small = picture.resize((WIDTH, height), Image.Resampling.LANCZOS)
    return small.quantize(COLOURS, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)


def keep(picture: Image.Image, step: str, pictures: dict[bytes, str]) -> str:
    """Save the picture as `step.png` (`step.2.png`… for another screen of the same step),
    or give the file that already holds the very same picture."""
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG", optimize=True)
    data = buffer.getvalue()
    if data not in pictures:
        same_step = sum(name.startswith(f"{step}.") for name in pictures.values())
        pictures[data] = f"{step}{f'.{same_step + 1}' if same_step else ''}.png"
        (OUT / pictures[data]).write_bytes(data)
    return pictures[data]


def main() -> None:
    EventLoop.ensure_window()
    # A kiosk of a centre has its ticket printer: the last screen shows Imprimer.
    root = build_root(
        lambda: new_flow(MemoryServices(TODAY)), printer=RecordingPrinter(), display=DISPLAY
    )
    Window.add_widget(root)
    root.size = Window.size
    hand = Hand(root)
    scratch = Path(tempfile.mkdtemp(prefix="help-sheets-"))
    if OUT.exists():
        for old in OUT.glob("*.png"):
            old.unlink()
    OUT.mkdir(parents=True, exist_ok=True)
    files: dict[str, str] = {}  # repr(view) -> its picture, drawn once for all the sheets
    pictures: dict[bytes, str] = {}  # a PNG's bytes -> its file: the same picture kept once
    sheets = []
    try:
        for sheet_id in SHEETS:
            exercise, steps = BY_ID[sheet_id], []
            for do, view, action in walk(sheet_id):
                key = repr(view)
                if key not in files:
                    files[key] = keep(screen(hand, view, scratch), view.step, pictures)
                steps.append(
                    {
                        "step": do.step,
                        "picture": files[key],
                        "action": action,
                        "title": view.title,
                        "help": view.help,
                    }
                )
            sheets.append(
                {"id": sheet_id, "title": exercise.title, "goal": exercise.goal, "steps": steps}
            )
    finally:
        root.session.close()
        Window.remove_widget(root)
        shutil.rmtree(scratch, ignore_errors=True)
    manifest = {
        "about": "Written by scripts/help-sheets.py (make help-sheets): do not edit by hand.",
        "picture_width": WIDTH,
        "picture_height": round(DISPLAY_HEIGHT * WIDTH / DISPLAY.width_px),
        "sheets": sheets,
    }
    text = json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
    (OUT / "fiches.json").write_text(text, encoding="utf-8")
    total = sum(path.stat().st_size for path in OUT.iterdir())
    print(f"{len(sheets)} fiches, {len(pictures)} images, {total / 1_000_000:.2f} Mo dans {OUT}")


if __name__ == "__main__":
    main()
