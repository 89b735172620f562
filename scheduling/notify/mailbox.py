"""Reading the messages delivered to VAR_DIR/mail when no SMTP server is configured.

One folder serves the whole installation, so each organisation sees only the messages
stamped with its id (the X-LiveSchool-Org header the sender adds). Those messages hold
every attendee's self-service link, so reading them needs organisation-wide team.manage.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email import message_from_bytes
from email.message import EmailMessage
from email.parser import BytesHeaderParser
from email.policy import default as default_policy
from email.utils import parsedate_to_datetime
from pathlib import Path

from scheduling.access import Actor, require
from scheduling.config import Config, ConfigError
from scheduling.notify.mail import ORG_HEADER, SmtpMailer

_NAME = re.compile(r"^(\d+)-[0-9a-f]{8}\.eml$")  # what FileMailer writes: <time_ns>-<hex>.eml
_headers = BytesHeaderParser(policy=default_policy)


class MessageNotFound(LookupError):
    """No such message in this organisation's mailbox."""

    code, status = "message_not_found", 404


@dataclass(frozen=True, slots=True)
class MailSummary:
    """One line of the mailbox."""

    name: str  # the file name: the message's id in the mailbox
    date: datetime
    sender: str
    to: str
    subject: str
    kind: str  # confirmation, reminder, ... ("" if not a booking message)
    booking_id: str


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file attached to a message."""

    filename: str
    content_type: str
    data: bytes


@dataclass(frozen=True, slots=True)
class MailMessage:
    """One message opened: its headers, both bodies and its attachments."""

    summary: MailSummary
    message_id: str
    text: str
    html: str
    attachments: tuple[Attachment, ...]


def smtp_server(config: Config) -> str | None:
    """Where mail goes instead of the folder: the SMTP server as `host:port` (never its
    credentials), or None when messages land in the folder."""
    if not config.smtp_url:
        return None
    try:
        server = SmtpMailer(config.smtp_url)
    except ConfigError:
        return "an SMTP server (SMTP_URL is not valid)"
    return f"{server.host}:{server.port}"


def _require(actor: Actor) -> None:
    require(actor, "team.manage", frozenset(), what="read the mailbox")


def _files_newest_first(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    named = [(int(m.group(1)), p) for p in folder.iterdir() if (m := _NAME.match(p.name))]
    return [p for _, p in sorted(named, key=lambda pair: (pair[0], pair[1].name), reverse=True)]


def _summary(path: Path, headers: EmailMessage) -> MailSummary:
    match = _NAME.match(path.name)
    assert match is not None
    try:
        date = parsedate_to_datetime(str(headers["Date"]))
    except (TypeError, ValueError):  # no Date header: the time the file was written
        date = datetime.fromtimestamp(int(match.group(1)) / 1e9, UTC)
    return MailSummary(
        name=path.name,
        date=date.astimezone(UTC),
        sender=_header(headers, "From"),
        to=_header(headers, "To"),
        subject=_header(headers, "Subject"),
        kind=_header(headers, "X-LiveSchool-Kind"),
        booking_id=_header(headers, "X-LiveSchool-Booking"),
    )


def _header(message: EmailMessage, name: str) -> str:
    """A header's value; a fold right after the colon would otherwise leave a leading space."""
    return str(message[name] or "").strip()


def _ours(actor: Actor, headers: EmailMessage) -> bool:
    return _header(headers, ORG_HEADER) == str(actor.org_id)


def list_mail(actor: Actor, folder: Path, *, limit: int = 200) -> list[MailSummary]:
    """The organisation's messages in `folder`, newest first, at most `limit`."""
    _require(actor)
    found: list[MailSummary] = []
    for path in _files_newest_first(folder):
        with path.open("rb") as f:
            headers = _headers.parse(f)
        if _ours(actor, headers):  # type: ignore[arg-type]
            found.append(_summary(path, headers))  # type: ignore[arg-type]
            if len(found) == limit:
                break
    return found


def read_mail(actor: Actor, folder: Path, name: str) -> MailMessage:
    """One message of the organisation's, by its name in the mailbox."""
    _require(actor)
    path = folder / name
    if not _NAME.match(name) or not path.is_file():
        raise MessageNotFound("That message is not in the mailbox.")
    message = message_from_bytes(path.read_bytes(), policy=default_policy)
    assert isinstance(message, EmailMessage)
    if not _ours(actor, message):
        raise MessageNotFound("That message is not in the mailbox.")
    text, html = (message.get_body((subtype,)) for subtype in ("plain", "html"))
    return MailMessage(
        summary=_summary(path, message),
        message_id=_header(message, "Message-ID"),
        text=str(text.get_content()) if text else "",
        html=str(html.get_content()) if html else "",
        attachments=tuple(
            Attachment(
                part.get_filename() or "attachment",
                part.get_content_type(),
                part.get_payload(decode=True) or b"",  # type: ignore[arg-type]
            )
            for part in message.iter_attachments()
        ),
    )
