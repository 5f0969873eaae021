"""Search and book (seeds 001, 002, 003).

What for (a specialty in everyday words, or a name) → where (this town by default) →
results, 5 at a time → practitioner card → sign in if needed → for whom → seen before? →
motive (those closed to new patients hidden) → time → review → confirm → done.
The booking is held and confirmed only at the review, so every earlier answer can change
freely; a booking is shown as confirmed only once the server said so.
"""

from __future__ import annotations

from datetime import timedelta

from kiosk.workflows.flow import PAGE, Context
from kiosk.workflows.formats import day_words, euros_words, phone_words, time_words
from kiosk.workflows.i18n import N_
from kiosk.workflows.journeys.account import start_new_relative
from kiosk.workflows.journeys.sign_in import signed_in
from kiosk.workflows.journeys.words import (
    SPECIALTIES,
    people,
    person,
    person_words,
    practitioner_words,
    result_words,
    specialty_words,
    when_words,
)
from kiosk.workflows.parsers import Invalid, tidy
from kiosk.workflows.services import (
    Appointment,
    Card,
    Commune,
    Found,
    Motive,
    Offline,
    ServiceError,
    Slot,
    dump,
    load,
)
from kiosk.workflows.steps import Choice, Journey, Kind, Option, Redirect, ReviewItem, Step
from kiosk.workflows.ticket import ticket_for

SLOT_WEEKS = 8  # how far "plus de disponibilités" looks ahead
SECTORS = {
    "1": N_("Tarif de la Sécurité sociale, sans dépassement."),
    "2": N_("Le prix peut dépasser le tarif de la Sécurité sociale."),
    "2-optam": N_("Le prix peut un peu dépasser le tarif de la Sécurité sociale."),
    "none": N_("La Sécurité sociale rembourse très peu."),
}
PAYMENTS = {
    "vitale": N_("carte Vitale"),
    "tiers_payant": N_("sans avance de frais"),
    "card": N_("carte bancaire"),
    "cheque": N_("chèque"),
    "cash": N_("espèces"),
}
MODALITIES = {
    "practice": N_("au cabinet"),
    "video": N_("en vidéo"),
    "phone": N_("par téléphone"),
    "home": N_("à domicile"),
}


# ----------------------------------------------------------------------- search

_BOOKING_DATA = (
    "search",
    "card",
    "motives",
    "motives_of",
    "slots",
    "held",
    "booked",
    "usual",
    "near",
    "towns",
    "seen",
    "visited",
)


def start_booking(ctx: Context) -> None:
    """A new booking starts blank: nothing of a booking made earlier in the session."""
    for step in [s for s in ctx.answers if s.startswith("booking.")]:
        del ctx.answers[step]
    for key in _BOOKING_DATA:
        ctx.data.pop(key, None)


def home(ctx: Context) -> Commune:
    if "home" not in ctx.data:
        ctx.data["home"] = dump(ctx.services.home())
    return load(Commune, ctx.data["home"])


def _what(ctx: Context) -> list[Option]:
    options = [Option(code, ctx.t(label), picto) for code, label, picto in SPECIALTIES]
    by_name = Option("name", ctx.t(N_("Chercher par le nom")), "person_search")
    return [*options[: PAGE - 1], by_name, *options[PAGE - 1 :]]


def rebook(ctx: Context, practitioner_id: int) -> None:
    """Straight to a practitioner already seen: no search, no "seen before?" question."""
    start_booking(ctx)
    ctx.answers["booking.results"] = practitioner_id
    ctx.answers["booking.card"] = "book"
    ctx.answers["booking.what"] = card(ctx).specialty
    ctx.data["seen"] = practitioner_id


def _find_town(ctx: Context, text: str) -> None:
    towns = ctx.services.find_communes(text)
    if not towns:
        raise Invalid(N_("Ville : nous ne trouvons pas cette ville. Vérifiez le nom."))
    ctx.data["towns"] = dump(towns)
    ctx.data["near"] = dump(towns[0]) if len(towns) == 1 else None


def _town_options(ctx: Context) -> list[Option]:
    """ "Arras, code postal 62000": the postcode tells towns of the same name apart."""
    return [
        Option(
            t["insee"],
            ctx.t(N_("{town}, code postal {postcode}"), town=t["name"], postcode=t["postcode"])
            if t["postcode"]
            else t["name"],
            "location_city",
        )
        for t in ctx.data.get("towns", [])
    ]


def _pick_town(ctx: Context, insee: str) -> None:
    ctx.data["near"] = next(t for t in ctx.data["towns"] if t["insee"] == insee)


def _near(ctx: Context) -> str:
    """The town typed after "Chercher dans une autre ville", else the kiosk's own."""
    return ctx.data["near"]["insee"] if ctx.data.get("near") else home(ctx).insee


def _results(ctx: Context) -> list[Found]:
    """The results read so far, reading one more page when the person asks for it."""
    what = ctx.answers.get("booking.what")
    key = [what, ctx.answers.get("booking.name") if what == "name" else None, _near(ctx)]
    search = ctx.data.get("search")
    if not search or search["key"] != key:
        search = ctx.data["search"] = {"key": key, "results": [], "complete": False}
    wanted = (ctx.page + 1) * PAGE  # one more than shown: the "another town" option
    if len(search["results"]) < wanted and not search["complete"]:
        limit = wanted - len(search["results"])
        page = ctx.services.search(
            specialty=None if what == "name" else what,
            name=key[1],
            near=key[2],
            offset=len(search["results"]),
            limit=limit,
        )
        search["results"] += dump(page.results)
        search["complete"] = len(page.results) < limit
        search["offline"] = page.offline
    return [load(Found, r) for r in search["results"]]


def _result_options(ctx: Context) -> list[Option]:
    """The practitioners found, with "another town" always on the first page."""
    found = [
        Option(f.id, result_words(ctx, f), "stethoscope" if f.bookable_online else "call")
        for f in _results(ctx)
    ]
    town = Option("town", ctx.t(N_("Chercher dans une autre ville")), "location_city")
    if not found:
        return [Option("again", ctx.t(N_("Chercher autre chose")), "search"), town]
    return [*found[: PAGE - 1], town, *found[PAGE - 1 :]]


def _result_lines(ctx: Context) -> list[str]:
    lines = []
    if not _results(ctx):
        lines.append(ctx.t(N_("Nous ne trouvons personne pour cette recherche.")))
    if ctx.data.get("search", {}).get("offline"):
        lines.append(ctx.t(N_("Le réseau est coupé. Les horaires ont pu changer.")))
    return lines


# ------------------------------------------------------------------------- card


def card(ctx: Context) -> Card:
    chosen = ctx.answers["booking.results"]
    if ctx.data.get("card", {}).get("id") != chosen:
        ctx.data["card"] = dump(ctx.services.card(chosen))
    return load(Card, ctx.data["card"])


def _card_lines(ctx: Context) -> list[str]:
    """Seed 001: address, access, fees, payment, languages; seed 002: call if not online."""
    c, t = card(ctx), ctx.t
    lines = [specialty_words(ctx, c.specialty, c.specialty_label)]
    for place in c.places[:1]:
        lines.append(t(N_("Adresse : {address}, {city}."), address=place.address, city=place.city))
        if place.wheelchair:
            lines.append(t(N_("Accès en fauteuil roulant.")))
        elif place.ground_floor:
            lines.append(t(N_("Cabinet au rez-de-chaussée.")))
        if place.parking:
            lines.append(t(N_("Parking à côté.")))
        if place.public_transport:
            lines.append(t(N_("Bus ou tram : {line}."), line=place.public_transport))
    if c.convention_sector in SECTORS:
        lines.append(t(SECTORS[c.convention_sector]))
    if c.consultation_fee_cents:
        fee = euros_words(c.consultation_fee_cents, ctx.language)
        lines.append(t(N_("Prix de la consultation : {fee}."), fee=fee))
    if means := [t(PAYMENTS[m]) for m in c.payment_means if m in PAYMENTS]:
        lines.append(t(N_("Paiement : {means}."), means=", ".join(means)))
    if c.video:
        lines.append(t(N_("Consultation en vidéo possible.")))
    if not c.bookable_online:
        lines.append(t(N_("Ce soignant prend ses rendez-vous par téléphone.")))
        if c.phone:
            lines.append(t(N_("Appelez le {phone}."), phone=phone_words(c.phone)))
    return lines


def _card_options(ctx: Context) -> list[Option]:
    other = Option("other", ctx.t(N_("Voir un autre soignant")), "arrow_back")
    if not card(ctx).bookable_online:
        return [other]
    return [
        Option("book", ctx.t(N_("Prendre rendez-vous")), "calendar_add_on"),
        Option("book_other", ctx.t(N_("Prendre rendez-vous pour un proche")), "family_restroom"),
        other,
    ]


def _after_card(ctx: Context) -> str:
    if ctx.answers["booking.card"] == "other":
        return "booking.results"
    if signed_in(ctx):
        return "booking.for_whom"
    return ctx.call("sign_in.caller", then="booking.for_whom")


# ---------------------------------------------------------------- for whom, motive


def _for_whom(ctx: Context) -> list[Option]:
    holder = ctx.data.get("holder_id")
    options = [
        Option(p.id, ctx.t(N_("Moi")) if p.id == holder else person_words(p), "person")
        for p in people(ctx)
    ]
    return [*options, Option("new", ctx.t(N_("Une autre personne")), "person_add")]


def _only_me(ctx: Context) -> int | None:
    """Booking for oneself with no relatives: nobody else to choose."""
    if ctx.answers.get("booking.card") == "book_other" or len(people(ctx)) != 1:
        return None
    return ctx.data.get("holder_id")


def _after_for_whom(ctx: Context) -> str:
    if ctx.answers["booking.for_whom"] == "new":
        start_new_relative(ctx)
        return ctx.call("relative.sex", then="booking.seen_before")
    return "booking.seen_before"


def patient_id(ctx: Context) -> int:
    chosen = ctx.answers["booking.for_whom"]
    return ctx.data["new_relative"] if chosen == "new" else chosen


VISITED = ("confirmed", "honoured")  # an appointment that took place, or should have


def _last_motive_here(ctx: Context) -> int | None:
    """The motive of the patient's last past visit to this practitioner, if any.

    Such a patient is known there: not asked whether they have seen the practitioner, and
    offered the same motive again (the review shows it, with "Modifier").
    """
    key = [card(ctx).id, patient_id(ctx)]
    visited = ctx.data.get("visited")
    if visited is None or visited["of"] != key:
        visits = []
        if key[1] != "new":
            try:
                visits = [
                    a
                    for a in ctx.services.appointments()
                    if [a.practitioner_id, a.patient_id] == key
                    and a.status in VISITED
                    and a.starts_at.date() < ctx.today()
                ]
            except (Offline, ServiceError):
                visits = []  # then simply ask
        last = max(visits, key=lambda a: a.starts_at, default=None)
        visited = ctx.data["visited"] = {"of": key, "motive": last and last.motive_id}
    return visited["motive"]


def _seen_before(ctx: Context) -> bool | None:
    if ctx.data.get("seen") == card(ctx).id or _last_motive_here(ctx) is not None:
        return True
    return None


def _known_motive(ctx: Context) -> int | None:
    """The only motive offered, or the one of the last visit here."""
    motives = [m.id for m in _motives(ctx)]
    if len(motives) == 1:
        return motives[0]
    last = _last_motive_here(ctx)
    return last if last in motives else None


def _motives(ctx: Context) -> list[Motive]:
    key = card(ctx).id
    if ctx.data.get("motives_of") != key:
        ctx.data["motives"] = dump(ctx.services.motives(key))
        ctx.data["motives_of"] = key
    first_visit = not ctx.answers.get("booking.seen_before")
    return [
        m
        for m in (load(Motive, m) for m in ctx.data["motives"])
        if m.open_to_new_patients or not first_visit
    ]


def _motive_options(ctx: Context) -> list[Option]:
    return [
        Option(
            m.id,
            ctx.t(
                N_("{label}, {minutes} minutes, {where}"),
                label=m.label,
                minutes=m.duration_minutes,
                where=ctx.t(MODALITIES.get(m.modality, MODALITIES["practice"])),
            ),
            "medical_services",
        )
        for m in _motives(ctx)
    ] or [Option("other", ctx.t(N_("Voir un autre soignant")), "arrow_back")]


def motive(ctx: Context) -> Motive:
    return next(m for m in _motives(ctx) if m.id == ctx.answers["booking.motive"])


# ------------------------------------------------------------------------ slots


def slot_options(ctx: Context, practitioner_id: int, motive_id: int) -> list[Option]:
    """Free times, earliest first; the next week is read when the person wants more."""
    key = [practitioner_id, motive_id]
    cache = ctx.data.get("slots")
    if not cache or cache["key"] != key:
        cache = ctx.data["slots"] = {"key": key, "items": [], "weeks": 0}
    wanted = (ctx.page + 1) * PAGE + 1
    while len(cache["items"]) < wanted and cache["weeks"] < SLOT_WEEKS:
        start = ctx.today() + timedelta(weeks=cache["weeks"])
        cache["items"] += dump(ctx.services.slots(practitioner_id, motive_id, start))
        cache["weeks"] += 1
    options = []
    for slot in (load(Slot, s) for s in cache["items"]):
        moment = slot.starts_at
        options.append(
            Option(
                slot.id,
                when_words(ctx, moment),
                "schedule",
                group=day_words(moment.date(), ctx.language),
                short=time_words(moment, ctx.language),
            )
        )
    return options


def forget_slots(ctx: Context) -> None:
    ctx.data.pop("slots", None)


def chosen_slot(ctx: Context, step: str) -> Slot:
    return next(load(Slot, s) for s in ctx.data["slots"]["items"] if s["id"] == ctx.answers[step])


# ----------------------------------------------------------------------- review


def _review(ctx: Context) -> list[ReviewItem]:
    c, who = card(ctx), person(ctx, patient_id(ctx))
    place = c.places[0] if c.places else None
    return [
        ReviewItem(ctx.t(N_("Pour")), person_words(who) if who else "", "booking.for_whom"),
        ReviewItem(ctx.t(N_("Soignant")), practitioner_words(ctx, c), "booking.results"),
        ReviewItem(ctx.t(N_("Adresse")), f"{place.address}, {place.city}" if place else "", None),
        ReviewItem(ctx.t(N_("Raison")), motive(ctx).label, "booking.motive"),
        ReviewItem(
            ctx.t(N_("Date")),
            when_words(ctx, chosen_slot(ctx, "booking.slot").starts_at),
            "booking.slot",
        ),
    ]


def _book(ctx: Context, _: object) -> None:
    """Hold then confirm. A lost race sends the person back to the times, with a word."""
    held = ctx.data.get("held")
    try:
        if not held or held["slot"] != ctx.answers["booking.slot"]:
            appointment = ctx.services.hold(
                slot_id=ctx.answers["booking.slot"],
                motive_id=ctx.answers["booking.motive"],
                patient_id=patient_id(ctx),
                first_visit=not ctx.answers["booking.seen_before"],
                other_practitioner_consent=bool(ctx.answers.get("booking.other_ok")),
            )
            held = ctx.data["held"] = {"slot": ctx.answers["booking.slot"], "id": appointment.id}
        ctx.data["booked"] = dump(ctx.services.confirm(held["id"]))
    except ServiceError as refused:
        if refused.code in ("slot_taken", "hold_expired"):
            ctx.data.pop("held", None)
            forget_slots(ctx)
            raise Redirect(
                "booking.slot", N_("Cet horaire vient d'être pris. Choisissez un autre horaire.")
            ) from None
        if refused.code == "usual_practitioner":
            ctx.data["usual"] = refused.details.get("practitioner", "")
            raise Redirect("booking.other_ok") from None
        raise


def booked(ctx: Context) -> Appointment:
    return load(Appointment, ctx.data["booked"])


def _done_lines(ctx: Context) -> list[str]:
    a = booked(ctx)
    return [
        ctx.t(N_("Le rendez-vous est le {moment}."), moment=when_words(ctx, a.starts_at)),
        ctx.t(N_("Avec {who}."), who=a.practitioner_name),
        ctx.t(N_("Adresse : {address}."), address=a.address),
        ctx.t(N_("Vous allez recevoir un SMS de confirmation.")),
        ctx.t(N_("Nous envoyons aussi un SMS la veille.")),
        ctx.t(N_("Pour annuler, allez dans Mes rendez-vous.")),
    ]


DONE_CHOICES = (
    Choice("home", N_("Revenir à l'accueil"), "home"),
    Choice("end", N_("Terminer"), "logout"),
)


def after_done(ctx: Context, step: str) -> str:
    return ctx.home() if ctx.answers[step] == "home" else "end"


BOOKING = Journey(
    name="booking",
    title=N_("Prendre un rendez-vous"),
    start="booking.what",
    stages=("what", "who", "for_whom", "motive", "slot", "review"),
    steps=(
        Step(
            id="booking.what",
            kind=Kind.CHOICE,
            prompt=N_("Quel soignant cherchez-vous ?"),
            help=N_("Choisissez un métier. Ou cherchez le soignant par son nom."),
            pictogram="search",
            stage="what",
            options=_what,
            next=lambda ctx: (
                "booking.name" if ctx.answers["booking.what"] == "name" else "booking.results"
            ),
            goes_to=("booking.name", "booking.results"),
        ),
        Step(
            id="booking.name",
            kind=Kind.TEXT,
            prompt=N_("Quel est le nom du soignant ?"),
            help=N_("Écrivez son nom. Une partie du nom suffit."),
            pictogram="person_search",
            stage="what",
            field=N_("Nom du soignant"),
            parse=lambda ctx, text: _search_words(text),
            next="booking.results",
        ),
        Step(
            id="booking.town",
            kind=Kind.TEXT,
            prompt=N_("Dans quelle ville ?"),
            help=N_("Écrivez le nom de la ville ou son code postal."),
            pictogram="location_city",
            stage="who",
            field=N_("Ville"),
            parse=lambda ctx, text: _search_words(text, field=N_("Ville")),
            act=_find_town,
            next=lambda ctx: "booking.results" if ctx.data.get("near") else "booking.town_pick",
            goes_to=("booking.results", "booking.town_pick"),
        ),
        Step(
            id="booking.town_pick",
            kind=Kind.CHOICE,
            prompt=N_("Quelle ville ?"),
            help=N_("Plusieurs villes ont ce nom. Choisissez la bonne."),
            pictogram="location_city",
            stage="who",
            options=_town_options,
            act=_pick_town,
            next="booking.results",
        ),
        Step(
            id="booking.results",
            kind=Kind.CHOICE,
            prompt=N_("Choisissez un soignant."),
            help=N_(
                "Le premier est libre le plus tôt. Touchez Plus de choix pour en voir d'autres."
            ),
            pictogram="groups",
            stage="who",
            options=_result_options,
            lines=_result_lines,
            next=lambda ctx: {"again": "booking.what", "town": "booking.town"}.get(
                ctx.answers["booking.results"], "booking.card"
            ),
            goes_to=("booking.what", "booking.town", "booking.card"),
        ),
        Step(
            id="booking.card",
            kind=Kind.CHOICE,
            prompt="{name}",
            params=lambda ctx: {"name": practitioner_words(ctx, card(ctx))},
            help=N_("Voici les informations sur ce soignant."),
            pictogram="medical_information",
            stage="who",
            lines=_card_lines,
            options=_card_options,
            next=_after_card,
            goes_to=("booking.results", "booking.for_whom", "sign_in.caller"),
        ),
        Step(
            id="booking.for_whom",
            kind=Kind.CHOICE,
            prompt=N_("Pour qui est le rendez-vous ?"),
            help=N_("Un rendez-vous est pour une seule personne."),
            pictogram="family_restroom",
            stage="for_whom",
            options=_for_whom,
            auto=_only_me,
            next=_after_for_whom,
            goes_to=("booking.seen_before", "relative.sex"),
            independent=True,
        ),
        Step(
            id="booking.seen_before",
            kind=Kind.YES_NO,
            prompt=N_("Avez-vous déjà vu ce soignant ?"),
            help=N_("Si le rendez-vous est pour un proche, répondez pour lui."),
            pictogram="history",
            stage="for_whom",
            auto=_seen_before,
            next="booking.motive",
        ),
        Step(
            id="booking.motive",
            kind=Kind.CHOICE,
            prompt=N_("Pour quelle raison venez-vous ?"),
            help=N_("Certaines raisons sont seulement pour les patients déjà suivis."),
            pictogram="medical_services",
            stage="motive",
            options=_motive_options,
            auto=_known_motive,
            lines=lambda ctx: (
                []
                if _motives(ctx)
                else [ctx.t(N_("Ce soignant prend seulement les patients qu'il connaît déjà."))]
            ),
            act=lambda ctx, _: forget_slots(ctx),
            next=lambda ctx: (
                "booking.results" if ctx.answers["booking.motive"] == "other" else "booking.slot"
            ),
            goes_to=("booking.results", "booking.slot"),
        ),
        Step(
            id="booking.slot",
            kind=Kind.SLOT,
            prompt=N_("Choisissez un jour et une heure."),
            help=N_("Les horaires les plus proches sont en premier."),
            pictogram="calendar_month",
            stage="slot",
            options=lambda ctx: slot_options(ctx, card(ctx).id, ctx.answers["booking.motive"]),
            lines=lambda ctx: (
                []
                if slot_options(ctx, card(ctx).id, ctx.answers["booking.motive"])
                else [ctx.t(N_("Aucun horaire libre pour le moment. Essayez un autre soignant."))]
            ),
            next="booking.review",
        ),
        Step(
            id="booking.other_ok",
            kind=Kind.YES_NO,
            prompt=N_("Voulez-vous quand même ce soignant ?"),
            help=N_("Dans un cabinet, on voit d'habitude le même soignant."),
            pictogram="swap_horiz",
            stage="review",
            lines=lambda ctx: [
                ctx.t(N_("Dans ce cabinet, vous voyez d'habitude {who}."), who=ctx.data["usual"])
            ],
            next=lambda ctx: (
                "booking.review" if ctx.answers["booking.other_ok"] else "booking.results"
            ),
            goes_to=("booking.review", "booking.results"),
        ),
        Step(
            id="booking.review",
            kind=Kind.REVIEW,
            prompt=N_("Vérifiez votre rendez-vous."),
            help=N_("Touchez Modifier pour changer. Touchez Confirmer pour réserver."),
            pictogram="fact_check",
            stage="review",
            review=_review,
            act=_book,
            next="booking.done",
            irreversible=True,
            locked=N_("Le rendez-vous est confirmé. Pour le changer, allez dans Mes rendez-vous."),
        ),
        Step(
            id="booking.done",
            kind=Kind.DONE,
            prompt=N_("Votre rendez-vous est confirmé."),
            help=N_("Vous pouvez imprimer un ticket ou prendre une photo du code."),
            pictogram="event_available",
            lines=_done_lines,
            ticket=lambda ctx: ticket_for(ctx, booked(ctx)),
            choices=DONE_CHOICES,
            next=lambda ctx: after_done(ctx, "booking.done"),
            goes_to=("welcome.menu", "end"),
        ),
    ),
)


def _search_words(text: str, field: str = N_("Nom du soignant")) -> str:
    words = tidy(str(text))
    if not any(c.isalnum() for c in words):
        raise Invalid(N_("{field} : écrivez au moins une lettre."), field=field)
    if len(words) > 100:
        raise Invalid(N_("{field} : {limit} lettres au maximum."), field=field, limit=100)
    return words
