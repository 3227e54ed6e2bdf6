"""Reads of the registry that several screens share."""

from datetime import date, timedelta

from django.db.models import (
    BooleanField,
    Case,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone

from participants.models import (
    RETENTION_NOTICED,
    Consent,
    Participant,
    ParticipantMerge,
    SupportRequest,
)


def absorbed_records(participant: Participant) -> list[Participant]:
    """Every record merged into this one, directly or through an earlier merge (A into
    B, then B into C: both A and B are C's). One query per step of such a chain."""
    found: list[Participant] = []
    frontier = [participant.pk]
    while frontier:
        step = [
            merge.merged
            for merge in ParticipantMerge.objects.filter(kept_id__in=frontier)
            .select_related("merged")
            .order_by("merged_at", "pk")
        ]
        found += step
        frontier = [record.pk for record in step]
    return found


def logged_references(participant: Participant) -> list[str]:
    """The references under which the access log holds rows about this person: the
    record's own and those of the records merged into it."""
    return [participant.reference, *(record.reference for record in absorbed_records(participant))]


# Requests still being worked on (neither resolved nor closed), in the order staff read them.
OPEN_REQUEST_STATUSES = (
    SupportRequest.Status.OPEN,
    SupportRequest.Status.REFERRED,
    SupportRequest.Status.IN_PROGRESS,
)


def request_ages(today: date) -> dict[str, Q]:
    """How long ago a request was opened, in the bands the dashboard counts and the
    support requests list filters on: under a week, one to four weeks, over a month."""
    week, month = today - timedelta(days=7), today - timedelta(days=30)
    return {
        "recent": Q(opened_on__gt=week),
        "weeks": Q(opened_on__lte=week, opened_on__gt=month),
        "older": Q(opened_on__lte=month),
    }


def referral_waiting() -> Q:
    """A request referred to a partner who has not yet said what came of it."""
    return Q(status=SupportRequest.Status.REFERRED, partner_outcome="", referred_to__isnull=False)


def retention_noticed() -> Q:
    """A record told it will be anonymised at the end of its retention period, not yet
    anonymised."""
    return RETENTION_NOTICED


# What a partner may see of the person while their sharing consent is in force. The
# name and the contact, nothing else: never the legal status, document, notes or
# follow-up notes.
SHARED_FIELDS = ("given_name", "family_name", "phone", "email")


def referrals_for(organisation_id: int) -> QuerySet[SupportRequest]:
    """The support requests referred to a partner, open ones first, each annotated in SQL
    with `shared`: a sharing consent naming this partner is in force for the person (given,
    not withdrawn) and the record is not erased. Read on every request, never cached, so a
    withdrawal takes effect at once. One query, whatever the number of rows."""
    today = timezone.localdate()
    sharing = Consent.objects.filter(
        participant=OuterRef("participant_id"),
        purpose=Consent.Purpose.SHARING,
        partner_id=organisation_id,
        given_at__lte=today,
        withdrawn_at__isnull=True,
    )
    open_first = Case(When(status__in=("resolved", "closed"), then=Value(1)), default=Value(0))
    return (
        SupportRequest.objects.filter(referred_to_id=organisation_id)
        .select_related("participant")
        .annotate(
            shared=ExpressionWrapper(
                Exists(sharing) & Q(participant__anonymised_at__isnull=True),
                output_field=BooleanField(),
            ),
            open_rank=open_first,
        )
        .order_by("open_rank", "-opened_on", "-pk")
    )
