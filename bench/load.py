"""HTTP load with wrk (a C load generator, so the client is not what saturates first),
run once per target and round, and the figures merged across rounds.

Each wrk run ends with one line of JSON from bench/wrk/stats.lua: requests, duration,
wrk's error counts and the exact latency histogram, so the rounds of one target merge
into true percentiles. wrk counts answers of 400 and above as `status` errors; a GET
target must answer 200 (checked before the load, see run.py), and a sign-up counts
only when it redirects to the person's own page (bench/wrk/signup.lua)."""

import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from web import HOST

WRK_DIR = Path(__file__).resolve().parent / "wrk"
MARK = "BENCH-WRK "


class LoadError(Exception):
    """wrk is missing or did not report."""


def wrk_binary() -> str:
    """wrk's path; installed from Debian when missing and we are root."""
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        raise LoadError(
            "wrk is not installed. Install it (Debian/Ubuntu: sudo apt-get install -y wrk; "
            "macOS: brew install wrk) and run `make bench` again."
        )
    print("bench: wrk is missing: apt-get install -y wrk", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    done = subprocess.run(
        ["apt-get", "install", "-y", "--no-install-recommends", "wrk"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    found = shutil.which("wrk")
    if done.returncode != 0 or not found:
        raise LoadError(f"apt-get install -y wrk failed:\n{(done.stdout + done.stderr)[-1500:]}")
    return found


def wrk_version(binary: str) -> str:
    done = subprocess.run([binary, "-v"], capture_output=True, text=True, check=False)
    first = (done.stdout + done.stderr).strip().splitlines()
    return first[0].split(" [")[0] if first else "wrk (unknown version)"


@dataclass
class Figures:
    """One target's load, merged across rounds."""

    path: str
    requests: int = 0
    seconds: float = 0.0
    bytes: int = 0
    errors: dict[str, int] = field(default_factory=dict)
    ok: int = 0  # sign-ups only: redirects to the person's page
    refused: int = 0  # sign-ups only: any other answer
    histogram: dict[int, int] = field(default_factory=dict)  # latency us -> requests
    rounds: list[float] = field(default_factory=list)  # rps of each round
    cpu_seconds: float | None = 0.0  # the server's, while this target was loaded

    def add(self, found: dict[str, object], cpu: float | None) -> None:
        requests, duration = int(found["requests"]), int(found["duration_us"])  # type: ignore[call-overload]
        self.requests += requests
        self.seconds += duration / 1e6
        self.bytes += int(found["bytes"])  # type: ignore[call-overload]
        self.ok += int(found["ok"])  # type: ignore[call-overload]
        self.refused += int(found["refused"])  # type: ignore[call-overload]
        for kind, count in dict(found["errors"]).items():  # type: ignore[call-overload]
            self.errors[kind] = self.errors.get(kind, 0) + int(count)
        for us, count in found["latency_us"]:  # type: ignore[attr-defined]
            self.histogram[int(us)] = self.histogram.get(int(us), 0) + int(count)
        self.rounds.append(requests / (duration / 1e6) if duration else 0.0)
        self.cpu_seconds = (
            None if cpu is None or self.cpu_seconds is None else self.cpu_seconds + cpu
        )

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def ok_per_second(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0

    def percentile_ms(self, share: float) -> float:
        """The latency under which `share` of the requests finished, in ms."""
        total = sum(self.histogram.values())
        if not total:
            return float("nan")
        wanted, seen = share * total, 0
        for us in sorted(self.histogram):
            seen += self.histogram[us]
            if seen >= wanted:
                return us / 1000
        return max(self.histogram) / 1000

    @property
    def cpu_ms_per_request(self) -> float | None:
        served = self.ok or self.requests
        if self.cpu_seconds is None or not served:
            return None
        return self.cpu_seconds * 1000 / served


@dataclass(frozen=True)
class Wrk:
    binary: str
    threads: int
    connections: int

    def run(
        self, port: int, path: str, seconds: float, script: Path, args: list[str]
    ) -> dict[str, object]:
        """One wrk run; its JSON report."""
        command = [
            self.binary,
            f"-t{self.threads}",
            f"-c{self.connections}",
            f"-d{max(1, round(seconds))}s",
            "--timeout",
            "10s",
            "-s",
            str(script),
            f"http://{HOST}:{port}{path}",
            *(["--", *args] if args else []),
        ]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        for line in done.stdout.splitlines():
            if line.startswith(MARK):
                found: dict[str, object] = json.loads(line[len(MARK) :])
                return found
        raise LoadError(
            f"wrk {path} reported nothing (exit {done.returncode}):\n"
            f"{(done.stdout + done.stderr)[-1500:]}"
        )


def script(name: str, work: Path) -> Path:
    """A wrk script: bench/wrk/<name>.lua (none for plain GETs) followed by stats.lua."""
    body = (WRK_DIR / f"{name}.lua").read_text() if name != "get" else ""
    path = work / f"{name}.lua"
    path.write_text(body + "\n" + (WRK_DIR / "stats.lua").read_text())
    return path


def workdir() -> Path:
    return Path(tempfile.mkdtemp(prefix="belfaa-wrk-"))
