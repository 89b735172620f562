"""Creating, changing, deactivating events and choosing their hosts: values, refusals, audit."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from scheduling.booking import EventNotFound, get_event
from scheduling.catalog import (
    InvalidEvent,
    create_event,
    deactivate_event,
    set_event_hosts,
    update_event,
)
from scheduling.db import tenant_session
from scheduling.models import (
    Admin,
    AvailabilitySchedule,
    ConfirmationPage,
    Event,
    EventHost,
    LocationType,
    MeetingType,
)
from tests.catalog.conftest import Shop


def events(shop: Shop) -> int:
    with tenant_session(shop.db.app_engine, shop.org) as s:
        return int(s.scalar(select(func.count()).select_from(Event)) or 0)


def create(shop: Shop, hosts: tuple[str, ...] = ("member",), **settings: Any) -> Event:
    with tenant_session(shop.db.app_engine, shop.org) as s:
        return create_event(s, shop.actor("admin"), hosts=[shop.id(h) for h in hosts], **settings)


def test_create_takes_every_setting_and_records_it(shop: Shop) -> None:
    event = create(
        shop,
        hosts=("member", "manager"),
        title="  Portfolio review  ",
        slug="portfolio-review",
        description="Bring two pieces.",
        meeting_type="collective",
        duration_minutes=45,
        slot_increment_minutes=15,
        location_type="in_person",
        location="Room 4",
        buffer_before=5,
        buffer_after=10,
        min_notice_hours=2,
        booking_window_days=14,
        max_daily_bookings=3,
        max_weekly_bookings=10,
        require_approval=True,
        allow_guests=True,
        guest_limit=2,
        collect_phone=True,
        display_timezone="Europe/Berlin",
        lock_timezone=True,
        confirmation_page_type="redirect",
        confirmation_redirect_url="https://acme.test/thanks",
        show_add_to_calendar=False,
        conversion_script_url="https://tags.acme.test/c.js",
    )
    row = shop.load(event.id)
    assert (row.title, row.slug, row.meeting_type, row.duration_minutes) == (
        "Portfolio review",
        "portfolio-review",
        MeetingType.COLLECTIVE,
        45,
    )
    assert (row.slot_increment_minutes, row.buffer_before, row.buffer_after) == (15, 5, 10)
    assert (row.min_notice_hours, row.booking_window_days) == (2, 14)
    assert (row.max_daily_bookings, row.max_weekly_bookings, row.require_approval) == (3, 10, True)
    assert (row.allow_guests, row.guest_limit, row.collect_phone) == (True, 2, True)
    assert (row.display_timezone, row.lock_timezone) == ("Europe/Berlin", True)
    assert row.location_type is LocationType.IN_PERSON and row.location == "Room 4"
    assert row.confirmation_page_type is ConfirmationPage.REDIRECT
    assert row.confirmation_redirect_url == "https://acme.test/thanks"
    assert (row.show_add_to_calendar, row.show_reschedule_link) == (False, True)
    assert row.conversion_script_url == "https://tags.acme.test/c.js"
    assert row.is_active
    with tenant_session(shop.db.app_engine, shop.org) as s:
        hosts = s.execute(
            select(EventHost.admin_id, EventHost.is_primary, EventHost.display_order)
            .where(EventHost.event_id == event.id)
            .order_by(EventHost.display_order)
        ).all()
    assert hosts == [(shop.id("member"), True, 0), (shop.id("manager"), False, 1)]
    (entry,) = shop.audit("event.created")
    assert entry.entity_id == event.id and entry.actor_label == "admin@acme.test"
    assert entry.old_values is None
    assert entry.new_values["slug"] == "portfolio-review"
    assert entry.new_values["meeting_type"] == "collective"
    assert entry.new_values["hosts"] == [str(shop.id("member")), str(shop.id("manager"))]


def test_defaults_slug_from_the_title_and_zone_from_the_primary_host(shop: Shop) -> None:
    first = create(shop, hosts=("outsider",), title="Café chat (Oslo)")
    second = create(shop, hosts=("outsider",), title="Café chat (Oslo)")
    assert (first.slug, second.slug) == ("cafe-chat-oslo", "cafe-chat-oslo-2")
    row = shop.load(first.id)
    assert (row.display_timezone, row.meeting_type, row.duration_minutes) == (
        "Europe/Oslo",
        MeetingType.ONE_ON_ONE,
        30,
    )
    assert (row.min_notice_hours, row.booking_window_days, row.capacity) == (24, 60, 1)


SLUG_FORMAT = "Use lowercase letters, digits and hyphens, e.g. intro-call."
TAKEN = "Another event already uses the address /book/office-chat; choose another."
BUFFER = "Buffers are minutes, 0 or more (leave empty to use each host's default)."
LIMIT = "Use a number of at least 1, or leave it empty for no limit."
URL = "Use a full http:// or https:// address."
REDIRECT = {"confirmation_page_type": "redirect"}
ONE_HOST = "A one-on-one event has exactly one host. "


@pytest.mark.parametrize(
    ("settings", "field", "message"),
    [
        ({"title": "   "}, "title", "Please enter a title."),
        ({"slug": "Intro Call"}, "slug", SLUG_FORMAT),
        ({"slug": "intro--call"}, "slug", SLUG_FORMAT),
        ({"slug": "office-chat"}, "slug", TAKEN),
        ({"duration_minutes": 0}, "duration_minutes", "The duration is minutes, from 1 to 1440."),
        (
            {"slot_increment_minutes": 0},
            "slot_increment_minutes",
            "Use a number of minutes above 0, or leave it empty to step by the duration.",
        ),
        ({"buffer_before": -5}, "buffer_before", BUFFER),
        ({"buffer_after": -1}, "buffer_after", BUFFER),
        ({"min_notice_hours": -1}, "min_notice_hours", "Notice is a number of hours, 0 or more."),
        (
            {"booking_window_days": 0},
            "booking_window_days",
            "Use a number of days above 0, or leave it empty for no limit.",
        ),
        ({"max_daily_bookings": 0}, "max_daily_bookings", LIMIT),
        ({"max_weekly_bookings": 0}, "max_weekly_bookings", LIMIT),
        ({"capacity": 0}, "capacity", "Capacity is a number of seats, at least 1."),
        ({"guest_limit": -1}, "guest_limit", "The guest limit is a number of guests, 0 or more."),
        ({"guest_limit": 2}, "guest_limit", "Turn on guests to set a guest limit."),
        ({"allow_guests": True}, "guest_limit", "Allow at least one guest, or turn guests off."),
        (
            {"display_timezone": "Mars/Olympus"},
            "display_timezone",
            "Unknown time zone 'Mars/Olympus'.",
        ),
        (REDIRECT, "confirmation_redirect_url", "Enter the address to send attendees to."),
        (
            REDIRECT | {"confirmation_redirect_url": "ftp://acme.test/x"},
            "confirmation_redirect_url",
            URL,
        ),
        (
            REDIRECT | {"confirmation_redirect_url": "javascript:alert(1)"},
            "confirmation_redirect_url",
            URL,
        ),
        (
            {
                "confirmation_page_type": "custom",
                "confirmation_custom_html": "<script>x()</script>",
            },
            "confirmation_custom_html",
            "Write the page's content (scripts and styles are removed), "
            "or choose another kind of page.",
        ),
        (
            {"conversion_script_url": "http://tags.acme.test/c.js"},
            "conversion_script_url",
            "The conversion script must be an https:// address.",
        ),
        ({"video_link": "meet.acme.test/x"}, "video_link", URL),
        ({"meeting_type": "webinar"}, "meeting_type", "Unknown meeting type 'webinar'."),
        ({"duration_minutes": "half an hour"}, "duration_minutes", "Use a whole number."),
        ({"hosts": []}, "hosts", "Choose at least one host."),
        (
            {"meeting_type": "one_on_one", "hosts": ["member", "manager"]},
            "meeting_type",
            ONE_HOST + "Remove the other hosts first, or pick another type.",
        ),
        ({"colour": "red"}, "colour", "Not a setting of an event."),
    ],
)
def test_each_bad_setting_is_refused_with_its_message_and_nothing_is_written(
    shop: Shop, settings: dict[str, Any], field: str, message: str
) -> None:
    shop.event()  # holds the slug office-chat
    hosts = tuple(settings.pop("hosts", ("member",)))
    with pytest.raises(InvalidEvent) as refused:
        create(shop, hosts=hosts, **({"title": "New one"} | settings))
    assert refused.value.errors == {field: message}
    assert events(shop) == 1
    assert shop.audit() == []


def test_an_inactive_person_cannot_host(shop: Shop) -> None:
    with tenant_session(shop.db.app_engine, shop.org) as s:
        s.get(Admin, (shop.org, shop.id("member"))).is_active = False  # type: ignore[union-attr]
    with pytest.raises(InvalidEvent) as refused:
        create(shop, title="Chat")
    assert refused.value.errors == {"hosts": "Member Person is not an active host."}


def test_every_problem_is_reported_at_once(shop: Shop) -> None:
    with pytest.raises(InvalidEvent) as refused:
        create(shop, hosts=(), title="", buffer_before=-1, display_timezone="Nowhere")
    assert set(refused.value.errors) == {"title", "buffer_before", "display_timezone", "hosts"}


def test_update_changes_only_what_was_sent_and_audits_the_difference(shop: Shop) -> None:
    event_id = shop.event(buffer_after=10)
    with tenant_session(shop.db.app_engine, shop.org) as s:
        update_event(
            s,
            shop.actor("member"),
            event_id,
            title="Office chat (longer)",
            duration_minutes=60,
            buffer_after=10,  # unchanged: not in the audit row
            max_daily_bookings=None,
        )
    row = shop.load(event_id)
    assert (row.title, row.duration_minutes, row.buffer_after) == ("Office chat (longer)", 60, 10)
    (entry,) = shop.audit("event.updated")
    assert entry.old_values == {"title": "Office chat", "duration_minutes": 30}
    assert entry.new_values == {"title": "Office chat (longer)", "duration_minutes": 60}


def test_update_with_nothing_new_writes_no_audit_row(shop: Shop) -> None:
    event_id = shop.event()
    with tenant_session(shop.db.app_engine, shop.org) as s:
        update_event(s, shop.actor("admin"), event_id, title="Office chat")
    assert shop.audit() == []


def test_update_refuses_a_slug_another_event_holds_but_keeps_its_own(shop: Shop) -> None:
    first = shop.event()
    second = shop.event(title="Other", slug="other")
    with tenant_session(shop.db.app_engine, shop.org) as s:
        update_event(s, shop.actor("admin"), first, slug="office-chat", title="Renamed")
        with pytest.raises(InvalidEvent) as refused:
            update_event(s, shop.actor("admin"), second, slug="office-chat")
    assert refused.value.errors == {
        "slug": "Another event already uses the address /book/office-chat; choose another."
    }
    assert shop.load(second).slug == "other"


def test_an_old_inconsistency_does_not_block_an_unrelated_change(shop: Shop) -> None:
    event_id = shop.event()
    with tenant_session(shop.db.app_engine, shop.org) as s:  # e.g. written before these rules
        s.get(Event, (shop.org, event_id)).allow_guests = True  # type: ignore[union-attr]
    with tenant_session(shop.db.app_engine, shop.org) as s:
        update_event(s, shop.actor("admin"), event_id, title="Still fine")
        with pytest.raises(InvalidEvent) as refused:
            update_event(s, shop.actor("admin"), event_id, allow_guests=True, guest_limit=0)
    assert refused.value.errors == {"guest_limit": "Allow at least one guest, or turn guests off."}
    assert shop.load(event_id).title == "Still fine"


def test_switching_to_one_on_one_needs_a_single_host(shop: Shop) -> None:
    event_id = shop.event(hosts=("member", "manager"), meeting_type="collective")
    with tenant_session(shop.db.app_engine, shop.org) as s, pytest.raises(InvalidEvent) as refused:
        update_event(s, shop.actor("admin"), event_id, meeting_type="one_on_one")
    assert refused.value.errors == {
        "meeting_type": "A one-on-one event has exactly one host. "
        "Remove the other hosts first, or pick another type."
    }


def test_pinned_schedule_must_belong_to_a_host(shop: Shop) -> None:
    event_id = shop.event()
    with tenant_session(shop.db.app_engine, shop.org) as s:
        mine = s.scalar(
            select(AvailabilitySchedule.id).where(
                AvailabilitySchedule.admin_id == shop.id("member")
            )
        )
        theirs = s.scalar(
            select(AvailabilitySchedule.id).where(AvailabilitySchedule.admin_id == shop.id("admin"))
        )
        with pytest.raises(InvalidEvent) as refused:
            update_event(s, shop.actor("admin"), event_id, schedule_id=theirs)
        update_event(s, shop.actor("admin"), event_id, schedule_id=mine)
    assert refused.value.errors == {
        "schedule_id": "Choose a schedule of one of the event's hosts, or each host's default."
    }
    assert shop.load(event_id).schedule_id == mine


def test_deactivate_takes_the_event_off_the_public_pages_and_update_brings_it_back(
    shop: Shop,
) -> None:
    event_id = shop.event()
    with tenant_session(shop.db.app_engine, shop.org) as s:
        deactivate_event(s, shop.actor("member"), event_id)
    with tenant_session(shop.db.app_engine, shop.org) as s:
        with pytest.raises(EventNotFound):
            get_event(s, slug="office-chat")
        deactivate_event(s, shop.actor("member"), event_id)  # already off: nothing to record
    (entry,) = shop.audit("event.deactivated")
    assert (entry.old_values, entry.new_values) == ({"is_active": True}, {"is_active": False})
    with tenant_session(shop.db.app_engine, shop.org) as s:
        update_event(s, shop.actor("member"), event_id, is_active=True)
    with tenant_session(shop.db.app_engine, shop.org) as s:
        assert get_event(s, slug="office-chat").id == event_id
    assert shop.audit("event.updated")[0].new_values == {"is_active": True}


def test_set_hosts_keeps_their_order_with_the_first_as_primary(shop: Shop) -> None:
    event_id = shop.event(hosts=("member",), meeting_type="round_robin")
    order = [shop.id("manager"), shop.id("outsider"), shop.id("member")]
    with tenant_session(shop.db.app_engine, shop.org) as s:
        set_event_hosts(s, shop.actor("admin"), event_id, order)
    with tenant_session(shop.db.app_engine, shop.org) as s:
        rows = s.execute(
            select(EventHost.admin_id, EventHost.is_primary)
            .where(EventHost.event_id == event_id)
            .order_by(EventHost.display_order)
        ).all()
    assert rows == [(order[0], True), (order[1], False), (order[2], False)]
    (entry,) = shop.audit("event.hosts_set")
    assert entry.old_values == {"hosts": [str(shop.id("member"))]}
    assert entry.new_values == {"hosts": [str(h) for h in order]}


@pytest.mark.parametrize(
    ("meeting_type", "hosts", "message"),
    [
        ("round_robin", [], "Choose at least one host."),
        ("round_robin", ["member", "member"], "Each host can be chosen once."),
        (
            "one_on_one",
            ["member", "manager"],
            ONE_HOST + "Choose another meeting type for several hosts.",
        ),
    ],
)
def test_set_hosts_refusals(shop: Shop, meeting_type: str, hosts: list[str], message: str) -> None:
    event_id = shop.event(meeting_type=meeting_type)
    with tenant_session(shop.db.app_engine, shop.org) as s, pytest.raises(InvalidEvent) as refused:
        set_event_hosts(s, shop.actor("admin"), event_id, [shop.id(h) for h in hosts])
    assert refused.value.errors == {"hosts": message}
    with tenant_session(shop.db.app_engine, shop.org) as s:
        assert s.scalars(
            select(EventHost.admin_id).where(EventHost.event_id == event_id)
        ).all() == [shop.id("member")]
