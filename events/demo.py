"""The joint activities of the demo: an open meeting, a football tournament, a darija
class that fills up, and a past cultural evening whose attendance was taken; clearly
fictional people signed up to each. And the activities of 2024 and 2025 (dates fixed
in those years): dialogues with what people said, sport, culture, classes, workshops
and outings, most of them joint, with their attendance, so that the PAC report of those
years is full."""

import uuid
from datetime import datetime, time, timedelta
from typing import Any

from django.utils import timezone

from belfaa.demo import tr, translated
from events.models import Event, MeetingOutcome, Registration
from partners.demo import organisation
from programs.demo import programme

# Fictional people (demo only), in both scripts, across the three groups.
DEMO_PEOPLE = [
    ("سلمى التجريبية", "resident", "female", 2004),
    ("Awa Démo", "newcomer", "female", 2001),
    ("Moussa Exemple", "newcomer", "male", 1998),
    ("يوسف النموذجي", "resident", "male", 2006),
    ("Karim Fictif", "mre", "male", 1990),
    ("Fatou Essai", "newcomer", "female", 2003),
    ("نادية الافتراضية", "mre", "female", 1995),
    ("Ibrahima Test", "newcomer", "male", 2000),
    ("Mariam Démo", "other", "unspecified", 1999),
    ("أمين المثالي", "resident", "male", 2008),
]


def _activities() -> list[dict[str, Any]]:
    today = timezone.localdate()

    def at(days: int, hour: int) -> datetime:
        return timezone.make_aware(datetime.combine(today + timedelta(days=days), time(hour)))

    return [
        {
            "slug": "rencontre-ouverte-jeunes-nouveaux-arrivants",
            "kind": Event.Kind.MEETING,
            "starts_at": at(10, 16),
            "ends_at": at(10, 19),
            "capacity": 60,
            "programme": programme("mig-3-jeunesse"),
            "partners": [organisation("md"), organisation("assoc")],
            "title": tr(
                "لقاء مفتوح بين شباب بلفاع والوافدين الجدد",
                "Rencontre ouverte : jeunes de Belfaa et nouveaux arrivants",
                "Open meeting: Belfaa youth and newcomers",
            ),
            "summary": tr(
                "حوار وتعارف بين شباب الجماعة والوافدين الجدد من دول جنوب الصحراء.",
                "Dialogue et rencontre entre les jeunes de la commune et les nouveaux "
                "arrivants subsahariens.",
                "Dialogue between local youth and newcomers from sub-Saharan Africa.",
            ),
            "venue": tr("دار الشباب بلفاع", "Maison des jeunes de Belfaa", "Belfaa youth centre"),
        },
        {
            "slug": "tournoi-football-amitie",
            "kind": Event.Kind.SPORT,
            "starts_at": at(24, 9),
            "ends_at": at(24, 13),
            "capacity": 80,
            "programme": programme("mig-3-jeunesse"),
            "partners": [organisation("jette"), organisation("assoc")],
            "title": tr(
                "دوري الصداقة لكرة القدم",
                "Tournoi de football de l'amitié",
                "Friendship football tournament",
            ),
            "summary": tr(
                "فرق مختلطة من شباب الجماعة والوافدين الجدد.",
                "Des équipes mixtes de jeunes de la commune et de nouveaux arrivants.",
                "Mixed teams of local youth and newcomers.",
            ),
            "venue": tr("الملعب البلدي", "Terrain municipal", "Municipal pitch"),
        },
        {
            "slug": "cours-darija-debutants",
            "kind": Event.Kind.LANGUAGE,
            "starts_at": at(3, 18),
            "ends_at": at(3, 20),
            "capacity": 6,
            "programme": programme("mig-1-accueil"),
            "partners": [organisation("md")],
            "title": tr(
                "درس الدارجة للمبتدئين",
                "Cours de darija pour débutants",
                "Darija class for beginners",
            ),
            "summary": tr(
                "أول الكلمات للحياة اليومية في بلفاع.",
                "Les premiers mots pour la vie de tous les jours à Belfaa.",
                "First words for everyday life in Belfaa.",
            ),
            "venue": tr("مقر الجماعة", "Siège de la commune", "Commune hall"),
        },
        {
            "slug": "soiree-culturelle",
            "kind": Event.Kind.CULTURE,
            "starts_at": at(-30, 19),
            "ends_at": at(-30, 22),
            "capacity": 40,
            "programme": programme("mig-3-jeunesse"),
            "partners": [organisation("jette")],
            "title": tr(
                "أمسية ثقافية: موسيقى وحكايات",
                "Soirée culturelle : musiques et contes",
                "Cultural evening: music and tales",
            ),
            "summary": tr(
                "موسيقى سوس وموسيقى غرب إفريقيا على نفس الخشبة.",
                "Musiques du Souss et d'Afrique de l'Ouest sur la même scène.",
                "Music from the Souss and West Africa on one stage.",
            ),
            "venue": tr("دار الشباب بلفاع", "Maison des jeunes de Belfaa", "Belfaa youth centre"),
        },
    ]


def seed() -> list[str]:
    if Event.objects.exists():
        return []
    for spec in _activities():
        event = Event.objects.create(
            slug=spec["slug"],
            kind=spec["kind"],
            status=Event.Status.PUBLISHED,
            starts_at=spec["starts_at"],
            ends_at=spec["ends_at"],
            capacity=spec["capacity"],
            programme=spec["programme"],
            **translated("title", spec["title"]),
            **translated("summary", spec["summary"]),
            **translated("venue", spec["venue"]),
        )
        event.partners.set(spec["partners"])
        _registrations(event)
    people = _past_people()
    for year in PAST_YEARS:
        for number, spec in enumerate(PAST_ACTIVITIES):
            if year in spec["years"]:
                _past_activity(year, number, spec, people)
    return []


def _registrations(event: Event) -> None:
    """Clearly fictional people; the past activity has its attendance taken."""
    past = event.ends_at < timezone.now()
    for n, (name, group, sex, birth_year) in enumerate(DEMO_PEOPLE[: event.capacity + 2]):
        full = n >= event.capacity
        Registration.objects.create(
            event=event,
            phone=f"+2126000{event.pk:03d}{n:02d}",
            name=name,
            email=f"demo{n}@example.org" if n % 2 else "",
            birth_year=birth_year,
            sex=sex,
            group=group,
            language=("ar", "fr", "en")[n % 3],
            consent_processing=True,
            status=Registration.Status.WAITLISTED if full else Registration.Status.CONFIRMED,
            attended_at=event.starts_at if past and not full and n % 4 else None,
        )


PAST_YEARS = (2024, 2025)
YOUTH = ["Awa", "Moussa", "سلمى", "يوسف", "Fatou", "Ibrahima", "نادية", "أمين", "Aminata"]
YOUTH += ["Cheikh", "هدى", "عمر", "Mariam", "Seydou", "ليلى", "حمزة"]
# Who comes to an activity: everyone (joint), newcomers only, or Moroccans living abroad
# with residents (an investment workshop): the last two are not joint activities.
MIXES = {
    "joint": ("resident", "newcomer", "mre", "other"),
    "newcomers": ("newcomer",),
    "mre": ("mre", "resident"),
}

# month, day, hour, kind, slug (the year is added), programme, partners, who comes,
# how many sign up, the years it took place, title.
PAST_ACTIVITIES: list[dict[str, Any]] = [
    {
        "when": (3, 14, 16),
        "kind": Event.Kind.MEETING,
        "slug": "dialogue-printemps",
        "programme": "mig-3-jeunesse",
        "partners": ("md", "assoc"),
        "mix": "joint",
        "size": 18,
        "years": PAST_YEARS,
        "title": tr(
            "حوار الربيع: الشباب والوافدون الجدد",
            "Dialogue de printemps : jeunes et nouveaux arrivants",
            "Spring dialogue: youth and newcomers",
        ),
    },
    {
        "when": (10, 17, 16),
        "kind": Event.Kind.MEETING,
        "slug": "dialogue-services",
        "programme": "mig-1-accueil",
        "partners": ("md",),
        "mix": "joint",
        "size": 16,
        "years": PAST_YEARS,
        "title": tr(
            "حوار الخريف: الولوج إلى الخدمات",
            "Dialogue d'automne : l'accès aux services",
            "Autumn dialogue: access to services",
        ),
    },
    {
        "when": (4, 20, 9),
        "kind": Event.Kind.SPORT,
        "slug": "match-amitie",
        "programme": "mig-3-jeunesse",
        "partners": ("assoc",),
        "mix": "joint",
        "size": 22,
        "years": PAST_YEARS,
        "title": tr("مباراة الصداقة", "Match de l'amitié", "Friendship match"),
    },
    {
        "when": (6, 8, 9),
        "kind": Event.Kind.SPORT,
        "slug": "tournoi-ete",
        "programme": "mig-3-jeunesse",
        "partners": ("jette", "assoc"),
        "mix": "joint",
        "size": 26,
        "years": PAST_YEARS,
        "title": tr(
            "دوري الصيف لكرة القدم", "Tournoi d'été de football", "Summer football tournament"
        ),
    },
    {
        "when": (8, 3, 17),
        "kind": Event.Kind.SPORT,
        "slug": "volley-plage",
        "programme": "mig-3-jeunesse",
        "partners": ("assoc",),
        "mix": "joint",
        "size": 14,
        "years": (2025,),
        "title": tr("الكرة الطائرة الشاطئية", "Volley sur la plage", "Beach volleyball"),
    },
    {
        "when": (9, 21, 9),
        "kind": Event.Kind.SPORT,
        "slug": "course-solidaire",
        "programme": "mig-3-jeunesse",
        "partners": ("assoc",),
        "mix": "joint",
        "size": 20,
        "years": PAST_YEARS,
        "title": tr("سباق التضامن", "Course solidaire", "Solidarity run"),
    },
    {
        "when": (11, 23, 9),
        "kind": Event.Kind.SPORT,
        "slug": "basket-mixte",
        "programme": "mig-3-jeunesse",
        "partners": ("assoc",),
        "mix": "joint",
        "size": 12,
        "years": (2025,),
        "title": tr("كرة السلة المختلطة", "Basket en équipes mixtes", "Mixed-team basketball"),
    },
    {
        "when": (5, 24, 19),
        "kind": Event.Kind.CULTURE,
        "slug": "fete-musiques",
        "programme": "mig-3-jeunesse",
        "partners": ("jette",),
        "mix": "joint",
        "size": 24,
        "years": PAST_YEARS,
        "title": tr(
            "أمسية موسيقى سوس وغرب إفريقيا",
            "Soirée des musiques du Souss et d'Afrique de l'Ouest",
            "Evening of music from the Souss and West Africa",
        ),
    },
    {
        "when": (2, 10, 18),
        "kind": Event.Kind.LANGUAGE,
        "slug": "darija-hiver",
        "programme": "mig-1-accueil",
        "partners": ("md",),
        "mix": "newcomers",
        "size": 10,
        "years": PAST_YEARS,
        "title": tr("درس الدارجة الشتوي", "Cours de darija d'hiver", "Winter darija class"),
    },
    {
        "when": (7, 12, 10),
        "kind": Event.Kind.WORKSHOP,
        "slug": "atelier-investissement",
        "programme": "mig-2-mre",
        "partners": (),
        "mix": "mre",
        "size": 12,
        "years": PAST_YEARS,
        "title": tr(
            "ورشة الاستثمار لمغاربة العالم",
            "Atelier investissement pour les Marocains du monde",
            "Investment workshop for Moroccans living abroad",
        ),
    },
    {
        "when": (11, 15, 14),
        "kind": Event.Kind.WORKSHOP,
        "slug": "atelier-cv",
        "programme": "mig-1-accueil",
        "partners": ("enabel",),
        "mix": "joint",
        "size": 12,
        "years": (2025,),
        "title": tr(
            "ورشة السيرة الذاتية والبحث عن عمل",
            "Atelier CV et recherche d'emploi",
            "CV and job search workshop",
        ),
    },
    {
        "when": (12, 6, 9),
        "kind": Event.Kind.OUTING,
        "slug": "sortie-parc",
        "programme": "mig-3-jeunesse",
        "partners": ("assoc",),
        "mix": "joint",
        "size": 20,
        "years": PAST_YEARS,
        "title": tr(
            "خرجة إلى المنتزه الوطني سوس ماسة",
            "Sortie au parc national de Souss-Massa",
            "Outing to the Souss-Massa national park",
        ),
    },
]


def _past_people() -> list[dict[str, Any]]:
    """A pool of fictional people who come to the past activities: each keeps one
    person key, so the report counts them once however many activities they came to."""
    groups = ("resident", "newcomer", "resident", "newcomer", "mre", "newcomer", "resident")
    people = []
    for n in range(84):
        people.append(
            {
                "name": f"{YOUTH[n % len(YOUTH)]} Démo {n:02d}",
                "phone": f"+2126200{n:05d}",
                "group": "other" if n % 17 == 16 else groups[n % len(groups)],
                "sex": "unspecified" if n % 19 == 18 else ("female", "male")[n % 2],
                # 12 to 38 years old in 2025: the activities are for young people.
                "birth_year": 1987 + (n * 5) % 27,
                "person_key": uuid.uuid4(),
            }
        )
    return people


def _past_activity(year: int, number: int, spec: dict[str, Any], people: list[Any]) -> None:
    month, day, hour = spec["when"]
    starts = timezone.make_aware(datetime(year, month, day, hour))
    title = spec["title"]
    event = Event.objects.create(
        slug=f"{spec['slug']}-{year}",
        kind=spec["kind"],
        status=Event.Status.COMPLETED,
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        capacity=spec["size"] + 4,
        programme=programme(spec["programme"]),
        **translated("title", title),
        **translated("summary", title),
        **translated(
            "venue", tr("دار الشباب بلفاع", "Maison des jeunes de Belfaa", "Belfaa youth centre")
        ),
    )
    event.partners.set([organisation(key) for key in spec["partners"]])
    signed_up = starts - timedelta(days=10)
    Event.objects.filter(pk=event.pk).update(created_at=starts - timedelta(days=30))
    who = [person for person in people if person["group"] in MIXES[spec["mix"]]]
    offset = (number * 7 + year) % len(who)
    chosen = (who[offset:] + who[:offset])[: spec["size"]]
    Registration.objects.bulk_create(
        Registration(
            event=event,
            person_key=person["person_key"],
            name=person["name"],
            phone=person["phone"],
            birth_year=person["birth_year"],
            sex=person["sex"],
            group=person["group"],
            language=("ar", "fr", "en")[n % 3],
            consent_processing=True,
            status=Registration.Status.CANCELLED if n % 9 == 8 else Registration.Status.CONFIRMED,
            cancelled_at=signed_up + timedelta(days=2) if n % 9 == 8 else None,
            # Most came; a few who signed up did not.
            attended_at=starts if n % 9 != 8 and n % 6 != 5 else None,
            queued_at=signed_up,
        )
        for n, person in enumerate(chosen)
    )
    Registration.objects.filter(event=event).update(created_at=signed_up)
    if spec["kind"] == Event.Kind.MEETING:
        _outcomes(event, year, number)


def _outcomes(event: Event, year: int, number: int) -> None:
    """What people said at a past meeting: three of HEARD, different each meeting."""
    index = PAST_YEARS.index(year) * 2 + (0 if number == 0 else 1)
    for kind, theme, raised_by, text, answer, reason in HEARD[index * 3 : index * 3 + 3]:
        MeetingOutcome.objects.create(
            event=event,
            kind=kind,
            theme=theme,
            raised_by=raised_by,
            programme=programme(answer) if answer else None,
            **translated("text", text),
            **(translated("no_answer_reason", reason) if reason else {}),
        )


C, P = MeetingOutcome.Kind.CONCERN, MeetingOutcome.Kind.PROPOSAL
NO_BUDGET = tr(
    "خارج اختصاصات الجماعة: نقل إلى المصالح الإقليمية.",
    "Hors des compétences de la commune : transmis aux services provinciaux.",
    "Outside the commune's remit: passed on to the provincial services.",
)
# kind, theme, raised by, what was said, programme that answers it, why none does.
HEARD: list[tuple[str, str, str, dict[str, str], str, dict[str, str] | None]] = [
    (
        C,
        "administrative",
        "newcomer",
        tr(
            "صعوبة الحصول على المواعيد لتجديد بطاقة الإقامة.",
            "Difficile d'obtenir un rendez-vous pour renouveler la carte de séjour.",
            "Hard to get an appointment to renew the residence card.",
        ),
        "mig-1-accueil",
        None,
    ),
    (
        P,
        "culture",
        "resident",
        tr(
            "تنظيم دوري كرة القدم بفرق مختلطة كل صيف.",
            "Organiser chaque été un tournoi de football en équipes mixtes.",
            "Hold a mixed-team football tournament every summer.",
        ),
        "mig-3-jeunesse",
        None,
    ),
    (
        C,
        "housing",
        "newcomer",
        tr(
            "أثمنة الكراء مرتفعة وبعض الملاك يرفضون الوافدين.",
            "Loyers élevés, et des propriétaires refusent les nouveaux arrivants.",
            "High rents, and some landlords turn newcomers away.",
        ),
        "",
        NO_BUDGET,
    ),
    (
        C,
        "health",
        "newcomer",
        tr(
            "طول الانتظار في المركز الصحي.",
            "Longue attente au centre de santé.",
            "Long waits at the health centre.",
        ),
        "mig-1-accueil",
        None,
    ),
    (
        P,
        "education",
        "resident",
        tr(
            "دروس الدارجة مساءً لمن يعملون في النهار.",
            "Des cours de darija le soir pour ceux qui travaillent le jour.",
            "Evening darija classes for those who work in the day.",
        ),
        "mig-1-accueil",
        None,
    ),
    (
        C,
        "economic",
        "resident",
        tr(
            "قلة فرص الشغل للشباب في الجماعة.",
            "Peu d'emplois pour les jeunes dans la commune.",
            "Few jobs for young people in the commune.",
        ),
        "",
        None,
    ),
    (
        C,
        "legal",
        "newcomer",
        tr(
            "عدم معرفة الحقوق عند التوقيع على عقد العمل.",
            "Méconnaissance de ses droits à la signature d'un contrat de travail.",
            "Not knowing one's rights when signing a work contract.",
        ),
        "mig-1-accueil",
        None,
    ),
    (
        P,
        "culture",
        "newcomer",
        tr(
            "أمسية للطبخ من بلدان الوافدين.",
            "Une soirée de cuisine des pays des nouveaux arrivants.",
            "A cooking evening with dishes from the newcomers' countries.",
        ),
        "mig-3-jeunesse",
        None,
    ),
    (
        C,
        "social",
        "resident",
        tr(
            "سوء فهم بين الجيران بسبب اختلاف اللغة.",
            "Des malentendus entre voisins faute de langue commune.",
            "Misunderstandings between neighbours for want of a shared language.",
        ),
        "mig-3-jeunesse",
        None,
    ),
    (
        C,
        "administrative",
        "mre",
        tr(
            "بطء المساطر لمشاريع الاستثمار لمغاربة العالم.",
            "Lenteur des démarches pour les projets d'investissement des Marocains du monde.",
            "Slow procedures for the investment projects of Moroccans living abroad.",
        ),
        "",
        tr(
            "البرنامج متوقف في انتظار تمويل الشريك.",
            "Programme à l'arrêt en attendant le financement du partenaire.",
            "The programme is stalled until the partner's funding comes.",
        ),
    ),
    (
        P,
        "economic",
        "newcomer",
        tr(
            "ورشات لإعداد السيرة الذاتية.",
            "Des ateliers pour rédiger son CV.",
            "Workshops to write one's CV.",
        ),
        "mig-1-accueil",
        None,
    ),
    (
        C,
        "housing",
        "newcomer",
        tr(
            "الاكتظاظ في بعض المساكن المشتركة.",
            "Surpeuplement de certains logements partagés.",
            "Overcrowding in some shared housing.",
        ),
        "",
        NO_BUDGET,
    ),
]
