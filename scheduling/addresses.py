"""Email address syntax, shared by attendee forms and staff invitations."""

from __future__ import annotations

import re
from email import errors
from email.headerregistry import Address

# Deliberately permissive: one @, no spaces, list separators or other characters an address
# may hold only in quotes, a dotted domain. Whether the mailbox exists is for the
# confirmation email to find out, not a regular expression.
EMAIL = re.compile(r'^[^@\s<>,;:()\[\]\\"]{1,64}@[^@\s<>,;:()\[\]\\"]+\.[^@\s<>,;:()\[\]\\"]{2,}$')
# An address whose both sides are dot-atoms of ASCII atext (RFC 5322 3.2.3): the header
# parser writes it back as it is, so it needs no parse (nearly every address is one).
_ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
DOT_ATOM_ADDRESS = re.compile(rf"^{_ATEXT}(?:\.{_ATEXT})*@{_ATEXT}(?:\.{_ATEXT})*$")


def valid_email(text: str) -> bool:
    """Whether `text` (surrounding spaces ignored) looks like an email address that the
    mailer can also write in a header: an address taken here must never fail its mail."""
    address = text.strip()
    if not EMAIL.match(address):
        return False
    if DOT_ATOM_ADDRESS.match(address):
        return True
    try:
        parsed = Address(addr_spec=address)
    except (ValueError, IndexError, errors.HeaderParseError):
        return False
    return parsed.addr_spec == address
