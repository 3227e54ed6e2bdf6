import uuid
from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from belfaa.choices import Sex
from partners.models import Organisation
from programs.models import Programme


class EventQuerySet(models.QuerySet["Event"]):
    def published(self) -> "EventQuerySet":
        return self.filter(status=Event.Status.PUBLISHED)

    def upcoming(self, now: datetime | None = None) -> "EventQuerySet":
        return self.filter(still_to_come(now or timezone.now())).order_by("starts_at")


def still_to_come(now: datetime) -> Q:
    """Published and not over yet: the public list, the dashboard and the admin filter."""
    return Q(status=Event.Status.PUBLISHED, ends_at__gte=now)


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
    signup_opens_at = models.DateTimeField(
        _("sign-up opens"), null=True, blank=True, help_text=_("Empty: as soon as it is published.")
    )
    signup_closes_at = models.DateTimeField(
        _("sign-up closes"), null=True, blank=True, help_text=_("Empty: when the activity starts.")
    )
    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
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

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

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
            ),
            models.CheckConstraint(
                condition=Q(min_age__isnull=True)
                | Q(max_age__isnull=True)
                | Q(max_age__gte=F("min_age")),
                name="event_age_range",
                violation_error_message=_("The maximum age cannot be below the minimum age."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def signup_state(self, now: datetime | None = None) -> str:
        """Why sign-up is or is not possible right now: one of SIGNUP_* below."""
        now = now or timezone.now()
        if self.status == self.Status.CANCELLED:
            return SIGNUP_CANCELLED
        if self.status != self.Status.PUBLISHED or now >= self.starts_at:
            return SIGNUP_OVER
        if self.signup_opens_at and now < self.signup_opens_at:
            return SIGNUP_NOT_YET
        if self.signup_closes_at and now >= self.signup_closes_at:
            return SIGNUP_CLOSED
        return SIGNUP_OPEN


SIGNUP_OPEN = "open"
SIGNUP_NOT_YET = "not_yet"
SIGNUP_CLOSED = "closed"
SIGNUP_OVER = "over"
SIGNUP_CANCELLED = "cancelled"


# What a person tells about themselves when signing up: the public form, the admin's
# correction form and the sign-up service all take exactly these. At the door, the
# person fields without the language and consents (the page's language is kept).
PERSON_FIELDS = ("name", "phone", "email", "birth_year", "sex", "group")
REGISTRANT_FIELDS = (*PERSON_FIELDS, "language", "consent_contact", "consent_photos")


class Registration(models.Model):
    """One person's sign-up to an activity, from the public page or at the door."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("confirmed")
        WAITLISTED = "waitlisted", _("on the waiting list")
        CANCELLED = "cancelled", _("cancelled")

    Sex = Sex

    class Group(models.TextChoices):
        RESIDENT = "resident", _("resident of the commune")
        NEWCOMER = "newcomer", _("newcomer")
        MRE = "mre", _("Moroccan living abroad")
        OTHER = "other", _("other")

    event = models.ForeignKey(
        Event, on_delete=models.PROTECT, related_name="registrations", verbose_name=_("activity")
    )
    # A random key shared by one person's registrations (same phone or email), so people
    # are counted once across activities, even after their contacts are wiped.
    participant = models.ForeignKey(
        "participants.Participant",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="registrations",
        verbose_name=_("participant"),
        help_text=_("The registry record of this person, once staff have confirmed it."),
    )
    person_key = models.UUIDField(
        _("person key"), default=uuid.uuid4, db_index=True, editable=False
    )
    name = models.CharField(_("name"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=12, choices=Sex.choices)
    group = models.CharField(_("group"), max_length=12, choices=Group.choices)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    consent_processing = models.BooleanField(_("consent to processing"), default=False)
    consent_contact = models.BooleanField(_("consent to be contacted"), default=False)
    consent_photos = models.BooleanField(_("consent to photos"), default=False)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    walk_in = models.BooleanField(_("added at the door"), default=False)
    attended_at = models.DateTimeField(_("attended"), null=True, blank=True)
    # Order of the waiting list: the time of (re-)joining, not of the first sign-up.
    queued_at = models.DateTimeField(_("queued at"), default=timezone.now)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["event", "queued_at", "pk"]
        indexes = [
            models.Index(fields=["event", "status", "queued_at"], name="registration_queue"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "phone"],
                condition=~Q(phone=""),
                name="registration_unique_phone",
            ),
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=~Q(email=""),
                name="registration_unique_email",
            ),
        ]

    def __str__(self) -> str:
        return self.name or f"#{self.pk}"

    @property
    def attended(self) -> bool:
        return self.attended_at is not None


class Notification(models.Model):
    """An outbox row per message to send: written in the same transaction as the change
    it announces, sent by a task after commit, at most once."""

    class Kind(models.TextChoices):
        CONFIRMED = "confirmed", _("confirmation")
        WAITLISTED = "waitlisted", _("waiting list")
        PROMOTED = "promoted", _("seat freed")
        REMINDER = "reminder", _("reminder")
        EVENT_CHANGED = "event_changed", _("activity changed")
        EVENT_CANCELLED = "event_cancelled", _("activity cancelled")

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        SENT = "sent", _("sent")
        SKIPPED = "skipped", _("no channel")
        FAILED = "failed", _("failed")

    registration = models.ForeignKey(
        Registration,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("registration"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    channel = models.CharField(_("channel"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "kind"],
                condition=Q(kind="reminder"),
                name="notification_one_reminder",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.registration}"


class MeetingOutcome(models.Model):
    """What was said at a meeting / dialogue, recorded by staff after it took place: a
    concern raised or a proposal made, its theme, the group who raised it (never a
    person), and what the plan does with it. Public-safe text: no personal data."""

    class Kind(models.TextChoices):
        CONCERN = "concern", _("concern")
        PROPOSAL = "proposal", _("proposal")

    class Theme(models.TextChoices):
        LEGAL = "legal", _("legal and rights")
        ADMINISTRATIVE = "administrative", _("administrative access")
        SOCIAL = "social", _("social")
        ECONOMIC = "economic", _("economic and employment")
        EDUCATION = "education", _("education and language")
        HEALTH = "health", _("health")
        HOUSING = "housing", _("housing")
        CULTURE = "culture", _("culture and sport")
        OTHER = "other", _("other")

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="outcomes", verbose_name=_("activity")
    )
    kind = models.CharField(_("concern or proposal"), max_length=10, choices=Kind.choices)
    theme = models.CharField(_("theme"), max_length=20, choices=Theme.choices)
    raised_by = models.CharField(_("raised by"), max_length=12, choices=Registration.Group.choices)
    text = models.TextField(
        _("what was said"),
        max_length=1000,
        help_text=_("In general terms, with no names or other personal data."),
    )
    programme = models.ForeignKey(
        Programme,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meeting_outcomes",
        verbose_name=_("programme that answers it"),
    )
    no_answer_reason = models.CharField(
        _("why no programme answers it yet"), max_length=300, blank=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("what people said")
        verbose_name_plural = _("what people said")
        ordering = ["event", "theme", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(programme__isnull=True) | Q(no_answer_reason=""),
                name="meetingoutcome_answer_or_reason",
                violation_error_message=_(
                    "Give the programme that answers it, or why none does yet, not both."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.get_theme_display()}"
