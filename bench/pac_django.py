"""The PAC report bench's work inside Django, run by bench/pac.py as a separate process
per step (so each step's peak memory is its own), with the bench's environment.

    python bench/pac_django.py generate
    python bench/pac_django.py measure figures|csv|xlsx|pdf|dashboard

Each prints one line `REGISTRY-JSON {...}` (registry_django's emit) with its figures, last.

- generate: tops the participants up to 100,000 (bench/registry_django.py's generator),
  then in raw SQL with generate_series: their consents (registry and statistics, 2 %
  of the latter withdrawn), 30,000 support requests (every kind and status, a third
  referred to a partner, with its outcomes), 5,000 activities over 2021-2026 (every
  kind, a quarter co-organised with a partner, meetings with two outcomes each),
  1,000,000 registrations (about 70 % attended), and contributions for each party of
  the demo's agreements, every year; then VACUUM ANALYZE, as autovacuum would.
- measure: the 2025 report in Arabic (report_build), then rendered in the format,
  3 times: the median seconds, the SQL query count of one build, and the peak
  resident memory of the process (ru_maxrss). `dashboard`: the admin index's query
  count through Django's test client, signed in as the Coordinator.
"""

import argparse
import resource
import statistics
import time
from collections.abc import Callable
from typing import Any

from registry_django import emit, setup, staff_user

PEOPLE = 100_000
EVENTS = 5_000
REGISTRATIONS = 1_000_000
YEAR = 2025
REPEATS = 3
SLUG_PREFIX = "bench-pac-"
SUPPORT_REQUESTS = 30_000
REQUEST_NOTE = "Bench request"
CONTRIBUTION_NOTE = "Bench contribution"
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


CONSENTS_SQL = """
INSERT INTO participants_consent (purpose, given_at, method, withdrawn_at, partner_id,
    recorded_by_id, participant_id)
SELECT purpose, p.created_at::date, 'written',
    CASE WHEN purpose = 'statistics' AND p.id %% 50 = 0 THEN p.created_at::date + 30 END,
    NULL, %(user)s, p.id
FROM participants_participant p, unnest(ARRAY['registry', 'statistics']) AS purpose
WHERE p.notes = %(note)s
"""
# One request for every third generated person, opened within 60 days of the record.
REQUESTS_SQL = f"""
INSERT INTO participants_supportrequest (participant_id, kind, opened_on, status, outcome,
    closed_on, follow_up_notes, referred_to_id, partner_note, partner_outcome,
    partner_outcome_at)
SELECT r.id, r.kind, r.opened_on, r.status,
    CASE r.status WHEN 'resolved' THEN (ARRAY['met', 'partly'])[1 + r.id %% 2]
                  WHEN 'closed' THEN (ARRAY['not_met', 'withdrawn', 'referred'])[1 + r.id %% 3]
                  ELSE '' END,
    CASE WHEN r.status IN ('resolved', 'closed') THEN r.opened_on + 20 END,
    '{REQUEST_NOTE}', r.partner, '', CASE WHEN r.partner IS NULL THEN '' ELSE r.answer END,
    CASE WHEN r.partner IS NOT NULL AND r.answer <> '' THEN r.opened_on + 10 END
FROM (SELECT p.id,
        (ARRAY['administrative', 'legal', 'health', 'school', 'language', 'training',
               'employment', 'housing', 'social', 'investment'])[1 + p.id %% 10] AS kind,
        LEAST(p.created_at::date + (p.id %% 60)::int, current_date) AS opened_on,
        (ARRAY['open', 'referred', 'in_progress', 'resolved', 'closed'])[1 + p.id %% 5]
            AS status,
        CASE WHEN p.id %% 5 = 1 OR p.id %% 4 = 0
             THEN (SELECT array_agg(id ORDER BY id) FROM partners_organisation)
                  [1 + p.id %% (SELECT count(*) FROM partners_organisation)] END AS partner,
        (ARRAY['', 'taken_up', 'done', 'could_not_help'])[1 + p.id %% 4] AS answer
      FROM participants_participant p
      WHERE p.notes = %(note)s AND p.id %% 3 = 0 AND p.anonymised_at IS NULL
      ORDER BY p.id LIMIT %(requests)s) AS r
"""  # noqa: S608 (constants only, no input)
PARTNERS_SQL = f"""
INSERT INTO events_event_partners (event_id, organisation_id)
SELECT e.id, (SELECT array_agg(id ORDER BY id) FROM partners_organisation)
    [1 + e.id %% (SELECT count(*) FROM partners_organisation)]
FROM events_event e WHERE e.slug LIKE '{SLUG_PREFIX}%%' AND e.id %% 4 = 0
"""  # noqa: S608 (constants only, no input)
CONTRIBUTIONS_SQL = f"""
INSERT INTO partners_contribution (agreement_id, organisation_id, year, amount, currency,
    nature, rate_to_mad, rate_on, description)
SELECT party.agreement_id, party.organisation_id, year, 5000 + (party.id * 7 + n) %% 20 * 2500,
    CASE WHEN n %% 3 = 0 THEN 'EUR' ELSE 'MAD' END, (ARRAY['cash', 'in_kind'])[1 + n %% 2],
    CASE WHEN n %% 3 = 0 THEN 10.85 END, CASE WHEN n %% 3 = 0 THEN make_date(year, 6, 30) END,
    '{CONTRIBUTION_NOTE}'
FROM partners_party party, generate_series(2021, 2026) AS year, generate_series(1, 4) AS n
"""  # noqa: S608 (constants only, no input)


def generate() -> dict[str, Any]:
    from django.db import connection, transaction
    from registry_data import NOTE
    from registry_django import generate as people_generate

    from events.models import Event, Registration
    from participants.models import Consent, SupportRequest
    from partners.models import Contribution

    started = time.perf_counter()
    people = people_generate(PEOPLE, PEOPLE)
    counts: dict[str, int] = {}
    steps: tuple[tuple[str, Callable[[], bool], str, dict[str, Any]], ...] = (
        (
            "consents",
            Consent.objects.filter(participant__notes=NOTE).exists,
            CONSENTS_SQL,
            {"note": NOTE, "user": staff_user().pk},
        ),
        (
            "support_requests",
            SupportRequest.objects.filter(follow_up_notes=REQUEST_NOTE).exists,
            REQUESTS_SQL,
            {"note": NOTE, "requests": SUPPORT_REQUESTS},
        ),
        (
            "contributions",
            Contribution.objects.filter(description=CONTRIBUTION_NOTE).exists,
            CONTRIBUTIONS_SQL,
            {},
        ),
    )
    for name, done, sql, params in steps:
        if not done():
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql, params)
                counts[name] = cursor.rowcount
    if not Event.objects.filter(slug__startswith=SLUG_PREFIX).exists():
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(EVENTS_SQL, {"events": EVENTS})
            counts["events"] = cursor.rowcount
            cursor.execute(PARTNERS_SQL, {})
            counts["co_organised"] = cursor.rowcount
            cursor.execute(REGISTRATIONS_SQL, {"per_event": REGISTRATIONS // EVENTS})
            counts["registrations"] = cursor.rowcount
            cursor.execute(OUTCOMES_SQL, {"events": EVENTS})
            counts["outcomes"] = cursor.rowcount
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return {
        "seconds": round(time.perf_counter() - started, 2),
        "people_created": people["created"],
        "created": counts,
        "totals": {
            "participants": people["participants"],
            "events": Event.objects.count(),
            "registrations": Registration.objects.count(),
            "attended": Registration.objects.filter(attended_at__isnull=False).count(),
            "support_requests": SupportRequest.objects.count(),
            "referrals": SupportRequest.objects.filter(referred_to__isnull=False).count(),
            "contributions": Contribution.objects.count(),
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
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()  # the test client's host allowed
    client = Client()
    client.force_login(staff_user())
    client.get("/fr/admin/")  # the first request fills caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/fr/admin/")
    if response.status_code != 200:
        raise SystemExit(f"/fr/admin/ answered {response.status_code} {response.get('Location')}")
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
