"""Who may do what to events, by built-in role, checked inside the services.

Each event is hosted by its owner and the super admin (so reordering hosts adds nobody); the
manager shares the team "Tutors" with the member; the outsider is in no team.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from scheduling.access import Actor, NotAllowed
from scheduling.catalog import (
    PrepInput,
    QuestionInput,
    add_session,
    create_event,
    deactivate_event,
    duplicate_event,
    list_events,
    set_event_hosts,
    set_prep_resources,
    set_questions,
    update_event,
)
from scheduling.catalog.events import host_ids_of as hosts_of
from scheduling.db import tenant_session
from scheduling.models import AuditLog, Event
from tests.catalog.conftest import Shop

SOON = datetime.now(UTC).replace(microsecond=0) + timedelta(days=3)

Change = Callable[[Session, Actor, uuid.UUID, Shop], Any]
CHANGES: dict[str, Change] = {
    "update": lambda s, a, e, shop: update_event(s, a, e, title="Renamed"),
    "deactivate": lambda s, a, e, shop: deactivate_event(s, a, e),
    "questions": lambda s, a, e, shop: set_questions(s, a, e, [QuestionInput("Why?")]),
    "prep": lambda s, a, e, shop: set_prep_resources(s, a, e, [PrepInput("Read this")]),
    "hosts": lambda s, a, e, shop: set_event_hosts(s, a, e, list(reversed(hosts_of(s, e)))),
    "session": lambda s, a, e, shop: add_session(s, a, e, starts_at=SOON, now=datetime.now(UTC)),
}

# (role, whose event) -> may change it
REACH = {
    ("super_admin", "outsider"): True,
    ("admin", "outsider"): True,
    ("manager", "member"): True,
    ("manager", "outsider"): False,
    ("member", "member"): True,
    ("member", "outsider"): False,
    ("viewer", "member"): False,
}


def changed(shop: Shop) -> int:
    with tenant_session(shop.db.app_engine, shop.org) as s:
        return int(s.scalar(select(func.count()).select_from(AuditLog)) or 0)


@pytest.mark.parametrize("change", sorted(CHANGES))
@pytest.mark.parametrize(("role", "owner"), sorted(REACH))
def test_changing_an_event_follows_the_roles_scope(
    shop: Shop, role: str, owner: str, change: str
) -> None:
    event_id = shop.event(
        hosts=(owner, "super_admin"), slug=f"{owner}-chat", meeting_type="group", capacity=5
    )
    actor = shop.actor(role)
    with tenant_session(shop.db.app_engine, shop.org) as s:
        if REACH[(role, owner)]:
            CHANGES[change](s, actor, event_id, shop)
        else:
            with pytest.raises(NotAllowed, match="You are not allowed to change the event"):
                CHANGES[change](s, actor, event_id, shop)
    assert changed(shop) == (1 if REACH[(role, owner)] else 0)


@pytest.mark.parametrize(
    ("role", "hosts", "allowed"),
    [
        ("super_admin", ("outsider",), True),
        ("admin", ("outsider",), True),
        ("manager", ("member", "manager"), True),
        ("manager", ("outsider",), False),
        ("manager", ("member", "outsider"), False),
        ("member", ("member",), False),
        ("viewer", ("viewer",), False),
    ],
)
def test_creating_needs_events_create_and_hosts_within_reach(
    shop: Shop, role: str, hosts: tuple[str, ...], allowed: bool
) -> None:
    with tenant_session(shop.db.app_engine, shop.org) as s:
        call = lambda: create_event(  # noqa: E731
            s,
            shop.actor(role),
            hosts=[shop.id(h) for h in hosts],
            title="Team chat",
            meeting_type="round_robin",
        )
        if allowed:
            call()
        else:
            with pytest.raises(NotAllowed):
                call()
    with tenant_session(shop.db.app_engine, shop.org) as s:
        assert s.scalar(select(func.count()).select_from(Event)) == (1 if allowed else 0)


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("admin", True), ("manager", True), ("member", False), ("viewer", False)],
)
def test_duplicating_is_creating(shop: Shop, role: str, allowed: bool) -> None:
    event_id = shop.event(hosts=("member",))
    with tenant_session(shop.db.app_engine, shop.org) as s:
        if allowed:
            duplicate_event(s, shop.actor(role), event_id)
        else:
            with pytest.raises(NotAllowed, match="You are not allowed to duplicate events"):
                duplicate_event(s, shop.actor(role), event_id)
    assert changed(shop) == (1 if allowed else 0)


def test_a_manager_cannot_hand_an_event_to_someone_outside_their_team(shop: Shop) -> None:
    event_id = shop.event(hosts=("member",), meeting_type="round_robin")
    with (
        tenant_session(shop.db.app_engine, shop.org) as s,
        pytest.raises(NotAllowed, match="choose hosts outside the people you manage"),
    ):
        set_event_hosts(
            s, shop.actor("manager"), event_id, [shop.id("member"), shop.id("outsider")]
        )
    with tenant_session(shop.db.app_engine, shop.org) as s:
        set_event_hosts(s, shop.actor("manager"), event_id, [shop.id("manager"), shop.id("member")])
    assert changed(shop) == 1


def test_every_role_reads_the_whole_catalogue(shop: Shop) -> None:
    shop.event(hosts=("member",), slug="member-chat", title="Member chat")
    shop.event(hosts=("outsider",), slug="outsider-chat", title="Outsider chat")
    for role in ("super_admin", "admin", "manager", "member", "viewer"):
        with tenant_session(shop.db.app_engine, shop.org) as s:
            rows = list_events(s, shop.actor(role))
        assert [(r.slug, r.hosts) for r in rows] == [
            ("member-chat", "Member Person"),
            ("outsider-chat", "Olive Outsider"),
        ]
