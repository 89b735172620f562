"""Mailbox: the messages delivered to VAR_DIR/mail when no SMTP server is set.

Reading it needs organisation-wide team.manage (administrators): it holds every attendee's
mail, and with it their self-service links, which let whoever holds them reschedule or
cancel in the attendee's name. Each organisation sees only the messages sent for it.
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from admin_streamlit.auth import current_actor
from admin_streamlit.frames import show_email_html
from admin_streamlit.state import config
from scheduling.access import NotAllowed
from scheduling.notify.mail import mail_folder
from scheduling.notify.mailbox import MessageNotFound, list_mail, read_mail, smtp_server

actor = current_actor()
assert actor is not None
st.title("Mailbox")

settings = config()
folder = mail_folder(settings)
server = smtp_server(settings)
if server:
    st.info(
        f"SMTP_URL is set: messages are sent through {server}, so nothing new lands here. "
        "Anything listed below was written before it was set."
    )
else:
    st.caption(f"No SMTP server is set (SMTP_URL), so messages are written to {folder}.")

try:
    messages = list_mail(actor, folder)
except NotAllowed as exc:
    st.error(str(exc))
    st.stop()
if not messages:
    st.info("No messages yet. Book a meeting and they appear here once the worker sends them.")
    st.stop()

st.dataframe(
    pl.DataFrame(
        [
            {
                "date (UTC)": m.date,
                "to": m.to,
                "subject": m.subject,
                "kind": m.kind,
            }
            for m in messages
        ],
        schema_overrides={"date (UTC)": pl.Datetime(time_zone="UTC")},
    ),
    hide_index=True,
    width="stretch",
)
st.caption(
    f"{len(messages)} messages, newest first"
    + (" (the latest 200)" if len(messages) == 200 else "")
)

labels = {f"{m.date:%Y-%m-%d %H:%M:%S} · {m.to} · {m.subject}": m.name for m in messages}
choice = st.selectbox("Open a message", list(labels), key="mb_choice")
try:
    message = read_mail(actor, folder, labels[choice])
except MessageNotFound as exc:  # removed from the folder since the list was read
    st.warning(str(exc))
    st.stop()

summary = message.summary
st.dataframe(
    pl.DataFrame(
        {
            "header": ["From", "To", "Date", "Subject", "Kind", "Booking", "Message-ID"],
            "value": [
                summary.sender,
                summary.to,
                f"{summary.date:%A %d %B %Y, %H:%M:%S} UTC",
                summary.subject,
                summary.kind,
                summary.booking_id,
                message.message_id,
            ],
        }
    ),
    hide_index=True,
    width="stretch",
)
as_html, as_text, attached = st.tabs(
    ["HTML", "Plain text", f"Attachments ({len(message.attachments)})"]
)
with as_html:
    if message.html:
        show_email_html(message.html, height=480, title=f"HTML of: {summary.subject}")
    else:
        st.caption("This message has no HTML part.")
with as_text:
    st.code(message.text or "(no plain-text part)", language=None, wrap_lines=True)
with attached:
    if not message.attachments:
        st.caption("No attachments.")
    for i, attachment in enumerate(message.attachments):
        st.download_button(
            f"Download {attachment.filename} ({attachment.content_type}, "
            f"{len(attachment.data):,} bytes)",
            attachment.data,
            file_name=attachment.filename,
            mime=attachment.content_type,
            key=f"mb_attachment_{i}",
        )
