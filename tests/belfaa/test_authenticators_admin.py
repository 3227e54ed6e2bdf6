"""Staff see who has two-step verification and may remove it with a reason, recorded;
no admin page shows, searches, filters or orders on the secret or the recovery seed."""

import json
from collections.abc import Callable

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group
from django.test import Client

from belfaa.mfa import secret_decrypt
from belfaa.models import AuthenticatorRemoval, User
from belfaa.roles import COORDINATOR
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
LIST = "/fr/admin/mfa/authenticator/"


def enrol(user: User) -> tuple[Authenticator, str, list[str]]:
    """TOTP and recovery codes for `user`; returns the TOTP row, its secret and the codes."""
    secret = generate_totp_secret()
    totp = TOTP.activate(user, secret).instance
    codes = RecoveryCodes.activate(user).generate_codes()
    return totp, secret, codes


@pytest.fixture
def superuser(db: None) -> User:
    return User.objects.create_superuser("root@example.test", PASSWORD)


@pytest.fixture
def other_coordinator(db: None) -> User:
    user = UserFactory(email="second.coordinator@example.test", is_staff=True)
    user.groups.add(Group.objects.get(name=COORDINATOR))
    return user


def secrets_of(user: User) -> list[str]:
    """Every secret value of `user`'s authenticators, encrypted and in clear."""
    values = []
    for authenticator in Authenticator.objects.filter(user=user):
        for name in ("secret", "seed"):
            if name in authenticator.data:
                values += [authenticator.data[name], secret_decrypt(authenticator.data[name])]
    return values


@pytest.mark.parametrize("who", ["coordinator", "superuser"])
def test_no_admin_page_shows_a_secret_or_a_recovery_seed(
    request: pytest.FixtureRequest, client_for: Callable[[User], Client], officer: User, who: str
) -> None:
    totp, _secret, codes = enrol(officer)
    client = client_for(request.getfixturevalue(who))
    recovery = Authenticator.objects.get(user=officer, type="recovery_codes")
    pages = [
        LIST,
        f"{LIST}{totp.pk}/change/",
        f"{LIST}{recovery.pk}/change/",
        f"{LIST}{totp.pk}/remove/",
        f"/fr/admin/belfaa/user/{officer.pk}/change/",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert officer.email in html
        for value in [*secrets_of(officer), *codes]:
            assert value not in html, url
        assert '"secret"' not in html and '"seed"' not in html


def test_the_user_page_says_whether_two_step_verification_is_set_up(
    client_for: Callable[[User], Client], coordinator: User, officer: User, viewer: User
) -> None:
    enrol(officer)
    client = client_for(coordinator)
    page = client.get(f"/fr/admin/belfaa/user/{officer.pk}/change/").content.decode()
    assert "Authentificateur TOTP" in page
    assert f"/fr/admin/mfa/authenticator/?user__id__exact={officer.pk}" in page
    assert (
        "Non configurée"
        in client.get(f"/fr/admin/belfaa/user/{viewer.pk}/change/").content.decode()
    )


@pytest.mark.parametrize(
    "query",
    [
        "data__icontains=a",
        "data__secret__startswith=g",
        "data__seed__regex=.",
        "data__isnull=False",
        "data=%7B%7D",
        "user__password__startswith=md5",
    ],
)
def test_authenticator_data_cannot_be_filtered(
    client_for: Callable[[User], Client], coordinator: User, officer: User, query: str
) -> None:
    enrol(officer)
    assert client_for(coordinator).get(f"{LIST}?{query}").status_code == 400


def test_authenticator_data_cannot_be_reached_from_the_user_list(
    client_for: Callable[[User], Client], coordinator: User, officer: User
) -> None:
    enrol(officer)
    client = client_for(coordinator)
    assert client.get("/fr/admin/belfaa/user/?authenticator__data__icontains=a").status_code == 400


def test_authenticators_are_not_searched_or_ordered_by_their_secret(
    client_for: Callable[[User], Client], coordinator: User, officer: User
) -> None:
    _totp, secret, _codes = enrol(officer)
    client = client_for(coordinator)
    found = client.get(LIST, {"q": secret[:6]}).context["cl"].result_count
    assert found == 0
    assert client.get(LIST, {"q": officer.email}).context["cl"].result_count == 2
    # Orderings name list columns by number; none of them is the data.
    for order in ("1", "2", "3", "4", "5", "-9"):
        response = client.get(LIST, {"o": order})
        assert response.status_code in {200, 302}
        assert secret not in response.content.decode()


def test_staff_remove_an_officers_two_step_verification_with_a_reason(
    client_for: Callable[[User], Client], coordinator: User, officer: User
) -> None:
    totp, _secret, _codes = enrol(officer)
    client = client_for(coordinator)
    assert "Supprimer…" in client.get(f"{LIST}{totp.pk}/change/").content.decode()
    response = client.post(f"{LIST}{totp.pk}/remove/", {"reason": "Lost her phone"})
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=officer).exists()  # recovery codes too
    removals = AuthenticatorRemoval.objects.order_by("kind")
    assert [(r.kind, r.account, r.removed_by, r.reason) for r in removals] == [
        ("recovery_codes", officer, coordinator, "Lost her phone"),
        ("totp", officer, coordinator, "Lost her phone"),
    ]
    assert all(r.account_email == officer.email for r in removals)
    assert all(r.removed_by_email == coordinator.email for r in removals)
    # The record reads in the admin, translated, and cannot be edited or deleted there.
    log = client.get("/fr/admin/belfaa/authenticatorremoval/").content.decode()
    assert "Lost her phone" in log
    removal = removals[0]
    assert (
        client.post(
            f"/fr/admin/belfaa/authenticatorremoval/{removal.pk}/delete/", {"post": "yes"}
        ).status_code
        == 403
    )
    assert client.get("/fr/admin/belfaa/authenticatorremoval/add/").status_code == 403


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_removal_without_a_reason_is_refused_and_changes_nothing(
    client_for: Callable[[User], Client], coordinator: User, officer: User, reason: str
) -> None:
    totp, _secret, _codes = enrol(officer)
    response = client_for(coordinator).post(f"{LIST}{totp.pk}/remove/", {"reason": reason})
    assert response.status_code == 200
    assert "Ce champ est obligatoire." in response.content.decode()
    assert Authenticator.objects.filter(user=officer).count() == 2
    assert not AuthenticatorRemoval.objects.exists()


@pytest.mark.parametrize("target", ["superuser", "other_coordinator"])
def test_a_coordinator_cannot_remove_a_superusers_or_a_coordinators_authenticator(
    request: pytest.FixtureRequest,
    client_for: Callable[[User], Client],
    coordinator: User,
    target: str,
) -> None:
    account = request.getfixturevalue(target)
    totp, _secret, _codes = enrol(account)
    client = client_for(coordinator)
    assert "Supprimer…" not in client.get(f"{LIST}{totp.pk}/change/").content.decode()
    assert client.get(f"{LIST}{totp.pk}/remove/").status_code == 403
    assert client.post(f"{LIST}{totp.pk}/remove/", {"reason": "takeover"}).status_code == 403
    assert Authenticator.objects.filter(user=account).count() == 2
    assert not AuthenticatorRemoval.objects.exists()


def test_a_superuser_removes_a_coordinators_authenticator(
    client_for: Callable[[User], Client], superuser: User, other_coordinator: User
) -> None:
    totp, _secret, _codes = enrol(other_coordinator)
    response = client_for(superuser).post(f"{LIST}{totp.pk}/remove/", {"reason": "New phone"})
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=other_coordinator).exists()


def test_the_plain_delete_without_a_reason_is_closed(
    client_for: Callable[[User], Client], coordinator: User, officer: User
) -> None:
    totp, _secret, _codes = enrol(officer)
    client = client_for(coordinator)
    assert client.post(f"{LIST}{totp.pk}/delete/", {"post": "yes"}).status_code == 403
    client.post(LIST, {"action": "delete_selected", "_selected_action": [totp.pk], "post": "yes"})
    assert client.post(f"{LIST}{totp.pk}/change/", {"data": "{}"}).status_code == 403
    assert client.get(f"{LIST}add/").status_code == 403
    assert Authenticator.objects.filter(pk=totp.pk).exists()
    assert json.dumps(Authenticator.objects.get(pk=totp.pk).data) != "{}"


def test_a_crafted_removal_url_answers_404(
    client_for: Callable[[User], Client], coordinator: User
) -> None:
    client = client_for(coordinator)
    assert client.get(f"{LIST}999999/remove/").status_code == 404
    assert client.post(f"{LIST}not-a-number/remove/", {"reason": "x"}).status_code == 404
    assert not AuthenticatorRemoval.objects.exists()


@pytest.mark.parametrize("who", ["officer", "viewer"])
def test_officers_and_viewers_see_no_authenticators(
    request: pytest.FixtureRequest,
    client_for: Callable[[User], Client],
    coordinator: User,
    who: str,
) -> None:
    totp, _secret, _codes = enrol(coordinator)
    client = client_for(request.getfixturevalue(who))
    assert client.get(LIST).status_code == 403
    assert client.post(f"{LIST}{totp.pk}/remove/", {"reason": "x"}).status_code == 403
    assert Authenticator.objects.filter(pk=totp.pk).exists()
