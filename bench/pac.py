"""The PAC (commune action plan) report bench, part of `make bench` after the registry
(PostgreSQL only; BENCH_PAC=0 skips it; BENCH_ONLY=pac runs it alone).

On 100,000 participants, 5,000 activities and 1,000,000 registrations with attendance
(bench/pac_django.py generate): the 2025 report in Arabic, its figures (< 5 s), CSV,
XLSX (< 10 s) and PDF (< 20 s), each step in its own process (peak memory < 500 MB),
median of 3; and the dashboard (the admin index, /fr/admin/, signed in as the
Coordinator over HTTP on the bench's gunicorn: p95 < 200 ms over 30 requests after 5
warm-ups) with its query count in-process. Written to bench/results/pac-<UTC>.json.
"""

import json
import os
import statistics
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import registry
from database import say
from registry import RegistryError, percentile, sign_in, uncommitted
from web import excerpt, request

STEPS = {"figures": 5.0, "csv": None, "xlsx": 10.0, "pdf": 20.0}
TARGET_PEAK_MB = 500.0
TARGET_DASHBOARD_P95_MS = 200.0
DASHBOARD = "/fr/admin/"
WARMUP = 5
SCRIPT = registry.ROOT / "bench" / "pac_django.py"
REQUESTS = 30


@dataclass
class Pac:
    """What the PAC bench found: its record, its errors, the lines of the report."""

    record: dict[str, Any]
    errors: dict[str, dict[str, int]] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)


def django(env: dict[str, str], *args: str) -> dict[str, Any]:
    return registry.django(env, *args, script=SCRIPT)


def dashboard_times(port: int, env: dict[str, str]) -> list[float]:
    cookie = sign_in(port, env)
    seconds = []
    for number in range(WARMUP + REQUESTS):
        started = time.perf_counter()
        response = request(port, "GET", DASHBOARD, {"Cookie": cookie})
        if response.status != 200:
            raise RegistryError(
                f"GET {DASHBOARD} answered {response.status} {response.header('Location')}: "
                f"{excerpt(response.body)}"
            )
        if number >= WARMUP:
            seconds.append(time.perf_counter() - started)
    return seconds


def verdict(value: float, target: float | None) -> str:
    return "-" if target is None else ("PASS" if value < target else "OVER")


def _measure(env: dict[str, str], port: int, database: str) -> Pac:
    started = datetime.now(UTC)
    say("generating 100,000 participants, 5,000 activities, 1,000,000 registrations")
    generated = django(env, "generate")
    say(f"PAC generated in {generated['seconds']} s: {generated['totals']}")
    steps = {}
    for step, target in STEPS.items():
        say(f"PAC report {step}")
        found = django(env, "measure", step)
        found["target_seconds"] = target
        found["verdict"] = verdict(found["seconds"], target)
        found["peak_verdict"] = verdict(found["peak_mb"], TARGET_PEAK_MB)
        steps[step] = found
    say(f"PAC dashboard {DASHBOARD}, {REQUESTS} requests after {WARMUP} warm-ups")
    errors: dict[str, dict[str, int]] = {}
    try:
        times = dashboard_times(port, env)
        queries = django(env, "measure", "dashboard")["queries"]
    except RegistryError as error:  # the report's figures are kept
        errors["pac dashboard"] = {str(error)[:200]: 1}
        times, queries = [float("nan")], None
    p95 = percentile(times, 95) * 1000
    board = {
        "path": DASHBOARD,
        "requests": REQUESTS,
        "p50_ms": round(statistics.median(times) * 1000, 1),
        "p95_ms": round(p95, 1),
        "queries": queries,
        "target_p95_ms": TARGET_DASHBOARD_P95_MS,
        "verdict": verdict(p95, TARGET_DASHBOARD_P95_MS),
    }
    verdicts = [board["verdict"]]
    for found in steps.values():
        verdicts += [found["verdict"], found["peak_verdict"]]
    record: dict[str, Any] = {
        "date": started.isoformat(timespec="seconds"),
        "database": database,
        "uncommitted_app_changes": uncommitted(),
        "generation": generated,
        "report": {"year": 2025, "language": "ar", "repeats": 3, "steps": steps},
        "target_peak_mb": TARGET_PEAK_MB,
        "dashboard": board,
        "verdict": "OVER" if "OVER" in verdicts else "PASS",
    }
    path = registry.RESULTS_DIR / f"pac-{started:%Y%m%dT%H%M%SZ}.json"
    registry.RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n")
    say(f"PAC results: {path.relative_to(registry.ROOT)}")
    return Pac(record=record, errors=errors, lines=report_lines(record))


def report_lines(record: dict[str, Any]) -> list[str]:
    totals = record["generation"]["totals"]
    lines = [
        f"PAC report (year 2025, Arabic, median of 3; {totals['participants']:,} participants, "
        f"{totals['events']:,} activities, {totals['registrations']:,} registrations, "
        f"{totals['attended']:,} attended; generated in {record['generation']['seconds']} s):",
        "",
        "| step | seconds | queries | peak MB | target | verdict |",
        "|---|---:|---:|---:|---|---|",
    ]
    for step, found in record["report"]["steps"].items():
        target = f"< {found['target_seconds']:g} s" if found["target_seconds"] else "-"
        lines.append(
            f"| {step} | {found['seconds']:.2f} | {found['queries']} | {found['peak_mb']:.0f} "
            f"| {target}, < {record['target_peak_mb']:g} MB | {found['verdict']}, "
            f"{found['peak_verdict']} |"
        )
    board = record["dashboard"]
    lines += [
        "",
        f"Dashboard {board['path']} ({board['requests']} requests): p50 {board['p50_ms']} ms, "
        f"p95 {board['p95_ms']} ms, {board['queries']} queries (target p95 < "
        f"{board['target_p95_ms']:g} ms: {board['verdict']}). PAC verdict: {record['verdict']}.",
    ]
    return lines


def measure_pac(env: dict[str, str], port: int, database: str) -> Pac:
    """The PAC bench against the bench's database and server; never raises for a failed
    step (it is recorded as an error), only on Ctrl-C."""
    skipped = None
    if not database.startswith("postgresql"):
        skipped = "needs PostgreSQL"
    elif os.environ.get("BENCH_PAC", "").strip() == "0":
        skipped = "BENCH_PAC=0"
    if skipped:
        return Pac(record={"skipped": skipped}, lines=[f"PAC bench: skipped ({skipped})"])
    try:
        return _measure(env, port, database)
    except RegistryError as error:
        say(f"PAC failed: {error}")
        return Pac(
            record={"failed": str(error), "database": database},
            errors={"pac": {str(error)[:200]: 1}},
            lines=[f"PAC bench FAILED: {error}"],
        )


def pac_only_report(pac: Pac, started: datetime, database: str) -> int:
    """BENCH_ONLY=pac: the PAC lines alone, printed and written to bench/results/<UTC>.md."""
    lines = [f"# Bench {started:%Y-%m-%d %H:%M} UTC, PAC only ({database})", "", *pac.lines]
    lines += [f"INVALID RUN: {name}: {json.dumps(kinds)}" for name, kinds in pac.errors.items()]
    text = "\n".join(lines)
    print("\n" + text + "\n")
    path = registry.RESULTS_DIR / f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}.md"
    path.write_text(text + "\n\n```json\n" + json.dumps(pac.record, indent=2) + "\n```\n")
    print(f"results: {path.relative_to(registry.ROOT)}")
    return 1 if pac.errors else 0
