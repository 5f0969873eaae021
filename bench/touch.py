"""The touch screen's speed: cold start, touch to next step drawn, memory.

The journeys are walked by touches on the real widgets (`play`, shared with
tests/kiosk/screens/test_live_touch.py): each Flow event of a script in bench/journeys.py
becomes what a person does on the screen: keys on the keypad and keyboard, the date
controls, a day tab and a time, a button.

The kiosk runs as it does at a France Services centre: its own process with the real client,
talking over HTTP to the embedded demo server (SQLite) started once beforehand; offscreen
1280 × 800, silent (speech has its own bench), no printer. Measured in child processes
(`python -m bench.touch cold|walk`) so each kiosk starts cold and its memory is its own;
all of it under `flock /tmp/bench.lock`, so no other bench shares the two cores.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from babel.dates import get_month_names

from bench.common import ROOT, summary_ms
from bench.scripts import MEASURED, Event, SmsInbox, UnexpectedError
from kiosk.client.services import open_services
from kiosk.embedded_server import Embedded, embedded_server
from kiosk.workflows.steps import Kind

if TYPE_CHECKING:  # Kivy is loaded only by the processes that draw
    from kivy.uix.widget import Widget

TARGETS = {"cold_start_p50_s": 2.0, "touch_to_step_p95_ms": 100.0, "rss_peak_mb": 300.0}
COLD_RUNS, ROUNDS = 5, 3

# The French words a person reads on the buttons.
CONFIRM, CONTINUE, CAPITALS, SPACE, MORE = (
    "Confirmer",
    "Continuer",
    "Majuscule",
    "Espace",
    "Plus de choix",
)

# ------------------------------------------------------------------------ touching


class Hand(Protocol):
    """What touches the screen: tests/kiosk/screens/conftest.py's Hand."""

    session: Any

    def tap(self, words: str, role: str | None = None) -> None: ...
    def touch(self, widget: Widget) -> None: ...
    def widgets(self, role: str | None = None) -> list[Widget]: ...


def play(hand: Hand, events: list[Event]) -> list[str]:
    """Each event as a person's touches; returns the steps shown, the first one included.

    Stops at the first step showing an error: every script is a journey that goes well.
    """
    shown = [hand.session.view.step]
    for method, argument, *at in events:
        view = hand.session.view
        if at and view.step != at[0]:
            continue
        value = argument() if callable(argument) else argument
        ACTIONS[method](hand, value)
        after = hand.session.view
        if after.error:
            raise UnexpectedError(f"{view.step} → {method} {value!r}: {after.error}")
        shown.append(after.step)
    return shown


def visible(widget: Widget) -> bool:
    """The widget's centre is inside every scrolling list around it: a person can see it."""
    from kivy.uix.scrollview import ScrollView

    x, y = widget.to_window(*widget.center)
    parent = widget.parent
    while parent is not None and parent is not parent.parent:
        if isinstance(parent, ScrollView):
            left, bottom = parent.to_window(*parent.pos)
            if not (left <= x <= left + parent.width and bottom <= y <= bottom + parent.height):
                return False
        parent = parent.parent
    return True


def _press(hand: Hand, widget: Widget) -> None:
    if not visible(widget):
        raise AssertionError(f"{widget.words!r} is out of sight on {hand.session.view.step}")
    hand.touch(widget)


def _tap(hand: Hand, words: str, role: str | None = None) -> None:
    found = [w for w in hand.widgets(role) if w.words == words and not w.disabled]
    assert found, f"no {role or 'widget'} saying {words!r} on {hand.session.view.step}"
    _press(hand, found[-1])


def _choose(hand: Hand, number: int) -> None:
    view = hand.session.view
    option = view.options[number - 1]
    if view.kind == Kind.SLOT:
        day = option.group or option.label
        if not [t for t in hand.widgets("tab") if t.words == day and t.style == "button"]:
            _tap(hand, day, "tab")
        _tap(hand, option.short or option.label, "button")
        return
    _tap(hand, option.label, "button")


def _answer(hand: Hand, value: Any) -> None:
    view = hand.session.view
    if view.kind == Kind.DIGITS:  # "06 12 34 56 78": the keypad has digits alone
        _keys(hand, "".join(key for key in str(value) if key.isdigit()))
        _tap(hand, CONTINUE, "button")
    elif view.kind == Kind.TEXT:
        _keys(hand, str(value))
        _tap(hand, CONTINUE, "button")
    elif view.kind == Kind.DATE:
        _date(hand, value)
        _tap(hand, CONTINUE, "button")
    elif view.kind == Kind.REVIEW and value is True:
        _tap(hand, CONFIRM, "button")
    elif view.kind == Kind.INFO and value is True and not view.options:
        _tap(hand, CONTINUE, "button")
    else:
        _option(hand, value)


def _option(hand: Hand, value: Any) -> None:
    """The option with that value, turning the pages ("Plus de choix") until it shows."""
    while True:
        view = hand.session.view
        for number, option in enumerate(view.options, 1):
            if option.value == value:
                _choose(hand, number)
                return
        assert view.more, f"no option {value!r} on {view.step}"
        _tap(hand, MORE, "button")


def _keys(hand: Hand, text: str) -> None:
    """Typed key by key: capitals with "Majuscule" first, as on the screen's keyboard."""
    for key in text:
        if key == " ":
            _tap(hand, SPACE, "button")
            continue
        if key.isupper():
            _tap(hand, CAPITALS, "button")
        _tap(hand, key.lower(), "key")


def _date(hand: Hand, value: str | dict[str, int]) -> None:
    """ "12/03/1950" (or its parts) with the + and − buttons beside the day, month and year."""
    if isinstance(value, dict):
        day, month, year = value["day"], value["month"], value["year"]
    else:
        day, month, year = (int(part) for part in value.split("/"))
    months = list(get_month_names("wide", context="stand-alone", locale="fr").values())
    for field, wanted in zip(_date_fields(hand), (day, month, year), strict=True):
        now = months.index(field.words) + 1 if field.words in months else int(field.words)
        by = wanted - now
        buttons = {w.words: w for w in field.parent.children if getattr(w, "role", None)}
        while by:
            step = 10 if abs(by) >= 10 and "+10" in buttons else 1
            sign = "+" if by > 0 else "−"
            _press(hand, buttons[f"{sign}{step}" if step > 1 else sign])
            by -= step if by > 0 else -step


def _date_fields(hand: Hand) -> list[Widget]:
    """The day, month and year shown, from the top down."""
    return sorted(hand.widgets("field"), key=lambda w: -w.to_window(*w.pos)[1])


ACTIONS: dict[str, Callable[[Hand, Any], None]] = {"choose": _choose, "answer": _answer}


# ------------------------------------------------------------------------ the kiosk processes

# A kiosk process from nothing to its first frame: only what the kiosk itself imports. It
# prints the monotonic clock (shared by all processes) when a frame showing welcome is drawn.
COLD = """
import sys, tempfile, time
from kivy.core.window import Window
from kiosk.client.services import open_services
from kiosk.screens.app import KioskApp
from kiosk.workflows.flow import Flow
from kiosk.workflows.journeys import JOURNEYS

services = open_services(sys.argv[1], sys.argv[2], tempfile.mkdtemp(prefix="kiosk-cold-"))
app = KioskApp(lambda: Flow(JOURNEYS, services), fullscreen=False)

def drawn(*_):
    if app.root is not None and app.root.session.view.step == "welcome.menu":
        print(time.monotonic(), flush=True)
        app.stop()

Window.bind(on_flip=drawn)
app.run()
"""


def kiosk_env() -> dict[str, str]:
    """An offscreen 1280 × 800 window, Kivy's settings in a throw-away folder, no log."""
    env = {k: v for k, v in os.environ.items() if k != "DISPLAY"}
    return env | {
        "SDL_VIDEODRIVER": "offscreen",
        "KIVY_HOME": tempfile.mkdtemp(prefix="kivy-home-"),
        "KIVY_NO_ARGS": "1",
        "KIVY_NO_CONSOLELOG": "1",
        "KIVY_NO_FILELOG": "1",
        "KCFG_GRAPHICS_WIDTH": "1280",
        "KCFG_GRAPHICS_HEIGHT": "800",
        "PYTHONPATH": str(ROOT),
    }


def cold_start(server: Embedded) -> float:
    """Seconds from launching a kiosk process to its first welcome frame."""
    command = [sys.executable, "-c", COLD, server.base_url, server.kiosk_token]
    started = time.monotonic()
    done = subprocess.run(
        command, env=kiosk_env(), cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    if done.returncode != 0 or not done.stdout.strip():
        raise RuntimeError(f"the kiosk did not start: {done.stderr[-2000:]}")
    return float(done.stdout.split()[0]) - started


class Stopwatch:
    """A Hand whose every touch is timed: handled (the flow, the server, the new widgets
    built) and drawn (the first frame flipped after it).

    A touch that drew a new screen (the next step, or a day's times) counts as a screen;
    a key, a + or − counts as a key (the field drawn again).
    """

    def __init__(self, hand: Any) -> None:
        from kivy.core.window import Window

        self.hand, self.flips = hand, []
        self.screens: list[tuple[str, float, float]] = []  # step touched, handled, drawn
        self.keys: list[float] = []
        Window.bind(on_flip=lambda *_: self.flips.append(time.perf_counter()))

    @property
    def session(self) -> Any:
        return self.hand.session

    def widgets(self, role: str | None = None) -> list[Widget]:
        return self.hand.widgets(role)

    def tap(self, words: str, role: str | None = None) -> None:
        self.touch(self.hand.find(words, role))

    def touch(self, widget: Widget) -> None:
        """As the Hand touches (down, up, a few frames), with the clock read in between."""
        from kivy.tests.common import UnitTestTouch

        screen, step, self.flips[:] = self.session.screen, self.session.view.step, []
        touch = UnitTestTouch(*widget.to_window(*widget.center))
        started = time.perf_counter()
        touch.touch_down()
        touch.touch_up()
        handled = time.perf_counter() - started
        self.hand.settle()
        if not self.flips:
            return
        if self.session.screen is screen:
            self.keys.append(self.flips[0] - started)
        else:
            self.screens.append((step, handled, self.flips[0] - started))


def rss_mb() -> float:
    status = Path("/proc/self/status").read_text()
    kb = next(line for line in status.splitlines() if line.startswith("VmRSS")).split()[1]
    return round(int(kb) / 1024, 1)


def phone_of(round_: int, journey: int) -> str:
    return f"061{round_}0000{journey:02d}"


def walk(server: Embedded, rounds: int) -> dict[str, Any]:
    """Every measured journey, `rounds` times, touched on the screen; then the memory.

    The returning people were made beforehand by the parent process (`measure`)."""
    before_kivy = rss_mb()  # Python, the client, the journeys' scripts
    from kivy.base import EventLoop
    from kivy.core.window import Window

    from kiosk.screens.app import build_root, collect_between_screens
    from kiosk.workflows.flow import Flow
    from kiosk.workflows.journeys import JOURNEYS
    from tests.kiosk.screens.conftest import DISPLAY, Hand

    folder = Path(tempfile.mkdtemp(prefix="kiosk-walk-"))
    services = open_services(server.base_url, server.kiosk_token, folder)
    inbox = SmsInbox.of(server)
    EventLoop.ensure_window()
    root = build_root(lambda: Flow(JOURNEYS, services), display=DISPLAY)
    collect_between_screens()  # as KioskApp does
    Window.add_widget(root)
    root.size = Window.size
    timed = Stopwatch(Hand(root))
    memory = [rss_mb()]  # at welcome, then after each round
    for round_ in range(rounds):
        for n, journey in enumerate(MEASURED):
            phone = phone_of(round_, n)
            inbox.skip_old(phone)  # the codes of the person's earlier visit
            play(timed, journey.script(phone, inbox.code))
            timed.tap("Terminer", "button")
        memory.append(rss_mb())
    return {
        "screens": timed.screens,
        "keys": timed.keys,
        "rss_mb_before_kivy": before_kivy,
        "rss_mb": memory,
        "rss_peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


# ------------------------------------------------------------------------ the bench


def make_people(server: Embedded, rounds: int, folder: Path) -> None:
    """Every returning person of the walk, made here so the walking kiosk never loads the
    server's database modules (they would count in its memory)."""
    from bench.people import returning  # here only: see above

    services = open_services(server.base_url, server.kiosk_token, folder)
    inbox = SmsInbox.of(server)
    for round_ in range(rounds):
        for n, journey in enumerate(MEASURED):
            phone = phone_of(round_, n)
            returning(services, server.env["DATABASE_URL"], phone, inbox, journey.before)


def measure(cold_runs: int = COLD_RUNS, rounds: int = ROUNDS) -> list[dict]:
    """Run under the bench lock: one demo server, cold starts, then a walk in its own process."""
    with (
        tempfile.TemporaryDirectory(prefix="kiosk-bench-touch-") as folder,
        embedded_server(Path(folder) / "server") as server,
    ):
        starts = [cold_start(server) for _ in range(cold_runs)]
        make_people(server, rounds, Path(folder) / "preparing")
        command = [sys.executable, "-m", "bench.touch", "walk", json.dumps(server.__dict__)]
        done = subprocess.run(
            [*command, str(rounds)], env=kiosk_env(), cwd=ROOT, capture_output=True, text=True
        )
        if done.returncode != 0:
            raise RuntimeError(f"the walk failed: {done.stderr[-3000:]}")
        walked = json.loads(done.stdout.splitlines()[-1])
    starts_ms = summary_ms(starts)
    screens = summary_ms([drawn for _, _, drawn in walked["screens"]])
    handled = summary_ms([handled for _, handled, _ in walked["screens"]])
    keys = summary_ms(walked["keys"])
    slowest = sorted(walked["screens"], key=lambda timed: -timed[2])[:5]
    base = {"database": "sqlite"}
    return [
        base
        | {"benchmark": "touch_cold_start", "runs": len(starts)}
        | {"p50_s": round(starts_ms["p50_ms"] / 1000, 2), "max_s": round(max(starts), 2)}
        | {"meets_target": starts_ms["p50_ms"] / 1000 <= TARGETS["cold_start_p50_s"]},
        base
        | {"benchmark": "touch_to_step", "touches": len(walked["screens"]), **screens}
        | {"handled_p50_ms": handled["p50_ms"], "handled_p95_ms": handled["p95_ms"]}
        | {"slowest": [f"{step} {h * 1000:.0f}/{d * 1000:.0f} ms" for step, h, d in slowest]}
        | {"meets_target": screens["p95_ms"] <= TARGETS["touch_to_step_p95_ms"]},
        base | {"benchmark": "touch_to_key", "touches": len(walked["keys"]), **keys},
        base
        | {"benchmark": "touch_memory", "rss_mb_before_kivy": walked["rss_mb_before_kivy"]}
        | {"rss_mb_welcome": walked["rss_mb"][0]}
        | {"rss_mb_by_round": walked["rss_mb"][1:]}
        | {"rss_peak_mb": walked["rss_peak_mb"]}
        | {"meets_target": walked["rss_peak_mb"] <= TARGETS["rss_peak_mb"]},
    ]


def run() -> list[dict]:
    """`python -m bench touch`: the measures run in a child holding the bench lock."""
    command = ["flock", "/tmp/bench.lock", sys.executable, "-m", "bench.touch", "measure"]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"the touch bench failed: {done.stderr[-3000:]}")
    rows = json.loads(done.stdout.splitlines()[-1])
    print(f"\n{'touch':<18} {'figure':<44} target")
    for row in rows:
        shown = {k: v for k, v in row.items() if k not in ("benchmark", "database")}
        met = {None: "", True: "met", False: "MISSED"}[row.get("meets_target")]
        print(f"{row['benchmark']:<18} {shown!s:<44} {met}")
    return rows


if __name__ == "__main__":
    if sys.argv[1] == "measure":
        print(json.dumps(measure()))
    elif sys.argv[1] == "walk":
        print(json.dumps(walk(Embedded(**json.loads(sys.argv[2])), int(sys.argv[3]))))
