"""The Bookings page under different roles, driven with AppTest on the real database."""

from __future__ import annotations

import dataclasses
import email
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from email.policy import default as default_policy
from pathlib import Path

import pytest
from sqlalchemy import select, text
from streamlit.testing.v1 import AppTest

from admin_streamlit.auth import ACTOR_KEY
from admin_streamlit.state import DATABASE_KEY
from scheduling.access import Actor, actor_for, create_account, ensure_builtin_roles
from scheduling.booking import BookingRequest, create_booking
from scheduling.config import get_config
from scheduling.db import tenant_session
from scheduling.models import Admin, Booking, BookingStatus, TemplateKind
from scheduling.notify.tasks import send_booking_message
from tests.conftest import ROOT, TestDatabase
from tests.factories import add_event, make_org

PAGE = str(ROOT / "admin_streamlit" / "pages" / "bookings.py")


def next_weekday(days_ahead: int) -> datetime:
    """10:00 UTC on a weekday at least `days_ahead` days from today (the page filters
    around today)."""
    day = date.today() + timedelta(days=days_ahead)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return datetime.combine(day, time(10), tzinfo=UTC)


@dataclass
class Desk:
    db: TestDatabase
    org: uuid.UUID
    people: dict[str, uuid.UUID]
    pending: uuid.UUID
    other: uuid.UUID

    def page_as(self, role: str) -> AppTest:
        with tenant_session(self.db.app_engine, self.org) as s:
            actor = actor_for(s, self.people[role])
        at = AppTest.from_file(PAGE, default_timeout=30)
        at.session_state[DATABASE_KEY] = self.db.app_url
        at.session_state[ACTOR_KEY] = actor
        return at.run()


@pytest.fixture
def desk(db: TestDatabase) -> Desk:
    org = make_org(db, "Acme School")
    people = {}
    system = Actor.system(org)
    with tenant_session(db.app_engine, org) as s:
        ensure_builtin_roles(s, org)
        for role in ("admin", "member", "viewer"):
            people[role] = create_account(
                s,
                system,
                name=f"{role.title()} Person",
                email=f"{role}@acme.test",
                timezone="UTC",
                role=role,
            ).id
        member = s.get(Admin, (org, people["member"]))
        admin = s.get(Admin, (org, people["admin"]))
        vetted = add_event(s, org, [member], "vetted", require_approval=True)
        open_call = add_event(s, org, [admin], "open-call")
        now = datetime.now(UTC)
        pending = create_booking(
            s,
            org,
            vetted,
            BookingRequest(
                start=next_weekday(2),
                name="Pat Pending",
                email="pat@x.test",
                timezone="Europe/Paris",
            ),
            now=now,
        ).booking.id
        other = create_booking(
            s,
            org,
            open_call,
            BookingRequest(
                start=next_weekday(3), name="Olga Other", email="olga@x.test", timezone="UTC"
            ),
            now=now,
        ).booking.id
        s.execute(text("DELETE FROM procrastinate_jobs"))
    return Desk(db, org, people, pending, other)


def test_member_sees_only_the_bookings_they_host(desk: Desk) -> None:
    at = desk.page_as("member")
    assert not at.exception
    assert at.dataframe[0].value["attendee"].to_list() == ["Pat Pending"]


def test_viewer_sees_everything_but_changes_nothing(desk: Desk) -> None:
    at = desk.page_as("viewer")
    assert not at.exception
    assert sorted(at.dataframe[0].value["attendee"].to_list()) == ["Olga Other", "Pat Pending"]
    assert at.info[0].value == "You can look at this booking but not change it."
    assert [b.key for b in at.button if b.key == "bk_approve"] == []
    assert [b for b in at.get("download_button")] == []  # no bookings.export


def test_approving_in_the_console_sends_the_confirmation_email(desk: Desk, tmp_path: Path) -> None:
    at = desk.page_as("admin")
    assert not at.exception
    labels = at.selectbox(key="bk_choice").options
    at.selectbox(key="bk_choice").set_value(next(o for o in labels if "Pat Pending" in o)).run()
    at.button(key="bk_approve").click().run()
    assert not at.exception
    with tenant_session(desk.db.app_engine, desk.org) as s:
        assert s.get(Booking, (desk.org, desk.pending)).status is BookingStatus.CONFIRMED  # type: ignore[union-attr]
    with desk.db.owner_engine.begin() as conn:
        jobs = (
            conn.execute(
                text("SELECT args FROM procrastinate_jobs WHERE task_name = 'notify.send'")
            )
            .scalars()
            .all()
        )
    assert [(j["kind"], j["email"]) for j in jobs] == [("approved", "pat@x.test")]
    config = dataclasses.replace(get_config(), smtp_url=None, var_dir=tmp_path)
    job = jobs[0]
    send_booking_message(
        desk.db.app_engine,
        config,
        desk.org,
        desk.pending,
        TemplateKind(job["kind"]),
        job["email"],
        job["is_host"],
    )
    (eml,) = (tmp_path / "mail").glob("*.eml")
    message = email.message_from_bytes(eml.read_bytes(), policy=default_policy)
    assert message["Subject"].startswith("Approved: Vetted on ")
    assert "(Europe/Paris)" in message["Subject"]


def test_member_cannot_act_on_someone_elses_booking_even_by_calling_the_service(
    desk: Desk,
) -> None:
    from scheduling.access import NotAllowed
    from scheduling.booking import cancel_booking

    with tenant_session(desk.db.app_engine, desk.org) as s:
        member = actor_for(s, desk.people["member"])
        with pytest.raises(NotAllowed, match="cancel this booking"):
            cancel_booking(s, desk.other, now=datetime.now(UTC), actor=member)
        assert s.scalar(select(Booking.status).where(Booking.id == desk.other)) is (
            BookingStatus.CONFIRMED
        )
