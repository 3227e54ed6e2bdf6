"""Inviting a partner user to the portal, and the invitee's first password.

A Coordinator invites an address for an organisation; the account is made inactive,
with no usable password, and tied to the organisation. The link in the email carries a
random token of which only a hash is stored: single use, expiring after
PORTAL_INVITATION_DAYS, and a new invitation of the same account voids the earlier one.
The email leaves after commit, in the invitee's language, straight from this process:
the token exists nowhere but in that message, so it is not handed to a queue."""

import hashlib
import logging
import secrets
from datetime import timedelta
from functools import partial
from smtplib import SMTPException

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from belfaa.models import User
from belfaa.roles import is_staff_account
from partners.models import Membership, Organisation
from portal.models import Invitation

logger = logging.getLogger(__name__)

INVITE_PERMISSION = "portal.add_invitation"


class InvitationInvalid(Exception):
    """A link that opens nothing: unknown, used, replaced or expired."""

    def __init__(self, status: str) -> None:
        super().__init__(status)
        self.status = status


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_check(*, email: str, organisation: Organisation) -> User | None:
    """The existing account this address would reuse (None: a new one is made), or a
    ValidationError saying why this address cannot be invited for this organisation."""
    account = get_user_model().objects.filter(email__iexact=email.strip()).first()
    if account is None:
        return None
    if is_staff_account(account):
        raise ValidationError(
            _(
                "This address belongs to a staff account: staff do not use the partner "
                "portal. Invite a separate address for the partner."
            ),
            code="staff",
        )
    membership = Membership.objects.filter(user=account).select_related("organisation").first()
    if membership is None or membership.organisation_id != organisation.pk:
        raise ValidationError(
            _(
                "This address belongs to an account that is not a partner account of "
                "%(organisation)s; it cannot be invited for it."
            ),
            code="other_account",
            params={"organisation": organisation},
        )
    return account


@transaction.atomic
def invitation_create(
    *,
    by: User,
    email: str,
    organisation_id: int,
    language: str,
    first_name: str = "",
    last_name: str = "",
) -> Invitation:
    """Invite `email` to the portal of an organisation and send the link after commit."""
    if not by.has_perm(INVITE_PERMISSION):
        raise PermissionDenied
    if language not in dict(settings.LANGUAGES):
        raise ValidationError(_("Choose one of the platform's languages."), code="language")
    organisation = Organisation.objects.get(pk=organisation_id)
    email = get_user_model().objects.normalize_email(email.strip()).lower()
    account = invitation_check(email=email, organisation=organisation)
    if account is None:
        account = get_user_model()(
            email=email,
            first_name=first_name.strip(),
            last_name=last_name.strip(),
            is_active=False,
            preferred_language=language,
        )
        account.set_unusable_password()
        account.save()
        Membership.objects.create(user=account, organisation=organisation)
    else:
        account = get_user_model().objects.select_for_update().get(pk=account.pk)
        account.preferred_language = language
        if first_name.strip() or last_name.strip():
            account.first_name, account.last_name = first_name.strip(), last_name.strip()
        account.save(update_fields=["preferred_language", "first_name", "last_name"])
    now = timezone.now()
    # The earlier link, even one not yet expired, stops working.
    Invitation.objects.filter(user=account, used_at__isnull=True, voided_at__isnull=True).update(
        voided_at=now
    )
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        user=account,
        organisation=organisation,
        email=email,
        language=language,
        token_hash=token_hash(token),
        invited_by=by,
        created_at=now,
        expires_at=now + timedelta(days=settings.PORTAL_INVITATION_DAYS),
    )
    transaction.on_commit(partial(invitation_mail, invitation_id=invitation.pk, token=token))
    return invitation


def invitation_resend(*, invitation_id: int, by: User) -> Invitation:
    """A new link for the same person (the token of the old one is not kept, so it
    cannot be sent again): the old invitation is voided."""
    old = Invitation.objects.select_related("user").get(pk=invitation_id)
    if old.used_at is not None:
        raise ValidationError(
            _("%(email)s has already used their invitation."),
            code="used",
            params={"email": old.email},
        )
    return invitation_create(
        by=by,
        email=old.email,
        organisation_id=old.organisation_id,
        language=old.language,
    )


def invitation_url(token: str) -> str:
    return reverse("portal_invitation:accept", kwargs={"token": token})


def invitation_mail(*, invitation_id: int, token: str) -> bool:
    """Send the link, in the invitee's language. A failing mail server is logged and the
    invitation stays unsent (the admin shows it; "send again" makes a new link)."""
    invitation = Invitation.objects.select_related("organisation", "invited_by", "user").get(
        pk=invitation_id
    )
    if invitation.token_hash != token_hash(token) or invitation.sent_at is not None:
        return False
    with translation.override(invitation.language):
        context = {
            "invitation": invitation,
            "url": settings.SITE_URL.rstrip("/") + invitation_url(token),
            "days": settings.PORTAL_INVITATION_DAYS,
            "mfa_required": settings.STAFF_MFA_REQUIRED,
        }
        subject = gettext("Your invitation to the Belfaa partner portal")
        body = render_to_string("emails/portal/invitation.txt", context)
    try:
        send_mail(subject, body, None, [invitation.email])
    except (SMTPException, OSError) as error:
        logger.warning(
            "Invitation %s was not sent (%s: %s).", invitation_id, type(error).__name__, error
        )
        return False
    Invitation.objects.filter(pk=invitation_id).update(sent_at=timezone.now())
    return True


def invitation_find(*, token: str) -> Invitation:
    """The open invitation this token opens, or InvitationInvalid with the reason."""
    invitation = (
        Invitation.objects.select_related("user", "organisation")
        .filter(token_hash=token_hash(token))
        .first()
    )
    if invitation is None:
        raise InvitationInvalid("unknown")
    status = invitation.status()
    if status != Invitation.Status.OPEN:
        raise InvitationInvalid(status)
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, password: str) -> User:
    """Set the invitee's password (already checked by the password validators), open
    the account and use up the invitation: once, under a row lock, so two posts of the
    same form cannot both pass."""
    found = invitation_find(token=token)
    invitation = Invitation.objects.select_for_update().get(pk=found.pk)
    status = invitation.status()
    if status != Invitation.Status.OPEN:
        raise InvitationInvalid(status)
    account = get_user_model().objects.select_for_update().get(pk=invitation.user_id)
    account.set_password(password)
    account.is_active = True
    account.save(update_fields=["password", "is_active"])
    invitation.used_at = timezone.now()
    invitation.save(update_fields=["used_at"])
    return account
