"""The console's overview page, driven with Streamlit's AppTest on the real database."""

from __future__ import annotations

from datetime import date

from streamlit.testing.v1 import AppTest

from admin_streamlit.state import DATABASE_KEY
from scheduling.demo import seed_demo
from tests.conftest import ROOT, TestDatabase

PAGE = str(ROOT / "admin_streamlit" / "pages" / "overview.py")


def run_page(db: TestDatabase) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=30)
    at.session_state[DATABASE_KEY] = db.app_url
    return at.run()


def test_overview_without_an_organisation_says_how_to_load_the_demo(db: TestDatabase) -> None:
    at = run_page(db)
    assert not at.exception
    assert at.success[0].value.startswith("Database connected, schema at migration")
    assert at.info[0].value == "No organisation yet. Load the demo with `liveschool demo`."


def test_overview_shows_the_demo_organisations_numbers(db: TestDatabase) -> None:
    seed_demo(db.app_engine, date(2026, 11, 24))
    at = run_page(db)
    assert not at.exception
    assert at.subheader[0].value == "Northwind Learning"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Hosts"] == "12"
    assert metrics["Active events"] == "14"
    assert int(metrics["Upcoming bookings"]) > 0
