"""Two-step verification secrets are stored encrypted (belfaa/mfa.py): set up through
allauth's own pages, none is in the database in clear; signing in with a code still
works, also after SECRET_KEY is rotated; the migration encrypts rows stored before."""

import time
from collections.abc import Iterator

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection
from django.test import Client
from pytest_django.fixtures import Settings as SettingsWrapper

from belfaa.mfa import authenticators_reseal, is_sealed, secret_decrypt
from belfaa.models import User
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db
OLD_KEY = "test-only-the-previous-secret-key"
NEW_KEY = "test-only-the-next-secret-key"


def code_for(secret: str, step: int = 0) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + step))


def raw_rows() -> str:
    """The authenticator table as the database holds it, whatever the backend."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT type, data FROM mfa_authenticator ORDER BY id")
        return repr(cursor.fetchall())


def activate_totp(user: User) -> tuple[Client, str]:
    """Through allauth's pages, as a person does: sign in, open the page, type a code."""
    client = Client()
    assert (
        client.post("/en/accounts/login/", {"login": user.email, "password": PASSWORD}).status_code
        == 302
    )
    # allauth asks for the password again before a factor is added.
    assert client.get("/en/accounts/2fa/totp/activate/").status_code == 302
    client.post("/en/accounts/reauthenticate/", {"password": PASSWORD})
    page = client.get("/en/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    secret = client.session["mfa.totp.secret"]
    assert secret in page.content.decode()  # shown once, to its owner, to set up the app
    response = client.post("/en/accounts/2fa/totp/activate/", {"code": code_for(secret)})
    assert response.status_code == 302
    return client, secret


def sign_in_with_totp(user: User, secret: str, step: int = 0) -> Client:
    client = Client()
    response = client.post("/en/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.headers["Location"] == "/en/accounts/2fa/authenticate/"
    assert "_auth_user_id" not in client.session
    client.post("/en/accounts/2fa/authenticate/", {"code": code_for(secret, step)})
    return client


@pytest.fixture(autouse=True)
def _one_step_of_tolerance(settings: SettingsWrapper) -> None:
    # A code typed as the 30-second step turns over still counts, as for a person.
    settings.MFA_TOTP_TOLERANCE = 1


@pytest.fixture
def keys(settings: SettingsWrapper) -> Iterator[SettingsWrapper]:
    settings.SECRET_KEY = OLD_KEY
    settings.SECRET_KEY_FALLBACKS = []
    yield settings


def test_totp_set_up_through_allauth_stores_no_clear_secret(officer: User) -> None:
    _client, secret = activate_totp(officer)
    totp = Authenticator.objects.get(user=officer, type="totp")
    recovery = Authenticator.objects.get(user=officer, type="recovery_codes")
    assert is_sealed(totp.data["secret"]) and is_sealed(recovery.data["seed"])
    seed = secret_decrypt(recovery.data["seed"])
    stored = raw_rows()
    assert secret not in stored
    assert secret.lower() not in stored.lower()
    assert seed not in stored
    # The codes the person is shown still come from the (decrypted) seed.
    codes = RecoveryCodes(recovery).get_unused_codes()
    assert len(codes) == 10
    assert all(code not in stored for code in codes)


def test_signing_in_with_a_totp_code_still_works(officer: User) -> None:
    _client, secret = activate_totp(officer)
    client = sign_in_with_totp(officer, secret)
    assert client.session["_auth_user_id"] == str(officer.pk)
    # A wrong code lets no one in.
    assert "_auth_user_id" not in sign_in_with_totp(officer, "A" * 32).session


def test_signing_in_with_a_recovery_code_still_works(officer: User) -> None:
    activate_totp(officer)
    code = RecoveryCodes(
        Authenticator.objects.get(user=officer, type="recovery_codes")
    ).get_unused_codes()[0]
    client = Client()
    client.post("/en/accounts/login/", {"login": officer.email, "password": PASSWORD})
    client.post("/en/accounts/2fa/authenticate/", {"code": code})
    assert client.session["_auth_user_id"] == str(officer.pk)


def test_secrets_survive_a_key_rotation_with_fallbacks(
    keys: SettingsWrapper, officer: User
) -> None:
    _client, secret = activate_totp(officer)
    sealed = Authenticator.objects.get(user=officer, type="totp").data["secret"]

    # The new key in SECRET_KEY, the old one kept as a fallback: still signs in.
    keys.SECRET_KEY, keys.SECRET_KEY_FALLBACKS = NEW_KEY, [OLD_KEY]
    assert sign_in_with_totp(officer, secret, step=0).session["_auth_user_id"] == str(officer.pk)

    # Re-encrypted with the new key, the old one can go.
    call_command("mfa_secrets_reseal", stdout=open("/dev/null", "w"))  # noqa: SIM115
    resealed = Authenticator.objects.get(user=officer, type="totp").data["secret"]
    assert resealed != sealed and secret_decrypt(resealed) == secret
    assert authenticators_reseal(Authenticator.objects.all()) == 0  # nothing left to do
    keys.SECRET_KEY_FALLBACKS = []
    assert sign_in_with_totp(officer, secret, step=1).session["_auth_user_id"] == str(officer.pk)


def test_a_lost_key_is_named_not_silently_accepted(keys: SettingsWrapper, officer: User) -> None:
    activate_totp(officer)
    keys.SECRET_KEY = NEW_KEY  # rotated without keeping the old key as a fallback
    totp = Authenticator.objects.get(user=officer, type="totp")
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY_FALLBACKS"):
        secret_decrypt(totp.data["secret"])


@pytest.mark.django_db(transaction=True)
def test_the_migration_encrypts_the_secrets_stored_in_clear(officer: User) -> None:
    call_command("migrate", "belfaa", "0003", verbosity=0)
    totp = Authenticator.objects.create(
        user=officer, type="totp", data={"secret": "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"}
    )
    recovery = Authenticator.objects.create(
        user=officer,
        type="recovery_codes",
        data={"seed": "0f" * 40, "used_mask": 3, "migrated_codes": ["12345678"]},
    )
    call_command("migrate", "belfaa", verbosity=0)
    totp.refresh_from_db()
    recovery.refresh_from_db()
    assert is_sealed(totp.data["secret"])
    assert secret_decrypt(totp.data["secret"]) == "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    assert secret_decrypt(recovery.data["seed"]) == "0f" * 40
    assert [secret_decrypt(code) for code in recovery.data["migrated_codes"]] == ["12345678"]
    assert recovery.data["used_mask"] == 3
    stored = raw_rows()
    assert "JBSWY3DPEHPK3PXP" not in stored and "0f0f0f" not in stored and "12345678" not in stored
    # Run again, it changes nothing: the secrets are not encrypted twice.
    assert authenticators_reseal(Authenticator.objects.all()) == 0
