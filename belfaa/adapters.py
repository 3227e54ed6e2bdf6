from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.http import HttpRequest

from belfaa.landing import landing_for
from belfaa.mfa import secret_decrypt, secret_encrypt


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are created by a Coordinator, never by open sign-up."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        # A partner account lands on its portal (belfaa/landing.py), staff as before.
        landing = landing_for(request.user)
        return landing.url if landing else super().get_login_redirect_url(request)


class MFAAdapter(DefaultMFAAdapter):
    """allauth stores the TOTP key and the recovery-codes seed through these two hooks:
    encrypted, never in clear (see belfaa/mfa.py)."""

    def encrypt(self, text: str) -> str:
        return secret_encrypt(text)

    def decrypt(self, encrypted_text: str) -> str:
        return secret_decrypt(encrypted_text)
