"""gunicorn as production runs it (2 sync workers, DEBUG off, static collected), on a
free loopback port, in its own session so Ctrl-C is the bench's to handle; stopped
(and any orphaned worker killed) on the way out."""

import os
import secrets
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from database import BIN_DIR, ROOT, BenchError, say
from web import HOST, fetch

WORKERS = 2
START_TIMEOUT = 120.0  # seconds for gunicorn to answer /livez (a busy machine boots slowly)
STOP_TIMEOUT = 10.0  # seconds for gunicorn to stop on SIGTERM before SIGKILL
# All the bench's clients are 127.0.0.1: the per-address sign-up limit must not stop them.
SIGNUP_RATE_LIMIT = "100000000"
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
    "VAR_DIR",
    "SMTP_HOST",
    "DJANGO_SETTINGS_MODULE",
    "GUNICORN_CMD_ARGS",
    "WEB_CONCURRENCY",
    "EVENTS_SIGNUP_RATE_LIMIT",
    "EVENTS_SIGNUP_RATE_WINDOW",
    "BENCH_CACHE",
    "PYTHONPATH",
}


def bench_env(var_dir: Path, run: str) -> dict[str, str]:
    """Production settings for the run (bench_settings.py); DATABASE_URL and REDIS_URL
    pass through (database.py points the first at the run's own database)."""
    env = {key: value for key, value in os.environ.items() if key not in STRIPPED_ENV}
    env.update(
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=HOST,
        VAR_DIR=str(var_dir),
        DJANGO_SETTINGS_MODULE="bench_settings",
        PYTHONPATH=str(ROOT / "bench"),
        PYTHONUNBUFFERED="1",
        EVENTS_SIGNUP_RATE_LIMIT=SIGNUP_RATE_LIMIT,
        BENCH_RUN=run,
        LOG_LEVEL="WARNING",
    )
    return env


def free_port() -> int:
    """A free loopback port; BENCH_PORTS=LOW-HIGH keeps it in a range."""
    low, _, high = os.environ.get("BENCH_PORTS", "").partition("-")
    candidates = range(int(low), int(high) + 1) if low.isdigit() and high.isdigit() else [0]
    for port in candidates:
        with socket.socket() as sock:
            try:
                sock.bind((HOST, port))
            except OSError:
                continue
            return int(sock.getsockname()[1])
    raise BenchError(f"no free port in BENCH_PORTS={os.environ['BENCH_PORTS']}")


def log_tail(log: Path) -> str:
    return log.read_text(errors="replace")[-3000:] if log.exists() else "(no log)"


class Server:
    def __init__(self, name: str, proc: subprocess.Popen[bytes], port: int, log: Path) -> None:
        self.name, self.proc, self.port, self.log = name, proc, port, log

    def ensure_running(self) -> None:
        if self.proc.poll() is not None:
            raise BenchError(
                f"gunicorn ({self.name}) exited with {self.proc.returncode}:\n{log_tail(self.log)}"
            )

    def wait_until_live(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            self.ensure_running()
            with suppress(OSError):
                if fetch(self.port, "/livez") == (200, b"ok"):
                    return
            time.sleep(0.2)
        raise BenchError(
            f"gunicorn did not answer /livez in {START_TIMEOUT:g} s:\n{log_tail(self.log)}"
        )

    def cpu_seconds(self) -> float | None:
        """CPU time (user + system) used so far by the master and its live workers.

        Linux only (/proc); None elsewhere."""
        clock = os.sysconf("SC_CLK_TCK")
        pid = self.proc.pid
        try:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
            total = 0
            for each in [str(pid), *children]:
                fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
                total += int(fields[11]) + int(fields[12])  # utime, stime in clock ticks
        except (OSError, IndexError, ValueError):
            return None
        return total / clock


@contextmanager
def gunicorn(name: str, env: dict[str, str], work: Path) -> Iterator[Server]:
    port, log = free_port(), work / f"gunicorn-{name}.log"
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
        str(work / f"gunicorn-{name}.ctl"),
    ]
    with log.open("wb") as out:
        proc = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=out, start_new_session=True
        )
    say(f"gunicorn ({name}) pid {proc.pid} on http://{HOST}:{port} ({WORKERS} sync workers)")
    server = Server(name, proc, port, log)
    try:
        server.wait_until_live()
        yield server
    finally:
        stop(proc)
        say(f"gunicorn ({name}) stopped")


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
