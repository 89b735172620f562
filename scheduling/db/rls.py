"""SQL that migrations use to make a table tenant-safe; kept stable so old migrations replay.

Every tenant table gets row-level security with FORCE (the owner is bound too) and one policy:
rows are visible and writable only when their `org_id` equals the transaction's `app.org_id`.
With no tenant set, `oh_current_org()` is NULL and no row matches.
"""

from __future__ import annotations

from alembic import op

from scheduling.config import APP_ROLE

CREATE_APP_ROLE = f"""
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{APP_ROLE}') THEN
        CREATE ROLE {APP_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
    END IF;
END
$$;
"""

CURRENT_ORG_FUNCTION = """
CREATE OR REPLACE FUNCTION oh_current_org() RETURNS uuid
LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT NULLIF(current_setting('app.org_id', true), '')::uuid $$;
"""

TOUCH_FUNCTION = """
CREATE OR REPLACE FUNCTION oh_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END
$$;
"""


def prepare_database() -> None:
    """Create the application role and the functions the policies and triggers use."""
    op.execute(CREATE_APP_ROLE)
    op.execute(f"GRANT USAGE ON SCHEMA public TO {APP_ROLE}")
    op.execute(CURRENT_ORG_FUNCTION)
    op.execute(TOUCH_FUNCTION)


def protect_tenant_table(table: str, key: str = "org_id") -> None:
    """Force row-level security on `table`, keyed by `key`, and grant it to the app role."""
    op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
    op.execute(
        f"CREATE POLICY tenant_isolation ON {table} "
        f"USING ({key} = oh_current_org()) WITH CHECK ({key} = oh_current_org())"
    )
    grant_to_app(table)


def touch_updated_at(table: str) -> None:
    """Keep `updated_at` current on every update, whoever writes the row."""
    op.execute(
        f"CREATE TRIGGER {table}_touch BEFORE UPDATE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION oh_touch_updated_at()"
    )


def grant_to_app(table: str, privileges: str = "SELECT, INSERT, UPDATE, DELETE") -> None:
    """Let the application role use `table` (row-level security still applies)."""
    op.execute(f"GRANT {privileges} ON {table} TO {APP_ROLE}")


def owner_reads_directory(table: str) -> None:
    """Let the schema owner (who runs migrations and seeding) list every row of `table`.

    Used only for the organisations directory, so operations such as "is this database
    empty?" work; the application role stays bound to its own organisation.
    """
    op.execute(
        "DO $$ BEGIN EXECUTE format("
        f"'CREATE POLICY owner_directory ON {table} FOR SELECT TO %I USING (true)', "
        "current_user); END $$"
    )
