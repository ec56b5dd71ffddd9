"""Fictional people and organisations for the demo. Any resemblance is intended to be generic."""

SERIES = {
    "slug": "pacific-ngo-health-exchange",
    "title": "Pacific Bridge NGO Health Exchange",
    "description": (
        "A recurring online exchange between non-governmental organisations of China and Peru "
        "on community health, epidemic prevention and volunteer work."
    ),
}

HOSTS = ["Silk Road Civil Society Network (fictional)"]
PARTNERS = [
    "Harmony Foundation (fictional)",
    "Casa China Lima (fictional)",
    "Hubei Provincial Friendship Office (fictional)",
]
SUPPORTERS = ["Embassy liaison office (fictional)"]

# (name, title, affiliation)
SPEAKERS = {
    "opening": ("Rosa Quispe Mamani", "Chair, Congressional Health Committee",
                "Congress of the Republic of Peru (fictional)"),
    "community": ("张淑静", "Secretary, Central Garden Community", "Wuchang District, Wuhan"),
    "clinician": ("陈晓北", "Professor, Department of Infectious Diseases",
                  "People's Hospital (fictional), Wuhan"),
    "diaspora": ("梁顺 Liang Shun", "Chairman", "Chinese Benevolent Society of Peru (fictional)"),
    "panel_1": ("郭毅 Guo Yi", "Head of the medical expert group",
                "Southern Medical University Hospital (fictional)"),
    "panel_2": ("刘来玉 Liu Laiyu", "Chief Physician, Respiratory and Critical Care",
                "Southern Medical University Hospital (fictional)"),
    "panel_3": ("吴永明 Wu Yongming", "Deputy Chief Physician, Neurocritical Care",
                "Southern Medical University Hospital (fictional)"),
    "panel_4": ("周浩 Zhou Hao", "Deputy Chief Physician, Infection Management",
                "Southern Medical University Hospital (fictional)"),
    "closing": ("Elena Masías Carrillo", "Former Minister of Health",
                "COVID-19 Command, Government of Peru (fictional)"),
}

# (title, kind, minutes, speaker keys)
AGENDA = [
    ("Opening and welcome", "opening", 10, ["opening"]),
    ("Community-based prevention: three-party linkage", "talk", 20, ["community"]),
    ("Infection: epidemiology, diagnosis and prevention", "talk", 25, ["clinician"]),
    ("The Chinese community in Peru during the pandemic", "talk", 10, ["diaspora"]),
    ("Expert group: two weeks in Peru", "panel", 25, ["panel_1", "panel_2", "panel_3", "panel_4"]),
    ("Questions and answers", "qa", 25, []),
    ("Closing remarks", "closing", 5, ["closing"]),
]

# (organisation, organisation type, country)
ORGANISATIONS = [
    ("Ministerio de Salud (ficticio)", "government", "PE"),
    ("Ministerio de Educación (ficticio)", "government", "PE"),
    ("Comando COVID-19 (ficticio)", "government", "PE"),
    ("Comisión de Salud del Congreso (ficticia)", "parliament", "PE"),
    ("Partido Aprista (ficticio)", "party", "PE"),
    ("Alianza para el Progreso (ficticia)", "party", "PE"),
    ("Gobierno Regional de Amazonas (ficticio)", "government", "PE"),
    ("Municipalidad de Lima (ficticia)", "government", "PE"),
    ("Hospital Regional de Loreto (ficticio)", "health", "PE"),
    ("Hospital Nacional de Lima (ficticio)", "health", "PE"),
    ("Centro de Salud Villa Victoria (ficticio)", "health", "PE"),
    ("Asociación Peruana de Cuidados Paliativos (ficticia)", "ngo", "PE"),
    ("Asociación para el Autodesarrollo y la Gestión (ficticia)", "ngo", "PE"),
    ("Organización Interamericana de Voluntariado (ficticia)", "ngo", "PE"),
    ("Universidad Nacional Mayor (ficticia)", "university", "PE"),
    ("Radio Comunitaria del Sur (ficticia)", "media", "PE"),
    ("Sociedad de Beneficencia China (ficticia)", "ngo", "PE"),
    ("中资企业协会（虚构）", "company", "PE"),
    ("武汉某医院（虚构）", "health", "CN"),
    ("湖北省友好协会（虚构）", "ngo", "CN"),
    ("丝路民间合作网络（虚构）", "ngo", "CN"),
    ("南方某医科大学（虚构）", "university", "CN"),
    ("中央花园社区（虚构）", "government", "CN"),
    ("和平基金会（虚构）", "ngo", "CN"),
]

SPANISH_GIVEN = ["María", "José", "Lucía", "Carlos", "Ana", "Luis", "Rosa", "Jorge", "Carmen",
                 "Miguel", "Sofía", "Javier", "Elena", "Diego", "Patricia", "Renzo", "Milagros",
                 "César", "Gabriela", "Óscar"]
SPANISH_FAMILY = ["Quispe", "Flores", "Huamán", "Rojas", "Mendoza", "Chávez", "Vargas", "Ramírez",
                  "Torres", "Castillo", "Pérez", "Núñez", "Gutiérrez", "Salazar", "Cárdenas",
                  "Ñahui", "Mamani", "Espinoza"]
CHINESE_FAMILY = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马",
                  "朱"]
CHINESE_GIVEN = ["伟", "芳", "娜", "敏", "静", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛", "明",
                 "超", "秀英", "晓东", "海燕", "志强", "建华"]
ENGLISH_NAMES = ["Dennis Walsh", "Priya Raman", "Tom Becker", "Amara Okafor", "Hannah Lee",
                 "Samuel Ortiz", "Grace Kim"]
POSITIONS_ES = ["Director", "Médica", "Coordinadora", "Asesor", "Enfermera", "Voluntario",
                "Regidora", "Jefe de servicio", "Estudiante"]
POSITIONS_ZH = ["主任", "医生", "秘书长", "志愿者", "研究员", "学生", "经理"]

# (language, position in AGENDA of the item it was asked under or None, text)
QUESTIONS = [
    ("es", 1, "¿Cómo organizaron la vigilancia comunitaria en barrios con poco acceso a internet?"),
    ("es", 2, "¿Qué recomiendan para hospitales de la Amazonía con poco oxígeno?"),
    ("zh_Hans", 1, "秘鲁的社区卫生中心如何与志愿者组织合作？"),
    ("es", 2, "¿Qué pruebas de detección son más fiables en zonas rurales?"),
    ("en", 4, "How did the expert group prioritise which regions to visit?"),
    ("es", None, "¿Cómo se protegió al personal de salud durante los turnos largos?"),
    ("zh_Hans", 4, "中方专家对秘鲁下一步防控工作有哪些具体建议？"),
    ("es", None, "¿Podrían compartir los protocolos de aislamiento domiciliario?"),
]

POSTS = [
    ("es", "¡Muchas gracias a los expertos por compartir su experiencia!"),
    ("es", "Muy útil la explicación sobre la detección del virus. Saludos desde Loreto."),
    ("zh_Hans", "感谢秘鲁朋友们的热情参与，期待下次交流！"),
    ("en", "Thank you all, watching from Lima. Very clear presentations."),
    ("es", "La atención primaria en la comunidad es clave. Gracias por este espacio."),
]
