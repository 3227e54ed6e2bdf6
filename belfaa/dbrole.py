"""The PostgreSQL role the web and worker processes run as, so that the append-only
tables hold against the application itself. The owner of a table may truncate it,
alter it and disable its triggers; a role that owns nothing may not. That role gets
exactly what the site needs: read and write the rows of every table, and only read and
add to the append-only ones (the access log). Migrations run as the owner, which gives
the rights again after every `migrate` (BelfaaConfig.ready) and, for tables created
before that, by default privileges.

A lower app marks its append-only tables here from its AppConfig.ready, so this module
imports no app."""

import re

# Names used unquoted in the GRANT statements below: no quoting subtleties to get wrong.
ROLE_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")

# Tables whose rows the application may read and add to, never change, delete or empty.
APPEND_ONLY_TABLES: set[str] = set()


class AppRoleError(Exception):
    """The grants cannot be applied; the message says why and what to do."""


def append_only(table: str) -> None:
    APPEND_ONLY_TABLES.add(table)


def connected_as_app_role(*, using: str = "default") -> bool:
    """Whether this connection is logged in as DATABASE_APP_ROLE."""
    from django.conf import settings
    from django.db import connections

    connection = connections[using]
    if connection.vendor != "postgresql" or not settings.DATABASE_APP_ROLE:
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        (current,) = cursor.fetchone()
    return bool(current == settings.DATABASE_APP_ROLE)


def app_role_grant(*, role: str, using: str = "default") -> list[str]:
    """Give `role` its rights on every table and sequence of the current schema (and on
    those the current role creates later), then take back UPDATE and DELETE on the
    append-only tables. Run as the owner of the tables. Returns the statements run."""
    from django.db import connections, transaction

    connection = connections[using]
    if connection.vendor != "postgresql":
        raise AppRoleError("Roles exist only on PostgreSQL: DATABASE_URL is not a PostgreSQL one.")
    if not ROLE_NAME.fullmatch(role):
        raise AppRoleError(
            f"{role!r} is not a role name this platform accepts: lower-case letters, digits "
            "and _, e.g. belfaa_app."
        )
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_user, current_schema(), "
            "EXISTS (SELECT 1 FROM pg_roles WHERE rolname = %s), "
            "EXISTS (SELECT 1 FROM pg_roles WHERE rolname = %s AND rolsuper)",
            [role, role],
        )
        owner, schema, exists, superuser = cursor.fetchone()
        if not exists:
            raise AppRoleError(
                f"The role {role} does not exist. Create it first, as a database "
                f"administrator: CREATE ROLE {role} LOGIN PASSWORD '...';"
            )
        if role == owner or superuser:
            raise AppRoleError(
                f"The role {role} is the one running this command or a superuser: the web "
                "and worker processes need a role of their own that owns no table."
            )
        quote = connection.ops.quote_name
        existing = set(connection.introspection.table_names(cursor))
        schema_name, owner_name = quote(schema), quote(owner)
        statements = [
            f"GRANT USAGE ON SCHEMA {schema_name} TO {role}",
            # Start from nothing, so rights granted by hand earlier do not linger.
            f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema_name} FROM {role}",
            f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema_name} FROM {role}",
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema_name} TO {role}",
            f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema_name} TO {role}",
            f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner_name} IN SCHEMA {schema_name} "
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {role}",
            f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner_name} IN SCHEMA {schema_name} "
            f"GRANT USAGE, SELECT ON SEQUENCES TO {role}",
            *(
                f"REVOKE UPDATE, DELETE ON {quote(table)} FROM {role}"
                for table in sorted(APPEND_ONLY_TABLES & existing)
            ),
        ]
        for statement in statements:
            cursor.execute(statement)
    return statements
