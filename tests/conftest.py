"""The named cast and shared fixtures. Access tests read like sentences:
`client_for(officer)` may change an activity, `client_for(viewer)` may not."""

import functools
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.servers.basehttp import WSGIServer
from django.db import connection
from django.test import Client

from belfaa.models import User
from belfaa.roles import COORDINATOR, OFFICER, VIEWER
from partners.models import Membership
from tests.factories import OrganisationFactory, UserFactory

# Tests serve static files through the finders, as runserver does; production serves
# the collected, hashed files (whitenoise's manifest storage needs collectstatic).
settings.STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# The settings run with DEBUG off, which requires two-step verification of staff; the
# suite's staff sign in without it, and tests/belfaa/test_two_step.py turns it back on.
settings.STAFF_MFA_REQUIRED = False

# A fast hasher: the suite logs in hundreds of times; production keeps Django's default.
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)

# Live-server threads die after each request: their connections must not outlive it.
settings.DATABASES["default"]["CONN_MAX_AGE"] = 0
# Let the live server accept as many simultaneous clients as a real one would queue.
WSGIServer.request_queue_size = 128

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


def need(condition: bool, reason: str) -> None:
    """Skip (saying why) when a real service is missing; under REQUIRE_SERVICES=1, fail."""
    if condition:
        return
    if REQUIRE_SERVICES:
        pytest.fail(f"REQUIRE_SERVICES=1 but {reason}")
    pytest.skip(reason)


@functools.cache
def pango_missing() -> str | None:
    """Why WeasyPrint cannot lay out a PDF on this machine, or None if it can.

    WeasyPrint loads Pango, GLib, HarfBuzz and fontconfig with cffi when it is imported;
    on a machine without them the import raises OSError. Test modules therefore never
    import it at collection: their PDF tests carry the `pango` mark instead."""
    try:
        import weasyprint  # noqa: F401
    except OSError as error:
        first_line = str(error).splitlines()[0]
        return (
            f"WeasyPrint cannot load its system libraries ({first_line}); "
            "install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 to test PDFs"
        )
    return None


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "pango: lays out a PDF with WeasyPrint (needs the Pango library)"
    )


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    # Before any fixture (a module-scoped poster too) is built.
    if item.get_closest_marker("pango"):
        reason = pango_missing()
        need(reason is None, reason or "")


# Refuses TRUNCATE on the access log (participants migration 0006).
ACCESS_LOG_TRUNCATE_TRIGGER = "participants_accesslog_no_truncate"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> None:
    """After each transactional test (transactional_db, live_server) pytest-django
    empties every table with one TRUNCATE, which the access log refuses on PostgreSQL,
    as it must in production. In the test database alone that one trigger is off;
    tests/belfaa/test_database_role.py turns it on inside its own transaction to show
    the refusal, and the role tests show the application role may not truncate at all."""
    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "ALTER TABLE participants_accesslog "
                    f"DISABLE TRIGGER {ACCESS_LOG_TRUNCATE_TRIGGER}"
                )


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    # Rate limits and health probes live in the cache: each test starts clean.
    cache.clear()
    yield
    cache.clear()


def _staff(email: str, role: str) -> User:
    user = UserFactory(email=email, is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def coordinator(db: None) -> User:
    return _staff("coordinator@example.test", COORDINATOR)


@pytest.fixture
def officer(db: None) -> User:
    return _staff("officer@example.test", OFFICER)


@pytest.fixture
def viewer(db: None) -> User:
    return _staff("viewer@example.test", VIEWER)


@pytest.fixture
def partner_md(db: None) -> User:
    user = UserFactory(email="partner@md.example.test")
    Membership.objects.create(
        user=user, organisation=OrganisationFactory(name="Migrations & Développement")
    )
    return user


@pytest.fixture
def partner_jette(db: None) -> User:
    user = UserFactory(email="partner@jette.example.test")
    Membership.objects.create(user=user, organisation=OrganisationFactory(name="Jette"))
    return user


@pytest.fixture
def outsider(db: None) -> User:
    return UserFactory(email="outsider@example.test")


@pytest.fixture
def client_for() -> Callable[[User], Client]:
    def make(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make
