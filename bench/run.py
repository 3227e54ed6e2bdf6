"""Benchmark: throughput and latency of the Arabic home page and of an Arabic activity
page against a bare view; sign-ups per second; the activity page's weight.

It starts gunicorn (2 sync workers, DEBUG off, a random SECRET_KEY, static collected)
on a free loopback port, against a throwaway database (a SQLite file in a temporary
directory, or, when DATABASE_URL names a PostgreSQL server, a separate database
`belfaa_bench` on that server, dropped at the end), migrated and seeded with the demo.
Then, in one run:

1. Page weight: it downloads the activity page (`/ar/events/<slug>/`, a demo activity
   with sign-up open) and everything it references, compressed as a browser asks
   (see pageweight.py), and sums the bytes against the target < 30 KB.
2. It loads `/livez` (the "bare" view: a constant `ok` through the whole middleware
   stack), `/ar/` (the public home page) and the activity page in alternating slices
   (bare, home, event, event, home, bare, ...) so machine noise hits all three, with a
   fixed number of concurrent clients.
3. Sign-ups: the same number of clients post the activity's sign-up form (each with
   its CSRF cookie and token, and a phone no one used) for BENCH_SECONDS. The first
   sign-ups take the free seats, the rest join the waiting list; both count, as both
   redirect to the person's own page. Anything else is an error, shown with an excerpt.
   The number of stored registrations is checked against the sign-ups counted. The
   per-address sign-up limit is raised for the bench's server (all clients are
   127.0.0.1). Skipped when REDIS_URL is set: the server would then queue a message
   task per sign-up on that shared Redis, for workers that read another database.
4. Registry at scale (bench/registry.py, PostgreSQL only): 100,000 generated people,
   the admin list, searches and filter (p95 and queries per page), a 10,000-row import
   dry run. On SQLite: "registry bench: skipped (needs PostgreSQL)".

How to read it: "rps" is served (200) requests per second; p50/p99 are latencies in
milliseconds as the client saw them (connect, request, whole body); "cpu ms" is
gunicorn's own CPU time per request, which the client's work and other programs
disturb less than rps. The targets are home_rps / bare_rps >= 0.5 and event_rps /
bare_rps >= 0.4: the pages reach that share of the bare view's throughput; and the
activity page with its resources weighs under 30 KB compressed. The verdicts are
informational (exit 0 either way); a run with errors (non-200 answers, a failed
sign-up, a resource that did not load) is flagged INVALID and exits 1; a bench that
could not run exits 2. Client and server share this machine's CPUs, so compare runs
made on the same, otherwise idle, machine (a busy one is warned about).

Settings (environment): BENCH_SECONDS (per target, and for sign-ups; default 10),
BENCH_WARMUP (per target, default 2), BENCH_CONCURRENCY (default 8), BENCH_SLICES (per
target, default 4). Results go to bench/results/home-vs-bare-<UTC timestamp>.json and
latest.json.
"""

import json
import math
import os
import platform
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from types import FrameType
from urllib.parse import urlsplit, urlunsplit

from loadgen import (
    HOST,
    Phones,
    Sample,
    SignupClient,
    Summary,
    excerpt,
    fetch,
    run_signup_slice,
    run_slice,
    signup,
    signup_client,
    signup_outcome,
    summarize,
)
from pageweight import GZIP_LEVEL, PageWeight, measure_page
from registry import Registry, measure_registry  # registry at scale (bench/registry.py)

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = ROOT / "bench" / "results"
BIN_DIR = Path(sys.executable).parent  # the venv's bin: python, gunicorn
WORKERS = 2
# A published demo activity with sign-up open, 80 seats some of which the demo takes:
# the sign-ups fill the rest, then join the waiting list.
EVENT_SLUG = "tournoi-football-amitie"
EVENT_PATH = f"/ar/events/{EVENT_SLUG}/"
TARGETS = {"bare": "/livez", "home": "/ar/", "event": EVENT_PATH}
TARGET_RATIO = 0.5
TARGET_RATIO_EVENT = 0.40
TARGET_WEIGHT_BYTES = 30 * 1024
# All the bench's clients are 127.0.0.1: the per-address limit must not stop them.
SIGNUP_RATE_LIMIT = "1000000"
BENCH_DATABASE = "belfaa_bench"
POSTGRES_SCHEMES = {"postgres", "postgresql", "pgsql"}
START_TIMEOUT = 30.0  # seconds for gunicorn to answer /livez
STOP_TIMEOUT = 10.0  # seconds for gunicorn to stop on SIGTERM before SIGKILL
# Everything settings.py (or gunicorn) reads that would make the run less like
# production or point it at a real database; the bench sets its own values.
STRIPPED_ENV = {
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "HTTPS",
    "TRUSTED_PROXY_COUNT",
    "HSTS_SECONDS",
    "HSTS_INCLUDE_SUBDOMAINS",
    "HSTS_PRELOAD",
    "DATABASE_URL",
    "VAR_DIR",
    "SMTP_HOST",
    "DJANGO_SETTINGS_MODULE",
    "GUNICORN_CMD_ARGS",
    "WEB_CONCURRENCY",
    "EVENTS_SIGNUP_RATE_LIMIT",
    "EVENTS_SIGNUP_RATE_WINDOW",
}


class BenchError(Exception):
    """The bench itself could not run (setup, database or server failure)."""


@dataclass(frozen=True)
class Config:
    seconds: float
    warmup: float
    concurrency: int
    slices: int


def env_number[T: (int, float)](name: str, default: T, cast: Callable[[str], T]) -> T:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = cast(raw)
    except ValueError:
        raise BenchError(f"{name}={raw!r} is not a number.") from None
    if not 0 < value < math.inf:
        raise BenchError(f"{name}={raw!r} must be a finite number above 0.")
    return value


def read_config() -> Config:
    return Config(
        seconds=env_number("BENCH_SECONDS", 10.0, float),
        warmup=env_number("BENCH_WARMUP", 2.0, float),
        concurrency=env_number("BENCH_CONCURRENCY", 8, int),
        slices=env_number("BENCH_SLICES", 4, int),
    )


def say(message: str) -> None:
    print(f"bench: {message}", flush=True)


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt  # SIGTERM cleans up like Ctrl-C


# --- Environment and database ---------------------------------------------


def bench_env(var_dir: Path) -> dict[str, str]:
    """Production-like settings for the run; REDIS_URL passes through only if set."""
    env = {key: value for key, value in os.environ.items() if key not in STRIPPED_ENV}
    env.update(
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=HOST,
        VAR_DIR=str(var_dir),
        DJANGO_SETTINGS_MODULE="belfaa.settings",
        PYTHONUNBUFFERED="1",
        EVENTS_SIGNUP_RATE_LIMIT=SIGNUP_RATE_LIMIT,
    )
    return env


def with_database(url: str, name: str, scheme: str | None = None) -> str:
    """The same server URL naming another database (and, if given, another scheme)."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(scheme=scheme or parts.scheme, path=f"/{name}"))


def postgres_url() -> str | None:
    """DATABASE_URL when it names a PostgreSQL server; None means use a SQLite file."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        say("DATABASE_URL is SQLite: left alone, the bench uses its own SQLite file")
        return None
    if parts.scheme not in POSTGRES_SCHEMES:
        raise BenchError(f"DATABASE_URL scheme {parts.scheme!r} is not PostgreSQL or SQLite.")
    if parts.path.strip("/") == BENCH_DATABASE:
        raise BenchError(
            f"DATABASE_URL names {BENCH_DATABASE!r}, the database the bench drops; "
            "point it at your real database instead."
        )
    return url


def _recreate(maintenance_url: str, create: bool) -> str:
    """Drop (and create) the bench database; returns the server version."""
    import psycopg
    from psycopg import sql

    name = sql.Identifier(BENCH_DATABASE)
    try:
        with psycopg.connect(maintenance_url, autocommit=True, connect_timeout=10) as conn:
            major = conn.info.server_version // 10000
            drop = "DROP DATABASE IF EXISTS {}" + (" WITH (FORCE)" if major >= 13 else "")
            conn.execute(sql.SQL(drop).format(name))
            if create:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(name))
            row = conn.execute("SHOW server_version").fetchone()
            return str(row[0]) if row else "unknown"
    except psycopg.Error as error:
        raise BenchError(f"PostgreSQL: {error}".strip()) from None


@contextmanager
def bench_database(env: dict[str, str]) -> Iterator[str]:
    """Point env at a throwaway database for the run; yields what kind it is."""
    url = postgres_url()
    if url is None:
        yield "sqlite"
        return
    maintenance = with_database(url, "postgres", scheme="postgresql")
    server = _recreate(maintenance, create=True)
    env["DATABASE_URL"] = with_database(url, BENCH_DATABASE)
    say(f"database {BENCH_DATABASE!r} created on {urlsplit(url).hostname} (PostgreSQL {server})")
    try:
        yield f"postgresql {server}"
    finally:
        _recreate(maintenance, create=False)
        say(f"database {BENCH_DATABASE!r} dropped")


def manage(env: dict[str, str], *args: str) -> str:
    """Run a management command; its output."""
    say("manage.py " + " ".join(arg for arg in args if "\n" not in arg))
    done = subprocess.run(
        [str(BIN_DIR / "python"), "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise BenchError(f"manage.py {args[0]} failed:\n{(done.stdout + done.stderr)[-3000:]}")
    return done.stdout


# The activity's capacity and confirmed sign-ups (all, the demo's too), and the bench's
# registrations (phones +21269...) by status, as JSON.
STORED_QUERY = """
import json
from django.db.models import Count
from events.models import Event, Registration
event = Event.objects.get(slug={slug!r})
mine = (
    Registration.objects.filter(event=event, phone__startswith="+21269")
    .values_list("status")
    .annotate(n=Count("pk"))
    .order_by()
)
confirmed = event.registrations.filter(status="confirmed", walk_in=False).count()
print(json.dumps({{"capacity": event.capacity, "confirmed": confirmed, "bench": dict(mine)}}))
"""


@dataclass(frozen=True)
class Stored:
    """What the database holds after the sign-ups."""

    capacity: int
    confirmed_all: int  # the demo's confirmed sign-ups included
    by_status: dict[str, int]  # the bench's registrations only


def stored_signups(env: dict[str, str]) -> Stored:
    """The bench's registrations by status, and the activity's seats."""
    out = manage(
        env,
        "shell",
        "--no-imports",
        "--verbosity",
        "0",
        "--command",
        STORED_QUERY.format(slug=EVENT_SLUG),
    )
    try:
        counts = json.loads(out.strip().splitlines()[-1])
        return Stored(
            capacity=int(counts["capacity"]),
            confirmed_all=int(counts["confirmed"]),
            by_status={str(status): int(n) for status, n in counts["bench"].items()},
        )
    except (IndexError, ValueError, KeyError, TypeError, AttributeError):
        raise BenchError(f"could not count the stored sign-ups: {out[-500:]!r}") from None


# --- Server -----------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def log_tail(log: Path) -> str:
    return log.read_text(errors="replace")[-3000:] if log.exists() else "(no log)"


@contextmanager
def gunicorn(env: dict[str, str], port: int, log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """gunicorn in its own session (Ctrl-C is ours to handle), stopped on the way out."""
    command = [
        str(BIN_DIR / "gunicorn"),
        "belfaa.wsgi",
        "--workers",
        str(WORKERS),
        "--worker-class",
        "sync",
        "--bind",
        f"{HOST}:{port}",
        # Its own control socket: the default (~/.gunicorn) is shared with `make serve`.
        "--control-socket",
        str(log.parent / "gunicorn.ctl"),
    ]
    with log.open("wb") as out:
        proc = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=out, start_new_session=True
        )
    say(f"gunicorn pid {proc.pid} on http://{HOST}:{port} ({WORKERS} sync workers)")
    try:
        yield proc
    finally:
        stop(proc)


def stop(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM (graceful), SIGKILL after STOP_TIMEOUT; then any orphaned worker goes too."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    with suppress(ProcessLookupError):  # its own group: only what this gunicorn started
        os.killpg(proc.pid, signal.SIGKILL)
    say("gunicorn stopped")


def server_cpu_seconds(proc: subprocess.Popen[bytes]) -> float | None:
    """CPU time (user + system) used so far by gunicorn's master and live workers.

    Linux only (/proc); None elsewhere. A worker that dies takes its time with it,
    which a run without errors does not see."""
    clock = os.sysconf("SC_CLK_TCK")
    try:
        children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
        total = 0
        for pid in [str(proc.pid), *children]:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime in clock ticks
    except (OSError, IndexError, ValueError):
        return None
    return total / clock


def ensure_running(proc: subprocess.Popen[bytes], log: Path) -> None:
    if proc.poll() is not None:
        raise BenchError(f"gunicorn exited with {proc.returncode}:\n{log_tail(log)}")


def wait_until_live(proc: subprocess.Popen[bytes], port: int, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        ensure_running(proc, log)
        try:
            if fetch(port, TARGETS["bare"]) == (200, b"ok"):
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise BenchError(f"/livez did not answer within {START_TIMEOUT:.0f} s:\n{log_tail(log)}")


def check_targets(port: int, log: Path) -> None:
    """The pages answer as expected (/livez was checked by waiting for it)."""
    status, body = fetch(port, TARGETS["home"])
    if status != 200 or b'lang="ar"' not in body:
        raise BenchError(
            f"{TARGETS['home']} answered {status}, not the Arabic home page:\n"
            f"{body[:500]!r}\n{log_tail(log)}"
        )
    status, body = fetch(port, TARGETS["event"])
    if status != 200 or b'lang="ar"' not in body or b"csrfmiddlewaretoken" not in body:
        raise BenchError(
            f"{TARGETS['event']} answered {status}, not the Arabic activity page with its "
            f"sign-up form:\n{excerpt(body)}\n{log_tail(log)}"
        )


# --- Measurement --------------------------------------------------------------


def slice_order(slices: int) -> list[str]:
    """bare, home, event, event, home, bare...: each target leads and trails equally."""
    order: list[str] = []
    for index in range(slices):
        names = list(TARGETS)
        order.extend(names if index % 2 == 0 else reversed(names))
    return order


def measure(
    proc: subprocess.Popen[bytes], port: int, log: Path, config: Config
) -> tuple[dict[str, Sample], dict[str, float | None]]:
    """The combined samples per target, and the server CPU seconds they cost."""
    for name, path in TARGETS.items():
        say(f"warm-up {name} {path} for {config.warmup:g} s")
        run_slice(port, path, config.concurrency, config.warmup)
        ensure_running(proc, log)
    samples = {name: Sample(path) for name, path in TARGETS.items()}
    cpu: dict[str, float | None] = dict.fromkeys(TARGETS, 0.0)
    order = slice_order(config.slices)
    for number, name in enumerate(order, start=1):
        before = server_cpu_seconds(proc)
        part = run_slice(port, TARGETS[name], config.concurrency, config.seconds / config.slices)
        after = server_cpu_seconds(proc)
        ensure_running(proc, log)
        spent = cpu[name]
        cpu[name] = (
            None if spent is None or before is None or after is None else spent + after - before
        )
        errors = sum(part.errors.values())
        say(
            f"slice {number}/{len(order)} {name:<5} {len(part.latencies) / part.seconds:8.1f} rps"
            + (f"  {errors} errors" if errors else "")
        )
        samples[name].add(part)
    return samples, cpu


@dataclass
class Signups:
    """What the sign-up load produced; `skipped` says why there was none."""

    sample: Sample
    warmup: Sample
    cpu: float | None = None
    attempts: int = 0
    stored: Stored | None = None
    skipped: str | None = None


def signup_clients(port: int, log: Path, count: int) -> list[SignupClient]:
    """`count` browsers, each with its CSRF cookie and token; one sign-up checks them."""
    try:
        clients = [signup_client(port, EVENT_PATH) for _ in range(count)]
    except ValueError as error:
        raise BenchError(f"sign-up: {error}\n{log_tail(log)}") from None
    return clients


def check_signup(port: int, log: Path, client: SignupClient, phones: Phones) -> None:
    response = signup(port, EVENT_PATH, client, phones.next())
    kind = signup_outcome(response)
    if kind is not None:
        raise BenchError(
            f"a sign-up to {EVENT_PATH} answered {kind}, not a redirect to the registration:"
            f"\n{excerpt(response.body)}\n{log_tail(log)}"
        )


def measure_signups(proc: subprocess.Popen[bytes], port: int, log: Path, config: Config) -> Signups:
    """Sign-ups for config.seconds after a warm-up, in one stretch: a sign-up takes long
    enough that slices' tails (clients finishing their last request) would skew it."""
    if os.environ.get("REDIS_URL"):
        reason = "REDIS_URL is set: each sign-up would queue a task on that shared Redis"
        say(f"sign-ups skipped: {reason}")
        return Signups(Sample(EVENT_PATH), Sample(EVENT_PATH), skipped=reason)
    phones = Phones()
    clients = signup_clients(port, log, config.concurrency)
    check_signup(port, log, clients[0], phones)
    say(f"warm-up sign-ups POST {EVENT_PATH} for {config.warmup:g} s")
    warmup = run_signup_slice(port, EVENT_PATH, clients, phones, config.warmup)
    ensure_running(proc, log)
    say(f"sign-ups POST {EVENT_PATH} for {config.seconds:g} s")
    before = server_cpu_seconds(proc)
    sample = run_signup_slice(port, EVENT_PATH, clients, phones, config.seconds)
    after = server_cpu_seconds(proc)
    ensure_running(proc, log)
    errors = sum(sample.errors.values())
    say(
        f"sign-ups {len(sample.latencies) / sample.seconds:8.1f} /s"
        + (f"  {errors} errors" if errors else "")
    )
    cpu = None if before is None or after is None else after - before
    return Signups(sample, warmup, cpu=cpu, attempts=phones.issued)


# --- Report -------------------------------------------------------------------


def warn_if_busy() -> float:
    """The 1-minute load average; other work on the machine skews the figures."""
    load, cpus = os.getloadavg()[0], os.cpu_count() or 1
    if load > cpus / 2:
        say(
            f"warning: load average {load:.1f} on {cpus} CPUs before the run: figures will be noisy"
        )
    return round(load, 2)


def git(*args: str) -> str:
    done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
    return done.stdout.strip() if done.returncode == 0 else "unknown"


def print_table(summaries: dict[str, Summary], cpu_ms: dict[str, float | None]) -> None:
    width = max(7, *(len(row.path) for row in summaries.values()))
    print()
    print(
        f"{'target':<7} {'path':<{width}} {'requests':>9} {'errors':>7} {'rps':>9} "
        f"{'p50 ms':>8} {'p99 ms':>8} {'cpu ms':>7}"
    )
    for name, row in summaries.items():
        cpu = cpu_ms[name]
        print(
            f"{name:<7} {row.path:<{width}} {row.requests:>9} {row.errors:>7} {row.rps:>9.1f} "
            f"{row.p50_ms:>8.2f} {row.p99_ms:>8.2f} {'n/a' if cpu is None else f'{cpu:.2f}':>7}"
        )
    print("(cpu ms: gunicorn's CPU time per served request, the client's excluded;")
    print(" for signup: per successful sign-up, rps = sign-ups per second)")
    print()


def print_errors(name: str, row: Summary) -> None:
    for kind, count in row.error_kinds.items():
        example = row.error_examples.get(kind, "")
        print(f"  {name}: {count} x {kind}" + (f": {example}" if example else ""))


def print_weight(weight: PageWeight) -> str:
    """The resources and their sizes, the total against the target; the verdict."""
    total = weight.total_bytes
    verdict = "PASS" if total < TARGET_WEIGHT_BYTES else "OVER"
    print(f"page weight of {weight.path} (bodies as transferred, headers excluded):")
    for resource in weight.resources:
        how = (
            f"gzip -{GZIP_LEVEL} here; server sent it uncompressed"
            if resource.estimated
            else resource.encoding
        )
        print(
            f"  {resource.bytes:>8,} B  {resource.kind:<11} {resource.url}  "
            f"({how}; {resource.uncompressed_bytes:,} B uncompressed, {resource.content_type})"
        )
    for url in weight.external:
        print(f"  {'':>8}    external, not fetched: {url}")
    for error in weight.errors:
        print(f"  FAILED: {error}")
    print(
        f"  {total:>8,} B  total ({total / 1024:.1f} KB)   "
        f"target < {TARGET_WEIGHT_BYTES // 1024} KB: {verdict}"
    )
    return verdict


def weight_record(weight: PageWeight, verdict: str) -> dict[str, object]:
    html_estimated = any(resource.estimated for resource in weight.resources)
    return {
        "path": weight.path,
        "total_bytes": weight.total_bytes,
        "target_bytes": TARGET_WEIGHT_BYTES,
        "verdict": verdict,
        "html_compressed_by_server": not html_estimated,
        "note": (
            f"HTML sent uncompressed by the server: its size is gzip level {GZIP_LEVEL} "
            "computed locally"
            if html_estimated
            else "all sizes as transferred"
        )
        + "; response bodies only, headers excluded",
        "resources": [asdict(resource) for resource in weight.resources],
        "external_not_fetched": weight.external,
        "errors": weight.errors,
    }


def signups_record(
    signups: Signups, row: Summary | None, cpu_ms: float | None, warmup: Summary | None
) -> dict[str, object]:
    if signups.skipped or row is None or warmup is None:
        return {"path": EVENT_PATH, "skipped": signups.skipped}
    return {
        **asdict(row),
        "signups_per_second": row.rps,
        "server_cpu_ms_per_signup": cpu_ms,
        "attempts": signups.attempts,
        "warmup": {
            "seconds": warmup.seconds,
            "signups": warmup.requests,
            "errors": warmup.errors,
            "error_kinds": warmup.error_kinds,
            "error_examples": warmup.error_examples,
        },
        "stored_by_status": signups.stored.by_status if signups.stored else None,
        "stored_matches_signups": stored_matches(signups, row, warmup),
        "capacity": signups.stored.capacity if signups.stored else None,
        "confirmed_after": signups.stored.confirmed_all if signups.stored else None,
    }


def stored_matches(signups: Signups, row: Summary, warmup: Summary) -> bool:
    """Every counted sign-up (and the check's one) stored once, nothing else stored."""
    counted = 1 + warmup.requests + row.requests
    return signups.stored is not None and sum(signups.stored.by_status.values()) == counted


def write_results(record: dict[str, object], stamp: datetime) -> Path:
    text = json.dumps(record, indent=2, ensure_ascii=False) + "\n"
    path = RESULTS_DIR / f"home-vs-bare-{stamp:%Y%m%dT%H%M%SZ}.json"
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    (RESULTS_DIR / "latest.json").write_text(text)
    return path


def cpu_per_request(cpu: float | None, sample: Sample) -> float | None:
    return None if cpu is None else round(cpu / len(sample.latencies) * 1000, 4)


def cpu_ratio_to(cpu_ms: dict[str, float | None], name: str) -> float | None:
    page_cpu, bare_cpu = cpu_ms[name], cpu_ms["bare"]
    return bare_cpu / page_cpu if page_cpu and bare_cpu else None


def report(
    measured: tuple[dict[str, Sample], dict[str, float | None]],
    signups: Signups,
    weight: PageWeight,
    context: tuple[str, Config, datetime, float],
    registry: Registry | None = None,
) -> int:
    database, config, started, load_before = context
    samples, cpu = measured
    for sample in samples.values():
        if not sample.latencies:
            raise BenchError(f"no request to {sample.path} was served: {dict(sample.errors)}")
    summaries = {name: summarize(sample) for name, sample in samples.items()}
    cpu_ms = {name: cpu_per_request(cpu[name], sample) for name, sample in samples.items()}
    ratio = summaries["home"].rps / summaries["bare"].rps
    cpu_ratio = cpu_ratio_to(cpu_ms, "home")
    event_ratio = summaries["event"].rps / summaries["bare"].rps
    event_cpu_ratio = cpu_ratio_to(cpu_ms, "event")
    signup_row = signup_warmup = None
    signup_cpu = None
    table = dict(summaries)
    if not signups.skipped:
        signup_row, signup_warmup = summarize(signups.sample), summarize(signups.warmup)
        signup_cpu = cpu_per_request(signups.cpu, signups.sample) if signup_row.requests else None
        table["signup"] = signup_row
    errors = {name: row.error_kinds for name, row in table.items() if row.errors}
    if signup_warmup is not None and signup_warmup.errors:
        errors["signup warm-up"] = signup_warmup.error_kinds
    verdict = "PASS" if ratio >= TARGET_RATIO else "BELOW TARGET"
    event_verdict = "PASS" if event_ratio >= TARGET_RATIO_EVENT else "BELOW TARGET"
    print_table(table, {**cpu_ms, "signup": signup_cpu})
    print(f"home_rps / bare_rps = {ratio:.3f}   target >= {TARGET_RATIO:.2f}: {verdict}")
    if cpu_ratio is not None:
        print(f"bare_cpu / home_cpu = {cpu_ratio:.3f}   (the same ratio, server CPU alone)")
    print(
        f"event_rps / bare_rps = {event_ratio:.3f}   "
        f"target >= {TARGET_RATIO_EVENT:.2f}: {event_verdict}"
    )
    if event_cpu_ratio is not None:
        print(f"bare_cpu / event_cpu = {event_cpu_ratio:.3f}   (the same ratio, server CPU alone)")
    print()
    if signup_row is None or signup_warmup is None:
        print(f"sign-ups: skipped ({signups.skipped})")
    else:
        stored = signups.stored.by_status if signups.stored else {}
        print(
            f"sign-ups: {signup_row.rps:.1f} /s   p50 {signup_row.p50_ms:.2f} ms   "
            f"p99 {signup_row.p99_ms:.2f} ms   ({signup_row.requests} in "
            f"{signup_row.seconds:.1f} s, {signups.attempts} attempts with the warm-up; "
            "stored now: "
            + ", ".join(f"{count} {status}" for status, count in sorted(stored.items()))
            + ")"
        )
        if not stored_matches(signups, signup_row, signup_warmup):
            errors["signup storage"] = {"stored != counted": 1}
            print(
                f"  stored {sum(stored.values())} registrations, counted "
                f"{1 + signup_warmup.requests + signup_row.requests} sign-ups (check included)"
            )
        if signups.stored:
            seats = f"{signups.stored.confirmed_all} of {signups.stored.capacity} seats confirmed"
            if signups.stored.confirmed_all > signups.stored.capacity:
                errors["signup capacity"] = {"overbooked": 1}
                seats += ": OVERBOOKED"
            print(f"  activity now: {seats} (the demo's sign-ups included)")
        print_errors("signup", signup_row)
        print_errors("signup warm-up", signup_warmup)
    print()
    weight_verdict = print_weight(weight)
    if weight.errors:
        errors["page weight"] = {error: 1 for error in weight.errors}
    print()
    # --- Registry at scale (bench/registry.py) ---
    if registry is not None:
        registry.print_report()
        errors.update(registry.errors)
    # --- end registry ---
    for name in summaries:
        print_errors(name, summaries[name])
    for name, kinds in errors.items():
        print(f"INVALID RUN: {name} had errors {kinds}: do not trust these figures")
    record: dict[str, object] = {
        "date": started.isoformat(timespec="seconds"),
        "git_commit": git("rev-parse", "--short", "HEAD"),
        "git_dirty": bool(git("status", "--porcelain")),
        "database": database,
        "redis": bool(os.environ.get("REDIS_URL")),
        "server": f"gunicorn {version('gunicorn')}, {WORKERS} sync workers",
        "concurrency": config.concurrency,
        "seconds_per_target": config.seconds,
        "warmup_seconds_per_target": config.warmup,
        "slices_per_target": config.slices,
        "python": platform.python_version(),
        "django": version("django"),
        "cpus": os.cpu_count(),
        "load_average_1min": {"before": load_before, "after": round(os.getloadavg()[0], 2)},
        "targets": {
            name: {**asdict(row), "server_cpu_ms_per_request": cpu_ms[name]}
            for name, row in summaries.items()
        },
        "ratio_home_to_bare": round(ratio, 4),
        "cpu_ratio_bare_to_home": None if cpu_ratio is None else round(cpu_ratio, 4),
        "target_ratio": TARGET_RATIO,
        "verdict": verdict,
        "valid": not errors,
        "event_slug": EVENT_SLUG,
        "ratio_event_to_bare": round(event_ratio, 4),
        "cpu_ratio_bare_to_event": None if event_cpu_ratio is None else round(event_cpu_ratio, 4),
        "target_ratio_event": TARGET_RATIO_EVENT,
        "verdict_event": event_verdict,
        "signups": signups_record(signups, signup_row, signup_cpu, signup_warmup),
        "page_weight": weight_record(weight, weight_verdict),
        "registry": registry.record if registry is not None else None,  # bench/registry.py
        "errors": errors,
    }
    path = write_results(record, started)
    print(f"results: {path.relative_to(ROOT)} (and latest.json)")
    return 1 if errors else 0


# --- Main -----------------------------------------------------------------------


def run(config: Config) -> int:
    started = datetime.now(UTC)
    load_before = warn_if_busy()
    with ExitStack() as cleanup:
        var_dir = Path(tempfile.mkdtemp(prefix="belfaa-bench-"))
        cleanup.callback(shutil.rmtree, var_dir, ignore_errors=True)
        env = bench_env(var_dir)
        database = cleanup.enter_context(bench_database(env))
        manage(env, "collectstatic", "--noinput", "--verbosity", "0")
        manage(env, "migrate", "--noinput", "--verbosity", "0")
        manage(env, "seed_demo", "--force")
        port, log = free_port(), var_dir / "gunicorn.log"
        proc = cleanup.enter_context(gunicorn(env, port, log))
        wait_until_live(proc, port, log)
        check_targets(port, log)
        say(f"page weight of {EVENT_PATH}")
        weight = measure_page(port, EVENT_PATH)
        say(
            f"measuring {config.seconds:g} s per target in {config.slices} slices each, "
            f"concurrency {config.concurrency}"
        )
        measured = measure(proc, port, log, config)
        signups = measure_signups(proc, port, log, config)
        if not signups.skipped:
            signups.stored = stored_signups(env)
        # --- Registry at scale (bench/registry.py): PostgreSQL only, last -------------
        registry = measure_registry(env, port, database)
        # --- end registry ---
    return report(measured, signups, weight, (database, config, started, load_before), registry)


def main() -> int:
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        return run(read_config())
    except BenchError as error:
        print(f"bench failed: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(
            "bench interrupted: cleaned up (server stopped, temporary files and database removed)",
            file=sys.stderr,
        )
        return 130


if __name__ == "__main__":
    sys.exit(main())
