"""The door page: staff mark people present and add walk-ins, on a phone, without JS."""

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from belfaa.models import User
from events.models import Event, Registration
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User], Client]


def register(event: Event, name: str, **extra: Any) -> Registration:
    values: dict[str, Any] = {
        "sex": Registration.Sex.FEMALE,
        "group": Registration.Group.NEWCOMER,
        "language": "fr",
        "status": Registration.Status.CONFIRMED,
        "consent_processing": True,
    }
    values.update(extra)
    return Registration.objects.create(event=event, name=name, **values)


def page(event: Event, lang: str = "en") -> str:
    return f"/{lang}/staff/events/{event.pk}/attendance/"


def mark(event: Event, registration: Registration) -> str:
    return f"/en/staff/events/{event.pk}/attendance/{registration.pk}/"


WALK_IN = {
    "name": "  Awa   Diallo ",
    "sex": "female",
    "group": "newcomer",
    "birth_year": "2001",
    "phone": "06 12 34 56 78",
    "email": "",
}


# --- Who may open it ----------------------------------------------------------


@pytest.mark.parametrize("role", ["coordinator", "officer"])
def test_coordinators_and_officers_see_the_door_page(
    role: str, request: pytest.FixtureRequest, client_for: ClientFor
) -> None:
    event = EventFactory(title_en="Football at the stadium")
    register(event, "Fatima Zahra")
    response = client_for(request.getfixturevalue(role)).get(page(event))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Football at the stadium" in html
    assert "Fatima Zahra" in html


@pytest.mark.parametrize("role", ["viewer", "partner_md", "outsider"])
def test_viewers_partners_and_outsiders_are_refused(
    role: str, request: pytest.FixtureRequest, client_for: ClientFor
) -> None:
    event = EventFactory()
    register(event, "Fatima Zahra")
    client = client_for(request.getfixturevalue(role))
    response = client.get(page(event))
    assert response.status_code == 403
    assert "Fatima Zahra" not in response.content.decode()
    registration = event.registrations.get()
    assert client.post(mark(event, registration), {"present": "1"}).status_code == 403
    registration.refresh_from_db()
    assert registration.attended_at is None


def test_anonymous_visitors_are_sent_to_the_sign_in_page(client: Client) -> None:
    event = EventFactory()
    response = client.get(page(event, "fr"))
    assert response.status_code == 302
    assert response["Location"].startswith("/fr/accounts/login/?next=")
    assert f"/fr/staff/events/{event.pk}/attendance/" in response["Location"]


def test_names_and_titles_are_escaped(officer: User, client_for: ClientFor) -> None:
    event = EventFactory(title_en="<i>Football</i>")
    register(event, "<script>alert(1)</script>")
    html = client_for(officer).get(page(event)).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<i>Football</i>" not in html


def test_an_unknown_activity_is_a_404(officer: User, client_for: ClientFor) -> None:
    assert client_for(officer).get("/en/staff/events/999999/attendance/").status_code == 404


def test_the_admin_links_to_the_door_page(coordinator: User, client_for: ClientFor) -> None:
    event = EventFactory()
    response = client_for(coordinator).get(f"/en/admin/events/event/{event.pk}/change/")
    assert f'href="/en/staff/events/{event.pk}/attendance/"' in response.content.decode()


# --- The list -------------------------------------------------------------------


def test_lists_confirmed_and_waitlisted_separately_with_counts(
    officer: User, client_for: ClientFor
) -> None:
    event = EventFactory()
    register(event, "Present Person", attended_at=timezone.now())
    register(event, "Absent Person")
    register(event, "Waiting Person", status=Registration.Status.WAITLISTED)
    register(event, "Gone Person", status=Registration.Status.CANCELLED)
    register(EventFactory(), "Other Activity Person")
    response = client_for(officer).get(page(event))
    assert [r.name for r in response.context["confirmed"]] == ["Absent Person", "Present Person"]
    assert [r.name for r in response.context["waitlisted"]] == ["Waiting Person"]
    assert response.context["counts"] == {"confirmed": 2, "present": 1, "waitlisted": 1}
    html = response.content.decode()
    assert "Gone Person" not in html
    assert "Other Activity Person" not in html
    assert '<dd id="count-present">1</dd>' in html


def test_search_filters_by_name_ignoring_case(officer: User, client_for: ClientFor) -> None:
    event = EventFactory()
    register(event, "Mamadou Diallo")
    register(event, "Aminata Diallo", status=Registration.Status.WAITLISTED)
    register(event, "Youssef Amrani")
    register(event, "فاطمة الزهراء")
    client = client_for(officer)
    response = client.get(page(event), {"q": "DIALLO"})
    assert [r.name for r in response.context["confirmed"]] == ["Mamadou Diallo"]
    assert [r.name for r in response.context["waitlisted"]] == ["Aminata Diallo"]
    assert "Youssef Amrani" not in response.content.decode()
    arabic = client.get(page(event), {"q": "الزهراء"})
    assert [r.name for r in arabic.context["confirmed"]] == ["فاطمة الزهراء"]
    # The counts are for the whole activity, whatever the search.
    assert response.context["counts"]["confirmed"] == 3


# --- Marking present ----------------------------------------------------------------


def test_marking_present_then_undoing(officer: User, client_for: ClientFor) -> None:
    event = EventFactory()
    registration = register(event, "Mamadou Diallo")
    client = client_for(officer)

    response = client.post(mark(event, registration), {"present": "1", "q": "mama"})
    assert response.status_code == 302
    assert response["Location"] == f"{page(event)}?q=mama#row-{registration.pk}"
    registration.refresh_from_db()
    assert registration.attended_at is not None
    html = client.get(page(event)).content.decode()
    assert ">Undo</button>" in html
    assert ">Present</button>" not in html

    client.post(mark(event, registration), {"present": "0"})
    registration.refresh_from_db()
    assert registration.attended_at is None


def test_marking_present_twice_keeps_the_first_time(officer: User, client_for: ClientFor) -> None:
    event = EventFactory()
    registration = register(event, "Mamadou Diallo")
    client = client_for(officer)
    client.post(mark(event, registration), {"present": "1"})
    first = Registration.objects.get(pk=registration.pk).attended_at
    client.post(mark(event, registration), {"present": "1"})
    assert Registration.objects.get(pk=registration.pk).attended_at == first


def test_a_registration_of_another_activity_is_a_404(officer: User, client_for: ClientFor) -> None:
    event, other = EventFactory(), EventFactory()
    registration = register(other, "Elsewhere Person")
    response = client_for(officer).post(mark(event, registration), {"present": "1"})
    assert response.status_code == 404
    registration.refresh_from_db()
    assert registration.attended_at is None


def test_marking_needs_a_post(officer: User, client_for: ClientFor) -> None:
    event = EventFactory()
    registration = register(event, "Mamadou Diallo")
    assert client_for(officer).get(mark(event, registration)).status_code == 405


def test_a_malformed_mark_is_refused(officer: User, client_for: ClientFor) -> None:
    event = EventFactory()
    registration = register(event, "Mamadou Diallo", attended_at=timezone.now())
    response = client_for(officer).post(mark(event, registration), {"present": "yes"})
    assert response.status_code == 400
    registration.refresh_from_db()
    assert registration.attended_at is not None


def test_someone_on_the_waiting_list_who_came_is_seated_at_the_door(
    officer: User, client_for: ClientFor
) -> None:
    event = EventFactory(capacity=1)
    register(event, "Confirmed Person")
    registration = register(event, "Waiting Person", status=Registration.Status.WAITLISTED)
    behind = register(event, "Behind Person", status=Registration.Status.WAITLISTED)
    response = client_for(officer).post(mark(event, registration), {"present": "1"}, follow=True)
    assert "seated at the door" in response.content.decode()
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED
    assert registration.walk_in and registration.attended_at is not None
    # A door seat: the sign-up seats and the queue behind are untouched.
    behind.refresh_from_db()
    assert behind.status == Registration.Status.WAITLISTED


def test_a_cancelled_registration_cannot_be_marked_present(
    officer: User, client_for: ClientFor
) -> None:
    event = EventFactory()
    registration = register(event, "Gone Person", status=Registration.Status.CANCELLED)
    response = client_for(officer).post(mark(event, registration), {"present": "1"}, follow=True)
    assert "has no confirmed seat" in response.content.decode()
    registration.refresh_from_db()
    assert registration.attended_at is None


def test_every_post_needs_the_csrf_token(officer: User) -> None:
    event = EventFactory()
    registration = register(event, "Mamadou Diallo")
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    assert client.post(mark(event, registration), {"present": "1"}).status_code == 403
    assert client.post(page(event), WALK_IN).status_code == 403
    registration.refresh_from_db()
    assert registration.attended_at is None
    assert event.registrations.count() == 1


def test_the_page_forms_carry_the_csrf_token(officer: User) -> None:
    event = EventFactory()
    registration = register(event, "Mamadou Diallo")
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    html = client.get(page(event)).content.decode()
    token = client.cookies["csrftoken"].value
    assert html.count('name="csrfmiddlewaretoken"') >= 2
    response = client.post(
        mark(event, registration), {"present": "1", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.attended_at is not None


# --- Walk-ins --------------------------------------------------------------------


def test_a_walk_in_is_added_present(officer: User, client_for: ClientFor) -> None:
    event = EventFactory()
    response = client_for(officer).post(page(event, "fr"), WALK_IN)
    walk_in = event.registrations.get()
    assert response.status_code == 302
    assert response["Location"] == f"{page(event, 'fr')}#row-{walk_in.pk}"
    assert walk_in.walk_in is True
    assert walk_in.attended_at is not None
    assert walk_in.status == Registration.Status.CONFIRMED
    assert walk_in.name == "Awa Diallo"
    assert walk_in.phone == "+212612345678"
    assert walk_in.birth_year == 2001
    assert walk_in.language == "fr"


def test_a_walk_in_needs_no_phone_or_email(officer: User, client_for: ClientFor) -> None:
    event = EventFactory()
    data = {**WALK_IN, "phone": "", "name": "يوسف"}
    assert client_for(officer).post(page(event), data).status_code == 302
    assert event.registrations.get().name == "يوسف"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", "   "),
        ("name", "Awa\u202eDiallo"),
        ("phone", "12"),
        ("email", "not-an-email"),
        ("birth_year", "1899"),
        ("birth_year", str(timezone.now().year + 1)),
        ("birth_year", ""),
        ("sex", ""),
        ("group", "alien"),
    ],
)
def test_bad_walk_in_input_is_shown_again_and_nothing_is_stored(
    field: str, value: str, officer: User, client_for: ClientFor
) -> None:
    event = EventFactory()
    response = client_for(officer).post(page(event), {**WALK_IN, field: value})
    assert response.status_code == 400
    assert event.registrations.count() == 0
    form = response.context["form"]
    assert list(form.errors) == [field]
    html = response.content.decode()
    # The error is tied to its field for screen readers.
    assert f'aria-describedby="id_{field}_error"' in html
    assert f'id="id_{field}_error"' in html


def test_a_walk_in_already_registered_by_phone_is_refused(
    officer: User, client_for: ClientFor
) -> None:
    event = EventFactory()
    register(event, "Awa Diallo", phone="+212612345678")
    response = client_for(officer).post(page(event), WALK_IN)
    assert response.status_code == 400
    assert "already registered" in response.content.decode()
    assert event.registrations.count() == 1


def test_no_walk_in_for_a_cancelled_activity(officer: User, client_for: ClientFor) -> None:
    event = EventFactory(status=Event.Status.CANCELLED)
    response = client_for(officer).post(page(event), WALK_IN)
    assert response.status_code == 409
    assert event.registrations.count() == 0


def test_the_door_page_reads_right_to_left_in_arabic(officer: User, client_for: ClientFor) -> None:
    event = EventFactory()
    html = client_for(officer).get(page(event, "ar")).content.decode()
    assert 'dir="rtl"' in html
    assert "css/staff.css" in html


def test_a_crafted_post_for_a_cancelled_person_changes_nothing(
    officer: User, client_for: ClientFor
) -> None:
    event = EventFactory()
    registration = register(event, "Gone Person", status=Registration.Status.CANCELLED)
    client = client_for(officer)
    response = client.post(mark(event, registration), {"present": "1"})
    assert response.status_code == 302
    page_after = client.get(response["Location"]).content.decode()
    assert "Gone Person has no confirmed seat: they cannot be marked present." in page_after
    registration.refresh_from_db()
    assert registration.attended_at is None
    assert registration.status == Registration.Status.CANCELLED


def test_the_refusal_is_in_the_staff_language(officer: User, client_for: ClientFor) -> None:
    event = EventFactory()
    registration = register(event, "Gone Person", status=Registration.Status.CANCELLED)
    client = client_for(officer)
    client.post(f"/ar/staff/events/{event.pk}/attendance/{registration.pk}/", {"present": "1"})
    html = client.get(page(event, "ar")).content.decode()
    assert "cannot be marked present" not in html
    assert "Gone Person" in html
