"""The door: staff tick people present on a phone, and add those who came without
signing up. Plain forms and redirects, so it works without JavaScript."""

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db.models import Count, Q
from django.db.models.functions import Lower
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from belfaa.permissions import staff_with
from belfaa.validators import (
    OLDEST_BIRTH_YEAR,
    clean_email,
    clean_person_name,
    clean_phone,
    clean_year,
)
from events import services
from events.models import PERSON_FIELDS, Event, Registration

SEARCH_MAX = 100

# Coordinators and Officers.
staff_at_the_door = staff_with("events.change_registration")


class WalkInForm(forms.Form):
    """A person who came without signing up; phone and email are optional."""

    name = forms.CharField(label=capfirst(_("name")), max_length=400, strip=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", "—"), *Registration.Sex.choices])
    group = forms.ChoiceField(
        label=capfirst(_("group")), choices=[("", "—"), *Registration.Group.choices]
    )
    birth_year = forms.IntegerField(
        label=_("Year of birth"), widget=forms.NumberInput(attrs={"inputmode": "numeric"})
    )
    phone = forms.CharField(
        label=_("Phone"),
        required=False,
        max_length=40,
        widget=forms.TextInput(
            attrs={"type": "tel", "inputmode": "tel", "autocomplete": "off", "dir": "ltr"}
        ),
    )
    email = forms.EmailField(
        label=_("Email"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "off", "dir": "ltr"}),
    )

    def __init__(self, *args: object, event: Event, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.event = event
        self.fields["birth_year"].widget.attrs.update(
            min=OLDEST_BIRTH_YEAR, max=timezone.localdate().year
        )

    def clean_name(self) -> str:
        return clean_person_name(self.cleaned_data["name"])

    def clean_phone(self) -> str:
        phone = clean_phone(self.cleaned_data["phone"])
        if phone and self.event.registrations.filter(phone=phone).exists():
            raise forms.ValidationError(self.already_registered, code="unique")
        return phone

    def clean_email(self) -> str:
        email = clean_email(self.cleaned_data["email"])
        if email and self.event.registrations.filter(email=email).exists():
            raise forms.ValidationError(self.already_registered, code="unique")
        return email

    def clean_birth_year(self) -> int:
        return clean_year(self.cleaned_data["birth_year"])

    already_registered = _(
        "Someone with these details is already registered for this activity: "
        "find them in the list above."
    )


def _attendance_url(event_id: int, q: str = "", row: int | None = None) -> str:
    url = reverse("staff:attendance", kwargs={"event_id": event_id})
    if q:
        url += "?" + urlencode({"q": q})
    if row is not None:
        url += f"#row-{row}"
    return url


def _page(request: HttpRequest, event: Event, form: WalkInForm, status: int = 200) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:SEARCH_MAX]
    registrations = event.registrations.all()
    counts = registrations.aggregate(
        confirmed=Count("pk", filter=Q(status=Registration.Status.CONFIRMED)),
        present=Count(
            "pk",
            filter=Q(status=Registration.Status.CONFIRMED, attended_at__isnull=False),
        ),
        waitlisted=Count("pk", filter=Q(status=Registration.Status.WAITLISTED)),
    )
    found = registrations.filter(name__icontains=q) if q else registrations
    confirmed = found.filter(status=Registration.Status.CONFIRMED).order_by(Lower("name"), "pk")
    waitlisted = found.filter(status=Registration.Status.WAITLISTED).order_by("queued_at", "pk")
    return render(
        request,
        "staff/attendance.html",
        {
            "event": event,
            "q": q,
            "counts": counts,
            "confirmed": list(confirmed),
            "waitlisted": list(waitlisted),
            "form": form,
            "walk_ins_allowed": event.status != Event.Status.CANCELLED,
        },
        status=status,
    )


@never_cache
@staff_at_the_door
@require_http_methods(["GET", "POST"])
def attendance(request: HttpRequest, event_id: int) -> HttpResponse:
    """The list of an activity's people with a Present button each; POST adds a walk-in."""
    event = get_object_or_404(Event, pk=event_id)
    if request.method != "POST":
        return _page(request, event, WalkInForm(event=event))
    if event.status == Event.Status.CANCELLED:
        messages.error(request, gettext("This activity is cancelled."))
        return _page(request, event, WalkInForm(event=event), status=409)
    form = WalkInForm(request.POST, event=event)
    if form.is_valid():
        try:
            registration = services.walk_in_add(
                event_id=event.pk,
                language=get_language(),
                **{name: form.cleaned_data[name] for name in PERSON_FIELDS},
            )
        except IntegrityError:
            # Someone else at the door added the same phone or email a moment ago.
            form.add_error(None, WalkInForm.already_registered)
        else:
            messages.success(
                request,
                gettext("%(name)s was added and marked present.") % {"name": registration.name},
            )
            return HttpResponseRedirect(_attendance_url(event.pk, row=registration.pk))
    return _page(request, event, form, status=400)


@staff_at_the_door
@require_POST
def attendance_mark(request: HttpRequest, event_id: int, registration_id: int) -> HttpResponse:
    """Mark one person present (present=1) or undo it (present=0), then go back."""
    registration = get_object_or_404(Registration, pk=registration_id, event_id=event_id)
    if request.POST.get("present") not in ("0", "1"):
        return HttpResponseBadRequest()
    present = request.POST["present"] == "1"
    q = request.POST.get("q", "").strip()[:SEARCH_MAX]
    try:
        result = services.attendance_mark(
            registration_id=registration.pk, present=present, admit_waitlisted=True
        )
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
        return HttpResponseRedirect(_attendance_url(event_id, q))
    if result.admitted:
        message = gettext(
            "%(name)s came from the waiting list: seated at the door and marked present."
        )
    elif present:
        message = gettext("%(name)s: marked present.")
    else:
        message = gettext("%(name)s: no longer marked present.")
    messages.success(request, message % {"name": result.registration})
    return HttpResponseRedirect(_attendance_url(event_id, q, row=registration.pk))
