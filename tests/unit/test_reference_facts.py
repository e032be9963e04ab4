"""The shipped reference data matches the official facts (shared/reference/gcm-facts.md)."""
# ruff: noqa: E501  (official titles are kept on one line each, as in the source table)

from gcm.reference import Reference

OFFICIAL_OBJECTIVES = [
    (
        1,
        "Collect and utilize accurate and disaggregated data as a basis for evidence-based policies",
        "Data",
        "Recopilar y utilizar datos exactos y desglosados para formular políticas con base empírica",
        "Datos",
    ),
    (
        2,
        "Minimize the adverse drivers and structural factors that compel people to leave their country of origin",
        "Minimize adverse drivers",
        "Minimizar los factores adversos y estructurales que obligan a las personas a abandonar su país de origen",
        "Minimizar factores adversos",
    ),
    (
        3,
        "Provide accurate and timely information at all stages of migration",
        "Information provision",
        "Proporcionar información exacta y oportuna en todas las etapas de la migración",
        "Proporcionar información",
    ),
    (
        4,
        "Ensure that all migrants have proof of legal identity and adequate documentation",
        "Legal identity and documentation",
        "Velar por que todos los migrantes tengan pruebas de su identidad jurídica y documentación adecuada",
        "Identidad jurídica y documentación",
    ),
    (
        5,
        "Enhance availability and flexibility of pathways for regular migration",
        "Regular pathways",
        "Aumentar la disponibilidad y flexibilidad de las vías de migración regular",
        "Vías de migración regular",
    ),
    (
        6,
        "Facilitate fair and ethical recruitment and safeguard conditions that ensure decent work",
        "Recruitment and decent work",
        "Facilitar la contratación equitativa y ética y salvaguardar las condiciones que garantizan el trabajo decente",
        "Contratación y trabajo decente",
    ),
    (
        7,
        "Address and reduce vulnerabilities in migration",
        "Reduce vulnerabilities",
        "Abordar y reducir las vulnerabilidades en la migración",
        "Reducir vulnerabilidades",
    ),
    (
        8,
        "Save lives and establish coordinated international efforts on missing migrants",
        "Save lives",
        "Salvar vidas y emprender iniciativas internacionales coordinadas sobre los migrantes desaparecidos",
        "Salvar vidas",
    ),
    (
        9,
        "Strengthen the transnational response to smuggling of migrants",
        "Counter smuggling",
        "Reforzar la respuesta transnacional al tráfico ilícito de migrantes",
        "Combatir el tráfico de migrantes",
    ),
    (
        10,
        "Prevent, combat and eradicate trafficking in persons in the context of international migration",
        "Eradicate trafficking",
        "Prevenir, combatir y erradicar la trata de personas en el contexto de la migración internacional",
        "Erradicar la trata de personas",
    ),
    (
        11,
        "Manage borders in an integrated, secure and coordinated manner",
        "Manage borders",
        "Gestionar las fronteras de manera integrada, segura y coordinada",
        "Gestión de fronteras",
    ),
    (
        12,
        "Strengthen certainty and predictability in migration procedures for appropriate screening, assessment and referral",
        "Screening and referral",
        "Aumentar la certidumbre y previsibilidad de los procedimientos migratorios para la adecuada verificación de antecedentes, evaluación y derivación",
        "Verificación de antecedentes y derivación",
    ),
    (
        13,
        "Use migration detention only as a measure of last resort and work towards alternatives",
        "Alternatives to detention",
        "Utilizar la detención de migrantes solo como último recurso y buscar otras alternativas",
        "Alternativas a la detención",
    ),
    (
        14,
        "Enhance consular protection, assistance and cooperation throughout the migration cycle",
        "Consular protection",
        "Mejorar la protección, asistencia y cooperación consulares a lo largo de todo el ciclo migratorio",
        "Protección consular",
    ),
    (
        15,
        "Provide access to basic services for migrants",
        "Access to basic services",
        "Proporcionar a los migrantes acceso a los servicios básicos",
        "Acceso a los servicios básicos",
    ),
    (
        16,
        "Empower migrants and societies to realize full inclusion and social cohesion",
        "Inclusion and social cohesion",
        "Empoderar a los migrantes y las sociedades para lograr la plena inclusión y la cohesión social",
        "Inclusión y cohesión social",
    ),
    (
        17,
        "Eliminate all forms of discrimination and promote evidence-based public discourse to shape perceptions of migration",
        "Eliminate discrimination",
        "Eliminar todas las formas de discriminación y promover un discurso público con base empírica para modificar las percepciones de la migración",
        "Eliminar la discriminación",
    ),
    (
        18,
        "Invest in skills development and facilitate mutual recognition of skills, qualifications and competences",
        "Skills development and recognition",
        "Invertir en el desarrollo de aptitudes y facilitar el reconocimiento mutuo de aptitudes, cualificaciones y competencias",
        "Desarrollo y reconocimiento de competencias",
    ),
    (
        19,
        "Create conditions for migrants and diasporas to fully contribute to sustainable development in all countries",
        "Migrant and diaspora contributions",
        "Crear las condiciones necesarias para que los migrantes y las diásporas puedan contribuir plenamente al desarrollo sostenible en todos los países",
        "Contribución de migrantes y diásporas",
    ),
    (
        20,
        "Promote faster, safer and cheaper transfer of remittances and foster financial inclusion of migrants",
        "Remittances",
        "Promover transferencias de remesas más rápidas, seguras y económicas y fomentar la inclusión financiera de los migrantes",
        "Remesas",
    ),
    (
        21,
        "Cooperate in facilitating safe and dignified return and readmission, as well as sustainable reintegration",
        "Dignified return and reintegration",
        "Colaborar para facilitar el regreso y la readmisión en condiciones de seguridad y dignidad, así como la reintegración sostenible",
        "Retorno y reintegración dignos",
    ),
    (
        22,
        "Establish mechanisms for the portability of social security entitlements and earned benefits",
        "Social protection",
        "Establecer mecanismos para la portabilidad de la seguridad social y las prestaciones adquiridas",
        "Protección social",
    ),
    (
        23,
        "Strengthen international cooperation and global partnerships for safe, orderly and regular migration",
        "International cooperation",
        "Fortalecer la cooperación internacional y las alianzas mundiales para la migración segura, ordenada y regular",
        "Cooperación internacional",
    ),
]

ROUND_TABLES_2022 = {
    1: (2, 5, 6, 12, 18),
    2: (4, 8, 9, 10, 11, 13, 21),
    3: (14, 15, 16, 19, 20, 22),
    4: (1, 3, 7, 17, 23),
}
CRM_MEMBERS = {
    "BLZ": ("Belize", "Belice"),
    "CAN": ("Canada", "Canadá"),
    "CRI": ("Costa Rica", "Costa Rica"),
    "SLV": ("El Salvador", "El Salvador"),
    "USA": ("United States", "Estados Unidos"),
    "GTM": ("Guatemala", "Guatemala"),
    "HND": ("Honduras", "Honduras"),
    "MEX": ("Mexico", "México"),
    "NIC": ("Nicaragua", "Nicaragua"),
    "PAN": ("Panama", "Panamá"),
    "DOM": ("Dominican Republic", "República Dominicana"),
}
CSM_MEMBERS = {"ARG", "BOL", "BRA", "CHL", "COL", "ECU", "GUY", "PRY", "PER", "SUR", "URY", "VEN"}
CRM_OBSERVERS = {"ARG", "COL", "ECU", "JAM", "PER"}
PRINCIPLES = {
    "a": ("People-centred", "Centrada en las personas"),
    "b": ("International cooperation", "Cooperación internacional"),
    "c": ("National sovereignty", "Soberanía nacional"),
    "d": ("Rule of law and due process", "Estado de derecho y garantías procesales"),
    "e": ("Sustainable development", "Desarrollo sostenible"),
    "f": ("Human rights", "Derechos humanos"),
    "g": ("Gender-responsive", "Perspectiva de género"),
    "h": ("Child-sensitive", "Perspectiva infantil"),
    "i": ("Whole-of-government approach", "Enfoque pangubernamental"),
    "j": ("Whole-of-society approach", "Enfoque pansocial"),
}


def test_all_23_official_titles_in_both_languages(ref: Reference) -> None:
    shipped = [(o.number, o.title.en, o.short.en, o.title.es, o.short.es) for o in ref.objectives]
    assert shipped == OFFICIAL_OBJECTIVES


def test_hub_ids_are_278_plus_number(ref: Reference) -> None:
    assert [o.hub_id for o in ref.objectives] == list(range(279, 302))


def test_imrf_2022_round_tables(ref: Reference) -> None:
    grouping = ref.grouping("imrf2022")
    assert not grouping.provisional
    assert {s.number: tuple(sorted(s.objectives)) for s in grouping.sections} == ROUND_TABLES_2022
    assert all(ref.round_table_of(n) == rt for rt, objectives in ROUND_TABLES_2022.items() for n in objectives)
    assert "indicative" in grouping.note.en and "indicativa" in grouping.note.es


def test_lac_2021_areas_are_marked_provisional(ref: Reference) -> None:
    grouping = ref.grouping("lac2021")
    assert grouping.provisional
    assert grouping.sections[0].title.es.startswith("Promoción de un discurso, políticas y planificación")
    assert len(grouping.sections) == 5
    assert sorted(n for s in grouping.sections for n in s.objectives) == list(range(1, 24))


def test_crm_members_observers_and_csm(ref: Reference) -> None:
    crm = {c.iso3: (c.name.en, c.name.es) for c in ref.countries if "CRM" in c.groups}
    assert crm == CRM_MEMBERS
    assert {c.iso3 for c in ref.countries if "CRM_OBS" in c.groups} == CRM_OBSERVERS
    assert {c.iso3 for c in ref.countries if "CSM" in c.groups} == CSM_MEMBERS


def test_guiding_principles(ref: Reference) -> None:
    assert {p.key: (p.name.en, p.name.es) for p in ref.principles} == PRINCIPLES


def test_cycles_and_their_groupings(ref: Reference) -> None:
    cycles = {c.id: c for c in ref.cycles}
    assert set(cycles) == {"lac2021", "imrf2022", "lac2025", "imrf2026"}
    assert (cycles["imrf2022"].start.isoformat(), cycles["imrf2022"].end.isoformat()) == ("2022-05-17", "2022-05-20")
    assert (cycles["imrf2026"].start.isoformat(), cycles["imrf2026"].end.isoformat()) == ("2026-05-05", "2026-05-08")
    assert (cycles["lac2021"].start.isoformat(), cycles["lac2025"].start.isoformat()) == ("2021-04-26", "2025-03-18")
    assert cycles["imrf2022"].grouping_confirmed
    # The 2026 grouping and the regional reviews' mapping were never confirmed.
    assert not cycles["imrf2026"].grouping_confirmed and not cycles["lac2021"].grouping_confirmed


def test_status_scale_has_no_not_reported_level(ref: Reference) -> None:
    assert [s.key for s in ref.statuses] == ["no_action", "planning", "initial", "advanced", "full"]
    assert all(s.label.en and s.label.es for s in ref.statuses + ref.categories)
