from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from belfaa.roles import is_staff_account
from programs.models import Programme


class Organisation(models.Model):
    """A partner: an NGO, a twin commune, a development agency, an association."""

    class Kind(models.TextChoices):
        NGO = "ngo", _("NGO")
        COMMUNE = "commune", _("commune (twinning)")
        AGENCY = "agency", _("development agency")
        ASSOCIATION = "association", _("local association")
        PUBLIC = "public", _("public institution")
        OTHER = "other", _("other")

    name = models.CharField(_("name"), max_length=200)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    city = models.CharField(_("city"), max_length=120, blank=True)
    country = models.CharField(
        _("country"), max_length=2, help_text=_("Two-letter ISO code, e.g. MA or BE.")
    )
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Agreement(models.Model):
    """A signed partnership (convention) or twinning/cooperation agreement."""

    class Kind(models.TextChoices):
        PARTNERSHIP = "partnership", _("partnership agreement")
        TWINNING = "twinning", _("twinning / cooperation agreement")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="agreements",
        verbose_name=_("partner organisation"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=250)
    summary = models.TextField(_("summary"), blank=True)
    signed_on = models.DateField(_("signed on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    programmes = models.ManyToManyField(
        Programme, blank=True, related_name="agreements", verbose_name=_("programmes")
    )

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["-signed_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("signed_on")),
                name="agreement_ends_after_signature",
                violation_error_message=_("An agreement cannot end before it is signed."),
            )
        ]

    def __str__(self) -> str:
        return self.title


class Membership(models.Model):
    """Links a partner's user account to its organisation (for the partner portal)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="partner_membership",
        verbose_name=_("user"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("partner organisation"),
    )

    class Meta:
        verbose_name = _("partner account")
        verbose_name_plural = _("partner accounts")

    def __str__(self) -> str:
        return f"{self.user} · {self.organisation}"

    def clean(self) -> None:
        # Staff see the registry; a partner sees only what consent names it for.
        if self.user_id is not None and is_staff_account(self.user):
            raise ValidationError(
                {
                    "user": _(
                        "This is a staff account (staff status, superuser or a role): it "
                        "cannot be a partner account. Use a separate account for the partner."
                    )
                }
            )
