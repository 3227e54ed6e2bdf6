from functools import partial
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.formats import localize
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext, ngettext
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_http_methods

from belfaa.cache import shared_page, shared_page_allowed
from belfaa.ratelimit import hit
from belfaa.renderers import plain_form_renderer
from events import selectors, services
from events.forms import RegistrationForm
from events.ics import event_ics
from events.links import registration_from_token, registration_url
from events.models import REGISTRANT_FIELDS, SIGNUP_OPEN, Event, Registration
from events.poster import render_poster
from events.selectors import public_event, public_event_page, upcoming_events
from programs.models import Commune

HOME_EVENTS = 6
# The home page and the activity list are cached per language (and kind) this long,
# whole for an anonymous visitor (belfaa.cache.shared_page), as body fragments for
# the others: a newly published activity shows within a minute. Neither shows seats.
HOME_CACHE_SECONDS = 60
# An activity's text and the empty sign-up form, rendered, per language: the text is
# keyed by the row's last change, so an edit shows as soon as the row is read again.
PARTS_CACHE_SECONDS = 600


@require_GET
@shared_page(HOME_CACHE_SECONDS)
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


def _list_queries() -> tuple[str, ...]:
    return ("", *(f"kind={kind}" for kind in Event.Kind.values))


@require_GET
@shared_page(HOME_CACHE_SECONDS, queries=_list_queries)
def event_list(request: HttpRequest) -> HttpResponse:
    """Upcoming published activities, optionally of one kind."""
    kind = request.GET.get("kind", "")
    if kind not in Event.Kind.values:
        kind = ""
    # A callable, as on the home page: a cached body builds no query.
    return render(
        request,
        "events/list.html",
        {
            "events": partial(upcoming_events, kind=kind),
            "kinds": Event.Kind.choices,
            "kind": kind,
            "cache_seconds": HOME_CACHE_SECONDS,
        },
    )


@require_http_methods(["GET", "POST"])
def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """An activity's page, with its sign-up form (which posts here)."""
    status = 200
    form: RegistrationForm | None = None
    state = ""
    if request.method == "POST":
        event = public_event(slug)
        state = event.signup_state()
        if state != SIGNUP_OPEN:
            status = 409
        elif not hit(
            request,
            action="event-signup",
            limit=settings.EVENTS_SIGNUP_RATE_LIMIT,
            window=settings.EVENTS_SIGNUP_RATE_WINDOW,
        ):
            return render(request, "events/too_many.html", {"event": event}, status=429)
        else:
            form = RegistrationForm(request.POST, event=event, renderer=plain_form_renderer)
            if form.is_bot:
                # Answer as if it worked; store nothing.
                return redirect("events:received", slug=event.slug)
            if form.is_valid():
                try:
                    result = services.registration_create(
                        event_id=event.pk,
                        **{k: v for k, v in form.cleaned_data.items() if k in SIGNUP_FIELDS},
                    )
                except services.SignupNotOpen as closed:
                    state, status = closed.state, 409
                else:
                    if not result.created:
                        return redirect("events:received", slug=event.slug)
                    return redirect(registration_url(result.registration))
            else:
                status = 400
    return _event_page(request, slug, form=form, state=state, status=status)


# Stand-ins in an activity page rendered once for every anonymous visitor; each answer
# puts in the visitor's own CSRF token and the seat count read a moment ago.
CSRF_MARK = "belfaa-mark-csrf-token"
SEATS_MARK = "belfaa-mark-seats-left"


def _event_page(
    request: HttpRequest, slug: str, *, form: RegistrationForm | None, state: str, status: int
) -> HttpResponse:
    """The page: the row, the seat count and the rendered page (or its parts) come from
    the cache in one round trip; what was missing is rendered and stored in one more.

    For a visitor without a session or a message (shared_page_allowed), the page is
    the same for everyone but for the CSRF token and the seats: it is rendered once per
    language with stand-ins for both, kept while the row and the sign-up state are the
    same, and each answer fills in this visitor's token and the current seat count."""
    language = get_language()
    year = timezone.localdate().year  # the empty form's year bounds change once a year
    parts = (f"events:article:{slug}:{language}", f"events:signup-fields:{language}:{year}")
    shared = form is None and status == 200 and shared_page_allowed(request)
    page_key = f"events:page:{slug}:{language}:{year}"
    event, seats_left, cached = public_event_page(slug, *((page_key,) if shared else parts))
    state = state or event.signup_state()
    if not shared:
        context = _page_context(event, state, form, cached, parts, _seats(seats_left))
        return render(request, "events/detail.html", context, status=status)
    version = (event.updated_at, state)
    page = cached.get(page_key)
    if page is None or page[0] != version:
        context = _page_context(event, state, None, cache.get_many(parts), parts, SEATS_MARK)
        context["csrf_token"] = CSRF_MARK  # instead of the visitor's, from the processor
        page = (version, render_to_string("events/detail.html", context, request))
        cache.set(page_key, page, PARTS_CACHE_SECONDS)
    html = page[1].replace(SEATS_MARK, _seats(seats_left)).replace(CSRF_MARK, get_token(request))
    response = HttpResponse(html)
    # What the page would vary on when rendered: the session (signed in or not).
    patch_vary_headers(response, ("Cookie",))
    return response


def _seats(seats_left: int) -> str:
    """The seat count sentence (escaped text: numbers and our own catalog's words)."""
    text = ngettext("%(seats)s seat left.", "%(seats)s seats left.", seats_left) % {
        "seats": localize(seats_left)
    }
    if not seats_left:
        text += " " + gettext(
            "You can still sign up: you will be on the waiting list, and we will tell you "
            "if a seat is freed."
        )
    return escape(text)


def _page_context(
    event: Event,
    state: str,
    form: RegistrationForm | None,
    cached: dict[str, Any],
    keys: tuple[str, str],
    seats: str,
) -> dict[str, object]:
    """The template's context: the activity's text and the empty form's fields from
    `cached` when there and current, else rendered and stored."""
    article_key, fields_key = keys
    rendered: dict[str, object] = {}
    article = cached.get(article_key)
    if article is None or article[0] != event.updated_at:
        html = render_to_string(
            "events/_article.html",
            {"event": event, "site_url": settings.SITE_URL.rstrip("/")},
        )
        article = (event.updated_at, html)
        rendered[article_key] = article
    fields = None
    if state == SIGNUP_OPEN and form is None:
        fields = cached.get(fields_key)
        if fields is None:
            fields = rendered[fields_key] = render_to_string(
                "events/_signup_fields.html",
                {"form": RegistrationForm(event=event, renderer=plain_form_renderer)},
            )
    if rendered:
        cache.set_many(rendered, PARTS_CACHE_SECONDS)
    return {
        "event": event,
        "form": form,
        "article": mark_safe(article[1]),  # noqa: S308 (our own template's output)
        "empty_fields": None if fields is None else mark_safe(fields),  # noqa: S308
        "state": state,
        "seats": mark_safe(seats),  # noqa: S308 (escaped by _seats, or our stand-in)
    }


SIGNUP_FIELDS = set(REGISTRANT_FIELDS)


@require_GET
def signup_received(request: HttpRequest, slug: str) -> HttpResponse:
    """For a contact already registered (or a bot): says nothing about anyone."""
    event = public_event(slug)
    return render(request, "events/received.html", {"event": event})


def _registration(token: str) -> Registration:
    """The registration a personal link names; once anonymised, its link leads nowhere."""
    registration_id = registration_from_token(token)
    if registration_id is None:
        raise Http404
    return get_object_or_404(
        Registration.objects.select_related("event"), pk=registration_id, anonymised_at=None
    )


# The personal pages show a name and a status, behind a link that may be forwarded or
# opened on a shared phone: neither a proxy nor the browser may keep a copy.
personal_page = cache_control(private=True, no_store=True)


@require_GET
@personal_page
def registration_detail(request: HttpRequest, token: str) -> HttpResponse:
    """The person's own page: confirmed or waiting (and where), and the cancel link."""
    registration = _registration(token)
    return render(
        request,
        "events/registration.html",
        {
            "registration": registration,
            "event": registration.event,
            "position": selectors.waitlist_position(registration),
            "token": token,
            "can_cancel": _can_cancel(registration),
        },
    )


def _can_cancel(registration: Registration) -> bool:
    return (
        registration.status != Registration.Status.CANCELLED
        and timezone.now() < registration.event.starts_at
    )


@require_http_methods(["GET", "POST"])
@personal_page
def registration_cancel(request: HttpRequest, token: str) -> HttpResponse:
    """Self-service cancellation through the signed link, until the activity starts."""
    registration = _registration(token)
    if registration.status == Registration.Status.CANCELLED:
        return redirect("events:registration", token=token)
    if timezone.now() >= registration.event.starts_at:
        return render(
            request,
            "events/cancel.html",
            {"registration": registration, "too_late": True},
            status=409,
        )
    if request.method == "POST":
        services.registration_cancel(registration_id=registration.pk)
        return redirect("events:registration", token=token)
    return render(request, "events/cancel.html", {"registration": registration, "token": token})


@require_GET
def event_calendar(request: HttpRequest, slug: str) -> HttpResponse:
    event = public_event(slug)
    path = reverse("events:detail", args=[event.slug])
    response = HttpResponse(event_ics(event, url_path=path), content_type="text/calendar")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
    return response


@require_GET
def event_poster(request: HttpRequest, slug: str) -> HttpResponse:
    """An A4 poster (PDF): the title in the three languages and a QR code to sign up."""
    event = public_event(slug)
    signup_url = request.build_absolute_uri(reverse("events:detail", args=[event.slug]))
    response = HttpResponse(
        render_poster(event, signup_url=signup_url), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="{event.slug}.pdf"'
    return response
