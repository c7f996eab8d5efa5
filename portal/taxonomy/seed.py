"""The reference lists the data migration seeds; kept here so demo loading and tests read the same values."""

COUNTRIES = [
    ("KH", "Cambodia", "កម្ពុជា", "km"),
    ("CN", "China", "中国", "zh"),
    ("ID", "Indonesia", "Indonesia", "id"),
    ("LA", "Lao PDR", "ສປປ ລາວ", "lo"),
    ("MM", "Myanmar", "မြန်မာ", "my"),
    ("TH", "Thailand", "ประเทศไทย", "th"),
    ("VN", "Viet Nam", "Việt Nam", "vi"),
]

THEMES = [
    ("routes", "Routes", "Smuggling routes, transit and destination points."),
    ("modus-operandi", "Modus operandi", "How smugglers recruit, move and hide migrants."),
    ("fees-and-finance", "Fees and finance", "Fees paid, debt and the financial flows of smuggling."),
    ("vulnerabilities-and-harm", "Vulnerabilities and harm", "Abuse, injury and death along the journey."),
    ("criminal-networks", "Criminal networks", "Organisation and structure of smuggling networks."),
    ("legal-frameworks", "Legal frameworks", "Laws, protocols and their implementation."),
    ("data-and-statistics", "Data and statistics", "Data collection, sources and statistics on smuggling."),
    ("victims-protection", "Victims' protection", "Protection and assistance for smuggled migrants."),
    ("border-management", "Border management", "Border control, detection and cooperation."),
    ("prosecution", "Investigation and prosecution", "Law enforcement response and criminal justice."),
]

LANGUAGES = [
    ("en", "English", "English"),
    ("km", "Khmer", "ខ្មែរ"),
    ("zh", "Chinese", "中文"),
    ("id", "Indonesian", "Bahasa Indonesia"),
    ("lo", "Lao", "ລາວ"),
    ("my", "Burmese", "မြန်မာဘာသာ"),
    ("th", "Thai", "ไทย"),
    ("vi", "Vietnamese", "Tiếng Việt"),
]
