from typing import Any, ClassVar

from allauth.mfa.models import Authenticator
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(DjangoUserManager["User"]):
    """People sign in with their email address; there is no username."""

    def _create_user_object(
        self, username: str | None, email: str | None, password: str | None, **extra: Any
    ) -> "User":
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        return user

    def create_user(  # type: ignore[override]
        self, email: str, password: str | None = None, **extra: Any
    ) -> "User":
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        user = self._create_user_object(None, email, password, **extra)
        user.save(using=self._db)
        return user

    def create_superuser(  # type: ignore[override]
        self, email: str, password: str | None = None, **extra: Any
    ) -> "User":
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)


class User(AbstractUser):
    """A member of staff or of a partner organisation. No open sign-up."""

    username = None  # type: ignore[assignment]
    email = models.EmailField(_("email address"), unique=True)
    preferred_language = models.CharField(_("preferred language"), max_length=10, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects = UserManager()  # type: ignore[misc]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]

    def __str__(self) -> str:
        return self.get_full_name() or self.email


class AuthenticatorRemoval(models.Model):
    """Staff removed a person's two-step verification: who, when, whose, which, why.
    Written by belfaa.services.authenticator_remove, never edited. The email addresses
    are copied so the record still reads after an account is deleted."""

    account = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("account")
    )
    account_email = models.EmailField(_("account's email address"))
    kind = models.CharField(_("type"), max_length=20, choices=Authenticator.Type.choices)
    reason = models.TextField(_("reason"))
    removed_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("removed by")
    )
    removed_by_email = models.EmailField(_("remover's email address"))
    removed_at = models.DateTimeField(_("removed at"), default=timezone.now)

    class Meta:
        verbose_name = _("removal of two-step verification")
        verbose_name_plural = _("removals of two-step verification")
        ordering = ["-removed_at"]

    def __str__(self) -> str:
        return f"{self.account_email} · {self.get_kind_display()}"
