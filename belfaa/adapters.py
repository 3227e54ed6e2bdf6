from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.http import HttpRequest

from belfaa.mfa import secret_decrypt, secret_encrypt


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are created by a Coordinator, never by open sign-up."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False


class MFAAdapter(DefaultMFAAdapter):
    """allauth stores the TOTP key and the recovery-codes seed through these two hooks:
    encrypted, never in clear (see belfaa/mfa.py)."""

    def encrypt(self, text: str) -> str:
        return secret_encrypt(text)

    def decrypt(self, encrypted_text: str) -> str:
        return secret_decrypt(encrypted_text)
