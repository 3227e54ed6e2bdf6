"""The words of an import, as data in one place: the header names staff write for each
column, and the spellings they use for sexes, groups, needs and countries. Headers and
values are matched after `fold`, so case, accents and Arabic letter forms do not count."""

import re
import unicodedata

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

# Nationality adjectives, masculine and feminine, in French, Arabic and English.
# CLDR (babel) and pycountry carry country names but no demonyms, so these are kept
# here as data for the countries BAOM staff meet: West and Central Africa, North
# Africa, and the European countries where Moroccans abroad live.
DEMONYMS: dict[str, tuple[str, ...]] = {
    "MA": ("marocain", "marocaine", "moroccan", "مغربي", "مغربية"),
    "DZ": ("algérien", "algérienne", "algerian", "جزائري", "جزائرية"),
    "TN": ("tunisien", "tunisienne", "tunisian", "تونسي", "تونسية"),
    "LY": ("libyen", "libyenne", "libyan", "ليبي", "ليبية"),
    "EG": ("égyptien", "égyptienne", "egyptian", "مصري", "مصرية"),
    "MR": ("mauritanien", "mauritanienne", "mauritanian", "موريتاني", "موريتانية"),
    "SD": ("soudanais", "soudanaise", "sudanese", "سوداني", "سودانية"),
    "SN": ("sénégalais", "sénégalaise", "senegalese", "سنغالي", "سنغالية"),
    "ML": ("malien", "malienne", "malian", "مالي", "مالية"),
    "CI": ("ivoirien", "ivoirienne", "ivorian", "إيفواري", "إيفوارية", "ايفواري"),
    "GN": ("guinéen", "guinéenne", "guinean", "غيني", "غينية"),
    "GW": ("bissau-guinéen", "bissau-guinéenne", "bissau-guinean"),
    "BF": ("burkinabè", "burkinabé", "burkinabe", "بوركينابي", "بوركينابية"),
    "NE": ("nigérien", "nigérienne", "nigerien", "نيجري", "نيجرية"),
    "NG": ("nigérian", "nigériane", "nigerian", "نيجيري", "نيجيرية"),
    "GH": ("ghanéen", "ghanéenne", "ghanaian", "غاني", "غانية"),
    "TG": ("togolais", "togolaise", "togolese", "توغولي", "توغولية"),
    "BJ": ("béninois", "béninoise", "beninese", "بنيني", "بنينية"),
    "GM": ("gambien", "gambienne", "gambian", "غامبي", "غامبية"),
    "SL": ("sierra-léonais", "sierra-léonaise", "sierra leonean", "سيراليوني"),
    "LR": ("libérien", "libérienne", "liberian", "ليبيري", "ليبيرية"),
    "CM": ("camerounais", "camerounaise", "cameroonian", "كاميروني", "كاميرونية"),
    "TD": ("tchadien", "tchadienne", "chadian", "تشادي", "تشادية"),
    "CF": ("centrafricain", "centrafricaine", "central african", "إفريقي أوسطي"),
    "CG": ("congolais (brazzaville)", "congolaise (brazzaville)"),
    "CD": ("congolais", "congolaise", "congolese", "كونغولي", "كونغولية"),
    "GA": ("gabonais", "gabonaise", "gabonese", "غابوني", "غابونية"),
    "GQ": ("équato-guinéen", "équato-guinéenne", "equatoguinean"),
    "ER": ("érythréen", "érythréenne", "eritrean", "إريتري", "إريترية"),
    "ET": ("éthiopien", "éthiopienne", "ethiopian", "إثيوبي", "إثيوبية"),
    "SO": ("somalien", "somalienne", "somali", "صومالي", "صومالية"),
    "SY": ("syrien", "syrienne", "syrian", "سوري", "سورية"),
    "YE": ("yéménite", "yemeni", "يمني", "يمنية"),
    "FR": ("français", "française", "french", "فرنسي", "فرنسية"),
    "ES": ("espagnol", "espagnole", "spanish", "إسباني", "إسبانية"),
    "IT": ("italien", "italienne", "italian", "إيطالي", "إيطالية"),
    "BE": ("belge", "belgian", "بلجيكي", "بلجيكية"),
    "NL": ("néerlandais", "néerlandaise", "hollandais", "hollandaise", "dutch", "هولندي",
           "هولندية"),
    "DE": ("allemand", "allemande", "german", "ألماني", "ألمانية"),
    "GB": ("britannique", "british", "بريطاني", "بريطانية"),
    "PT": ("portugais", "portugaise", "portuguese", "برتغالي", "برتغالية"),
    "CH": ("suisse", "swiss", "سويسري", "سويسرية"),
    "SE": ("suédois", "suédoise", "swedish", "سويدي", "سويدية"),
    "NO": ("norvégien", "norvégienne", "norwegian", "نرويجي", "نرويجية"),
    "DK": ("danois", "danoise", "danish", "دنماركي", "دنماركية"),
    "US": ("américain", "américaine", "american", "أمريكي", "أمريكية"),
    "CA": ("canadien", "canadienne", "canadian", "كندي", "كندية"),
}  # fmt: skip

NEED_SEPARATORS = re.compile(r"[,;،؛/\n]")


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


def country_lookup() -> dict[str, str]:
    """Folded ISO codes (alpha-2 and alpha-3) and names in English, French and Arabic,
    from django-countries' own translations, built once."""
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
        # Demonyms last: "Mali" the country and "مالي" the adjective are one and the same.
        for code, words in DEMONYMS.items():
            for word in words:
                table.setdefault(fold(word), code)
        _countries.update(table)
    return _countries
