"""Being called back by a counsellor: for a person on the telephone who is stuck or asks for
help. A counsellor cannot walk over to a caller, so the centre calls them back.

The number the person calls from is used when there is one; otherwise they give one (a mobile
or a landline). The request goes to the server for the centre's counsellors: the number and
the step where the person was, nothing else.
"""

from __future__ import annotations

from kiosk.workflows.flow import Context
from kiosk.workflows.formats import phone_words
from kiosk.workflows.i18n import N_
from kiosk.workflows.parsers import Invalid, parse_phone
from kiosk.workflows.steps import END, RETURN, Journey, Kind, Step

START = "call_back.offer"


def callers_number(ctx: Context) -> str | None:
    try:
        return parse_phone(ctx.caller) if ctx.caller else None
    except Invalid:
        return None


def _offer_lines(ctx: Context) -> list[str]:
    if (number := callers_number(ctx)) is None:
        return []
    return [ctx.t(N_("Nous vous rappelons au {phone}."), phone=phone_words(number))]


def _ask(ctx: Context, number: str) -> None:
    """The step the person was stuck at is where this journey was called from."""
    where = ctx.state.returns[-1] if ctx.state.returns else START
    ctx.services.request_call_back(number, where)


def _accepted(ctx: Context, agreed: bool) -> None:
    if agreed and (number := callers_number(ctx)):
        _ask(ctx, number)


def _after_offer(ctx: Context) -> str:
    if not ctx.answers[START]:
        return RETURN
    return "call_back.done" if callers_number(ctx) else "call_back.phone"


CALL_BACK = Journey(
    name="call_back",
    title=N_("Être rappelé"),
    start=START,
    steps=(
        Step(
            id=START,
            kind=Kind.YES_NO,
            prompt=N_("Voulez-vous qu'un conseiller vous rappelle ?"),
            help=N_("Un conseiller du centre vous appelle dès que possible."),
            pictogram="support_agent",
            lines=_offer_lines,
            act=_accepted,
            next=_after_offer,
            goes_to=(RETURN, "call_back.done", "call_back.phone"),
        ),
        Step(
            id="call_back.phone",
            kind=Kind.DIGITS,
            prompt=N_("À quel numéro peut-on vous rappeler ?"),
            help=N_("Un portable ou un fixe."),
            pictogram="call",
            field=N_("Numéro de téléphone"),
            parse=lambda ctx, text: parse_phone(text),
            act=_ask,
            next="call_back.done",
        ),
        Step(
            id="call_back.done",
            kind=Kind.INFO,
            prompt=N_("C'est noté. Un conseiller va vous rappeler."),
            help=N_("Vous pouvez raccrocher."),
            pictogram="check_circle",
            next=END,
        ),
    ),
)
