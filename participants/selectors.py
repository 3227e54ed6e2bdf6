"""Reads of the registry that several screens share."""

from participants.models import Participant, ParticipantMerge


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
