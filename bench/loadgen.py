"""A small closed-loop HTTP load generator for the benchmark (standard library only).

A fixed number of threads each send one GET at a time to 127.0.0.1, on a new
connection per request (gunicorn's sync workers close the connection anyway), until
the slice's time is up. Only 200 answers count as served; anything else, or a
connection error, is counted as an error by kind (with the first answer of each kind
kept as an example).

Sign-ups work the same way with POSTs of the public sign-up form: each client thread
first GETs the activity page once, like a browser, for its CSRF cookie and form token,
then posts the form again and again, each time with a phone number no one used yet.
Only a redirect to the person's own registration page counts as a sign-up.
"""

import html
import http.client
import itertools
import re
import statistics
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import CookieError, SimpleCookie
from urllib.parse import urlencode

HOST = "127.0.0.1"  # the only address this module ever sends traffic to
REQUEST_TIMEOUT = 10.0  # seconds; a stuck request becomes an error, never a hang
EXAMPLE_CHARS = 300  # how much of an unexpected answer is kept to show
# The person's own page, where a sign-up (confirmed or waitlisted) redirects.
REGISTRATION_PATH = re.compile(r"^/ar/events/r/[^/?#]+/$")
TOKEN_INPUT = re.compile(r"<input\b[^>]*\bname=\"csrfmiddlewaretoken\"[^>]*>")
VALUE_ATTRIBUTE = re.compile(r"\bvalue=\"([^\"]*)\"")
TAG = re.compile(r"<[^>]*>")


@dataclass
class Sample:
    """What load against one path produced: the served requests' latencies (s)."""

    path: str
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    body_bytes: int = 0
    # The first unexpected answer of each error kind, shortened: what to show.
    examples: dict[str, str] = field(default_factory=dict)

    def add(self, other: "Sample") -> None:
        self.seconds += other.seconds
        self.latencies.extend(other.latencies)
        self.errors.update(other.errors)
        self.body_bytes += other.body_bytes
        for kind, example in other.examples.items():
            self.examples.setdefault(kind, example)

    def error(self, kind: str, example: str = "") -> None:
        self.errors[kind] += 1
        if kind not in self.examples:
            self.examples[kind] = example


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
    error_examples: dict[str, str]


@dataclass(frozen=True)
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def header(self, name: str) -> str:
        return self.headers.get(name, "")


def request(
    port: int,
    method: str,
    path: str,
    headers: dict[str, str] | None = None,
    body: bytes | None = None,
) -> Response:
    """One request on a fresh connection: the status, headers and the whole body.

    Redirects are not followed and bodies are not decoded: what the server sent."""
    conn = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return Response(response.status, response.headers, response.read())
    finally:
        conn.close()


def fetch(port: int, path: str) -> tuple[int, bytes]:
    """One GET on a fresh connection: the status and the whole body."""
    response = request(port, "GET", path)
    return response.status, response.body


def excerpt(body: bytes) -> str:
    """The readable text of an answer, shortened; from a form's error summary if any."""
    text = body.decode("utf-8", errors="replace")
    start = text.find('class="error-summary"')
    if start < 0:
        start = max(text.find("<main"), 0)
    words = html.unescape(TAG.sub(" ", text[start:])).split()
    return " ".join(words)[:EXAMPLE_CHARS]


def _worker(port: int, path: str, deadline: float, stop: threading.Event, out: Sample) -> None:
    """One closed-loop client; `out` is its own, so no locking is needed."""
    while not stop.is_set() and time.perf_counter() < deadline:
        start = time.perf_counter()
        try:
            status, body = fetch(port, path)
        except (OSError, http.client.HTTPException) as error:
            out.error(type(error).__name__, str(error)[:EXAMPLE_CHARS])
            time.sleep(0.01)  # a dead server must not turn this into a busy loop
            continue
        if status == 200:
            out.latencies.append(time.perf_counter() - start)
            out.body_bytes += len(body)
        else:
            out.error(f"HTTP {status}", excerpt(body))


def run_slice(port: int, path: str, concurrency: int, seconds: float) -> Sample:
    """Keep `concurrency` requests to `path` in flight for `seconds`."""
    partials = [Sample(path) for _ in range(concurrency)]
    return _run_threads(
        path,
        [(_worker, (port, path, time.perf_counter() + seconds)) for _ in partials],
        partials,
    )


type Job = tuple[Callable[..., None], tuple[object, ...]]


def _run_threads(path: str, jobs: list[Job], partials: list[Sample]) -> Sample:
    """Run each job's function with (*args, stop, its own partial) in its own thread."""
    sample = Sample(path)
    stop = threading.Event()
    start = time.perf_counter()
    threads = [
        threading.Thread(target=function, args=(*args, stop, part), daemon=True)
        for (function, args), part in zip(jobs, partials, strict=True)
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
        error_examples=dict(sample.examples),
    )


# --- Sign-ups -------------------------------------------------------------------


class Phones:
    """Moroccan mobile numbers no one used: +21269 and a counter (the demo's people
    are +2126000...). Shared by the client threads."""

    def __init__(self) -> None:
        self._numbers = itertools.count()
        self._lock = threading.Lock()
        self.issued = 0

    def next(self) -> str:
        with self._lock:
            self.issued += 1
            return f"+21269{next(self._numbers):07d}"


@dataclass(frozen=True)
class SignupClient:
    """One browser: its CSRF cookie and the form's token from its first visit."""

    cookie: str
    token: str


def signup_client(port: int, path: str) -> SignupClient:
    """GET the activity page once, as a first visit does; raises ValueError if the
    page has no sign-up form or sets no CSRF cookie."""
    response = request(port, "GET", path)
    if response.status != 200:
        raise ValueError(f"GET {path} answered {response.status}: {excerpt(response.body)}")
    cookies: SimpleCookie = SimpleCookie()
    try:
        for header in response.headers.get_all("Set-Cookie") or []:
            cookies.load(header)
    except CookieError as error:
        raise ValueError(f"GET {path} set a cookie that cannot be read: {error}") from None
    if "csrftoken" not in cookies:
        raise ValueError(f"GET {path} set no csrftoken cookie")
    field_tag = TOKEN_INPUT.search(response.body.decode("utf-8", errors="replace"))
    value = VALUE_ATTRIBUTE.search(field_tag.group(0)) if field_tag else None
    if value is None:
        raise ValueError(f"GET {path} has no csrfmiddlewaretoken field (is sign-up open?)")
    return SignupClient(cookie=cookies["csrftoken"].value, token=html.unescape(value.group(1)))


def signup(port: int, path: str, client: SignupClient, phone: str) -> Response:
    """POST the sign-up form as a browser on the same origin would."""
    origin = f"http://{HOST}:{port}"
    form = {
        "csrfmiddlewaretoken": client.token,
        "name": "مشارك تجريبي",  # "test participant"
        "phone": phone,
        "email": "",
        "birth_year": "2000",
        "sex": "female",
        "group": "newcomer",
        "language": "ar",
        "consent_processing": "on",
        "website": "",  # the honeypot, left empty as people leave it
    }
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": f"csrftoken={client.cookie}",
        "Origin": origin,
        "Referer": origin + path,
    }
    return request(port, "POST", path, headers, urlencode(form).encode())


def signup_outcome(response: Response) -> str | None:
    """None for a sign-up (a redirect to the person's own page), else the error kind."""
    location = response.header("Location")
    if response.status == 302 and REGISTRATION_PATH.match(location):
        return None
    return f"HTTP {response.status}" + (f" to {location}" if location else "")


def _signup_worker(
    port: int,
    path: str,
    client: SignupClient,
    phones: Phones,
    deadline: float,
    stop: threading.Event,
    out: Sample,
) -> None:
    """One closed-loop client posting sign-ups; `out` is its own."""
    while not stop.is_set() and time.perf_counter() < deadline:
        phone = phones.next()
        start = time.perf_counter()
        try:
            response = signup(port, path, client, phone)
        except (OSError, http.client.HTTPException) as error:
            out.error(type(error).__name__, str(error)[:EXAMPLE_CHARS])
            time.sleep(0.01)
            continue
        kind = signup_outcome(response)
        if kind is None:
            out.latencies.append(time.perf_counter() - start)
            out.body_bytes += len(response.body)
        else:
            out.error(kind, f"phone {phone}: {excerpt(response.body)}")


def run_signup_slice(
    port: int, path: str, clients: list[SignupClient], phones: Phones, seconds: float
) -> Sample:
    """Keep one sign-up per client in flight for `seconds`; latencies are sign-ups'."""
    deadline = time.perf_counter() + seconds
    partials = [Sample(path) for _ in clients]
    jobs: list[Job] = [
        (_signup_worker, (port, path, client, phones, deadline)) for client in clients
    ]
    return _run_threads(path, jobs, partials)
