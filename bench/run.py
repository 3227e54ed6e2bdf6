"""`make bench`: what the public pages cost, measured with wrk against gunicorn in the
production configuration, each figure as a share of a bare view measured in the same
run, so the machine's speed and noise cancel out.

A run, in order (see the modules for each part):

1. database.py: a database of the run's own (PostgreSQL on the server DATABASE_URL
   names, with a unique name, dropped at the end even on failure or Ctrl-C; else a
   SQLite file, said plainly), migrated and seeded with the demo.
2. server.py: two gunicorns (2 sync workers each, DEBUG off, static collected, the
   settings of bench_settings.py): "cached" as production runs (the Redis cache when
   REDIS_URL is set, else local memory, said plainly), and "uncached" with no cache
   at all, to measure an activity page's database cost.
3. pageweight.py: the activity page and what it references, compressed (< 30 KB).
4. load.py: wrk (-t2 -c8 by default) on each target in rounds, the order reversed
   each round (bare, home, ..., sign-up; then sign-up, ..., bare) so noise hits all
   alike: /livez (the bare view: a constant through the whole middleware stack), the
   Arabic home page, the activity list, an activity page, the same page on the
   uncached server, and sign-ups (bench/wrk/signup.lua: distinct phones, CSRF cookie
   and token from a first visit; only a redirect to the person's page counts).
5. The sign-ups stored are counted in the database (each once, no over-booking); with
   REDIS_URL, the messages they queued on the run's own queue, then removed.
6. registry.py: the registry at scale (PostgreSQL only; BENCH_REGISTRY=0 skips it).
7. pac.py: the commune action plan report at scale (PostgreSQL only; BENCH_PAC=0 skips
   it). BENCH_ONLY=pac runs only it (after steps 1-2; no wrk, no registry).
8. report.py: the table (rps, p50/p99, server CPU per request, ratio to bare, target)
   printed and written to bench/results/<UTC time>.md with the machine and settings.

Settings (environment): BENCH_SECONDS per target and round (default 5), BENCH_ROUNDS
(3), BENCH_WARMUP seconds per target (2), BENCH_CONNECTIONS (8), BENCH_THREADS (2),
BENCH_PORTS (a LOW-HIGH range for the servers' ports; default any free port).
Exit 0 when the run is valid (the targets are informational), 1 when it saw errors
(its figures are not to be trusted), 2 when it could not run, 130 on Ctrl-C.
"""

import os
import shutil
import signal
import sys
import tempfile
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType

from database import (
    BenchError,
    Stored,
    bench_database,
    manage,
    redis_cleanup,
    redis_version,
    run_id,
    say,
    stored_signups,
)
from load import Figures, LoadError, Wrk, script, wrk_binary, wrk_version
from pac import measure_pac, pac_only_report
from pageweight import measure_page
from registry import measure_registry
from report import Context, report
from server import Server, bench_env, gunicorn
from web import SignupClient, excerpt, fetch, signup, signup_client, signup_form, signup_outcome

# A published demo activity with sign-up open, 80 seats some of which the demo takes:
# the sign-ups fill the rest, then join the waiting list.
EVENT_SLUG = "tournoi-football-amitie"
EVENT_PATH = f"/ar/events/{EVENT_SLUG}/"


@dataclass(frozen=True)
class Target:
    name: str
    path: str
    server: str  # "cached" or "uncached"
    script: str = "get"
    target_ratio: float | None = None


TARGETS = [
    Target("bare", "/livez", "cached"),
    Target("home", "/ar/", "cached", target_ratio=0.5),
    Target("list", "/ar/events/", "cached", target_ratio=0.3),
    Target("event", EVENT_PATH, "cached", target_ratio=0.4),
    Target("event_uncached", EVENT_PATH, "uncached", target_ratio=0.1),
    Target("signup", EVENT_PATH, "cached", script="signup"),
]
CHECK_PHONE = "+212699000000"  # the one sign-up made by hand first (run digit 9)
MAX_ROUNDS = 9  # the round is one digit of the sign-ups' phones


@dataclass(frozen=True)
class Config:
    seconds: float
    rounds: int
    warmup: float
    connections: int
    threads: int


def env_number(name: str, default: float, *, whole: bool = False, most: float = 1e9) -> float:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw) if whole else float(raw)
    except ValueError:
        raise BenchError(f"{name}={raw!r} is not a {'whole ' if whole else ''}number.") from None
    if not 0 < value <= most:
        raise BenchError(f"{name}={raw!r} must be above 0 and at most {most:g}.")
    return value


def read_config() -> Config:
    return Config(
        seconds=env_number("BENCH_SECONDS", 5.0, most=600),
        rounds=int(env_number("BENCH_ROUNDS", 3, whole=True, most=MAX_ROUNDS)),
        warmup=env_number("BENCH_WARMUP", 2.0, most=600),
        connections=int(env_number("BENCH_CONNECTIONS", 8, whole=True, most=1000)),
        threads=int(env_number("BENCH_THREADS", 2, whole=True, most=9)),
    )


def check_pages(servers: dict[str, Server]) -> SignupClient:
    """Every GET target answers 200 in Arabic; the activity page has its form, and one
    sign-up made by hand redirects to the person's page. The browser it used."""
    for target in TARGETS[1:5]:
        server = servers[target.server]
        status, body = fetch(server.port, target.path)
        if status != 200 or b'lang="ar"' not in body:
            raise BenchError(f"{target.path} ({server.name}) answered {status}:\n{excerpt(body)}")
    port = servers["cached"].port
    try:
        client = signup_client(port, EVENT_PATH)
    except ValueError as error:
        raise BenchError(f"sign-up: {error}") from None
    kind = signup_outcome(signup(port, EVENT_PATH, client, CHECK_PHONE))
    if kind is not None:
        raise BenchError(f"a sign-up by hand answered {kind}, not a redirect to the person's page")
    return client


def wrk_args(target: Target, client: SignupClient, round_digit: int) -> list[str]:
    if target.script != "signup":
        return []
    before, after = signup_form(client).split("PHONE")
    return [EVENT_PATH, f"csrftoken={client.cookie}", before, after, str(round_digit)]


def measure(
    servers: dict[str, Server], wrk: Wrk, config: Config, client: SignupClient, work: Path
) -> dict[str, Figures]:
    scripts = {name: script(name, work) for name in {t.script for t in TARGETS}}
    for target in TARGETS:
        if target.script == "get":  # sign-ups need no warm-up: the page is warm
            say(f"warm-up {target.name} {target.path} for {config.warmup:g} s")
            server = servers[target.server]
            wrk.run(server.port, target.path, config.warmup, scripts["get"], [])
            server.ensure_running()
    figures = {target.name: Figures(target.path) for target in TARGETS}
    for number in range(config.rounds):
        order = TARGETS if number % 2 == 0 else TARGETS[::-1]
        for target in order:
            server = servers[target.server]
            before = server.cpu_seconds()
            found = wrk.run(
                server.port,
                target.path,
                config.seconds,
                scripts[target.script],
                wrk_args(target, client, number),
            )
            after = server.cpu_seconds()
            server.ensure_running()
            cpu = None if before is None or after is None else after - before
            figures[target.name].add(found, cpu)
            row = figures[target.name]
            say(
                f"round {number + 1}/{config.rounds} {target.name:<15} "
                f"{row.rounds[-1]:8.1f} rps" + (f"  ({row.ok} sign-ups so far)" if row.ok else "")
            )
    return figures


def run(config: Config) -> int:
    started = datetime.now(UTC)
    load_before = os.getloadavg()
    binary = wrk_binary()
    wrk = Wrk(binary, config.threads, config.connections)
    run = run_id()
    with ExitStack() as cleanup:
        work = Path(tempfile.mkdtemp(prefix="belfaa-bench-"))
        cleanup.callback(shutil.rmtree, work, ignore_errors=True)
        env = bench_env(work, run)
        database = cleanup.enter_context(bench_database(env, run, work))
        redis = redis_version(env)
        queue: dict[str, int] = {}
        if redis is not None:  # after the servers stop, also on failure
            cleanup.callback(lambda: queue.update(redis_cleanup(env)))
        else:
            say(
                "REDIS_URL is not set: the cache is local memory in each worker "
                "(NOT the production configuration)"
            )
        manage(env, "collectstatic", "--noinput", "--verbosity", "0")
        manage(env, "migrate", "--noinput", "--verbosity", "0")
        manage(env, "seed_demo", "--force", "--verbosity", "0")
        servers = {
            "cached": cleanup.enter_context(gunicorn("cached", env, work)),
            "uncached": cleanup.enter_context(
                gunicorn("uncached", {**env, "BENCH_CACHE": "off"}, work)
            ),
        }
        db_label = f"{database.kind} {database.version}"
        if os.environ.get("BENCH_ONLY", "").strip() == "pac":
            pac = measure_pac(env, servers["cached"].port, db_label)
            return pac_only_report(pac, started, db_label)
        client = check_pages(servers)
        say(f"page weight of {EVENT_PATH}")
        weight = measure_page(servers["cached"].port, EVENT_PATH)
        say(
            f"wrk -t{config.threads} -c{config.connections}: {config.rounds} rounds of "
            f"{config.seconds:g} s per target"
        )
        figures = measure(servers, wrk, config, client, work)
        stored: Stored = stored_signups(env, EVENT_SLUG)
        registry = measure_registry(env, servers["cached"].port, db_label)
        pac = measure_pac(env, servers["cached"].port, db_label)
    context = Context(
        started=started,
        run=run,
        config=config.__dict__,
        database=database,
        redis=redis,
        wrk=wrk_version(binary),
        load_before=load_before,
    )
    return report(
        figures, TARGETS, stored, queue if redis else None, weight, registry, pac, context
    )


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt  # SIGTERM cleans up like Ctrl-C


def main() -> int:
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        return run(read_config())
    except (BenchError, LoadError) as error:
        print(f"bench failed: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(
            "bench interrupted: cleaned up (servers stopped, temporary files and database removed)",
            file=sys.stderr,
        )
        return 130


if __name__ == "__main__":
    sys.exit(main())
