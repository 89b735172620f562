"""Sending mail: through SMTP when SMTP_URL is set, else into .eml files under VAR_DIR/mail."""

from __future__ import annotations

import smtplib
import ssl
import time
import uuid
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol
from urllib.parse import parse_qs, unquote, urlsplit

from scheduling.config import Config, ConfigError

ORG_HEADER = "X-LiveSchool-Org"  # the organisation a message belongs to


class Mailer(Protocol):
    """Delivers one message or raises."""

    def send(self, message: EmailMessage) -> None:
        """Deliver `message` to every recipient in its headers."""


class SmtpMailer:
    """SMTP delivery: `smtp://user:pass@host:587?starttls=true` or `smtps://host:465`."""

    def __init__(self, url: str, timeout: float = 30.0) -> None:
        parts = urlsplit(url)
        if parts.scheme not in {"smtp", "smtps"} or not parts.hostname:
            raise ConfigError("SMTP_URL must look like smtp://user:password@host:587.")
        self.ssl = parts.scheme == "smtps"
        self.host = parts.hostname
        self.port = parts.port or (465 if self.ssl else 25)
        self.username = unquote(parts.username) if parts.username else None
        self.password = unquote(parts.password) if parts.password else None
        self.starttls = parse_qs(parts.query).get("starttls", ["false"])[0] == "true"
        self.timeout = timeout

    def send(self, message: EmailMessage) -> None:
        """Open a connection, authenticate if configured, send, close."""
        context = ssl.create_default_context()
        smtp = (
            smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=context)
            if self.ssl
            else smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        )
        with smtp:
            if self.starttls:
                smtp.starttls(context=context)
            if self.username:
                smtp.login(self.username, self.password or "")
            smtp.send_message(message)


class FileMailer:
    """Development delivery: each message becomes one .eml file in `folder`."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def send(self, message: EmailMessage) -> None:
        """Write the message atomically, named by time so a listing is chronological."""
        self.folder.mkdir(parents=True, exist_ok=True)
        name = f"{time.time_ns()}-{uuid.uuid4().hex[:8]}.eml"
        tmp = self.folder / f".{name}.tmp"
        tmp.write_bytes(bytes(message))
        tmp.rename(self.folder / name)


def mail_folder(config: Config) -> Path:
    """Where messages land when no SMTP server is configured."""
    return config.var_dir / "mail"


def mailer_for(config: Config) -> Mailer:
    """The configured mailer."""
    if config.smtp_url:
        return SmtpMailer(config.smtp_url)
    return FileMailer(mail_folder(config))
