"""Every message goes through gettext; English and Arabic are complete and keep the blanks."""

from __future__ import annotations

import subprocess
from pathlib import Path
from string import Formatter

import pytest
from babel.messages.pofile import read_po

from kiosk.workflows.flow import Flow
from kiosk.workflows.i18n import LANGUAGES, LOCALES, translate
from tests.kiosk.workflows.scenarios import run

ROOT = LOCALES.parent
TRANSLATED = [lang.code for lang in LANGUAGES if lang.code != "fr"]


Forms = tuple[str, ...]  # one message, or the forms of a message with a count


def catalogue(path: Path) -> dict[Forms, Forms]:
    with path.open("rb") as source:
        return {_forms(m.id): _forms(m.string) for m in read_po(source) if m.id}


def _forms(text: str | tuple[str, ...]) -> Forms:
    return (text,) if isinstance(text, str) else tuple(text)


def blanks(forms: Forms) -> list[set[str]]:
    return [{name for _, name, _, _ in Formatter().parse(f) if name} for f in forms]


def test_the_template_holds_exactly_the_messages_of_the_code(tmp_path: Path) -> None:
    fresh = tmp_path / "kiosk.pot"
    subprocess.run(["bash", "scripts/messages.sh", "template", fresh], check=True, cwd=ROOT)
    assert set(catalogue(fresh)) == set(catalogue(LOCALES / "kiosk.pot")), "run scripts/messages.sh"


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_message_is_translated_and_keeps_its_blanks(code: str) -> None:
    template = catalogue(LOCALES / "kiosk.pot")
    translated = catalogue(LOCALES / code / "LC_MESSAGES" / "kiosk.po")
    assert [m for m in template if not all(translated.get(m, ("",)))] == []
    changed = {
        m: t
        for m, t in translated.items()
        if m in template and any(b != blanks(m)[-1] for b in blanks(t))
    }
    assert changed == {}


def test_a_screen_is_shown_in_the_chosen_language(flow: Flow) -> None:
    english = run(flow, [("answer", "language"), ("answer", "en"), ("choose", 1)])[-1]
    assert english.title == translate("en", "Quel soignant cherchez-vous ?")
    assert english.title != "Quel soignant cherchez-vous ?"
    assert english.progress_text == "Step 1 of 6"


def test_arabic_screens_are_right_to_left_and_in_arabic(flow: Flow) -> None:
    arabic = run(flow, [("answer", "language"), ("answer", "ar"), ("choose", 1)])[-1]
    assert arabic.rtl
    assert any("\u0600" <= c <= "\u06ff" for c in arabic.title)
    assert all(any("\u0600" <= c <= "\u06ff" for c in o.label) for o in arabic.options)
