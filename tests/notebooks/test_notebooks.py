"""The analyst notebooks run top to bottom on the demo warehouse (executed with nbclient).

The kernel inherits this process's environment, so WAREHOUSE_PATH points the notebooks'
settings at the warehouse built for this run.
"""

from __future__ import annotations

import nbformat
import pytest
from nbclient import NotebookClient

from tests.conftest import ROOT
from tests.pipelines.demo import DemoWarehouse

NOTEBOOKS = ROOT / "notebooks"
EXPECTED = {
    "01_funnel_and_sources.ipynb": ["Visits: 19,314  Bookings: 3,672  Abandoned forms: 2,364"],
    "02_no_show_drivers.ipynb": ["3,077 meetings, 14.1% no-shows. On the held-out quarter:"],
    "03_question_topics.ipynb": ["3,073 questions in ", " growing topic(s): "],
}


def outputs(book: nbformat.NotebookNode) -> str:
    """Every text the cells printed or displayed."""
    parts = []
    for cell in book.cells:
        for out in cell.get("outputs", []):
            parts.append(out.get("text", ""))
            parts.append(out.get("data", {}).get("text/plain", ""))
    return "\n".join(parts)


def test_there_are_three_notebooks() -> None:
    assert sorted(p.name for p in NOTEBOOKS.glob("*.ipynb")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_notebook_runs_top_to_bottom(
    name: str, demo_warehouse: DemoWarehouse, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WAREHOUSE_PATH", str(demo_warehouse.path))
    book = nbformat.read(NOTEBOOKS / name, as_version=4)
    assert all(not cell.get("outputs") for cell in book.cells), "commit notebooks without outputs"
    NotebookClient(
        book,
        timeout=120,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOKS)}},
    ).execute()
    printed = outputs(book)
    assert f"Warehouse {demo_warehouse.path}, data as of 2026-" in printed
    for phrase in EXPECTED[name]:
        assert phrase in printed
    assert "import psycopg" not in "".join(c.source for c in book.cells)  # warehouse only
