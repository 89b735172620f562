"""The admin console (Streamlit): a router over thin pages that call `scheduling` services."""
