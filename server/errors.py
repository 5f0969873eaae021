"""Errors people and kiosks can act on: a code, a short plain French message, the field."""

from __future__ import annotations


class ApiError(Exception):
    """Raised by services; the API turns it into `{"error", "message", "field"}`."""

    def __init__(
        self,
        status: int,
        error: str,
        message: str,
        field: str | None = None,
        details: dict[str, str | int | None] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.error = error
        self.message = message
        self.field = field
        self.details = details  # what the words depend on, for kiosks speaking other languages

    def body(self) -> dict[str, object]:
        body: dict[str, object] = {
            "error": self.error,
            "message": self.message,
            "field": self.field,
        }
        if self.details:
            body["details"] = self.details
        return body


def not_found(what: str = "Cette fiche") -> ApiError:
    return ApiError(404, "not_found", f"{what} est introuvable.")


def invalid(field: str, message: str) -> ApiError:
    return ApiError(422, "invalid", message, field)


def conflict(
    error: str, message: str, field: str | None = None, **details: str | int | None
) -> ApiError:
    return ApiError(409, error, message, field, details or None)
