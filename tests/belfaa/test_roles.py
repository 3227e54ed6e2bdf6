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
