"""One module per service area, each naming its service MODULES and its audit CASES.

A case maps a service function's name to (the audit action it must record, a call that
performs it given the session, the organisation id and the ids `world` seeded: "host",
"booked", "pending"). tests/access/test_audit.py gathers every module here, so adding an
area never touches another area's file.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

Write = Callable[[Session, uuid.UUID, dict[str, Any]], Any]
Cases = dict[str, tuple[str, Write]]
