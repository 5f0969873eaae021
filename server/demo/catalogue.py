"""Fixed material of the demo directory: communes, fictional names and streets, motives.

Everything here is fictional except the communes (CPTS Grand Douai, seed 004), whose
coordinates come from the shipped commune list.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from server.models import Modality


def _names(text: str) -> list[str]:
    return [name.strip() for name in text.split(",")]


# INSEE code → weight (how many practitioners it draws, roughly by population).
COMMUNES: dict[str, int] = {
    "59178": 30,  # Douai
    "59569": 10,  # Sin-le-Noble
    "59654": 5,  # Waziers
    "59028": 5,  # Auby
    "59165": 5,  # Cuincy
    "59509": 4,  # Roost-Warendin
    "59234": 4,  # Flers-en-Escrebieux
    "59170": 4,  # Dechy
    "59329": 4,  # Lambres-lez-Douai
    "59414": 3,  # Montigny-en-Ostrevent
    "59276": 3,  # Guesnain
    "59015": 3,  # Arleux
    "59156": 2,  # Courchelettes
    "59126": 1,  # Cantin
    "59334": 1,  # Lauwin-Planque
    "59228": 1,  # Férin
    "59336": 1,  # Lécluse
    "59214": 1,  # Estrées
    "59211": 1,  # Esquerchin
    "59263": 1,  # Gœulzin
    "59280": 1,  # Hamel
}
DOUAI = "59178"

FIRST_NAMES_F = _names(
    "Élodie, Claire, Sophie, Nathalie, Camille, Julie, Aurélie, Céline, Inès, Léa, Manon, "
    "Chloé, Pauline, Agnès, Hélène, Émilie, Anne-Sophie, Marie-Claire, Nadia, Yasmine, "
    "Fatima, Magdalena, Ayşe, Beatriz, Lucie, Margaux, Sandrine, Valérie, Isabelle, "
    "Françoise, Océane, Noémie, Zoé, Amandine"
)
FIRST_NAMES_M = _names(
    "Thomas, Nicolas, Julien, Mathieu, Guillaume, Romain, Hugo, Lucas, Karim, Mehdi, "
    "Antoine, Jérôme, François, Sébastien, Frédéric, Stéphane, Jean-Marc, Jean-Pierre, "
    "Pierre-Yves, Olivier, Bruno, Piotr, Mustafa, João, Benoît, Grégoire, Laurent, Cédric, "
    "Yannick, Rémi, Théo, Maxime"
)
LAST_NAMES = _names(
    "Lefebvre, Leroy, Dubois, Moreau, Lambert, Fontaine, Rousseau, Mercier, Guérin, Boyer, "
    "Garnier, Chevalier, Legrand, Gauthier, Perrin, Robin, Clément, Morin, Roussel, "
    "Masson, Marchand, Duval, Lemaire, Noël, Dufour, Meunier, Blanchard, Giraud, Brunet, "
    "Gaillard, Barbier, Caron, Picard, Lemoine, Renaud, Lacroix, Bourgeois, Leclercq, "
    "Lecomte, Hubert, Carpentier, Deschamps, Vasseur, Boucher, Fleury, Jacquet, Poirier, "
    "Delattre, Descamps, Delcourt, Lefranc, Wattiez, Dhainaut, Kowalski, Nowak, "
    "Wiśniewski, Yilmaz, Benali, Haddad, Da Silva, Ferreira, Martinez, N'Diaye, "
    "Lefebvre-Dupont, D'Almeida, Van Damme, Lemaître, Dupuis, Cordier, Pruvost, Lebrun, "
    "Hennebelle, Vandenbussche, Delannoy, Caudron, Becquart, Flament, Delbecq, Plouvier, "
    "Decroix, Hochart, Maréchal, Bernard, Petit, Durand, Richard, Simon, Michel, Laurent, "
    "Vincent, Faure, André, Blanc"
)
# One Dupont, a GP in Douai: a person searching "dupond" must find him.
DUPONT = ("m", "Marc", "Dupont")

STREETS = (
    "rue Jean Jaurès", "rue Victor Hugo", "rue de la Gare", "place de la République",
    "boulevard de la Liberté", "rue Pasteur", "avenue du Maréchal Leclerc", "rue des Tilleuls",
    "rue du Moulin", "rue de l'Église", "rue Gambetta", "rue Émile Zola", "rue Jules Ferry",
    "rue Anatole France", "avenue de la Scarpe", "rue du Faubourg", "rue Carnot",
    "rue de Paris", "rue des Écoles", "rue Roger Salengro", "rue Pierre Brossolette",
    "résidence des Peupliers", "rue du 8 Mai 1945", "chemin des Prés", "rue de Lille",
)  # fmt: skip
BUS_STOPS = (
    "Gare", "Place d'Armes", "Hôtel de ville", "Hôpital", "Mairie", "Église", "Collège",
    "Centre commercial", "Les Épis", "Le Raquet",
)  # fmt: skip
LANGUAGES = ("en", "ar", "es", "pt", "pl", "tr")

# Practices (secretariats): name, commune, the specialties they gather, how many of each.
PRACTICES: tuple[tuple[str, str, str, tuple[tuple[str, int], ...]], ...] = (
    ("Maison de santé du Faubourg", DOUAI, "rue du Faubourg de Béthune",
     (("medecine-generale", 4), ("infirmier", 3), ("kinesitherapie", 2), ("sage-femme", 1))),
    ("Cabinet dentaire de la Scarpe", DOUAI, "quai de la Scarpe", (("dentiste", 4),)),
    ("Centre médical des Épis", "59569", "rue des Épis", (("medecine-generale", 3),
     ("pediatrie", 1), ("gynecologie", 1))),
    ("Pôle santé de Cuincy", "59165", "rue Jean Jaurès", (("medecine-generale", 2),
     ("kinesitherapie", 2), ("podologie", 1), ("orthophonie", 1))),
    ("Centre d'imagerie du Douaisis", DOUAI, "boulevard Vauban", (("radiologie", 3),)),
    ("Cabinet des spécialistes de la Gare", DOUAI, "place de la Gare", (("cardiologie", 2),
     ("pneumologie", 1), ("dermatologie", 1), ("ophtalmologie", 2), ("orthoptie", 1))),
)  # fmt: skip

# How many practitioners of each specialty, in all (practices included).
HEADCOUNT: dict[str, int] = {
    "medecine-generale": 45, "infirmier": 25, "kinesitherapie": 20, "dentiste": 18,
    "sage-femme": 6, "orthophonie": 6, "podologie": 4, "psychologue": 6, "pediatrie": 4,
    "ophtalmologie": 4, "gynecologie": 4, "dermatologie": 3, "cardiologie": 3,
    "psychiatrie": 3, "orl": 2, "radiologie": 3, "pneumologie": 2, "rhumatologie": 2,
    "gastro-enterologie": 2, "endocrinologie": 2, "neurologie": 2, "orthoptie": 2,
}  # fmt: skip


@dataclass(frozen=True)
class MotiveSpec:
    label: str
    minutes: int
    new_patients: bool = True
    modality: Modality = Modality.PRACTICE


def _m(label: str, minutes: int, new: bool = True, modality: str = "practice") -> MotiveSpec:
    return MotiveSpec(label, minutes, new, Modality(modality))


def _specialist(name: str, extra: tuple[MotiveSpec, ...] = ()) -> tuple[MotiveSpec, ...]:
    """The usual pair of seed 001: a first visit, and a follow-up closed to new patients."""
    return (
        _m(f"Première consultation {name}", 30),
        _m(f"Consultation de suivi {name}", 20, new=False),
        *extra,
    )


MOTIVES: dict[str, tuple[MotiveSpec, ...]] = {
    "medecine-generale": (
        _m("Consultation de médecine générale", 20),
        _m("Consultation de suivi", 15, new=False),
        _m("Renouvellement d'ordonnance", 15, new=False),
        _m("Vaccination", 15),
        _m("Certificat médical pour le sport", 20),
    ),
    "dentiste": (
        _m("Première consultation dentaire", 30),
        _m("Contrôle et détartrage", 30, new=False),
        _m("Urgence dentaire", 30),
        _m("Soins dentaires", 45, new=False),
    ),
    "kinesitherapie": (
        _m("Bilan kinésithérapie", 45),
        _m("Séance de rééducation", 30, new=False),
        _m("Kinésithérapie respiratoire de l'enfant", 30),
    ),
    "infirmier": (
        _m("Prise de sang", 15),
        _m("Pansement ou injection au cabinet", 15),
        _m("Vaccination", 15),
    ),
    "sage-femme": (
        _m("Suivi de grossesse", 30),
        _m("Préparation à la naissance", 60),
        _m("Rééducation du périnée", 30, new=False),
        _m("Consultation de contraception", 30),
    ),
    "orthophonie": (_m("Bilan orthophonique", 60), _m("Séance d'orthophonie", 30, new=False)),
    "podologie": (
        _m("Soins de pédicurie", 30),
        _m("Bilan podologique et semelles", 45),
        _m("Soins du pied diabétique", 45, new=False),
    ),
    "psychologue": (_m("Premier entretien", 50), _m("Séance de suivi", 50, new=False)),
    "pediatrie": (
        _m("Première consultation pédiatrique", 30),
        _m("Consultation de suivi de l'enfant", 20, new=False),
        _m("Vaccination de l'enfant", 20, new=False),
    ),
    "ophtalmologie": _specialist(
        "d'ophtalmologie", (_m("Renouvellement de lunettes", 20), _m("Fond d'œil", 20, False))
    ),
    "gynecologie": _specialist(
        "de gynécologie", (_m("Suivi de grossesse", 30, False), _m("Pose de stérilet", 30, False))
    ),
    "dermatologie": _specialist("de dermatologie", (_m("Examen des grains de beauté", 20),)),
    "cardiologie": _specialist("de cardiologie", (_m("Électrocardiogramme", 20, False),)),
    "psychiatrie": _specialist("de psychiatrie"),
    "orl": _specialist("ORL", (_m("Test de l'audition", 30),)),
    "radiologie": (
        _m("Radiographie", 15),
        _m("Échographie", 20),
        _m("Mammographie", 20),
    ),
    "pneumologie": _specialist(
        "de pneumologie", (_m("Première consultation pour troubles du sommeil", 30),)
    ),
    "rhumatologie": _specialist("de rhumatologie", (_m("Infiltration", 20, False),)),
    "gastro-enterologie": _specialist(
        "de gastro-entérologie", (_m("Consultation avant coloscopie", 20, False),)
    ),
    "endocrinologie": _specialist("d'endocrinologie", (_m("Suivi du diabète", 20, False),)),
    "neurologie": _specialist("de neurologie", (_m("Consultation mémoire", 45),)),
    "orthoptie": (
        _m("Bilan orthoptique", 30),
        _m("Séance de rééducation orthoptique", 30, new=False),
        _m("Dépistage visuel de l'enfant", 30),
    ),
}
VIDEO_MOTIVE = _m("Téléconsultation de suivi", 20, new=False, modality="video")
HOME_MOTIVES = {
    "medecine-generale": _m("Visite à domicile", 30, new=False, modality="home"),
    "infirmier": _m("Soins infirmiers à domicile", 30, modality="home"),
    "sage-femme": _m("Visite à domicile après la naissance", 45, new=False, modality="home"),
}
# Specialties that may offer video, and the share of them that do.
VIDEO_SHARE = {"medecine-generale": 0.2, "psychiatrie": 0.7, "psychologue": 0.5,
               "dermatologie": 0.4, "endocrinologie": 0.5}  # fmt: skip

# Opening of a half-day, (start, end), per kind of practice.
MORNING = {"infirmier": (time(7, 30), time(11, 30)), "default": (time(8, 30), time(12, 0))}
AFTERNOON = {"infirmier": (time(16, 0), time(19, 0)), "default": (time(14, 0), time(18, 30))}
SATURDAY_SHARE = {"medecine-generale": 0.4, "dentiste": 0.2, "kinesitherapie": 0.3,
                  "infirmier": 0.6}  # fmt: skip

# Tariffs (cents) and sectors. Sector "none": not covered (psychologists outside schemes).
FEES: dict[str, int] = {
    "medecine-generale": 3000, "dentiste": 2300, "kinesitherapie": 1650, "infirmier": 700,
    "sage-femme": 2500, "orthophonie": 3000, "podologie": 3000, "psychologue": 5500,
    "orthoptie": 2500, "radiologie": 2500,
}  # fmt: skip
SPECIALIST_FEE = 5000
CONVENTIONED_ONLY = frozenset(
    {"medecine-generale", "infirmier", "kinesitherapie", "sage-femme", "orthophonie", "orthoptie",
     "dentiste"}
)  # fmt: skip
