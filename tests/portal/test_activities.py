import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.portal.helpers import activity, org_of

pytestmark = pytest.mark.django_db

SMALL = re.compile(r">\s*([1-4])\s*<")


def crowd(n: int, group: str = "resident", sex: str = "female", year: int = 1990):
    return [(group, sex, year)] * n


def test_attendance_is_counted_by_group_sex_and_age_band(partner_md, client_for):
    md = org_of(partner_md)
    activity(md, attendees=crowd(6) + crowd(7, "newcomer", "male", 1950))
    response = client_for(partner_md).get("/en/portal/activities/")
    breakdowns = {b.code: b for b, _lines, _footer in response.context["breakdowns"]}
    group = breakdowns["group"].table
    (event_id,) = group.rows
    assert group.cells[event_id]["resident"] == 6
    assert group.cells[event_id]["newcomer"] == 7
    assert group.row_totals[event_id] == 13
    assert breakdowns["sex"].table.cells[event_id]["male"] == 7
    assert breakdowns["age_band"].table.cells[event_id]["60+"] == 7


def test_small_cells_are_hidden_with_secondary_suppression(partner_md, client_for):
    md = org_of(partner_md)
    activity(md, attendees=crowd(2) + crowd(9, "newcomer"))
    activity(md, attendees=crowd(8) + crowd(6, "newcomer"))
    response = client_for(partner_md).get("/en/portal/activities/")
    page = response.content.decode()
    assert "Planted" not in page and "planted0@example.test" not in page
    assert "&lt; 5" in page
    b = next(b for b, _l, _f in response.context["breakdowns"] if b.code == "group")
    table = b.table
    values = [v for row in table.cells.values() for v in row.values()]
    values += list(table.row_totals.values()) + list(table.column_totals.values())
    assert not any(isinstance(v, int) and 1 <= v <= 4 for v in values)
    # the resident cell of the first activity (2) cannot be read from its row's total
    first = next(r for r in table.rows if table.cells[r]["resident"] != 8)
    assert not isinstance(table.cells[first]["newcomer"], int) or not isinstance(
        table.row_totals[first], int
    )


def test_a_fixed_number_of_queries_whatever_the_number_of_activities(partner_md, client_for):
    md = org_of(partner_md)
    client = client_for(partner_md)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/en/portal/activities/").status_code == 200
        return len(queries)

    for _ in range(2):
        activity(md, attendees=crowd(5))
    small = count()
    for _ in range(18):
        activity(md, attendees=crowd(5, "mre", "male", None))
    assert count() == small


def test_jette_sees_nothing_of_md_activities(partner_md, partner_jette, client_for):
    event = activity(org_of(partner_md), attendees=crowd(6))
    page = client_for(partner_jette).get("/en/portal/activities/").content.decode()
    assert str(event.title) not in page
    assert "co-organises no activity" in page


@pytest.mark.parametrize("name", ["coordinator", "officer", "outsider"])
def test_staff_and_outsiders_are_refused(name, request, client_for):
    client = client_for(request.getfixturevalue(name))
    assert client.get("/en/portal/activities/").status_code == 403
    assert client.get("/en/portal/activities/export.xlsx").status_code == 403


def test_anonymous_goes_to_sign_in(client):
    response = client.get("/en/portal/activities/")
    assert response.status_code == 302 and "login" in response["Location"]
