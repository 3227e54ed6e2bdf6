"""The admin of activities: counts without N+1, edits that go through the rules,
actions, and exports that only Coordinators may take."""

import csv
import io
from collections.abc import Callable
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any

import pytest
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from belfaa.models import User
from belfaa.spreadsheets import neutralise
from events.admin import EventAdmin
from events.models import Event, Notification, Registration
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User], Client]
CHANGELIST = "/en/admin/events/event/"


def register(event: Event, name: str, **extra: Any) -> Registration:
    values: dict[str, Any] = {
        "sex": Registration.Sex.FEMALE,
        "group": Registration.Group.NEWCOMER,
        "language": "fr",
        "status": Registration.Status.CONFIRMED,
        "consent_processing": True,
    }
    values.update(extra)
    return Registration.objects.create(event=event, name=name, **values)


def editable_event(**extra: Any) -> Event:
    """An activity whose admin form validates as it is (the venue is required in Arabic)."""
    return EventFactory(venue_ar="دار الشباب", venue_fr="Maison des jeunes", **extra)


class FormReader(HTMLParser):
    """The values a browser would submit from one form of a page."""

    def __init__(self, form_id: str) -> None:
        super().__init__()
        self.form_id = form_id
        self.inside = False
        self.data: dict[str, list[str]] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def _add(self, name: str, value: str) -> None:
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.inside = a.get("id") == self.form_id
            return
        if not self.inside or "name" not in a:
            if tag == "option" and self._select and "selected" in a:
                self._add(self._select, a.get("value", ""))
            return
        if tag == "input":
            kind = a.get("type", "text")
            if kind in ("submit", "button", "file", "image"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self._add(a["name"], a.get("value", "on" if kind == "checkbox" else ""))
        elif tag == "select":
            self._select = a["name"]
        elif tag == "textarea":
            self._textarea = a["name"]
            self._add(a["name"], "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.data[self._textarea][-1] += data.removeprefix("\n")


def change_form(client: Client, event: Event) -> dict[str, list[str]]:
    response = client.get(f"/en/admin/events/event/{event.pk}/change/")
    assert response.status_code == 200
    reader = FormReader("event_form")
    reader.feed(response.content.decode())
    return reader.data


def save(client: Client, event: Event, **changes: str) -> Any:
    data = change_form(client, event)
    for name, value in changes.items():
        data[name] = [value]
    data["_save"] = ["Save"]
    response = client.post(f"/en/admin/events/event/{event.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return response


def act(client: Client, action: str, *events: Event, **extra: Any) -> Any:
    return client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [e.pk for e in events], "index": 0},
        **extra,
    )


# --- The list ---------------------------------------------------------------------


def test_the_list_shows_confirmed_waitlisted_and_capacity(
    officer: User, client_for: ClientFor
) -> None:
    full = EventFactory(title_en="Full activity", capacity=2)
    register(full, "A")
    register(full, "B")
    register(full, "C", status=Registration.Status.WAITLISTED)
    register(full, "D", status=Registration.Status.CANCELLED)
    # Walk-ins do not take a sign-up seat.
    register(full, "E", walk_in=True)
    empty = EventFactory(title_en="Empty activity", capacity=10)
    response = client_for(officer).get(CHANGELIST)
    rows = {e.pk: e for e in response.context["cl"].result_list}
    assert (rows[full.pk].confirmed_count, rows[full.pk].waitlisted_count) == (2, 1)
    assert (rows[empty.pk].confirmed_count, rows[empty.pk].waitlisted_count) == (0, 0)
    html = response.content.decode()
    assert '<td class="field-confirmed_count">2</td>' in html
    assert '<td class="field-waitlisted_count">1</td>' in html
    assert f'href="/en/staff/events/{full.pk}/attendance/"' in html


def _changelist_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(CHANGELIST)
    assert response.status_code == 200
    return len(queries)


def test_the_list_query_count_does_not_grow_with_activities(
    coordinator: User, client_for: ClientFor
) -> None:
    client = client_for(coordinator)
    for event in EventFactory.create_batch(3):
        register(event, "Someone")
    few = _changelist_queries(client)
    for event in EventFactory.create_batch(12):
        register(event, "Someone", status=Registration.Status.WAITLISTED)
    assert Event.objects.count() == 15
    assert _changelist_queries(client) == few


def test_the_list_filters_by_status_and_searches(officer: User, client_for: ClientFor) -> None:
    EventFactory(title_en="Football", status=Event.Status.DRAFT)
    EventFactory(title_en="Theatre", venue="Cinema Salam")
    client = client_for(officer)
    drafts = client.get(CHANGELIST, {"status__exact": "draft"}).context["cl"].result_list
    assert [e.title_en for e in drafts] == ["Football"]
    found = client.get(CHANGELIST, {"q": "salam"}).context["cl"].result_list
    assert [e.title_en for e in found] == ["Theatre"]
    # In the Arabic admin, a French title is found too.
    EventFactory(title_en="", title_fr="Soirée contes", title_ar="أمسية الحكايات")
    in_arabic = client.get("/ar/admin/events/event/", {"q": "contes"}).context["cl"]
    assert [e.title_ar for e in in_arabic.result_list] == ["أمسية الحكايات"]


def test_registrations_are_listed_on_the_activity_and_cannot_be_deleted_there(
    officer: User, client_for: ClientFor
) -> None:
    event = EventFactory()
    register(event, "فاطمة الزهراء", phone="+212612345678")
    response = client_for(officer).get(f"/en/admin/events/event/{event.pk}/change/")
    html = response.content.decode()
    assert "فاطمة الزهراء" in html
    assert "+212612345678" in html
    assert "registrations-0-DELETE" not in html


# --- Saving through the rules ----------------------------------------------------------


def test_raising_the_capacity_promotes_the_first_people_waiting(
    officer: User, client_for: ClientFor
) -> None:
    event = editable_event(capacity=2)
    register(event, "Seated One")
    register(event, "Seated Two")
    waiting = [
        register(event, f"Waiting {n}", status=Registration.Status.WAITLISTED) for n in range(3)
    ]
    save(client_for(officer), event, capacity="4")
    statuses = {r.name: r.status for r in event.registrations.all()}
    assert statuses["Waiting 0"] == statuses["Waiting 1"] == Registration.Status.CONFIRMED
    assert statuses["Waiting 2"] == Registration.Status.WAITLISTED
    promoted = Notification.objects.filter(kind=Notification.Kind.PROMOTED)
    assert sorted(n.registration_id for n in promoted) == [waiting[0].pk, waiting[1].pk]
    event.refresh_from_db()
    assert event.capacity == 4


def test_saving_without_raising_the_capacity_promotes_no_one(
    officer: User, client_for: ClientFor
) -> None:
    event = editable_event(capacity=1)
    register(event, "Seated")
    register(event, "Waiting", status=Registration.Status.WAITLISTED)
    save(client_for(officer), event, title_en="A new title")
    assert event.registrations.filter(status=Registration.Status.WAITLISTED).count() == 1
    assert not Notification.objects.exists()


def test_a_new_venue_is_announced_to_everyone_registered(
    officer: User, client_for: ClientFor
) -> None:
    event = editable_event()
    seated = register(event, "Seated")
    waiting = register(event, "Waiting", status=Registration.Status.WAITLISTED)
    register(event, "Gone", status=Registration.Status.CANCELLED)
    save(client_for(officer), event, venue_fr="Stade municipal")
    told = Notification.objects.filter(kind=Notification.Kind.EVENT_CHANGED)
    assert sorted(n.registration_id for n in told) == sorted([seated.pk, waiting.pk])
    event.refresh_from_db()
    assert event.venue_fr == "Stade municipal"


def test_a_draft_that_changes_place_tells_no_one(officer: User, client_for: ClientFor) -> None:
    event = editable_event(status=Event.Status.DRAFT)
    register(event, "Seated")
    save(client_for(officer), event, venue_fr="Stade municipal")
    assert not Notification.objects.exists()


def test_choosing_cancelled_in_the_form_tells_everyone(
    officer: User, client_for: ClientFor
) -> None:
    event = editable_event()
    seated = register(event, "Seated")
    save(client_for(officer), event, status="cancelled")
    event.refresh_from_db()
    assert event.status == Event.Status.CANCELLED
    told = Notification.objects.get(kind=Notification.Kind.EVENT_CANCELLED)
    assert told.registration_id == seated.pk


def test_a_capacity_below_the_confirmed_seats_is_a_form_error_and_nothing_is_saved(
    officer: User, client_for: ClientFor
) -> None:
    event = editable_event(capacity=3)
    register(event, "Seated One")
    register(event, "Seated Two")
    register(event, "Door", walk_in=True)
    client = client_for(officer)
    data = change_form(client, event)
    data.update(capacity=["1"], title_en=["A new title"], _save=["Save"])
    response = client.post(f"/en/admin/events/event/{event.pk}/change/", data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "2 people already have a confirmed seat" in errors["capacity"][0]
    assert "2 people already have a confirmed seat" in response.content.decode()
    event.refresh_from_db()
    assert (event.capacity, event.title_en) != (1, "A new title")
    assert event.capacity == 3


def test_a_capacity_lowered_to_the_confirmed_seats_is_saved(
    officer: User, client_for: ClientFor
) -> None:
    event = editable_event(capacity=3)
    register(event, "Seated One")
    register(event, "Seated Two")
    save(client_for(officer), event, capacity="2")
    event.refresh_from_db()
    assert event.capacity == 2


# --- Actions ------------------------------------------------------------------------


def test_the_cancel_action_cancels_and_tells_everyone(officer: User, client_for: ClientFor) -> None:
    first, second, untouched = EventFactory(), EventFactory(), EventFactory()
    a = register(first, "A")
    b = register(second, "B", status=Registration.Status.WAITLISTED)
    register(untouched, "C")
    response = act(client_for(officer), "cancel_events", first, second, follow=True)
    assert "2 activities cancelled. 2 people registered will be told." in (
        response.content.decode()
    )
    statuses = dict(Event.objects.values_list("pk", "status"))
    assert statuses[first.pk] == statuses[second.pk] == Event.Status.CANCELLED
    assert statuses[untouched.pk] == Event.Status.PUBLISHED
    told = Notification.objects.filter(kind=Notification.Kind.EVENT_CANCELLED)
    assert sorted(n.registration_id for n in told) == sorted([a.pk, b.pk])


def test_an_activity_can_be_cancelled_from_its_own_page(
    officer: User, client_for: ClientFor
) -> None:
    event = EventFactory()
    seated = register(event, "Seated")
    client = client_for(officer)
    url = f"/en/admin/events/event/{event.pk}/change/"
    assert "Cancel this activity (everyone registered is told)" in client.get(url).content.decode()
    client.post(url, {"CHANGE_FORM-action": "cancel_events", "_selected_action": event.pk})
    event.refresh_from_db()
    assert event.status == Event.Status.CANCELLED
    told = Notification.objects.get(kind=Notification.Kind.EVENT_CANCELLED)
    assert told.registration_id == seated.pk


def test_the_duplicate_action_makes_a_draft_copy(officer: User, client_for: ClientFor) -> None:
    event = EventFactory(title_en="Football", slug="football", capacity=22)
    response = act(client_for(officer), "duplicate_events", event)
    copy = Event.objects.exclude(pk=event.pk).get()
    assert response["Location"] == f"/en/admin/events/event/{copy.pk}/change/"
    assert copy.status == Event.Status.DRAFT
    assert copy.title_en == "Football"
    assert copy.capacity == 22
    assert copy.slug == "football-copy"
    assert (copy.starts_at - Event.objects.get(pk=event.pk).starts_at).days == 7


def test_a_viewer_has_no_actions(viewer: User, client_for: ClientFor) -> None:
    event = EventFactory()
    client = client_for(viewer)
    response = client.get(CHANGELIST)
    assert response.status_code == 200
    assert response.context["action_form"] is None
    act(client, "cancel_events", event)
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED


# --- Exports ------------------------------------------------------------------------


@pytest.fixture
def exported_event() -> Event:
    event = EventFactory(title_en="Football")
    arabic = register(
        event,
        "فاطمة الزهراء",
        phone="+212612345678",
        email="fatima@example.test",
        birth_year=2004,
        attended_at=datetime(2026, 1, 15, 15, 0, tzinfo=UTC),
    )
    Registration.objects.filter(pk=arabic.pk).update(
        created_at=datetime(2026, 1, 15, 10, 0, tzinfo=UTC)
    )
    register(event, '=HYPERLINK("http://evil.test","x")', group=Registration.Group.MRE)
    register(event, "@SUM(1+1)", status=Registration.Status.WAITLISTED, walk_in=True)
    register(EventFactory(), "Other Activity Person")
    return event


def test_a_coordinator_exports_registrations_as_csv(
    coordinator: User, client_for: ClientFor, exported_event: Event
) -> None:
    response = act(client_for(coordinator), "export_csv", exported_event)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="registrations-')
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "activity",
        "name",
        "phone",
        "email",
        "birth year",
        "sex",
        "group",
        "language",
        "status",
        "attended",
        "added at the door",
        "registered at",
    ]
    assert len(rows) == 4
    by_name = {row[1]: row for row in rows[1:]}
    assert by_name["فاطمة الزهراء"] == [
        "Football",
        "فاطمة الزهراء",
        "'+212612345678",
        "fatima@example.test",
        "2004",
        "female",
        "newcomer",
        "French",
        "confirmed",
        "yes",
        "no",
        # 10:00 UTC is 11:00 in Casablanca in January.
        "2026-01-15 11:00",
    ]
    assert '\'=HYPERLINK("http://evil.test","x")' in by_name
    waiting = by_name["'@SUM(1+1)"]
    assert waiting[8:11] == ["on the waiting list", "no", "yes"]
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    assert "Other Activity Person" not in response.content.decode("utf-8-sig")


def read_sheet(content: bytes) -> Worksheet:
    sheet = load_workbook(io.BytesIO(content)).active
    assert isinstance(sheet, Worksheet)
    return sheet


def test_a_coordinator_exports_registrations_as_xlsx(
    coordinator: User, client_for: ClientFor, exported_event: Event
) -> None:
    response = act(client_for(coordinator), "export_xlsx", exported_event)
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = read_sheet(response.content)
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "activity"
    assert len(rows) == 4
    by_name = {row[1]: row for row in rows[1:]}
    arabic = by_name["فاطمة الزهراء"]
    assert arabic[2] == "'+212612345678"
    assert arabic[11] == datetime(2026, 1, 15, 11, 0)
    assert '\'=HYPERLINK("http://evil.test","x")' in by_name
    assert "'@SUM(1+1)" in by_name
    # No cell was stored as a formula.
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_an_export_in_arabic_reads_right_to_left(
    coordinator: User, client_for: ClientFor, exported_event: Event
) -> None:
    response = client_for(coordinator).post(
        "/ar/admin/events/event/",
        {"action": "export_xlsx", "_selected_action": [exported_event.pk], "index": 0},
    )
    sheet = read_sheet(response.content)
    assert sheet.sheet_view.rightToLeft is True
    assert sheet["B1"].value == "الاسم"


def test_an_officer_is_not_offered_the_exports(officer: User, client_for: ClientFor) -> None:
    EventFactory()
    form = client_for(officer).get(CHANGELIST).context["action_form"]
    choices = [name for name, _ in form.fields["action"].choices]
    assert "cancel_events" in choices
    assert "export_csv" not in choices
    assert "export_xlsx" not in choices


@pytest.mark.parametrize("action", ["export_csv", "export_xlsx"])
def test_an_officer_posting_an_export_anyway_gets_no_file(
    action: str, officer: User, client_for: ClientFor, exported_event: Event
) -> None:
    response = act(client_for(officer), action, exported_event)
    assert "Content-Disposition" not in response
    assert "فاطمة".encode() not in response.content


@pytest.mark.parametrize("action", ["export_csv", "export_xlsx"])
def test_the_export_itself_refuses_anyone_but_a_coordinator(
    action: str, officer: User, exported_event: Event
) -> None:
    request = RequestFactory().post(CHANGELIST)
    request.user = officer
    model_admin = admin.site.get_model_admin(Event)
    assert isinstance(model_admin, EventAdmin)
    with pytest.raises(PermissionDenied):
        getattr(model_admin, action)(request, Event.objects.filter(pk=exported_event.pk))


def test_a_superuser_may_export(client_for: ClientFor, exported_event: Event) -> None:
    root = User.objects.create_superuser(email="root@example.test", password="x" * 20)
    response = act(client_for(root), "export_csv", exported_event)
    assert "فاطمة الزهراء" in response.content.decode("utf-8-sig")


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ("=1+2", "'=1+2"),
        ("+212612345678", "'+212612345678"),
        ("-2", "'-2"),
        ("@cmd", "'@cmd"),
        ("\t=1", "'\t=1"),
        ("Awa = Diallo", "Awa = Diallo"),
        (2004, 2004),
    ],
)
def test_neutralise_quotes_what_a_spreadsheet_would_run(value: object, safe: object) -> None:
    assert neutralise(value) == safe


# --- The registrations admin ----------------------------------------------------------


def test_registrations_are_searchable_by_phone_and_filterable(
    officer: User, client_for: ClientFor
) -> None:
    event = EventFactory()
    register(event, "Awa", phone="+212612345678")
    register(event, "Mamadou", walk_in=True)
    client = client_for(officer)
    found = client.get("/en/admin/events/registration/", {"q": "612345678"}).context["cl"]
    assert [r.name for r in found.result_list] == ["Awa"]
    walk_ins = client.get("/en/admin/events/registration/", {"walk_in__exact": "1"})
    assert [r.name for r in walk_ins.context["cl"].result_list] == ["Mamadou"]


def test_cancelling_a_registration_in_the_admin_frees_its_seat(
    officer: User, client_for: ClientFor
) -> None:
    event = EventFactory(capacity=1)
    seated = register(event, "Seated")
    waiting = register(event, "Waiting", status=Registration.Status.WAITLISTED)
    client_for(officer).post(
        "/en/admin/events/registration/",
        {"action": "cancel_registrations", "_selected_action": [seated.pk], "index": 0},
    )
    seated.refresh_from_db()
    waiting.refresh_from_db()
    assert seated.status == Registration.Status.CANCELLED
    assert waiting.status == Registration.Status.CONFIRMED
    assert Notification.objects.get().kind == Notification.Kind.PROMOTED


def test_a_registration_phone_corrected_in_the_admin_is_checked(
    coordinator: User, client_for: ClientFor
) -> None:
    event = EventFactory()
    registration = register(event, "Awa", phone="+212612345678")
    client = client_for(coordinator)
    url = f"/en/admin/events/registration/{registration.pk}/change/"
    reader = FormReader("registration_form")
    reader.feed(client.get(url).content.decode())
    data = {**reader.data, "phone": ["12"], "_save": ["Save"]}
    assert client.post(url, data).status_code == 200
    data["phone"] = ["0612345679"]
    assert client.post(url, data).status_code == 302
    registration.refresh_from_db()
    assert registration.phone == "+212612345679"
    assert registration.status == Registration.Status.CONFIRMED
