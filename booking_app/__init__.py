"""The public face: booking pages, the embeddable widget and the REST API (Flask)."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, jsonify
from werkzeug.exceptions import HTTPException

from scheduling.config import get_config
from scheduling.db.engine import database_urls, make_engine


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app: safe defaults, then the environment, then test overrides."""
    app = Flask(__name__)
    config = get_config()
    app.config.from_mapping(
        SECRET_KEY=None,
        MAX_CONTENT_LENGTH=256 * 1024,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        APP_DATABASE_URL=None,
    )
    if test_config:
        app.config.from_mapping(test_config)
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = config.resolved_secret_key()
    url = app.config["APP_DATABASE_URL"] or database_urls().app
    app.extensions["liveschool.engine"] = make_engine(url, pool_size=5, max_overflow=5)
    logging.basicConfig(level=config.log_level)

    from booking_app import health

    app.register_blueprint(health.bp)
    _register_error_handlers(app)
    return app


def _register_error_handlers(app: Flask) -> None:
    """One error shape everywhere; never a stack trace to the user."""

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> tuple[Any, int]:
        code = exc.code or 500
        return jsonify(
            error={"code": exc.name.lower().replace(" ", "_"), "message": exc.description}
        ), code

    @app.errorhandler(Exception)
    def unexpected(exc: Exception) -> tuple[Any, int]:
        app.logger.exception("unhandled error")
        return jsonify(
            error={"code": "internal_error", "message": "Something went wrong on our side."}
        ), 500
