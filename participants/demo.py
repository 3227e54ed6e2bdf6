"""About 40 clearly fictional people of the registry, across the groups, with their
consents and support requests; their e-mail addresses mark them as demo records."""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from belfaa.demo import coordinator
from participants.models import Consent, Neighbourhood, SupportRequest
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
    return []


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
