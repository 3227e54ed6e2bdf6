"""Two-step verification secrets (the TOTP key, the recovery-codes seed) are stored
encrypted, so a copy of the database or an admin page does not hand out anyone's
second factor.

The key is derived from SECRET_KEY; SECRET_KEY_FALLBACKS still decrypt, so keys rotate
the Django way: the new key in SECRET_KEY, the old one in SECRET_KEY_FALLBACKS, then
`manage.py mfa_secrets_reseal` re-encrypts every secret with the new key, and the old
key can go."""

import base64
from collections.abc import Iterable
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# A Fernet token always starts with its version byte 0x80 ("g" in base64), while the
# clear values allauth stores are base32 (A-Z, 2-7) or hex (0-9, a-f): never a "g".
_SEALED_PREFIX = "gAAAAA"
UNREADABLE = (
    "A stored two-step verification secret cannot be decrypted with SECRET_KEY or "
    "SECRET_KEY_FALLBACKS: put the previous SECRET_KEY back in SECRET_KEY_FALLBACKS."
)


def _fernet(secret_key: str) -> Fernet:
    key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=b"belfaa", info=b"belfaa.mfa.secrets"
    ).derive(secret_key.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def secret_box() -> MultiFernet:
    """Encrypts with SECRET_KEY's key; decrypts with it or any fallback's."""
    keys = [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
    return MultiFernet([_fernet(key) for key in keys])


def is_sealed(value: str) -> bool:
    return value.startswith(_SEALED_PREFIX)


def secret_encrypt(text: str) -> str:
    return secret_box().encrypt(text.encode()).decode()


def secret_decrypt(token: str) -> str:
    try:
        return secret_box().decrypt(token.encode()).decode()
    except InvalidToken:
        raise ImproperlyConfigured(UNREADABLE) from None


def secret_reseal(value: str) -> str:
    """Encrypted with the current key, whatever it was before (clear, or a fallback key)."""
    if not is_sealed(value):
        return secret_encrypt(value)
    try:
        _fernet(settings.SECRET_KEY).decrypt(value.encode())
        return value  # already under the current key: nothing to write
    except InvalidToken:
        pass
    try:
        return secret_box().rotate(value.encode()).decode()
    except InvalidToken:
        raise ImproperlyConfigured(UNREADABLE) from None


def _map_secrets(data: dict[str, Any], change: Any) -> dict[str, Any]:
    """The data of an authenticator with `change` applied to its secret parts only."""
    data = dict(data)
    for name in ("secret", "seed"):
        if isinstance(data.get(name), str):
            data[name] = change(data[name])
    if isinstance(data.get("migrated_codes"), list):
        data["migrated_codes"] = [change(code) for code in data["migrated_codes"]]
    return data


def authenticators_reseal(authenticators: Iterable[Any]) -> int:
    """Encrypt, with the current key, the secrets of these Authenticator rows (the model
    may be a migration's historical one). Idempotent. Returns how many rows changed."""
    changed = 0
    for authenticator in authenticators:
        data = _map_secrets(authenticator.data, secret_reseal)
        if data != authenticator.data:
            authenticator.data = data
            authenticator.save(update_fields=["data"])
            changed += 1
    return changed


def authenticators_unseal(authenticators: Iterable[Any]) -> None:
    """Back to clear secrets: only for reversing the migration that encrypted them."""
    for authenticator in authenticators:
        data = _map_secrets(authenticator.data, lambda v: secret_decrypt(v) if is_sealed(v) else v)
        if data != authenticator.data:
            authenticator.data = data
            authenticator.save(update_fields=["data"])
