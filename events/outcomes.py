"""The rule for recording what people said: only for a meeting / dialogue, and only
once it took place (multi-row: it reads the activity)."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from events.models import Event


def outcomes_check(event: Event, now: datetime | None = None) -> None:
    """ValidationError when the activity cannot have outcomes (yet)."""
    if event.kind != Event.Kind.MEETING:
        raise ValidationError(_("What people said is recorded for meetings / dialogues only."))
    if event.status == Event.Status.CANCELLED:
        raise ValidationError(_("This activity was cancelled: nothing was said at it."))
    if event.ends_at > (now or timezone.now()):
        raise ValidationError(_("What people said is recorded after the meeting took place."))
