"""The Bookings page's parts for one booking: its details and what staff can change.

Each change runs one scheduling service in its own transaction. A refusal is shown next to
the field it concerns (admin_streamlit.forms); a success reruns the page with a message.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from functools import partial
from typing import Any, NoReturn
from zoneinfo import ZoneInfo

import polars as pl
import streamlit as st
from sqlalchemy.orm import Session

from admin_streamlit import forms
from admin_streamlit.flash import flash
from admin_streamlit.forms import field_error, form_error
from admin_streamlit.state import engine
from scheduling.access import Actor, NotAllowed
from scheduling.booking import (
    BookingDetail,
    BookingError,
    EventNotFound,
    HostUnavailable,
    InvalidBooking,
    add_note,
    add_tag,
    approve_booking,
    cancel_booking,
    complete_task,
    create_task,
    decline_booking,
    delete_note,
    delete_task,
    get_event,
    list_slots,
    mark_attendance,
    possible_new_hosts,
    reassign_booking,
    remove_tag,
    reschedule_booking,
)
from scheduling.booking.engagement import assignees, zone_of
from scheduling.db import tenant_session
from scheduling.models import Attendance

NEXT_CHOICE = "bk_choice_next"  # the booking to select on the next run
LIVE = ("confirmed", "pending_approval")
SEARCH_DAYS = 7
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def esc(text: str) -> str:
    """Attendee-written text shown as itself, never as Markdown (no links or images)."""
    return _MARKDOWN.sub(r"\\\1", text)


def run(actor: Actor, form: str, work: Callable[[Session], Any], field: str = "") -> Any:
    """Run `work` in one transaction; on refusal show why (next to `field` when the error
    names no field) and stop; on success forget the form's old errors."""
    return forms.attempt(
        actor.org_id,
        form,
        work,
        by_field=(InvalidBooking, HostUnavailable),
        refusals=(BookingError, NotAllowed),
        field=field,
    )


def done(message: str, *reset: str, select: uuid.UUID | None = None) -> NoReturn:
    """Rerun with `message`, emptying the widgets `reset` and choosing booking `select`."""
    if select is not None:
        st.session_state[NEXT_CHOICE] = str(select)
    flash(message, reset)


def _when(at: datetime, zone: str) -> str:
    local = at.astimezone(ZoneInfo(zone))
    return f"{local:%a %d %b %Y, %H:%M} ({zone})"


def show_detail(detail: BookingDetail) -> None:
    """Who, when, answers, feedback and history of one booking (read-only)."""
    zone = detail.attendee.timezone or "UTC"
    st.markdown(
        f"**{esc(detail.event)}** · {detail.starts_at:%a %d %b %Y, %H:%M} to "
        f"{detail.ends_at:%H:%M} UTC · {esc(_when(detail.starts_at, zone))} for the attendee"
    )
    who, hosting, feedback = st.columns(3)
    with who:
        st.markdown("**Attendee**")
        a = detail.attendee
        st.markdown(
            "  \n".join(esc(x) for x in (a.name, a.email, a.phone or "", a.timezone or "") if x)
        )
        if detail.guests:
            st.markdown("**Guests**  \n" + "  \n".join(esc(g) for g in detail.guests))
    with hosting:
        st.markdown("**Hosts**  \n" + "  \n".join(esc(h.name) for h in detail.hosts))
        st.markdown(
            f"**Status** {detail.status.replace('_', ' ')} · **attendance** "
            f"{detail.attendance.replace('_', ' ')}"
        )
        if detail.cancellation_reason:
            st.markdown(f"**Reason** {esc(detail.cancellation_reason)}")
        if detail.moved_to_id:
            st.caption("This booking was rescheduled; the new time is a booking of its own.")
    with feedback:
        _feedback(detail)
    if detail.answers:
        st.markdown("**Answers**")
        st.dataframe(
            pl.DataFrame(
                {
                    "question": [q for q, _ in detail.answers],
                    "answer": [a for _, a in detail.answers],
                }
            ),
            hide_index=True,
            width="stretch",
            key="bk_answers",
        )
    with st.expander(f"History ({len(detail.history)})"):
        st.dataframe(
            pl.DataFrame(
                [
                    {"at": h.at, "what": h.what, "by": h.by, "details": h.details}
                    for h in detail.history
                ],
                schema={
                    "at": pl.Datetime(time_zone="UTC"),
                    "what": pl.Utf8,
                    "by": pl.Utf8,
                    "details": pl.Utf8,
                },
            ),
            hide_index=True,
            width="stretch",
            key="bk_history",
        )


def _feedback(detail: BookingDetail) -> None:
    st.markdown("**Feedback**")
    fb = detail.feedback
    if fb is None:
        st.caption("No feedback yet.")
        return
    rating, nps = st.columns(2)
    rating.metric("Rating", f"{fb.rating}/5")
    nps.metric("Would recommend", "—" if fb.nps_score is None else f"{fb.nps_score}/10")
    if fb.comment:
        st.markdown(f"> {esc(fb.comment)}")


def show_attachments(detail: BookingDetail) -> None:
    """Tags, notes and tasks, read-only (for people who may not change the booking)."""
    st.markdown("**Tags** " + (", ".join(esc(t.name) for t in detail.tags) or "none"))
    for note in detail.notes:
        st.markdown(f"**{esc(note.author or 'Someone')}**, {note.created_at:%d %b %H:%M} UTC")
        st.markdown(esc(note.body))
    for task in detail.tasks:
        st.markdown(
            ("~~" if task.done_at else "") + esc(task.title) + ("~~" if task.done_at else "")
        )


def status_actions(actor: Actor, detail: BookingDetail) -> None:
    """Approve or decline, cancel for the attendee, record attendance."""
    form = "bk_status"
    form_error(form)
    booking_id, now = detail.id, datetime.now(UTC)
    reason = st.text_input("Reason (sent to the attendee)", key="bk_reason")
    buttons = st.columns(5)
    if detail.status == "pending_approval":
        if buttons[0].button("Approve", key="bk_approve", type="primary"):
            run(actor, form, lambda s: approve_booking(s, booking_id, now=now, actor=actor))
            done("Approved; the attendee has been sent the invitation.")
        if buttons[1].button("Decline", key="bk_decline"):
            run(
                actor,
                form,
                lambda s: decline_booking(s, booking_id, now=now, actor=actor, reason=reason),
            )
            done("Declined; the attendee has been told.", "bk_reason")
    upcoming = detail.starts_at > now
    if upcoming and detail.status in LIVE and buttons[2].button("Cancel booking", key="bk_cancel"):
        run(
            actor,
            form,
            lambda s: cancel_booking(s, booking_id, now=now, actor=actor, reason=reason),
        )
        done("Cancelled; everyone has been told.", "bk_reason")
    if detail.status == "confirmed" and not upcoming:
        for column, (label, value) in zip(
            buttons[3:],
            (("Attended", Attendance.ATTENDED), ("No-show", Attendance.NO_SHOW)),
            strict=True,
        ):
            if column.button(label, key=f"bk_{value.value}"):
                record(actor, form, booking_id, value, now)
                done(f"Recorded: {label.lower()}.")


def record(
    actor: Actor, form: str, booking_id: uuid.UUID, attendance: Attendance, now: datetime
) -> None:
    """Record whether the attendee came."""
    run(actor, form, lambda s: mark_attendance(s, actor, booking_id, attendance, now=now))


def untag(actor: Actor, form: str, booking_id: uuid.UUID, tag_id: uuid.UUID) -> None:
    """Take one tag off the booking."""
    run(actor, form, lambda s: remove_tag(s, actor, booking_id, tag_id))


def reschedule(actor: Actor, detail: BookingDetail) -> None:
    """Move the booking to another time the event offers; the attendee is emailed."""
    form = "bk_move"
    now = datetime.now(UTC)
    if detail.status not in LIVE or detail.starts_at <= now:
        st.caption("Only upcoming bookings that are confirmed or awaiting approval can be moved.")
        return
    form_error(form, ("start",))
    zone = detail.attendee.timezone or "UTC"
    first = st.date_input(
        "Free times from",
        value=max(date.today(), detail.starts_at.date()),
        min_value=date.today(),
        key="bk_move_from",
    )
    lo = datetime.combine(first, time(), tzinfo=ZoneInfo(zone))
    try:
        with tenant_session(engine(), actor.org_id) as session:
            event = get_event(session, event_id=detail.event_id)
            slots = list_slots(
                session,
                event,
                lo,
                lo + timedelta(days=SEARCH_DAYS),
                now=now,
                exclude_booking=detail.id,
            )
    except EventNotFound:
        st.caption("This event is switched off, so it offers no new times.")
        return
    starts = {s.start.isoformat(): s.start for s in slots if s.start != detail.starts_at}
    if not starts:
        st.caption(f"No free times in the {SEARCH_DAYS} days from {first:%d %b}; try later dates.")
        return
    pick = st.selectbox(
        f"New time (the attendee's zone, {zone})",
        list(starts),
        format_func=lambda k: f"{_when(starts[k], zone)} · {starts[k]:%H:%M} UTC",
        key="bk_move_to",
    )
    field_error(form, "start")
    if st.button("Move booking", key="bk_move_button", type="primary"):
        new_start = starts[pick]
        result = run(
            actor,
            form,
            lambda s: reschedule_booking(s, detail.id, new_start, now=now, actor=actor),
            field="start",
        )
        done(
            f"Moved to {_when(new_start, zone)}; {detail.attendee.name} has been emailed.",
            "bk_move_to",
            select=result.booking.id,
        )


def reassign(actor: Actor, detail: BookingDetail) -> None:
    """Hand the booking to another host of its event who is free then."""
    form = "bk_reassign"
    now = datetime.now(UTC)
    if detail.meeting_type == "group":
        st.caption("Bookings of a group session keep the session's host.")
        return
    if detail.status not in LIVE or detail.starts_at <= now:
        st.caption("Only upcoming bookings that are confirmed or awaiting approval can move host.")
        return
    with tenant_session(engine(), actor.org_id) as session:
        candidates = dict(possible_new_hosts(session, actor, detail.id))
    if not candidates:
        st.caption(
            "Nobody else you may hand bookings to hosts this event; add hosts to the event first."
        )
        return
    form_error(form, ("from_host", "to_host"))
    names = {h.id: h.name for h in detail.hosts} | candidates
    with st.form(form):
        from_host = None
        if len(detail.hosts) > 1:
            from_host = st.selectbox(
                "Replace",
                [h.id for h in detail.hosts],
                format_func=lambda i: names.get(i, ""),
                key="bk_from_host",
            )
            field_error(form, "from_host")
        to_host: uuid.UUID = st.selectbox(
            "Hand to", list(candidates), format_func=lambda i: names.get(i, ""), key="bk_to_host"
        )
        field_error(form, "to_host")
        submitted = st.form_submit_button("Reassign")
    if submitted:
        run(
            actor,
            form,
            lambda s: reassign_booking(
                s, detail.id, to_host, now=now, actor=actor, from_host_id=from_host
            ),
            field="to_host",
        )
        done(f"{candidates[to_host]} now hosts this booking; the attendee and both hosts are told.")


def tags(actor: Actor, detail: BookingDetail) -> None:
    """The booking's tags, each removable, and a field to add one (new names make a tag)."""
    form = "bk_tag"
    form_error(form, ("tag",))
    for tag in detail.tags:
        label, remove = st.columns([4, 1])
        label.markdown(f"`{tag.name.replace('`', '')}`")
        if remove.button("Remove", key=f"bk_untag_{tag.id}"):
            untag(actor, form, detail.id, tag.id)
            done(f"Tag {tag.name} removed.")
    with st.form(form):
        name = st.text_input("Tag", key="bk_tag_name", help="Reuses a tag of that name if any.")
        field_error(form, "tag")
        submitted = st.form_submit_button("Add tag")
    if submitted:
        tag = run(actor, form, lambda s: add_tag(s, actor, detail.id, name), field="tag")
        done(f"Tagged {tag.name}.", "bk_tag_name")


def notes(actor: Actor, detail: BookingDetail) -> None:
    """Notes on the booking, oldest first, and a field to write one."""
    form = "bk_note"
    form_error(form, ("note",))
    for note in detail.notes:
        head, remove = st.columns([4, 1])
        head.markdown(f"**{esc(note.author or 'Someone')}**, {note.created_at:%d %b %H:%M} UTC")
        if remove.button("Delete", key=f"bk_note_del_{note.id}"):
            run(actor, form, partial(delete_note, actor=actor, note_id=note.id))
            done("Note deleted.")
        st.markdown(esc(note.body))
    with st.form(form):
        body = st.text_area("Note", key="bk_note_body")
        field_error(form, "note")
        submitted = st.form_submit_button("Add note")
    if submitted:
        run(actor, form, lambda s: add_note(s, actor, detail.id, body), field="note")
        done("Note added.", "bk_note_body")


def tasks(actor: Actor, detail: BookingDetail) -> None:
    """Follow-up tasks: tick off, reopen or delete them; add one with assignee and due time."""
    form = "bk_task"
    now = datetime.now(UTC)
    with tenant_session(engine(), actor.org_id) as session:
        people = dict(assignees(session))
        zone = zone_of(session, actor.admin_id)
    form_error(form, ("title", "assignee", "due_at"))
    for task in detail.tasks:
        title, who, due, toggle, remove = st.columns([3, 2, 2, 1, 1])
        title.markdown(
            ("~~" if task.done_at else "") + esc(task.title) + ("~~" if task.done_at else "")
        )
        who.markdown(esc(task.assignee) or "Nobody")
        due.markdown(_when(task.due_at, zone) if task.due_at else "No due time")
        finished = task.done_at is not None
        if toggle.button("Reopen" if finished else "Done", key=f"bk_task_done_{task.id}"):
            run(
                actor,
                form,
                partial(complete_task, actor=actor, task_id=task.id, now=now, done=not finished),
            )
            done(f"Task {'reopened' if finished else 'done'}: {task.title}.")
        if remove.button("Delete", key=f"bk_task_del_{task.id}"):
            run(actor, form, partial(delete_task, actor=actor, task_id=task.id))
            done(f"Task deleted: {task.title}.")
    with st.form(form):
        title_text = st.text_input("Task", key="bk_task_title")
        field_error(form, "title")
        assignee = st.selectbox(
            "For", [None, *people], format_func=lambda i: people.get(i, "Nobody"), key="bk_task_for"
        )
        field_error(form, "assignee")
        day_col, time_col = st.columns(2)
        due_day = day_col.date_input(f"Due ({zone})", value=None, key="bk_task_due_day")
        due_time = time_col.time_input("at", value=time(9), key="bk_task_due_time")
        field_error(form, "due_at")
        submitted = st.form_submit_button("Add task")
    if submitted:
        due_at = datetime.combine(due_day, due_time, tzinfo=ZoneInfo(zone)) if due_day else None
        run(
            actor,
            form,
            lambda s: create_task(
                s, actor, detail.id, title_text, assignee_id=assignee, due_at=due_at
            ),
            field="title",
        )
        done(
            f"Task added: {' '.join(title_text.split())}.",
            "bk_task_title",
            "bk_task_for",
            "bk_task_due_day",
        )
