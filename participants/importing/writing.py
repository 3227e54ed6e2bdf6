"""Writing an import. The dry run's preview is kept server-side, under a random token,
for the person who uploaded it; the confirmation writes the rows they chose, in one
transaction, at most once. The browser only ever sends back the token and the choices,
never row data."""

import secrets

from django.core.cache import cache
from django.db import transaction
from django.utils.translation import gettext

from belfaa.models import User
from participants.importing.preview import CREATE, DUPLICATE, ImportPreview, ImportRow
from participants.importing.vocabulary import IMPORTABLE_FIELDS
from participants.models import Participant
from participants.services import participants_create_many

ALL_OR_NOTHING = "all"
VALID_ONLY = "valid"
# A preview waits this long for its confirmation (seconds).
PREVIEW_TTL = 3600


class ImportHasErrors(Exception):
    """All-or-nothing was asked and some rows have errors: nothing was written."""

    def __init__(self) -> None:
        self.message = gettext(
            "Some rows have errors, so nothing was imported. Correct the file and "
            "upload it again, or choose to import only the valid rows."
        )
        super().__init__(self.message)


class ImportExpired(Exception):
    """No preview under this token for this person: it expired, was cancelled, or was
    already imported (perhaps by a confirmation sent at the same moment)."""


def _key(user: User, token: str) -> str:
    # The user's id is part of the key: a token is worthless to anyone else.
    return f"participants-import:{user.pk}:{token}"


def preview_keep(*, preview: ImportPreview, user: User) -> str | None:
    """Keep a dry run for its confirmation by the same person; returns its token, or
    None when the cache did not keep it (a cache that does not answer drops what it is
    given: belfaa/cache.py)."""
    token = secrets.token_urlsafe(24)
    key = _key(user, token)
    cache.set(key, preview, PREVIEW_TTL)
    return token if cache.has_key(key) else None


def preview_replace(*, token: str, preview: ImportPreview, user: User) -> str | None:
    """Keep a new dry run of the same file (other column choices) instead of the one
    under `token`; returns the new token, or None when the old one is gone (expired,
    cancelled, or imported at this very moment: deleting it first claims it, so an
    imported preview never comes back)."""
    if not cache.delete(_key(user, token)):
        return None
    return preview_keep(preview=preview, user=user)


def preview_get(*, token: str, user: User) -> ImportPreview | None:
    preview: ImportPreview | None = cache.get(_key(user, token))
    return preview


def preview_forget(*, token: str, user: User) -> None:
    cache.delete(_key(user, token))


def rows_to_write(preview: ImportPreview, *, mode: str, create_duplicates: bool) -> list[ImportRow]:
    """The rows a confirmation writes. Raises ImportHasErrors for all-or-nothing when
    some row has an error."""
    if mode not in (ALL_OR_NOTHING, VALID_ONLY):
        raise ValueError(f"unknown import mode {mode!r}")
    if mode == ALL_OR_NOTHING and preview.with_errors:
        raise ImportHasErrors
    wanted = {CREATE, DUPLICATE} if create_duplicates else {CREATE}
    return [row for row in preview.rows if row.status in wanted]


def import_confirm(
    *, token: str, mode: str, create_duplicates: bool = False, by: User
) -> list[Participant]:
    """Create the chosen rows of the preview `by` kept under `token`, all in one
    transaction: every row or none. Mode "all" writes nothing if any row has an error
    (ImportHasErrors; the preview stays for another choice); mode "valid" writes the
    rows without errors. Possible duplicates are skipped unless create_duplicates.
    Raises ImportExpired when there is no such preview; once written, it is gone."""
    key = _key(by, token)
    preview: ImportPreview | None = cache.get(key)
    if preview is None:
        raise ImportExpired
    rows = rows_to_write(preview, mode=mode, create_duplicates=create_duplicates)
    # Claim the preview: of two confirmations sent at once, only one writes.
    if not cache.delete(key):
        raise ImportExpired
    try:
        with transaction.atomic():
            return participants_create_many(
                [{name: row.values[name] for name in IMPORTABLE_FIELDS} for row in rows],
                change_reason="import",
                by=by,
            )
    except Exception:
        # Nothing was written (one transaction): let them try again.
        cache.set(key, preview, PREVIEW_TTL)
        raise
