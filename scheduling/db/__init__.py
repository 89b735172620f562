"""Database access: engines, tenant-scoped sessions, migrations, embedded Postgres."""

from scheduling.db.engine import (
    DatabaseError,
    DatabaseUrls,
    app_engine,
    database_urls,
    make_engine,
    owner_engine,
    safe_url,
)
from scheduling.db.tenant import TenantRequired, new_session, tenant_session

__all__ = [
    "DatabaseError",
    "DatabaseUrls",
    "TenantRequired",
    "app_engine",
    "database_urls",
    "make_engine",
    "new_session",
    "owner_engine",
    "safe_url",
    "tenant_session",
]
