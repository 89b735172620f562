"""The warehouse's SQL models (`warehouse/*/*.sql`), ordered by their dependencies and run.

A model is one SELECT in a file named after the table or view it produces; its leading
comment is its documentation. Dependencies are read from the SQL itself (every `raw_`,
`stg_`, `int_` or `mart_` name it mentions), so the order cannot drift from the code.
Staging models become views; intermediate models and marts become tables. Values reach the
SQL only as named parameters (`$as_of`), bound by DuckDB.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from graphlib import TopologicalSorter
from pathlib import Path
from typing import Any

import duckdb

WAREHOUSE_DIR = Path(__file__).resolve().parents[1] / "warehouse"
LAYERS = ("staging", "intermediate", "marts")
NAME = re.compile(r"\b((?:raw|stg|int|mart)_[a-z0-9_]+)\b")
PARAM = re.compile(r"\$([a-z_][a-z0-9_]*)")
COMMENT = re.compile(r"^\s*--\s?(.*)$")


@dataclass(frozen=True, slots=True)
class Model:
    """One SQL model: its name, layer, documentation, SELECT, inputs and parameters."""

    name: str
    layer: str
    doc: str
    sql: str
    depends_on: frozenset[str]
    params: frozenset[str]

    @property
    def kind(self) -> str:
        """VIEW for staging, TABLE for everything built on it."""
        return "VIEW" if self.layer == "staging" else "TABLE"

    def create_sql(self) -> str:
        """The statement that (re)builds the model; the name is an identifier, not a value."""
        return f"CREATE OR REPLACE {self.kind} {self.name} AS\n{self.sql}"


def parse_model(path: Path) -> Model:
    """A model from its file: the leading comment lines are its documentation."""
    text = path.read_text(encoding="utf-8")
    doc_lines: list[str] = []
    for line in text.splitlines():
        match = COMMENT.match(line)
        if not match:
            break
        doc_lines.append(match.group(1))
    body = "\n".join(line for line in text.splitlines() if not COMMENT.match(line)).strip()
    name = path.stem
    return Model(
        name=name,
        layer=path.parent.name,
        doc=" ".join(doc_lines).strip(),
        sql=body,
        depends_on=frozenset(NAME.findall(body)) - {name},
        params=frozenset(PARAM.findall(body)),
    )


def load_models(root: Path = WAREHOUSE_DIR) -> list[Model]:
    """Every model under `root`, in an order where each comes after its inputs."""
    models = {
        m.name: m
        for layer in LAYERS
        for m in (parse_model(p) for p in sorted((root / layer).glob("*.sql")))
    }
    graph = {name: {d for d in m.depends_on if d in models} for name, m in models.items()}
    return [models[name] for name in TopologicalSorter(graph).static_order()]


def run_models(
    con: duckdb.DuckDBPyConnection,
    params: Mapping[str, Any],
    models: list[Model] | None = None,
    on_model: Callable[[Model], None] | None = None,
) -> list[Model]:
    """Build every model in dependency order with the parameters each one names."""
    ordered = models if models is not None else load_models()
    for model in ordered:
        missing = model.params - params.keys()
        if missing:
            raise KeyError(f"model {model.name} needs parameters {sorted(missing)}")
        bound = {k: params[k] for k in model.params}
        con.execute(model.create_sql(), bound or None)
        if on_model is not None:
            on_model(model)
    return ordered
