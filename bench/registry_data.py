"""Clearly fictional people for the registry bench, and a messy spreadsheet of them to
import (standard library only; openpyxl for the XLSX).

Every person is a pure function of (seed, index): the bench can generate 1,000 people,
measure, then generate up to 100,000, and the import file can reuse existing people's
phones, names and birth years (its duplicates) without asking the database. Names are
random pairs from plausible Arabic and Latin pools; the e-mail addresses are at
example.org and the notes say the record is generated, so no one mistakes them for
real people. Phones are unique: +2126 followed by 8 digits from 20000000 to 79999999
(the demo's are +2126110..., the bench's sign-ups +21269...), the import's new people
have +21270....
"""

import csv
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

SEED = 2026
NOTE = "Fiche générée pour le banc d'essai : personne fictive."
EMAIL_DOMAIN = "example.org"

ARABIC_GIVEN_FEMALE = (
    "فاطمة", "خديجة", "مريم", "سلمى", "نادية", "سعاد", "زينب", "حنان", "إيمان", "ليلى",
    "أسماء", "هدى", "سناء", "نعيمة", "رجاء", "كوثر", "وفاء", "سميرة", "لبنى", "ياسمين",
)  # fmt: skip
ARABIC_GIVEN_MALE = (
    "محمد", "أحمد", "يوسف", "عمر", "حسن", "إبراهيم", "خالد", "رشيد", "عبد الله", "مصطفى",
    "سعيد", "كريم", "أمين", "حمزة", "إدريس", "ياسين", "مهدي", "عثمان", "بلال", "نبيل",
)  # fmt: skip
ARABIC_FAMILY = (
    "العلوي", "الإدريسي", "بنعلي", "الحسني", "التازي", "الفاسي", "بوزيد", "أيت لحسن",
    "أوحمو", "الأمراني", "بنكيران", "الشرقاوي", "الزياني", "السوسي", "أمزيان", "بلحاج",
    "المرابط", "الوزاني", "القادري", "الصنهاجي", "أخياط", "إدبراهيم", "البعمراني", "أوبلا",
    "الرحماني", "البوعزاوي", "الخياطي", "المنصوري", "العمراني", "الكتاني", "الحمداوي",
    "الناصري", "البقالي", "الجراري", "الغزواني", "السلاوي", "الطاهري", "المساوي", "الدكالي",
    "الحيحي", "أيت علي", "أزناك", "بوشعيب", "الزموري",
)  # fmt: skip
LATIN_GIVEN_FEMALE = (
    "Awa", "Aïssatou", "Fatoumata", "Mariam", "Aminata", "Kadiatou", "Rokia", "Bintou",
    "Ndeye", "Nadia", "Samira", "Salma", "Khadija", "Grace", "Esther", "Mariama",
)  # fmt: skip
LATIN_GIVEN_MALE = (
    "Mamadou", "Oumar", "Moussa", "Ibrahima", "Cheikh", "Seydou", "Abdoulaye", "Souleymane",
    "Adama", "Lamine", "Ousmane", "Youssef", "Karim", "Rachid", "Hicham", "Mehdi", "Omar",
    "Emmanuel", "Chinedu", "Yao",
)  # fmt: skip
LATIN_FAMILY = (
    "Diallo", "Traoré", "Koné", "Camara", "Coulibaly", "Diop", "Ndiaye", "Sow", "Bah",
    "Touré", "Keïta", "Sylla", "Cissé", "Fofana", "Konaté", "Diarra", "Sangaré", "Kouyaté",
    "Ouédraogo", "Mensah", "Okafor", "Adeyemi", "Mbaye", "Faye", "Gueye", "Sarr", "Barry",
    "Doumbia", "Bamba", "El Amrani", "Benali", "Alaoui", "Idrissi", "Tazi", "Bennani",
    "Ouhammou", "Amzil", "Kouassi", "Sissoko", "Dembélé", "Soumaré", "Niang", "Thiam",
    "Seck", "Kaboré", "Zongo", "Nwosu", "Okeke", "Sidibé", "Bangoura", "Condé", "Dabo",
    "Diakité", "Fall", "Gaye", "Kamara", "Tall", "Ba",
)  # fmt: skip
# Searched by the bench: single words (the admin splits a search on spaces), and
# common enough to be among the first 1,000 people.
SEARCH_FAMILY_LATIN = "Diallo"
SEARCH_FAMILY_ARABIC = "العلوي"

# (group, weight, nationalities, share written in Arabic script)
GROUPS = (
    ("newcomer", 45, ("SN", "CI", "GN", "ML", "SD", "CM", "NG", "CD", "BF", ""), 0.1),
    ("local_youth", 30, ("MA",), 0.8),
    ("mre", 15, ("MA",), 0.5),
    ("other", 10, ("MA", "FR", "ES", "DZ", "TN", ""), 0.4),
)
RESIDENCE = ("FR", "ES", "BE", "IT", "NL", "DE")
LANGUAGES = {
    "SN": "Wolof, français",
    "CI": "Français, dioula",
    "GN": "Peul, français",
    "ML": "Bambara, français",
    "SD": "العربية",
    "CM": "Français, anglais",
    "NG": "English, Yoruba",
    "CD": "Français, lingala",
    "BF": "Mooré, français",
    "MA": "العربية، الأمازيغية",
}
NEEDS = ("language", "health", "education", "employment", "legal", "housing", "social")
FIRST_CREATED = datetime(2021, 1, 4, 9, 0, tzinfo=UTC)
PHONE_SPAN = 60_000_000  # 8-digit suffixes 20000000..79999999
PHONE_STEP = 7_919_993  # coprime with PHONE_SPAN: index -> suffix is one-to-one


def phone_for(index: int) -> str:
    """The unique phone of generated person `index` (E.164)."""
    return f"+2126{(index * PHONE_STEP) % PHONE_SPAN + 20_000_000:08d}"


@dataclass(frozen=True)
class Person:
    index: int
    given_name: str
    family_name: str
    sex: str
    birth_year: int | None
    nationality: str
    group: str
    country_of_residence: str
    arrival_year: int | None
    languages: str
    phone: str
    email: str
    needs: list[str]
    neighbourhood: int  # position in the list of neighbourhoods (-1: none, the last)
    created_at: datetime
    anonymised: bool


def _ascii(text: str) -> str:
    table = str.maketrans("ïéëèôç", "ieeeoc", " '")
    return text.lower().translate(table)


def person(index: int, total: int, seed: int = SEED, *, erased: bool = True) -> Person:
    """Generated person `index` of `total` (the creation dates spread over the years
    in index order, like the ids); about 1 % erased (anonymised) unless not `erased`."""
    rng = random.Random(seed * 1_000_003 + index)
    group, _weight, nationalities, arabic_share = rng.choices(
        GROUPS, weights=[g[1] for g in GROUPS]
    )[0]
    nationality = rng.choice(nationalities)
    sex = rng.choices(("female", "male", "unspecified"), weights=(48, 48, 4))[0]
    arabic = rng.random() < arabic_share
    given_pool: tuple[str, ...]
    family_pool: tuple[str, ...]
    if arabic:
        given_pool = ARABIC_GIVEN_FEMALE if sex == "female" else ARABIC_GIVEN_MALE
        family_pool = ARABIC_FAMILY
    else:
        given_pool = LATIN_GIVEN_FEMALE if sex == "female" else LATIN_GIVEN_MALE
        family_pool = LATIN_FAMILY
    given, family = rng.choice(given_pool), rng.choice(family_pool)
    if rng.random() < 0.2:  # a compound given name (محمد أمين, Mariam Awa)
        given = f"{given} {rng.choice(given_pool)}"
    if group == "local_youth":
        birth_year: int | None = rng.randint(1996, 2010)
    else:
        birth_year = min(2010, max(1940, int(rng.gauss(1990, 12))))
    if rng.random() < 0.03:
        birth_year = None
    span = datetime.now(UTC) - FIRST_CREATED
    created = FIRST_CREATED + span * (index / max(total, 1)) + timedelta(minutes=rng.random())
    anonymised = rng.random() < 0.01 and erased
    has_phone = rng.random() < 0.97
    email = f"{_ascii(given) if not arabic else 'p'}.{index}@{EMAIL_DOMAIN}"
    return Person(
        index=index,
        given_name="" if anonymised else given,
        family_name="" if anonymised else family,
        sex=sex,
        birth_year=birth_year,
        nationality=nationality,
        group=group,
        country_of_residence=rng.choice(RESIDENCE) if group == "mre" else "",
        arrival_year=rng.randint(2015, 2026) if group == "newcomer" else None,
        languages="" if anonymised else LANGUAGES.get(nationality, "Français"),
        phone=phone_for(index) if has_phone and not anonymised else "",
        email=email if rng.random() < 0.25 and not anonymised else "",
        needs=sorted(rng.sample(NEEDS, rng.choice((0, 1, 1, 2, 3)))),
        neighbourhood=rng.randrange(-1, 6),
        created_at=created,
        anonymised=anonymised,
    )


# --- A messy spreadsheet to import ------------------------------------------------

TITLE = "Liste des bénéficiaires (fictive, banc d'essai)"
HEADER = (
    " Prénom",
    "NOM",
    "Sexe",
    "Année de naissance",  # a year, or a whole date (its year is kept)
    "Nationalité",
    "Groupe",
    "Tél",
    "E-mail",
    "Langues",
    "Besoins",
    "Remarques",  # sensitive: the import leaves it out
    "Quartier",  # not importable: ignored
)
SEX_WRITTEN = {
    "female": ("F", "femme", "Féminin", "أنثى", "f "),
    "male": ("M", "H", "homme", "ذكر", "Masculin"),
    "unspecified": ("", "-", "?"),
}
GROUP_WRITTEN = {
    "newcomer": ("Nouvel arrivant", "newcomer", "وافد جديد", "migrant", "nouvelle arrivante"),
    "local_youth": ("Jeune local", "الشباب المحلي", "local youth", "jeunesse locale"),
    "mre": ("MRE", "مغاربة العالم", "Marocain résidant à l'étranger", "mre"),
    "other": ("Autre", "other", "أخرى"),
}
COUNTRY_WRITTEN = {
    "SN": ("Sénégal", "SN", "السنغال", "senegal"),
    "CI": ("Côte d'Ivoire", "CIV", "CI"),
    "GN": ("Guinée", "GIN", "Guinea"),
    "ML": ("Mali", "مالي", "ML"),
    "SD": ("Soudan", "السودان", "Sudan"),
    "CM": ("Cameroun", "CM"),
    "NG": ("Nigeria", "NGA"),
    "CD": ("CD",),
    "BF": ("Burkina Faso", "BF"),
    "MA": ("Maroc", "المغرب", "MA", "Morocco", "MAR"),
    "FR": ("France", "FR"),
    "ES": ("Espagne", "ES"),
    "DZ": ("Algérie", "الجزائر"),
    "TN": ("Tunisie", "TN"),
    "": ("",),
}
NEED_WRITTEN = {
    "language": ("langue", "cours de langue", "اللغة"),
    "health": ("santé", "الصحة"),
    "education": ("école", "التعليم"),
    "employment": ("emploi", "الشغل", "formation"),
    "legal": ("papiers", "administratif", "قانوني"),
    "housing": ("logement", "السكن"),
    "social": ("aide sociale", "اجتماعي"),
}
NEED_JOINERS = (", ", "; ", "، ", " / ")
# Row errors a staff member would make; each is caught by the dry run.
BROKEN = (
    ("birth", "19xx"),
    ("group", "étudiant"),
    ("phone", "12345"),
    ("email", "karim@"),
    ("nationality", "Wakanda"),
    ("sex", "X"),
    ("given", ""),
    ("needs", "vacances"),
)
BROKEN_COLUMN = {
    "given": 0,
    "sex": 2,
    "birth": 3,
    "nationality": 4,
    "group": 5,
    "phone": 6,
    "email": 7,
    "needs": 9,
}


def _phone_written(e164: str, rng: random.Random, as_number: bool) -> object:
    """A Moroccan number as people type it; a number cell loses the leading 0."""
    national = "0" + e164[4:]  # +2126xxxxxxxx -> 06xxxxxxxx
    if as_number and rng.random() < 0.3:
        return int(national)
    pairs = " ".join(national[i : i + 2] for i in range(0, 10, 2))
    dotted = ".".join(national[i : i + 2] for i in range(0, 10, 2))
    return rng.choice((national, pairs, e164, "+212 " + e164[4:], dotted))


def _birth_written(year: int | None, rng: random.Random, xlsx: bool) -> object:
    if year is None:
        return ""
    if rng.random() < 0.5:
        return year if xlsx else str(year)
    day = date(year, rng.randint(1, 12), rng.randint(1, 28))
    if xlsx and rng.random() < 0.5:
        return datetime(day.year, day.month, day.day)
    return f"{day:%d/%m/%Y}"


def import_rows(
    count: int, existing: int, *, xlsx: bool, seed: int = SEED
) -> Iterator[list[object]]:
    """`count` rows of people for the import, after a title row and the header: most
    are new people (new phones +21270... and +21271...), about 5 % are already in the registry
    (their phone written another way, or their name and birth year), about 2 % repeat
    an earlier row of the file, about 4 % have a mistake; cells spaced, cased and
    spelled as in real sheets."""
    rng = random.Random(seed + (1 if xlsx else 0))
    yield [TITLE, *[""] * (len(HEADER) - 1)]  # as Excel saves it: every cell
    yield [*HEADER]
    earlier: list[list[object]] = []
    for number in range(count):
        roll = rng.random()
        if roll < 0.02 and earlier:
            yield list(rng.choice(earlier))
            continue
        known = roll < 0.07 and existing > 0
        source = person(rng.randrange(existing), existing) if known else None
        if source is None or source.anonymised:
            source = person(number, count, seed=seed + 7, erased=False)  # someone new
            phone = f"+21270{(number * 7_919) % 10_000_000:07d}"
        else:
            phone = source.phone if rng.random() < 0.6 else f"+21271{number:07d}"
        row: list[object] = [
            rng.choice((source.given_name, f" {source.given_name} ", source.given_name.upper())),
            rng.choice((source.family_name, source.family_name.upper(), f"{source.family_name} ")),
            rng.choice(SEX_WRITTEN[source.sex]),
            _birth_written(source.birth_year, rng, xlsx),
            rng.choice(COUNTRY_WRITTEN.get(source.nationality, ("",))),
            rng.choice(GROUP_WRITTEN[source.group]),
            _phone_written(phone, rng, xlsx) if rng.random() < 0.95 else "",
            source.email.upper() if source.email and rng.random() < 0.3 else source.email,
            source.languages,
            rng.choice(NEED_JOINERS).join(rng.choice(NEED_WRITTEN[n]) for n in source.needs),
            "à revoir" if rng.random() < 0.1 else "",
            rng.choice(("Centre", "", "Douar 2")),
        ]
        if rng.random() < 0.04:
            what, value = rng.choice(BROKEN)
            row[BROKEN_COLUMN[what]] = value
        if rng.random() < 0.002:
            row = [""] * len(HEADER)  # a blank row in the middle: skipped
        if len(earlier) < 500:
            earlier.append(row)
        yield row


def write_csv(path: Path, count: int, existing: int) -> None:
    """The rows as French Excel saves CSV UTF-8: a BOM, ';' between cells, CRLF."""
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out, delimiter=";")
        for row in import_rows(count, existing, xlsx=False):
            writer.writerow(row)


def write_xlsx(path: Path, count: int, existing: int) -> None:
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Bénéficiaires")
    for row in import_rows(count, existing, xlsx=True):
        sheet.append(row)
    workbook.save(path)
