"""Duplicating an event copies every setting, its hosts, questions, resources and templates."""

from __future__ import annotations

from sqlalchemy import select

from scheduling.catalog import (
    SETTINGS,
    PrepInput,
    QuestionInput,
    active_questions,
    duplicate_event,
    prep_resources,
    set_prep_resources,
    set_questions,
)
from scheduling.catalog.events import host_ids_of
from scheduling.db import tenant_session
from scheduling.models import EmailTemplate, Event, TemplateKind
from tests.catalog.conftest import Shop


def test_the_copy_has_everything_but_its_own_slug_title_and_is_inactive(shop: Shop) -> None:
    source_id = shop.event(
        hosts=("member", "manager"),
        meeting_type="round_robin",
        description="Bring your CV.",
        duration_minutes=45,
        slot_increment_minutes=15,
        buffer_before=5,
        buffer_after=10,
        min_notice_hours=4,
        booking_window_days=21,
        max_daily_bookings=2,
        max_weekly_bookings=6,
        require_approval=True,
        allow_guests=True,
        guest_limit=3,
        collect_phone=True,
        display_timezone="Asia/Tokyo",
        lock_timezone=True,
        location_type="phone",
        confirmation_page_type="custom",
        confirmation_custom_html="<p>Thanks!</p>",
        show_reschedule_link=False,
        conversion_script_url="https://tags.acme.test/c.js",
    )
    with tenant_session(shop.db.app_engine, shop.org) as s:
        admin = shop.actor("admin")
        set_questions(
            s,
            admin,
            source_id,
            [
                QuestionInput("Level", "select", True, ["Junior", "Senior"], "Be honest."),
                QuestionInput("Portfolio", "text"),
            ],
        )
        set_prep_resources(s, admin, source_id, [PrepInput("Guide", "https://acme.test/g", "Ch 1")])
        s.add(
            EmailTemplate(
                org_id=shop.org,
                event_id=source_id,
                kind=TemplateKind.CONFIRMATION,
                subject="See you, {{ attendee.name }}",
                body="Hello",
            )
        )
    with tenant_session(shop.db.app_engine, shop.org) as s:
        copy = duplicate_event(s, shop.actor("manager"), source_id)
        again = duplicate_event(s, shop.actor("manager"), source_id)
    source, copied = shop.load(source_id), shop.load(copy.id)
    assert (copied.slug, copied.title, copied.is_active) == (
        "office-chat-copy",
        "Office chat (copy)",
        False,
    )
    assert again.slug == "office-chat-copy-2"
    same = [f for f in SETTINGS if f not in ("slug", "title", "is_active")]
    assert {f: getattr(copied, f) for f in same} == {f: getattr(source, f) for f in same}
    with tenant_session(shop.db.app_engine, shop.org) as s:
        assert host_ids_of(s, copy.id) == [shop.id("member"), shop.id("manager")]
        questions = [
            (q.label, q.question_type.value, q.required, q.options, q.help_text, q.position)
            for q in active_questions(s, copy.id)
        ]
        prep = [(p.title, p.url, p.description) for p in prep_resources(s, copy.id)]
        templates = s.execute(
            select(EmailTemplate.kind, EmailTemplate.subject).where(
                EmailTemplate.event_id == copy.id
            )
        ).all()
        source_questions = {q.id for q in active_questions(s, source_id)}
        copied_questions = {q.id for q in active_questions(s, copy.id)}
        assert s.get(Event, (shop.org, source_id)).is_active  # type: ignore[union-attr]
    assert questions == [
        ("Level", "select", True, ["Junior", "Senior"], "Be honest.", 0),
        ("Portfolio", "text", False, [], None, 1),
    ]
    assert not source_questions & copied_questions  # new rows, not shared ones
    assert prep == [("Guide", "https://acme.test/g", "Ch 1")]
    assert templates == [(TemplateKind.CONFIRMATION, "See you, {{ attendee.name }}")]
    entry = shop.audit("event.duplicated")[0]
    assert entry.entity_id == copy.id and entry.actor_label == "manager@acme.test"
    assert entry.new_values["duplicated_from"] == str(source_id)
    assert (
        entry.new_values["questions"],
        entry.new_values["prep_resources"],
        entry.new_values["email_templates"],
    ) == (2, 1, 1)
