from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import models

from belfaa.uploads import unguessable_name, validate_upload

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise


CENT = Decimal("0.01")


def document_field(verbose_name: "_StrPromise", **options: Any) -> models.FileField:
    """A checked upload stored under an unguessable name (belfaa.uploads)."""
    return models.FileField(
        verbose_name,
        upload_to=unguessable_name,
        validators=[validate_upload],
        max_length=200,
        **options,
    )
