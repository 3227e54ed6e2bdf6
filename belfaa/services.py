"""Business rules on accounts that write (docs/architecture.md, "Where the rules live")."""

from allauth.mfa.models import Authenticator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from belfaa.models import AuthenticatorRemoval, User
from belfaa.roles import may_manage_account


@transaction.atomic
def authenticator_remove(
    *, authenticator: Authenticator, by: User, reason: str
) -> list[AuthenticatorRemoval]:
    """Remove someone's authenticator (they lost their phone), with the reason recorded.
    Recovery codes left without a factor to back up go too, as allauth does when a
    person removes their own; one record per authenticator removed."""
    account = authenticator.user
    if not may_manage_account(by, account):
        raise PermissionDenied
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say why this two-step verification is removed."))
    removed = [authenticator]
    authenticator.delete()
    others = Authenticator.objects.select_for_update().filter(user=account)
    if not others.exclude(type=Authenticator.Type.RECOVERY_CODES).exists():
        removed += list(others)
        others.delete()
    return AuthenticatorRemoval.objects.bulk_create(
        AuthenticatorRemoval(
            account=account,
            account_email=account.email,
            kind=item.type,
            reason=reason,
            removed_by=by,
            removed_by_email=by.email,
        )
        for item in removed
    )
