import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from tests.factories import OrganisationFactory
from tests.portal.helpers import activity, md_agreement, money, org_of

pytestmark = pytest.mark.django_db


def test_money_export_keeps_numbers_and_neutralises_formulas(partner_md, client_for):
    md = org_of(partner_md)
    money(md_agreement(md), md, OrganisationFactory(name="Commune de Jette"))
    response = client_for(partner_md).get("/en/portal/agreements/export.xlsx")
    assert response["Content-Disposition"].startswith("attachment")
    book = load_workbook(io.BytesIO(response.content))
    contributions = list(book["Contributions"].values)
    assert contributions[0][0] == "Year"
    amounts = [row[3] for row in contributions[1:]]
    assert all(isinstance(a, (int, float)) for a in amounts)
    assert sum(Decimal(str(row[8])) for row in contributions[1:]) == Decimal("110912.65")
    commitments = list(book["Commitments"].values)
    assert str(commitments[1][1]).startswith("'=")
    cell = book["Commitments"]["B2"]
    assert cell.data_type == "s"


def test_money_csv_neutralises_formulas(partner_md, client_for):
    md = org_of(partner_md)
    money(md_agreement(md), md, OrganisationFactory())
    text = client_for(partner_md).get("/en/portal/agreements/export.csv").content.decode()
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert any(row and row[1].startswith("'=HYPERLINK") for row in rows if len(row) > 1)


def test_attendance_export_writes_suppressed_cells_as_marks(partner_md, client_for):
    md = org_of(partner_md)
    activity(md, attendees=[("resident", "female", 1990)] * 2 + [("newcomer", "male", 1990)] * 9)
    activity(md, attendees=[("resident", "female", 1990)] * 8 + [("newcomer", "male", 1990)] * 6)
    response = client_for(partner_md).get("/en/portal/activities/export.xlsx")
    book = load_workbook(io.BytesIO(response.content))
    values = [
        v
        for sheet in book
        for row in sheet.iter_rows(min_row=2, min_col=3, values_only=True)
        for v in row
    ]
    assert "< 5" in values
    assert not any(isinstance(v, int) and 1 <= v <= 4 for v in values)
    assert "Planted Personname" not in str(values)
    text = client_for(partner_md).get("/en/portal/activities/export.csv").content.decode()
    assert "< 5" in text and "planted" not in text.lower()


def test_exports_are_of_the_partners_own_agreements(partner_md, partner_jette, client_for):
    md = org_of(partner_md)
    money(md_agreement(md), md, OrganisationFactory(name="Secret funder"))
    text = client_for(partner_jette).get("/en/portal/agreements/export.csv").content.decode()
    assert "Secret funder" not in text and "CONV-MD-2022" not in text


def test_unknown_format_is_404(partner_md, client_for):
    assert client_for(partner_md).get("/en/portal/agreements/export.pdf").status_code == 404
