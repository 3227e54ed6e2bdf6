"""Signed-in sessions end after SESSION_IDLE_SECONDS without a request, for staff and
partners alike; anonymous visitors get no session written at all."""

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from belfaa.middleware import LAST_ACTIVITY
from belfaa.models import User

pytestmark = pytest.mark.django_db


def age_session(client: Client, seconds: int) -> None:
    session = client.session
    session[LAST_ACTIVITY] = session[LAST_ACTIVITY] - seconds
    session.save()


@pytest.mark.parametrize("who", ["partner_md", "officer"])
def test_a_session_idle_longer_than_the_setting_is_signed_out_with_a_message(
    request: pytest.FixtureRequest, client_for: Callable[[User], Client], who: str
) -> None:
    client = client_for(request.getfixturevalue(who))
    url = "/fr/portal/" if who == "partner_md" else "/fr/admin/"
    assert client.get(url).status_code == 200
    age_session(client, 31 * 60)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/fr/accounts/login/?next={url}"
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"]).content.decode()
    assert "Vous avez été déconnecté après 30 minutes sans activité" in page
    # Signed out for good: the next page asks to sign in again.
    assert "/login/" in client.get(url)["Location"]


def test_activity_within_the_limit_keeps_the_session(
    client_for: Callable[[User], Client], partner_md: User
) -> None:
    client = client_for(partner_md)
    client.get("/fr/portal/")
    age_session(client, 29 * 60)
    assert client.get("/fr/portal/").status_code == 200
    # That request counted as activity: the clock starts again.
    age_session(client, 29 * 60)
    assert client.get("/fr/portal/").status_code == 200


def test_the_limit_is_a_setting(
    settings: Any, client_for: Callable[[User], Client], partner_md: User
) -> None:
    settings.SESSION_IDLE_SECONDS = 5 * 60
    client = client_for(partner_md)
    client.get("/fr/portal/")
    age_session(client, 6 * 60)
    response = client.get("/en/portal/")
    assert response.status_code == 302
    assert (
        "signed out after 5 minutes without activity"
        in client.get(response["Location"]).content.decode()
    )


def test_anonymous_visitors_get_no_session_written(client: Client) -> None:
    for url in ("/fr/", "/ar/events/", "/en/"):
        response = client.get(url)
        assert response.status_code == 200
        assert "sessionid" not in response.cookies
    assert not Session.objects.exists()


def test_a_busy_session_is_written_at_most_once_a_minute(
    client_for: Callable[[User], Client], partner_md: User
) -> None:
    client = client_for(partner_md)
    client.get("/fr/portal/")
    stamp = client.session[LAST_ACTIVITY]
    client.get("/fr/portal/")
    assert client.session[LAST_ACTIVITY] == stamp
    age_session(client, 61)
    client.get("/fr/portal/")
    assert client.session[LAST_ACTIVITY] > stamp - 61


def test_the_clock_starts_at_sign_in_so_the_first_page_writes_no_session(
    client: Client, partner_md: User
) -> None:
    from tests.factories import PASSWORD

    client.post("/fr/accounts/login/", {"login": partner_md.email, "password": PASSWORD})
    stamp = client.session[LAST_ACTIVITY]
    assert isinstance(stamp, int)
    client.get("/fr/portal/")
    assert client.session[LAST_ACTIVITY] == stamp
