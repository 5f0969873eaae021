"""The workshop's exercises: each follows a journey, with a goal and short hints (seed 001,
"Comment créer mon compte et prendre mes rendez-vous en ligne ?").

A counsellor picks one for the group from the dashboard; the kiosk then runs in the
workshop's sandbox, shows the goal on every screen, and tells the dashboard when the goal
is reached. Done is read from the flow's state, so every channel counts it the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kiosk.workflows.i18n import N_

if TYPE_CHECKING:
    from kiosk.workflows.flow import FlowState

BAND = N_("Atelier : c'est un exercice.")


@dataclass(frozen=True)
class Exercise:
    id: str
    title: str
    goal: str
    hints: tuple[str, ...]
    done: Callable[[FlowState], bool]


EXERCISES = (
    Exercise(
        id="account",
        title=N_("Créer mon compte"),
        goal=N_("Créez votre compte avec votre numéro de portable."),
        hints=(
            N_("Touchez Mon compte et mes proches."),
            N_("Tapez votre numéro de portable."),
            N_("Le code arrive sur le téléphone d'exercice."),
        ),
        done=lambda state: state.step == "account.menu" and "sign_in.birth_date" in state.answers,
    ),
    Exercise(
        id="relative",
        title=N_("Ajouter un proche"),
        goal=N_("Ajoutez un proche à votre compte."),
        hints=(
            N_("Touchez Mon compte et mes proches."),
            N_("Touchez Ajouter un proche."),
            N_("Vérifiez ses informations avant de confirmer."),
        ),
        done=lambda state: "new_relative" in state.data,
    ),
    Exercise(
        id="book",
        title=N_("Prendre un rendez-vous"),
        goal=N_("Prenez un rendez-vous chez un médecin généraliste."),
        hints=(
            N_("Touchez Prendre un rendez-vous."),
            N_("Choisissez Médecin généraliste."),
            N_("Vérifiez le jour et l'heure avant de confirmer."),
        ),
        done=lambda state: state.step == "booking.done",
    ),
    Exercise(
        id="move",
        title=N_("Changer un rendez-vous"),
        goal=N_("Changez l'heure de votre rendez-vous."),
        hints=(
            N_("Touchez Mes rendez-vous."),
            N_("Choisissez le rendez-vous."),
            N_("Touchez Changer l'horaire."),
        ),
        done=lambda state: state.step == "appointments.moved",
    ),
    Exercise(
        id="cancel",
        title=N_("Annuler un rendez-vous"),
        goal=N_("Annulez votre rendez-vous."),
        hints=(
            N_("Touchez Mes rendez-vous."),
            N_("Choisissez le rendez-vous."),
            N_("Touchez Annuler ce rendez-vous."),
        ),
        done=lambda state: state.step == "appointments.cancelled",
    ),
)

# A workshop with no set goal: to get to know the kiosk.
FREE = Exercise(
    id="free",
    title=N_("Découvrir la borne"),
    goal=N_("Essayez la borne comme vous voulez."),
    hints=(N_("Touchez un bouton pour commencer."), N_("Touchez Retour pour revenir en arrière.")),
    done=lambda state: False,
)
EXERCISES = (*EXERCISES, FREE)
BY_ID = {exercise.id: exercise for exercise in EXERCISES}
