from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from portal.access import member_required


@require_GET
@member_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html", {"organisation": request.organisation})  # type: ignore[attr-defined]
