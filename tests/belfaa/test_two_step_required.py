"""With STAFF_MFA_REQUIRED (on by default when DEBUG is off), a staff account without an
authenticator app reaches no admin or staff page until it has set one up; the set-up,
sign-out and public pages stay open. tests/conftest.py turns it off for the rest of
the suite; here it is on."""

from collections.abc import Callable
from urllib.parse import urlsplit

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client

from belfaa.models import User
from tests.belfaa.test_configuration import manage

pytestmark = pytest.mark.django_db
SET_UP = "/fr/accounts/2fa/totp/activate/"
HELD = [
    "/fr/admin/",
    "/fr/admin/events/event/",
    "/fr/admin/belfaa/user/",
    "/ar/admin/participants/participant/",
    "/fr/staff/participants/import/",
    "/en/staff/events/1/attendance/",
]


@pytest.fixture(autouse=True)
def _required(settings) -> None:
    settings.STAFF_MFA_REQUIRED = True


@pytest.mark.parametrize("url", HELD)
def test_staff_without_an_authenticator_are_sent_to_set_one_up(
    client_for: Callable[[User], Client], officer: User, url: str
) -> None:
    response = client_for(officer).get(url)
    assert response.status_code == 302
    language = url.split("/")[1]
    assert response.headers["Location"] == f"/{language}/accounts/2fa/totp/activate/"


def test_the_reason_is_given_in_the_users_language(
    client_for: Callable[[User], Client], coordinator: User
) -> None:
    response = client_for(coordinator).get("/fr/admin/", follow=True)
    assert response.redirect_chain[0][0] == SET_UP
    assert "Les comptes du personnel doivent utiliser la vérification en deux étapes" in (
        response.content.decode()
    )


def test_a_crafted_post_to_the_admin_is_held_too(
    client_for: Callable[[User], Client], coordinator: User, officer: User
) -> None:
    response = client_for(coordinator).post(
        f"/fr/admin/belfaa/user/{officer.pk}/change/", {"email": "changed@example.test"}
    )
    assert response.headers["Location"] == SET_UP
    officer.refresh_from_db()
    assert officer.email == "officer@example.test"


@pytest.mark.parametrize(
    "url",
    [
        "/fr/accounts/2fa/",
        "/fr/accounts/2fa/totp/activate/",
        "/fr/accounts/reauthenticate/",
        "/fr/accounts/logout/",
        "/ar/accounts/2fa/totp/activate/",
        "/fr/",
        "/en/events/",
    ],
)
def test_the_set_up_sign_out_and_public_pages_stay_open(
    client_for: Callable[[User], Client], officer: User, url: str
) -> None:
    response = client_for(officer).get(url)
    assert response.status_code in {200, 302}
    if response.status_code == 302:
        # Some of these ask for the password first or go on; none is held back.
        assert not urlsplit(response.headers["Location"]).path.endswith("/totp/activate/")


def test_the_admin_sign_out_stays_open(client_for: Callable[[User], Client], officer: User) -> None:
    client = client_for(officer)
    response = client.post("/fr/admin/logout/")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_staff_with_an_authenticator_pass(
    client_for: Callable[[User], Client], officer: User
) -> None:
    TOTP.activate(officer, generate_totp_secret())
    client = client_for(officer)
    assert client.get("/fr/admin/").status_code == 200
    assert client.get("/fr/admin/events/event/").status_code == 200


def test_accounts_that_are_not_staff_are_not_held(
    client_for: Callable[[User], Client], partner_md: User
) -> None:
    response = client_for(partner_md).get("/fr/admin/")
    assert response.headers["Location"].startswith("/fr/admin/login/")


def test_without_the_setting_staff_pass(
    settings, client_for: Callable[[User], Client], officer: User
) -> None:
    settings.STAFF_MFA_REQUIRED = False
    assert client_for(officer).get("/fr/admin/").status_code == 200


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"DEBUG": "0"}, "True"),
        ({"DEBUG": "1"}, "False"),
        ({"DEBUG": "0", "STAFF_MFA_REQUIRED": "0"}, "False"),
        ({"DEBUG": "1", "STAFF_MFA_REQUIRED": "1"}, "True"),
    ],
)
def test_the_setting_is_on_without_debug_and_can_be_overridden(
    env: dict[str, str], expected: str
) -> None:
    result = manage(
        "shell", "-c", "from django.conf import settings; print(settings.STAFF_MFA_REQUIRED)", **env
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == expected
