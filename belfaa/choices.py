"""Choices shared by the registry and the sign-ups, so counts line up across both."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    FEMALE = "female", _("female")
    MALE = "male", _("male")
    UNSPECIFIED = "unspecified", _("prefer not to say")
