"""The words of an import, as data in one place: the header names staff write for each
column, and the spellings they use for sexes, groups, needs and countries. Headers and
values are matched after `fold`, so case, accents and Arabic letter forms do not count."""

import json
import re
import unicodedata
from collections import defaultdict
from pathlib import Path

from django.utils import translation
from django_countries import countries

from participants.models import Need, Participant

# The fields a file may set; nothing else ever reaches participants_create_many.
IMPORTABLE_FIELDS = (
    "given_name",
    "family_name",
    "sex",
    "birth_year",
    "nationality",
    "group",
    "phone",
    "email",
    "languages",
    "needs",
)
REQUIRED_COLUMNS = ("given_name", "group")


# Tatweel and the middle dot go; alef maqsura reads as yeh, teh marbuta as heh, the
# typographic apostrophe as the plain one, the underscore as a space.
FOLDED = str.maketrans(
    {
        "\u0640": None,
        "\u00b7": None,
        "\u0649": "\u064a",
        "\u0629": "\u0647",
        "\u2019": "'",
        "_": " ",
    }
)


def fold(text: str) -> str:
    """A key for matching headers and values: case, accents, Arabic vowel marks, alef
    and yeh forms, tatweel, underscores and spacing do not count."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.translate(FOLDED)
    return " ".join(text.split()).strip(" :*.")


# Header names as staff write them. The key is the model field; "birth_date" is read
# into birth_year.
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "full_name": (
        "nom et prénom", "nom et prénoms", "nom & prénom", "prénom et nom", "nom complet",
        "nom prénom", "full name", "الاسم الكامل", "الإسم الكامل",
        "الاسم والنسب", "الإسم والنسب", "الاسم و النسب", "النسب والاسم",
    ),
    "given_name": (
        "prénom", "prénoms", "given name", "first name", "الاسم الشخصي", "الإسم الشخصي",
    ),
    "family_name": (
        "nom", "nom de famille", "family name", "last name", "surname",
        "الاسم العائلي", "الإسم العائلي", "النسب",
    ),
    "sex": ("sexe", "sex", "genre", "gender", "الجنس"),
    "birth_year": (
        "année de naissance", "birth year", "year of birth", "سنة الازدياد", "سنة الولادة",
    ),
    "birth_date": (
        "date de naissance", "date of birth", "birth date", "تاريخ الازدياد", "تاريخ الولادة",
    ),
    "nationality": ("nationalité", "nationality", "الجنسية"),
    "group": (
        "groupe", "group", "الفئة", "catégorie", "categorie", "type", "public cible",
        "target group", "category", "الصنف", "الفئة المستهدفة",
    ),
    "phone": (
        "téléphone", "tél", "tel", "gsm", "phone", "phone number", "الهاتف", "رقم الهاتف",
    ),
    "email": (
        "email", "e-mail", "courriel", "adresse e-mail", "adresse email", "email address",
        "البريد الإلكتروني", "البريد الالكتروني",
    ),
    "languages": (
        "langues", "langues parlées", "languages", "languages spoken", "اللغات",
        "اللغات المتحدث بها",
    ),
    "needs": ("besoins", "needs", "الاحتياجات", "الحاجيات"),
}  # fmt: skip
# Columns that look like the sensitive part of a record: named in the preview as left out.
SENSITIVE_ALIASES = (
    "statut", "statut juridique", "statut légal", "statut administratif", "legal status",
    "status", "الوضعية القانونية", "الوضعية الإدارية", "pièce d'identité", "document",
    "identity document", "numéro de document", "document number", "passeport", "passport",
    "cin", "carte de séjour", "residence card", "notes", "note", "remarques", "observations",
    "remarque", "commentaire", "commentaires", "ملاحظات", "ملاحظة",
)  # fmt: skip

SEX_ALIASES: dict[str, tuple[str, ...]] = {
    Participant.Sex.FEMALE: ("f", "femme", "féminin", "female", "woman", "أنثى"),
    Participant.Sex.MALE: ("m", "h", "homme", "masculin", "male", "man", "ذكر"),
    Participant.Sex.UNSPECIFIED: ("", "unspecified", "non précisé", "-", "—", "?"),
}
GROUP_ALIASES: dict[str, tuple[str, ...]] = {
    Participant.Group.NEWCOMER: (
        "newcomer", "nouvel arrivant", "nouvelle arrivante", "nouvel·le arrivant·e",
        "nouveaux arrivants", "migrant", "migrante", "وافد", "وافد جديد", "الوافدين الجدد",
        "من الوافدين الجدد", "مهاجر",
        "مهاجرة", "migrants", "subsaharien", "subsaharienne", "subsaharien(ne)",
        "subsaharien(ne)s", "migrant subsaharien", "migrante subsaharienne", "réfugié",
        "réfugiée", "nouveau arrivant", "nouvel arrivant(e)",
    ),
    Participant.Group.MRE: (
        "mre", "moroccan living abroad", "marocain résidant à l'étranger",
        "marocaine résidant à l'étranger", "marocain du monde", "مغاربة العالم",
        "من مغاربة العالم", "مغربي مقيم بالخارج",
        "marocains résidant à l'étranger", "marocain(e) résidant à l'étranger",
        "marocaine résidente à l'étranger", "مغربية مقيمة بالخارج", "مغاربة الخارج",
    ),
    Participant.Group.LOCAL_YOUTH: (
        "local youth", "local_youth", "jeune local", "jeune locale", "jeunes locaux",
        "jeunesse locale", "شباب محلي", "الشباب المحلي", "شاب محلي",
        "jeunes de la commune", "jeune de la commune", "jeunes", "jeune", "youth",
        "شاب", "شابة", "شباب", "شباب الجماعة",
    ),
    Participant.Group.OTHER: ("other", "autre", "أخرى", "اخرى", "آخر"),
}  # fmt: skip
NEED_ALIASES: dict[str, tuple[str, ...]] = {
    Need.LANGUAGE: (
        "language", "language classes", "langue", "langues", "cours de langue",
        "cours de langues", "لغة", "اللغة", "دروس اللغة",
    ),
    Need.HEALTH: ("health", "santé", "صحة", "الصحة"),
    Need.EDUCATION: ("education", "éducation", "scolarité", "école", "تعليم", "التعليم"),
    Need.EMPLOYMENT: (
        "employment", "employment and training", "emploi", "formation", "emploi et formation",
        "travail", "شغل", "الشغل", "التشغيل", "عمل", "تكوين",
    ),
    Need.LEGAL: (
        "legal", "legal and administrative", "juridique", "administratif",
        "juridique et administratif", "papiers", "قانوني", "إداري", "قانوني وإداري",
    ),
    Need.HOUSING: ("housing", "logement", "سكن", "السكن"),
    Need.SOCIAL: (
        "social", "social assistance", "aide sociale", "assistance sociale",
        "مساعدة اجتماعية", "اجتماعي",
    ),
    Need.INVESTMENT: (
        "investment", "investment project", "investissement", "projet d'investissement",
        "استثمار", "مشروع استثماري",
    ),
}  # fmt: skip
# Words of a closing total row ("Total: 42"), skipped rather than refused as a person.
TOTAL_WORDS = ("total", "totaux", "total général", "sous-total", "المجموع", "مجموع", "الإجمالي")

# Nationality adjectives (demonyms). English and French, masculine and feminine, come
# from a maintained source, vendored as demonyms.json: the npm package world-countries
# (mledoze/countries, ODbL-1.0; README "Import" says how to regenerate it). CLDR (babel)
# and pycountry carry country names but no demonyms, and no maintained source carries
# Arabic ones, so the Arabic adjectives are kept here, masculine and feminine, for the
# region, all of sub-Saharan Africa and the countries where Moroccans abroad live.
DEMONYMS_FILE = Path(__file__).with_name("demonyms.json")
ARABIC_DEMONYMS: dict[str, tuple[str, ...]] = {
    # North Africa and the Middle East.
    "MA": ("مغربي", "مغربية"), "DZ": ("جزائري", "جزائرية"), "TN": ("تونسي", "تونسية"),
    "LY": ("ليبي", "ليبية"), "EG": ("مصري", "مصرية"), "MR": ("موريتاني", "موريتانية"),
    "SD": ("سوداني", "سودانية"), "SS": ("جنوب سوداني", "جنوب سودانية"),
    "SY": ("سوري", "سورية"), "LB": ("لبناني", "لبنانية"), "JO": ("أردني", "أردنية"),
    "PS": ("فلسطيني", "فلسطينية"), "IQ": ("عراقي", "عراقية"), "SA": ("سعودي", "سعودية"),
    "YE": ("يمني", "يمنية"), "OM": ("عماني", "عمانية"), "AE": ("إماراتي", "إماراتية"),
    "QA": ("قطري", "قطرية"), "KW": ("كويتي", "كويتية"), "BH": ("بحريني", "بحرينية"),
    "TR": ("تركي", "تركية"), "IR": ("إيراني", "إيرانية"), "IL": ("إسرائيلي", "إسرائيلية"),
    # West Africa.
    "SN": ("سنغالي", "سنغالية"), "ML": ("مالي", "مالية"),
    "CI": ("إيفواري", "إيفوارية", "عاجي", "عاجية"), "GN": ("غيني", "غينية"),
    "GW": ("غيني بيساوي", "غينية بيساوية", "بيساوي", "بيساوية"),
    "BF": ("بوركينابي", "بوركينابية", "بوركيني", "بوركينية"),
    "NE": ("نيجري", "نيجرية"), "NG": ("نيجيري", "نيجيرية"), "GH": ("غاني", "غانية"),
    "TG": ("توغولي", "توغولية"), "BJ": ("بنيني", "بنينية"), "GM": ("غامبي", "غامبية"),
    "SL": ("سيراليوني", "سيراليونية"), "LR": ("ليبيري", "ليبيرية"),
    "CV": ("رأس أخضري", "رأس أخضرية", "كابفيردي", "كابفيردية"),
    # Central Africa.
    "CM": ("كاميروني", "كاميرونية"), "TD": ("تشادي", "تشادية"),
    "CF": ("أفريقي أوسطي", "أفريقية أوسطية"), "CG": ("كونغولي", "كونغولية"),
    "CD": ("كونغولي", "كونغولية"), "GA": ("غابوني", "غابونية"),
    "GQ": ("غيني استوائي", "غينية استوائية"), "ST": ("ساوتومي", "ساوتومية"),
    # East Africa and the Indian Ocean.
    "ER": ("إريتري", "إريترية"), "ET": ("إثيوبي", "إثيوبية"), "SO": ("صومالي", "صومالية"),
    "DJ": ("جيبوتي", "جيبوتية"), "KE": ("كيني", "كينية"), "UG": ("أوغندي", "أوغندية"),
    "TZ": ("تنزاني", "تنزانية"), "RW": ("رواندي", "رواندية"), "BI": ("بوروندي", "بوروندية"),
    "KM": ("قمري", "قمرية"), "MG": ("مدغشقري", "مدغشقرية"), "MU": ("موريشيوسي", "موريشيوسية"),
    "SC": ("سيشيلي", "سيشيلية"),
    # Southern Africa.
    "AO": ("أنغولي", "أنغولية"), "ZM": ("زامبي", "زامبية"), "ZW": ("زيمبابوي", "زيمبابوية"),
    "MZ": ("موزمبيقي", "موزمبيقية"), "MW": ("مالاوي", "مالاوية"), "NA": ("ناميبي", "ناميبية"),
    "BW": ("بوتسواني", "بوتسوانية"), "ZA": ("جنوب أفريقي", "جنوب أفريقية"),
    "LS": ("ليسوتي", "ليسوتية"), "SZ": ("إسواتيني", "إسواتينية", "سوازيلندي", "سوازيلندية"),
    # Europe, the Americas and Asia.
    "FR": ("فرنسي", "فرنسية"), "ES": ("إسباني", "إسبانية"), "IT": ("إيطالي", "إيطالية"),
    "BE": ("بلجيكي", "بلجيكية"), "NL": ("هولندي", "هولندية"), "DE": ("ألماني", "ألمانية"),
    "GB": ("بريطاني", "بريطانية"), "PT": ("برتغالي", "برتغالية"), "CH": ("سويسري", "سويسرية"),
    "AT": ("نمساوي", "نمساوية"), "IE": ("إيرلندي", "إيرلندية"), "SE": ("سويدي", "سويدية"),
    "NO": ("نرويجي", "نرويجية"), "DK": ("دنماركي", "دنماركية"), "FI": ("فنلندي", "فنلندية"),
    "PL": ("بولندي", "بولندية"), "RO": ("روماني", "رومانية"), "GR": ("يوناني", "يونانية"),
    "RU": ("روسي", "روسية"), "UA": ("أوكراني", "أوكرانية"), "US": ("أمريكي", "أمريكية"),
    "CA": ("كندي", "كندية"), "BR": ("برازيلي", "برازيلية"), "AF": ("أفغاني", "أفغانية"),
    "PK": ("باكستاني", "باكستانية"), "BD": ("بنغلاديشي", "بنغلاديشية"),
    "IN": ("هندي", "هندية"), "CN": ("صيني", "صينية"), "PH": ("فلبيني", "فلبينية"),
}  # fmt: skip
# Spellings staff use that the source lacks, and French adjectives the source leaves
# empty for an inhabited territory. A word listed under two countries is asked about,
# never guessed: "sahraoui" is said both of Moroccans of the southern provinces and of
# Western Sahara (listed under both, so the source's "Sahrawi" for EH is asked about too).
LOCAL_DEMONYMS: dict[str, tuple[str, ...]] = {
    "CG": ("congolais (brazzaville)", "congolaise (brazzaville)", "congolais de brazzaville",
           "congolaise de brazzaville", "congo brazzaville", "congo-brazzaville",
           "كونغولي برازافيل"),
    "CD": ("congolais (rdc)", "congolaise (rdc)", "congolais rdc", "congolaise rdc",
           "congolais de kinshasa", "congolaise de kinshasa", "rdc", "rd congo",
           "congo rdc", "congo-kinshasa", "congo kinshasa", "zaïrois", "zaïroise",
           "كونغولي ديمقراطي", "كونغولية ديمقراطية"),
    "GN": ("guinéen (conakry)", "guinéenne (conakry)", "guinée conakry", "guinée-conakry"),
    "GW": ("guinéen (bissau)", "guinéenne (bissau)", "bissau guinean"),
    "GQ": ("equatoguinean",),
    "BF": ("burkinais", "burkinaise"),
    "NL": ("hollandais", "hollandaise"),
    "GB": ("anglais", "anglaise", "english"),
    "MA": ("sahraoui", "sahraouie", "sahrawi", "صحراوي", "صحراوية"),
    "EH": ("sahraoui", "sahraouie", "sahrawi", "صحراوي", "صحراوية"),
    "GU": ("guamien", "guamienne"),
    "IM": ("mannois", "mannoise"),
    "WF": ("wallisien", "wallisienne", "futunien", "futunienne"),
    "CX": ("christmassien", "christmassienne"),
    "CC": ("cocossien", "cocossienne"),
    "TK": ("tokelauan", "tokelauane"),
}  # fmt: skip

NEED_SEPARATORS = re.compile(r"[,;،؛/\n]")
ARABIC_LETTERS = re.compile(r"[\u0600-\u06ff]")


def _lookup(aliases: dict[str, tuple[str, ...]]) -> dict[str, str]:
    table: dict[str, str] = {}
    for value, words in aliases.items():
        for word in (value, *words):
            table[fold(word)] = value
    return table


COLUMNS = _lookup(COLUMN_ALIASES)
SEXES = _lookup(SEX_ALIASES)
GROUPS = _lookup(GROUP_ALIASES)
NEEDS = _lookup(NEED_ALIASES)
SENSITIVE = {fold(word) for word in SENSITIVE_ALIASES}
TOTALS = {fold(word) for word in TOTAL_WORDS}
_countries: dict[str, str] = {}
_ambiguous: dict[str, tuple[str, ...]] = {}


def _spellings(word: str) -> tuple[str, ...]:
    """A demonym as staff may type it: a hyphen as a space, and an Arabic one-word
    adjective with the article ("المغربية")."""
    if ARABIC_LETTERS.search(word) and " " not in word:
        return (word, "ال" + word)
    return (word, word.replace("-", " "))


def _claims(words: dict[str, set[str]]) -> dict[str, set[str]]:
    """Folded spelling → the countries it is said of."""
    claims: dict[str, set[str]] = defaultdict(set)
    for code, forms in words.items():
        if code not in countries:  # e.g. Kosovo (XK), which django-countries leaves out
            continue
        for word in forms:
            for spelling in _spellings(word):
                if fold(spelling):
                    claims[fold(spelling)].add(code)
    return claims


def _demonyms() -> tuple[dict[str, set[str]], dict[str, set[str]], set[str]]:
    """The claims of the vendored source, those of the lists above, and the codes the
    source calls independent."""
    data = json.loads(DEMONYMS_FILE.read_text(encoding="utf-8"))["countries"]
    source: dict[str, set[str]] = defaultdict(set)
    for code, entry in data.items():
        for language in ("eng", "fra"):
            source[code].update(word for word in entry.get(language, {}).values() if word)
    hand: dict[str, set[str]] = defaultdict(set)
    for table in (ARABIC_DEMONYMS, LOCAL_DEMONYMS):
        for code, forms in table.items():
            hand[code].update(forms)
    independent = {code for code, entry in data.items() if entry.get("independent")}
    return _claims(source), _claims(hand), independent


def country_lookup() -> dict[str, str]:
    """Folded ISO codes (alpha-2 and alpha-3), names in English, French and Arabic (from
    django-countries' own translations) and demonyms that name one country, built once.
    A demonym the source gives a country and territories ("French": France and the
    French Southern Territories) is the country's; one said of two countries, or listed
    here under two, is in `ambiguous_demonyms`."""
    if not _countries:
        table: dict[str, str] = {}
        for language in ("en", "fr", "ar"):
            with translation.override(language):
                for country in countries:
                    table[fold(str(country.name))] = country.code
        for country in countries:
            table[fold(country.code)] = country.code
            alpha3 = countries.alpha3(country.code)
            if alpha3:
                table[fold(alpha3)] = country.code
        source, hand, independent = _demonyms()
        # Names first: "Mali" the country and "مالي" the adjective are one and the same.
        for word in (source.keys() | hand.keys()) - table.keys():
            codes = source.get(word, set()) | hand.get(word, set())
            sovereign = codes & independent
            if len(codes) == 1:
                table[word] = next(iter(codes))
            elif len(hand.get(word, ())) < 2 and len(sovereign) == 1:
                table[word] = next(iter(sovereign))
            else:
                _ambiguous[word] = tuple(sorted(codes))
        _countries.update(table)
    return _countries


def ambiguous_demonyms() -> dict[str, tuple[str, ...]]:
    """Folded demonym → the countries it may mean ("congolais": CD and CG)."""
    country_lookup()
    return _ambiguous
