"""Write data/un_member_states.yaml: the 193 UN member states with English and Spanish names.

Build-time only (`pip install pycountry`; the app never imports it). Names come from pycountry's
ISO 3166 data and its gettext catalogue for Spanish, rewritten to the United Nations' style
("Bolivia (Plurinational State of)", "Republic of Korea"). Run from the repository root:

    python scripts/build_un_members.py
"""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import pycountry

OUTPUT = Path(__file__).resolve().parent.parent / "data" / "un_member_states.yaml"

# The 193 member states of the United Nations (ISO 3166-1 alpha-3), from the UN's list of members.
UN_MEMBERS = tuple(
    re.findall(
        r"[A-Z]{3}",
        """
AFG ALB DZA AND AGO ATG ARG ARM AUS AUT AZE BHS BHR BGD BRB BLR BEL BLZ BEN BTN BOL BIH BWA BRA BRN
BGR BFA BDI CPV KHM CMR CAN CAF TCD CHL CHN COL COM COG CRI CIV HRV CUB CYP CZE PRK COD DNK DJI DMA
DOM ECU EGY SLV GNQ ERI EST SWZ ETH FJI FIN FRA GAB GMB GEO DEU GHA GRC GRD GTM GIN GNB GUY HTI HND
HUN ISL IND IDN IRN IRQ IRL ISR ITA JAM JPN JOR KAZ KEN KIR KWT KGZ LAO LVA LBN LSO LBR LBY LIE LTU
LUX MDG MWI MYS MDV MLI MLT MHL MRT MUS MEX FSM MCO MNG MNE MAR MOZ MMR NAM NRU NPL NLD NZL NIC NER
NGA MKD NOR OMN PAK PLW PAN PNG PRY PER PHL POL PRT QAT KOR MDA ROU RUS RWA KNA LCA VCT WSM SMR STP
SAU SEN SRB SYC SLE SGP SVK SVN SLB SOM ZAF SSD ESP LKA SDN SUR SWE CHE SYR TJK THA TLS TGO TON TTO
TUN TUR TKM TUV UGA UKR ARE GBR TZA USA URY UZB VUT VEN VNM YEM ZMB ZWE
""",
    )
)

# Observers, non-members and territories that must never appear in the list.
NOT_MEMBERS = ("VAT", "PSE", "TWN", "XKX", "ESH")

# Where the UN's short name is not the ISO name turned around its comma.
UN_NAMES = {
    "KOR": ("Republic of Korea", "República de Corea"),
    "PRK": ("Democratic People's Republic of Korea", "República Popular Democrática de Corea"),
    "MDA": ("Republic of Moldova", "República de Moldova"),
    "TZA": ("United Republic of Tanzania", "República Unida de Tanzanía"),
    "COD": ("Democratic Republic of the Congo", "República Democrática del Congo"),
    "COG": ("Congo", "Congo"),
    "GBR": (
        "United Kingdom of Great Britain and Northern Ireland",
        "Reino Unido de Gran Bretaña e Irlanda del Norte",
    ),
    "USA": ("United States of America", "Estados Unidos de América"),
    "RUS": ("Russian Federation", "Federación de Rusia"),
    "TUR": ("Türkiye", "Türkiye"),
    "CZE": ("Czechia", "Chequia"),
    "SWZ": ("Eswatini", "Eswatini"),
    "MKD": ("North Macedonia", "Macedonia del Norte"),
    "CIV": ("Côte d'Ivoire", "Côte d'Ivoire"),
    "LAO": ("Lao People's Democratic Republic", "República Democrática Popular Lao"),
    "SYR": ("Syrian Arab Republic", "República Árabe Siria"),
    "VNM": ("Viet Nam", "Viet Nam"),
    "BHS": ("Bahamas", "Bahamas"),
    "GMB": ("Gambia", "Gambia"),
    "NLD": ("Netherlands (Kingdom of the)", "Países Bajos (Reino de los)"),
    "MMR": ("Myanmar", "Myanmar"),
    "TLS": ("Timor-Leste", "Timor-Leste"),
    # pycountry's Spanish catalogue spells these differently from the UN's Spanish names.
    "BOL": (None, "Bolivia (Estado Plurinacional de)"),
    "IRN": (None, "Irán (República Islámica del)"),
    "DZA": (None, "Argelia"),
    "COM": (None, "Comoras"),
    "BFA": (None, "Burkina Faso"),
    "MDV": (None, "Maldivas"),
    "NER": (None, "Níger"),
    "SUR": (None, "Suriname"),
    "TUN": (None, "Túnez"),
    "SAU": (None, "Arabia Saudita"),
}


def _un_style(name: str) -> str:
    """ "Bolivia, Plurinational State of" -> "Bolivia (Plurinational State of)"."""
    head, sep, tail = name.partition(", ")
    return f"{head} ({tail})" if sep else name


def members() -> list[dict[str, str]]:
    """The member states, sorted by ISO3, with UN-style names in both languages."""
    if len(UN_MEMBERS) != 193 or len(set(UN_MEMBERS)) != 193:
        raise SystemExit(f"expected 193 distinct member codes, found {len(set(UN_MEMBERS))}")
    if set(NOT_MEMBERS) & set(UN_MEMBERS):
        raise SystemExit(f"non-members in the list: {sorted(set(NOT_MEMBERS) & set(UN_MEMBERS))}")
    spanish = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["es"])
    rows = []
    for iso3 in sorted(UN_MEMBERS):
        country = pycountry.countries.get(alpha_3=iso3)
        if country is None:
            raise SystemExit(f"unknown ISO3 code {iso3}")
        name_en, name_es = UN_NAMES.get(iso3, (None, None))
        name_en = name_en or _un_style(country.name)
        name_es = name_es or _un_style(spanish.gettext(country.name))
        rows.append({"iso3": iso3, "name_en": name_en, "name_es": re.sub(r"\s+", " ", name_es)})
    return rows


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main() -> None:
    rows = members()
    lines = [
        "# The 193 member states of the United Nations: ISO 3166-1 alpha-3 code and short names.",
        "# Generated by scripts/build_un_members.py from pycountry (ISO 3166 and its Spanish catalogue),",
        "# rewritten to the UN's style. Used by `python -m gcm synth`; the app's own countries stay in",
        "# countries.yaml. Do not edit by hand: change the script and run it again.",
        "members:",
    ]
    lines += [
        f"  - {{iso3: {r['iso3']}, name_en: {_quote(r['name_en'])}, name_es: {_quote(r['name_es'])}}}" for r in rows
    ]
    OUTPUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"Wrote {len(rows)} member states to {OUTPUT}")


if __name__ == "__main__":
    main()
