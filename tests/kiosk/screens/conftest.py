"""One offscreen Kivy window for all the screen tests, and a hand that touches it."""

from __future__ import annotations

import os
import tempfile

os.environ.pop("DISPLAY", None)
os.environ["SDL_VIDEODRIVER"] = "offscreen"
os.environ.setdefault("KIVY_HOME", tempfile.mkdtemp(prefix="kivy-home-"))
os.environ["KIVY_NO_ARGS"] = "1"
os.environ["KIVY_NO_CONSOLELOG"] = "1"

from collections.abc import Callable, Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from kivy.config import Config  # noqa: E402

Config.set("graphics", "width", "1280")
Config.set("graphics", "height", "800")

from kivy.base import EventLoop  # noqa: E402
from kivy.core.window import Window  # noqa: E402
from kivy.tests.common import UnitTestTouch  # noqa: E402
from kivy.uix.widget import Widget  # noqa: E402

from kiosk.screens.app import Root, build_root  # noqa: E402
from kiosk.screens.display import Display  # noqa: E402
from kiosk.screens.widgets import walk  # noqa: E402
from kiosk.screens.writing import plain  # noqa: E402
from kiosk.workflows.flow import Flow  # noqa: E402
from kiosk.workflows.journeys import JOURNEYS  # noqa: E402
from tests.kiosk.conftest import KNOWN_PHONE, TODAY  # noqa: E402
from tests.kiosk.screens.doubles import RecordingPrinter, RecordingSpeaker  # noqa: E402
from tests.kiosk.workflows.memory_services import MemoryServices  # noqa: E402

# The test window as a 15.6-inch screen seen from 50 cm.
DISPLAY = Display(width_mm=344.0, width_px=1280, distance_cm=50.0)
SHORT_IDLE = {"idle": 1.0, "countdown": 3, "extensions": 10, "second": 0.05}


class Hand:
    """Touches the screen where a person would, and reads what it shows."""

    def __init__(self, root: Root) -> None:
        self.root = root
        self.settle()

    @property
    def session(self):  # noqa: ANN201 - the Session under test
        return self.root.session

    def settle(self, frames: int = 4) -> None:
        for _ in range(frames):
            EventLoop.idle()

    def widgets(self, role: str | None = None) -> list[Widget]:
        return [w for w in walk(self.root) if role is None or w.role == role]

    def find(self, words: str, role: str | None = None) -> Widget:
        found = [
            w
            for w in self.widgets(role)
            if w.words == words and w.get_root_window() is not None and not w.disabled
        ]
        assert found, f"no {role or 'widget'} saying {words!r} on {self.session.view.step}"
        return found[-1]

    def tap(self, words: str, role: str | None = None) -> None:
        self.touch(self.find(words, role))

    def touch(self, widget: Widget) -> None:
        x, y = widget.to_window(*widget.center)
        touch = UnitTestTouch(x, y)
        touch.touch_down()
        touch.touch_up()
        self.settle()

    def type(self, text: str) -> None:
        for key in text:
            self.tap(" " if key == " " else key, "key") if key != " " else self.tap("Espace")

    def texts(self) -> list[str]:
        return [plain(w.words) for w in self.widgets() if w.words]

    def screenshot(self, folder: Path, name: str) -> Path:
        self.settle()
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{name}.png"
        Window.screenshot(name=str(path))
        # Kivy adds a number to the name: find the file it wrote.
        written = max(folder.glob(f"{name}*.png"), key=lambda p: p.stat().st_mtime)
        written.rename(path)
        return path


@pytest.fixture
def speaker() -> RecordingSpeaker:
    return RecordingSpeaker()


@pytest.fixture
def printer() -> RecordingPrinter:
    return RecordingPrinter()


@pytest.fixture
def new_flow(clock: list[float]) -> Callable[[], Flow]:
    """A brand-new flow over one in-memory world, like the kiosk gets after each person."""
    world = MemoryServices(TODAY, known_phone=KNOWN_PHONE)
    return lambda: Flow(JOURNEYS, world, today=lambda: TODAY, clock=lambda: clock[0])


@pytest.fixture
def ears() -> object | None:
    """Speech input beside the touches: none, but in tests/kiosk/screens/test_speech_input.py."""
    return None


@pytest.fixture
def idle() -> dict[str, float] | None:
    """The kiosk's own durations; the idle tests use SHORT_IDLE."""
    return None


@pytest.fixture
def mode() -> Callable[[], object]:
    """What kind of session `new_flow` gives now: always the same, but in the workshop tests."""
    return lambda: None


@pytest.fixture
def hand(new_flow, speaker, printer, ears, idle, mode) -> Iterator[Hand]:  # noqa: ANN001
    EventLoop.ensure_window()
    devices = {"speaker": speaker, "printer": printer, "ears": ears}
    root = build_root(new_flow, **devices, display=DISPLAY, idle=idle, mode=mode)
    Window.add_widget(root)
    root.size = Window.size
    try:
        yield Hand(root)
    finally:
        root.session.close()
        Window.remove_widget(root)
