"""Partner users join the portal by invitation only: a Coordinator invites from the
admin, the invitee sets a password through a single-use, expiring link, and nothing
else opens an account. Crafted posts as each role, wrong, reused and expired links."""

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from belfaa.models import User
from belfaa.roles import COORDINATOR, OFFICER, VIEWER
from partners.models import Membership, Organisation
from portal.invitations import invitation_create, token_hash
from portal.models import Invitation
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db
ADD = "/fr/admin/portal/invitation/add/"
LIST = "/fr/admin/portal/invitation/"
NEW_PASSWORD = "Sable-et-argan-2026"
LINK = re.compile(r"http://[^\s]+/(ar|fr|en)/portal/invitation/([A-Za-z0-9_-]+)/")

Capture = Callable[..., Any]


@pytest.fixture
def md() -> Organisation:
    return OrganisationFactory(name="Migrations & Développement")


def invite(
    client: Client,
    organisation: Organisation,
    capture: Capture,
    email: str = "nadia@md.test",
    **more: str,
) -> Any:
    data = {
        "email": email,
        "first_name": "Nadia",
        "last_name": "Ouali",
        "organisation": organisation.pk,
        "language": "fr",
        **more,
    }
    with capture(execute=True):
        return client.post(ADD, data)


def link_in(message: Any) -> tuple[str, str]:
    found = LINK.search(message.body)
    assert found, message.body
    return found.group(0).split("://", 1)[1].split("/", 1)[1].join(["/", ""]), found.group(2)


def last_link() -> str:
    path, _token = link_in(mail.outbox[-1])
    return path


def test_a_coordinator_invites_and_the_invitee_gets_an_inactive_account_and_a_french_email(
    client_for: Callable[[User], Client],
    coordinator: User,
    md: Organisation,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    response = invite(client_for(coordinator), md, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    account = User.objects.get(email="nadia@md.test")
    assert not account.is_active and not account.has_usable_password()
    assert account.preferred_language == "fr"
    assert Membership.objects.get(user=account).organisation == md
    invitation = Invitation.objects.get(user=account)
    assert invitation.invited_by == coordinator and invitation.sent_at is not None
    assert invitation.expires_at - invitation.created_at == timedelta(days=7)
    [message] = mail.outbox
    assert message.to == ["nadia@md.test"]
    assert message.subject == "Votre invitation au portail des partenaires de Belfaa"
    assert "Bonjour Nadia," in message.body
    path, token = link_in(message)
    assert path == f"/fr/portal/invitation/{token}/"
    # Only the hash is stored; the token is nowhere in the database row.
    assert invitation.token_hash == token_hash(token) and token not in str(invitation.__dict__)


def test_the_email_follows_the_invitees_language(
    client_for: Callable[[User], Client],
    coordinator: User,
    md: Organisation,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    invite(client_for(coordinator), md, django_capture_on_commit_callbacks, language="ar")
    [message] = mail.outbox
    assert "دعوتكم إلى بوابة شركاء بلفاع" in message.subject
    assert "/ar/portal/invitation/" in message.body


def test_the_link_sets_a_password_opens_the_account_and_works_once(
    client: Client,
    client_for: Callable[[User], Client],
    coordinator: User,
    md: Organisation,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    invite(client_for(coordinator), md, django_capture_on_commit_callbacks)
    path = last_link()
    page = client.get(path)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Migrations &amp; Développement" in html and "nadia@md.test" in html
    response = client.post(path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/fr/accounts/login/"
    account = User.objects.get(email="nadia@md.test")
    assert account.is_active and account.check_password(NEW_PASSWORD)
    assert Invitation.objects.get(user=account).used_at is not None
    # Signing in now lands on the portal.
    signed_in = Client()
    landing = signed_in.post(
        "/fr/accounts/login/", {"login": "nadia@md.test", "password": NEW_PASSWORD}
    )
    assert landing["Location"] == "/fr/portal/"
    # The same link again: a clear page, and nothing changes.
    again = client.post(
        path, {"new_password1": "Autre-mot-2026x", "new_password2": "Autre-mot-2026x"}
    )
    assert again.status_code == 410
    assert "Cette invitation a déjà été utilisée" in again.content.decode()
    account.refresh_from_db()
    assert account.check_password(NEW_PASSWORD)


def test_weak_or_mismatched_passwords_are_refused_with_the_validators_messages(
    client: Client,
    client_for: Callable[[User], Client],
    coordinator: User,
    md: Organisation,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    invite(client_for(coordinator), md, django_capture_on_commit_callbacks)
    path = last_link()
    short = client.post(path, {"new_password1": "court", "new_password2": "court"})
    assert short.status_code == 400
    assert "Ce mot de passe est trop court" in short.content.decode()
    mismatch = client.post(
        path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD + "x"}
    )
    assert mismatch.status_code == 400
    assert "Les deux mots de passe ne correspondent pas" in mismatch.content.decode()
    account = User.objects.get(email="nadia@md.test")
    assert not account.is_active and not account.has_usable_password()
    assert Invitation.objects.get(user=account).used_at is None


def test_an_expired_link_opens_nothing(
    client: Client,
    client_for: Callable[[User], Client],
    coordinator: User,
    md: Organisation,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    invite(client_for(coordinator), md, django_capture_on_commit_callbacks)
    path = last_link()
    Invitation.objects.update(
        created_at=timezone.now() - timedelta(days=8),
        expires_at=timezone.now() - timedelta(seconds=1),
    )
    for response in (
        client.get(path),
        client.post(path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}),
    ):
        assert response.status_code == 410
        assert "Cette invitation a expiré" in response.content.decode()
    account = User.objects.get(email="nadia@md.test")
    assert not account.is_active and not account.has_usable_password()


@pytest.mark.parametrize("token", ["x" * 43, "not-a-token", "A" * 200])
def test_a_wrong_token_answers_404_with_a_translated_page(client: Client, token: str) -> None:
    response = client.get(f"/ar/portal/invitation/{token}/")
    assert response.status_code == 404
    assert "هذا الرابط ليس دعوة صالحة" in response.content.decode()
    post = client.post(
        f"/en/portal/invitation/{token}/",
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert post.status_code == 404 and "is not a valid invitation" in post.content.decode()


def test_inviting_again_voids_the_earlier_link(
    client: Client,
    client_for: Callable[[User], Client],
    coordinator: User,
    md: Organisation,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    coordinator_client = client_for(coordinator)
    invite(coordinator_client, md, django_capture_on_commit_callbacks)
    first = last_link()
    invite(coordinator_client, md, django_capture_on_commit_callbacks)
    second = last_link()
    assert first != second
    assert User.objects.filter(email="nadia@md.test").count() == 1
    assert Membership.objects.filter(user__email="nadia@md.test").count() == 1
    old = client.get(first)
    assert old.status_code == 410 and "Une invitation plus récente" in old.content.decode()
    assert client.get(second).status_code == 200
    statuses = sorted(invitation.status() for invitation in Invitation.objects.all())
    assert statuses == ["open", "replaced"]


def test_send_again_action_makes_a_new_link_and_lists_each_status(
    client: Client,
    client_for: Callable[[User], Client],
    coordinator: User,
    md: Organisation,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    admin = client_for(coordinator)
    invite(admin, md, django_capture_on_commit_callbacks)
    first = Invitation.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(
            LIST, {"action": "send_again", "_selected_action": [first.pk]}, follow=True
        )
    assert "1 nouveau lien" in response.content.decode()
    assert len(mail.outbox) == 2 and Invitation.objects.count() == 2
    assert client.get(link_in(mail.outbox[0])[0]).status_code == 410
    assert client.get(link_in(mail.outbox[1])[0]).status_code == 200
    listing = admin.get(LIST).content.decode()
    assert "ouverte" in listing and "remplacée par une invitation plus récente" in listing
    # No token, and no hash of one, anywhere in the admin.
    for invitation in Invitation.objects.all():
        assert invitation.token_hash not in listing
        detail = admin.get(f"{LIST}{invitation.pk}/change/").content.decode()
        assert invitation.token_hash not in detail and "token_hash" not in detail


def test_the_status_filter_finds_used_and_expired_invitations(
    client_for: Callable[[User], Client], coordinator: User, md: Organisation
) -> None:
    now = timezone.now()
    used = Invitation.objects.create(
        user=UserFactory(email="used@md.test"),
        organisation=md,
        email="used@md.test",
        language="fr",
        token_hash="a" * 64,
        invited_by=coordinator,
        used_at=now,
        expires_at=now + timedelta(days=7),
    )
    expired = Invitation.objects.create(
        user=UserFactory(email="late@md.test"),
        organisation=md,
        email="late@md.test",
        language="fr",
        token_hash="b" * 64,
        invited_by=coordinator,
        created_at=now - timedelta(days=9),
        expires_at=now - timedelta(days=2),
    )
    admin = client_for(coordinator)
    assert used.email in admin.get(f"{LIST}?status=used").content.decode()
    assert expired.email not in admin.get(f"{LIST}?status=used").content.decode()
    page = admin.get(f"{LIST}?status=expired").content.decode()
    assert expired.email in page and used.email not in page


def test_a_staff_address_cannot_be_invited(
    client_for: Callable[[User], Client],
    coordinator: User,
    officer: User,
    md: Organisation,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    response = invite(
        client_for(coordinator),
        md,
        django_capture_on_commit_callbacks,
        email="OFFICER@example.test",
    )
    assert response.status_code == 200
    assert "Cette adresse appartient à un compte du personnel" in response.content.decode()
    assert not Invitation.objects.exists() and not mail.outbox
    officer.refresh_from_db()
    assert officer.is_active and not Membership.objects.filter(user=officer).exists()


def test_an_account_of_another_partner_cannot_be_invited_for_this_one(
    client_for: Callable[[User], Client],
    coordinator: User,
    partner_jette: User,
    outsider: User,
    md: Organisation,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    for email in (partner_jette.email, outsider.email):
        response = invite(
            client_for(coordinator), md, django_capture_on_commit_callbacks, email=email
        )
        assert "pas un compte partenaire de Migrations &amp; Développement" in (
            response.content.decode()
        )
    assert not Invitation.objects.exists() and not mail.outbox
    assert partner_jette.partner_membership.organisation.name == "Jette"


def test_an_existing_partner_account_of_the_organisation_is_reused(
    client_for: Callable[[User], Client],
    coordinator: User,
    partner_md: User,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    organisation = partner_md.partner_membership.organisation
    invite(
        client_for(coordinator),
        organisation,
        django_capture_on_commit_callbacks,
        email=partner_md.email,
    )
    assert Invitation.objects.get().user == partner_md
    assert User.objects.filter(email=partner_md.email).count() == 1
    partner_md.refresh_from_db()
    assert partner_md.is_active  # a forgotten password does not lock them out meanwhile


@pytest.mark.parametrize("role", [OFFICER, VIEWER])
def test_only_coordinators_invite_and_a_crafted_post_is_refused(
    client_for: Callable[[User], Client],
    md: Organisation,
    role: str,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    staff = UserFactory(email=f"{role.lower()}@example.test", is_staff=True)
    staff.groups.add(Group.objects.get(name=role))
    client = client_for(staff)
    assert client.get(ADD).status_code == 403
    response = invite(client, md, django_capture_on_commit_callbacks)
    assert response.status_code == 403
    assert not User.objects.filter(email="nadia@md.test").exists()
    assert not Invitation.objects.exists() and not mail.outbox
    with pytest.raises(PermissionDenied):
        invitation_create(by=staff, email="nadia@md.test", organisation_id=md.pk, language="fr")


def test_the_send_again_action_is_refused_to_an_officer(
    client_for: Callable[[User], Client], coordinator: User, officer: User, md: Organisation
) -> None:
    made = invitation_create(
        by=coordinator, email="nadia@md.test", organisation_id=md.pk, language="fr"
    )
    response = client_for(officer).post(
        LIST, {"action": "send_again", "_selected_action": [made.pk]}
    )
    assert Invitation.objects.count() == 1 and Invitation.objects.get().voided_at is None
    assert response.status_code in {200, 302, 403}


def test_the_invite_permission_belongs_to_the_coordinator_role_only() -> None:
    holders = Group.objects.filter(permissions__codename="add_invitation").values_list(
        "name", flat=True
    )
    assert list(holders) == [COORDINATOR]


def test_an_unknown_language_is_refused(coordinator: User, md: Organisation) -> None:
    with pytest.raises(ValidationError):
        invitation_create(
            by=coordinator, email="nadia@md.test", organisation_id=md.pk, language="de"
        )
    assert not User.objects.filter(email="nadia@md.test").exists()


def test_a_failing_mail_server_leaves_the_invitation_unsent_not_a_500(
    settings: Any,
    client_for: Callable[[User], Client],
    coordinator: User,
    md: Organisation,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 2},
        }
    }
    response = invite(client_for(coordinator), md, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.sent_at is None and invitation.status() == "open"


@pytest.mark.django_db(transaction=True)
def test_the_demo_has_portal_users_for_md_and_jette_and_one_open_invitation(capsys: Any) -> None:
    from django.core.management import call_command

    call_command("seed_demo", force=True)
    out = capsys.readouterr().out
    assert "partner@md.demo" in out and "partner@jette.demo" in out
    assert "invite@jeunes-belfaa.demo" in out
    jette = User.objects.get(email="partner@jette.demo")
    assert jette.is_active and jette.partner_membership.organisation.name_fr == "Commune de Jette"
    [invitation] = Invitation.objects.all()
    assert invitation.status() == Invitation.Status.OPEN and not invitation.user.is_active
    assert invitation.sent_at is not None and "/fr/portal/invitation/" in mail.outbox[-1].body
    call_command("seed_demo", force=True)
    assert Invitation.objects.count() == 1


def test_the_invite_form_asks_for_email_name_organisation_and_language(
    client_for: Callable[[User], Client], coordinator: User, md: Organisation
) -> None:
    page = client_for(coordinator).get(ADD).content.decode()
    for name in ("email", "first_name", "last_name", "organisation", "language"):
        assert f'name="{name}"' in page
    assert "token" not in page.replace("csrfmiddlewaretoken", "")
