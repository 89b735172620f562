"""Fixtures of the notebook tests: the demo warehouse the pipeline tests use too."""

from tests.pipelines.demo import demo_warehouse

__all__ = ["demo_warehouse"]
