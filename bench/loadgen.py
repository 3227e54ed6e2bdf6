"""A small closed-loop HTTP load generator for the benchmark (standard library only).

A fixed number of threads each send one GET at a time to 127.0.0.1, on a new
connection per request (gunicorn's sync workers close the connection anyway), until
the slice's time is up. Only 200 answers count as served; anything else, or a
connection error, is counted as an error by kind.
"""

import http.client
import statistics
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

HOST = "127.0.0.1"  # the only address this module ever sends traffic to
REQUEST_TIMEOUT = 10.0  # seconds; a stuck request becomes an error, never a hang


@dataclass
class Sample:
    """What load against one path produced: the served requests' latencies (s)."""

    path: str
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    body_bytes: int = 0

    def add(self, other: "Sample") -> None:
        self.seconds += other.seconds
        self.latencies.extend(other.latencies)
        self.errors.update(other.errors)
        self.body_bytes += other.body_bytes


@dataclass(frozen=True)
class Summary:
    """The figures one target's combined samples come to."""

    path: str
    requests: int
    errors: int
    error_kinds: dict[str, int]
    seconds: float
    rps: float
    p50_ms: float
    p99_ms: float
    mean_ms: float
    mean_body_bytes: int


def fetch(port: int, path: str) -> tuple[int, bytes]:
    """One GET on a fresh connection: the status and the whole body."""
    conn = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def _worker(port: int, path: str, deadline: float, stop: threading.Event, out: Sample) -> None:
    """One closed-loop client; `out` is its own, so no locking is needed."""
    while not stop.is_set() and time.perf_counter() < deadline:
        start = time.perf_counter()
        try:
            status, body = fetch(port, path)
        except (OSError, http.client.HTTPException) as error:
            out.errors[type(error).__name__] += 1
            time.sleep(0.01)  # a dead server must not turn this into a busy loop
            continue
        if status == 200:
            out.latencies.append(time.perf_counter() - start)
            out.body_bytes += len(body)
        else:
            out.errors[f"HTTP {status}"] += 1


def run_slice(port: int, path: str, concurrency: int, seconds: float) -> Sample:
    """Keep `concurrency` requests to `path` in flight for `seconds`."""
    sample = Sample(path)
    partials = [Sample(path) for _ in range(concurrency)]
    stop = threading.Event()
    start = time.perf_counter()
    deadline = start + seconds
    threads = [
        threading.Thread(target=_worker, args=(port, path, deadline, stop, part), daemon=True)
        for part in partials
    ]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        stop.set()  # on Ctrl-C the threads finish their request and stop
        for thread in threads:
            thread.join(REQUEST_TIMEOUT + 1)
    sample.seconds = time.perf_counter() - start
    for part in partials:
        sample.add(part)
    return sample


def summarize(sample: Sample) -> Summary:
    """Throughput of served requests, and their latency percentiles in milliseconds."""
    served = len(sample.latencies)
    if served >= 2:
        cuts = statistics.quantiles(sample.latencies, n=100, method="inclusive")
        p50, p99 = cuts[49], cuts[98]
    else:
        p50 = p99 = sample.latencies[0] if served else float("nan")
    return Summary(
        path=sample.path,
        requests=served,
        errors=sum(sample.errors.values()),
        error_kinds=dict(sample.errors),
        seconds=sample.seconds,
        rps=served / sample.seconds if sample.seconds else 0.0,
        p50_ms=p50 * 1000,
        p99_ms=p99 * 1000,
        mean_ms=statistics.fmean(sample.latencies) * 1000 if served else float("nan"),
        mean_body_bytes=sample.body_bytes // served if served else 0,
    )
