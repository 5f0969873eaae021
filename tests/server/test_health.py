def test_health_answers_with_the_database_kind(client, database_url):
    answer = client.get("/api/v1/health")
    assert answer.status_code == 200
    assert answer.json()["database"] == database_url.split(":")[0].split("+")[0]


def test_unknown_path_gives_a_french_json_error(client):
    answer = client.get("/api/v1/nothing-here")
    assert answer.status_code == 404
    assert answer.json() == {
        "error": "not_found",
        "message": "Cette page est introuvable.",
        "field": None,
    }


def test_body_over_one_megabyte_is_refused_with_413(client):
    answer = client.post(
        "/api/v1/verifications",
        content=b"{" + b" " * 1_100_000 + b"}",
        headers={"Content-Type": "application/json"},
    )
    assert answer.status_code == 413
    assert answer.json()["error"] == "too_large"
