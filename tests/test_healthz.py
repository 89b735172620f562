"""`GET /healthz` reports the database as JSON."""

from __future__ import annotations

from booking_app import create_app
from scheduling.db.migrate import head_revision
from tests.conftest import TestDatabase


def test_healthz_reports_a_migrated_database(db: TestDatabase) -> None:
    client = create_app({"APP_DATABASE_URL": db.app_url, "SECRET_KEY": "t"}).test_client()
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {
        "status": "ok",
        "database": {
            "connected": True,
            "migration": head_revision(),
            "expected_migration": head_revision(),
            "error": None,
            "ok": True,
        },
    }


def test_healthz_is_503_when_the_database_is_unreachable() -> None:
    app = create_app(
        {"APP_DATABASE_URL": "postgresql://liveschool_app@127.0.0.1:1/none", "SECRET_KEY": "t"}
    )
    response = app.test_client().get("/healthz")
    body = response.get_json()
    assert response.status_code == 503
    assert body["status"] == "unavailable"
    assert body["database"]["connected"] is False
    assert body["database"]["error"].startswith("Cannot connect to the database at")


def test_unknown_api_path_has_the_json_error_shape(db: TestDatabase) -> None:
    client = create_app({"APP_DATABASE_URL": db.app_url, "SECRET_KEY": "t"}).test_client()
    response = client.get("/api/v1/no/such/thing")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


def test_unknown_page_is_an_html_page_without_a_trace(db: TestDatabase) -> None:
    client = create_app({"APP_DATABASE_URL": db.app_url, "SECRET_KEY": "t"}).test_client()
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert "Traceback" not in response.get_data(as_text=True)
