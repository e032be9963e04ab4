"""HTTP routes served beside Streamlit (sign-in and sign-out)."""
