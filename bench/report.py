"""The figures as a table (printed, and written with the machine and the settings to
bench/results/<UTC time>.md, a file per run), the checks of the stored sign-ups, and
the verdicts. Every rate is also given as a share of the bare view's in the same run."""

import json
import math
import os
import platform
import subprocess
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from importlib.metadata import version
from typing import Any, Protocol

from database import ROOT, Database, Stored
from load import Figures
from pac import Pac
from pageweight import PageWeight
from registry import Registry
from server import WORKERS

RESULTS_DIR = ROOT / "bench" / "results"
TARGET_WEIGHT_BYTES = 30 * 1024


class TargetLike(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def path(self) -> str: ...
    @property
    def server(self) -> str: ...
    @property
    def script(self) -> str: ...
    @property
    def target_ratio(self) -> float | None: ...


@dataclass(frozen=True)
class Context:
    started: datetime
    run: str
    config: dict[str, Any]
    database: Database
    redis: str | None
    wrk: str
    load_before: tuple[float, float, float]


def git(*args: str) -> str:
    done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
    return done.stdout.strip() if done.returncode == 0 else "unknown"


def fmt(value: float | None, digits: int = 1) -> str:
    return "n/a" if value is None or math.isnan(value) else f"{value:,.{digits}f}"


def rows(figures: dict[str, Figures], targets: Sequence[TargetLike]) -> list[dict[str, Any]]:
    bare = figures["bare"].rps
    out = []
    for target in targets:
        row = figures[target.name]
        rate = row.ok_per_second if target.script == "signup" else row.rps
        ratio = rate / bare if bare else None
        verdict = ""
        if target.target_ratio is not None and ratio is not None:
            verdict = "PASS" if ratio >= target.target_ratio else "BELOW"
        out.append(
            {
                "target": target.name,
                "path": target.path,
                "server": target.server,
                "requests": row.requests,
                "served": row.ok if target.script == "signup" else row.requests,
                "errors": row.errors if row.error_count else {},
                "refused": row.refused,
                "seconds": round(row.seconds, 2),
                "rps": round(rate, 1),
                "rps_by_round": [round(r, 1) for r in row.rounds],
                "p50_ms": round(row.percentile_ms(0.50), 2),
                "p99_ms": round(row.percentile_ms(0.99), 2),
                "server_cpu_ms_per_request": None
                if row.cpu_ms_per_request is None
                else round(row.cpu_ms_per_request, 3),
                "ratio_to_bare": None if ratio is None else round(ratio, 3),
                "target_ratio": target.target_ratio,
                "verdict": verdict,
            }
        )
    return out


def table(found: list[dict[str, Any]]) -> list[str]:
    lines = [
        "| target | path | server | served | rps | p50 ms | p99 ms | cpu ms/req | ratio | target |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for row in found:
        goal = f"≥ {row['target_ratio']:.2f} {row['verdict']}" if row["target_ratio"] else ""
        lines.append(
            f"| {row['target']} | `{row['path']}` | {row['server']} | {row['served']:,} | "
            f"{fmt(row['rps'])} | {fmt(row['p50_ms'], 2)} | {fmt(row['p99_ms'], 2)} | "
            f"{fmt(row['server_cpu_ms_per_request'], 2)} | "
            f"{fmt(row['ratio_to_bare'], 3)} | {goal} |"
        )
    return lines


def signup_checks(
    signups: Figures, stored: Stored, queue: dict[str, int] | None, connections: int
) -> tuple[list[str], dict[str, str]]:
    """What the database holds against what wrk counted; the errors found."""
    counted = signups.ok + 1  # the sign-up made by hand first
    # A wrk run stops with up to `connections` sign-ups in flight, stored but not counted.
    slack = connections * len(signups.rounds)
    errors: dict[str, str] = {}
    lines = [
        f"- sign-ups counted: {signups.ok:,} by wrk + 1 by hand; refused: {signups.refused}",
        f"- stored: {stored.total:,} ("
        + ", ".join(f"{n:,} {status}" for status, n in sorted(stored.by_status.items()))
        + f"), {stored.phones:,} distinct phones; up to {slack} may be in flight when wrk stops",
        f"- activity: {stored.confirmed_all} of {stored.capacity} seats confirmed "
        "(the demo's included)" + (": OVERBOOKED" if stored.overbooked else ", not over-booked"),
    ]
    if not counted <= stored.total <= counted + slack:
        errors["signup storage"] = f"stored {stored.total}, counted {counted} (+{slack} in flight)"
    if stored.phones != stored.total:
        errors["signup duplicates"] = f"{stored.total} stored for {stored.phones} phones"
    if stored.overbooked:
        errors["signup capacity"] = f"{stored.confirmed_all} confirmed for {stored.capacity} seats"
    if signups.refused:
        errors["signup refused"] = (
            f"{signups.refused} sign-ups did not redirect to the person's page"
        )
    if queue is not None:
        lines.append(
            f"- Redis: {queue['queued']:,} messages queued on the run's own queue "
            f"(one per stored sign-up: {stored.total:,}), then removed with "
            f"{queue['cache_keys']:,} cache and queue keys of the run"
        )
        if queue["queued"] != stored.total:
            errors["signup messages"] = f"{queue['queued']} queued for {stored.total} sign-ups"
    return lines, errors


def machine(context: Context) -> dict[str, Any]:
    return {
        "cpus": os.cpu_count(),
        "cpu": platform.processor() or platform.machine(),
        "system": platform.platform(),
        "load_average_before": [round(x, 2) for x in context.load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "python": platform.python_version(),
        "django": version("django"),
        "gunicorn": version("gunicorn"),
        "database": f"{context.database.kind} {context.database.version}",
        "redis": context.redis or "not used",
        "wrk": context.wrk,
    }


def configuration(context: Context) -> dict[str, Any]:
    cfg = context.config
    return {
        "server": f"gunicorn, {WORKERS} sync workers per server, DEBUG off, static collected",
        "cache": f"Redis {context.redis} (shared by the workers)"
        if context.redis
        else "local memory per worker (REDIS_URL not set: NOT the production configuration)",
        "database": f"PostgreSQL {context.database.version}, database {context.database.name}"
        if context.database.kind == "postgresql"
        else "SQLite file (DATABASE_URL not PostgreSQL: NOT the production configuration)",
        "uncached server": "the same, with Django's dummy cache (nothing cached)",
        "load": f"wrk -t{cfg['threads']} -c{cfg['connections']}, {cfg['rounds']} rounds of "
        f"{cfg['seconds']:g} s per target, order reversed each round, {cfg['warmup']:g} s warm-up",
        "git": git("rev-parse", "--short", "HEAD")
        + (" (dirty)" if git("status", "--porcelain") else ""),
    }


def report(
    figures: dict[str, Figures],
    targets: Sequence[TargetLike],
    stored: Stored,
    queue: dict[str, int] | None,
    weight: PageWeight,
    registry: Registry,
    pac: Pac,
    context: Context,
) -> int:
    found = rows(figures, targets)
    errors: dict[str, str] = {}
    for row in found:
        if row["errors"]:
            errors[row["target"]] = json.dumps(row["errors"])
    checks, signup_errors = signup_checks(
        figures["signup"], stored, queue, int(context.config["connections"])
    )
    errors.update(signup_errors)
    weight_verdict = "PASS" if weight.total_bytes < TARGET_WEIGHT_BYTES else "OVER"
    errors.update({f"page weight: {e}": "failed" for e in weight.errors})
    errors.update({name: json.dumps(kinds) for name, kinds in registry.errors.items()})
    errors.update({name: json.dumps(kinds) for name, kinds in pac.errors.items()})
    facts = machine(context)
    setup = configuration(context)
    lines = [
        f"# Bench {context.started:%Y-%m-%d %H:%M} UTC (run {context.run})",
        "",
        *(f"- {key}: {value}" for key, value in setup.items()),
        "- machine: "
        + ", ".join(f"{key} {value}" for key, value in facts.items() if not key.startswith("load")),
        f"- load average (1, 5, 15 min): before {facts['load_average_before']}, "
        f"after {facts['load_average_after']}",
        "",
        *table(found),
        "",
        "rps: requests per second answered (sign-up: successful sign-ups per second); "
        "p50/p99: latency as wrk saw it; cpu ms/req: the server's CPU time per request; "
        "ratio: rps as a share of /livez's in this run.",
        "",
        "Sign-ups:",
        *checks,
        "",
        f"Page weight of {weight.path}: {weight.total_bytes:,} B compressed "
        f"(target < {TARGET_WEIGHT_BYTES // 1024} KB: {weight_verdict}).",
        "",
        *registry.lines,
        "",
        *pac.lines,
    ]
    if errors:
        lines += ["", *(f"INVALID RUN: {name}: {what}" for name, what in errors.items())]
    record = {
        "date": context.started.isoformat(timespec="seconds"),
        "machine": facts,
        "configuration": setup,
        "targets": found,
        "signups_stored": asdict(stored),
        "redis_queue": queue,
        "page_weight": {
            "path": weight.path,
            "total_bytes": weight.total_bytes,
            "verdict": weight_verdict,
        },
        "registry": registry.record,
        "pac": pac.record,
        "valid": not errors,
        "errors": errors,
    }
    text = "\n".join(lines)
    print("\n" + text + "\n")
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}.md"
    path.write_text(
        text + "\n\n```json\n" + json.dumps(record, indent=2, ensure_ascii=False) + "\n```\n"
    )
    print(f"results: {path.relative_to(ROOT)}")
    return 1 if errors else 0
