"""Load the Belfaa demo: the commune, its action plan, partners, activities and one
account per role. Idempotent (it updates what it already made); refuses to run
with DEBUG off unless forced, so no demo account reaches production by mistake."""

from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from belfaa.models import User
from belfaa.roles import COORDINATOR, OFFICER, VIEWER, roles_sync
from events.models import Event, Registration
from participants.models import Consent, Neighbourhood, Participant, SupportRequest
from participants.services import participant_create
from partners.models import Agreement, Membership, Organisation
from programs.models import Commune, PlanPeriod, Programme

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

REGISTRY_GROUPS = [
    ("newcomer", "SN"),
    ("newcomer", "CI"),
    ("local_youth", "MA"),
    ("mre", "MA"),
    ("newcomer", "GN"),
    ("newcomer", "ML"),
    ("local_youth", "MA"),
    ("other", "SD"),
]
REGISTRY_NAMES = [
    ("Awa", "Démo"),
    ("Mamadou", "Exemple"),
    ("سعاد", "التجريبية"),
    ("Rachid", "Fictif"),
    ("Aïssatou", "Essai"),
    ("Oumar", "Test"),
    ("إبراهيم", "النموذجي"),
    ("Fatoumata", "Démo"),
]

DEMO_PASSWORD = "belfaa-demo-2026"  # noqa: S105 (demo only; the command refuses production)

STAFF = [
    ("coordinator@belfaa.demo", "Samira", "Aït Lahcen", COORDINATOR),
    ("officer@belfaa.demo", "Youssef", "Id Brahim", OFFICER),
    ("viewer@belfaa.demo", "Fatima", "Ouhammou", VIEWER),
]
PARTNER_USER = ("partner@md.demo", "Hassan", "Bouzid")


def _tr(ar: str, fr: str, en: str) -> dict[str, str]:
    return {"ar": ar, "fr": fr, "en": en}


def _translated(field: str, texts: dict[str, str]) -> dict[str, str]:
    return {f"{field}_{lang}": text for lang, text in texts.items()}


class Command(BaseCommand):
    help = "Load the Belfaa demo data and demo accounts (local development only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even though DEBUG is off (never in production).",
        )

    def handle(self, *args: Any, force: bool = False, **options: Any) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates demo accounts with a known password: it refuses to run "
                "with DEBUG off. Use --force only on a throwaway database."
            )
        with transaction.atomic():
            roles_sync()
            programmes = self._plan()
            organisations = self._partners(programmes)
            self._events(programmes, organisations)
            self._accounts(organisations["md"])
            self._registry(organisations)
        self._print_logins()

    def _plan(self) -> dict[str, Programme]:
        commune, _ = Commune.objects.update_or_create(
            pk=1,
            defaults={
                **_translated("name", _tr("بلفاع", "Belfaa", "Belfaa")),
                **_translated(
                    "province", _tr("إقليم اشتوكة آيت باها", "Chtouka Aït Baha", "Chtouka Aït Baha")
                ),
                **_translated("region", _tr("جهة سوس ماسة", "Souss-Massa", "Souss-Massa")),
            },
        )
        period, _ = PlanPeriod.objects.update_or_create(
            commune=commune,
            start_year=2021,
            defaults={
                "end_year": 2027,
                **_translated(
                    "title",
                    _tr(
                        "برنامج عمل الجماعة",
                        "Plan d'action de la commune (PAC)",
                        "Commune action plan (PAC)",
                    ),
                ),
            },
        )
        specs = {
            "mig-1-accueil": (
                _tr(
                    "استقبال وتوجيه الوافدين الجدد",
                    "Accueil et orientation des nouveaux arrivants",
                    "Reception and orientation of newcomers",
                ),
                _tr(
                    "مكتب استقبال وتوجيه المهاجرين: الإرشاد والتوجيه نحو الخدمات والشركاء.",
                    "Le BAOM informe et oriente vers les services et les partenaires.",
                    "The BAOM informs and refers people to services and partners.",
                ),
            ),
            "mig-2-mre": (
                _tr(
                    "مغاربة العالم: الروابط والاستثمار",
                    "Marocains du monde : liens et investissement",
                    "Moroccans living abroad: ties and investment",
                ),
                _tr(
                    "مواكبة مغاربة العالم المنحدرين من الجماعة في مشاريعهم.",
                    "Accompagner les Marocains du monde originaires de la commune "
                    "dans leurs projets.",
                    "Support Moroccans living abroad from the commune in their projects.",
                ),
            ),
            "mig-3-jeunesse": (
                _tr(
                    "أنشطة مشتركة بين شباب الجماعة والوافدين الجدد",
                    "Activités communes des jeunes de la commune et des nouveaux arrivants",
                    "Joint activities for local youth and newcomers",
                ),
                _tr(
                    "لقاءات ورياضة وثقافة من أجل العيش المشترك.",
                    "Rencontres, sport et culture pour vivre ensemble.",
                    "Meetings, sport and culture for living together.",
                ),
            ),
        }
        programmes = {}
        for code, (title, description) in specs.items():
            programmes[code], _ = Programme.objects.update_or_create(
                period=period,
                code=code,
                defaults={**_translated("title", title), **_translated("description", description)},
            )
        return programmes

    def _partners(self, programmes: dict[str, Programme]) -> dict[str, Organisation]:
        specs: dict[str, dict[str, Any]] = {
            "md": {
                "acronym": "M&D",
                "kind": Organisation.Kind.NGO,
                "city": "Agadir",
                "country": "MA",
                "name": _tr(
                    "جمعية الهجرة والتنمية (فرع أكادير)",
                    "Migrations & Développement (antenne d'Agadir)",
                    "Migrations & Développement (Agadir branch)",
                ),
                "description": _tr(
                    "شريك الجماعة في إحداث مكتب استقبال وتوجيه المهاجرين.",
                    "Partenaire de la commune pour la création du BAOM.",
                    "The commune's partner in creating the BAOM.",
                ),
            },
            "jette": {
                "acronym": "",
                "kind": Organisation.Kind.COMMUNE,
                "city": "Jette",
                "country": "BE",
                "name": _tr("جماعة جيت", "Commune de Jette", "Commune of Jette"),
                "description": _tr(
                    "جماعة بلجيكية شريكة في إطار برنامج التعاون بين الجماعات منذ 2015.",
                    "Commune belge jumelée dans le programme de coopération "
                    "de commune à commune depuis 2015.",
                    "Belgian twin commune in the commune-to-commune cooperation "
                    "programme since 2015.",
                ),
            },
            "enabel": {
                "acronym": "Enabel",
                "kind": Organisation.Kind.AGENCY,
                "city": "Bruxelles",
                "country": "BE",
                "name": _tr(
                    "الوكالة البلجيكية للتنمية (إنابل)",
                    "Enabel, agence belge de développement",
                    "Enabel, Belgian development agency",
                ),
                "description": _tr(
                    "تدعم تنزيل السياسات الجهوية للهجرة (مشروع DEPOMI).",
                    "Appuie le déploiement des politiques migratoires régionales (projet DEPOMI).",
                    "Supports regional migration policies (DEPOMI project).",
                ),
            },
            "assoc": {
                "acronym": "",
                "kind": Organisation.Kind.ASSOCIATION,
                "city": "Belfaa",
                "country": "MA",
                "name": _tr(
                    "جمعية شباب بلفاع (تجريبية)",
                    "Association des jeunes de Belfaa (démo)",
                    "Belfaa youth association (demo)",
                ),
                "description": _tr(
                    "جمعية محلية تشارك في تنظيم الأنشطة المشتركة.",
                    "Association locale qui co-organise les activités communes.",
                    "Local association that co-organises the joint activities.",
                ),
            },
        }
        organisations = {}
        for key, spec in specs.items():
            organisations[key], _ = Organisation.objects.update_or_create(
                name_fr=spec["name"]["fr"],
                defaults={
                    "acronym": spec["acronym"],
                    "kind": spec["kind"],
                    "city": spec["city"],
                    "country": spec["country"],
                    **_translated("name", spec["name"]),
                    **_translated("description", spec["description"]),
                },
            )
        baom, _ = Agreement.objects.update_or_create(
            organisation=organisations["md"],
            kind=Agreement.Kind.PARTNERSHIP,
            defaults={
                "signed_on": date(2022, 6, 1),
                **_translated(
                    "title",
                    _tr(
                        "اتفاقية شراكة لإحداث مكتب استقبال وتوجيه المهاجرين",
                        "Convention de partenariat créant le BAOM",
                        "Partnership agreement creating the BAOM",
                    ),
                ),
                **_translated(
                    "summary",
                    _tr(
                        "يونيو 2022: إحداث مكتب استقبال وتوجيه المهاجرين بالجماعة.",
                        "Juin 2022 : création du bureau d'accueil et d'orientation des migrants.",
                        "June 2022: creation of the reception and orientation office for migrants.",
                    ),
                ),
            },
        )
        baom.programmes.set([programmes["mig-1-accueil"]])
        twinning, _ = Agreement.objects.update_or_create(
            organisation=organisations["jette"],
            kind=Agreement.Kind.TWINNING,
            defaults={
                "signed_on": date(2015, 1, 1),
                **_translated(
                    "title",
                    _tr(
                        "اتفاقية توأمة وتعاون بين بلفاع وجيت",
                        "Accord de jumelage et de coopération Belfaa-Jette",
                        "Belfaa-Jette twinning and cooperation agreement",
                    ),
                ),
                **_translated(
                    "summary",
                    _tr(
                        "التعاون بين الجماعات منذ 2015.",
                        "Coopération de commune à commune depuis 2015.",
                        "Commune-to-commune cooperation since 2015.",
                    ),
                ),
            },
        )
        twinning.programmes.set([programmes["mig-2-mre"], programmes["mig-3-jeunesse"]])
        return organisations

    def _events(
        self, programmes: dict[str, Programme], organisations: dict[str, Organisation]
    ) -> None:
        today = timezone.localdate()

        def at(days: int, hour: int) -> datetime:
            return timezone.make_aware(datetime.combine(today + timedelta(days=days), time(hour)))

        specs: list[dict[str, Any]] = [
            {
                "slug": "rencontre-ouverte-jeunes-nouveaux-arrivants",
                "kind": Event.Kind.MEETING,
                "starts_at": at(10, 16),
                "ends_at": at(10, 19),
                "capacity": 60,
                "programme": programmes["mig-3-jeunesse"],
                "partners": [organisations["md"], organisations["assoc"]],
                "title": _tr(
                    "لقاء مفتوح بين شباب بلفاع والوافدين الجدد",
                    "Rencontre ouverte : jeunes de Belfaa et nouveaux arrivants",
                    "Open meeting: Belfaa youth and newcomers",
                ),
                "summary": _tr(
                    "حوار وتعارف بين شباب الجماعة والوافدين الجدد من دول جنوب الصحراء.",
                    "Dialogue et rencontre entre les jeunes de la commune et les nouveaux "
                    "arrivants subsahariens.",
                    "Dialogue between local youth and newcomers from sub-Saharan Africa.",
                ),
                "venue": _tr(
                    "دار الشباب بلفاع", "Maison des jeunes de Belfaa", "Belfaa youth centre"
                ),
            },
            {
                "slug": "tournoi-football-amitie",
                "kind": Event.Kind.SPORT,
                "starts_at": at(24, 9),
                "ends_at": at(24, 13),
                "capacity": 80,
                "programme": programmes["mig-3-jeunesse"],
                "partners": [organisations["jette"], organisations["assoc"]],
                "title": _tr(
                    "دوري الصداقة لكرة القدم",
                    "Tournoi de football de l'amitié",
                    "Friendship football tournament",
                ),
                "summary": _tr(
                    "فرق مختلطة من شباب الجماعة والوافدين الجدد.",
                    "Des équipes mixtes de jeunes de la commune et de nouveaux arrivants.",
                    "Mixed teams of local youth and newcomers.",
                ),
                "venue": _tr("الملعب البلدي", "Terrain municipal", "Municipal pitch"),
            },
            {
                "slug": "cours-darija-debutants",
                "kind": Event.Kind.LANGUAGE,
                "starts_at": at(3, 18),
                "ends_at": at(3, 20),
                "capacity": 6,
                "programme": programmes["mig-1-accueil"],
                "partners": [organisations["md"]],
                "title": _tr(
                    "درس الدارجة للمبتدئين",
                    "Cours de darija pour débutants",
                    "Darija class for beginners",
                ),
                "summary": _tr(
                    "أول الكلمات للحياة اليومية في بلفاع.",
                    "Les premiers mots pour la vie de tous les jours à Belfaa.",
                    "First words for everyday life in Belfaa.",
                ),
                "venue": _tr("مقر الجماعة", "Siège de la commune", "Commune hall"),
            },
            {
                "slug": "soiree-culturelle",
                "kind": Event.Kind.CULTURE,
                "starts_at": at(-30, 19),
                "ends_at": at(-30, 22),
                "capacity": 40,
                "programme": programmes["mig-3-jeunesse"],
                "partners": [organisations["jette"]],
                "title": _tr(
                    "أمسية ثقافية: موسيقى وحكايات",
                    "Soirée culturelle : musiques et contes",
                    "Cultural evening: music and tales",
                ),
                "summary": _tr(
                    "موسيقى سوس وموسيقى غرب إفريقيا على نفس الخشبة.",
                    "Musiques du Souss et d'Afrique de l'Ouest sur la même scène.",
                    "Music from the Souss and West Africa on one stage.",
                ),
                "venue": _tr(
                    "دار الشباب بلفاع", "Maison des jeunes de Belfaa", "Belfaa youth centre"
                ),
            },
        ]
        for spec in specs:
            event, _ = Event.objects.update_or_create(
                slug=spec["slug"],
                defaults={
                    "kind": spec["kind"],
                    "status": Event.Status.PUBLISHED,
                    "starts_at": spec["starts_at"],
                    "ends_at": spec["ends_at"],
                    "capacity": spec["capacity"],
                    "programme": spec["programme"],
                    **_translated("title", spec["title"]),
                    **_translated("summary", spec["summary"]),
                    **_translated("venue", spec["venue"]),
                },
            )
            event.partners.set(spec["partners"])
            self._registrations(event)

    def _registrations(self, event: Event) -> None:
        """Clearly fictional people; the past activity has its attendance taken."""
        past = event.ends_at < timezone.now()
        for n, (name, group, sex, birth_year) in enumerate(DEMO_PEOPLE[: event.capacity + 2]):
            full = n >= event.capacity
            Registration.objects.update_or_create(
                event=event,
                phone=f"+2126000{event.pk:03d}{n:02d}",
                defaults={
                    "name": name,
                    "email": f"demo{n}@example.org" if n % 2 else "",
                    "birth_year": birth_year,
                    "sex": sex,
                    "group": group,
                    "language": ("ar", "fr", "en")[n % 3],
                    "consent_processing": True,
                    "status": Registration.Status.WAITLISTED
                    if full
                    else Registration.Status.CONFIRMED,
                    "attended_at": event.starts_at if past and not full and n % 4 else None,
                },
            )

    def _registry(self, organisations: dict[str, Organisation]) -> None:
        """About 40 clearly fictional people across the groups, with consents and
        support requests; their e-mail addresses mark them as demo records."""
        for name in ("بلفاع المركز", "دوار تاركا", "دوار إداوسملال"):
            Neighbourhood.objects.get_or_create(name_ar=name, defaults={"name": name})
        places = list(Neighbourhood.objects.all())
        coordinator = User.objects.get(email=STAFF[0][0])
        today = timezone.localdate()
        for n in range(40):
            group, nationality = REGISTRY_GROUPS[n % len(REGISTRY_GROUPS)]
            given, family = REGISTRY_NAMES[n % len(REGISTRY_NAMES)]
            email = f"demo-person-{n:02d}@example.org"
            fields: dict[str, Any] = {
                "given_name": given,
                "family_name": f"{family} {n:02d}",
                "sex": ("female", "male", "unspecified")[n % 3 if n % 7 else 2],
                "birth_year": 1975 + (n * 7) % 35,
                "nationality": nationality,
                "group": group,
                "neighbourhood": places[n % len(places)],
                "country_of_residence": "BE" if group == "mre" else "",
                "arrival_year": 2019 + n % 6 if group == "newcomer" else None,
                "languages": "Wolof, français" if nationality == "SN" else "العربية، الأمازيغية",
                "phone": f"+2126110{n:05d}",
                "email": email,
                "needs": [("language", "legal"), ("employment",), ("investment",), ("health",)][
                    n % 4
                ],
                "legal_status": "regularised" if group == "newcomer" else "not_applicable",
                "notes": "Fiche de démonstration : personne fictive.",
            }
            person = Participant.objects.filter(email=email).first()
            if person is None:
                person = participant_create(**fields)
            for purpose in ("registry", "statistics", "contact"):
                Consent.objects.get_or_create(
                    participant=person,
                    purpose=purpose,
                    defaults={
                        "given_at": today - timedelta(days=30 + n),
                        "method": "written",
                        "recorded_by": coordinator,
                    },
                )
            if n % 3 == 0:
                SupportRequest.objects.get_or_create(
                    participant=person,
                    kind=("administrative", "language", "employment", "investment")[n % 4],
                    defaults={
                        "opened_on": today - timedelta(days=n * 3),
                        "status": "referred",
                        "referred_to": organisations["md"],
                        "follow_up_notes": "Suivi de démonstration.",
                    },
                )

    def _accounts(self, partner_organisation: Organisation) -> None:
        for email, first, last, role in STAFF:
            user = self._user(email, first, last, is_staff=True)
            user.groups.set([Group.objects.get(name=role)])
        partner = self._user(*PARTNER_USER, is_staff=False)
        Membership.objects.update_or_create(
            user=partner, defaults={"organisation": partner_organisation}
        )

    def _user(self, email: str, first: str, last: str, *, is_staff: bool) -> User:
        user, _ = User.objects.update_or_create(
            email=email,
            defaults={
                "first_name": first,
                "last_name": last,
                "is_staff": is_staff,
                "is_active": True,
            },
        )
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        return user

    def _print_logins(self) -> None:
        self.stdout.write(self.style.SUCCESS("Demo data loaded. Demo sign-ins (password for all):"))
        self.stdout.write(f"  password: {DEMO_PASSWORD}")
        for email, _first, _last, role in STAFF:
            self.stdout.write(f"  {role:<12} {email}")
        self.stdout.write(f"  {'Partner':<12} {PARTNER_USER[0]} (Migrations & Développement)")
