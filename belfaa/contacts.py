"""Same phone or email: the one rule by which two records are taken for one person."""

from django.db.models import Q


def same_contact(phone: str, email: str, *, any_case: bool = False) -> Q:
    """Rows with this phone or this email; none when both are empty. `any_case` for
    tables whose emails were not all stored lower-case (our forms store them so)."""
    same = Q(pk__in=[])
    if phone:
        same |= Q(phone=phone)
    if email:
        same |= Q(email__iexact=email) if any_case else Q(email=email)
    return same
