"""The PAC report bench's work inside Django, run by bench/pac.py as a separate process
per step (so each step's peak memory is its own), with the bench's environment.

    python bench/pac_django.py generate
    python bench/pac_django.py measure figures|csv|xlsx|pdf|dashboard

Each prints one line `REGISTRY-JSON {...}` (registry_django's emit) with its figures, last.

- generate: tops the participants up to 100,000 (bench/registry_django.py's generator),
  then 5,000 activities over 2021-2026 (every kind, meetings with two outcomes each)
  and 1,000,000 registrations (about 70 % attended) in raw SQL with generate_series;
  then VACUUM ANALYZE.
- measure: the 2025 report in Arabic (report_build), then rendered in the format,
  3 times: the median seconds, the SQL query count of one build, and the peak
  resident memory of the process (ru_maxrss). `dashboard`: the admin index's query
  count through Django's test client, signed in as the Coordinator.
"""

import argparse
import resource
import statistics
import time
from typing import Any

from registry_django import COORDINATOR, emit, setup

PEOPLE = 100_000
EVENTS = 5_000
REGISTRATIONS = 1_000_000
YEAR = 2025
REPEATS = 3
SLUG_PREFIX = "bench-pac-"
KINDS = "ARRAY['meeting','sport','culture','workshop','language','outing','other']"
GROUPS = "ARRAY['resident','newcomer','mre','other']"
SEXES = "ARRAY['female','male','unspecified']"

EVENTS_SQL = f"""
INSERT INTO events_event (title, summary, description, slug, kind, status, venue,
    starts_at, ends_at, capacity, created_at, updated_at)
SELECT 'Bench activity ' || g, '', '', '{SLUG_PREFIX}' || g, ({KINDS})[1 + g %% 7],
    'completed', 'Bench venue', at, at + interval '2 hours', 300, at, at
FROM (SELECT g, timestamptz '2021-01-01 10:00+00'
        + (g * 2190 / %(events)s) * interval '1 day' AS at
      FROM generate_series(1, %(events)s) AS g) AS days
"""  # noqa: S608 (constants only, no input)
# Each activity gets REGISTRATIONS / EVENTS rows, people picked spread over the registry.
REGISTRATIONS_SQL = f"""
WITH people AS (SELECT array_agg(id ORDER BY id) AS ids FROM participants_participant),
     events AS (SELECT id, starts_at, row_number() OVER (ORDER BY id) AS n
                FROM events_event WHERE slug LIKE '{SLUG_PREFIX}%%')
INSERT INTO events_registration (event_id, participant_id, person_key, name, phone, email,
    sex, "group", language, consent_processing, consent_contact, consent_photos, status,
    walk_in, attended_at, queued_at, created_at, updated_at)
SELECT e.id, p.ids[1 + ((e.n * 7919 + s * 104729) %% cardinality(p.ids))], gen_random_uuid(),
    '', '', '', ({SEXES})[1 + s %% 3], ({GROUPS})[1 + (s + e.n) %% 4], 'ar', true, s %% 2 = 0,
    false, CASE WHEN s %% 20 = 0 THEN 'cancelled' ELSE 'confirmed' END, s %% 15 = 0,
    CASE WHEN s %% 10 < 7 AND s %% 20 <> 0 THEN e.starts_at END,
    e.starts_at - interval '7 days', e.starts_at - interval '7 days', e.starts_at
FROM events e, people p, generate_series(1, %(per_event)s) AS s
"""  # noqa: S608 (constants only, no input)
OUTCOMES_SQL = f"""
INSERT INTO events_meetingoutcome (event_id, kind, theme, raised_by, text,
    no_answer_reason, created_at, updated_at)
SELECT e.id, (ARRAY['concern','proposal'])[1 + s %% 2],
    (ARRAY['legal','administrative','social','economic','education','health','housing',
           'culture','other'])[1 + (e.id + s) %% 9],
    ({GROUPS})[1 + e.id %% 4], 'Bench outcome', '', e.starts_at, e.starts_at
FROM events_event e, generate_series(1, 2) AS s
WHERE e.slug LIKE '{SLUG_PREFIX}%%' AND e.kind = 'meeting'
"""  # noqa: S608 (constants only, no input)


def generate() -> dict[str, Any]:
    from django.db import connection, transaction
    from registry_django import generate as people_generate

    from events.models import Event, Registration

    started = time.perf_counter()
    people = people_generate(PEOPLE, PEOPLE)
    counts: dict[str, int] = {}
    if not Event.objects.filter(slug__startswith=SLUG_PREFIX).exists():
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(EVENTS_SQL, {"events": EVENTS})
            counts["events"] = cursor.rowcount
            cursor.execute(REGISTRATIONS_SQL, {"per_event": REGISTRATIONS // EVENTS})
            counts["registrations"] = cursor.rowcount
            cursor.execute(OUTCOMES_SQL, {"events": EVENTS})
            counts["outcomes"] = cursor.rowcount
    with connection.cursor() as cursor:
        for table in ("events_event", "events_registration", "events_meetingoutcome"):
            cursor.execute(f"VACUUM ANALYZE {table}")
    return {
        "seconds": round(time.perf_counter() - started, 2),
        "people_created": people["created"],
        "created": counts,
        "totals": {
            "participants": people["participants"],
            "events": Event.objects.count(),
            "registrations": Registration.objects.count(),
            "attended": Registration.objects.filter(attended_at__isnull=False).count(),
        },
    }


def peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def measure(step: str) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if step == "dashboard":
        return dashboard()
    from programs.report_data import Scope
    from programs.report_outputs import report_render
    from programs.reports import report_build

    seconds = []
    queries = 0
    size = 0
    for _ in range(REPEATS):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            report = report_build(Scope(year=YEAR), "ar")
            if step != "figures":
                size = len(report_render(report, step))
            seconds.append(time.perf_counter() - started)
        queries = len(captured.captured_queries)
    return {
        "step": step,
        "seconds": round(statistics.median(seconds), 3),
        "all_seconds": [round(s, 3) for s in seconds],
        "queries": queries,
        "bytes": size,
        "peak_mb": peak_mb(),
    }


def dashboard() -> dict[str, Any]:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(get_user_model().objects.get(email=COORDINATOR))
    client.get("/fr/admin/")  # the first request fills caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/fr/admin/")
    return {
        "step": "dashboard",
        "status": response.status_code,
        "queries": len(captured.captured_queries),
        "peak_mb": peak_mb(),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("generate")
    step = commands.add_parser("measure")
    step.add_argument("step", choices=["figures", "csv", "xlsx", "pdf", "dashboard"])
    args = parser.parse_args()
    setup()
    emit(generate() if args.command == "generate" else measure(args.step))


if __name__ == "__main__":
    main()
