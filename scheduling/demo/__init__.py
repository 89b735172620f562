"""The deterministic demo organisation "Northwind Learning" and its writers.

`build_demo(today, seed)` makes every row without touching the clock or the database;
`seed_demo` inserts them once through the application role; `write_demo_files` writes the
same rows to JSON Lines files.
"""

from scheduling.demo.build import build_demo
from scheduling.demo.data import DemoData
from scheduling.demo.files import write_demo_files
from scheduling.demo.ids import DEMO_ORG_ID
from scheduling.demo.logins import DEMO_PASSWORD, demo_logins
from scheduling.demo.seed import SeedResult, seed_demo

__all__ = [
    "DEMO_ORG_ID",
    "DEMO_PASSWORD",
    "DemoData",
    "SeedResult",
    "build_demo",
    "demo_logins",
    "seed_demo",
    "write_demo_files",
]
