from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS

from belfaa.dbrole import AppRoleError, app_role_grant


class Command(BaseCommand):
    help = (
        "Give the PostgreSQL role the web and worker processes connect as (DATABASE_APP_ROLE, "
        "or --role) exactly the rights they need: read and write the rows of every table, "
        "only read and add to the access log, own nothing. Run it as the owner of the "
        "tables, the role that runs migrate; migrate does it by itself when "
        "DATABASE_APP_ROLE is set."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--role", help="the role (default: DATABASE_APP_ROLE)")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args: Any, **options: Any) -> None:
        role = options["role"] or settings.DATABASE_APP_ROLE
        if not role:
            raise CommandError("Name the role: --role belfaa_app, or set DATABASE_APP_ROLE.")
        try:
            statements = app_role_grant(role=role, using=options["database"])
        except AppRoleError as error:
            raise CommandError(str(error)) from None
        if options["verbosity"] > 1:
            for statement in statements:
                self.stdout.write(statement)
        self.stdout.write(
            f"{role}: rights applied to every table; the access log is read and add only."
        )
