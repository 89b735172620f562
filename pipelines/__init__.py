"""Postgres -> DuckDB loads, warehouse models, clustering and scheduled reports.

Filled by the analytics issue; it imports `scheduling`, never the other faces.
"""
