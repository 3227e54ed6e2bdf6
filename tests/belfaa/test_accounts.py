"""Staff and partners sign in with allauth: no open sign-up, brute force locked out,
the admin login goes through allauth, and each role gets what it should."""

import pytest
from django.test import Client

from belfaa.models import User
from tests.factories import PASSWORD, EventFactory, UserFactory

pytestmark = pytest.mark.django_db
LOGIN = "/en/accounts/login/"
LOCKED = "Too many failed login attempts"


def login(client: Client, email: str, password: str, ip: str = "198.51.100.7"):
    return client.post(LOGIN, {"login": email, "password": password}, REMOTE_ADDR=ip)


def test_staff_sign_in_with_email_and_password(client: Client, officer: User) -> None:
    response = login(client, officer.email, PASSWORD)
    assert response.status_code == 302
    assert client.get("/en/admin/").status_code == 200


def test_a_wrong_password_is_refused_with_a_message(client: Client, officer: User) -> None:
    response = login(client, officer.email, "not-the-password")
    assert response.status_code == 200
    assert "The email address and/or password you specified are not correct." in (
        response.content.decode()
    )
    assert "_auth_user_id" not in client.session


def test_an_account_is_locked_after_five_failures(client: Client, officer: User) -> None:
    for attempt in range(5):
        login(client, officer.email, f"wrong-{attempt}", ip=f"198.51.100.{attempt}")
    # Even the right password, from yet another address, is refused for now.
    response = login(client, officer.email, PASSWORD, ip="203.0.113.9")
    assert LOCKED in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_address_is_locked_after_twenty_failures_across_accounts(client: Client) -> None:
    people = UserFactory.create_batch(21)
    for person in people[:20]:
        login(client, person.email, "wrong-password")
    response = login(client, people[20].email, PASSWORD)
    assert response.status_code == 429 or LOCKED in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Another address is not affected.
    assert login(Client(), people[20].email, PASSWORD, ip="203.0.113.50").status_code == 302


def test_the_lockout_message_is_in_the_users_language(client: Client, officer: User) -> None:
    for attempt in range(5):
        client.post("/ar/accounts/login/", {"login": officer.email, "password": f"w{attempt}"})
    html = client.post(
        "/ar/accounts/login/", {"login": officer.email, "password": PASSWORD}
    ).content.decode()
    assert "تجاوزت الحد المسموح لمحاولة تسجيل الدخول" in html


def test_there_is_no_open_sign_up(client: Client) -> None:
    response = client.get("/en/accounts/signup/")
    assert "Sign Up Closed" in response.content.decode()
    client.post(
        "/en/accounts/signup/",
        {"email": "intruder@example.test", "password1": "a-long-password-2026"},
    )
    assert not User.objects.filter(email="intruder@example.test").exists()


def test_the_admin_login_goes_through_allauth(client: Client) -> None:
    response = client.get("/ar/admin/login/?next=/ar/admin/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/ar/accounts/login/")


def test_a_partner_user_cannot_enter_the_admin(client_for, partner_md: User) -> None:
    response = client_for(partner_md).get("/en/admin/", follow=True)
    assert response.status_code == 403
    assert response.redirect_chain[0][0].startswith("/en/admin/login/")


def test_two_step_verification_with_an_authenticator_app_is_offered(
    client_for, officer: User
) -> None:
    html = client_for(officer).get("/en/accounts/2fa/").content.decode()
    assert "Authenticator App" in html
    assert 'href="/en/accounts/2fa/totp/activate/"' in html


def test_the_coordinator_may_delete_an_activity(client_for, coordinator: User) -> None:
    event = EventFactory()
    client = client_for(coordinator)
    response = client.post(f"/en/admin/events/event/{event.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not type(event).objects.filter(pk=event.pk).exists()


def test_the_officer_may_change_but_not_delete_an_activity(client_for, officer: User) -> None:
    event = EventFactory()
    client = client_for(officer)
    assert client.get(f"/en/admin/events/event/{event.pk}/change/").status_code == 200
    assert (
        client.post(f"/en/admin/events/event/{event.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert type(event).objects.filter(pk=event.pk).exists()


def test_the_viewer_may_read_but_not_add_or_change(client_for, viewer: User) -> None:
    event = EventFactory(title_en="Read-only activity")
    client = client_for(viewer)
    assert "Read-only activity" in client.get("/en/admin/events/event/").content.decode()
    assert client.get("/en/admin/events/event/add/").status_code == 403
    change = client.get(f"/en/admin/events/event/{event.pk}/change/").content.decode()
    assert 'name="title_en"' not in change  # shown read-only, no input


def test_only_the_coordinator_manages_accounts(
    client_for, coordinator: User, officer: User
) -> None:
    assert client_for(coordinator).get("/en/admin/belfaa/user/").status_code == 200
    assert client_for(officer).get("/en/admin/belfaa/user/").status_code == 403
