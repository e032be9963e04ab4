"""What Streamlit alone spends on the elements of a delegate's country report: the same widgets and elements, in the
same layout, with fixed values and no reads, no router and no app code. Timed warm beside the trivial page, it is
the floor under that page's warm time (BENCHMARKS.md, section 1)."""

import streamlit as st

OBJECTIVES = {1: range(1, 6), 2: range(6, 13), 3: range(13, 19), 4: range(19, 24)}  # 5, 7, 6 and 5, as in 2022
OPTIONS = [f"Opción {n}" for n in range(10)]

st.warning("Datos ilustrativos.", icon=":material/science:")
st.title("Informe del país")
st.caption("Informe sobre cada objetivo del ciclo elegido.")
top = st.columns(2)
top[0].markdown("**País:** México")
top[1].selectbox("Ciclo de informes", [f"Ciclo {n}" for n in range(8)], key="floor__cycle")
st.info("La agrupación de objetivos de este ciclo no está confirmada.", icon=":material/info:")
st.markdown("**Estado del informe del país:** ○ Sin iniciar")
st.button("Enviar el informe del país", key="floor__submit", icon=":material/send:")
with st.expander("Trabajar sin conexión", icon=":material/table:"):
    pass
st.subheader("0 de 23 objetivos con informe")
st.progress(0.0)
for column, (section, numbers) in zip(st.columns(4), OBJECTIVES.items(), strict=True):
    column.metric(f"Mesa redonda {section}", f"0 / {len(numbers)}")
    with column.container(horizontal=True, gap="small"):
        for n in numbers:
            st.button(f"{n} ○", key=f"floor__jump__{n}", help=f"{n}. Objetivo {n}: sin informe", type="secondary")
st.caption("● con informe · ○ sin informe")
nav = st.container(horizontal=True, vertical_alignment="bottom")
nav.button("Anterior", key="floor__prev", icon=":material/arrow_back:")
nav.selectbox("Objetivo", list(range(1, 24)), key="floor__objective", format_func=lambda n: f"{n} · Objetivo {n}")
nav.button("Siguiente", key="floor__next", icon=":material/arrow_forward:")
st.caption("○ Sin informe")
st.empty()
st.markdown("#### Objetivo 1: Recopilar y utilizar datos exactos y desglosados")
st.caption("Más sobre este objetivo en el centro de conocimientos.")
form = st.columns(2)
form[0].selectbox("Estado", ["a", "b", "c", "d", "e"], index=None, key="floor__status")
form[1].checkbox("Prioridad nacional", key="floor__priority")
for field in ("progress", "challenges", "priorities", "good_practice"):
    st.text_area(field, value="Avance" if field == "progress" else "", key=f"floor__{field}", max_chars=8000)
for field in ("principles", "challenge_categories", "priority_categories"):
    st.multiselect(field, OPTIONS, key=f"floor__{field}")
st.text_area("Enlaces", key="floor__links")
buttons = st.columns(2)
buttons[0].button("Guardar", key="floor__save", type="primary")
buttons[1].button("Descartar", key="floor__discard")
for name in ("Historial", "Eventos"):
    with st.expander(name, icon=":material/history:"):
        pass
st.iframe("<script>window.parent.onbeforeunload = null;</script>", height=1, tab_index=-1)
