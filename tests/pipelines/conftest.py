"""Fixtures of the pipeline tests."""

from tests.pipelines.demo import demo_warehouse

__all__ = ["demo_warehouse"]
