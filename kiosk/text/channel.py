"""Runs the journeys over plain lines of text: numbered choices, typed answers, commands.

Works the same typed by a person, read by a braille display or piped from a file: one
answer per line. The end of the input ends the session (everything personal is wiped).
"""

from __future__ import annotations

from typing import TextIO

from kiosk.workflows.flow import GOODBYE, Flow, View
from kiosk.workflows.i18n import N_, translate
from kiosk.workflows.parsers import fold
from kiosk.workflows.steps import INPUT_KINDS, Kind

# The global commands, in every language of the kiosk, whatever the current one.
COMMANDS = {
    "back": ("retour", "back", "رجوع"),
    "repeat": ("répéter", "repeter", "repeat", "كرر"),
    "help": ("aide", "help", "مساعدة"),
    "stop": ("arrêter", "arreter", "stop", "توقف"),
    "more": ("plus", "more", "المزيد"),
}
_COMMAND_OF = {fold(word): command for command, words in COMMANDS.items() for word in words}
SHORTCUT = "*"  # "*1" picks the first button beside a typed answer ("Je n'ai pas reçu le code")


def render(view: View) -> str:
    """The view as lines of text, in reading order."""
    t = lambda message: translate(view.language, message)  # noqa: E731
    out = [""]
    if view.ended:
        out += [t(GOODBYE), ""]
    if view.progress_text:
        out.append(f"— {view.progress_text} —")
    out.append(view.title)
    out += [f"  {line}" for line in view.lines]
    inputs = view.kind in INPUT_KINDS
    for number, option in enumerate(view.options, 1):
        mark = SHORTCUT if inputs else ""
        out.append(f"  {mark}{number}. {option.label}")
    for number, item in enumerate(view.review, 1):
        out.append(f"  {number}. {item.label} : {item.value}")
    if view.more:
        out.append("  " + t(N_("Écrivez plus pour voir d'autres choix.")))
    if view.error:
        out.append("! " + view.error)
    if view.notice:
        out.append("* " + view.notice)
    out.append(t(_HOW_TO_ANSWER[view.kind]))
    return "\n".join(out) + "\n> "


_HOW_TO_ANSWER = {
    Kind.CHOICE: N_("Écrivez le numéro de votre choix."),
    Kind.SLOT: N_("Écrivez le numéro de votre choix."),
    Kind.YES_NO: N_("Écrivez oui ou non."),
    Kind.DONE: N_("Écrivez le numéro de votre choix."),
    Kind.TEXT: N_("Écrivez votre réponse."),
    Kind.DIGITS: N_("Écrivez les chiffres."),
    Kind.DATE: N_("Écrivez la date. Par exemple 12 mars 1950."),
    Kind.REVIEW: N_("Écrivez oui pour confirmer. Écrivez modifier et le numéro pour changer."),
    Kind.INFO: N_("Appuyez sur Entrée pour continuer."),
}


def handle(flow: Flow, view: View, line: str) -> View:
    """One line typed: a command, a number, a change on a review, or an answer."""
    said = line.strip()
    command = _COMMAND_OF.get(fold(said))
    if command:
        return getattr(flow, command)()
    if view.kind == Kind.REVIEW:
        return _review(flow, view, said)
    if view.kind in INPUT_KINDS:
        if said.startswith(SHORTCUT) and said[1:].strip().isdigit():
            return flow.choose(int(said[1:]))
        return flow.answer(said)
    if view.kind == Kind.INFO and not view.options:
        return flow.answer(True)
    if said.isdigit():
        return flow.choose(int(said))
    return flow.answer(said)


def _review(flow: Flow, view: View, said: str) -> View:
    words = fold(said).split()
    if words and words[0] in ("modifier", "change", "تعديل") and words[-1].isdigit():
        number = int(words[-1])
        if 1 <= number <= len(view.review) and view.review[number - 1].change:
            return flow.change(view.review[number - 1].change)
    confirmed = fold(said) in ("", "oui", "confirmer", "yes", "confirm", "نعم")
    return flow.answer(True if confirmed else said)


def run(flow: Flow, lines: TextIO, out: TextIO) -> None:
    view = flow.view()
    while True:
        out.write(render(view))
        out.flush()
        line = lines.readline()
        if not line:
            flow.stop()
            out.write("\n")
            return
        view = handle(flow, view, line)
