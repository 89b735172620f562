"""Flask's signed-cookie sessions, with the signing serializer built once per key."""

from __future__ import annotations

import threading

from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer


class KeptSerializerSessionInterface(SecureCookieSessionInterface):
    """Flask builds the cookie's serializer on every request, cookie or not (5% of an API
    booking's CPU); it depends only on the keys, so it is kept while they stay the same."""

    def __init__(self) -> None:
        self._kept: dict[tuple[object, ...], URLSafeTimedSerializer | None] = {}
        self._lock = threading.Lock()

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        keys = (app.secret_key, *(app.config["SECRET_KEY_FALLBACKS"] or ()))
        try:
            return self._kept[keys]
        except KeyError:
            built = super().get_signing_serializer(app)
            with self._lock:
                if len(self._kept) > 8:  # keys rotated (tests change them): start again
                    self._kept.clear()
                self._kept[keys] = built
            return built
