"""Partner accounts (partners.Membership): only Coordinators manage them, and a staff
account is never a partner account, nor the reverse. Crafted POSTs as each role."""

from collections.abc import Callable

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from belfaa.models import User
from belfaa.roles import OFFICER, VIEWER
from partners.models import Membership
from tests.belfaa.test_account_takeover import change_form
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db
ADD = "/fr/admin/partners/membership/add/"
STAFF_REFUSED = "Ce compte est un compte du personnel"
PARTNER_REFUSED = "Ce compte est un compte partenaire de"


@pytest.mark.parametrize("who", ["officer", "viewer"])
def test_officers_and_viewers_cannot_tie_an_account_to_a_partner(
    request: pytest.FixtureRequest,
    client_for: Callable[[User], Client],
    coordinator: User,
    outsider: User,
    who: str,
) -> None:
    client = client_for(request.getfixturevalue(who))
    organisation = OrganisationFactory()
    for account in (coordinator, outsider):
        response = client.post(ADD, {"user": account.pk, "organisation": organisation.pk})
        assert response.status_code == 403
    assert not Membership.objects.exists()


@pytest.mark.parametrize("who", ["officer", "viewer"])
def test_officers_and_viewers_cannot_change_or_delete_a_partner_account(
    request: pytest.FixtureRequest,
    client_for: Callable[[User], Client],
    partner_md: User,
    outsider: User,
    who: str,
) -> None:
    membership = partner_md.partner_membership
    client = client_for(request.getfixturevalue(who))
    url = f"/fr/admin/partners/membership/{membership.pk}"
    assert client.get(f"{url}/change/").status_code == 200  # they may read it
    assert (
        client.post(
            f"{url}/change/", {"user": outsider.pk, "organisation": membership.organisation_id}
        ).status_code
        == 403
    )
    assert client.post(f"{url}/delete/", {"post": "yes"}).status_code == 403
    membership.refresh_from_db()
    assert membership.user == partner_md


def test_a_coordinator_ties_an_account_to_a_partner(
    client_for: Callable[[User], Client], coordinator: User, outsider: User
) -> None:
    organisation = OrganisationFactory()
    response = client_for(coordinator).post(
        ADD, {"user": outsider.pk, "organisation": organisation.pk}
    )
    assert response.status_code == 302
    assert Membership.objects.get(user=outsider).organisation == organisation


@pytest.mark.parametrize("kind", ["staff", "superuser", "role only"])
def test_a_staff_account_cannot_become_a_partner_account(
    client_for: Callable[[User], Client], coordinator: User, kind: str
) -> None:
    if kind == "staff":
        account = UserFactory(is_staff=True)
    elif kind == "superuser":
        account = UserFactory(is_superuser=True)  # even without staff status
    else:
        account = UserFactory()
        account.groups.add(Group.objects.get(name=VIEWER))
    response = client_for(coordinator).post(
        ADD, {"user": account.pk, "organisation": OrganisationFactory().pk}
    )
    assert response.status_code == 200
    assert STAFF_REFUSED in response.content.decode()
    assert not Membership.objects.exists()


def test_a_coordinators_account_cannot_be_tied_to_a_partner(
    client_for: Callable[[User], Client], coordinator: User
) -> None:
    response = client_for(coordinator).post(
        ADD, {"user": coordinator.pk, "organisation": OrganisationFactory().pk}
    )
    assert STAFF_REFUSED in response.content.decode()
    assert not Membership.objects.exists()


@pytest.mark.parametrize(
    "changes",
    [{"is_staff": "on"}, {"groups": "officer"}, {"is_staff": "on", "groups": "officer"}],
)
def test_a_partner_account_cannot_be_made_staff(
    client_for: Callable[[User], Client],
    coordinator: User,
    partner_md: User,
    changes: dict[str, str],
) -> None:
    if "groups" in changes:
        changes = {**changes, "groups": [Group.objects.get(name=OFFICER).pk]}  # type: ignore[dict-item]
    response = client_for(coordinator).post(
        f"/fr/admin/belfaa/user/{partner_md.pk}/change/", change_form(partner_md, **changes)
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert PARTNER_REFUSED in html
    assert "Migrations &amp; Développement" in html
    partner_md.refresh_from_db()
    assert not partner_md.is_staff
    assert not partner_md.groups.exists()


def test_a_partner_account_is_still_managed_as_one(
    client_for: Callable[[User], Client], coordinator: User, partner_md: User
) -> None:
    response = client_for(coordinator).post(
        f"/fr/admin/belfaa/user/{partner_md.pk}/change/",
        change_form(partner_md, first_name="Fatou"),
    )
    assert response.status_code == 302
    partner_md.refresh_from_db()
    assert partner_md.first_name == "Fatou"


def test_the_message_is_in_the_users_language(
    client_for: Callable[[User], Client], coordinator: User, officer: User
) -> None:
    response = client_for(coordinator).post(
        "/ar/admin/partners/membership/add/",
        {"user": officer.pk, "organisation": OrganisationFactory().pk},
    )
    assert "هذا حساب موظف" in response.content.decode()
