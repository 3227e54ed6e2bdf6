"""One-request HTTP helpers for the bench's checks (standard library only): the load
itself is wrk's (load.py); these fetch a page to check it, read a form's CSRF token,
and make one sign-up by hand."""

import html
import http.client
import re
from dataclasses import dataclass
from http.cookies import CookieError, SimpleCookie
from urllib.parse import urlencode

HOST = "127.0.0.1"  # the only address the bench ever sends traffic to
REQUEST_TIMEOUT = 10.0  # seconds; a stuck request becomes an error, never a hang
EXAMPLE_CHARS = 300  # how much of an unexpected answer is kept to show
# The person's own page, where a sign-up (confirmed or waitlisted) redirects.
REGISTRATION_PATH = re.compile(r"^/ar/events/r/[^/?#]+/$")
TOKEN_INPUT = re.compile(r"<input\b[^>]*\bname=\"csrfmiddlewaretoken\"[^>]*>")
VALUE_ATTRIBUTE = re.compile(r"\bvalue=\"([^\"]*)\"")
TAG = re.compile(r"<[^>]*>")


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


PHONE_MARK = "PHONE"


def signup_form(client: SignupClient, phone: str = PHONE_MARK) -> str:
    """The sign-up form as a browser posts it, urlencoded."""
    return urlencode(
        {
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
    )


def signup_headers(port: int, path: str, client: SignupClient) -> dict[str, str]:
    origin = f"http://{HOST}:{port}"
    return {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": f"csrftoken={client.cookie}",
        "Origin": origin,
        "Referer": origin + path,
    }


def signup(port: int, path: str, client: SignupClient, phone: str) -> Response:
    """POST the sign-up form as a browser on the same origin would."""
    body = signup_form(client, phone).encode()
    return request(port, "POST", path, signup_headers(port, path, client), body)


def signup_outcome(response: Response) -> str | None:
    """None for a sign-up (a redirect to the person's own page), else the error kind."""
    location = response.header("Location")
    if response.status == 302 and REGISTRATION_PATH.match(location):
        return None
    return f"HTTP {response.status}" + (f" to {location}" if location else "")
