"""The API contract kiosks and outside checks rely on."""

CONTRACT = {
    "/api/v1/health": {"get"},
    "/api/v1/practitioners": {"get"},
    "/api/v1/practitioners/{practitioner_id}": {"get"},
    "/api/v1/practitioners/{practitioner_id}/motives": {"get"},
    "/api/v1/practitioners/{practitioner_id}/slots": {"get"},
    "/api/v1/verifications": {"post"},
    "/api/v1/verifications/{verification_id}/check": {"post"},
    "/api/v1/me": {"get", "put", "delete"},
    "/api/v1/me/relatives": {"get", "post"},
    "/api/v1/me/relatives/{relative_id}": {"put", "delete"},
    "/api/v1/appointments": {"post"},
    "/api/v1/appointments/{appointment_id}/confirm": {"post"},
    "/api/v1/appointments/{appointment_id}/cancel": {"post"},
    "/api/v1/appointments/{appointment_id}/move": {"post"},
    "/api/v1/me/appointments": {"get"},
    "/api/v1/waitlist": {"post"},
    "/api/v1/sync/directory": {"get"},
}


def test_every_fixed_path_is_in_the_openapi_document(client):
    document = client.get("/openapi.json").json()
    offered = {path: set(methods) for path, methods in document["paths"].items()}
    missing = {
        path: methods - offered.get(path, set())
        for path, methods in CONTRACT.items()
        if methods - offered.get(path, set())
    }
    assert missing == {}


def test_writes_that_book_declare_the_idempotency_key_header(client):
    paths = client.get("/openapi.json").json()["paths"]
    for path in (
        "/api/v1/appointments",
        "/api/v1/appointments/{appointment_id}/confirm",
        "/api/v1/appointments/{appointment_id}/cancel",
        "/api/v1/appointments/{appointment_id}/move",
    ):
        headers = {p["name"].lower() for p in paths[path]["post"].get("parameters", [])}
        assert "idempotency-key" in headers, path
