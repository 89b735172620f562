"""LiveSchool Scheduling: the domain core (no Flask, no Streamlit, no DuckDB)."""
