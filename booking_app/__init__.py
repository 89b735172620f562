"""The public face: booking pages, the embeddable widget and the REST API (Flask)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import Flask, Response, jsonify, render_template, request
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.exceptions import HTTPException

from booking_app.cache import TtlCache
from booking_app.context import release_connection
from booking_app.sessions import KeptSerializerSessionInterface
from scheduling.config import get_config
from scheduling.db.engine import database_urls, make_engine
from scheduling.logs import configure_logging

csrf = CSRFProtect()

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; object-src 'none'; "
    "frame-ancestors 'self'"
)


# Each gunicorn thread holds a pooled connection while it serves a request. A pool that keeps
# fewer connections than there are threads closes, after every burst, the ones it cannot
# keep and opens new ones in the next: under the booking bench (16 threads, 10 kept) that
# was 60-91 new server sessions every 10 s, each a new backend process that plans its
# statements again. The pool keeps one per thread; the overflow serves requests that run
# outside gunicorn's threads (tests' servers, a debugger).
POOL_OVERFLOW = 10


def pool_size(threads: int) -> int:
    """The connections the app's pool keeps for `threads` threads serving requests."""
    return max(10, threads)


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app: safe defaults, then the environment, then test overrides."""
    app = Flask(__name__)
    app.session_interface = KeptSerializerSessionInterface()
    config = get_config()
    app.config.from_mapping(
        SECRET_KEY=None,
        MAX_CONTENT_LENGTH=64 * 1024,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=config.public_base_url.startswith("https://"),
        WTF_CSRF_TIME_LIMIT=None,  # tied to the session cookie instead of a clock
        APP_DATABASE_URL=None,
        PUBLIC_ORG_SLUG=None,
        CLOCK=lambda: datetime.now(UTC),
        BOOKING_LIMIT_PER_IP=config.booking_limit_per_ip,
        BOOKING_LIMIT_PER_EMAIL=config.booking_limit_per_email,
        SLOTS_CACHE_SECONDS=config.slots_cache_seconds,
        WEB_THREADS=config.web_threads,
    )
    if test_config:
        app.config.from_mapping(test_config)
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = config.resolved_secret_key()
    url = app.config["APP_DATABASE_URL"] or database_urls().app
    app.extensions["liveschool.engine"] = make_engine(
        url, pool_size=pool_size(app.config["WEB_THREADS"]), max_overflow=POOL_OVERFLOW
    )
    app.extensions["liveschool.slots_cache"] = TtlCache(app.config["SLOTS_CACHE_SECONDS"])
    configure_logging(config.log_level)

    from booking_app import api, health, pages, tracking

    csrf.init_app(app)
    csrf.exempt(api.bp)  # JSON only (form posts cannot send it); self-service uses tokens
    tracking.init_app(app)
    app.teardown_request(release_connection)
    app.register_blueprint(health.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(pages.bp)
    app.after_request(_security_headers)
    _register_error_handlers(app)
    return app


def _security_headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    return response


def _wants_json() -> bool:
    return request.path.startswith(("/api/", "/healthz"))


def _error(code: int, name: str, message: str) -> tuple[Any, int]:
    if _wants_json():
        return jsonify(error={"code": name, "message": message}), code
    return render_template("error.html", code=code, message=message), code


def _register_error_handlers(app: Flask) -> None:
    """One error shape everywhere; never a stack trace to the user."""

    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError) -> tuple[Any, int]:
        return _error(
            400, "csrf_failed", "This form has expired; please reload the page and try again."
        )

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> tuple[Any, int]:
        code = exc.code or 500
        return _error(code, exc.name.lower().replace(" ", "_"), exc.description or exc.name)

    @app.errorhandler(Exception)
    def unexpected(exc: Exception) -> tuple[Any, int]:
        app.logger.exception("unhandled error")
        return _error(500, "internal_error", "Something went wrong on our side.")
