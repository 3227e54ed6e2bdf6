"""The registry of participants: people, consent per purpose, support requests, and
the append-only log of who looked at the sensitive part of a record.

Sensitive fields (legal status, identity document, notes, follow-up notes) need the
permission `participants.view_sensitive`; every display of them is logged.
Partners are referred to by model label ("partners.Organisation"), so the models need
no import of them at class creation (docs/architecture.md)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from belfaa.choices import Sex

SENSITIVE_FIELDS = ("legal_status", "id_document_type", "id_document_number", "notes")
SENSITIVE_REQUEST_FIELDS = ("follow_up_notes",)
# The one declaration of the sensitive part, model by model. The admin reads it to refuse
# filters, sorting and searches on these fields (across relations too) to anyone without
# `participants.view_sensitive`, and to log what it shows; a model added later with a
# sensitive part is declared here and is covered everywhere.
SENSITIVE: dict[str, tuple[str, ...]] = {
    "participants.Participant": SENSITIVE_FIELDS,
    "participants.SupportRequest": SENSITIVE_REQUEST_FIELDS,
}
# A support request's own fields, in the order staff read them.
SUPPORT_REQUEST_FIELDS = (
    "kind",
    "opened_on",
    "status",
    "referred_to",
    "closed_on",
    "outcome",
    "follow_up_notes",
)


def sensitive_fields(model: type[models.Model]) -> tuple[str, ...]:
    """The sensitive fields of a model; a historical copy (django-simple-history) has
    those of its original."""
    original: type[models.Model] = getattr(model, "instance_type", model)
    return SENSITIVE.get(original._meta.label, ())


class Neighbourhood(models.Model):
    """A neighbourhood or douar of the commune (a list staff manage)."""

    name = models.CharField(_("name"), max_length=120)

    class Meta:
        verbose_name = _("neighbourhood or douar")
        verbose_name_plural = _("neighbourhoods and douars")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Need(models.TextChoices):
    LANGUAGE = "language", _("language classes")
    HEALTH = "health", _("health")
    EDUCATION = "education", _("education")
    EMPLOYMENT = "employment", _("employment and training")
    LEGAL = "legal", _("legal and administrative")
    HOUSING = "housing", _("housing")
    SOCIAL = "social", _("social assistance")
    INVESTMENT = "investment", _("investment project")


class ParticipantQuerySet(models.QuerySet["Participant"]):
    def active(self) -> "ParticipantQuerySet":
        return self.filter(anonymised_at__isnull=True)


# A record told it will be anonymised at the end of its retention period, not yet
# anonymised (participants.selectors.retention_noticed, and its partial index).
RETENTION_NOTICED = Q(anonymised_at__isnull=True, retention_warned_at__isnull=False)


class Participant(models.Model):
    Sex = Sex

    class Group(models.TextChoices):
        NEWCOMER = "newcomer", _("newcomer")
        MRE = "mre", _("Moroccan living abroad")
        LOCAL_YOUTH = "local_youth", _("local youth")
        OTHER = "other", _("other")

    class LegalStatus(models.TextChoices):
        REGULARISED = "regularised", _("regularised")
        REFUGEE = "refugee", _("refugee")
        ASYLUM_SEEKER = "asylum_seeker", _("asylum seeker")
        PENDING = "pending", _("procedure pending")
        UNDOCUMENTED = "undocumented", _("without papers")
        UNKNOWN = "unknown", _("unknown")
        NOT_APPLICABLE = "not_applicable", _("not applicable")

    class DocumentType(models.TextChoices):
        PASSPORT = "passport", _("passport")
        RESIDENCE_CARD = "residence_card", _("residence card")
        REFUGEE_CARD = "refugee_card", _("refugee card")
        CNIE = "cnie", _("Moroccan national identity card")
        OTHER = "other", _("other document")

    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    given_name = models.CharField(_("given name"), max_length=150)
    family_name = models.CharField(_("family name"), max_length=150, blank=True)
    sex = models.CharField(_("sex"), max_length=12, choices=Sex.choices)
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)
    nationality = CountryField(_("nationality"), blank=True)
    group = models.CharField(_("group"), max_length=12, choices=Group.choices)
    neighbourhood = models.ForeignKey(
        Neighbourhood,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="participants",
        verbose_name=_("neighbourhood or douar"),
    )
    country_of_residence = CountryField(
        _("country of residence"), blank=True, help_text=_("For Moroccans living abroad.")
    )
    arrival_year = models.PositiveSmallIntegerField(
        _("year of arrival in the commune"), null=True, blank=True, help_text=_("For newcomers.")
    )
    languages = models.CharField(_("languages spoken"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True, db_index=True)
    email = models.EmailField(_("email"), blank=True, db_index=True)
    needs = models.JSONField(_("needs"), default=list, blank=True)
    # The sensitive part.
    legal_status = models.CharField(
        _("legal status"), max_length=20, choices=LegalStatus.choices, blank=True
    )
    id_document_type = models.CharField(
        _("identity document"), max_length=20, choices=DocumentType.choices, blank=True
    )
    id_document_number = models.CharField(_("document number"), max_length=40, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    retention_warned_at = models.DateTimeField(_("retention warning sent"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = ParticipantQuerySet.as_manager()

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["-created_at"]
        permissions = [
            ("view_sensitive", _("Can see and edit the sensitive part of a record")),
            ("erase_participant", _("Can erase a participant (anonymise in place)")),
        ]
        indexes = [
            models.Index(fields=["family_name", "given_name"], name="participant_name"),
            models.Index(fields=["group", "sex"], name="participant_group_sex"),
            # The few records waiting for their anonymisation (the staff dashboard).
            models.Index(
                fields=["retention_warned_at", "id"],
                condition=RETENTION_NOTICED,
                name="participant_retention_noticed",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()


class Consent(models.Model):
    """One purpose a person agreed to, when, how, recorded by whom; and its withdrawal."""

    class Purpose(models.TextChoices):
        REGISTRY = "registry", _("being in the registry")
        CONTACT = "contact", _("being contacted")
        PHOTOS = "photos", _("photos")
        STATISTICS = "statistics", _("counting in statistics")
        SHARING = "sharing", _("sharing with a named partner")

    class Method(models.TextChoices):
        WRITTEN = "written", _("written")
        ORAL = "oral", _("oral")
        ONLINE = "online", _("online")

    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="consents",
        verbose_name=_("participant"),
    )
    purpose = models.CharField(_("purpose"), max_length=12, choices=Purpose.choices)
    partner = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("partner"),
        help_text=_("Only for sharing with a named partner."),
    )
    given_at = models.DateField(_("given on"))
    method = models.CharField(_("method"), max_length=10, choices=Method.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    withdrawn_at = models.DateField(_("withdrawn on"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["participant", "purpose", "-given_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gte=F("given_at")),
                name="consent_withdrawn_after_given",
                violation_error_message=_("A consent cannot be withdrawn before it was given."),
            ),
            models.CheckConstraint(
                condition=Q(purpose="sharing", partner__isnull=False)
                | (~Q(purpose="sharing") & Q(partner__isnull=True)),
                name="consent_partner_only_for_sharing",
                violation_error_message=_("Name the partner for sharing, and only for sharing."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant} · {self.get_purpose_display()}"

    @property
    def active(self) -> bool:
        return self.withdrawn_at is None


class SupportRequest(models.Model):
    """Reception and orientation: one need of one person, followed up to its outcome.

    The partner's side of a referral lives on the request itself (partner_outcome and
    the three fields after it): a request is referred to one partner at a time, and
    when the BAOM refers it elsewhere the earlier outcome stays in the request's
    history (simple_history), so a separate Referral model would add a join and nothing
    the history does not already keep."""

    class Kind(models.TextChoices):
        ADMINISTRATIVE = "administrative", _("administrative procedure")
        LEGAL = "legal", _("legal orientation")
        HEALTH = "health", _("health referral")
        SCHOOL = "school", _("school enrolment")
        LANGUAGE = "language", _("language course")
        TRAINING = "training", _("vocational training")
        EMPLOYMENT = "employment", _("employment")
        HOUSING = "housing", _("housing")
        SOCIAL = "social", _("social assistance")
        INVESTMENT = "investment", _("investment project (Moroccan living abroad)")
        OTHER = "other", _("other")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        REFERRED = "referred", _("referred")
        IN_PROGRESS = "in_progress", _("in progress")
        RESOLVED = "resolved", _("resolved")
        CLOSED = "closed", _("closed")

    class Outcome(models.TextChoices):
        MET = "met", _("need met")
        PARTLY = "partly", _("need partly met")
        REFERRED = "referred", _("referred elsewhere")
        NOT_MET = "not_met", _("need not met")
        WITHDRAWN = "withdrawn", _("withdrawn by the person")

    class PartnerOutcome(models.TextChoices):
        TAKEN_UP = "taken_up", _("taken up")
        DONE = "done", _("done")
        COULD_NOT_HELP = "could_not_help", _("could not help")

    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="support_requests",
        verbose_name=_("participant"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    opened_on = models.DateField(_("opened on"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default="open")
    referred_to = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("referred to"),
    )
    follow_up_notes = models.TextField(_("follow-up notes"), blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, blank=True)
    # Recorded by the partner it is referred to, through the portal.
    partner_outcome = models.CharField(
        _("partner's outcome"), max_length=16, choices=PartnerOutcome.choices, blank=True
    )
    partner_note = models.TextField(_("partner's note"), blank=True)
    partner_outcome_at = models.DateTimeField(
        _("partner's outcome recorded"), null=True, blank=True
    )
    partner_outcome_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("partner's outcome recorded by"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("support request")
        verbose_name_plural = _("support requests")
        ordering = ["-opened_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=F("opened_on")),
                name="support_closed_after_opened",
                violation_error_message=_("A request cannot be closed before it was opened."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.participant} · {self.get_kind_display()}"


class AccessLog(models.Model):
    """Who displayed the sensitive part of which record, when, from where. Append-only:
    the application offers no way to change it, and on PostgreSQL a trigger refuses
    UPDATE and DELETE on its table. Where it was read is a fixed choice, so the log
    reads in every language."""

    class Purpose(models.TextChoices):
        ADMIN_RECORD = "admin_record", _("record in the admin")
        ADMIN_REQUEST = "admin_request", _("support request in the admin")
        ADMIN_LIST = "admin_list", _("list in the admin, filtered or sorted on the sensitive part")
        ADMIN_HISTORY = "admin_history", _("history of the record in the admin")
        ADMIN_MERGE = "admin_merge", _("merge of two records")
        EXPORT_PAGE = "export_page", _("right-of-access export (page)")
        EXPORT_PDF = "export_pdf", _("right-of-access export (PDF)")
        EXPORT_JSON = "export_json", _("right-of-access export (JSON)")
        PORTAL_REFERRAL_LIST = "portal_referral_list", _("list of referrals in the partner portal")
        PORTAL_REFERRAL = "portal_referral", _("referral in the partner portal")
        PORTAL_REFERRAL_EXPORT = (
            "portal_referral_csv",
            _("export of referrals from the partner portal"),
        )

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("who"),
    )
    reference = models.CharField(_("record"), max_length=20, db_index=True)
    fields = models.JSONField(_("fields shown"), default=list)
    ip = models.GenericIPAddressField(_("address"), null=True, blank=True)
    purpose = models.CharField(_("where"), max_length=24, choices=Purpose.choices)

    class Meta:
        verbose_name = _("sensitive access")
        verbose_name_plural = _("log of sensitive access")
        ordering = ["-at"]
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} · {self.reference}"


class ParticipantMerge(models.Model):
    """One record merged into another: the kept record took its consents, support
    requests and sign-ups, and the other was anonymised. The merged record's access-log
    rows stay under its own reference (the log is append-only); this row is how they are
    found from the kept record. Written once by `participant_merge`, never changed."""

    kept = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        related_name="absorbed",
        verbose_name=_("record kept"),
    )
    merged = models.OneToOneField(
        Participant,
        on_delete=models.PROTECT,
        related_name="merged_into",
        verbose_name=_("record merged into it"),
    )
    merged_at = models.DateTimeField(_("merged on"), auto_now_add=True)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("merged by"),
    )
    suggested = models.BooleanField(_("suggested as a possible duplicate"))
    moved = models.JSONField(_("what moved"), default=dict)

    class Meta:
        verbose_name = _("merge of two records")
        verbose_name_plural = _("merges of records")
        ordering = ["merged_at"]
        default_permissions = ("view",)
        constraints = [
            models.CheckConstraint(
                condition=~Q(kept=F("merged")),
                name="merge_of_two_records",
                violation_error_message=_("A record cannot be merged into itself."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.merged} → {self.kept}"


class ImportMapping(models.Model):
    """Which column is which, as a staff member said it for a spreadsheet's headers,
    used again for the next file with the same headers. The headers are kept as typed
    so that a mapping can be told apart in the administration; no cell is kept."""

    signature = models.CharField(_("signature of the headers"), max_length=64, unique=True)
    headers = models.JSONField(_("headers"), default=list)
    # Column index (as text, the way JSON keys are) → field.
    columns = models.JSONField(_("column choices"), default=dict)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("saved by"),
    )
    saved_at = models.DateTimeField(_("saved on"), auto_now=True)

    class Meta:
        verbose_name = _("import column choice")
        verbose_name_plural = _("import column choices")
        ordering = ["-saved_at"]
        default_permissions = ("view", "delete")

    def __str__(self) -> str:
        return ", ".join(str(header) for header in self.headers)
