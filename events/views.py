from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from events.models import Event
from programs.models import Commune

HOME_EVENTS = 6


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The public home page: what the programme is, and the next activities."""
    events = Event.objects.upcoming()[:HOME_EVENTS]
    return render(
        request,
        "public/home.html",
        {"commune": Commune.objects.first(), "events": events},
    )
