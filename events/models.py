from datetime import datetime

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partners.models import Organisation
from programs.models import Programme


class EventQuerySet(models.QuerySet["Event"]):
    def published(self) -> "EventQuerySet":
        return self.filter(status=Event.Status.PUBLISHED)

    def upcoming(self, now: datetime | None = None) -> "EventQuerySet":
        return self.published().filter(ends_at__gte=now or timezone.now()).order_by("starts_at")


class Event(models.Model):
    """A joint activity for local youth, newcomers and Moroccans living abroad."""

    class Kind(models.TextChoices):
        MEETING = "meeting", _("meeting / dialogue")
        SPORT = "sport", _("sport")
        CULTURE = "culture", _("culture")
        WORKSHOP = "workshop", _("workshop / training")
        LANGUAGE = "language", _("language class")
        OUTING = "outing", _("outing")
        OTHER = "other", _("other")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")
        CANCELLED = "cancelled", _("cancelled")
        COMPLETED = "completed", _("completed")

    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    venue = models.CharField(_("venue"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveIntegerField(_("capacity"))
    programme = models.ForeignKey(
        Programme,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("programme"),
    )
    partners = models.ManyToManyField(
        Organisation, blank=True, related_name="events", verbose_name=_("co-organising partners")
    )

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["status", "ends_at"], name="event_status_ends")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="event_ends_after_start",
                violation_error_message=_("An activity must end after it starts."),
            )
        ]

    def __str__(self) -> str:
        return self.title
