"""Run queued message jobs in the test process: the worker's code, without the queue."""

from __future__ import annotations

import dataclasses
import uuid
from pathlib import Path

from sqlalchemy import text

from scheduling.config import Config, get_config
from scheduling.models import TemplateKind
from scheduling.notify.tasks import send_booking_message
from scheduling.outbox import relay_all
from tests.conftest import TestDatabase


def file_config(var_dir: Path, **changes: object) -> Config:
    """Settings with no SMTP server, so mail lands as .eml files under `var_dir`/mail."""
    settings: dict[str, object] = {"smtp_url": None, "var_dir": var_dir} | changes
    return dataclasses.replace(get_config(), **settings)  # type: ignore[arg-type]


def deliver_queued(db: TestDatabase, config: Config) -> int:
    """Relay the outbox (as the worker does: new bookings' messages are queued from their
    events), then send every queued `notify.send` job through `config`'s mailer; return how
    many were sent."""
    relay_all(db.owner_engine, db.app_engine)
    with db.owner_engine.begin() as conn:
        jobs = (
            conn.execute(
                text(
                    "UPDATE procrastinate_jobs SET status = 'succeeded' WHERE status = 'todo' "
                    "AND task_name = 'notify.send' RETURNING args"
                )
            )
            .scalars()
            .all()
        )
    for args in sorted(jobs, key=lambda a: (a["is_host"], a["email"])):
        send_booking_message(
            db.app_engine,
            config,
            uuid.UUID(args["org_id"]),
            uuid.UUID(args["booking_id"]),
            TemplateKind(args["kind"]),
            args["email"],
            args["is_host"],
            args["starts_in"],
        )
    return len(jobs)
