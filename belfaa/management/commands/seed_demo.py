"""Load the Belfaa demo: each of our apps' `demo.seed()`, in dependency order, in one
transaction. Refuses to run with DEBUG off unless forced, so no demo account reaches
production by mistake."""

from importlib import import_module
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction


def demo_modules() -> list[Any]:
    """The `demo` module of each app of this project (not of installed packages), in
    the order of INSTALLED_APPS, which is the apps' dependency order."""
    found = []
    for app in apps.get_app_configs():
        if Path(app.path).parent != settings.BASE_DIR:
            continue
        if find_spec(f"{app.name}.demo") is not None:
            found.append(import_module(f"{app.name}.demo"))
    return found


class Command(BaseCommand):
    help = "Load the Belfaa demo data and demo accounts (local development only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even though DEBUG is off (never in production).",
        )

    def handle(self, *args: Any, force: bool = False, **options: Any) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates demo accounts with a known password: it refuses to run "
                "with DEBUG off. Use --force only on a throwaway database."
            )
        lines: list[str] = []
        with transaction.atomic():
            for module in demo_modules():
                lines += module.seed()
        self.stdout.write(self.style.SUCCESS("Demo data loaded. Demo sign-ins (password for all):"))
        for line in lines:
            self.stdout.write(line)
