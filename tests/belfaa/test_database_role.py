"""The access log holds against the application itself on PostgreSQL: TRUNCATE is
refused even to the owner, and the web and worker processes can run as a role that owns
no table, for which UPDATE, DELETE, TRUNCATE and disabling the triggers are all refused
while every page works."""

import re
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.test import Client

from belfaa.celery import app as celery_app
from belfaa.models import User
from events.models import Registration
from participants import services
from participants.models import AccessLog, Participant
from tests.belfaa.test_configuration import manage
from tests.conftest import ACCESS_LOG_TRUNCATE_TRIGGER, need
from tests.events.test_admin import FormReader
from tests.factories import EventFactory, make_participant

ClientFor = Callable[[User], Client]
LOG = "participants_accesslog"


def execute(sql: str, params: list[str] | None = None) -> list[tuple[Any, ...]]:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description else []


def log_row(user: User) -> None:
    services.access_log_write(
        user=user, references=["BLF-2026-00001"], purpose=AccessLog.Purpose.ADMIN_RECORD
    )


# --- TRUNCATE, even as the owner --------------------------------------------------


@pytest.mark.django_db
def test_the_owner_cannot_truncate_the_access_log_nor_flush_the_database(
    coordinator: User,
) -> None:
    need(connection.vendor == "postgresql", "the access log's triggers exist on PostgreSQL only")
    ((timing_and_events,),) = execute(
        "SELECT tgtype FROM pg_trigger WHERE tgname = %s", [ACCESS_LOG_TRUNCATE_TRIGGER]
    )
    assert timing_and_events & 2 and timing_and_events & 32  # BEFORE, TRUNCATE
    # As in production (the test database turns it off for the suite's own flush);
    # rolled back with this test.
    execute(f"ALTER TABLE {LOG} ENABLE TRIGGER {ACCESS_LOG_TRUNCATE_TRIGGER}")
    log_row(coordinator)
    # The row's deferred foreign-key check would otherwise refuse TRUNCATE before the
    # trigger is reached (a real session has committed its rows long before).
    execute("SET CONSTRAINTS ALL IMMEDIATE")
    with pytest.raises(DatabaseError, match="append-only: TRUNCATE refused"):
        execute(f"TRUNCATE {LOG}")
    with pytest.raises(CommandError, match="couldn't be flushed"):
        call_command("flush", interactive=False, verbosity=0)
    assert AccessLog.objects.count() == 1
    assert User.objects.filter(pk=coordinator.pk).exists()


# --- The application's own role -----------------------------------------------------


@pytest.fixture
def app_role(transactional_db: None) -> Iterator[tuple[str, str]]:
    """A login role unique to this test database (roles are shared by the whole
    PostgreSQL cluster), dropped afterwards."""
    need(connection.vendor == "postgresql", "roles exist on PostgreSQL only")
    role = re.sub(r"[^a-z0-9_]", "_", f"{connection.settings_dict['NAME']}_app".lower())[:63]
    password = secrets.token_hex(16)
    drop_role(role)
    execute(f"CREATE ROLE {role} LOGIN PASSWORD '{password}'")
    yield role, password
    drop_role(role)


def drop_role(role: str) -> None:
    if execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role]):
        execute(f"DROP OWNED BY {role}")
        execute(f"DROP ROLE {role}")


@contextmanager
def connected_as(role: str, password: str) -> Iterator[None]:
    """Every query of the block, the pages' included, goes through a new connection
    logged in as `role`, as a web or worker process configured with its URL would."""
    owner = {key: connection.settings_dict[key] for key in ("USER", "PASSWORD")}
    connection.close()
    connection.settings_dict.update(USER=role, PASSWORD=password)
    try:
        assert execute("SELECT current_user") == [(role,)]
        yield
    finally:
        connection.close()
        connection.settings_dict.update(owner)


@pytest.fixture
def tasks_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    # The messages' task then runs here, as the role too, as a worker would.
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    monkeypatch.setitem(celery_app.conf, "task_eager_propagates", True)


def test_as_the_application_role_the_site_works_and_the_log_cannot_be_changed(
    app_role: tuple[str, str], coordinator: User, client_for: ClientFor, tasks_in_process: None
) -> None:
    role, password = app_role
    call_command("grant_app_role", role=role, verbosity=0)
    person = make_participant()
    event = EventFactory()
    with connected_as(role, password):
        # A Coordinator opens a record (its access-log row is written) and changes it.
        client = client_for(coordinator)
        change = f"/en/admin/participants/participant/{person.pk}/change/"
        page = client.get(change)
        assert page.status_code == 200
        assert "PLANTEDNOTE" in page.content.decode()
        assert AccessLog.objects.filter(reference=person.reference, user=coordinator).count() == 1
        reader = FormReader("participant_form")
        reader.feed(page.content.decode())
        saved = client.post(change, {**reader.data, "languages": ["Wolof, français"]})
        assert saved.status_code == 302, saved.content.decode()[:2000]
        assert Participant.objects.get(pk=person.pk).languages == "Wolof, français"
        # A public sign-up, its personal page and its confirmation message.
        signup = Client().post(
            f"/fr/events/{event.slug}/",
            {
                "name": "Awa Diop",
                "phone": "",
                "email": "awa@example.test",
                "birth_year": "2001",
                "sex": "female",
                "group": "newcomer",
                "language": "fr",
                "consent_processing": "on",
            },
        )
        assert signup.status_code == 302
        assert Client().get(signup["Location"]).status_code == 200
        assert Registration.objects.get().status == Registration.Status.CONFIRMED
        # Nothing can change, remove or empty the log, nor switch its triggers off.
        logged = list(AccessLog.objects.values_list("pk", "purpose"))
        refused = {
            "UPDATE participants_accesslog SET purpose = 'admin_list'": "permission denied",
            "DELETE FROM participants_accesslog": "permission denied",
            f"TRUNCATE {LOG}": "permission denied",
            f"ALTER TABLE {LOG} DISABLE TRIGGER participants_accesslog_append_only": "owner",
            f"ALTER TABLE {LOG} DISABLE TRIGGER ALL": "owner",
            f"DROP TRIGGER participants_accesslog_append_only ON {LOG}": "owner",
            f"ALTER TABLE {LOG} OWNER TO {role}": "owner",
        }
        for statement, message in refused.items():
            with pytest.raises(DatabaseError, match=message):
                execute(statement)
        assert list(AccessLog.objects.values_list("pk", "purpose")) == logged
    assert [message.to for message in mail.outbox] == [["awa@example.test"]]


def test_migrate_gives_the_role_its_rights_when_it_is_configured(
    app_role: tuple[str, str], settings: Any
) -> None:
    role, _password = app_role

    def may(table: str, privilege: str) -> bool:
        ((allowed,),) = execute("SELECT has_table_privilege(%s, %s, %s)", [role, table, privilege])
        return bool(allowed)

    assert not may("participants_participant", "SELECT")
    settings.DATABASE_APP_ROLE = role
    call_command("migrate", verbosity=0)
    for privilege in ("SELECT", "INSERT", "UPDATE", "DELETE"):
        assert may("participants_participant", privilege)
        assert may("events_registration", privilege)
    assert may(LOG, "SELECT") and may(LOG, "INSERT")
    for privilege in ("UPDATE", "DELETE", "TRUNCATE", "TRIGGER", "REFERENCES"):
        assert not may(LOG, privilege)
    for privilege in ("TRUNCATE", "TRIGGER", "REFERENCES"):
        assert not may("participants_participant", privilege)


def test_a_migrate_with_nothing_to_do_also_runs_as_the_application_role(
    app_role: tuple[str, str], settings: Any
) -> None:
    role, password = app_role
    settings.DATABASE_APP_ROLE = role
    call_command("migrate", verbosity=0)
    with connected_as(role, password):
        call_command("migrate", verbosity=0)
        with pytest.raises(CommandError, match="owns no table"):
            call_command("grant_app_role", verbosity=0)


def test_rights_granted_by_hand_are_taken_back(app_role: tuple[str, str]) -> None:
    role, _password = app_role
    execute(f"GRANT ALL ON {LOG} TO {role}")
    call_command("grant_app_role", role=role, verbosity=0)
    ((update, truncate),) = execute(
        "SELECT has_table_privilege(%s, %s, 'UPDATE'), has_table_privilege(%s, %s, 'TRUNCATE')",
        [role, LOG, role, LOG],
    )
    assert (update, truncate) == (False, False)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "message"),
    [
        ("nobody_by_that_name_here", "does not exist. Create it first"),
        ("Belfaa-App; DROP TABLE x", "not a role name"),
        ("postgres", "owns no table"),
    ],
)
def test_the_grant_command_explains_what_is_wrong(role: str, message: str) -> None:
    need(connection.vendor == "postgresql", "roles exist on PostgreSQL only")
    if role == "postgres":
        ((role,),) = execute("SELECT current_user")
    with pytest.raises(CommandError, match=message):
        call_command("grant_app_role", role=role, verbosity=0)


def test_the_grant_command_needs_a_role(settings: Any) -> None:
    settings.DATABASE_APP_ROLE = ""
    with pytest.raises(CommandError, match="Name the role"):
        call_command("grant_app_role", verbosity=0)


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"DATABASE_APP_ROLE": "belfaa-app"}, "not a PostgreSQL role name"),
        ({"DATABASE_APP_ROLE": "belfaa_app"}, "needs a PostgreSQL DATABASE_URL"),
    ],
)
def test_a_bad_application_role_stops_the_start_naming_it(
    env: dict[str, str], expected: str
) -> None:
    result = manage("check", **env)
    assert result.returncode == 2
    assert "DATABASE_APP_ROLE=" in result.stderr
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
