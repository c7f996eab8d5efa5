"""Demo bibliography on migrant smuggling in East Asia and the Pacific (idempotent, keyed by citation key).

A handful of entries describe real, well-known instruments and reports (the Smuggling of Migrants Protocol,
UNODC's global and regional studies); the others are realistic but fictional studies, marked as such in
their note. Tiers vary so that the demo shows what each audience sees.
"""

from __future__ import annotations

from django.db import transaction

from portal.access.tiers import Tier
from portal.taxonomy.models import Country, Theme

from .models import BibliographyEntry, EntryCreator

UNODC = ("United Nations Office on Drugs and Crime", "")
FICTIONAL = "Demo entry: a fictional study written for the portal's demonstration."

# key, type, title, creators, year, container/publisher, themes, countries covered, language, tier, scope,
# keywords, abstract, annotation, extra fields
ENTRIES = [
    (
        "un2000protocol",
        "legal_document",
        "Protocol against the Smuggling of Migrants by Land, Sea and Air, supplementing the United Nations "
        "Convention against Transnational Organized Crime",
        [("United Nations General Assembly", "")],
        2000,
        {
            "publisher": "United Nations",
            "place": "New York",
            "url": "https://www.unodc.org/unodc/en/organized-crime/intro/UNTOC.html",
        },
        ["legal-frameworks"],
        [],
        "en",
        Tier.PUBLIC,
        [],
        ["protocol", "definition", "UNTOC"],
        "The international instrument that defines the smuggling of migrants and obliges States parties to "
        "criminalise it while protecting the rights of smuggled migrants.",
        "<p>The reference point for every national definition reviewed by the unit. Article 6 on criminalisation "
        "and article 16 on protection are the provisions most often cited in the national assessments.</p>",
        {},
    ),
    (
        "unodc2018glosom",
        "report",
        "Global Study on Smuggling of Migrants 2018",
        [UNODC],
        2018,
        {"publisher": "United Nations", "place": "Vienna", "url": "https://www.unodc.org/glosom/"},
        ["routes", "fees-and-finance", "data-and-statistics"],
        ["TH", "MM", "KH", "LA", "VN", "CN", "ID"],
        "en",
        Tier.PUBLIC,
        [],
        ["global study", "routes", "fees"],
        "The first global study of migrant smuggling: main routes, smugglers' profiles, fees and the risks "
        "migrants face, including a chapter on East Asia, South-East Asia and the Pacific.",
        "<p>Still the most complete comparative source on fees and routes. Figures for the region rely on a "
        "small number of national sources; read them as orders of magnitude.</p>",
        {},
    ),
    (
        "unodc2015asia",
        "report",
        "Migrant Smuggling in Asia: Current Trends and Related Challenges",
        [UNODC],
        2015,
        {"publisher": "UNODC Regional Office for Southeast Asia and the Pacific", "place": "Bangkok"},
        ["routes", "modus-operandi", "criminal-networks"],
        ["TH", "MM", "KH", "LA", "VN", "ID"],
        "en",
        Tier.PUBLIC,
        [],
        ["South-East Asia", "smuggling routes", "regional trends"],
        "A regional overview of smuggling flows within and out of South-East Asia and of the challenges for "
        "law enforcement.",
        "<p>The baseline the unit's first annual report compares against.</p>",
        {},
    ),
    (
        "chea2021brokers",
        "article",
        "Brokers, debts and border crossings: Cambodian migrants' journeys to Thailand",
        [("Chea", "Sokha"), ("Phan", "Dara")],
        2021,
        {"container_title": "Journal of Migration in Southeast Asia", "volume": "9", "issue": "2", "pages": "115–139"},
        ["fees-and-finance", "modus-operandi"],
        ["KH", "TH"],
        "en",
        Tier.PUBLIC,
        [],
        ["debt", "brokers", "Poipet"],
        "Based on 64 interviews in Banteay Meanchey, the article traces how brokers finance crossings through "
        "debts repaid from wages in Thailand.",
        "<p>Useful qualitative detail on fee structures; the sample is small and recruited through NGOs.</p>",
        {},
    ),
    (
        "nguyen2019boats",
        "article",
        "Maritime smuggling of Vietnamese migrants: routes, vessels and risks",
        [("Nguyễn", "Thị Lan"), ("Trần", "Văn Minh")],
        2019,
        {
            "container_title": "Asian Journal of Criminology and Security",
            "volume": "14",
            "issue": "3",
            "pages": "201–224",
        },
        ["routes", "vulnerabilities-and-harm"],
        ["VN", "ID"],
        "en",
        Tier.PUBLIC,
        [],
        ["maritime", "boats", "fatalities"],
        "Reconstructs maritime routes from central Viet Nam through Indonesian waters using court files and "
        "press reports.",
        "<p>Court files make this one of the few sources with verified cases.</p>",
        {},
    ),
    (
        "soe2020myanmar",
        "report",
        "Irregular migration from Myanmar to Thailand after 2015: a data review",
        [("Soe", "Myint"), ("Institute for Migration Research Yangon", "")],
        2020,
        {"institution": "Institute for Migration Research", "place": "Yangon"},
        ["data-and-statistics", "routes"],
        ["MM", "TH"],
        "en",
        Tier.PUBLIC,
        [],
        ["data gaps", "administrative data", "border statistics"],
        "Reviews the administrative and survey data that exist on irregular movements from Myanmar to Thailand "
        "and where they disagree.",
        "<p>The data gaps it lists informed the standardised data-collection model.</p>",
        {},
    ),
    (
        "wang2018yunnan",
        "article",
        "云南边境地区偷运移民活动的特点与治理",
        [("王", "建华")],
        2018,
        {
            "container_title": "边疆经济与文化",
            "issue": "6",
            "pages": "45–52",
            "original_title": "云南边境地区偷运移民活动的特点与治理",
        },
        ["border-management", "criminal-networks"],
        ["CN", "MM", "LA"],
        "zh",
        Tier.PUBLIC,
        [],
        ["云南", "边境管理", "偷运移民"],
        "分析云南边境地区偷运移民活动的主要特点，并提出边境治理的对策。",
        "<p>Chinese-language study of smuggling across the Yunnan border; abstract only, summary by the unit.</p>",
        {},
    ),
    (
        "srisuk2022thai",
        "thesis",
        "การลักลอบขนผู้ย้ายถิ่นข้ามชายแดนไทย–กัมพูชา: กรณีศึกษาจังหวัดสระแก้ว",
        [("ศรีสุข", "ปรีชา")],
        2022,
        {"institution": "Chulalongkorn University", "place": "Bangkok"},
        ["modus-operandi", "border-management"],
        ["TH", "KH"],
        "th",
        Tier.PUBLIC,
        [],
        ["สระแก้ว", "ชายแดน", "การลักลอบขนคน"],
        "วิทยานิพนธ์ศึกษารูปแบบการลักลอบขนผู้ย้ายถิ่นข้ามชายแดนไทย–กัมพูชาในจังหวัดสระแก้ว",
        "<p>A Thai-language master's thesis with interviews of border officials in Sa Kaeo.</p>",
        {},
    ),
    (
        "rahman2020indonesia",
        "article",
        "Transit and stranded: smuggled migrants in Indonesia and the limits of regional cooperation",
        [("Rahman", "Aulia"), ("Hidayat", "Budi")],
        2020,
        {
            "container_title": "Indonesian Journal of International Law",
            "volume": "17",
            "issue": "4",
            "pages": "487–512",
        },
        ["legal-frameworks", "victims-protection"],
        ["ID"],
        "en",
        Tier.PUBLIC,
        [],
        ["transit", "Bali Process", "protection"],
        "Examines Indonesia's legal treatment of smuggled migrants in transit and its role in regional cooperation.",
        "<p>Clear on the gap between the Protocol and Indonesian practice.</p>",
        {},
    ),
    (
        "phommachanh2019lao",
        "report",
        "Labour migration and irregular crossings from Lao PDR: a field study",
        [("Phommachanh", "Khamla")],
        2019,
        {"institution": "National University of Laos", "place": "Vientiane"},
        ["routes", "vulnerabilities-and-harm"],
        ["LA", "TH"],
        "en",
        Tier.PUBLIC,
        [],
        ["Lao PDR", "labour migration", "irregular crossings"],
        "Field study in three provinces on how Lao workers cross into Thailand without documents.",
        "<p>Good description of informal crossings along the Mekong.</p>",
        {},
    ),
    (
        "lee2017finance",
        "chapter",
        "Following the money: financial flows in migrant smuggling",
        [("Lee", "Min-ho"), ("Tan", "Wei Ling", "editor")],
        2017,
        {"container_title": "Organised Crime in Asia", "publisher": "Routledge", "place": "London", "pages": "88–107"},
        ["fees-and-finance", "criminal-networks"],
        ["CN", "VN", "TH"],
        "en",
        Tier.PUBLIC,
        [],
        ["hawala", "financial investigation", "fees"],
        "How fees are paid and moved: informal value transfer, mobile money and cash couriers.",
        "<p>Practical for investigators; the case material is mostly from before 2015.</p>",
        {},
    ),
    (
        "unodc2019training",
        "grey_literature",
        "Investigating migrant smuggling: a training handbook for law enforcement officers in South-East Asia",
        [UNODC],
        2019,
        {"publisher": "UNODC", "place": "Bangkok"},
        ["prosecution"],
        [],
        "en",
        Tier.REGISTERED,
        [],
        ["training", "investigation", "handbook"],
        "Handbook used in the unit's training courses for investigators.",
        "<p>Available to registered users for training purposes.</p>",
        {},
    ),
    (
        "cau2023th-assessment",
        "report",
        "National assessment of data on migrant smuggling: Thailand (draft)",
        [("Coordination and Analysis Unit", "")],
        2023,
        {"institution": "Coordination and Analysis Unit", "place": "Bangkok"},
        ["data-and-statistics"],
        ["TH"],
        "en",
        Tier.RESTRICTED,
        ["TH"],
        ["national assessment", "draft"],
        "Draft assessment of the data Thai agencies hold on migrant smuggling, for comment by Thai officials.",
        "<p>Restricted to officials of Thailand until validated.</p>",
        {},
    ),
    (
        "cau2023vn-assessment",
        "report",
        "National assessment of data on migrant smuggling: Viet Nam (draft)",
        [("Coordination and Analysis Unit", "")],
        2023,
        {"institution": "Coordination and Analysis Unit", "place": "Bangkok"},
        ["data-and-statistics"],
        ["VN"],
        "en",
        Tier.RESTRICTED,
        ["VN"],
        ["national assessment", "draft"],
        "Draft assessment of the data Vietnamese agencies hold on migrant smuggling.",
        "<p>Restricted to officials of Viet Nam until validated.</p>",
        {},
    ),
    (
        "cau2024casefiles",
        "grey_literature",
        "Analysis of prosecuted smuggling cases, 2019–2023 (internal)",
        [("Coordination and Analysis Unit", "")],
        2024,
        {"institution": "Coordination and Analysis Unit"},
        ["prosecution", "criminal-networks"],
        ["TH", "KH", "MM"],
        "en",
        Tier.CONFIDENTIAL,
        ["TH"],
        ["case files", "prosecution"],
        "Internal analysis of case files shared by national authorities.",
        "<p>Confidential: contains case details from national files.</p>",
        {},
    ),
]

# Fictional journal studies to give the browse page some depth: (key, title, author, year, theme, countries).
MORE = [
    (
        "kaur2016women",
        "Women smuggled along the Mekong: gendered risks and protection gaps",
        ("Kaur", "Amar"),
        2016,
        "vulnerabilities-and-harm",
        ["LA", "TH"],
    ),
    (
        "ho2018online",
        "Smuggling services advertised online: evidence from social media in Viet Nam",
        ("Hồ", "Quang Huy"),
        2018,
        "modus-operandi",
        ["VN"],
    ),
    (
        "santoso2021sea",
        "Rescue at sea and the smuggling of migrants in Indonesian waters",
        ("Santoso", "Dewi"),
        2021,
        "victims-protection",
        ["ID"],
    ),
    (
        "lin2017fujian",
        "From Fujian to the world: three decades of smuggling networks",
        ("Lin", "Xiaoming"),
        2017,
        "criminal-networks",
        ["CN"],
    ),
    (
        "aung2022conflict",
        "Displacement, conflict and smuggling from Myanmar since 2021",
        ("Aung", "Htet"),
        2022,
        "routes",
        ["MM", "TH"],
    ),
    (
        "sok2019returns",
        "Deported and re-smuggled: Cambodian returnees from Thailand",
        ("Sok", "Vanna"),
        2019,
        "vulnerabilities-and-harm",
        ["KH", "TH"],
    ),
    (
        "pham2020fees",
        "How much does a crossing cost? Smuggling fees reported by Vietnamese migrants",
        ("Phạm", "Thu Hà"),
        2020,
        "fees-and-finance",
        ["VN", "CN"],
    ),
    (
        "wong2015law",
        "Criminalising smuggling in ASEAN: a comparative review of national laws",
        ("Wong", "Mei"),
        2015,
        "legal-frameworks",
        ["TH", "KH", "LA", "MM", "VN", "ID"],
    ),
    (
        "suryadi2018border",
        "Border management on the Kalimantan frontier",
        ("Suryadi", "Eko"),
        2018,
        "border-management",
        ["ID"],
    ),
    (
        "vongsa2021data",
        "Counting the uncounted: estimating irregular migration from Lao PDR",
        ("Vongsa", "Noy"),
        2021,
        "data-and-statistics",
        ["LA"],
    ),
    (
        "zhang2019prosecution",
        "Prosecuting smugglers in southern China: evidence from court judgments",
        ("Zhang", "Li"),
        2019,
        "prosecution",
        ["CN", "VN"],
    ),
    (
        "thant2020protection",
        "Protection of smuggled children in Myanmar and Thailand",
        ("Thant", "Zin Mar"),
        2020,
        "victims-protection",
        ["MM", "TH"],
    ),
    (
        "bui2023networks",
        "Network structures of migrant smuggling groups: a social network analysis",
        ("Bùi", "Đức Anh"),
        2023,
        "criminal-networks",
        ["VN", "KH"],
    ),
    (
        "chan2022covid",
        "Border closures and the smuggling of migrants during COVID-19 in South-East Asia",
        ("Chan", "Sopheap"),
        2022,
        "routes",
        ["KH", "TH", "LA", "MM"],
    ),
    (
        "lestari2017boats",
        "Boats to Australia: smuggling through Indonesia, 2009–2013",
        ("Lestari", "Putri"),
        2017,
        "routes",
        ["ID"],
    ),
]


def _more_entries():
    for key, title, author, year, theme, countries in MORE:
        yield (key, "article", title, [author], year,
               {"container_title": "Asia-Pacific Migration Review", "volume": str(year - 1990), "note": FICTIONAL},
               [theme], countries, "en", Tier.PUBLIC, [], [theme.replace("-", " ")],
               f"A study of {title[0].lower() + title[1:]}.", "", {})  # fmt: skip


def load(stdout) -> None:
    created = 0
    with transaction.atomic():
        for spec in [*ENTRIES, *_more_entries()]:
            created += _load_entry(*spec)
    stdout.write(f"Bibliography: {created} demo entries created, "
                 f"{len(ENTRIES) + len(MORE) - created} already there.")  # fmt: skip


def _load_entry(key, entry_type, title, creators, year, fields, themes, covered, language, tier, scope,
                keywords, abstract, annotation, extra) -> int:  # fmt: skip
    if BibliographyEntry.objects.filter(citation_key=key).exists():
        return 0
    fields = dict(fields)
    note = fields.pop("note", "" if key.startswith(("un", "unodc")) else FICTIONAL)
    entry = BibliographyEntry(citation_key=key, entry_type=entry_type, title=title, year=year, date=str(year),
                              language=language, abstract=abstract, annotation=annotation, note=note,
                              record_tier=tier, file_tier=tier, **fields)  # fmt: skip
    entry.save()
    for n, creator in enumerate(creators):
        family, given, *role = creator
        kind = "organisation" if not given and " " in family else "person"
        EntryCreator.objects.create(entry=entry, sort_order=n, family=family, given=given, kind=kind,
                                    role=role[0] if role else "author")  # fmt: skip
    entry.themes.set(Theme.objects.filter(slug__in=themes))
    entry.countries_covered.set(Country.objects.filter(code__in=covered))
    entry.countries.set(Country.objects.filter(code__in=scope))
    entry.keywords.add(*keywords)
    entry.save()
    return 1
