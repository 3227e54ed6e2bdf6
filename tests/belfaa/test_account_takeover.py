"""Coordinators manage Officer, Viewer and partner accounts; only a superuser changes a
superuser's or a Coordinator's, and no Coordinator can raise anyone (themselves
included) above their own rights. Tried as an attacker would: crafted POSTs."""

from collections.abc import Callable

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group, Permission
from django.test import Client

from belfaa.models import User
from belfaa.roles import COORDINATOR, OFFICER, VIEWER
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "taken-over-2026-password"


@pytest.fixture
def superuser(db: None) -> User:
    return User.objects.create_superuser("root@example.test", PASSWORD)


@pytest.fixture
def other_coordinator(db: None) -> User:
    user = UserFactory(email="second.coordinator@example.test", is_staff=True)
    user.groups.add(Group.objects.get(name=COORDINATOR))
    return user


def change_form(user: User, **changes: object) -> dict[str, object]:
    """What the admin's change form posts for `user`, with `changes` applied."""
    data: dict[str, object] = {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "preferred_language": user.preferred_language,
        "groups": [group.pk for group in user.groups.all()],
    }
    if user.is_active:
        data["is_active"] = "on"
    if user.is_staff:
        data["is_staff"] = "on"
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def set_password(client: Client, user: User) -> int:
    response = client.post(
        f"/fr/admin/belfaa/user/{user.pk}/password/",
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "set_usable_password": "true"},
    )
    return response.status_code


@pytest.mark.parametrize("target", ["superuser", "other_coordinator"])
def test_a_coordinator_cannot_set_a_superusers_or_a_coordinators_password(
    request: pytest.FixtureRequest,
    client_for: Callable[[User], Client],
    coordinator: User,
    target: str,
) -> None:
    account = request.getfixturevalue(target)
    assert set_password(client_for(coordinator), account) == 403
    account.refresh_from_db()
    assert account.check_password(PASSWORD)
    assert not account.check_password(NEW_PASSWORD)


@pytest.mark.parametrize("target", ["superuser", "other_coordinator"])
def test_a_coordinator_cannot_change_a_superusers_or_a_coordinators_account(
    request: pytest.FixtureRequest,
    client_for: Callable[[User], Client],
    coordinator: User,
    target: str,
) -> None:
    account = request.getfixturevalue(target)
    client = client_for(coordinator)
    before = (account.email, account.is_active, set(account.groups.all()))
    response = client.post(
        f"/fr/admin/belfaa/user/{account.pk}/change/",
        change_form(account, email="attacker@example.test", is_active=None, groups=[]),
    )
    assert response.status_code == 403
    account.refresh_from_db()
    assert (account.email, account.is_active, set(account.groups.all())) == before
    # The page still opens, read-only: no input to type into, no password link that works.
    page = client.get(f"/fr/admin/belfaa/user/{account.pk}/change/").content.decode()
    assert 'name="email"' not in page


@pytest.mark.parametrize("target", ["superuser", "other_coordinator"])
def test_a_coordinator_cannot_delete_a_superuser_or_a_coordinator(
    request: pytest.FixtureRequest,
    client_for: Callable[[User], Client],
    coordinator: User,
    target: str,
) -> None:
    account = request.getfixturevalue(target)
    client = client_for(coordinator)
    assert (
        client.post(f"/fr/admin/belfaa/user/{account.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    bulk = client.post(
        "/fr/admin/belfaa/user/",
        {"action": "delete_selected", "_selected_action": [account.pk], "post": "yes"},
    )
    assert bulk.status_code == 403
    assert User.objects.filter(pk=account.pk).exists()


def test_a_coordinator_manages_an_officers_account(
    client_for: Callable[[User], Client], coordinator: User, officer: User
) -> None:
    client = client_for(coordinator)
    response = client.post(
        f"/fr/admin/belfaa/user/{officer.pk}/change/",
        change_form(
            officer,
            email="renamed.officer@example.test",
            groups=[Group.objects.get(name=VIEWER).pk],
        ),
    )
    assert response.status_code == 302
    assert set_password(client, officer) == 302
    officer.refresh_from_db()
    assert officer.email == "renamed.officer@example.test"
    assert list(officer.groups.values_list("name", flat=True)) == [VIEWER]
    assert officer.check_password(NEW_PASSWORD)


def test_a_coordinator_cannot_give_the_coordinator_role(
    client_for: Callable[[User], Client], coordinator: User, officer: User
) -> None:
    client = client_for(coordinator)
    page = client.get(f"/fr/admin/belfaa/user/{officer.pk}/change/").content.decode()
    coordinators = Group.objects.get(name=COORDINATOR)
    assert f'value="{coordinators.pk}"' not in page
    response = client.post(
        f"/fr/admin/belfaa/user/{officer.pk}/change/",
        change_form(officer, groups=[coordinators.pk]),
    )
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert list(officer.groups.values_list("name", flat=True)) == [OFFICER]
    # Nor to themselves: their own account is a Coordinator's, so read-only to them.
    assert (
        client.post(
            f"/fr/admin/belfaa/user/{coordinator.pk}/change/", change_form(coordinator, groups=[])
        ).status_code
        == 403
    )


def test_a_coordinator_cannot_make_anyone_superuser_or_grant_permissions(
    client_for: Callable[[User], Client], coordinator: User, officer: User
) -> None:
    sensitive = Permission.objects.get(codename="view_sensitive")
    response = client_for(coordinator).post(
        f"/fr/admin/belfaa/user/{officer.pk}/change/",
        change_form(officer, is_superuser="on", user_permissions=[sensitive.pk]),
    )
    assert response.status_code == 302  # the extra fields are not part of their form
    officer.refresh_from_db()
    assert not officer.is_superuser
    assert not officer.user_permissions.exists()
    assert not officer.has_perm("participants.view_sensitive")


def test_a_coordinator_cannot_edit_the_roles(
    client_for: Callable[[User], Client], coordinator: User
) -> None:
    client = client_for(coordinator)
    officers = Group.objects.get(name=OFFICER)
    sensitive = Permission.objects.get(codename="view_sensitive")
    assert client.get("/fr/admin/auth/group/").status_code == 403
    response = client.post(
        f"/fr/admin/auth/group/{officers.pk}/change/",
        {"name": OFFICER, "permissions": [sensitive.pk]},
    )
    assert response.status_code == 403
    assert not officers.permissions.filter(pk=sensitive.pk).exists()


def test_a_coordinator_cannot_add_a_sign_in_address_to_a_superuser(
    client_for: Callable[[User], Client], coordinator: User, superuser: User
) -> None:
    # An address there signs in and receives password resets: it would be a takeover.
    response = client_for(coordinator).post(
        "/fr/admin/account/emailaddress/add/",
        {"user": superuser.pk, "email": "attacker@example.test", "verified": "on", "primary": "on"},
    )
    assert response.status_code == 403
    assert not EmailAddress.objects.filter(email="attacker@example.test").exists()


def test_password_hashes_cannot_be_filtered(
    client_for: Callable[[User], Client], coordinator: User, superuser: User
) -> None:
    client = client_for(coordinator)
    # Django's UserAdmin refuses these already; kept so a change here cannot reopen them.
    for lookup in ("password__startswith=md5", "password__regex=^m", "password=x"):
        assert client.get(f"/fr/admin/belfaa/user/?{lookup}").status_code == 400


def test_a_superuser_changes_a_coordinators_account(
    client_for: Callable[[User], Client], superuser: User, other_coordinator: User
) -> None:
    client = client_for(superuser)
    response = client.post(
        f"/fr/admin/belfaa/user/{other_coordinator.pk}/change/",
        change_form(other_coordinator, groups=[Group.objects.get(name=OFFICER).pk]),
    )
    assert response.status_code == 302
    assert set_password(client, other_coordinator) == 302
    other_coordinator.refresh_from_db()
    assert list(other_coordinator.groups.values_list("name", flat=True)) == [OFFICER]
    assert other_coordinator.check_password(NEW_PASSWORD)
