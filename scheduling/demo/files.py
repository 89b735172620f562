"""`write_demo_files`: the demo data set as one JSON Lines file per table."""

from __future__ import annotations

import json
import uuid
from datetime import date, datetime, time
from enum import Enum
from pathlib import Path
from typing import Any

from sqlalchemy import inspect

from scheduling.demo.data import DemoData, Row


def _plain(value: Any) -> Any:
    """JSON form of one cell: ISO dates and times, uuid strings, enum values."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    raise TypeError(f"Cannot write {type(value).__name__} to JSON")


def write_demo_files(data: DemoData, out_dir: Path | str) -> list[Path]:
    """Write `<table>.jsonl` per table (database column names) into `out_dir`; the paths."""
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    for model, rows in data.tables():
        columns = {a.key: a.columns[0].name for a in inspect(model).column_attrs}
        path = folder / f"{model.__tablename__}.jsonl"
        with path.open("w", encoding="utf-8") as out:
            for row in rows:
                out.write(json.dumps(_renamed(row, columns), default=_plain, ensure_ascii=False))
                out.write("\n")
        paths.append(path)
    return paths


def _renamed(row: Row, columns: dict[str, str]) -> Row:
    """The row keyed by database column names instead of model attribute names."""
    return {columns[key]: value for key, value in row.items()}
