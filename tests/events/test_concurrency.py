"""Capacity holds under real concurrency: 50 people sign up at once for 10 seats."""

import http.client
import re
from concurrent.futures import ThreadPoolExecutor
from threading import Barrier
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.db import connection

from events.models import Registration
from events.selectors import waitlist_position
from tests.conftest import need
from tests.factories import EventFactory

PEOPLE = 50
SEATS = 10


def test_fifty_simultaneous_signups_for_ten_seats(
    live_server: Any, transactional_db: None, settings: Any
) -> None:
    need(
        connection.vendor == "postgresql",
        "needs PostgreSQL (set DATABASE_URL): SQLite serialises writers, so it cannot show "
        "row locking under concurrent requests",
    )
    settings.EVENTS_SIGNUP_RATE_LIMIT = PEOPLE * 2
    event = EventFactory(capacity=SEATS)
    url = urlsplit(live_server.url)
    path = f"/fr/events/{event.slug}/"

    page = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    page.request("GET", path)
    response = page.getresponse()
    cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie") or "")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.read().decode())
    assert cookie and token
    barrier = Barrier(PEOPLE)

    def sign_up(n: int) -> int:
        body = urlencode(
            {
                "csrfmiddlewaretoken": token.group(1),
                "name": f"Personne {n}",
                "phone": f"+2126123456{n:02d}",
                "birth_year": "2000",
                "sex": "female",
                "group": "newcomer",
                "language": "fr",
                "consent_processing": "on",
            }
        )
        client = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
        barrier.wait()  # all requests leave together
        client.request(
            "POST",
            path,
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={cookie.group(1)}",
                "Referer": live_server.url + path,
            },
        )
        status = client.getresponse().status
        client.close()
        return status

    with ThreadPoolExecutor(max_workers=PEOPLE) as pool:
        answers = list(pool.map(sign_up, range(PEOPLE)))

    assert answers == [302] * PEOPLE  # every one answered, none refused or failed
    registrations = list(Registration.objects.filter(event=event).order_by("queued_at", "pk"))
    confirmed = [r for r in registrations if r.status == Registration.Status.CONFIRMED]
    waiting = [r for r in registrations if r.status == Registration.Status.WAITLISTED]
    assert len(registrations) == PEOPLE
    assert len(confirmed) == SEATS
    assert len(waiting) == PEOPLE - SEATS
    # First come, first served: every confirmation came before every waiting place,
    # and the waiting list is numbered 1..40 in the order people arrived.
    assert max(r.queued_at for r in confirmed) <= min(r.queued_at for r in waiting)
    assert [waitlist_position(r) for r in waiting] == list(range(1, PEOPLE - SEATS + 1))
