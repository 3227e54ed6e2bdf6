"""Pages shared between anonymous visitors (belfaa.cache.shared_page and the activity
page rendered once with stand-ins): nothing per-user comes out of the shared cache, the
seat count and the CSRF token are each visitor's own, and the sign-up form is drawn
exactly as Django would draw it."""

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import connection
from django.forms.renderers import DjangoTemplates
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from belfaa.cache import DegradingRedisCache
from belfaa.models import User
from belfaa.renderers import plain_form_renderer
from events.forms import RegistrationForm
from events.models import Event, Registration
from events.views import CSRF_MARK, SEATS_MARK
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db

SIGNUP = {
    "name": "Aminata Diallo",
    "phone": "06 12 34 56 78",
    "email": "",
    "birth_year": "2001",
    "sex": "female",
    "group": "newcomer",
    "language": "fr",
    "consent_processing": "on",
}
SIGN_IN = "Personnel et partenaires : se connecter"
SIGN_OUT = "Se déconnecter"


def test_the_anonymous_home_page_is_served_whole_from_the_cache_and_varies_on_cookie(
    client: Client,
) -> None:
    client.get("/fr/")
    with CaptureQueriesContext(connection) as cached:
        response = client.get("/fr/")
    assert len(cached) == 0
    assert "Cookie" in response["Vary"]
    assert "sessionid" not in response.cookies
    # The middleware's headers are computed for each answer, not stored with the page.
    assert "Content-Security-Policy" in response and response["X-Frame-Options"] == "DENY"


def test_a_signed_in_user_never_gets_the_anonymous_page_nor_the_reverse(
    client: Client, officer: User, client_for: Callable[[User], Client]
) -> None:
    for path in ("/fr/", "/fr/events/"):
        assert SIGN_IN in client.get(path).content.decode()
        signed_in = client_for(officer).get(path)
        assert SIGN_OUT in signed_in.content.decode()
        assert "Cookie" in signed_in["Vary"]
    cache.clear()
    for path in ("/fr/", "/fr/events/"):
        assert SIGN_OUT in client_for(officer).get(path).content.decode()
        anonymous = client.get(path).content.decode()
        assert SIGN_IN in anonymous and SIGN_OUT not in anonymous


def test_a_visitor_with_a_pending_message_is_not_served_nor_stored_the_shared_page(
    client: Client,
) -> None:
    client.cookies[CookieStorage.cookie_name] = "anything"
    client.get("/fr/")
    assert cache.get("page:fr:/fr/") is None
    del client.cookies[CookieStorage.cookie_name]
    client.get("/fr/")
    assert cache.get("page:fr:/fr/") is not None


def test_only_the_query_strings_a_page_distinguishes_are_cached(client: Client) -> None:
    EventFactory(kind=Event.Kind.SPORT, title_fr="Football")
    html = client.get("/fr/?x=<b>").content.decode()
    # The language links repeat the query string: that page is never shared.
    assert 'href="/ar/?x=' in html
    assert cache.get("page:fr:/fr/?x=%3Cb%3E") is None and cache.get("page:fr:/fr/?x=<b>") is None
    assert "?x=" not in client.get("/fr/").content.decode()
    client.get("/fr/events/?kind=sport")
    assert cache.get("page:fr:/fr/events/?kind=sport") is not None
    client.get("/fr/events/?kind=nothing")
    assert cache.get("page:fr:/fr/events/?kind=nothing") is None


def _token(html: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert found, "the form carries a CSRF token"
    return found.group(1)


def test_each_anonymous_visitor_gets_a_token_of_their_own_that_works() -> None:
    event = EventFactory(capacity=5)
    path = f"/fr/events/{event.slug}/"
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first_html = first.get(path).content.decode()
    second_html = second.get(path).content.decode()
    assert CSRF_MARK not in second_html and SEATS_MARK not in second_html
    assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value
    assert _token(first_html) != _token(second_html)
    response = second.post(path, {**SIGNUP, "csrfmiddlewaretoken": _token(second_html)})
    assert response.status_code == 302
    assert Registration.objects.filter(event=event).count() == 1


def test_the_shared_activity_page_shows_the_seats_counted_now(
    client: Client, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    event = EventFactory(capacity=3)
    path = f"/fr/events/{event.slug}/"
    assert "3 places restantes" in client.get(path).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(path, SIGNUP).status_code == 302
    page = Client().get(path).content.decode()
    assert "2 places restantes" in page and "3 places restantes" not in page


def test_the_shared_activity_page_follows_an_edit_and_a_change_of_state(
    client: Client,
) -> None:
    event = EventFactory(capacity=3, title_fr="Avant")
    path = f"/fr/events/{event.slug}/"
    assert "Avant" in client.get(path).content.decode()
    Event.objects.filter(pk=event.pk).update(
        title_fr="Après", status=Event.Status.CANCELLED, updated_at=timezone.now()
    )
    cache.delete(f"events:public:{event.slug}")  # as after its 5 s
    html = client.get(path).content.decode()
    assert "Après" in html and "Avant" not in html
    assert 'name="csrfmiddlewaretoken"' not in html


def _normalised(html: str) -> str:
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).strip()


@pytest.mark.parametrize("language", ["ar", "fr", "en"])
def test_the_plain_renderer_draws_the_signup_form_as_django_does(language: str) -> None:
    event = EventFactory()
    bad = {"name": "", "birth_year": "<x>", "consent_contact": "on", "sex": "nope"}
    with translation.override(language):
        for data in (None, bad):
            drawn = {}
            for renderer in (DjangoTemplates(), plain_form_renderer):
                form = RegistrationForm(data, event=event, renderer=renderer)
                form.is_valid()
                drawn[renderer] = render_to_string("events/_signup_fields.html", {"form": form})
            django, plain = drawn.values()
            assert _normalised(plain) == _normalised(django)


def test_the_redis_cache_reuses_its_clients() -> None:
    # No server needed: a client is built, not connected, until a command is sent.
    backend = DegradingRedisCache("redis://127.0.0.1:1/0", {})
    writer, reader = backend._cache.get_client(write=True), backend._cache.get_client()
    assert backend._cache.get_client(write=True) is writer
    assert backend._cache.get_client() is reader
    assert reader.connection_pool is writer.connection_pool
