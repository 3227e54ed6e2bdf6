"""The public home page: what the programme is and the next activities."""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events.models import Event
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def test_home_lists_upcoming_published_activities_in_date_order(client: Client) -> None:
    later = EventFactory(title_en="Football tournament")
    sooner = EventFactory(title_en="Open meeting", starts_at=timezone.now() + timedelta(days=2))
    html = client.get("/en/").content.decode()
    assert html.index(sooner.title_en) < html.index(later.title_en)


@pytest.mark.parametrize(
    "hidden",
    [
        {"status": Event.Status.DRAFT},
        {"status": Event.Status.CANCELLED},
        {
            "starts_at": timezone.now() - timedelta(days=3),
            "ends_at": timezone.now() - timedelta(days=3, hours=-2),
        },
    ],
)
def test_home_hides_drafts_cancelled_and_past_activities(client: Client, hidden: dict) -> None:
    EventFactory(title_en="Shown activity")
    EventFactory(title_en="Hidden activity", **hidden)
    html = client.get("/en/").content.decode()
    assert "Shown activity" in html
    assert "Hidden activity" not in html


def test_home_shows_titles_in_the_page_language(client: Client) -> None:
    EventFactory(title_ar="لقاء مفتوح", title_fr="Rencontre ouverte", title_en="Open meeting")
    assert "لقاء مفتوح" in client.get("/ar/").content.decode()
    assert "Rencontre ouverte" in client.get("/fr/").content.decode()
    assert "Open meeting" in client.get("/en/").content.decode()


def test_a_missing_arabic_title_falls_back_to_french(client: Client) -> None:
    EventFactory(title_ar="", title_fr="Soirée culturelle", title_en="")
    html = client.get("/ar/").content.decode()
    assert "Soirée culturelle" in html


def test_home_says_so_when_nothing_is_planned(client: Client) -> None:
    assert "No activity is planned right now" in client.get("/en/").content.decode()
    assert "لا يوجد أي نشاط مبرمج حاليا" in client.get("/ar/").content.decode()


def test_activity_titles_are_escaped(client: Client) -> None:
    EventFactory(title_en="<script>alert(1)</script>")
    html = client.get("/en/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_home_query_count_does_not_grow_with_activities(client: Client) -> None:
    EventFactory.create_batch(2)
    with CaptureQueriesContext(connection) as few:
        client.get("/ar/")
    cache.clear()
    EventFactory.create_batch(10)
    with CaptureQueriesContext(connection) as many:
        client.get("/ar/")
    assert len(few) == len(many) == 2


def test_home_body_is_cached_per_language(client: Client) -> None:
    EventFactory(title_ar="لقاء مفتوح", title_fr="Rencontre ouverte")
    client.get("/ar/")
    with CaptureQueriesContext(connection) as cached:
        html = client.get("/ar/").content.decode()
    assert len(cached) == 0
    assert "لقاء مفتوح" in html
    # Another language is its own entry, in its own words.
    assert "Rencontre ouverte" in client.get("/fr/").content.decode()


def test_home_uses_no_asset_from_another_host(client: Client) -> None:
    EventFactory()
    html = client.get("/ar/").content.decode()
    links = re.findall(r'(?:src|href|action)="([^"]*)"', html)
    assert links
    for link in links:
        assert link.startswith(("/", "#")) and not link.startswith("//"), link


def test_home_cards_link_to_the_activity_like_the_list(client: Client) -> None:
    event = EventFactory(title_en="Open meeting", summary_en="Come and meet us")
    home = client.get("/en/").content.decode()
    listed = client.get("/en/events/").content.decode()
    link = f'<a href="/en/events/{event.slug}/">Open meeting</a>'
    assert f"<h3>{link}</h3>" in home
    assert f"<h2>{link}</h2>" in listed
    for html in (home, listed):
        assert 'class="event-meta"' in html and "Come and meet us" in html
