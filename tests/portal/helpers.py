"""Builders for the portal tests: a partner's agreements, money and activities."""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from events.models import Event, Registration
from partners.models import Agreement, Amendment, Commitment, Contribution, Organisation, Party
from tests.factories import EventFactory
from tests.partners.helpers import agreement, pdf


def org_of(user: object) -> Organisation:
    return Organisation.objects.get(memberships__user=user)


def md_agreement(md: Organisation, *, reference: str = "CONV-MD-2022") -> Agreement:
    made = agreement(
        status=Agreement.Status.ACTIVE,
        signed_on=date(2022, 6, 1),
        starts_on=date(2022, 6, 15),
        ends_on=date(2030, 6, 14),
        partner=md,
        reference=reference,
    )
    made.title_en = "Reception and orientation office"
    made.document.save("signed.pdf", pdf())
    made.save()
    Amendment.objects.create(
        agreement=made, number=1, signed_on=date(2024, 1, 10), changes="Budget raised"
    ).document.save("a.pdf", pdf())
    return made


def money(agreement: Agreement, md: Organisation, other: Organisation) -> None:
    Party.objects.create(agreement=agreement, organisation=other, role=Party.Role.FUNDER)
    Contribution.objects.create(
        agreement=agreement, organisation=md, year=2023, amount=Decimal("100000.10"), currency="MAD"
    )
    Contribution.objects.create(
        agreement=agreement,
        organisation=other,
        year=2023,
        amount=Decimal("1000.00"),
        currency="EUR",
        rate_to_mad=Decimal("10.912345"),
        rate_on=date(2023, 1, 2),
    )
    Contribution.objects.create(
        agreement=agreement, organisation=md, year=2024, amount=Decimal("0.20"), currency="MAD"
    )
    Commitment.objects.create(
        agreement=agreement,
        organisation=md,
        description='=HYPERLINK("http://evil")',
        due_on=date(2023, 3, 1),
        status=Commitment.Status.LATE,
    )


def activity(md: Organisation, *, attendees: list[tuple[str, str, int | None]]) -> Event:
    """A past activity co-organised by `md` with these attendees (group, sex, birth year)."""
    start = timezone.now() - timedelta(days=30)
    event = EventFactory(starts_at=start, ends_at=start + timedelta(hours=2))
    event.partners.add(md)
    for i, (group, sex, birth_year) in enumerate(attendees):
        Registration.objects.create(
            event=event,
            name="Planted Personname",
            email=f"planted{i}@example.test",
            phone=f"06000000{i:02d}",
            group=group,
            sex=sex,
            birth_year=birth_year,
            language="fr",
            status=Registration.Status.CONFIRMED,
            attended_at=start,
        )
    return event
