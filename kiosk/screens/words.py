"""The words of the touch screen itself (buttons, messages), as French message ids."""

from __future__ import annotations

from kiosk.workflows.i18n import N_, Np_

BACK = N_("Retour")
HELP = N_("Aide")
LISTEN = N_("Écouter")
LOUDER = N_("Plus fort")
SOFTER = N_("Moins fort")
CONTRAST = N_("Contraste")
SAY_PRIVATE = N_("Dire les chiffres à voix haute")
PAGE_UP = N_("Plus haut")
PAGE_DOWN = N_("Plus bas")
MORE_CHOICES = N_("Plus de choix")
MORE_SLOTS = N_("Plus de disponibilités")
CONFIRM = N_("Confirmer")
CHANGE = N_("Modifier")
CONTINUE = N_("Continuer")
DELETE = N_("Effacer")
SPACE = N_("Espace")
CAPITALS = N_("Majuscule")
PRINT = N_("Imprimer")
PRINTED = N_("Le ticket est imprimé. Prenez-le.")
DAY = N_("Jour")
MONTH = N_("Mois")
YEAR = N_("Année")
STILL_THERE = N_("Êtes-vous toujours là ?")
SECONDS_LEFT = Np_("Tout sera effacé dans {n} seconde.", "Tout sera effacé dans {n} secondes.")
KEEP_GOING = N_("Je continue")
HINT = N_("Un indice")
EXERCISE_PHONE = N_("Téléphone d'exercice : {sms}")
PRINT_FAILURES = {
    "no_printer": N_("L'imprimante ne répond pas. Demandez à un conseiller."),
    "no_paper": N_("L'imprimante n'a plus de papier. Demandez à un conseiller."),
    "failed": N_("L'impression a échoué. Demandez à un conseiller."),
}
