"""Contributions are Decimal money with their currency and rate; commitments fall late."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from partners import services
from partners.models import Agreement, Commitment, Contribution, Party
from partners.selectors import contribution_totals
from partners.tasks import daily_run
from tests.factories import OrganisationFactory
from tests.partners.helpers import agreement

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed() -> Agreement:
    return agreement(
        status=Agreement.Status.ACTIVE,
        signed_on=date(2025, 1, 1),
        starts_on=date(2025, 1, 1),
        ends_on=date(2026, 12, 31),
    )


def _party(signed: Agreement):
    return signed.parties.get().organisation


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"currency": ""}, "Choose the currency"),
        ({"amount": Decimal("-5")}, "more than zero"),
        ({"currency": "EUR"}, "needs its rate to MAD"),
        ({"currency": "USD", "rate_to_mad": Decimal("9.9")}, "needs its rate to MAD"),
    ],
)
def test_bad_contributions_are_refused_and_nothing_stored(signed, fields, message) -> None:
    values = {"year": 2025, "amount": Decimal("100"), "currency": "MAD", **fields}
    with pytest.raises(ValidationError, match=message):
        services.contribution_add(
            agreement_id=signed.pk, organisation_id=_party(signed).pk, **values
        )
    assert not Contribution.objects.exists()


def test_a_contribution_from_a_non_party_is_refused(signed) -> None:
    with pytest.raises(ValidationError, match="not a party"):
        services.contribution_add(
            agreement_id=signed.pk,
            organisation_id=OrganisationFactory().pk,
            year=2025,
            amount=Decimal("1"),
            currency="MAD",
        )
    assert not Contribution.objects.exists()


def test_totals_per_year_and_partner_in_mad_and_in_the_original_currency(signed) -> None:
    md = _party(signed)
    jette = OrganisationFactory()
    services.party_add(agreement_id=signed.pk, organisation_id=jette.pk, role=Party.Role.FUNDER)
    add = services.contribution_add
    add(
        agreement_id=signed.pk,
        organisation_id=md.pk,
        year=2025,
        amount=Decimal("0.10"),
        currency="MAD",
    )
    add(
        agreement_id=signed.pk,
        organisation_id=md.pk,
        year=2025,
        amount=Decimal("0.20"),
        currency="MAD",
    )
    add(
        agreement_id=signed.pk,
        organisation_id=jette.pk,
        year=2025,
        amount=Decimal("1000.05"),
        currency="EUR",
        rate_to_mad=Decimal("10.855"),
        rate_on=date(2025, 3, 1),
    )
    add(
        agreement_id=signed.pk,
        organisation_id=jette.pk,
        year=2026,
        amount=Decimal("100"),
        currency="EUR",
        rate_to_mad=Decimal("11"),
        rate_on=date(2026, 1, 2),
    )
    totals = contribution_totals(Contribution.objects.all())
    # 1000.05 x 10.855 = 10855.54275, to the centime: 10855.54
    assert totals.by_partner_year_mad[(jette.pk, 2025)] == Decimal("10855.54")
    assert totals.by_year_mad[2025] == Decimal("10855.84")
    assert totals.by_year_mad[2026] == Decimal("1100.00")
    assert totals.by_partner_mad[md.pk] == Decimal("0.30")
    assert totals.by_partner_currency[(jette.pk, "EUR")] == Decimal("1100.05")
    assert totals.by_currency == {"MAD": Decimal("0.30"), "EUR": Decimal("1100.05")}
    assert totals.mad == Decimal("11955.84")
    assert all(isinstance(value, Decimal) for value in totals.by_year_mad.values())


@pytest.mark.parametrize("due_on", [date(2024, 12, 31), date(2027, 1, 1)])
def test_a_commitment_due_outside_the_agreement_is_refused(signed, due_on) -> None:
    with pytest.raises(ValidationError, match="within the agreement's dates"):
        services.commitment_add(
            agreement_id=signed.pk,
            organisation_id=_party(signed).pk,
            description="Train the officers",
            due_on=due_on,
        )
    assert not Commitment.objects.exists()


def test_commitments_past_due_become_late_once_and_are_announced_once(
    signed, coordinator, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    md = _party(signed)
    md.contact_email = "contact@md.example.test"
    md.save()
    late = services.commitment_add(
        agreement_id=signed.pk, organisation_id=md.pk, description="Train", due_on=date(2025, 6, 1)
    )
    done = services.commitment_add(
        agreement_id=signed.pk, organisation_id=md.pk, description="Equip", due_on=date(2025, 5, 1)
    )
    services.commitment_done(commitment_id=done.pk, done_on=date(2025, 4, 30))

    with django_capture_on_commit_callbacks(execute=True):
        first = daily_run(today="2025-06-02")
    with django_capture_on_commit_callbacks(execute=True):
        second = daily_run(today="2025-06-03")

    assert first["late_commitments"] == [late.pk] and second["late_commitments"] == []
    late.refresh_from_db()
    done.refresh_from_db()
    assert (late.status, done.status) == (Commitment.Status.LATE, Commitment.Status.DONE)
    assert sorted(m.to[0] for m in mailoutbox) == ["contact@md.example.test", coordinator.email]
    assert second["reminders"] == []
