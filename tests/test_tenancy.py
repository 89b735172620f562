"""Row-level security keeps organisations apart, through the ORM and through raw SQL."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from psycopg.pq import TransactionStatus
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from scheduling.config import APP_ROLE
from scheduling.db import tenant_session
from scheduling.db.engine import make_engine
from scheduling.db.tenant import BEGIN, explicit_transactions
from scheduling.models import Admin, Base, Organization, Tag
from tests.conftest import TestDatabase


@dataclass
class TwoOrgs:
    a: uuid.UUID
    b: uuid.UUID
    admin_a: uuid.UUID
    admin_b: uuid.UUID


def _make_org(db: TestDatabase, slug: str) -> tuple[uuid.UUID, uuid.UUID]:
    org_id, admin_id = uuid.uuid4(), uuid.uuid4()
    with tenant_session(db.app_engine, org_id) as s:
        s.add(Organization(id=org_id, name=slug.title(), slug=slug))
        s.flush()
        s.add(
            Admin(
                org_id=org_id,
                id=admin_id,
                name=f"{slug} host",
                email=f"host@{slug}.test",
                slug="host",
                timezone="Europe/London",
            )
        )
    return org_id, admin_id


@pytest.fixture
def orgs(db: TestDatabase) -> Iterator[TwoOrgs]:
    a, admin_a = _make_org(db, "alpha")
    b, admin_b = _make_org(db, "beta")
    yield TwoOrgs(a, b, admin_a, admin_b)


def _admin_emails(db: TestDatabase, org: uuid.UUID) -> list[str]:
    with tenant_session(db.app_engine, org) as s:
        return sorted(s.scalars(select(Admin.email)))


def test_orm_reads_only_the_current_tenant(db: TestDatabase, orgs: TwoOrgs) -> None:
    with tenant_session(db.app_engine, orgs.a) as s:
        assert list(s.scalars(select(Admin.email))) == ["host@alpha.test"]
        assert list(s.scalars(select(Organization.slug))) == ["alpha"]
        assert s.get(Admin, (orgs.b, orgs.admin_b)) is None


def test_orm_cannot_insert_into_another_tenant(db: TestDatabase, orgs: TwoOrgs) -> None:
    with (
        pytest.raises(DBAPIError, match="row-level security"),
        tenant_session(db.app_engine, orgs.a) as s,
    ):
        s.add(Admin(org_id=orgs.b, name="Intruder", email="x@beta.test", slug="x"))
    assert _admin_emails(db, orgs.b) == ["host@beta.test"]


def test_orm_cannot_update_or_delete_another_tenant(db: TestDatabase, orgs: TwoOrgs) -> None:
    with tenant_session(db.app_engine, orgs.a) as s:
        updated = s.execute(
            Admin.__table__.update().where(Admin.id == orgs.admin_b).values(name="Hacked")
        )
        deleted = s.execute(Admin.__table__.delete().where(Admin.org_id == orgs.b))
        assert (updated.rowcount, deleted.rowcount) == (0, 0)
    with tenant_session(db.app_engine, orgs.b) as s:
        assert s.scalars(select(Admin.name)).one() == "beta host"


def test_orm_cannot_move_a_row_to_another_tenant(db: TestDatabase, orgs: TwoOrgs) -> None:
    with (
        pytest.raises(DBAPIError, match="row-level security"),
        tenant_session(db.app_engine, orgs.a) as s,
    ):
        s.execute(Admin.__table__.update().values(org_id=orgs.b))
    assert _admin_emails(db, orgs.a) == ["host@alpha.test"]


RAW_WRITES = [
    (
        "insert",
        "INSERT INTO oh_admins (org_id, name, email, slug) "
        "VALUES (:other, 'Intruder', 'i@x.test', 'i')",
    ),
    ("update", "UPDATE oh_admins SET name = 'Hacked' WHERE org_id = :other"),
    ("delete", "DELETE FROM oh_admins WHERE org_id = :other"),
]


@pytest.mark.parametrize(("verb", "statement"), RAW_WRITES, ids=[v for v, _ in RAW_WRITES])
def test_raw_sql_cannot_touch_another_tenant(
    db: TestDatabase, orgs: TwoOrgs, verb: str, statement: str
) -> None:
    with db.app_engine.connect() as conn, conn.begin():
        conn.execute(text("SELECT set_config('app.org_id', :org, true)"), {"org": str(orgs.a)})
        visible = conn.execute(text("SELECT count(*) FROM oh_admins")).scalar_one()
        assert visible == 1
        if verb == "insert":
            with pytest.raises(DBAPIError, match="row-level security"):
                conn.execute(text(statement), {"other": orgs.b})
        else:
            assert conn.execute(text(statement), {"other": orgs.b}).rowcount == 0
    assert _admin_emails(db, orgs.b) == ["host@beta.test"]


def test_without_a_tenant_nothing_is_visible_or_writable(db: TestDatabase, orgs: TwoOrgs) -> None:
    with db.app_engine.connect() as conn, conn.begin():
        assert conn.execute(text("SELECT count(*) FROM oh_admins")).scalar_one() == 0
        assert conn.execute(text("SELECT count(*) FROM oh_organizations")).scalar_one() == 0
        with pytest.raises(DBAPIError, match="row-level security"):
            conn.execute(
                text(
                    "INSERT INTO oh_admins (org_id, name, email, slug) "
                    "VALUES (:o, 'N', 'n@x.test', 'n')"
                ),
                {"o": orgs.a},
            )


def test_tenant_setting_does_not_leak_across_pooled_transactions(
    db: TestDatabase, orgs: TwoOrgs
) -> None:
    engine = make_engine(db.app_url, pool_size=1, max_overflow=0)
    try:
        with tenant_session(engine, orgs.a) as s:
            assert s.scalar(select(func.count()).select_from(Admin)) == 1
        with engine.connect() as conn:  # the same pooled connection, no tenant set
            assert conn.execute(text("SELECT oh_current_org()")).scalar_one() is None
            assert conn.execute(text("SELECT count(*) FROM oh_admins")).scalar_one() == 0
    finally:
        engine.dispose()


def test_generic_plans_hold_for_their_unit_of_work_only(db: TestDatabase, orgs: TwoOrgs) -> None:
    """Asked for, generic plans are set with the tenant, on an idle connection (pipelined
    with BEGIN) and on one already in a transaction alike, and end with the transaction."""
    mode = text("SELECT current_setting('plan_cache_mode')")
    engine = make_engine(db.app_url, pool_size=1, max_overflow=0)
    try:
        with tenant_session(engine, orgs.a, generic_plans=True) as s:
            assert (s.scalar(mode), s.scalar(text("SELECT oh_current_org()"))) == (
                "force_generic_plan",
                orgs.a,
            )
        with tenant_session(engine, orgs.a) as s:
            assert s.scalar(mode) == "auto"
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))  # in a transaction before the session begins
            with tenant_session(conn, orgs.b, generic_plans=True) as s:
                assert s.scalar(mode) == "force_generic_plan"
                assert s.scalar(text("SELECT oh_current_org()")) == orgs.b
            conn.rollback()
            assert conn.execute(mode).scalar_one() == "auto"
    finally:
        engine.dispose()


def test_app_role_neither_owns_tables_nor_bypasses_rls(db: TestDatabase) -> None:
    with db.app_engine.connect() as conn:
        role = conn.execute(
            text(
                "SELECT current_user, rolsuper, rolbypassrls FROM pg_roles "
                "WHERE rolname = current_user"
            )
        ).one()
        owned = conn.execute(
            text(
                "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' "
                "AND tableowner = current_user"
            )
        ).scalar_one()
    assert tuple(role) == (APP_ROLE, False, False)
    assert owned == 0


TENANT_TABLES = sorted(
    t.name for t in Base.metadata.sorted_tables if "org_id" in t.c or t.name == "oh_organizations"
)


OWNER_READS = {
    "oh_organizations": ("owner_directory", "true"),
    "oh_outbox": ("owner_pending_outbox", "(dispatched_at IS NULL)"),
}


@pytest.mark.parametrize("table", TENANT_TABLES)
def test_every_tenant_table_forces_rls_and_leads_with_org_id(db: TestDatabase, table: str) -> None:
    with db.owner_engine.connect() as conn:
        enabled, forced = conn.execute(
            text("SELECT relrowsecurity, relforcerowsecurity FROM pg_class WHERE relname = :t"),
            {"t": table},
        ).one()
        owner = conn.scalar(text("SELECT current_user"))
        extra = conn.execute(
            text(
                "SELECT policyname, cmd, roles, qual FROM pg_policies "
                "WHERE tablename = :t AND policyname <> 'tenant_isolation'"
            ),
            {"t": table},
        ).all()
        policies = conn.execute(
            text("SELECT count(*) FROM pg_policies WHERE tablename = :t"), {"t": table}
        ).scalar_one()
        pk_first = conn.execute(
            text(
                "SELECT a.attname FROM pg_index i JOIN pg_attribute a "
                "ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0] "
                "WHERE i.indrelid = CAST(:t AS regclass) AND i.indisprimary"
            ),
            {"t": table},
        ).scalar_one()
    # The organisations directory and the outbox relay's search for pending events add
    # one read-only policy each, for the schema owner.
    assert (enabled, forced, policies) == (True, True, 2 if table in OWNER_READS else 1)
    assert [(p.policyname, p.cmd, list(p.roles), p.qual) for p in extra] == (
        [(OWNER_READS[table][0], "SELECT", [owner], OWNER_READS[table][1])]
        if table in OWNER_READS
        else []
    )
    assert pk_first == ("id" if table == "oh_organizations" else "org_id")


@pytest.mark.parametrize("table", [t for t in TENANT_TABLES if t != "oh_organizations"])
def test_every_index_of_a_tenant_table_leads_with_org_id(db: TestDatabase, table: str) -> None:
    with db.owner_engine.connect() as conn:
        leading = conn.execute(
            text(
                "SELECT c.relname, a.attname FROM pg_index i "
                "JOIN pg_class c ON c.oid = i.indexrelid "
                "JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0] "
                "WHERE i.indrelid = CAST(:t AS regclass)"
            ),
            {"t": table},
        ).all()
    assert leading, f"{table} has no index"
    assert {name: col for name, col in leading if col != "org_id"} == {}


def test_explicit_transactions_commit_by_statement_and_restore_the_mode(
    db: TestDatabase,
) -> None:
    org = uuid.uuid4()
    with tenant_session(db.app_engine, org) as s:
        s.add(Organization(id=org, name="Explicit", slug="explicit"))
    with db.app_engine.connect() as conn:
        raw = conn.connection.driver_connection
        with explicit_transactions(conn), tenant_session(conn, org) as s:
            assert raw.autocommit is True
            s.add(Tag(org_id=org, name="kept"))
        assert (raw.autocommit, raw.info.transaction_status) == (False, TransactionStatus.IDLE)
        with (
            pytest.raises(ValueError),
            explicit_transactions(conn),
            tenant_session(conn, org) as s,
        ):
            s.add(Tag(org_id=org, name="rolled back"))
            s.flush()
            raise ValueError("the unit of work failed")
        assert (raw.autocommit, raw.info.transaction_status) == (False, TransactionStatus.IDLE)
        with pytest.raises(ValueError), explicit_transactions(conn):
            raw.execute(BEGIN)  # a transaction left open by the block is rolled back
            raise ValueError("left open")
        assert (raw.autocommit, raw.info.transaction_status) == (False, TransactionStatus.IDLE)
    with tenant_session(db.app_engine, org) as s:
        assert s.scalars(select(Tag.name)).all() == ["kept"]
