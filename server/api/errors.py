"""Turns every error into JSON `{"error", "message", "field"}` with a short French message.

Bad input never gives a 5xx or a stack trace, and the message names the field.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from server.errors import ApiError

log = logging.getLogger("server.api")

# Everyday French names of the fields, used in messages.
FIELD_LABELS: dict[str, str] = {
    "phone": "Numéro de portable",
    "code": "Code reçu par SMS",
    "email": "Adresse e-mail",
    "sex": "Sexe à l'état civil",
    "first_name": "Prénom",
    "last_name": "Nom",
    "birth_name": "Nom de naissance",
    "birth_date": "Date de naissance",
    "born_in_france": "Né en France",
    "birth_commune_insee": "Commune de naissance",
    "birth_country": "Pays de naissance",
    "address": "Adresse",
    "postcode": "Code postal",
    "city": "Ville",
    "consent": "Accord",
    "relationship_label": "Lien avec vous",
    "slot_id": "Créneau",
    "motive_id": "Motif",
    "patient_id": "Personne",
    "first_visit": "Première visite",
    "practitioner_id": "Praticien",
    "q": "Recherche",
    "specialty": "Spécialité",
    "near": "Commune",
    "radius_km": "Distance",
    "limit": "Nombre de résultats",
    "offset": "Début de la liste",
    "order": "Ordre des résultats",
    "since": "Curseur",
    "from": "Date de début",
    "to": "Date de fin",
    "language": "Langue",
    "step": "Étape du parcours",
}

_REASONS: dict[str, str] = {
    "missing": "ce champ est obligatoire.",
    "string_too_long": "le texte est trop long.",
    "string_too_short": "le texte est trop court.",
    "int_parsing": "il faut un nombre.",
    "int_type": "il faut un nombre.",
    "bool_parsing": "il faut répondre oui ou non.",
    "bool_type": "il faut répondre oui ou non.",
    "greater_than_equal": "le nombre est trop petit.",
    "less_than_equal": "le nombre est trop grand.",
    "greater_than": "le nombre est trop petit.",
    "less_than": "le nombre est trop grand.",
}


def field_label(field: str | None) -> str:
    if not field:
        return "Demande"
    return FIELD_LABELS.get(field, field.replace("_", " ").capitalize())


def _validation_error(exc: RequestValidationError) -> ApiError:
    first = exc.errors()[0] if exc.errors() else {}
    kind = first.get("type", "")
    if kind == "json_invalid":
        return ApiError(422, "invalid_json", "La demande n'est pas lisible.")
    loc = [str(p) for p in first.get("loc", ()) if p not in ("body", "query", "path", "header")]
    field = loc[-1] if loc and not loc[-1].isdigit() else (loc[0] if loc else None)
    if kind == "value_error":
        reason = str(first.get("ctx", {}).get("error", "")) or "la valeur n'est pas valide."
    else:
        reason = _REASONS.get(kind, "la valeur n'est pas valide.")
    return ApiError(422, "invalid", f"{field_label(field)} : {reason}", field)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse(exc.body(), status_code=exc.status)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        error = _validation_error(exc)
        return JSONResponse(error.body(), status_code=error.status)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        messages = {
            404: ("not_found", "Cette page est introuvable."),
            405: ("method_not_allowed", "Cette action n'est pas possible ici."),
            413: ("too_large", "La demande est trop grande."),
        }
        error, message = messages.get(exc.status_code, ("error", "La demande n'est pas possible."))
        return JSONResponse(
            {"error": error, "message": message, "field": None}, status_code=exc.status_code
        )

    @app.exception_handler(Exception)
    async def _unexpected(_request: Request, exc: Exception) -> JSONResponse:
        # The type only: the message of an unexpected error may hold personal data.
        log.error("unexpected error: %s", type(exc).__name__)
        return JSONResponse(
            {
                "error": "server_error",
                "message": "Le service a un problème. Réessayez dans un moment.",
                "field": None,
            },
            status_code=500,
        )
