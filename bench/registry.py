"""Registry at scale, the last part of `make bench` (PostgreSQL only): with 100,000
generated participants, the admin list page and its searches answer in under 300 ms
at p95 with a query count that does not grow with the data, and a 10,000-row import
runs its dry run in under 20 s.

On the bench's throwaway database, with its gunicorn already serving it:

1. 1,000 clearly fictional people are generated (bench/registry_data.py, inserted by
   bench/registry_django.py: bulk_create, no history rows, references in the app's
   format), and each admin page is requested once in-process (Django's test client,
   signed in as the Coordinator) to count its SQL queries.
2. The registry is filled up to 100,000 and the queries counted again; the slowest
   query of each page is run again under EXPLAIN ANALYZE.
3. Signed in as the Coordinator as staff sign in (the allauth login form, then the code
   of the authenticator app `registry_django.py two-step` gives it), the client requests
   each page BENCH_REGISTRY_REQUESTS times (default 50) after 5 warm-up requests,
   one request at a time, the pages in turn: p50, p95 and max latency as the client
   saw them. Every answer must be 200 with a results table, else it is an error.
4. A messy 10,000-row CSV and XLSX (French headers, a title row, phones and years
   written every which way, ~5 % already in the registry, ~5 % with a mistake) go
   through import_dry_run in-process, timed, with the duplicate checks against the
   100,000 records.

The verdicts (PASS / OVER, and GROWS when a page's query count is not the same at
1,000 and 100,000) are informational like the rest of the bench; errors make the run
INVALID. On SQLite it prints "registry bench: skipped (needs PostgreSQL)" and records
that. Settings: BENCH_REGISTRY=0 skips it; BENCH_REGISTRY_PEOPLE (default 100000),
BENCH_REGISTRY_REQUESTS (50), BENCH_REGISTRY_IMPORT_ROWS (10000). Results go into
the bench's result file (and latest.json) under "registry", and into
bench/results/registry-<UTC timestamp>.json.
"""

import http.client
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.cookies import CookieError, SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from registry_data import SEARCH_FAMILY_ARABIC, SEARCH_FAMILY_LATIN, person, phone_for
from web import EXAMPLE_CHARS, HOST, TOKEN_INPUT, VALUE_ATTRIBUTE, Response, excerpt, request

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = ROOT / "bench" / "results"
SCRIPT = ROOT / "bench" / "registry_django.py"
MARK = "REGISTRY-JSON "
SMALL = 1_000  # the first count the queries are counted at
WARMUP = 5
TARGET_P95_MS = 300.0
TARGET_IMPORT_SECONDS = 20.0
STEP_TIMEOUT = 900  # seconds for any one step run in Django (generation, import)
CHANGELIST = "/ar/admin/participants/participant/"
LOGIN_PATH = "/ar/accounts/login/"
TWO_STEP_PATH = "/ar/accounts/2fa/authenticate/"
COORDINATOR_EMAIL = "coordinator@belfaa.demo"
DEMO_PASSWORD = "belfaa-demo-2026"  # noqa: S105 (seed_demo's, on a throwaway database)
RESULTS_TABLE = b'id="result_list"'


class RegistryError(Exception):
    """A step of the registry bench could not run."""


def say(message: str) -> None:
    print(f"bench: registry: {message}", flush=True)


def env_count(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise RegistryError(f"{name}={raw!r} must be a whole number above 0.")
    return int(raw)


@dataclass(frozen=True)
class Page:
    name: str
    label: str
    path: str


def pages(people: int) -> list[Page]:
    """The list, a search by a Latin and by an Arabic family name, a search by the
    phone of someone among the first 1,000, and a filter."""
    found = (person(index, people).phone for index in range(SMALL // 2, SMALL))
    phone = next((phone for phone in found if phone), phone_for(SMALL // 2))
    return [
        Page("list", "list", CHANGELIST),
        Page(
            "search_name", f"search {SEARCH_FAMILY_LATIN}", f"{CHANGELIST}?q={SEARCH_FAMILY_LATIN}"
        ),
        Page(
            "search_name_ar",
            "search (Arabic name)",
            f"{CHANGELIST}?q={quote(SEARCH_FAMILY_ARABIC, safe='')}",
        ),
        Page("search_phone", "search phone", f"{CHANGELIST}?q={quote(phone, safe='')}"),
        Page("filter_group", "filter group", f"{CHANGELIST}?group__exact=newcomer"),
    ]


# --- Steps run inside Django ------------------------------------------------------------


def django(env: dict[str, str], *args: str, script: Path = SCRIPT) -> dict[str, Any]:
    """Run a step of bench/registry_django.py (or another script that emits its figures
    the same way) with the bench's environment; its figures."""
    try:
        done = subprocess.run(
            [sys.executable, str(script), *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=STEP_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise RegistryError(f"{args[0]} took more than {STEP_TIMEOUT} s: stopped") from None
    if done.returncode != 0:
        raise RegistryError(f"{args[0]} failed:\n{(done.stdout + done.stderr)[-3000:]}")
    for line in reversed(done.stdout.splitlines()):
        if line.startswith(MARK):
            return dict(json.loads(line.removeprefix(MARK)))
    raise RegistryError(f"{args[0]} printed no figures:\n{done.stdout[-1000:]}")


# --- Over HTTP ------------------------------------------------------------------------


def _cookies(response: Response) -> SimpleCookie:
    cookies: SimpleCookie = SimpleCookie()
    try:
        for header in response.headers.get_all("Set-Cookie") or []:
            cookies.load(header)
    except CookieError as error:
        raise RegistryError(f"a cookie that cannot be read: {error}") from None
    return cookies


def _form_post(port: int, path: str, cookies: SimpleCookie, form: dict[str, str]) -> Response:
    """POST a form of `path` as a browser does: the CSRF token from the page (GET with
    the cookies so far), the cookie and the Origin and Referer of the site."""
    cookie = "; ".join(f"{name}={morsel.value}" for name, morsel in cookies.items())
    page = request(port, "GET", path, {"Cookie": cookie} if cookie else {})
    cookies.update(_cookies(page))
    field_tag = TOKEN_INPUT.search(page.body.decode("utf-8", errors="replace"))
    value = VALUE_ATTRIBUTE.search(field_tag.group(0)) if field_tag else None
    if page.status != 200 or "csrftoken" not in cookies or value is None:
        raise RegistryError(
            f"GET {path} answered {page.status} without a CSRF cookie and token: "
            f"{excerpt(page.body)}"
        )
    origin = f"http://{HOST}:{port}"
    answer = request(
        port,
        "POST",
        path,
        {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": "; ".join(f"{name}={morsel.value}" for name, morsel in cookies.items()),
            "Origin": origin,
            "Referer": origin + path,
        },
        urlencode({"csrfmiddlewaretoken": value.group(1), **form}).encode(),
    )
    cookies.update(_cookies(answer))
    return answer


def sign_in(port: int, env: dict[str, str]) -> str:
    """Sign in as the Coordinator as staff do: the allauth form, then the code of an
    authenticator app (the staff pages require one), once (allauth locks an account
    after failed logins); the Cookie header of the session."""
    code = django(env, "two-step")["code"]
    cookies: SimpleCookie = SimpleCookie()
    answer = _form_post(
        port, LOGIN_PATH, cookies, {"login": COORDINATOR_EMAIL, "password": DEMO_PASSWORD}
    )
    if answer.status == 302 and answer.header("Location") == TWO_STEP_PATH:
        answer = _form_post(port, TWO_STEP_PATH, cookies, {"code": code})
    session = cookies.get("sessionid")
    if answer.status != 302 or session is None or answer.header("Location") == TWO_STEP_PATH:
        raise RegistryError(
            f"signing in as {COORDINATOR_EMAIL} answered {answer.status} "
            f"{answer.header('Location')}: {excerpt(answer.body)}"
        )
    return f"sessionid={session.value}"


@dataclass
class Timings:
    path: str
    latencies: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    examples: dict[str, str] = field(default_factory=dict)
    body_bytes: int = 0

    def error(self, kind: str, example: str) -> None:
        self.errors[kind] += 1
        self.examples.setdefault(kind, example)


def get(port: int, page: Page, cookie: str, out: Timings | None) -> None:
    """One request; counted in `out` (None: a warm-up, which must succeed)."""
    started = time.perf_counter()
    try:
        response = request(port, "GET", page.path, {"Cookie": cookie})
    except (OSError, http.client.HTTPException) as error:
        kind, example = type(error).__name__, str(error)[:EXAMPLE_CHARS]
    else:
        seconds = time.perf_counter() - started
        if response.status == 200 and RESULTS_TABLE in response.body:
            if out is not None:
                out.latencies.append(seconds)
                out.body_bytes += len(response.body)
            return
        location = response.header("Location")
        kind = f"HTTP {response.status}" + (f" to {location}" if location else "")
        if response.status == 200:
            kind = "HTTP 200 without results"
        example = excerpt(response.body)
    if out is None:
        raise RegistryError(f"GET {page.path}: {kind}: {example}")
    out.error(kind, example)


def time_pages(port: int, cookie: str, targets: list[Page], requests: int) -> dict[str, Timings]:
    """Each page `requests` times, one request at a time, the pages in turn (machine
    noise hits them all alike), after WARMUP rounds that reach both workers."""
    for _ in range(WARMUP):
        for page in targets:
            get(port, page, cookie, None)
    timings = {page.name: Timings(page.path) for page in targets}
    for _ in range(requests):
        for page in targets:
            get(port, page, cookie, timings[page.name])
    return timings


def percentile(values: list[float], cut: int) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[cut - 1]


# --- Result -------------------------------------------------------------------------------


@dataclass
class Registry:
    """What the registry bench found: its JSON record, its errors (which make the run
    INVALID), and the lines to print in the report."""

    record: dict[str, Any]
    errors: dict[str, dict[str, int]] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)

    def print_report(self) -> None:
        for line in self.lines:
            print(line)
        if self.lines:
            print()


def ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def page_record(
    page: Page, timing: Timings, small: dict[str, Any], big: dict[str, Any]
) -> dict[str, Any]:
    served = timing.latencies
    p95 = percentile(served, 95)
    constant = small["queries"] == big["queries"]
    over = not p95 < TARGET_P95_MS / 1000
    verdict = "PASS" if constant and not over else "OVER" if constant else "GROWS"
    if over and not constant:
        verdict = "OVER, GROWS"
    return {
        "label": page.label,
        "path": page.path,
        "requests": len(served),
        "errors": sum(timing.errors.values()),
        "error_kinds": dict(timing.errors),
        "error_examples": timing.examples,
        "p50_ms": ms(percentile(served, 50)),
        "p95_ms": ms(p95),
        "max_ms": ms(max(served)) if served else None,
        "mean_ms": ms(statistics.fmean(served)) if served else None,
        "mean_body_bytes": timing.body_bytes // len(served) if served else 0,
        "results_small": small["result_count"],
        "results": big["result_count"],
        "queries_small": small["queries"],
        "queries": big["queries"],
        "queries_constant": constant,
        "in_process": {
            "sql_ms": big["sql_ms"],
            "query_ms": big["query_ms"],
            "slowest_query": big["slowest_query"],
            "explain_slowest": big.get("explain_slowest"),
        },
        "verdict": verdict,
    }


def import_record(found: dict[str, Any]) -> dict[str, Any]:
    if "error" in found:
        return {**found, "verdict": "ERROR"}
    verdict = "PASS" if found["seconds"] < TARGET_IMPORT_SECONDS else "OVER"
    return {**found, "target_seconds": TARGET_IMPORT_SECONDS, "verdict": verdict}


def report_lines(record: dict[str, Any]) -> list[str]:
    gen = record["generation"]
    lines = [
        f"registry: {record['people']:,} generated participants "
        f"({record['participants']:,} in all with the demo's), {record['database']}",
        f"  generated in {gen['seconds']:.1f} s (bulk_create, VACUUM ANALYZE included); "
        f"queries counted in-process at {record['small']:,} and {record['people']:,}",
        f"  {record['requests_per_page']} requests per page, one at a time, after "
        f"{WARMUP} warm-up, signed in as the Coordinator",
        "",
        f"{'page':<22} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'queries':>9} "
        f"{'results':>8} {'errors':>6}  p95 < {TARGET_P95_MS:.0f} ms",
    ]
    for row in record["pages"].values():
        queries = f"{row['queries_small']}->{row['queries']}"
        lines.append(
            f"{row['label']:<22} {row['p50_ms']:>8.1f} {row['p95_ms']:>8.1f} "
            f"{row['max_ms'] or 0:>8.1f} {queries:>9} {row['results'] or 0:>8,} "
            f"{row['errors']:>6}  {row['verdict']}"
        )
    lines += [
        "(queries: SQL queries per page at 1,000 -> 100,000 participants; GROWS if not equal)",
        "",
        f"{'import dry run':<22} {'rows':>7} {'create':>7} {'dupl.':>7} {'errors':>7} "
        f"{'seconds':>8} {'sql s':>7}  < {TARGET_IMPORT_SECONDS:.0f} s",
    ]
    for kind, row in record["import"].items():
        if "error" in row:
            lines.append(f"{kind:<22} ERROR: {row['error']}")
            continue
        lines.append(
            f"{kind + ' ' + format(row['file_bytes'] // 1024, ',') + ' KB':<22} "
            f"{row['rows']:>7,} {row['to_create']:>7,} {row['duplicates']:>7,} "
            f"{row['with_errors']:>7,} {row['seconds']:>8.2f} {row['sql_seconds']:>7.2f}  "
            f"{row['verdict']}"
        )
    for kind, row in record["import"].items():
        slowest = row.get("slowest_query")
        if row.get("verdict") == "OVER" and slowest:
            lines += [
                "",
                f"import {kind}: slowest query {slowest['ms']:,.0f} ms of {row['seconds']:.1f} s:",
                "  " + " ".join(slowest["sql"].split())[:600],
                "its plan (EXPLAIN, not run again):",
                *(f"  {line}" for line in slowest.get("explain", "").splitlines()[:30]),
            ]
    for row in record["pages"].values():
        explain = row["in_process"]["explain_slowest"]
        if row["verdict"] != "PASS" and explain:
            slowest = row["in_process"]["slowest_query"]
            lines += [
                "",
                f"{row['label']}: slowest query ({slowest['ms']:.1f} ms in-process), "
                "EXPLAIN ANALYZE:",
                *(f"  {line}" for line in explain.splitlines()),
            ]
    lines += ["", f"registry verdict: {record['verdict']}"]
    return lines


def uncommitted() -> list[str]:
    """Files of the application changed since the last commit (what was measured is
    the working tree), the bench's own left out."""
    done = subprocess.run(
        ["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    lines = done.stdout.splitlines() if done.returncode == 0 else ["(git status failed)"]
    return [line for line in lines if not line[3:].startswith("bench/")]


def write_record(record: dict[str, Any], stamp: datetime) -> Path:
    path = RESULTS_DIR / f"registry-{stamp:%Y%m%dT%H%M%SZ}.json"
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n")
    return path


# --- Main -----------------------------------------------------------------------------


def _measure(env: dict[str, str], port: int, database: str, work: Path) -> Registry:
    started = datetime.now(UTC)
    people = env_count("BENCH_REGISTRY_PEOPLE", 100_000)
    requests = env_count("BENCH_REGISTRY_REQUESTS", 50)
    import_rows = env_count("BENCH_REGISTRY_IMPORT_ROWS", 10_000)
    small = min(SMALL, people)
    targets = pages(people)
    listed = json.dumps([{"name": page.name, "path": page.path} for page in targets])

    say(f"generating {small:,} participants")
    first = django(env, "generate", "--upto", str(small), "--total", str(people))
    say(f"counting queries per page at {small:,}")
    at_small = django(env, "queries", "--pages", listed)["pages"]
    say(f"generating up to {people:,} participants")
    rest = django(env, "generate", "--upto", str(people), "--total", str(people))
    say(
        f"generated {first['created'] + rest['created']:,} in "
        f"{first['seconds'] + rest['seconds']:.1f} s; counting queries at {people:,}"
    )
    at_big = django(env, "queries", "--pages", listed, "--explain")
    say(f"signing in as {COORDINATOR_EMAIL}; {requests} requests per page")
    cookie = sign_in(port, env)
    timings = time_pages(port, cookie, targets, requests)
    say(f"import dry run of {import_rows:,} rows (CSV, then XLSX)")
    imports = django(
        env, "import", "--rows", str(import_rows), "--existing", str(people), "--dir", str(work)
    )

    errors: dict[str, dict[str, int]] = {}
    rows = {}
    for page in targets:
        small_row, big_row = at_small[page.name], at_big["pages"][page.name]
        rows[page.name] = page_record(page, timings[page.name], small_row, big_row)
        if timings[page.name].errors:
            errors[f"registry {page.name}"] = dict(timings[page.name].errors)
        for count, row in ((small, small_row), (people, big_row)):
            if row["status"] != 200 or not row["result_count"]:
                errors[f"registry {page.name} in-process at {count}"] = {
                    f"HTTP {row['status']}, {row['result_count']} results": 1
                }
    import_rows_found = {kind: import_record(found) for kind, found in imports.items()}
    for kind, found in import_rows_found.items():
        if "error" in found:
            errors[f"registry import {kind}"] = {found["error"]: 1}
    verdicts = [row["verdict"] for row in (*rows.values(), *import_rows_found.values())]
    record: dict[str, Any] = {
        "date": started.isoformat(timespec="seconds"),
        "database": database,
        "uncommitted_app_changes": uncommitted(),
        "people": people,
        "participants": at_big["participants"],
        "small": small,
        "generation": {
            "seconds": round(first["seconds"] + rest["seconds"], 2),
            "insert_seconds": round(first["insert_seconds"] + rest["insert_seconds"], 2),
            "method": "bulk_create in batches, ids from the sequence, no history rows; "
            "then VACUUM ANALYZE",
        },
        "requests_per_page": requests,
        "warmup_per_page": WARMUP,
        "target_p95_ms": TARGET_P95_MS,
        "target_import_seconds": TARGET_IMPORT_SECONDS,
        "pages": rows,
        "import": import_rows_found,
        "verdict": "PASS" if all(v == "PASS" for v in verdicts) else "OVER",
        "valid": not errors,
        "errors": errors,
    }
    path = write_record(record, started)
    say(f"results: {path.relative_to(ROOT)}")
    return Registry(record=record, errors=errors, lines=report_lines(record))


def measure_registry(env: dict[str, str], port: int, database: str) -> Registry:
    """The registry bench against the bench's database and server; never raises for
    a failed step (it is recorded as an error), only on Ctrl-C."""
    skipped = None
    if not database.startswith("postgresql"):
        skipped = "needs PostgreSQL"
    elif os.environ.get("BENCH_REGISTRY", "").strip() == "0":
        skipped = "BENCH_REGISTRY=0"
    if skipped:
        return Registry(
            record={"skipped": skipped, "database": database},
            lines=[f"registry bench: skipped ({skipped})"],
        )
    work = Path(tempfile.mkdtemp(prefix="belfaa-registry-"))
    try:
        return _measure(env, port, database, work)
    except RegistryError as error:
        say(f"failed: {error}")
        return Registry(
            record={"failed": str(error), "database": database},
            errors={"registry": {str(error)[:200]: 1}},
            lines=[f"registry bench FAILED: {error}"],
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)
