"""A generated, fictional Annuaire Santé extraction in the current 56-column layout.

Same shape as the real PS_LibreAcces_Personne_activite file: one line per activity (about
1.5 per person), professions and savoir-faire in realistic shares, real commune codes and
postcodes weighted by population, shared hospital structures, and a few odd lines (foreign
addresses, no commune code, wrong column count, missing id) as the real file has.
Deterministic: the same seed gives the same file.

    python -m bench.gen_rpps OUT.txt --rows 2000000
"""

from __future__ import annotations

import argparse
import csv
import gzip
import itertools
import random
from pathlib import Path

from server.services.communes import DATA_FILE

HEADER = [
    "Type d'identifiant PP", "Identifiant PP", "Identification nationale PP",
    "Code civilité d'exercice", "Libellé civilité d'exercice", "Code civilité",
    "Libellé civilité", "Nom d'exercice", "Prénom d'exercice", "Code profession",
    "Libellé profession", "Code catégorie professionnelle", "Libellé catégorie professionnelle",
    "Code type savoir-faire", "Libellé type savoir-faire", "Code savoir-faire",
    "Libellé savoir-faire", "Code mode exercice", "Libellé mode exercice", "Numéro SIRET site",
    "Numéro SIREN site", "Numéro FINESS site", "Numéro FINESS établissement juridique",
    "Identifiant technique de la structure", "Raison sociale site", "Enseigne commerciale site",
    "Complément destinataire (coord. structure)",
    "Complément point géographique (coord. structure)", "Numéro Voie (coord. structure)",
    "Indice répétition voie (coord. structure)", "Code type de voie (coord. structure)",
    "Libellé type de voie (coord. structure)", "Libellé Voie (coord. structure)",
    "Mention distribution (coord. structure)", "Bureau cedex (coord. structure)",
    "Code postal (coord. structure)", "Code commune (coord. structure)",
    "Libellé commune (coord. structure)", "Code pays (coord. structure)",
    "Libellé pays (coord. structure)", "Téléphone (coord. structure)",
    "Téléphone 2 (coord. structure)", "Télécopie (coord. structure)",
    "Adresse e-mail (coord. structure)", "Code Département (structure)",
    "Libellé Département (structure)", "Ancien identifiant de la structure",
    "Autorité d'enregistrement", "Code secteur d'activité", "Libellé secteur d'activité",
    "Code section tableau pharmaciens", "Libellé section tableau pharmaciens", "Code rôle",
    "Libellé rôle", "Code genre activité", "Libellé genre activité",
]  # fmt: skip

# (weight, code, label, [(weight, savoir-faire code, savoir-faire label)])
_PROFESSIONS = [
    (230, "10", "Médecin", [
        (40, "SM53", "Spécialiste en Médecine Générale"), (15, "SM54", "Médecine Générale"),
        (4, "SM38", "Ophtalmologie"), (3, "SM40", "Pédiatrie"),
        (4, "SM20", "Gynécologie-obstétrique"), (2, "SM15", "Dermatologie et vénéréologie"),
        (4, "SM04", "Cardiologie et maladies vasculaires"), (5, "SM42", "Psychiatrie"),
        (5, "SM44", "Radio-diagnostic"), (2, "SM48", "Rhumatologie"),
        (2, "SM24", "Gastro-entérologie et hépatologie"), (2, "SM32", "Neurologie"),
        (2, "SM37", "Oto-rhino-laryngologie"), (2, "SM47", "Pneumologie"),
        (4, "SM05", "Chirurgie générale"), (7, "SM01", "Anesthésie-réanimation"),
        (3, "SM49", "Santé publique et médecine sociale"),
    ]),
    (75, "21", "Pharmacien", []),
    (45, "40", "Chirurgien-Dentiste", [(9, "", ""), (1, "SCD01", "Orthopédie dento-faciale")]),
    (25, "50", "Sage-Femme", []),
    (330, "60", "Infirmier", []),
    (95, "70", "Masseur-Kinésithérapeute", []),
    (15, "80", "Pédicure-Podologue", []),
    (25, "91", "Orthophoniste", []),
    (6, "92", "Orthoptiste", []),
    (4, "26", "Audioprothésiste", []),
    (15, "28", "Opticien-Lunetier", []),
]  # fmt: skip
_LAST = (  # noqa: SIM905
    "MARTIN BERNARD THOMAS PETIT ROBERT RICHARD DURAND DUBOIS MOREAU LAURENT SIMON MICHEL "
    "LEFEBVRE LEROY ROUX DAVID BERTRAND MOREL FOURNIER GIRARD BONNET DUPONT LAMBERT "
    "FONTAINE ROUSSEAU VINCENT MULLER LEFEVRE FAURE ANDRE MERCIER BLANC GUERIN BOYER "
    "GARNIER CHEVALIER FRANCOIS LEGRAND GAUTHIER GARCIA PERRIN ROBIN CLEMENT MORIN NICOLAS "
    "HENRY ROUSSEL MATHIEU GAUTIER MASSON MARCHAND DUVAL DENIS DUMONT MARIE LEMAIRE NOEL "
    "MEYER DUFOUR MEUNIER BRUN BLANCHARD GIRAUD JOLY RIVIERE LUCAS BRUNET GAILLARD BARBIER "
    "ARNAUD MARTINEZ GERARD ROCHE RENARD SCHMITT ROY LEROUX COLIN VIDAL CARON PICARD ROGER "
    "FABRE AUBERT LEMOINE RENAUD DUMAS LACROIX OLIVIER PHILIPPE BOURGEOIS PIERRE BENOIT "
    "REY LECLERC PAYET ROLLAND LECLERCQ GUILLAUME LECOMTE LOPEZ JEAN DUPUY GUILLOT HUBERT "
    "BERGER CARPENTIER SANCHEZ DUPUIS MOULIN LOUIS DESCHAMPS HUET VASSEUR PEREZ BOUCHER "
    "FLEURY ROYER KLEIN JACQUET ADAM PARIS POIRIER MARTY AUBRY GUYOT CARRE CHARLES RENAULT "
    "CHARPENTIER MENARD MAILLARD BARON BERTIN BAILLY HERVE SCHNEIDER FERNANDEZ LE-GALL "
    "COLLET LEGER BOUVIER JULIEN PREVOST MILLET PERROT DANIEL LE-ROUX COUSIN GERMAIN "
    "BRETON BESSON LANGLOIS REMY LE-GOFF PELLETIER LEVEQUE PERRIER LEBLANC BARRE LEBRUN "
    "MARCHAL WEBER MALLET HAMON BOULANGER JACOB MONNIER MICHAUD RODRIGUEZ GUICHARD GILLET "
    "ETIENNE GRONDIN POULAIN TESSIER CHEVALLIER COLLIN CHAUVIN DA-SILVA BOUCHET GAY "
    "LEMAITRE BENARD MARECHAL HUMBERT REYNAUD ANTOINE HOARAU PERRET BARTHELEMY CORDIER "
    "PICHON LEJEUNE GILBERT LAMY DELAUNAY PASQUIER CARLIER LAPORTE N'DIAYE DE-RUIJTER "
    "D'ALMEIDA BENALI HADDAD KOWALSKI YILMAZ"
).split()
_LAST = [name.replace("-", " ") if name[:3] in ("LE-", "DA-", "DE-") else name for name in _LAST]
_FIRST = (  # noqa: SIM905
    "MARIE JEAN PIERRE MICHEL ANDRE PHILIPPE NATHALIE ISABELLE CATHERINE SYLVIE FRANCOISE "
    "ALAIN NICOLAS CHRISTOPHE CHRISTINE STEPHANE FREDERIC LAURENT SANDRINE VALERIE ERIC "
    "DAVID JULIEN SEBASTIEN CELINE AURELIE JULIE CAROLINE EMILIE CAMILLE THOMAS ALEXANDRE "
    "ROMAIN ELODIE ANNE JEAN-MARC MARIE-CLAIRE JEAN-PIERRE ANNE-SOPHIE KARIM NADIA YASMINE "
    "SOPHIE HUGO INES LEA MANON LUCAS CHLOE PAULINE MATHIEU GUILLAUME VINCENT AGNES "
    "MONIQUE"
).split()
_STREET_TYPES = [
    ("R", "Rue", 50), ("AV", "Avenue", 12), ("BD", "Boulevard", 8), ("PL", "Place", 6),
    ("CHE", "Chemin", 5), ("IMP", "Impasse", 3), ("ALL", "Allée", 4), ("RTE", "Route", 6),
    ("FG", "Faubourg", 1), ("QUAI", "Quai", 2), ("", "", 3),
]  # fmt: skip
_STREETS = (  # noqa: SIM905
    "DE LA REPUBLIQUE|JEAN JAURES|VICTOR HUGO|DU GENERAL DE GAULLE|PASTEUR|DE LA GARE|"
    "DE LA MAIRIE|DES ECOLES|GAMBETTA|DE L EGLISE|DU MARECHAL FOCH|JULES FERRY|CARNOT|"
    "DE PARIS|NATIONALE|DU 8 MAI 1945|DES LILAS|DU MOULIN|SAINT ETIENNE|DE BESANCON|"
    "ANATOLE FRANCE|EMILE ZOLA|DES TILLEULS|DE VERDUN|DU CHATEAU|LECLERC|DE LA LIBERATION|"
    "ALBERT SCHWEITZER|DES ROSIERS|DU CENTRE"
).split("|")
_MODES = [("L", "Libéral", 62), ("S", "Salarié", 35), ("B", "Bénévole", 3)]
_FOREIGN = [("99131", "Belgique"), ("99132", "Royaume-uni"), ("99109", "Allemagne")]
_ROLES = [
    ("FON-01", "Titulaire de cabinet"), ("FON-02", "Collaborateur"),
    ("FON-04", "Remplaçant"), ("FON-05", "Salarié"),
]  # fmt: skip


def _weighted(rng: random.Random, items: list, weight_index: int = -1):
    """A sampler of one item at a time, by the item's weight column."""
    cum = list(itertools.accumulate(item[weight_index] for item in items))
    return lambda: rng.choices(items, cum_weights=cum)[0]


def _communes() -> list[tuple[str, str, str, int]]:
    """(INSEE code, postcode, NAME, population) of every commune the server knows."""
    with gzip.open(DATA_FILE, "rt", encoding="utf-8", newline="") as handle:
        return [
            (row["insee_com"], row["code_postal"].split()[0], row["commune_article"].upper(),
             int(row["population_2021"] or 0) + 1)
            for row in csv.DictReader(handle)
            if row["commune_type"] != "COMD" and row["code_postal"].strip()
        ]  # fmt: skip


def generate(path: Path, rows: int = 2_000_000, *, seed: int = 20240501) -> Path:
    """Write `rows` data lines (plus the header) to `path`; returns the path."""
    rng = random.Random(seed)
    commune = _weighted(rng, _communes())
    profession = _weighted(rng, _PROFESSIONS, 0)
    savoir_faire = {code: _weighted(rng, sf, 0) for _, code, _, sf in _PROFESSIONS if sf}
    street_type = _weighted(rng, _STREET_TYPES)
    mode = _weighted(rng, _MODES)
    hospitals = [
        (f"F{590000000 + i:09d}", f"CENTRE HOSPITALIER {i}", commune()) for i in range(4000)
    ]
    activities = [1] * 60 + [2] * 30 + [3] * 7 + [4] * 3  # about 1.53 lines per person
    width = len(HEADER)
    written = 0
    person = 0
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        out.write("|".join(HEADER) + "|\n")
        while written < rows:
            person += 1
            rpps = f"1{person * 7919 % 10**10:010d}"
            _, prof_code, prof_label, _ = prof = profession()
            sf_code, sf_label = (
                (savoir_faire[prof_code]()[1:]) if prof_code in savoir_faire else ("", "")
            )
            sex = rng.random() < 0.55
            civ_ex = ("DR", "Docteur") if prof_code in ("10", "40") else ("", "")
            civ = ("MME", "Madame") if sex else ("M", "Monsieur")
            last = rng.choice(_LAST)
            if rng.random() < 0.05:
                last = f"{last}-{rng.choice(_LAST)}"
            first = rng.choice(_FIRST)
            for _ in range(min(rng.choice(activities), rows - written)):
                m_code, m_label, _ = mode()
                role = rng.choice(_ROLES)
                if m_code == "S" and rng.random() < 0.8:
                    structure, site, (insee, postcode, city, _) = rng.choice(hospitals)
                else:
                    structure = f"C{rng.randrange(10**13):014d}"
                    site = f"CABINET {'DR ' if civ_ex[0] else ''}{last}"
                    insee, postcode, city, _ = commune()
                st_code, st_label, _ = street_type()
                values = [""] * width
                values[0:13] = [
                    "8",
                    rpps,
                    f"8{rpps}",
                    civ_ex[0],
                    civ_ex[1],
                    civ[0],
                    civ[1],
                    last,
                    first,
                    prof_code,
                    prof[2],
                    "C",
                    "Civil",
                ]
                if sf_code:
                    values[13:17] = ["S", "Spécialité ordinale", sf_code, sf_label]
                values[17:19] = [m_code, m_label]
                values[23:26] = [structure, site, site if rng.random() < 0.3 else ""]
                values[28] = str(rng.randrange(1, 200)) if st_code else ""
                values[29] = "B" if rng.random() < 0.03 else ""
                values[30:33] = [st_code, st_label, rng.choice(_STREETS)]
                values[34:38] = [f"{postcode} {city}", postcode, insee, city.title()]
                if rng.random() < 0.08:
                    values[36] = ""  # no commune code: the importer falls back to the postcode
                if rng.random() < 0.002:
                    values[38:40] = list(rng.choice(_FOREIGN))
                if rng.random() < 0.75:
                    values[40] = f"0{rng.randrange(1, 6)}{rng.randrange(10**8):08d}"
                values[48:50] = (
                    ["SA07", "Cabinet individuel"]
                    if m_code == "L"
                    else ["SA01", "Etablissement Public de santé"]
                )
                values[52:56] = [role[0], role[1], "GENR01", "Activité standard de soin"]
                odd = rng.random()
                if odd < 0.0001:
                    values = values[:40]  # a truncated line
                elif odd < 0.0002:
                    values[1] = ""
                out.write("|".join(values) + "|\n")
                written += 1
    return path


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--rows", type=int, default=2_000_000)
    args = parser.parse_args()
    generate(args.out, args.rows)
