"""The partners' facts for the action plan, through the programmes' registry."""

from datetime import date
from decimal import Decimal

import pytest

from partners import services
from partners.models import Agreement
from programs.measures import measure_get
from tests.partners.helpers import agreement

pytestmark = pytest.mark.django_db
YEAR = {"start": date(2025, 1, 1), "end": date(2025, 12, 31)}


def test_agreements_contributions_and_commitments_on_time_are_measured() -> None:
    made = agreement(
        status=Agreement.Status.ACTIVE, signed_on=date(2024, 1, 1), ends_on=date(2026, 1, 1)
    )
    agreement(reference="draft")
    agreement(
        status=Agreement.Status.ENDED,
        signed_on=date(2020, 1, 1),
        ends_on=date(2021, 1, 1),
        reference="old",
    )
    party = made.parties.get().organisation
    add = services.contribution_add
    add(
        agreement_id=made.pk,
        organisation_id=party.pk,
        year=2025,
        amount=Decimal("10.10"),
        currency="MAD",
    )
    add(
        agreement_id=made.pk,
        organisation_id=party.pk,
        year=2025,
        amount=Decimal("3"),
        currency="EUR",
        rate_to_mad=Decimal("10.5"),
        rate_on=date(2025, 1, 1),
    )
    add(
        agreement_id=made.pk,
        organisation_id=party.pk,
        year=2024,
        amount=Decimal("99"),
        currency="MAD",
    )
    on_time = services.commitment_add(
        agreement_id=made.pk, organisation_id=party.pk, description="a", due_on=date(2025, 5, 1)
    )
    late = services.commitment_add(
        agreement_id=made.pk, organisation_id=party.pk, description="b", due_on=date(2025, 6, 1)
    )
    services.commitment_done(commitment_id=on_time.pk, done_on=date(2025, 4, 1))
    services.commitment_done(commitment_id=late.pk, done_on=date(2025, 7, 1))

    assert measure_get("partners.active_agreements").value(**YEAR) == 1
    assert measure_get("partners.active_agreements").value(**YEAR, by="kind") == {"partnership": 1}
    money = measure_get("partners.contributions_mad")
    assert money.value(**YEAR) == Decimal("41.60")
    assert money.value(**YEAR, by="partner") == {party.name: Decimal("41.60")}
    assert money.value(start=date(2024, 1, 1), end=date(2025, 12, 31), by="year") == {
        "2024": Decimal("99.00"),
        "2025": Decimal("41.60"),
    }
    assert measure_get("partners.commitments_on_time").value(**YEAR) == 1
