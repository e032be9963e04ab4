"""The trivial page every benchmark figure is a ratio against: one plotly.express bar chart of 10 points."""

import plotly.express as px
import streamlit as st

st.title("Baseline")
st.plotly_chart(px.bar(x=list(range(10)), y=[(i * 7) % 10 + 1 for i in range(10)]), key="baseline__chart")
