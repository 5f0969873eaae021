"""What the kiosk says of a view: the screen's words in the order a listener needs them.

Options are said with their number ("1 : Médecin généraliste."), at most five at a time as
the flow pages them; a review is read in full before the question; every prompt ends by
telling what to say. After a silence, the same with an example of an answer.
"""

from __future__ import annotations

from kiosk.workflows.flow import GOODBYE, HOME, View
from kiosk.workflows.i18n import N_, Message, phrase
from kiosk.workflows.steps import Kind

HOW_TO_ANSWER: dict[Kind, Message] = {
    Kind.CHOICE: N_("Dites le numéro ou le nom."),
    Kind.SLOT: N_("Dites le numéro ou l'heure."),
    Kind.DONE: N_("Dites le numéro ou le nom."),
    Kind.YES_NO: N_("Dites oui ou non."),
    Kind.TEXT: N_("Dites votre réponse."),
    Kind.DIGITS: N_("Dites les chiffres, deux par deux."),
    Kind.DATE: N_("Dites la date : le jour, le mois et l'année."),
    Kind.REVIEW: N_("Dites oui pour confirmer. Ou dites ce que vous voulez changer."),
    Kind.INFO: N_("Dites continuer."),
}
# Said after a silence: the same question, with an example.
EXAMPLES: dict[Kind, Message] = {
    Kind.CHOICE: N_("Par exemple, dites : un."),
    Kind.SLOT: N_("Par exemple, dites : un. Ou dites : neuf heures."),
    Kind.DONE: N_("Par exemple, dites : un."),
    Kind.YES_NO: N_("Dites seulement oui, ou seulement non."),
    Kind.TEXT: N_("Dites-le lentement. Vous pouvez aussi l'épeler, lettre par lettre."),
    Kind.DIGITS: N_("Par exemple : zéro six, douze, trente-quatre, cinquante-six, dix-huit."),
    Kind.DATE: N_("Par exemple : le douze mars mille neuf cent cinquante."),
    Kind.REVIEW: N_("Par exemple, dites : oui. Ou dites : changer la date."),
    Kind.INFO: N_("Par exemple, dites : continuer."),
}
ALWAYS = N_("À tout moment, dites répéter, retour ou aide.")
MORE = N_("Pour d'autres choix, dites : plus de choix.")


def said(view: View, private_heard: bool) -> list[str]:
    """The view as sentences to speak, the way to answer last."""
    t = lambda message: phrase(view.language, message)  # noqa: E731
    out = [t(GOODBYE)] if view.ended else []
    out += view.texts()[: len(view.workshop)] if view.step == HOME else []  # "Atelier : …"
    out += [view.error] if view.error else []
    out += [view.title, *_body(view, private_heard)]
    if view.notice:
        out.append(view.notice)
    if view.options and view.kind not in (Kind.SLOT, Kind.YES_NO):  # "oui ou non" says it all
        out += [_item(number, option.label) for number, option in enumerate(view.options, 1)]
    if view.kind == Kind.SLOT:
        out += _slots(view)
    if view.more:
        out.append(t(MORE))
    out.append(t(_how(view)))
    return [sentence for sentence in out if sentence]


def guidance(view: View) -> list[str]:
    """After a silence: the question again, the way to answer, an example, the commands."""
    t = lambda message: phrase(view.language, message)  # noqa: E731
    return [view.title, t(_how(view)), t(EXAMPLES[_kind(view)]), t(ALWAYS)]


def _kind(view: View) -> Kind:
    """An info step with buttons is answered like a choice."""
    return Kind.CHOICE if view.kind == Kind.INFO and view.options else view.kind


def _how(view: View) -> Message:
    return HOW_TO_ANSWER[_kind(view)]


def _body(view: View, private_heard: bool) -> list[str]:
    """The lines and the review, without the title, error or options said elsewhere."""
    aloud = set(view.aloud(private_heard))
    lines = [line for line in view.lines if line in aloud]
    return lines + [_sentence(f"{item.label} : {item.value}") for item in view.review]


def _slots(view: View) -> list[str]:
    """Times grouped under their day: "Mardi 13 octobre : 1 : 9 h. 2 : 9 h 30."."""
    out, day = [], None
    for number, option in enumerate(view.options, 1):
        if option.group and option.group != day:
            day = option.group
            out.append(f"{day} :")
        out.append(_item(number, option.short or option.label))
    return out


def _item(number: int, label: str) -> str:
    return _sentence(f"{number} : {label}")


def _sentence(text: str) -> str:
    """Ended once: "… à 9 h." stays as it is; a label gets its full stop."""
    return text if text.endswith((".", "?", "!")) else f"{text}."
