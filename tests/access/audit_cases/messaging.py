"""Audit cases for editing message templates."""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from scheduling.access import Actor
from scheduling.booking import get_event
from scheduling.models import TemplateKind
from scheduling.notify import editing
from tests.access.audit_cases import Cases

MODULES = (editing,)


def _customise(s: Session, org: uuid.UUID) -> uuid.UUID:
    event_id = get_event(s, slug="call").id
    editing.update_template(
        s, Actor.system(org), TemplateKind.REMINDER, event_id, "Soon: {{ event_title }}", "Hi"
    )
    return event_id


CASES: Cases = {
    "update_template": (
        "template.updated",
        lambda s, o, w: editing.update_template(
            s, Actor.system(o), TemplateKind.CONFIRMATION, None, "Booked", "See you {{ when }}"
        ),
    ),
    "reset_template": (
        "template.reset",
        lambda s, o, w: editing.reset_template(
            s, Actor.system(o), TemplateKind.REMINDER, _customise(s, o)
        ),
    ),
}
