"""Email address syntax, shared by attendee forms and staff invitations."""

from __future__ import annotations

import re

# Deliberately permissive: one @, no spaces or list separators, a dotted domain. Whether the
# mailbox exists is for the confirmation email to find out, not a regular expression.
EMAIL = re.compile(r"^[^@\s<>,;]{1,64}@[^@\s<>,;]+\.[^@\s<>,;]{2,}$")


def valid_email(text: str) -> bool:
    """Whether `text` (surrounding spaces ignored) looks like an email address."""
    return bool(EMAIL.match(text.strip()))
