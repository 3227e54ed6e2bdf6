"""The joint activities of the demo: an open meeting, a football tournament, a darija
class that fills up, and a past cultural evening whose attendance was taken; clearly
fictional people signed up to each."""

from datetime import datetime, time, timedelta
from typing import Any

from django.utils import timezone

from belfaa.demo import tr, translated
from events.models import Event, Registration
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
