"""Invitations to the partner portal. A partner account is never opened with a password
chosen by staff: a Coordinator invites, and the invitee sets their own password through
a single-use link that expires. Only a hash of the link's token is kept, so neither the
database nor the admin can hand the link out again."""

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partners.models import Organisation


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def open(self, now: datetime | None = None) -> "InvitationQuerySet":
        """Neither used nor replaced, and not yet expired."""
        return self.filter(
            used_at__isnull=True, voided_at__isnull=True, expires_at__gt=now or timezone.now()
        )


class Invitation(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("open")
        USED = "used", _("used")
        EXPIRED = "expired", _("expired")
        REPLACED = "replaced", _("replaced by a newer invitation")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="portal_invitations",
        verbose_name=_("account"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("partner organisation"),
    )
    email = models.EmailField(_("email"))
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    # SHA-256 of the token in the link, hex; the token itself is never stored.
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("invited on"), default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("expires on"))
    sent_at = models.DateTimeField(_("email sent on"), null=True, blank=True)
    used_at = models.DateTimeField(_("used on"), null=True, blank=True)
    voided_at = models.DateTimeField(_("replaced on"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("portal invitation")
        verbose_name_plural = _("portal invitations")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(used_at__isnull=True, voided_at__isnull=True),
                name="invitation_one_open_per_account",
                violation_error_message=_("This account already has an open invitation."),
            ),
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")),
                name="invitation_expires_after_creation",
                violation_error_message=_("An invitation must expire after it is made."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} · {self.organisation}"

    def status(self, now: datetime | None = None) -> str:
        if self.used_at is not None:
            return self.Status.USED
        if self.voided_at is not None:
            return self.Status.REPLACED
        if self.expires_at <= (now or timezone.now()):
            return self.Status.EXPIRED
        return self.Status.OPEN

    def get_status_display(self) -> str:
        return str(self.Status(self.status()).label)
