from typing import Any

from allauth.mfa.models import Authenticator
from django.core.management.base import BaseCommand
from django.db import transaction

from belfaa.mfa import authenticators_reseal


class Command(BaseCommand):
    help = (
        "Re-encrypt every stored two-step verification secret with the current SECRET_KEY, "
        "after a rotation, so the old key can leave SECRET_KEY_FALLBACKS."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            changed = authenticators_reseal(
                Authenticator.objects.select_for_update().order_by("pk")
            )
        self.stdout.write(f"{changed} authenticator(s) re-encrypted with the current key.")
