"""The staff side: the list, read-only statuses, and the XLSX export."""

import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from partners import services
from partners.models import Agreement
from tests.partners.helpers import agreement

pytestmark = pytest.mark.django_db


def test_the_list_shows_status_days_to_end_and_total_contributions(coordinator, client_for) -> None:
    made = agreement(status=Agreement.Status.ACTIVE, signed_on=date(2024, 1, 1))
    services.contribution_add(
        agreement_id=made.pk,
        organisation_id=made.parties.get().organisation_id,
        year=2024,
        amount=Decimal("1234.50"),
        currency="MAD",
    )
    page = client_for(coordinator).get("/en/admin/partners/agreement/").content.decode()
    assert "AGR-TEST-1" in page and "1234" in page and "active" in page


def test_a_crafted_post_cannot_change_the_status(officer, client_for) -> None:
    made = agreement(status=Agreement.Status.ACTIVE, signed_on=date(2024, 1, 1))
    client_for(officer).post(
        f"/en/admin/partners/agreement/{made.pk}/change/",
        {"status": "terminated", "reference": made.reference, "kind": made.kind},
    )
    made.refresh_from_db()
    assert made.status == Agreement.Status.ACTIVE and not made.status_changes.exists()


def test_the_export_keeps_numbers_as_numbers_and_guards_formulas(viewer, client_for) -> None:
    made = agreement(status=Agreement.Status.ACTIVE, signed_on=date(2024, 1, 1))
    made.title_en = made.title_fr = '=HYPERLINK("http://evil.test","x")'
    made.save()
    party = made.parties.get().organisation
    services.contribution_add(
        agreement_id=made.pk,
        organisation_id=party.pk,
        year=2024,
        amount=Decimal("100.00"),
        currency="EUR",
        rate_to_mad=Decimal("10.9"),
        rate_on=date(2024, 1, 2),
    )
    response = client_for(viewer).post(
        "/en/admin/partners/agreement/", {"action": "export_xlsx", "_selected_action": [made.pk]}
    )
    assert response["Content-Disposition"].startswith("attachment;")
    book = load_workbook(io.BytesIO(response.content))
    agreements, contributions, _commitments = book.worksheets
    title = agreements["B2"]
    assert title.data_type == "s" and title.value.startswith("'=")
    assert agreements["E2"].value.date() == date(2024, 1, 1)
    assert contributions["D2"].value == 100 and contributions["D2"].data_type == "n"
    assert contributions["G2"].value == 1090
