"""`/healthz`: the database status as JSON, for load balancers and `liveschool up`."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, jsonify

from scheduling.health import database_health

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> tuple[Any, int]:
    """200 when the database answers and is migrated, 503 otherwise."""
    db = database_health(current_app.extensions["liveschool.engine"])
    status = "ok" if db.ok else "unavailable"
    return jsonify(status=status, database=db.as_dict()), 200 if db.ok else 503
