"""Every message goes through gettext; English and Arabic are complete and keep the blanks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from string import Formatter

import pytest
from babel.messages.pofile import read_po

from kiosk.workflows.flow import Flow
from kiosk.workflows.i18n import LANGUAGES, LOCALES, translate
from tests.kiosk.workflows.scenarios import run

TRANSLATED = [lang.code for lang in LANGUAGES if lang.code != "fr"]


def catalogue(path: Path) -> dict[str, str]:
    with path.open("rb") as source:
        return {m.id: m.string for m in read_po(source) if m.id}


def blanks(message: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(message) if name}


def test_the_template_holds_exactly_the_messages_of_the_code(tmp_path: Path) -> None:
    fresh = tmp_path / "kiosk.pot"
    pybabel = Path(sys.executable).with_name("pybabel")
    subprocess.run(
        [
            pybabel,
            "-q",
            "extract",
            "-k",
            "N_",
            "-k",
            "translate:2",
            "--no-default-keywords",
            "-o",
            str(fresh),
            "kiosk",
        ],
        check=True,
        cwd=LOCALES.parent,
    )
    assert set(catalogue(fresh)) == set(catalogue(LOCALES / "kiosk.pot")), "run scripts/messages.sh"


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_message_is_translated_and_keeps_its_blanks(code: str) -> None:
    template = catalogue(LOCALES / "kiosk.pot")
    translated = catalogue(LOCALES / code / "LC_MESSAGES" / "kiosk.po")
    assert [m for m in template if not translated.get(m)] == []
    assert {m: t for m, t in translated.items() if m in template and blanks(m) != blanks(t)} == {}


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
