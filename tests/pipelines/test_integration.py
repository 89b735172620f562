"""The pipeline against real Postgres and DuckDB: incremental updates, reconcile, crash, readers."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from procrastinate.exceptions import AlreadyEnqueued
from sqlalchemy import select, text

from pipelines import warehouse as wh
from pipelines.run import Resources, run_pipeline
from pipelines.tasks import RUN_TASK
from scheduling.db import tenant_session
from scheduling.jobs import defer
from scheduling.models import AnalyticsEvent, Attendee, Booking, BookingHost
from tests.conftest import ROOT, TestDatabase
from tests.factories import add_event, add_host, make_org

START = datetime(2026, 3, 2, 15, tzinfo=UTC)


@dataclass
class Shop:
    """A small organisation: one host, one event, three bookings, one visit that booked."""

    org: uuid.UUID
    bookings: list[uuid.UUID]
    resources: Resources


def build_shop(db: TestDatabase, path: Path) -> Shop:
    org = make_org(db)
    ids = [uuid.uuid4() for _ in range(3)]
    with tenant_session(db.app_engine, org) as s:
        host = add_host(s, org, "Ada Host", "Europe/London")
        event = add_event(s, org, [host], "intro-call")
        for i, booking_id in enumerate(ids):
            s.add(
                Booking(
                    org_id=org,
                    id=booking_id,
                    event_id=event.id,
                    starts_at=START + timedelta(days=i),
                    ends_at=START + timedelta(days=i, minutes=30),
                    attendance="attended" if i == 0 else "unknown",
                    source="direct",
                )
            )
            s.flush()
            s.add(BookingHost(org_id=org, booking_id=booking_id, admin_id=host.id))
            s.add(Attendee(org_id=org, booking_id=booking_id, email=f"p{i}@example.com"))
        s.add_all(
            AnalyticsEvent(
                org_id=org,
                event_type=kind,
                event_id=event.id,
                session_id="visit-1",
                booking_id=ids[0] if kind == "booking_completed" else None,
                created_at=START - timedelta(days=3, minutes=10 - i),
            )
            for i, kind in enumerate(("page_view", "booking_started", "booking_completed"))
        )
    return Shop(org, ids, Resources(path, db.app_url, db.owner_url))


def rows(path: Path, sql: str, **params: object) -> list[tuple]:
    con = wh.open_readonly(path)
    try:
        return con.execute(sql, params or None).fetchall()
    finally:
        con.close()


def statuses(path: Path) -> dict[uuid.UUID, str]:
    return dict(rows(path, "SELECT id, status FROM raw_bookings"))


def cancel(db: TestDatabase, shop: Shop, booking_id: uuid.UUID) -> None:
    with tenant_session(db.app_engine, shop.org) as s:
        s.execute(
            text(
                "UPDATE oh_bookings SET status = 'cancelled', cancelled_at = now() WHERE id = :id"
            ),
            {"id": booking_id},
        )


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_incremental_load_updates_a_changed_booking_instead_of_duplicating(
    db: TestDatabase, tmp_path: Path
) -> None:
    shop = build_shop(db, tmp_path / "wh.duckdb")
    first = run_pipeline(shop.resources)
    assert first.full and first.rows["bookings"] == 3 and first.rows["analytics_events"] == 3
    assert set(statuses(shop.resources.warehouse_path).values()) == {"confirmed"}

    cancel(db, shop, shop.bookings[1])
    with tenant_session(db.app_engine, shop.org) as s:
        s.add(
            AnalyticsEvent(
                org_id=shop.org,
                event_type="page_view",
                session_id="visit-2",
                created_at=datetime.now(UTC),
            )
        )
    # Without the overlap only rows above the watermarks are read: the changed booking,
    # the hosts that follow it and the new visit.
    second = run_pipeline(shop.resources, overlap=timedelta(0))
    assert not second.full
    assert (second.rows["bookings"], second.rows["booking_hosts"]) == (1, 1)
    assert second.rows["analytics_events"] == 1
    # With it (the default), the last ten minutes are read again: still no duplicates.
    third = run_pipeline(shop.resources)
    assert third.rows["bookings"] == 3

    path = shop.resources.warehouse_path
    assert statuses(path) == {
        shop.bookings[0]: "confirmed",
        shop.bookings[1]: "cancelled",
        shop.bookings[2]: "confirmed",
    }
    assert rows(path, "SELECT count(*) FROM raw_booking_hosts") == [(3,)]
    assert rows(path, "SELECT count(*) FROM raw_analytics_events") == [(4,)]
    cancellations = rows(
        path, "SELECT sum(cancellations), sum(bookings) FROM mart_host_leaderboard"
    )
    assert cancellations == [(1, 2)]
    assert rows(path, "SELECT count(*) FROM pipeline_runs") == [(3,)]


def test_full_reconcile_removes_rows_deleted_in_postgres(db: TestDatabase, tmp_path: Path) -> None:
    shop = build_shop(db, tmp_path / "wh.duckdb")
    run_pipeline(shop.resources)
    with tenant_session(db.app_engine, shop.org) as s:
        s.execute(text("DELETE FROM oh_bookings WHERE id = :id"), {"id": shop.bookings[2]})
    run_pipeline(shop.resources)
    path = shop.resources.warehouse_path
    assert len(statuses(path)) == 3  # an incremental load cannot see a delete
    reconcile = run_pipeline(shop.resources, full=True)
    assert reconcile.full
    assert set(statuses(path)) == set(shop.bookings[:2])
    assert rows(path, "SELECT count(*) FROM raw_booking_hosts") == [(2,)]
    assert rows(path, "SELECT count(*) FROM raw_attendees") == [(2,)]


@pytest.mark.parametrize("failing_step", ["bookings", "model mart_trends"])
def test_a_crash_mid_run_leaves_the_previous_warehouse(
    db: TestDatabase, tmp_path: Path, failing_step: str
) -> None:
    shop = build_shop(db, tmp_path / "wh.duckdb")
    path = shop.resources.warehouse_path
    run_pipeline(shop.resources)
    before = digest(path)
    cancel(db, shop, shop.bookings[0])

    def crash(step: str, done: int, total: int) -> None:
        if step == failing_step:
            raise RuntimeError("power cut")

    with pytest.raises(RuntimeError, match="power cut"):
        run_pipeline(shop.resources, progress=crash)
    assert digest(path) == before
    assert statuses(path)[shop.bookings[0]] == "confirmed"
    assert not wh.building_path(path).exists()
    run_pipeline(shop.resources)  # the next run starts clean and succeeds
    assert statuses(path)[shop.bookings[0]] == "cancelled"


def test_a_reader_keeps_reading_during_and_after_a_run(db: TestDatabase, tmp_path: Path) -> None:
    shop = build_shop(db, tmp_path / "wh.duckdb")
    path = shop.resources.warehouse_path
    run_pipeline(shop.resources)
    reader = wh.open_readonly(path)
    query = "SELECT status FROM raw_bookings WHERE id = $id"
    seen_during: list[str] = []

    def look(step: str, done: int, total: int) -> None:
        if step == "model mart_funnel_daily":
            seen_during.append(reader.execute(query, {"id": shop.bookings[0]}).fetchall()[0][0])

    cancel(db, shop, shop.bookings[0])
    run_pipeline(shop.resources, progress=look)
    try:
        assert seen_during == ["confirmed"]
        assert reader.execute(query, {"id": shop.bookings[0]}).fetchall() == [("confirmed",)]
    finally:
        reader.close()
    assert statuses(path)[shop.bookings[0]] == "cancelled"  # a new reader sees the new file


def test_runs_never_overlap(db: TestDatabase, tmp_path: Path) -> None:
    shop = build_shop(db, tmp_path / "wh.duckdb")
    with wh.run_lock(shop.resources.warehouse_path), pytest.raises(wh.WarehouseBusy):
        run_pipeline(shop.resources)
    assert not shop.resources.warehouse_path.exists()


def test_a_new_organisation_is_copied_whole_by_an_incremental_run(
    db: TestDatabase, tmp_path: Path
) -> None:
    shop = build_shop(db, tmp_path / "wh.duckdb")
    run_pipeline(shop.resources)
    other = build_shop(db, tmp_path / "unused.duckdb")
    result = run_pipeline(shop.resources)
    assert not result.full and result.organisations == 2
    assert rows(
        shop.resources.warehouse_path, "SELECT count(DISTINCT org_id) FROM raw_bookings"
    ) == [(2,)]
    found = rows(
        shop.resources.warehouse_path,
        "SELECT count(*) FROM raw_bookings WHERE org_id = $org",
        org=other.org,
    )
    assert found == [(3,)]


def test_the_refresh_job_is_queued_once(db: TestDatabase) -> None:
    org = make_org(db)
    with tenant_session(db.app_engine, org) as s:
        defer(s, RUN_TASK, full=False)
    with pytest.raises(AlreadyEnqueued), tenant_session(db.app_engine, org) as s:
        defer(s, RUN_TASK, full=False)
    with db.owner_engine.connect() as conn:
        queued = conn.execute(
            text("SELECT task_name, queueing_lock, lock FROM procrastinate_jobs")
        ).all()
    assert [tuple(r) for r in queued] == [(RUN_TASK, "pipelines.warehouse", "pipelines.warehouse")]


def test_the_command_line_runs_the_pipeline(db: TestDatabase, tmp_path: Path) -> None:
    shop = build_shop(db, tmp_path / "wh.duckdb")
    env = {**os.environ, **db.env(), "WAREHOUSE_PATH": str(shop.resources.warehouse_path)}

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "scheduling.cli", "pipeline", "run", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    first = cli()
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip().splitlines()[-1].startswith("full reconcile: ")
    second = cli()
    assert second.returncode == 0, second.stderr
    assert "incremental load: " in second.stdout
    with wh.run_lock(shop.resources.warehouse_path):
        busy = cli("--full")
    assert busy.returncode == 2
    assert "Another pipeline run is updating" in busy.stderr
    with tenant_session(db.app_engine, shop.org) as s:
        assert s.scalar(select(Booking.status).where(Booking.id == shop.bookings[0])) == "confirmed"
