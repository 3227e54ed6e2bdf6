"""Roles are groups whose permissions follow one rule each (belfaa/roles.py)."""

import pytest
from django.contrib.auth.models import Group

from belfaa.roles import COORDINATOR, OFFICER, ROLES, VIEWER, roles_sync

pytestmark = pytest.mark.django_db


def codenames(role: str) -> set[str]:
    return set(Group.objects.get(name=role).permissions.values_list("codename", flat=True))


def test_the_three_roles_exist_after_migrate() -> None:
    assert set(Group.objects.values_list("name", flat=True)) >= set(ROLES)


def test_each_role_gets_its_rule() -> None:
    assert {"add_event", "change_event", "delete_event", "change_user"} <= codenames(COORDINATOR)
    assert {"add_event", "change_event", "view_agreement"} <= codenames(OFFICER)
    assert not {c for c in codenames(OFFICER) if c.startswith("delete_")}
    assert {"view_event", "view_organisation"} <= codenames(VIEWER)
    assert all(c.startswith("view_") for c in codenames(VIEWER))
    assert "view_user" not in codenames(OFFICER) | codenames(VIEWER)


def test_sync_restores_a_role_after_a_manual_change() -> None:
    Group.objects.get(name=VIEWER).permissions.clear()
    roles_sync()
    assert "view_event" in codenames(VIEWER)


def test_coordinators_manage_accounts_but_not_the_roles_or_anyones_secrets() -> None:
    coordinator = codenames(COORDINATOR)
    assert {"add_user", "change_user", "view_authenticator", "delete_authenticator"} <= coordinator
    assert {"view_authenticatorremoval", "view_emailaddress"} <= coordinator
    assert not coordinator & {
        # Roles are the rule in belfaa/roles.py, not admin edits.
        "add_group",
        "change_group",
        "delete_group",
        "add_permission",
        "change_permission",
        # An address added to someone's account signs in and resets their password.
        "add_emailaddress",
        "change_emailaddress",
        "delete_emailaddress",
        # Authenticators are set up by their owner, only removed by staff.
        "add_authenticator",
        "change_authenticator",
        # The record of removals is read, never edited.
        "add_authenticatorremoval",
        "change_authenticatorremoval",
        "delete_authenticatorremoval",
    }


def test_only_coordinators_write_partner_accounts() -> None:
    writes = {"add_membership", "change_membership", "delete_membership"}
    assert writes <= codenames(COORDINATOR)
    for role in (OFFICER, VIEWER):
        assert "view_membership" in codenames(role)
        assert not writes & codenames(role)
    # The rule stays a rule: the other partner records are still the Officers' to edit.
    assert {"add_organisation", "change_agreement"} <= codenames(OFFICER)
