from functools import partial

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from events.selectors import upcoming_events
from programs.models import Commune

HOME_EVENTS = 6
# The page body is cached per language this long: a newly published activity shows
# within a minute, and the home page costs little more than an empty response.
HOME_CACHE_SECONDS = 60


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The public home page: what the programme is, and the next activities."""
    # Callables, not querysets: the template calls them only when its cached fragment
    # has expired, so a cached page builds no query at all.
    return render(
        request,
        "public/home.html",
        {
            "commune": Commune.objects.first,
            "events": partial(upcoming_events, limit=HOME_EVENTS),
            "cache_seconds": HOME_CACHE_SECONDS,
        },
    )
