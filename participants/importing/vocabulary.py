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
    "group": ("groupe", "group", "الفئة"),
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
    ),
    Participant.Group.MRE: (
        "mre", "moroccan living abroad", "marocain résidant à l'étranger",
        "marocaine résidant à l'étranger", "marocain du monde", "مغاربة العالم",
        "من مغاربة العالم", "مغربي مقيم بالخارج",
    ),
    Participant.Group.LOCAL_YOUTH: (
        "local youth", "local_youth", "jeune local", "jeune locale", "jeunes locaux",
        "jeunesse locale", "شباب محلي", "الشباب المحلي", "شاب محلي",
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
        _countries.update(table)
    return _countries
