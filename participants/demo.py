"""About 40 clearly fictional people of the registry, across the groups, with their
consents and support requests; their e-mail addresses mark them as demo records. And
the registry's past: people entered in 2024 and 2025 with their requests of several
kinds, outcomes and referrals to partners, so that the PAC report of those years is
full (the dates are fixed in those years, not counted from today)."""

from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from belfaa.demo import coordinator
from participants.models import Consent, Neighbourhood, Participant, SupportRequest
from participants.services import participant_create, referral_outcome_record
from partners.demo import organisation
from partners.models import Membership

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


def seed() -> list[str]:
    if Neighbourhood.objects.exists():
        return []
    for name in ("بلفاع المركز", "دوار تاركا", "دوار إداوسملال"):
        Neighbourhood.objects.create(name_ar=name, name=name)
    places = list(Neighbourhood.objects.all())
    recorder = coordinator()
    md = organisation("md")
    today = timezone.localdate()
    for n in range(40):
        group, nationality = REGISTRY_GROUPS[n % len(REGISTRY_GROUPS)]
        given, family = REGISTRY_NAMES[n % len(REGISTRY_NAMES)]
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
            "email": f"demo-person-{n:02d}@example.org",
            "needs": [("language", "legal"), ("employment",), ("investment",), ("health",)][n % 4],
            "legal_status": "regularised" if group == "newcomer" else "not_applicable",
            "notes": "Fiche de démonstration : personne fictive.",
        }
        person = participant_create(**fields)
        Consent.objects.bulk_create(
            Consent(
                participant=person,
                purpose=purpose,
                given_at=today - timedelta(days=30 + n),
                method="written",
                recorded_by=recorder,
            )
            for purpose in ("registry", "statistics", "contact")
        )
        if n % 3 == 0:
            SupportRequest.objects.create(
                participant=person,
                kind=("administrative", "language", "employment", "investment")[n % 4],
                opened_on=today - timedelta(days=n * 3),
                status="referred",
                referred_to=md,
                follow_up_notes="Suivi de démonstration.",
            )
    _referrals(recorder, md, today)
    for year in PAST_PEOPLE:
        _past_year(year, recorder, places)
    return []


# (kind, status, outcome, partner key or "", partner's outcome) in turn: every kind the
# report names, met and unmet needs, referrals the partners took up or could not help.
PAST_REQUESTS = [
    ("administrative", "resolved", "met", "", ""),
    ("legal", "closed", "referred", "md", "done"),
    ("health", "resolved", "met", "", ""),
    ("school", "resolved", "partly", "", ""),
    ("language", "closed", "met", "assoc", "done"),
    ("employment", "closed", "not_met", "enabel", "could_not_help"),
    ("health", "closed", "referred", "md", "taken_up"),
    ("investment", "in_progress", "", "", ""),
    ("housing", "closed", "withdrawn", "", ""),
    ("training", "closed", "partly", "enabel", "done"),
    ("social", "resolved", "met", "", ""),
    ("health", "closed", "met", "md", "done"),
]
PAST_PEOPLE = {2024: 22, 2025: 28}  # how many were entered each year


def _past_year(year: int, recorder: Any, places: list[Any]) -> None:
    """PAST_PEOPLE people entered during `year` (created_at backdated: the report
    counts them by it), each with a request opened soon after, some referred."""
    partners = {key: organisation(key) for key in ("md", "assoc", "enabel")}
    tz = timezone.get_current_timezone()
    for n in range(PAST_PEOPLE[year]):
        group, nationality = REGISTRY_GROUPS[(n + year) % len(REGISTRY_GROUPS)]
        given, family = REGISTRY_NAMES[(n * 3 + year) % len(REGISTRY_NAMES)]
        entered = date(year, 1 + n % 12, 2 + (n * 5) % 25)
        person = participant_create(
            given_name=given,
            family_name=f"{family} {year % 100}{n:02d}",
            sex=("female", "male")[n % 2] if n % 11 else "unspecified",
            # From 12 to 66 years old: every age band of the report.
            birth_year=year - (12 + (n * 17) % 55),
            nationality=nationality,
            group=group,
            neighbourhood=places[n % len(places)],
            country_of_residence="FR" if group == "mre" else "",
            arrival_year=min(year, 2018 + n % 7) if group == "newcomer" else None,
            languages="Bambara, français" if nationality == "ML" else "العربية، الفرنسية",
            phone=f"+2126{year % 100}{n:06d}",
            email=f"demo-person-{year}-{n:02d}@example.org",
            needs=[("language",), ("health", "legal"), ("employment",), ("education",)][n % 4],
            legal_status="regularised" if group == "newcomer" else "not_applicable",
            notes="Fiche de démonstration : personne fictive.",
        )
        Participant.objects.filter(pk=person.pk).update(
            created_at=datetime.combine(entered, time(10), tzinfo=tz)
        )
        Consent.objects.bulk_create(
            Consent(
                participant=person,
                purpose=purpose,
                given_at=entered,
                method="written",
                recorded_by=recorder,
            )
            for purpose in ("registry", "statistics", "contact")
        )
        if n % 7 == 3:
            continue  # registered, no request yet
        kind, status, outcome, partner, partner_outcome = PAST_REQUESTS[n % len(PAST_REQUESTS)]
        # Some come back the next year with another need (the last past year's are open).
        opened = entered + timedelta(days=3) if n % 5 else date(year + 1, 1 + n % 10, 10)
        done = status in ("resolved", "closed")
        SupportRequest.objects.create(
            participant=person,
            kind=kind,
            opened_on=opened,
            status=status,
            referred_to=partners[partner] if partner else None,
            outcome=outcome,
            closed_on=opened + timedelta(days=20) if done else None,
            partner_outcome=partner_outcome,
            partner_outcome_at=(
                datetime.combine(opened + timedelta(days=10), time(15), tzinfo=tz)
                if partner_outcome
                else None
            ),
            follow_up_notes="Suivi de démonstration.",
        )


def _referrals(recorder: Any, md: Any, today: Any) -> None:
    """Of the requests referred to M&D: one whose person consents to sharing with M&D,
    one without that consent, and one with the partner's outcome recorded."""
    referred = list(
        SupportRequest.objects.filter(referred_to=md).select_related("participant").order_by("pk")
    )
    if len(referred) < 3:
        return
    with_consent, _without, answered = referred[:3]
    for request in (with_consent, answered):
        Consent.objects.create(
            participant=request.participant,
            purpose=Consent.Purpose.SHARING,
            partner=md,
            given_at=today - timedelta(days=20),
            method=Consent.Method.WRITTEN,
            recorded_by=recorder,
        )
    # Recorded by M&D's portal user when the partners' demo made one.
    member = Membership.objects.filter(organisation=md).select_related("user").first()
    referral_outcome_record(
        request_id=answered.pk,
        organisation_id=md.pk,
        by=member.user if member else recorder,
        outcome=SupportRequest.PartnerOutcome.TAKEN_UP,
        note="Rendez-vous fixé avec le juriste (démonstration).",
    )
