"""In a real browser, on Arabic pages, values that read left to right are drawn left to
right: the first character of a phone or of a year range is left of its last one."""

from typing import Any

import pytest

from belfaa.models import User
from participants.models import Participant
from participants.services import participant_create
from programs.models import Commune, PlanPeriod, Programme
from tests.e2e.conftest import PageLog, signed_in

PHONE = "+212611000000"

# The left edge of the first and of the last character of `text` inside `element`.
EDGES = """([element, text]) => {
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  let joined = "", nodes = [];
  while (walker.nextNode()) {
    nodes.push([walker.currentNode, joined.length]);
    joined += walker.currentNode.data;
  }
  const start = joined.indexOf(text);
  if (start < 0) return null;
  const left = (index) => {
    const [node, offset] = nodes.filter(([, at]) => at <= index).pop();
    const range = document.createRange();
    range.setStart(node, index - offset);
    range.setEnd(node, index - offset + 1);
    return range.getBoundingClientRect().left;
  };
  return [left(start), left(start + text.length - 1)];
}"""


def edges(page: Any, selector: str, text: str) -> tuple[float, float]:
    found = page.locator(selector).first.evaluate(f"element => ({EDGES})([element, {text!r}])")
    assert found is not None, f"{text!r} not in {selector}"
    return found[0], found[1]


@pytest.fixture
def person(transactional_db: None) -> Participant:
    return participant_create(
        given_name="Zeinabou",
        family_name="Kouyaté",
        sex=Participant.Sex.FEMALE,
        birth_year=1994,
        group=Participant.Group.NEWCOMER,
        phone=PHONE,
        email="zeinabou@example.test",
    )


def test_a_read_only_phone_in_the_arabic_admin_is_drawn_left_to_right(
    live_server: Any, page: Any, page_log: PageLog, viewer: User, person: Participant
) -> None:
    signed_in(page, live_server, viewer)
    page.goto(f"{live_server.url}/ar/admin/participants/participant/{person.pk}/change/")
    plus, last = edges(page, ".field-phone .readonly", PHONE)
    assert plus < last
    page_log.assert_clean()


def test_the_arabic_access_page_draws_phone_and_reference_left_to_right(
    live_server: Any, page: Any, coordinator: User, person: Participant
) -> None:
    signed_in(page, live_server, coordinator)
    page.goto(f"{live_server.url}/ar/staff/participants/{person.pk}/access/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    plus, last = edges(page, "#person", PHONE)
    assert plus < last
    first, end = edges(page, "h1", person.reference)
    assert first < end


def test_a_plans_years_after_an_arabic_title_are_drawn_in_order(
    live_server: Any, page: Any, page_log: PageLog, coordinator: User
) -> None:
    period = PlanPeriod.objects.create(
        commune=Commune.objects.create(name="بلفاع"),
        title="برنامج عمل الجماعة",
        start_year=2021,
        end_year=2027,
    )
    Programme.objects.create(period=period, code="accueil", title="الاستقبال")
    signed_in(page, live_server, coordinator)
    page.goto(f"{live_server.url}/ar/admin/programs/programme/")
    start, _ = edges(page, "td.field-period", "2021")
    end, _ = edges(page, "td.field-period", "2027")
    assert start < end
    page_log.assert_clean()


def test_phones_are_typed_left_to_right_in_the_arabic_admin(
    live_server: Any, page: Any, page_log: PageLog, officer: User, person: Participant
) -> None:
    signed_in(page, live_server, officer)
    page.goto(f"{live_server.url}/ar/admin/participants/participant/{person.pk}/change/")
    direction = "input => getComputedStyle(input).direction"
    assert page.locator('input[name="phone"]').evaluate(direction) == "ltr"
    assert page.locator('input[name="email"]').evaluate(direction) == "ltr"
    # A name may be typed in either script: it follows the page.
    assert page.locator('input[name="given_name"]').evaluate(direction) == "rtl"
    page_log.assert_clean()
