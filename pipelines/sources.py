"""What the pipeline copies from Postgres: one `Source` per table the warehouse models read.

Each source names its Postgres table, the columns it keeps (as Postgres expressions and as
DuckDB types, so the raw tables exist before any row arrives) and how it is kept current:

- `incremental`: a watermark per organisation on (`cursor`, id); changed rows are upserted.
- `child`: rows without timestamps that belong to a parent source (a booking's hosts); they
  are replaced for every parent row that changed, in the same snapshot.
- `snapshot`: small tables without timestamps, replaced whole for the organisation each run.

A full reconcile (`liveschool pipeline run --full`, or automatically once a day) builds every
table again from scratch, which is what removes rows deleted in Postgres, and also picks up
rows written with a cursor time older than the watermark's overlap (a backfill).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Strategy = Literal["incremental", "child", "snapshot"]


@dataclass(frozen=True, slots=True)
class Column:
    """One kept column: its warehouse name, DuckDB type and the Postgres expression read."""

    name: str
    type: str
    expression: str | None = None

    @property
    def select(self) -> str:
        """The column as it appears in the extract's SELECT list."""
        if self.expression is None:
            return f"t.{self.name}"
        return f"{self.expression} AS {self.name}"


@dataclass(frozen=True, slots=True)
class Source:
    """One Postgres table copied into the warehouse as `raw_<name>`."""

    name: str
    table: str
    columns: tuple[Column, ...]
    strategy: Strategy
    cursor: str | None = None
    parent: str | None = None
    parent_key: str | None = None

    @property
    def raw_table(self) -> str:
        """Name of the warehouse table holding the copied rows."""
        return f"raw_{self.name}"

    @property
    def column_names(self) -> tuple[str, ...]:
        """Warehouse column names, in order."""
        return tuple(c.name for c in self.columns)

    def create_sql(self) -> str:
        """DDL of the raw table (identifiers only; no values)."""
        cols = ", ".join(f"{c.name} {c.type}" for c in self.columns)
        return f"CREATE TABLE IF NOT EXISTS {self.raw_table} ({cols})"

    def select_sql(self) -> str:
        """The whole table for the current organisation (row-level security filters it)."""
        cols = ", ".join(c.select for c in self.columns)
        return f"SELECT {cols} FROM {self.table} t"  # noqa: S608 (identifiers from code)


def _cols(spec: str) -> tuple[Column, ...]:
    """Columns from 'name TYPE' lines; a third part after '=' is the Postgres expression."""
    out = []
    for line in spec.strip().splitlines():
        left, _, expression = line.partition("=")
        name, type_ = left.split(maxsplit=1)
        out.append(Column(name, type_.strip(), expression.strip() or None))
    return tuple(out)


SOURCES: tuple[Source, ...] = (
    Source(
        "organizations",
        "oh_organizations",
        _cols(
            """
            org_id UUID = t.id
            name VARCHAR
            timezone VARCHAR
            """
        ),
        "snapshot",
    ),
    Source(
        "hosts",
        "oh_admins",
        _cols(
            """
            org_id UUID
            id UUID
            name VARCHAR
            slug VARCHAR
            timezone VARCHAR
            is_host BOOLEAN
            is_active BOOLEAN
            updated_at TIMESTAMPTZ
            """
        ),
        "incremental",
        cursor="updated_at",
    ),
    Source(
        "teams",
        "oh_teams",
        _cols(
            """
            org_id UUID
            id UUID
            name VARCHAR
            slug VARCHAR
            is_active BOOLEAN
            updated_at TIMESTAMPTZ
            """
        ),
        "incremental",
        cursor="updated_at",
    ),
    Source(
        "team_members",
        "oh_team_members",
        _cols(
            """
            org_id UUID
            id UUID
            team_id UUID
            admin_id UUID
            role VARCHAR = t.role::text
            """
        ),
        "snapshot",
    ),
    Source(
        "events",
        "oh_events",
        _cols(
            """
            org_id UUID
            id UUID
            slug VARCHAR
            title VARCHAR
            meeting_type VARCHAR = t.meeting_type::text
            duration_minutes INTEGER
            capacity INTEGER
            display_timezone VARCHAR
            is_active BOOLEAN
            updated_at TIMESTAMPTZ
            """
        ),
        "incremental",
        cursor="updated_at",
    ),
    Source(
        "event_hosts",
        "oh_event_hosts",
        _cols(
            """
            org_id UUID
            event_id UUID
            admin_id UUID
            is_primary BOOLEAN
            """
        ),
        "child",
        parent="events",
        parent_key="event_id",
    ),
    Source(
        "schedules",
        "oh_availability_schedules",
        _cols(
            """
            org_id UUID
            id UUID
            admin_id UUID
            timezone VARCHAR
            is_default BOOLEAN
            updated_at TIMESTAMPTZ
            """
        ),
        "incremental",
        cursor="updated_at",
    ),
    Source(
        "availability_rules",
        "oh_availability_rules",
        _cols(
            """
            org_id UUID
            id UUID
            schedule_id UUID
            weekday SMALLINT
            start_time TIME
            end_time TIME
            """
        ),
        "snapshot",
    ),
    Source(
        "bookings",
        "oh_bookings",
        _cols(
            """
            org_id UUID
            id UUID
            event_id UUID
            slot_id UUID
            status VARCHAR = t.status::text
            attendance VARCHAR = t.attendance::text
            starts_at TIMESTAMPTZ
            ends_at TIMESTAMPTZ
            rescheduled_from_id UUID
            cancelled_at TIMESTAMPTZ
            seats INTEGER
            source VARCHAR
            referrer VARCHAR
            utm_source VARCHAR
            utm_medium VARCHAR
            utm_campaign VARCHAR
            created_at TIMESTAMPTZ
            updated_at TIMESTAMPTZ
            """
        ),
        "incremental",
        cursor="updated_at",
    ),
    Source(
        "booking_hosts",
        "oh_booking_hosts",
        _cols(
            """
            org_id UUID
            booking_id UUID
            admin_id UUID
            """
        ),
        "child",
        parent="bookings",
        parent_key="booking_id",
    ),
    Source(
        "booking_tags",
        "oh_booking_tags",
        _cols(
            """
            org_id UUID
            booking_id UUID
            tag_id UUID
            """
        ),
        "child",
        parent="bookings",
        parent_key="booking_id",
    ),
    Source(
        "attendees",
        "oh_attendees",
        # Only a digest of the address reaches the warehouse: enough to tell returning
        # attendees, no contact data for analysts.
        _cols(
            """
            org_id UUID
            id UUID
            booking_id UUID
            email_digest VARCHAR = md5(lower(t.email))
            timezone VARCHAR
            is_guest BOOLEAN
            created_at TIMESTAMPTZ
            updated_at TIMESTAMPTZ
            """
        ),
        "incremental",
        cursor="updated_at",
    ),
    Source(
        "questions",
        "oh_questions",
        _cols(
            """
            org_id UUID
            id UUID
            event_id UUID
            label VARCHAR
            question_type VARCHAR = t.question_type::text
            position INTEGER
            updated_at TIMESTAMPTZ
            """
        ),
        "incremental",
        cursor="updated_at",
    ),
    Source(
        "answers",
        "oh_answers",
        _cols(
            """
            org_id UUID
            id UUID
            booking_id UUID
            question_id UUID
            value JSON
            created_at TIMESTAMPTZ
            updated_at TIMESTAMPTZ
            """
        ),
        "incremental",
        cursor="updated_at",
    ),
    Source(
        "feedback",
        "oh_feedback",
        _cols(
            """
            org_id UUID
            id UUID
            booking_id UUID
            rating SMALLINT
            nps_score SMALLINT
            created_at TIMESTAMPTZ
            updated_at TIMESTAMPTZ
            """
        ),
        "incremental",
        cursor="updated_at",
    ),
    Source(
        "tags",
        "oh_tags",
        _cols(
            """
            org_id UUID
            id UUID
            name VARCHAR
            updated_at TIMESTAMPTZ
            """
        ),
        "incremental",
        cursor="updated_at",
    ),
    Source(
        "analytics_events",
        "oh_analytics_events",
        # Append-only, so created_at is the cursor; the user agent is left behind (no model
        # reads it and it is the widest column).
        _cols(
            """
            org_id UUID
            id UUID
            event_type VARCHAR
            event_id UUID
            booking_id UUID
            session_id VARCHAR
            referrer VARCHAR
            utm_source VARCHAR
            utm_medium VARCHAR
            utm_campaign VARCHAR
            metadata JSON
            created_at TIMESTAMPTZ
            """
        ),
        "incremental",
        cursor="created_at",
    ),
)

SOURCE_BY_NAME = {s.name: s for s in SOURCES}


def children_of(parent: str) -> tuple[Source, ...]:
    """The child sources that follow `parent`'s watermark."""
    return tuple(s for s in SOURCES if s.parent == parent)
