"""The registry bench's work inside Django, run by bench/registry.py as a separate
process with the bench's environment (DJANGO_SETTINGS_MODULE=belfaa.settings and the
throwaway database the bench's gunicorn serves). Not a management command: nothing
here is part of the application.

    python bench/registry_django.py generate --upto N --total T
    python bench/registry_django.py queries --pages JSON [--explain]
    python bench/registry_django.py import --rows N --existing T --dir DIR
    python bench/registry_django.py two-step

Each prints one line `REGISTRY-JSON {...}` with its figures, last.

- generate: fictional people (bench/registry_data.py) up to N in all, in batches with
  bulk_create, bypassing participant_create (no history rows) but with references in
  its format (PREFIX-YEAR-NNNNN from the row's id, taken from the sequence first);
  then VACUUM ANALYZE, as autovacuum would do on a live database.
- queries: each page once through Django's test client signed in as the Coordinator,
  counting the SQL queries (CaptureQueriesContext); with --explain, EXPLAIN ANALYZE of
  each page's slowest query.
- import: writes a messy CSV and XLSX of N rows and times import_dry_run on each.
- two-step: gives the Coordinator a new authenticator app and prints its current code,
  so the bench signs in over HTTP as staff must (password, then code).
"""

import argparse
import json
import os
import re
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
MARK = "REGISTRY-JSON "
BATCH = 5_000
COORDINATOR = "coordinator@belfaa.demo"
SQL_SHOWN = 2_000  # characters of a query kept in the results
# A long array or list of values in a query, shown as its size.
LONG_VALUES = re.compile(r"'\{[^']{120,}\}'|\((?:[^()']|'[^']*'){400,}\)")
EXPLAIN_TIMEOUT_MS = 60_000
# Neighbourhoods besides the demo's three (seed_demo); "a few" in all.
EXTRA_PLACES = ("حي الأمل", "حي النهضة", "دوار الخير")


def setup() -> None:
    sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "belfaa.settings")
    import django

    django.setup()


def emit(data: dict[str, Any]) -> None:
    print(MARK + json.dumps(data, ensure_ascii=False), flush=True)


# --- generate -----------------------------------------------------------------------


def generate(upto: int, total: int) -> dict[str, Any]:
    from django.conf import settings
    from django.db import connection, transaction
    from registry_data import NOTE, person

    from participants.models import Neighbourhood, Participant

    for name in EXTRA_PLACES:
        Neighbourhood.objects.get_or_create(name_ar=name, defaults={"name": name})
    places: list[Neighbourhood | None] = [*Neighbourhood.objects.order_by("pk")[:6], None]
    # The rows carry their own dates (spread over the years): this process only.
    for name in ("created_at", "updated_at"):
        date_field = Participant._meta.get_field(name)
        setattr(date_field, "auto_now", False)  # noqa: B010 (typed bool, set on purpose)
        setattr(date_field, "auto_now_add", False)  # noqa: B010
    table = Participant._meta.db_table
    prefix = settings.PARTICIPANT_REFERENCE_PREFIX
    done = Participant.objects.filter(notes=NOTE).count()
    started = time.perf_counter()
    for first in range(done, upto, BATCH):
        people = [person(index, total) for index in range(first, min(first + BATCH, upto))]
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, len(people)],
            )
            ids = [int(row[0]) for row in cursor.fetchall()]
            Participant.objects.bulk_create(
                [
                    Participant(
                        pk=pk,
                        reference=f"{prefix}-{p.created_at.year}-{pk:05d}",
                        given_name=p.given_name,
                        family_name=p.family_name,
                        sex=p.sex,
                        birth_year=p.birth_year,
                        nationality=p.nationality,
                        group=p.group,
                        neighbourhood=places[p.neighbourhood % len(places)]
                        if 0 <= p.neighbourhood < len(places)
                        else None,
                        country_of_residence=p.country_of_residence,
                        arrival_year=p.arrival_year,
                        languages=p.languages,
                        phone=p.phone,
                        email=p.email,
                        needs=p.needs,
                        notes=NOTE,
                        created_at=p.created_at,
                        updated_at=p.created_at,
                        anonymised_at=p.created_at if p.anonymised else None,
                    )
                    for pk, p in zip(ids, people, strict=True)
                ],
                batch_size=BATCH,
            )
    inserted = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(table)}")
    return {
        "created": max(0, upto - done),
        "generated": Participant.objects.filter(notes=NOTE).count(),
        "participants": Participant.objects.count(),
        "insert_seconds": round(inserted, 2),
        "seconds": round(time.perf_counter() - started, 2),
    }


# --- queries -----------------------------------------------------------------------


def shown(sql: str) -> str:
    """A query as kept in the results: long value lists shortened, then cut."""

    def count(match: re.Match[str]) -> str:
        text = match.group(0)
        return f"<{text.count(',') + 1:,} values>"

    short = LONG_VALUES.sub(count, sql)
    return short if len(short) <= SQL_SHOWN else short[:SQL_SHOWN] + " ..."


def _explain(sql: str, analyze: bool = True) -> str:
    """The plan of a query as executed (with ANALYZE: run again, within a timeout)."""
    from django.db import connection, transaction

    options = "ANALYZE, BUFFERS" if analyze else "COSTS"
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL statement_timeout = {EXPLAIN_TIMEOUT_MS}")
            cursor.execute(f"EXPLAIN ({options}) " + sql)
            return "\n".join(str(row[0]) for row in cursor.fetchall())
    except Exception as error:  # a plan is a bonus: never fail the bench for it
        return f"(EXPLAIN failed: {error})"


class Timed:
    """Every SQL query the connection runs inside the block, as executed (parameters
    interpolated, ready for EXPLAIN) with its duration measured here in seconds."""

    def __init__(self) -> None:
        self.queries: list[tuple[str, float]] = []

    def __call__(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        from django.db import connection

        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            seconds = time.perf_counter() - started
            try:
                shown = connection.ops.last_executed_query(context["cursor"].cursor, sql, params)
            except Exception:  # the query as written, if it cannot be interpolated
                shown = sql
            self.queries.append((str(shown), seconds))

    @contextmanager
    def capture(self) -> Iterator["Timed"]:
        from django.db import connection

        with connection.execute_wrapper(self):
            yield self

    @property
    def count(self) -> int:
        return len(self.queries)

    @property
    def seconds(self) -> float:
        return sum(seconds for _sql, seconds in self.queries)

    def slowest(self) -> dict[str, Any] | None:
        if not self.queries:
            return None
        sql, seconds = max(self.queries, key=lambda query: query[1])
        return {"ms": round(seconds * 1000, 2), "sql": sql}


def queries(pages: list[dict[str, str]], explain: bool) -> dict[str, Any]:
    from django.test import Client
    from django.test.utils import setup_test_environment

    from participants.models import Participant

    setup_test_environment()  # response.context, and the test client's host allowed
    client = Client()
    client.force_login(staff_user())
    found: dict[str, Any] = {}
    for page in pages:
        client.get(page["path"])  # warm-up: the first request of a process loads more
        with Timed().capture() as timed:
            started = time.perf_counter()
            response = client.get(page["path"])
            seconds = time.perf_counter() - started
        context = response.context
        changelist = context["cl"] if context is not None and "cl" in context else None
        slowest = timed.slowest()
        row: dict[str, Any] = {
            "status": response.status_code,
            "queries": timed.count,
            "result_count": getattr(changelist, "result_count", None),
            "sql_ms": round(timed.seconds * 1000, 2),
            # The test client's own instrumentation included: not the latency measured.
            "in_process_ms": round(seconds * 1000, 2),
            "query_ms": [round(seconds * 1000, 2) for _sql, seconds in timed.queries],
            "slowest_query": slowest,
        }
        if explain and slowest is not None:
            row["explain_slowest"] = _explain(slowest["sql"])
        if slowest is not None:
            slowest["sql"] = shown(slowest["sql"])
        found[page["name"]] = row
    return {"participants": Participant.objects.count(), "pages": found}


# --- two-step ----------------------------------------------------------------------


def staff_user() -> Any:
    """The Coordinator, with an authenticator app as every staff account has (without
    one the admin answers only with a redirect to its set-up)."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from belfaa.models import User

    user = User.objects.get(email=COORDINATOR)
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, generate_totp_secret())
    return user


def two_step() -> dict[str, Any]:
    from allauth.mfa import app_settings
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import (
        TOTP,
        format_hotp_value,
        generate_totp_secret,
        hotp_value,
    )

    user = staff_user()
    Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).delete()
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    period = app_settings.TOTP_PERIOD
    left = period - time.time() % period
    if left < 10:  # a code the sign-in can still use when it arrives
        time.sleep(left)
    return {"code": format_hotp_value(hotp_value(secret, int(time.time()) // period))}


# --- import ------------------------------------------------------------------------


def import_files(rows: int, existing: int, directory: Path) -> dict[str, Any]:
    from django.core.files import File
    from django.utils import translation
    from registry_data import write_csv, write_xlsx

    from participants.importing.checking import import_dry_run
    from participants.importing.reading import ImportFileError

    results: dict[str, Any] = {}
    for kind, write in (("csv", write_csv), ("xlsx", write_xlsx)):
        path = directory / f"registry-import.{kind}"
        write(path, rows, existing)
        with (
            path.open("rb") as handle,
            translation.override("fr"),
            Timed().capture() as timed,
        ):
            started = time.perf_counter()
            try:
                preview = import_dry_run(File(handle, name=path.name))
            except ImportFileError as error:
                results[kind] = {"error": error.message, "file_bytes": path.stat().st_size}
                continue
            seconds = time.perf_counter() - started
        sql = timed.seconds
        slowest = timed.slowest()
        if slowest is not None:
            # The plan only (EXPLAIN ANALYZE would run the slowest query again).
            slowest["explain"] = _explain(slowest["sql"], analyze=False)
            slowest["sql"] = shown(slowest["sql"])
        results[kind] = {
            "file_bytes": path.stat().st_size,
            "rows": len(preview.rows),
            "to_create": preview.to_create,
            "duplicates": preview.duplicates,
            "with_errors": preview.with_errors,
            "sensitive_columns_left_out": preview.sensitive_columns,
            "ignored_columns": preview.ignored_columns,
            "seconds": round(seconds, 3),
            "queries": timed.count,
            "sql_seconds": round(sql, 3),
            "python_seconds": round(seconds - sql, 3),
            "slowest_query": slowest,
        }
        path.unlink()
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest="command", required=True)
    gen = commands.add_parser("generate")
    gen.add_argument("--upto", type=int, required=True)
    gen.add_argument("--total", type=int, required=True)
    pages = commands.add_parser("queries")
    pages.add_argument("--pages", required=True)
    pages.add_argument("--explain", action="store_true")
    imp = commands.add_parser("import")
    imp.add_argument("--rows", type=int, required=True)
    imp.add_argument("--existing", type=int, required=True)
    imp.add_argument("--dir", type=Path, required=True)
    commands.add_parser("two-step")
    args = parser.parse_args()
    setup()
    if args.command == "generate":
        emit(generate(args.upto, args.total))
    elif args.command == "queries":
        emit(queries(json.loads(args.pages), args.explain))
    elif args.command == "two-step":
        emit(two_step())
    else:
        emit(import_files(args.rows, args.existing, args.dir))


if __name__ == "__main__":
    main()
