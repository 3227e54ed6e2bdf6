"""Business rules of the registry (docs/architecture.md)."""

import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, DateTimeField, Max, Q, QuerySet
from django.db.models.functions import Coalesce, Greatest
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext

from belfaa.contacts import same_contact
from belfaa.models import User
from belfaa.ratelimit import client_ip
from participants.holders import holders
from participants.models import (
    SENSITIVE_FIELDS,
    AccessLog,
    Consent,
    Participant,
    ParticipantMerge,
    SupportRequest,
)


def reference_for(participant: Participant) -> str:
    """PREFIX-YEAR-NUMBER: unique through the primary key, and it says nothing personal."""
    year = (participant.created_at or timezone.now()).year
    return f"{settings.PARTICIPANT_REFERENCE_PREFIX}-{year}-{participant.pk:05d}"


@transaction.atomic
def participant_create(**fields: object) -> Participant:
    """Record a person; the reference is made from the saved row's id, and the history
    starts with the record as created, reference included."""
    # A provisional reference, unique and never seen: the real one needs the row's id.
    participant = Participant(**fields, reference=f"tmp-{uuid.uuid4().hex[:16]}")
    participant.skip_history_when_saving = True  # type: ignore[attr-defined]
    participant.save()
    del participant.skip_history_when_saving  # type: ignore[attr-defined]
    participant.reference = reference_for(participant)
    participant.save(update_fields=["reference"])
    Participant.history.filter(id=participant.pk).update(history_type="+")
    return participant


@transaction.atomic
def participants_create_many(
    rows: list[dict[str, object]], *, change_reason: str = "", by: User | None = None
) -> list[Participant]:
    """participant_create for many people at once (an import): a few queries per
    batch instead of several per person, with the same references and history."""
    people = [Participant(**fields, reference=f"tmp-{uuid.uuid4().hex[:16]}") for fields in rows]
    Participant.objects.bulk_create(people, batch_size=500)
    for person in people:
        person.reference = reference_for(person)
    Participant.objects.bulk_update(people, ["reference"], batch_size=500)
    Participant.history.bulk_history_create(
        people, batch_size=500, default_change_reason=change_reason, default_user=by
    )
    return people


def access_log_write(
    *,
    user: User,
    references: Iterable[str],
    fields: Iterable[str] = SENSITIVE_FIELDS,
    purpose: AccessLog.Purpose,
    request: HttpRequest | None = None,
) -> None:
    """One row per record whose sensitive part is displayed. Call it inside the
    transaction of the read, so a read that fails leaves no row and no read goes unlogged."""
    ip = client_ip(request) if request is not None else None
    AccessLog.objects.bulk_create(
        AccessLog(
            user=user, reference=reference, fields=list(fields), ip=ip or None, purpose=purpose
        )
        for reference in references
    )


@transaction.atomic
def consent_withdraw(*, consent_id: int, on: date | None = None) -> Consent:
    """Withdraw a consent at once (idempotent: an earlier withdrawal date stays)."""
    consent = Consent.objects.select_for_update().get(pk=consent_id)
    if consent.withdrawn_at is None:
        consent.withdrawn_at = max(on or timezone.localdate(), consent.given_at)
        consent.save(update_fields=["withdrawn_at"])
    return consent


# How alike two names must be (pg_trgm similarity) to be shown as a possible duplicate.
SIMILARITY = 0.45


@contextmanager
def trigram_threshold() -> Iterator[None]:
    """A transaction in which pg_trgm's `%` operator means similarity >= SIMILARITY;
    written as `%`, not similarity() > x, so that the trigram index can answer it."""
    from django.db import connection

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL pg_trgm.similarity_threshold = %s", [SIMILARITY])
        yield


def possible_duplicates(
    *,
    given_name: str,
    family_name: str,
    birth_year: int | None,
    phone: str = "",
    email: str = "",
    exclude_pk: int | None = None,
) -> list[Participant]:
    """Records that may be the same person: same phone or email, or a similar name
    with the same birth year (trigram similarity on PostgreSQL, a simpler match
    elsewhere)."""
    from django.db import connection

    candidates: QuerySet[Participant] = Participant.objects.active()
    if exclude_pk is not None:
        candidates = candidates.exclude(pk=exclude_pk)
    found = list(candidates.filter(same_contact(phone, email, any_case=True))[:10])
    name = f"{given_name} {family_name}".strip().lower()
    if birth_year and name:
        similar = candidates.exclude(pk__in=[p.pk for p in found])
        if connection.vendor == "postgresql":
            # Both conditions in the (birth_year, name) GiST index: the year as a
            # smallint like the column, the name with pg_trgm's `%`.
            similar = similar.extra(
                where=[
                    "birth_year = %s::smallint",
                    "lower(given_name || ' ' || family_name) %% %s",
                ],
                params=[birth_year, name],
            )
            with trigram_threshold():
                return found + list(similar[:10])
        else:
            first = given_name.strip().split()[0] if given_name.strip() else ""
            similar = similar.filter(birth_year=birth_year)
            similar = similar.filter(given_name__iexact=first) | similar.filter(
                family_name__iexact=family_name.strip()
            ).filter(given_name__istartswith=first[:1])
        found += list(similar[:10])
    return found


def suggested_as_duplicates(first: Participant, second: Participant) -> bool:
    """Whether `possible_duplicates` names either record as a duplicate of the other."""
    for record, other in ((first, second), (second, first)):
        found = possible_duplicates(
            given_name=record.given_name,
            family_name=record.family_name,
            birth_year=record.birth_year,
            phone=record.phone,
            email=record.email,
            exclude_pk=record.pk,
        )
        if any(candidate.pk == other.pk for candidate in found):
            return True
    return False


def held_counts(participant_ids: Iterable[int]) -> dict[int, dict[str, int]]:
    """For each record, how many consents, support requests and sign-ups it holds:
    what moves when it is merged into another."""
    counts = {
        "consents": Count("consents", distinct=True),
        "support_requests": Count("support_requests", distinct=True),
        **{holder.key: holder.count() for holder in holders()},
    }
    rows = Participant.objects.filter(pk__in=list(participant_ids)).values("pk").annotate(**counts)
    return {row["pk"]: {name: row[name] for name in counts} for row in rows}  # type: ignore[literal-required]


# Filled on the kept record from the merged one when empty on the kept record; the
# identity document as a pair, so that a type never gets another document's number.
MERGE_FILLED = (
    ("family_name",),
    ("birth_year",),
    ("nationality",),
    ("neighbourhood",),
    ("country_of_residence",),
    ("arrival_year",),
    ("languages",),
    ("phone",),
    ("email",),
    ("legal_status",),
    ("id_document_type", "id_document_number"),
    ("notes",),
)


def _empty(participant: Participant, name: str) -> bool:
    return getattr(participant, name) in (None, "")


@transaction.atomic
def participant_merge(*, keep_id: int, merge_id: int, by: User) -> Participant:
    """Merge two records of one person. The kept record takes the other's consents,
    support requests and sign-ups (each move is in their history), its needs, and its
    values for the fields empty on the kept record; the other record is then anonymised
    like an erasure. The merge is recorded (ParticipantMerge), so the access log of the
    merged record is read with the kept one's.

    Callers check that `by` may erase records (`participants.erase_participant`):
    merging erases one of the two."""

    if keep_id == merge_id:
        raise ValidationError(gettext("A record cannot be merged into itself."))
    # Both rows locked in one statement, in key order: two merges never deadlock.
    locked = {
        p.pk: p
        for p in Participant.objects.select_for_update()
        .filter(pk__in=[keep_id, merge_id])
        .order_by("pk")
    }
    if len(locked) != 2:
        raise Participant.DoesNotExist
    keep, gone = locked[keep_id], locked[merge_id]
    if keep.anonymised_at or gone.anonymised_at:
        raise ValidationError(gettext("An anonymised record cannot be merged."))
    suggested = suggested_as_duplicates(keep, gone)
    moved = held_counts([gone.pk])[gone.pk]
    moved_reason = f"moved from {gone.reference} (merge)"
    held: list[Consent | SupportRequest] = [
        *Consent.objects.filter(participant=gone),
        *SupportRequest.objects.filter(participant=gone),
    ]
    for item in held:
        item.participant = keep
        item._change_reason = moved_reason  # type: ignore[union-attr]
        item._history_user = by  # type: ignore[union-attr]
        item.save(update_fields=["participant"])
    for holder in holders():
        holder.move(keep, gone)
    for group in MERGE_FILLED:
        if all(_empty(keep, name) for name in group):
            for name in group:
                setattr(keep, name, getattr(gone, name))
    keep.needs = sorted(set(keep.needs) | set(gone.needs))
    keep._change_reason = f"merged with {gone.reference}"  # type: ignore[attr-defined]
    keep._history_user = by  # type: ignore[attr-defined]
    keep.save()
    gone._history_user = by  # type: ignore[attr-defined]
    _anonymise(gone, reason=f"merged into {keep.reference}")
    ParticipantMerge.objects.create(
        kept=keep, merged=gone, merged_by=by, suggested=suggested, moved=moved
    )
    return keep


WIPED = {
    "given_name": "",
    "family_name": "",
    "phone": "",
    "email": "",
    "languages": "",
    "id_document_type": "",
    "id_document_number": "",
    "notes": "",
    "legal_status": "",
}


def _anonymise(participant: Participant, *, reason: str) -> None:

    now = timezone.now()
    for field, value in WIPED.items():
        setattr(participant, field, value)
    participant.anonymised_at = now
    participant._change_reason = reason  # type: ignore[attr-defined]
    participant.save()
    # The history tables keep who changed what and when, not what the person was.
    Participant.history.filter(id=participant.pk).update(**WIPED)
    SupportRequest.objects.filter(participant=participant).update(follow_up_notes="")
    # The requests it holds, all their past included; not those merged onto another
    # record of the same person, whose history moved with them.
    held = SupportRequest.objects.filter(participant=participant).values("pk")
    past = SupportRequest.history.filter(participant_id=participant.pk).values("id")
    moved = SupportRequest.objects.filter(pk__in=past).exclude(participant=participant)
    SupportRequest.history.filter(Q(participant_id=participant.pk) | Q(id__in=held)).exclude(
        id__in=moved.values("pk")
    ).update(follow_up_notes="")
    for holder in holders():
        holder.wipe(participant, now)


@transaction.atomic
def participant_erase(*, participant_id: int) -> Participant:
    """Erasure: anonymise in place. Names, contacts, document, notes and follow-up
    text go, also from the history tables; the reference, group, sex, birth year and
    nationality stay, so every count in every report is unchanged. The access log
    keeps its rows (they name the record by reference only)."""
    participant = Participant.objects.select_for_update().get(pk=participant_id)
    if participant.anonymised_at is None:
        _anonymise(participant, reason="erased on request")
    return participant


def _with_last_activity() -> QuerySet[Participant]:
    """Each active record with the date of its last sign of life: an edit, a support
    request opened or closed, or what its holders date (an activity signed up for)."""
    return Participant.objects.active().annotate(
        last_activity=Greatest(
            "updated_at",
            Coalesce(Max("support_requests__opened_on"), "updated_at"),
            Coalesce(Max("support_requests__closed_on"), "updated_at"),
            *(
                Coalesce(holder.last_activity(), "updated_at")
                for holder in holders()
                if holder.last_activity is not None
            ),
            output_field=DateTimeField(),
        )
    )


def retention_limit(now: datetime) -> datetime:
    return now - timedelta(days=365 * settings.PARTICIPANTS_RETENTION_YEARS)


def retention_warn(*, now: datetime | None = None) -> list[str]:
    """Tell Coordinators which records will be anonymised in the notice period
    (by reference only); each record is announced once."""
    now = now or timezone.now()
    notice = timedelta(days=settings.PARTICIPANTS_RETENTION_NOTICE_DAYS)
    due = list(
        _with_last_activity()
        .filter(  # type: ignore[misc]
            retention_warned_at__isnull=True, last_activity__lt=retention_limit(now) + notice
        )
        .values_list("reference", flat=True)
    )
    if due:
        Participant.objects.filter(reference__in=due).update(retention_warned_at=now)
        transaction.on_commit(lambda: _mail_coordinators(due))
    return due


def _mail_coordinators(references: list[str]) -> None:
    from django.contrib.auth import get_user_model
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.utils import translation

    from belfaa.roles import COORDINATOR

    for user in get_user_model().objects.filter(groups__name=COORDINATOR, is_active=True):
        with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
            context = {
                "references": references,
                "days": settings.PARTICIPANTS_RETENTION_NOTICE_DAYS,
                "years": settings.PARTICIPANTS_RETENTION_YEARS,
            }
            send_mail(
                subject=render_to_string("emails/retention_subject.txt", context).strip(),
                message=render_to_string("emails/retention.txt", context),
                from_email=None,
                recipient_list=[user.email],
            )


def retention_apply(*, now: datetime | None = None) -> list[str]:
    """Anonymise records past the retention period whose notice has run out."""
    now = now or timezone.now()
    notice = timedelta(days=settings.PARTICIPANTS_RETENTION_NOTICE_DAYS)
    due = list(
        _with_last_activity()
        .filter(  # type: ignore[misc]
            last_activity__lt=retention_limit(now), retention_warned_at__lte=now - notice
        )
        .values_list("pk", "reference")
    )
    for pk, _reference in due:
        with transaction.atomic():
            participant = Participant.objects.select_for_update().get(pk=pk)
            if participant.anonymised_at is None:
                _anonymise(participant, reason="retention period over")
    return [reference for _pk, reference in due]


@transaction.atomic
def referral_outcome_record(
    *, request_id: int, organisation_id: int, by: User, outcome: str, note: str
) -> SupportRequest:
    """The partner's outcome of a referral, recorded (or updated) by the partner while the
    request is referred to it; each change is kept in the request's history. A request
    not referred to this organisation is refused as not found, so ids reveal nothing."""
    if outcome not in SupportRequest.PartnerOutcome.values:
        raise ValidationError({"outcome": gettext("Choose one of the outcomes offered.")})
    found = SupportRequest.objects.select_for_update().filter(
        pk=request_id, referred_to_id=organisation_id, status=SupportRequest.Status.REFERRED
    )
    request = found.first()
    if request is None:
        raise SupportRequest.DoesNotExist
    request.partner_outcome = outcome
    request.partner_note = note.strip()
    request.partner_outcome_at = timezone.now()
    request.partner_outcome_by = by
    request._change_reason = "partner outcome"  # type: ignore[attr-defined]
    request.save(
        update_fields=[
            "partner_outcome",
            "partner_note",
            "partner_outcome_at",
            "partner_outcome_by",
        ]
    )
    return request
