"""The run's own database and Redis keys: a PostgreSQL database with a unique name
(created on the server DATABASE_URL names, dropped afterwards, also on failure or
Ctrl-C), or a SQLite file in the run's temporary directory; what the sign-ups stored;
and, with REDIS_URL, the run's queue and cache keys, counted and removed."""

import json
import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BIN_DIR = Path(sys.executable).parent  # the venv's bin: python, gunicorn
POSTGRES_SCHEMES = {"postgres", "postgresql", "pgsql"}
PREFIX = "belfaa_bench_"


class BenchError(Exception):
    """The bench itself could not run (setup, database or server failure)."""


def say(message: str) -> None:
    print(f"bench: {message}", flush=True)


def run_id() -> str:
    """Unique per run, so two runs never share a database, a queue or cache keys."""
    return f"{datetime.now(UTC):%Y%m%d%H%M%S}_{secrets.token_hex(3)}"


def with_database(url: str, name: str, scheme: str | None = None) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(scheme=scheme or parts.scheme, path=f"/{name}"))


def postgres_url() -> str | None:
    """DATABASE_URL when it names a PostgreSQL server; None means a SQLite file."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url or urlsplit(url).scheme == "sqlite":
        return None
    if urlsplit(url).scheme not in POSTGRES_SCHEMES:
        raise BenchError(
            f"DATABASE_URL scheme {urlsplit(url).scheme!r} is not PostgreSQL or SQLite."
        )
    return url


def _admin(url: str, statement: str) -> str:
    """Run CREATE/DROP DATABASE from the server's `postgres` database (or, if that one
    is not reachable, the database DATABASE_URL names); returns the server version."""
    import psycopg

    last: Exception | None = None
    for name in ("postgres", urlsplit(url).path.strip("/")):
        try:
            target = with_database(url, name, scheme="postgresql")
            with psycopg.connect(target, autocommit=True, connect_timeout=10) as conn:
                if statement:
                    conn.execute(statement)
                row = conn.execute("SHOW server_version").fetchone()
                return str(row[0]).split(" ")[0] if row else "unknown"
        except psycopg.OperationalError as error:
            last = error
        except psycopg.Error as error:
            raise BenchError(f"PostgreSQL: {error}".strip()) from None
    raise BenchError(f"PostgreSQL: {last}".strip())


@dataclass(frozen=True)
class Database:
    kind: str  # "postgresql" or "sqlite"
    version: str
    name: str


@contextmanager
def bench_database(env: dict[str, str], run: str, var_dir: Path) -> Iterator[Database]:
    """Point env at a database of the run's own; removed on the way out."""
    url = postgres_url()
    if url is None:
        import sqlite3

        env.pop("DATABASE_URL", None)  # settings then use VAR_DIR, the run's own
        say(
            "DATABASE_URL is not PostgreSQL: using a SQLite file of the run's own "
            "(NOT the production configuration)"
        )
        yield Database("sqlite", sqlite3.sqlite_version, str(var_dir / "belfaa.sqlite3"))
        return
    name = PREFIX + run
    version = _admin(url, f'CREATE DATABASE "{name}"')
    env["DATABASE_URL"] = with_database(url, name)
    say(f"database {name} created on {urlsplit(url).hostname} (PostgreSQL {version})")
    try:
        yield Database("postgresql", version, name)
    finally:
        major = int(version.split(".")[0]) if version.split(".")[0].isdigit() else 0
        force = " WITH (FORCE)" if major >= 13 else ""
        _admin(url, f'DROP DATABASE IF EXISTS "{name}"{force}')
        say(f"database {name} dropped")


def manage(env: dict[str, str], *args: str, quiet: bool = False) -> str:
    """Run a management command with the bench's settings; its output."""
    if not quiet:
        say("manage.py " + " ".join(args))
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


def shell_json(env: dict[str, str], code: str) -> dict[str, object]:
    out = manage(env, "shell", "--no-imports", "--verbosity", "0", "--command", code, quiet=True)
    try:
        found: dict[str, object] = json.loads(out.strip().splitlines()[-1])
    except (IndexError, ValueError):
        raise BenchError(f"could not read what the database holds: {out[-500:]!r}") from None
    return found


# The activity's capacity and confirmed sign-ups (the demo's too), the bench's
# registrations (phones +21269...) by status, and their distinct phones.
STORED_QUERY = """
import json
from django.db.models import Count
from events.models import Event, Registration
event = Event.objects.get(slug={slug!r})
mine = Registration.objects.filter(event=event, phone__startswith="+21269")
by_status = dict(mine.values_list("status").annotate(n=Count("pk")).order_by())
confirmed = event.registrations.filter(status="confirmed", walk_in=False).count()
print(json.dumps({{"capacity": event.capacity, "confirmed": confirmed, "by_status": by_status,
    "phones": mine.values("phone").distinct().count()}}))
"""


@dataclass(frozen=True)
class Stored:
    capacity: int
    confirmed_all: int  # the demo's confirmed sign-ups included
    by_status: dict[str, int]  # the bench's registrations only
    phones: int  # distinct phones among them

    @property
    def total(self) -> int:
        return sum(self.by_status.values())

    @property
    def overbooked(self) -> bool:
        return self.confirmed_all > self.capacity


def stored_signups(env: dict[str, str], slug: str) -> Stored:
    found = shell_json(env, STORED_QUERY.format(slug=slug))
    try:
        return Stored(
            capacity=int(found["capacity"]),  # type: ignore[call-overload]
            confirmed_all=int(found["confirmed"]),  # type: ignore[call-overload]
            by_status={str(k): int(v) for k, v in dict(found["by_status"]).items()},  # type: ignore[call-overload]
            phones=int(found["phones"]),  # type: ignore[call-overload]
        )
    except (KeyError, TypeError, ValueError):
        raise BenchError(f"could not count the stored sign-ups: {found!r}") from None


# With REDIS_URL: how many messages the run's sign-ups queued (on the run's own queue,
# see bench_settings.py), then that queue and the run's cache keys are removed.
REDIS_CLEANUP = """
import json
from django.conf import settings
from belfaa.celery import app
queued = 0
with app.connection_for_write() as conn:
    channel = conn.default_channel
    queued = channel.queue_purge(settings.CELERY_TASK_DEFAULT_QUEUE) or 0
    channel.queue_delete(settings.CELERY_TASK_DEFAULT_QUEUE)
import redis
keys = 0
if settings.CELERY_BROKER_URL.startswith("redis"):  # kombu's bindings of the run's queue
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    pattern = "_kombu.binding*." + settings.CELERY_TASK_DEFAULT_QUEUE
    for key in broker.scan_iter(match=pattern, count=1000):
        keys += broker.delete(key)
cache = settings.CACHES["default"]
if "redis" in cache["BACKEND"].lower():
    client = redis.Redis.from_url(cache["LOCATION"])
    for key in client.scan_iter(match=cache["KEY_PREFIX"] + ":*", count=1000):
        keys += client.delete(key)
print(json.dumps({"queued": queued, "cache_keys": keys}))
"""


def redis_cleanup(env: dict[str, str]) -> dict[str, int]:
    """Messages left on the run's queue (no worker reads it) and cache keys removed."""
    found = shell_json(env, REDIS_CLEANUP)
    return {str(k): int(v) for k, v in found.items()}  # type: ignore[call-overload]


def redis_version(env: dict[str, str]) -> str | None:
    url = env.get("REDIS_URL")
    if not url:
        return None
    import redis

    try:
        info = redis.Redis.from_url(url, socket_timeout=5).info("server")
    except redis.RedisError as error:
        raise BenchError(f"Redis at REDIS_URL does not answer: {error}") from None
    return str(info.get("redis_version", "unknown"))
