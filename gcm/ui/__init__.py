"""Streamlit helpers shared by the pages: session context, cached reads, drawing helpers."""
