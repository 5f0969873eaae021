"""The few widgets every screen is made of: words, buttons, a column turned by pages.

Each one carries `role` ("title", "text", "error", "notice", "button", "key", "tab",
"field", "picture") and `words` (what it says, in logical order): speech and the
accessibility audit read these, never the drawn (shaped) text.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from kivy.core.text import Label as CoreLabel
from kivy.graphics import Color, Line, Rectangle
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.label import Label
from kivy.uix.scrollview import ScrollView
from kivy.uix.widget import Widget

from kiosk.screens.look import BOLD, REGULAR, Look
from kiosk.screens.pictograms import ICON_FONT, glyph
from kiosk.screens.theme import Colour
from kiosk.screens.writing import drawn


@cache
def meter(font_name: str, font_size: float) -> CoreLabel:
    """A label that is never drawn, to measure words: one per font and size, kept."""
    return CoreLabel(font_name=font_name, font_size=font_size)


def paint(widget: Widget, colour: Colour, border: Colour | None = None, width: float = 2) -> None:
    """A flat background (and a border) that follows the widget."""
    with widget.canvas.before:
        Color(*colour, 1)
        box = Rectangle(pos=widget.pos, size=widget.size)
        if border is not None:
            Color(*border, 1)
            edge = Line(rectangle=(*widget.pos, *widget.size), width=width)

    def follow(*_: object) -> None:
        box.pos, box.size = widget.pos, widget.size
        if border is not None:
            edge.rectangle = (*widget.pos, *widget.size)

    widget.bind(pos=follow, size=follow)


class Text(Label):
    """Words that wrap to their width and take the height they need; Arabic shaped."""

    def __init__(
        self,
        words: str,
        look: Look,
        *,
        role: str = "text",
        colour: Colour | None = None,
        background: Colour | None = None,
        bold: bool = False,
        size: int | None = None,
        align: str | None = None,
        **kwargs: object,
    ) -> None:
        pad = look.gap if background is not None else 0
        super().__init__(
            font_name=BOLD if bold else REGULAR,
            font_size=size or look.font,
            color=(*(colour or look.theme.text), 1),
            halign=align or ("right" if look.rtl else "left"),
            valign="middle",
            padding=(pad, pad // 2),
            size_hint_y=None,
            **kwargs,
        )
        self.role, self.words, self.rtl = role, words, look.rtl
        self.background = background
        if background is not None:
            paint(self, background)
        self.bind(width=self._wrap, texture_size=self._fit)
        self._wrap()
        self._fit()  # no words, no texture event: the height is still Kivy's default 100

    def _wrap(self, *_: object) -> None:
        inner = max(1, self.width - 2 * self.padding[0])
        self.text_size = (inner, None)
        self.text = self._lines(inner) if self.rtl else drawn(self.words, False)

    def _lines(self, width: float) -> str:
        """Right-to-left words broken into lines in reading order, then each line drawn;
        Kivy would break the drawn text and put the end of the sentence first."""
        ruler = meter(self.font_name, self.font_size)
        lines: list[str] = []
        for paragraph in self.words.split("\n"):
            line = ""
            for word in paragraph.split(" "):
                candidate = f"{line} {word}" if line else word
                if line and ruler.get_extents(drawn(candidate, True))[0] > width:
                    lines.append(line)
                    candidate = word
                line = candidate
            lines.append(line)
        return "\n".join(drawn(line, True) for line in lines)

    def _fit(self, *_: object) -> None:
        self.height = self.texture_size[1]

    def say(self, words: str) -> None:
        self.words = words
        self._wrap()


class Icon(Label):
    """A pictogram from the shipped icon font; it repeats the words beside it."""

    def __init__(self, name: str, look: Look, colour: Colour, size: int) -> None:
        super().__init__(
            text=glyph(name) or "",
            font_name=ICON_FONT,
            font_size=size,
            color=(*colour, 1),
            size_hint_x=None,
            width=size * 1.2,
            pos_hint={"center_y": 0.5},
        )
        self.role, self.words, self.pictogram = "picture", "", name


STYLES = {"button", "primary", "key"}


class Tap(ButtonBehavior, BoxLayout):
    """A touch target at least 15 mm square, with a pictogram and words; mirrored for Arabic."""

    def __init__(
        self,
        words: str,
        look: Look,
        action: Callable[[], None],
        *,
        pictogram: str | None = None,
        style: str = "button",
        role: str = "button",
        align: str | None = None,
        size: int | None = None,
        option: int | None = None,
        **kwargs: object,
    ) -> None:
        theme = look.theme
        back, fore = {
            "button": (theme.button, theme.button_text),
            "primary": (theme.primary, theme.primary_text),
            "key": (theme.key, theme.key_text),
        }[style]
        kwargs.setdefault("size_hint_y", None)
        super().__init__(
            orientation="horizontal",
            padding=(look.gap, look.gap // 2),
            spacing=look.gap,
            height=look.target,
            **kwargs,
        )
        self.role, self.words, self.pictogram, self.style = role, words, pictogram, style
        self.option = option  # the number of the view's option it chooses, if it is one
        self.min_height = look.target
        self.action = action
        font = size or look.font
        self.label = Text(
            words,
            look,
            role="label",
            colour=fore,
            size=font,
            bold=style != "key",
            align=align or "center",
            pos_hint={"center_y": 0.5},
        )
        parts: list[Widget] = [self.label]
        if pictogram and glyph(pictogram):
            inner = look.target - 2 * (look.gap // 2)  # a pictogram never pushes out of its button
            parts.insert(0, Icon(pictogram, look, fore, min(round(font * 1.3), inner)))
        for part in reversed(parts) if look.rtl else parts:
            self.add_widget(part)
        paint(self, back, theme.border)
        self.label.bind(height=self._fit)
        self.bind(state=self._pressed)
        self._fit()

    def _fit(self, *_: object) -> None:
        if self.size_hint_y is None:
            self.height = max(self.min_height, self.label.height + 2 * self.padding[1])

    def fit_width(self) -> Tap:
        """As wide as its words on one line (for bars of small buttons)."""
        icons = sum(c.width + self.spacing for c in self.children if isinstance(c, Icon))
        ruler = meter(self.label.font_name, self.label.font_size)
        words = ruler.get_extents(self.label.text)[0] + 2 * self.label.padding[0]
        self.size_hint_x = None
        self.width = max(self.min_height, words + icons + 2 * self.padding[0] + 4)
        return self

    def _pressed(self, *_: object) -> None:
        if not self.disabled:  # a hidden button stays hidden when its press ends
            self.opacity = 0.7 if self.state == "down" else 1.0

    def on_release(self) -> None:
        self.action()

    def hide(self, hidden: bool = True) -> None:
        """Out of use but kept in place, so the other buttons never move."""
        self.opacity, self.disabled = (0, True) if hidden else (1, False)


class Column(BoxLayout):
    """A vertical list. When it is taller than its space, two large page buttons appear below
    it and move it by one screenful: nothing to drag, nothing thin to aim at (EN 301 549 5.5.1).
    """

    def __init__(self, look: Look, up: str, down: str, **kwargs: object) -> None:
        super().__init__(orientation="vertical", spacing=look.gap, **kwargs)
        self.role, self.words = "list", ""
        self.window = ScrollView(do_scroll_x=False, do_scroll_y=False, bar_width=0)
        self.box = BoxLayout(orientation="vertical", size_hint_y=None, spacing=look.gap)
        self.box.bind(minimum_height=self.box.setter("height"))
        self.window.add_widget(self.box)
        super().add_widget(self.window)
        self.up = Tap(up, look, lambda: self.page(1), pictogram="keyboard_arrow_up", style="key")
        self.down = Tap(
            down, look, lambda: self.page(-1), pictogram="keyboard_arrow_down", style="key"
        )
        for tap in (self.up, self.down):
            tap.size_hint_y = 1
        self.pager = row(look, [self.up, self.down], size_hint_y=None, height=look.target)
        self.box.bind(height=self._needed)
        self.bind(height=self._needed)
        self.window.bind(scroll_y=self._ends, height=self._ends)

    def add(self, widget: Widget) -> None:
        self.box.add_widget(widget)

    @property
    def overflows(self) -> bool:
        """The list is taller than the whole column: only part of it can be seen at once."""
        return self.box.height > self.height + 1

    def page(self, direction: int) -> None:
        """One screenful up (1) or down (-1): what was at the bottom edge comes to the top."""
        hidden = self.box.height - self.window.height
        if hidden <= 0:
            return
        step = self.window.height / hidden
        self.window.scroll_y = min(1.0, max(0.0, self.window.scroll_y + direction * step))

    def _needed(self, *_: object) -> None:
        shown = self.pager.parent is not None
        if self.overflows and not shown:
            super().add_widget(self.pager, index=0)
        elif not self.overflows and shown:
            self.remove_widget(self.pager)
            self.window.scroll_y = 1.0
        self._ends()

    def _ends(self, *_: object) -> None:
        """At the top there is nothing higher, at the bottom nothing lower: that button hides."""
        hidden = self.box.height - self.window.height
        self.up.hide(hidden <= 0 or self.window.scroll_y >= 1.0 - 1e-6)
        self.down.hide(hidden <= 0 or self.window.scroll_y <= 1e-6)


def row(look: Look, widgets: list[Widget], **kwargs: object) -> BoxLayout:
    """Widgets side by side, in reading order (right to left for Arabic)."""
    box = BoxLayout(orientation="horizontal", spacing=look.gap, **kwargs)
    for widget in reversed(widgets) if look.rtl else widgets:
        box.add_widget(widget)
    return box


def needed(widget: Widget) -> float:
    """The height a widget's words need: a button's words and padding, a text's lines."""
    if isinstance(widget, Tap):
        return widget.label.height + 2 * widget.padding[1]
    return widget.height


def follow(box: Widget, parts: list[Widget], minimum: float) -> Widget:
    """Keep a row as tall as its tallest part needs (at least `minimum`), whatever the text
    size: words that wrap to a second line stay inside their button."""

    def fit(*_: object) -> None:
        box.height = max([minimum, *(needed(part) for part in parts)])

    for part in parts:
        (part.label if isinstance(part, Tap) else part).bind(height=fit)
    fit()
    return box


def walk(root: Widget) -> list[Widget]:
    """Every widget under root that says something or can be touched."""
    return [w for w in root.walk(restrict=True) if getattr(w, "role", None)]
