"""The public sign-up: validation, duplicates, closed activities, honeypot, rate limit."""

import time
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from belfaa.validators import clean_email
from events import selectors, tasks
from events.admin import RegistrationAdminForm
from events.forms import RegistrationForm
from events.models import PERSON_FIELDS, REGISTRANT_FIELDS, Event, Registration
from events.staff_views import WalkInForm
from participants.services import participant_erase
from tests.factories import EventFactory, make_participant

pytestmark = pytest.mark.django_db

VALID = {
    "name": "Aminata Diallo",
    "phone": "06 12 34 56 78",
    "email": "",
    "birth_year": "2001",
    "sex": "female",
    "group": "newcomer",
    "language": "fr",
    "consent_processing": "on",
}


def post(client: Client, event: Event, lang: str = "fr", **changes: str):
    return client.post(f"/{lang}/events/{event.slug}/", {**VALID, **changes})


def test_a_signup_confirms_and_shows_the_personal_page(client: Client) -> None:
    event = EventFactory(capacity=2)
    response = post(client, event)
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.status == Registration.Status.CONFIRMED
    assert registration.phone == "+212612345678"
    assert registration.name == "Aminata Diallo"
    page = client.get(response.headers["Location"]).content.decode()
    assert "votre place est confirmée" in page
    assert "/cancel/" in page


@pytest.mark.parametrize(
    "phone", ["0612345678", "+212612345678", "00212612345678", " 06 12 34 56 78 ", "06-12-34-56-78"]
)
def test_phones_are_stored_in_e164(client: Client, phone: str) -> None:
    post(client, EventFactory(), phone=phone)
    assert Registration.objects.get().phone == "+212612345678"


def test_a_full_activity_puts_people_on_the_waiting_list_with_their_position(
    client: Client,
) -> None:
    event = EventFactory(capacity=1)
    post(client, event, phone="0612345601")
    post(client, event, phone="0612345602")
    response = post(client, event, phone="0612345603")
    assert list(event.registrations.values_list("status", flat=True)) == [
        "confirmed",
        "waitlisted",
        "waitlisted",
    ]
    page = client.get(response.headers["Location"]).content.decode()
    assert "liste d'attente" in page
    assert "Votre position : 2" in page


def test_the_page_shows_the_seats_left(client: Client) -> None:
    event = EventFactory(capacity=3)
    post(client, event)
    assert "2 places restantes" in client.get(f"/fr/events/{event.slug}/").content.decode()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": ""}, "name", "Please write your name."),
        ({"name": "    "}, "name", "Please write your name."),
        ({"name": "x" * 151}, "name", "too long"),
        ({"name": "Ali\u202eBaba"}, "name", "not allowed"),
        ({"name": "Ali\x07"}, "name", "not allowed"),
        ({"phone": "12345"}, "phone", "not valid"),
        ({"phone": "", "email": "not-an-email"}, "email", "valid email"),
        ({"phone": "", "email": ""}, "phone", "phone number or an email"),
        ({"birth_year": "1899"}, "birth_year", "between 1900"),
        ({"birth_year": str(timezone.now().year + 1)}, "birth_year", "between 1900"),
        ({"birth_year": "abc"}, "birth_year", "as a number"),
        ({"consent_processing": ""}, "consent_processing", "agreement"),
        ({"sex": "robot"}, "sex", "valid choice"),
    ],
)
def test_bad_input_gets_a_message_by_its_field_and_stores_nothing(
    client: Client, changes: dict[str, str], field: str, message: str
) -> None:
    event = EventFactory()
    response = post(client, event, lang="en", **changes)
    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    assert message in html
    assert 'aria-invalid="true"' in html
    assert Registration.objects.count() == 0


def test_errors_are_in_the_pages_language(client: Client) -> None:
    html = post(client, EventFactory(), lang="ar", name="").content.decode()
    assert "يرجى كتابة اسمك" in html


def test_the_age_range_is_enforced(client: Client) -> None:
    event = EventFactory(min_age=15, max_age=30)
    response = post(client, event, lang="en", birth_year="1950")
    assert response.status_code == 400
    assert "aged 15 to 30" in response.content.decode()


def test_text_shown_back_is_escaped(client: Client) -> None:
    html = post(client, EventFactory(), lang="en", name="<b>x</b>", phone="bad").content.decode()
    assert "<b>x</b>" not in html
    assert "&lt;b&gt;x&lt;/b&gt;" in html


def test_the_same_phone_twice_creates_no_duplicate_and_reveals_nothing(client: Client) -> None:
    event = EventFactory()
    post(client, event, name="First Person")
    response = post(client, event, name="Someone Else", phone="+212 6 12 34 56 78")
    assert Registration.objects.count() == 1
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).content.decode()
    assert "First Person" not in page
    assert "/cancel/" not in page


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"status": Event.Status.CANCELLED}, "annulée"),
        (
            {
                "starts_at": timezone.now() - timedelta(hours=1),
                "ends_at": timezone.now() + timedelta(hours=1),
            },
            "déjà eu lieu",
        ),
        ({"signup_opens_at": timezone.now() + timedelta(days=1)}, "inscriptions ouvrent"),
        ({"signup_closes_at": timezone.now() - timedelta(minutes=1)}, "inscriptions"),
    ],
)
def test_signups_to_closed_activities_are_refused_with_409(
    client: Client, fields: dict, expected: str
) -> None:
    event = EventFactory(**fields)
    response = post(client, event)
    assert response.status_code == 409
    assert expected in response.content.decode()
    assert Registration.objects.count() == 0


def test_a_draft_activity_is_not_found(client: Client) -> None:
    event = EventFactory(status=Event.Status.DRAFT)
    assert client.get(f"/fr/events/{event.slug}/").status_code == 404
    assert post(client, event).status_code == 404
    assert Registration.objects.count() == 0


def test_the_honeypot_stores_nothing_and_looks_like_success(client: Client) -> None:
    response = post(client, EventFactory(), website="http://spam.example")
    assert response.status_code == 302
    assert Registration.objects.count() == 0


def test_signups_are_rate_limited_per_address(client: Client, settings) -> None:
    settings.EVENTS_SIGNUP_RATE_LIMIT = 2
    event = EventFactory()
    post(client, event, phone="0612345601")
    post(client, event, phone="0612345602")
    response = post(client, event, phone="0612345603")
    assert response.status_code == 429
    assert "Réessayez plus tard" in response.content.decode()
    assert Registration.objects.count() == 2


def test_a_missing_csrf_token_is_refused_with_a_translated_page(db: None) -> None:
    event = EventFactory()
    response = Client(enforce_csrf_checks=True).post(f"/ar/events/{event.slug}/", VALID)
    assert response.status_code == 403
    assert "انتهت صلاحية الاستمارة" in response.content.decode()
    assert Registration.objects.count() == 0


def test_self_service_cancel_frees_the_seat_and_is_idempotent(client: Client) -> None:
    event = EventFactory(capacity=1)
    first = post(client, event, phone="0612345601").headers["Location"]
    post(client, event, phone="0612345602")
    cancel = first.rstrip("/") + "/cancel/"
    assert "Oui, annuler" in client.get(cancel).content.decode()
    assert client.post(cancel).status_code == 302
    assert client.post(cancel).status_code == 302  # again: nothing changes
    statuses = dict(event.registrations.values_list("phone", "status"))
    assert statuses == {"+212612345601": "cancelled", "+212612345602": "confirmed"}


def test_a_forged_link_is_not_found(client: Client) -> None:
    assert client.get("/fr/events/r/1:forged/").status_code == 404
    assert client.post("/fr/events/r/1:forged/cancel/").status_code == 404


def cache_directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",")}


def test_the_personal_page_and_the_cancel_page_are_kept_by_no_cache(client: Client) -> None:
    event = EventFactory()
    link = post(client, event).headers["Location"]
    for url in (link, link + "cancel/"):
        response = client.get(url)
        assert response.status_code == 200
        assert {"private", "no-store"} <= cache_directives(response)
    after_cancel = client.post(link + "cancel/")
    assert {"private", "no-store"} <= cache_directives(after_cancel)
    cancelled = client.get(link)
    assert "Votre inscription est annulée." in cancelled.content.decode()
    assert {"private", "no-store"} <= cache_directives(cancelled)


def assert_leads_nowhere(client: Client, link: str, *, hidden: list[str]) -> None:
    for response in (client.get(link), client.get(link + "cancel/"), client.post(link + "cancel/")):
        assert response.status_code == 404
        html = response.content.decode()
        for text in hidden:
            assert text not in html


def test_the_personal_link_leads_nowhere_once_the_registration_is_anonymised(
    client: Client, settings
) -> None:
    settings.EVENTS_ANONYMISE_AFTER_DAYS = 30
    event = EventFactory(title_fr="Atelier couture", slug="atelier-couture")
    link = post(client, event, name="Aminata Diallo").headers["Location"]
    assert client.get(link).status_code == 200
    long_ago = timezone.now() - timedelta(days=40)
    Event.objects.filter(pk=event.pk).update(
        starts_at=long_ago, ends_at=long_ago + timedelta(hours=2)
    )
    assert tasks.registrations_anonymise() == 1
    assert_leads_nowhere(client, link, hidden=["Atelier couture", "Aminata", "atelier-couture"])
    registration = Registration.objects.get()
    assert registration.status == Registration.Status.CONFIRMED
    assert registration.name == ""


def test_the_personal_link_leads_nowhere_once_the_linked_record_is_erased(
    client: Client,
) -> None:
    event = EventFactory(title_fr="Atelier couture", slug="atelier-couture")
    link = post(client, event, name="Aminata Diallo").headers["Location"]
    participant = make_participant()
    Registration.objects.update(participant=participant)
    participant_erase(participant_id=participant.pk)
    assert_leads_nowhere(client, link, hidden=["Atelier couture", "Aminata", "atelier-couture"])
    assert Registration.objects.get().status == Registration.Status.CONFIRMED


def test_cancelling_after_the_start_is_refused(client: Client) -> None:
    event = EventFactory()
    link = post(client, event).headers["Location"]
    Event.objects.filter(pk=event.pk).update(starts_at=timezone.now() - timedelta(minutes=5))
    response = client.post(link + "cancel/")
    assert response.status_code == 409
    assert Registration.objects.get().status == "confirmed"


def test_the_list_filters_by_kind(client: Client) -> None:
    EventFactory(title_en="Football", kind=Event.Kind.SPORT)
    EventFactory(title_en="Darija class", kind=Event.Kind.LANGUAGE)
    html = client.get("/en/events/?kind=sport").content.decode()
    assert "Football" in html
    assert "Darija class" not in html
    unknown = client.get("/en/events/?kind=<script>").content.decode()
    assert "Football" in unknown and "Darija class" in unknown


def test_the_list_makes_the_same_queries_for_3_and_60_activities(client: Client) -> None:
    EventFactory.create_batch(3)
    with CaptureQueriesContext(connection) as few:
        client.get("/en/events/")
    cache.clear()
    EventFactory.create_batch(57)
    with CaptureQueriesContext(connection) as many:
        client.get("/en/events/")
    assert len(few) == len(many)


def test_the_list_body_is_cached_per_language_and_kind(client: Client) -> None:
    EventFactory(kind="sport", title_en="Football", title_fr="Football")
    EventFactory(kind="language", title_en="Darija class", title_fr="Cours de darija")
    client.get("/en/events/")
    with CaptureQueriesContext(connection) as cached:
        html = client.get("/en/events/").content.decode()
    assert len(cached) == 0
    assert "Football" in html and "Darija class" in html
    # Another kind and another language are entries of their own.
    sport = client.get("/en/events/?kind=sport").content.decode()
    assert "Football" in sport and "Darija class" not in sport
    assert "Cours de darija" in client.get("/fr/events/").content.decode()


def test_the_seats_shown_are_counted_again_within_seconds_whatever_changed_them(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A change that no service announced (say, a row edited by hand) still shows
    # after PUBLIC_EVENT_CACHE_SECONDS, in every worker: nothing lives longer.
    monkeypatch.setattr(selectors, "PUBLIC_EVENT_CACHE_SECONDS", 1)
    event = EventFactory(capacity=3)
    assert "3 places restantes" in client.get(f"/fr/events/{event.slug}/").content.decode()
    Registration.objects.create(
        event=event,
        name="Awa",
        phone="+212611000001",
        sex="female",
        group="newcomer",
        language="fr",
        status=Registration.Status.CONFIRMED,
    )
    time.sleep(1.1)
    assert "2 places restantes" in client.get(f"/fr/events/{event.slug}/").content.decode()


def test_a_cached_activity_page_makes_no_query(client: Client) -> None:
    event = EventFactory()
    client.get(f"/fr/events/{event.slug}/")
    with CaptureQueriesContext(connection) as cached:
        html = client.get(f"/fr/events/{event.slug}/").content.decode()
    assert len(cached) == 0
    assert event.title_fr in html and 'name="csrfmiddlewaretoken"' in html


def test_the_calendar_file_describes_the_activity(client: Client) -> None:
    event = EventFactory(title_fr="Tournoi")
    response = client.get(f"/fr/events/{event.slug}/calendar.ics")
    body = response.content.decode()
    assert response.headers["Content-Type"] == "text/calendar"
    assert "BEGIN:VEVENT" in body
    assert "SUMMARY:Tournoi" in body
    assert f"/fr/events/{event.slug}/" in body


def test_the_forms_take_the_one_list_of_person_fields() -> None:
    event = EventFactory()
    assert set(REGISTRANT_FIELDS) <= set(RegistrationForm(event=event).fields)
    assert tuple(RegistrationAdminForm().fields) == REGISTRANT_FIELDS
    assert set(WalkInForm(event=event).fields) == set(PERSON_FIELDS)


def test_emails_are_stored_trimmed_and_lower_case() -> None:
    assert clean_email("  Aminata@Example.TEST ") == "aminata@example.test"
    assert clean_email("   ") == ""
    with pytest.raises(ValidationError):
        clean_email("not an address")
