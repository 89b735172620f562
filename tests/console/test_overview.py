"""The console's overview page, driven with Streamlit's AppTest on the real database."""

from __future__ import annotations

from datetime import date

from streamlit.testing.v1 import AppTest

from admin_streamlit.auth import ACTOR_KEY
from admin_streamlit.state import DATABASE_KEY
from scheduling.access import Actor
from scheduling.demo import DEMO_ORG_ID, seed_demo
from tests.conftest import ROOT, TestDatabase
from tests.factories import make_org

PAGE = str(ROOT / "admin_streamlit" / "pages" / "overview.py")


def run_page(db: TestDatabase, actor: Actor) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=30)
    at.session_state[DATABASE_KEY] = db.app_url
    at.session_state[ACTOR_KEY] = actor
    return at.run()


def test_overview_of_an_empty_organisation(db: TestDatabase) -> None:
    org = make_org(db, "Fresh Start")
    at = run_page(db, Actor.system(org))
    assert not at.exception
    assert at.success[0].value.startswith("Database connected, schema at migration")
    assert at.subheader[0].value == "Fresh Start"
    assert {m.label: m.value for m in at.metric}["Hosts"] == "0"


def test_overview_shows_the_demo_organisations_numbers(db: TestDatabase) -> None:
    seed_demo(db.app_engine, date(2026, 11, 24))
    at = run_page(db, Actor.system(DEMO_ORG_ID))
    assert not at.exception
    assert at.subheader[0].value == "Northwind Learning"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Hosts"] == "12"
    assert metrics["Active events"] == "14"
    assert int(metrics["Upcoming bookings"]) > 0
