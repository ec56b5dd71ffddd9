"""Fictional people and organisations for the demo. Any resemblance is intended to be generic.

Every organiser text is written in the meeting's three languages, the default (Chinese) first:
the demo shows what a trilingual meeting looks like on every screen.
"""

#: The meeting languages, the default first (the hosts are the Chinese network).
LANGUAGES = ["zh_Hans", "es", "en"]
DEFAULT_LANGUAGE = "zh_Hans"
MEETING_ZONE = "Asia/Shanghai"
PARTNER_ZONES = ["America/Lima"]


def tri(zh: str, es: str, en: str) -> dict[str, str]:
    """One organiser text in the three meeting languages, the default first."""
    return {"zh_Hans": zh, "es": es, "en": en}


SERIES = {
    "slug": "pacific-ngo-health-exchange",
    "title": tri("太平洋之桥民间卫生交流会",
                 "Intercambio de ONG sobre Salud Puente del Pacífico",
                 "Pacific Bridge NGO Health Exchange"),
    "description": tri(
        "中国与秘鲁民间组织围绕社区卫生、疫情防控和志愿服务定期举行的线上交流。",
        "Un intercambio en línea periódico entre organizaciones no gubernamentales de China y "
        "el Perú sobre salud comunitaria, prevención de epidemias y voluntariado.",
        "A recurring online exchange between non-governmental organisations of China and Peru "
        "on community health, epidemic prevention and volunteer work."),
}


def meeting_title(number: int) -> dict[str, str]:
    """The title of session `number` of the series."""
    return tri(f"太平洋之桥民间卫生交流会第{number}期：社区防控",
               f"Intercambio de ONG sobre Salud Puente del Pacífico, sesión {number}: "
               "prevención comunitaria",
               f"Pacific Bridge NGO Health Exchange, session {number}: community prevention")


MEETING_DESCRIPTION = tri(
    "中秘两国民间组织分享社区疫情防控、医院救治和志愿服务方面的经验。\n\n"
    "会议提供中文与西班牙语同声传译。欢迎使用三种语言中的任意一种提问，"
    "并为您最希望得到解答的问题投票。",
    "Organizaciones chinas y peruanas comparten su experiencia en prevención comunitaria de "
    "epidemias, atención hospitalaria y voluntariado.\n\n"
    "Habrá interpretación entre chino y español. Haga sus preguntas en cualquiera de los tres "
    "idiomas y vote por las que quiera que se respondan primero.",
    "Chinese and Peruvian organisations share experience of community-based epidemic "
    "prevention, hospital care and volunteer work.\n\n"
    "Interpretation between Chinese and Spanish is provided. Ask your questions in any "
    "of the three languages; vote for the ones you want answered first.")

CONFIRMATION_TEXT = tri(
    "感谢您报名参加！会议开始前一天，我们会把个人入会链接再发给您一次。"
    "请在会议开始前十分钟入场，以便测试声音和同传频道。",
    "¡Gracias por inscribirse! Un día antes de la reunión le enviaremos de nuevo su enlace "
    "personal. Le recomendamos entrar diez minutos antes para probar el audio y el canal "
    "de interpretación.",
    "Thank you for registering! We will send your personal link again the day before the "
    "meeting. Please join ten minutes early to check your sound and the interpretation "
    "channel.")

FOLLOW_UP_TEXT = tri(
    "感谢您参加本次交流会。会议录像、问答实录以及会后书面答复都已上线，欢迎转发给您的同事。",
    "Gracias por participar en este intercambio. La grabación, la transcripción de preguntas "
    "y respuestas y las respuestas escritas después de la reunión ya están disponibles; "
    "compártalas con sus colegas.",
    "Thank you for taking part in this exchange. The recording, the transcript of the "
    "questions and the answers written after the meeting are now online; feel free to share "
    "them with your colleagues.")

HOSTS = [tri("丝路民间合作网络（虚构）",
             "Red de Cooperación Civil de la Ruta de la Seda (ficticia)",
             "Silk Road Civil Society Network (fictional)")]
PARTNERS = [
    tri("和谐基金会（虚构）", "Fundación Armonía (ficticia)", "Harmony Foundation (fictional)"),
    tri("利马中国之家（虚构）", "Casa China Lima (ficticia)", "Casa China Lima (fictional)"),
    tri("湖北省友好交流办公室（虚构）", "Oficina de Amistad de la Provincia de Hubei (ficticia)",
        "Hubei Provincial Friendship Office (fictional)"),
]
SUPPORTERS = [tri("使馆联络处（虚构）", "Oficina de enlace de la Embajada (ficticia)",
                  "Embassy liaison office (fictional)")]

SOUTHERN_HOSPITAL = tri("南方某医科大学附属医院（虚构）",
                        "Hospital de la Universidad Médica del Sur (ficticio)",
                        "Southern Medical University Hospital (fictional)")

# key: (name, title, affiliation, bio). Names stay as each person writes them.
SPEAKERS = {
    "opening": ("Rosa Quispe Mamani",
                tri("国会卫生委员会主席", "Presidenta de la Comisión de Salud del Congreso",
                    "Chair, Congressional Health Committee"),
                tri("秘鲁共和国国会（虚构）", "Congreso de la República del Perú (ficticio)",
                    "Congress of the Republic of Peru (fictional)"),
                tri("公共卫生医生，曾在亚马孙地区从事基层医疗工作二十年。",
                    "Médica salubrista; trabajó veinte años en atención primaria en la Amazonía.",
                    "Public health physician; twenty years in primary care in the Amazon.")),
    "community": ("张淑静",
                  tri("中央花园社区党总支书记", "Secretaria de la comunidad Jardín Central",
                      "Secretary, Central Garden Community"),
                  tri("武汉市武昌区", "Distrito de Wuchang, Wuhan", "Wuchang District, Wuhan"),
                  tri("在社区一线工作十五年，组织居民、物业和志愿者三方联动开展防控。",
                      "Quince años de trabajo comunitario; coordinó a vecinos, administración "
                      "de edificios y voluntarios en la prevención.",
                      "Fifteen years of community work; brought residents, building managers "
                      "and volunteers together for prevention.")),
    "clinician": ("陈晓北",
                  tri("感染科教授", "Profesor del Departamento de Enfermedades Infecciosas",
                      "Professor, Department of Infectious Diseases"),
                  tri("武汉某人民医院（虚构）", "Hospital Popular (ficticio), Wuhan",
                      "People's Hospital (fictional), Wuhan"),
                  tri("感染病学专家，长期从事呼吸道传染病的诊断与防控研究。",
                      "Especialista en infectología; investiga el diagnóstico y la prevención "
                      "de infecciones respiratorias.",
                      "Infectious disease specialist researching the diagnosis and prevention "
                      "of respiratory infections.")),
    "diaspora": ("梁顺 Liang Shun",
                 tri("会长", "Presidente", "Chairman"),
                 tri("秘鲁中华通惠总局（虚构）",
                     "Sociedad Central de Beneficencia China (ficticia)",
                     "Chinese Benevolent Society of Peru (fictional)"),
                 tri("旅秘华侨，疫情期间组织侨界互助队并向两国医疗机构捐赠物资。",
                     "Dirigente de la comunidad china en el Perú; organizó equipos de ayuda mutua "
                     "y donaciones a centros de salud de ambos países.",
                     "Leader of the Chinese community in Peru; organised mutual-aid teams and "
                     "donations to hospitals in both countries.")),
    "panel_1": ("郭毅 Guo Yi",
                tri("抗疫医疗专家组组长", "Jefe del grupo de expertos médicos",
                    "Head of the medical expert group"),
                SOUTHERN_HOSPITAL,
                tri("医院医务部副主任，率专家组赴秘鲁工作半个多月。",
                    "Subdirector médico del hospital; encabezó la misión de expertos en el Perú "
                    "durante más de dos semanas.",
                    "Deputy medical director; led the expert mission in Peru for over two "
                    "weeks.")),
    "panel_2": ("刘来玉 Liu Laiyu",
                tri("呼吸与危重症医学科主任医师",
                    "Médico jefe de Neumología y Cuidados Intensivos",
                    "Chief Physician, Respiratory and Critical Care"),
                SOUTHERN_HOSPITAL,
                tri("重症救治专家，在秘鲁期间走访了多家收治重症患者的医院。",
                    "Especialista en cuidados críticos; visitó en el Perú varios hospitales que "
                    "atienden a pacientes graves.",
                    "Critical care specialist; visited several hospitals treating severe cases "
                    "in Peru.")),
    "panel_3": ("吴永明 Wu Yongming",
                tri("神经重症科副主任医师", "Médico jefe adjunto de Neurocríticos",
                    "Deputy Chief Physician, Neurocritical Care"),
                SOUTHERN_HOSPITAL,
                tri("神经重症专家，关注重症患者的长期康复。",
                    "Especialista en neurocríticos; se ocupa de la rehabilitación de pacientes "
                    "graves.",
                    "Neurocritical care specialist focused on the long-term recovery of severe "
                    "cases.")),
    "panel_4": ("周浩 Zhou Hao",
                tri("感染管理科副主任医师", "Médico jefe adjunto de Control de Infecciones",
                    "Deputy Chief Physician, Infection Management"),
                SOUTHERN_HOSPITAL,
                tri("院感防控专家，负责医护人员防护培训。",
                    "Especialista en control de infecciones hospitalarias; capacita al personal "
                    "en protección.",
                    "Hospital infection control specialist; trains staff in protection.")),
    "closing": ("Elena Masías Carrillo",
                tri("前卫生部长", "Exministra de Salud", "Former Minister of Health"),
                tri("秘鲁政府新冠疫情指挥部（虚构）",
                    "Comando COVID-19 del Gobierno del Perú (ficticio)",
                    "COVID-19 Command, Government of Peru (fictional)"),
                tri("曾任卫生部长，疫情期间担任国家抗疫指挥部总指挥。",
                    "Exministra de Salud; dirigió el comando nacional contra la COVID-19.",
                    "Former Minister of Health; led the national COVID-19 command.")),
}

# (title, description, kind, minutes, speaker keys)
AGENDA = [
    (tri("开幕致辞", "Apertura y bienvenida", "Opening and welcome"),
     tri("主办方和秘鲁国会卫生委员会致欢迎辞。",
         "Palabras de bienvenida de los organizadores y de la Comisión de Salud del Congreso.",
         "Welcome from the hosts and the Congressional Health Committee."),
     "opening", 10, ["opening"]),
    (tri("社区防控：三方联动", "Prevención comunitaria: la coordinación de tres partes",
         "Community-based prevention: three-party linkage"),
     tri("社区、物业和志愿者如何共同守护一个没有疫情的社区。",
         "Cómo la comunidad, la administración de edificios y los voluntarios protegieron "
         "juntos un barrio libre de contagios.",
         "How a community, its building managers and volunteers kept a neighbourhood free of "
         "infection together."),
     "talk", 20, ["community"]),
    (tri("感染：流行病学、诊断与预防", "Infección: epidemiología, diagnóstico y prevención",
         "Infection: epidemiology, diagnosis and prevention"),
     tri("病原学与流行病学特点、诊断方法，以及结合秘鲁现状的防控建议。",
         "Características etiológicas y epidemiológicas, diagnóstico y recomendaciones "
         "adaptadas a la situación del Perú.",
         "Etiology and epidemiology, diagnosis, and advice fitted to the situation in Peru."),
     "talk", 25, ["clinician"]),
    (tri("疫情期间的旅秘华人社区", "La comunidad china en el Perú durante la pandemia",
         "The Chinese community in Peru during the pandemic"),
     tri("侨界互助队、物资捐赠以及与当地机构的合作。",
         "Equipos de ayuda mutua, donaciones y colaboración con instituciones locales.",
         "Mutual-aid teams, donations and work with local institutions."),
     "talk", 10, ["diaspora"]),
    (tri("专家组：在秘鲁的两周", "Grupo de expertos: dos semanas en el Perú",
         "Expert group: two weeks in Peru"),
     tri("援秘抗疫医疗专家组分享工作经历，并对下一阶段防控提出建议。",
         "Los expertos de la misión médica cuentan su trabajo y proponen los próximos pasos.",
         "The medical mission shares its work and proposes the next steps."),
     "panel", 25, ["panel_1", "panel_2", "panel_3", "panel_4"]),
    (tri("问答环节", "Preguntas y respuestas", "Questions and answers"),
     tri("请按票数顺序回答问题；同传译员会翻译每个问题。",
         "Respondemos en el orden de los votos; los intérpretes traducen cada pregunta.",
         "Answered in order of votes; the interpreters translate every question."),
     "qa", 25, []),
    (tri("闭幕致辞", "Palabras de clausura", "Closing remarks"),
     tri("总结本次交流并展望下一步合作。",
         "Balance del intercambio y próximos pasos de la cooperación.",
         "A summary of the exchange and the next steps of the cooperation."),
     "closing", 5, ["closing"]),
]

# (label, help text, kind, options, required): none required, so a quick registration stays quick.
REGISTRATION_QUESTIONS = [
    (tri("您希望收听哪个语言频道？", "¿Qué canal de idioma desea escuchar?",
         "Which language channel will you listen to?"),
     tri("我们据此安排译员。", "Nos ayuda a organizar la interpretación.",
         "It helps us plan the interpretation."),
     "choice",
     [tri("中文", "Chino", "Chinese"), tri("西班牙语", "Español", "Spanish"),
      tri("英语", "Inglés", "English")],
     False),
    (tri("您希望专家重点谈哪些问题？", "¿Qué temas quiere que traten los expertos?",
         "Which topics would you like the experts to address?"),
     tri("可选。请简要说明您所在地区的情况。",
         "Opcional. Cuéntenos brevemente la situación de su región.",
         "Optional. Tell us briefly about the situation in your region."),
     "text", [], False),
]

# (organisation, organisation type, country): as the attendees typed them.
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

# (language, position in AGENDA of the item it was asked under or None, text,
#  the interpreters' translations into the other meeting languages)
QUESTIONS = [
    ("es", 1, "¿Cómo organizaron la vigilancia comunitaria en barrios con poco acceso a internet?",
     {"zh_Hans": "在上网不方便的街区，你们是如何组织社区监测的？",
      "en": "How did you organise community monitoring in neighbourhoods with little internet "
            "access?"}),
    ("es", 2, "¿Qué recomiendan para hospitales de la Amazonía con poco oxígeno?",
     {"zh_Hans": "对于氧气短缺的亚马孙地区医院，你们有什么建议？",
      "en": "What do you recommend for hospitals in the Amazon that are short of oxygen?"}),
    ("zh_Hans", 1, "秘鲁的社区卫生中心如何与志愿者组织合作？",
     {"es": "¿Cómo pueden colaborar los centros de salud comunitarios del Perú con las "
            "organizaciones de voluntarios?",
      "en": "How can Peru's community health centres work with volunteer organisations?"}),
    ("es", 2, "¿Qué pruebas de detección son más fiables en zonas rurales?",
     {"zh_Hans": "在农村地区，哪些检测方法更可靠？",
      "en": "Which tests are most reliable in rural areas?"}),
    ("en", 4, "How did the expert group prioritise which regions to visit?",
     {"zh_Hans": "专家组是如何确定优先走访哪些地区的？",
      "es": "¿Cómo decidió el grupo de expertos qué regiones visitar primero?"}),
    ("es", None, "¿Cómo se protegió al personal de salud durante los turnos largos?",
     {"zh_Hans": "在长时间轮班期间，医护人员是如何得到保护的？",
      "en": "How were health workers protected during long shifts?"}),
    ("zh_Hans", 4, "中方专家对秘鲁下一步防控工作有哪些具体建议？",
     {"es": "¿Qué recomendaciones concretas tienen los expertos chinos para la próxima etapa "
            "de la prevención en el Perú?",
      "en": "What concrete advice do the Chinese experts have for Peru's next phase of "
            "prevention?"}),
    ("es", None, "¿Podrían compartir los protocolos de aislamiento domiciliario?",
     {"zh_Hans": "能否分享居家隔离的操作规程？",
      "en": "Could you share the home isolation protocols?"}),
]

#: A written answer to QUESTIONS[index], in the question's language, with its translations.
WRITTEN_ANSWER = (
    7,
    "Sí. Los protocolos de aislamiento domiciliario, en chino y en español, están en la página "
    "de la reunión junto a la grabación.",
    {"zh_Hans": "可以。中文和西班牙语版的居家隔离规程已与会议录像一起发布在会议页面上。",
     "en": "Yes. The home isolation protocols, in Chinese and Spanish, are on the meeting page "
           "next to the recording."},
)

#: The staff announcement pinned at the start, written in the default language.
ANNOUNCEMENT = (
    "欢迎各位！本次会议提供中文和西班牙语同传，提问请使用任意一种会议语言。",
    {"es": "¡Bienvenidos! Hay interpretación entre chino y español; pregunte en cualquiera de "
           "los idiomas de la reunión.",
     "en": "Welcome! Chinese–Spanish interpretation is provided; ask in any of the meeting's "
           "languages."},
)

POSTS = [
    ("es", "¡Muchas gracias a los expertos por compartir su experiencia!"),
    ("es", "Muy útil la explicación sobre la detección del virus. Saludos desde Loreto."),
    ("zh_Hans", "感谢秘鲁朋友们的热情参与，期待下次交流！"),
    ("en", "Thank you all, watching from Lima. Very clear presentations."),
    ("es", "La atención primaria en la comunidad es clave. Gracias por este espacio."),
]

#: Positions in POSTS of the thank-yous the organisers quoted in the meeting report.
QUOTED_POSTS = (0, 3)

#: The past session's closed poll: what the next session should be about.
POLL = {
    "question": {"zh_Hans": "下一届交流会应重点讨论哪个议题？",
                 "es": "¿En qué tema debería centrarse el próximo encuentro?",
                 "en": "Which topic should the next exchange focus on?"},
    "options": [
        {"zh_Hans": "社区卫生与初级保健", "es": "Salud comunitaria y atención primaria",
         "en": "Community health and primary care"},
        {"zh_Hans": "传染病防控合作", "es": "Cooperación en enfermedades infecciosas",
         "en": "Cooperation on infectious diseases"},
        {"zh_Hans": "青年与志愿者交流", "es": "Intercambio de jóvenes y voluntarios",
         "en": "Youth and volunteer exchange"},
    ],
    #: How many attendees picked each option.
    "counts": [31, 24, 17],
}

#: The past session's feedback survey: the organisers' own question and a few comments.
SURVEY = {
    "question": {"zh_Hans": "同声传译的质量如何？",
                 "es": "¿Qué tal fue la interpretación simultánea?",
                 "en": "How good was the simultaneous interpretation?"},
    #: Overall ratings 1..5, one per response.
    "overall": [5, 5, 4, 5, 4, 4, 5, 3, 4, 5, 4, 5, 2, 4, 5, 4, 5, 4, 3, 5, 4, 5, 4, 4],
    "comments": {
        "zh_Hans": ["问答环节非常精彩，希望下次留出更多时间。", "感谢秘鲁朋友的分享！"],
        "es": ["Muy útil el intercambio sobre atención primaria; faltó tiempo para preguntas.",
               "Terminó muy tarde para los colegas de China: ¿podría empezar antes?"],
        "en": ["Great interpretation and a very well run Q&A."],
    },
}
