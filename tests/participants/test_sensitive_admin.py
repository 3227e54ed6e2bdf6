"""The sensitive part in the admin, swept over every registered admin: no one without the
permission can filter, sort or search on it, directly or across relations; and for a
Coordinator, the pages that show some of it are exactly the pages that log it."""

from collections.abc import Callable, Iterator
from datetime import date
from typing import Any
from urllib.parse import urlencode

import pytest
from django.contrib import admin
from django.contrib.admin.views.main import ORDER_VAR, SEARCH_VAR
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db.models import Model
from django.test import Client, RequestFactory
from django.urls import reverse

from belfaa.models import User
from events.models import Registration
from participants.admin import SensitiveAdmin
from participants.admin_site import SensitiveAdminSite, SensitiveGuard
from participants.models import (
    SENSITIVE,
    AccessLog,
    Consent,
    Neighbourhood,
    Participant,
    SupportRequest,
)
from tests.factories import EventFactory, OrganisationFactory, make_participant

pytestmark = pytest.mark.django_db

TOKEN = "PLANTED-"  # every planted free-text value starts with it, and nothing else does
LOOKUPS = ("exact", "icontains", "startswith", "regex", "isnull")


def planted(name: str, version: str = "first") -> str:
    return f"{TOKEN}{name}-{version}"


@pytest.fixture
def world(coordinator: User) -> dict[str, Model]:
    """A record of each kind the admin shows, tied to one person whose sensitive part is
    planted, with history: the person's and the request's last change is to the sensitive
    part; a second person's last change is not."""
    partner = OrganisationFactory(name="Association Planted")
    person = make_participant(
        neighbourhood=Neighbourhood.objects.create(name="Hay Planted"),
        id_document_number=planted("id_document_number"),
        notes=planted("notes"),
    )
    person.notes = planted("notes", "second")
    person.save()
    quiet = make_participant(
        given_name="Zoubida",
        family_name="Quietname",
        phone="+212612000222",
        email="quiet@example.test",
        id_document_number=planted("id_document_number", "quiet"),
        notes=planted("notes", "quiet"),
    )
    quiet.languages = "Darija"
    quiet.save()
    request = SupportRequest.objects.create(
        participant=person,
        kind="legal",
        opened_on=date(2026, 3, 1),
        referred_to=partner,
        follow_up_notes=planted("follow_up_notes"),
    )
    request.follow_up_notes = planted("follow_up_notes", "second")
    request.save()
    consent = Consent.objects.create(
        participant=person,
        purpose="registry",
        given_at=date(2026, 3, 1),
        method="written",
        recorded_by=coordinator,
    )
    event = EventFactory()
    registration = Registration.objects.create(
        event=event,
        participant=person,
        name="Aminata Plantedname",
        phone="+212612000111",
        sex="female",
        group="newcomer",
        language="fr",
        status=Registration.Status.CONFIRMED,
    )
    world: dict[str, Model] = {
        "participants.Participant": person,
        "participants.SupportRequest": request,
        "participants.Consent": consent,
        "events.Registration": registration,
    }
    # A model declared sensitive later needs a planted record here, or nothing is swept.
    assert set(SENSITIVE) <= set(world)
    for label in SENSITIVE:
        for name in SENSITIVE[label]:
            value = getattr(world[label], name)
            field = type(world[label])._meta.get_field(name)
            assert value and (getattr(field, "choices", None) or str(value).startswith(TOKEN))
    return world


def sensitive_paths(model: type[Model], hops: int = 2, prefix: str = "") -> Iterator[str]:
    """Every path to a declared sensitive field from `model`, directly or across up to
    `hops` relations (forward or reverse)."""
    for name in SENSITIVE.get(model._meta.label, ()):
        yield prefix + name
    if hops:
        for field in model._meta.get_fields():
            if field.is_relation and isinstance(field.related_model, type):
                yield from sensitive_paths(field.related_model, hops - 1, f"{prefix}{field.name}__")


def owner_and_field(model: type[Model], path: str) -> tuple[type[Model], str]:
    *relations, name = path.split("__")
    for part in relations:
        model = model._meta.get_field(part).related_model  # type: ignore[assignment]
    return model, name


def lookup_value(world: dict[str, Model], model: type[Model], path: str, lookup: str) -> str:
    """A value that matches the planted record through `path`, for `lookup`."""
    owner, name = owner_and_field(model, path)
    value = str(getattr(world[owner._meta.label], name))
    return {
        "exact": value,
        "icontains": value[2:-2],
        "startswith": value[:5],
        "regex": "^" + value[:5],
        "isnull": "False",
    }[lookup]


def changelist(model: type[Model]) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def listed(response: Any) -> list[Any]:
    """The records a changelist response lists (none if it is not a list)."""
    context = response.context
    if response.status_code != 200 or context is None or "cl" not in context:
        return []
    return list(context["cl"].result_list)


REGISTRY = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)
REACHING = [
    (model, path) for model, _admin in REGISTRY for path in sorted(set(sensitive_paths(model)))
]


def test_every_registered_admin_and_inline_carries_the_guard() -> None:
    for model, model_admin in REGISTRY:
        assert isinstance(model_admin, SensitiveGuard), model
        if SENSITIVE.get(model._meta.label):
            assert isinstance(model_admin, SensitiveAdmin), model


def test_the_sweep_reaches_sensitive_fields_through_other_admins() -> None:
    reached = {(model._meta.label, path) for model, path in REACHING}
    assert ("participants.SupportRequest", "follow_up_notes") in reached
    assert ("participants.Consent", "participant__legal_status") in reached
    assert ("events.Registration", "participant__notes") in reached
    assert ("events.Event", "registrations__participant__notes") in reached


def test_a_model_with_a_sensitive_part_cannot_be_registered_with_an_admin_that_does_not_log() -> (
    None
):
    site = SensitiveAdminSite(name="trial")
    with pytest.raises(ImproperlyConfigured, match="sensitive part"):
        site.register(SupportRequest, admin.ModelAdmin)
    site.register(Registration)  # a plain admin, registered later, is guarded all the same
    assert isinstance(site.get_model_admin(Registration), SensitiveGuard)


@pytest.mark.parametrize("role", ["officer", "viewer"])
def test_no_one_without_the_permission_can_filter_on_a_sensitive_field_anywhere(
    request: pytest.FixtureRequest, client_for: Callable[[User], Client], world: Any, role: str
) -> None:
    client = client_for(request.getfixturevalue(role))
    refused = 0
    opens = {model: client.get(changelist(model)) for model, _path in REACHING}
    for model, path in REACHING:
        url = changelist(model)
        if opens[model].status_code == 403:
            continue  # this role cannot open the list at all
        assert listed(opens[model]), f"nothing planted for {model._meta.label}"
        for lookup in LOOKUPS:
            value = lookup_value(world, model, path, lookup)
            response = client.get(url, {f"{path}__{lookup}": value})
            assert response.status_code == 400 or not listed(response), (
                f"{role} filtered {model._meta.label} on {path}__{lookup}"
            )
            refused += response.status_code == 400
    assert refused


@pytest.mark.parametrize("role", ["officer", "viewer"])
def test_no_one_without_the_permission_finds_a_record_by_searching_its_sensitive_part(
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
    client_for: Callable[[User], Client],
    world: Any,
    role: str,
) -> None:
    client = client_for(request.getfixturevalue(role))
    for model, model_admin in REGISTRY:
        # As if the admin searched the sensitive part too: it is left out of the search.
        searched = (*model_admin.search_fields, *sensitive_paths(model))
        monkeypatch.setattr(model_admin, "search_fields", searched)
        for label, names in SENSITIVE.items():
            for name in names:
                value = str(getattr(world[label], name))
                response = client.get(changelist(model), {SEARCH_VAR: value[2:-2]})
                assert response.status_code in (403, 200), model
                assert not listed(response), f"{role} found {model._meta.label} by {name}"


def sorted_on(path: str) -> Any:
    @admin.display(ordering=path, description="sorted")
    def column(obj: Any) -> str:
        return "-"

    return column


def test_no_one_without_the_permission_can_sort_on_a_sensitive_field_anywhere(
    monkeypatch: pytest.MonkeyPatch,
    client_for: Callable[[User], Client],
    world: Any,
    officer: User,
    viewer: User,
    coordinator: User,
) -> None:
    clients = [client_for(user) for user in (officer, viewer, coordinator)]
    # A column added last is at this index in each one's list (after the action box).
    added = {
        (model, n): str(len(list_columns(client, model)))
        for model, _path in REACHING
        for n, client in enumerate(clients)
    }
    for model, path in REACHING:
        model_admin = admin.site._registry[model]
        # As if the admin had a column sorted on a sensitive field.
        columns = (*type(model_admin).list_display, sorted_on(path))
        monkeypatch.setattr(model_admin, "list_display", columns)
        for n in (0, 1):
            response = clients[n].get(changelist(model), {ORDER_VAR: added[model, n]})
            assert response.status_code in (400, 403), (n, model, path)
        before = AccessLog.objects.count()
        response = clients[2].get(changelist(model), {ORDER_VAR: added[model, 2]})
        # Only an admin that logs what it shows may be sorted on it, by a Coordinator.
        if isinstance(model_admin, SensitiveAdmin):
            assert response.status_code == 200, (model, path)
            rows = AccessLog.objects.order_by("pk")[before:]
            assert rows
            assert [row.fields for row in rows] == [[path.split("__")[-1]]] * len(rows)
            assert len(rows) == len({model_admin.logged_reference(o) for o in listed(response)})
        else:
            assert response.status_code in (400, 403), (model, path)


def test_a_sort_on_a_sensitive_field_written_in_an_admin_or_inline_is_dropped_for_officers(
    monkeypatch: pytest.MonkeyPatch,
    client_for: Callable[[User], Client],
    world: Any,
    officer: User,
) -> None:
    person = world["participants.Participant"]
    participants = admin.site._registry[Participant]
    monkeypatch.setattr(participants, "ordering", ("legal_status", "notes", "family_name"))
    monkeypatch.setattr(participants.inlines[1], "ordering", ("follow_up_notes",))
    client = client_for(officer)
    response = client.get(changelist(Participant))
    assert response.status_code == 200
    assert list(response.context["cl"].queryset.query.order_by)[:1] == ["family_name"]
    response = client.get(reverse("admin:participants_participant_change", args=[person.pk]))
    requests = response.context["inline_admin_formsets"][1].formset.queryset
    assert "follow_up_notes" not in requests.query.order_by
    assert TOKEN not in response.content.decode()


def test_coordinators_still_filter_on_the_sensitive_part_and_it_is_logged(
    client_for: Callable[[User], Client], world: Any, coordinator: User
) -> None:
    client = client_for(coordinator)
    for label, names in SENSITIVE.items():
        record = world[label]
        model = type(record)
        for name in names:
            value = lookup_value(world, model, name, "exact")
            response = client.get(changelist(model), {f"{name}__exact": value})
            assert response.status_code == 200
            assert record in listed(response)
            row = AccessLog.objects.latest("pk")
            assert (row.purpose, row.fields) == (AccessLog.Purpose.ADMIN_LIST, [name])


# --- Point 4: the pages that show the sensitive part are the pages that log it ------------


def order_field(model_admin: Any, column: Any) -> str | None:
    """The field a list column sorts on (as the admin's ChangeList reads it)."""
    if isinstance(column, str):
        try:
            return str(model_admin.model._meta.get_field(column).name)
        except FieldDoesNotExist:
            column = getattr(model_admin, column, None) or getattr(model_admin.model, column, None)
    if isinstance(column, property):
        column = column.fget
    return getattr(column, "admin_order_field", None)


def list_columns(client: Client, model: type[Model]) -> list[Any]:
    """The columns of a changelist as this user gets it (the action box first, if any)."""
    response = client.get(changelist(model))
    return list(response.context["cl"].list_display) if response.status_code == 200 else []


def admin_pages(client: Client, world: dict[str, Model]) -> Iterator[tuple[str, set[str]]]:
    """Every admin page of the planted records, from the registry: each with the
    sensitive paths its query string asks about."""
    last = sorted(REGISTRY, key=lambda item: item[0] is AccessLog)
    for model, model_admin in last:
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        url = changelist(model)
        yield url, set()
        paths = set(sensitive_paths(model))
        for path in sorted(paths):
            value = lookup_value(world, model, path, "exact")
            # A free text is asked about without the token, so the page's echo of the
            # question is not taken for the answer.
            query = {f"{path}__icontains": value.removeprefix(TOKEN)}
            if not value.startswith(TOKEN):
                query = {f"{path}__exact": value}
            yield f"{url}?{urlencode(query)}", {path}
            yield f"{url}?{path}__isnull=False", {path}
        for index, column in enumerate(list_columns(client, model)):
            sorted_by = order_field(model_admin, column)
            yield f"{url}?{ORDER_VAR}={index}", {sorted_by} & paths if sorted_by else set()
        search = {field.lstrip("^=@") for field in model_admin.search_fields} & paths
        yield f"{url}?{SEARCH_VAR}=notes-second", search
        versions = (
            getattr(model, "history", None) if hasattr(model_admin, "history_form_view") else None
        )
        for obj in model._default_manager.all():
            for view in ("change", "history", "delete"):
                yield reverse(f"{info}_{view}", args=[obj.pk]), set()
            for version in versions.filter(pk=obj.pk) if versions is not None else ():
                yield reverse(f"{info}_simple_history", args=[obj.pk, version.pk]), set()
            if versions is not None:
                yield reverse(f"{info}_simple_history", args=[obj.pk, 999999]), set()
        # Pages of nothing: no row for them.
        yield reverse(f"{info}_change", args=[999999]), set()
        yield reverse(f"{info}_history", args=[999999]), set()


def test_the_pages_that_show_the_sensitive_part_are_exactly_the_pages_that_log_it(
    client_for: Callable[[User], Client], world: dict[str, Model], coordinator: User
) -> None:
    client = client_for(coordinator)
    shown: set[str] = set()
    logged: dict[str, list[AccessLog]] = {}
    # Lazily, and the log last: its own pages are visited once it holds rows.
    for url, asked in admin_pages(client, world):
        before = AccessLog.objects.order_by("pk").last()
        response = client.get(url)
        assert response.status_code in (200, 302, 400, 403, 404), url
        rows = list(AccessLog.objects.filter(pk__gt=before.pk if before else 0))
        if rows:
            logged[url] = rows
        html = response.content.decode()
        listed_records = listed(response)
        if TOKEN in html or (asked and listed_records):
            shown.add(url)
        if asked and listed_records:
            model_admin = admin.site._registry[type(listed_records[0])]
            references = {model_admin.logged_reference(obj) for obj in listed_records}
            assert sorted(row.reference for row in rows) == sorted(references), url
            assert {row.purpose for row in rows} == {AccessLog.Purpose.ADMIN_LIST}
    assert shown == set(logged), (
        f"shown, not logged: {sorted(shown - set(logged))}; "
        f"logged, not shown: {sorted(set(logged) - shown)}"
    )

    # The sweep saw what it should: the record, its requests, lists and history.
    person = world["participants.Participant"]
    request = world["participants.SupportRequest"]
    record = reverse("admin:participants_participant_change", args=[person.pk])
    (row,) = logged[record]
    assert row.purpose == AccessLog.Purpose.ADMIN_RECORD
    assert {"legal_status", "notes", "follow_up_notes"} <= set(row.fields)
    (row,) = logged[reverse("admin:participants_supportrequest_change", args=[request.pk])]
    assert (row.purpose, row.fields) == (AccessLog.Purpose.ADMIN_REQUEST, ["follow_up_notes"])
    (row,) = logged[reverse("admin:participants_participant_history", args=[person.pk])]
    assert (row.purpose, row.fields) == (AccessLog.Purpose.ADMIN_HISTORY, ["notes"])
    assert reverse("admin:participants_supportrequest_history", args=[request.pk]) in logged
    versions = [
        reverse("admin:participants_participant_simple_history", args=[person.pk, v.pk])
        for v in Participant.history.filter(pk=person.pk)
    ]
    assert set(versions) <= set(logged)
    quiet = Participant.objects.get(family_name="Quietname")
    assert reverse("admin:participants_participant_history", args=[quiet.pk]) not in logged
    assert any("legal_status__isnull" in url for url in logged)
    assert any("follow_up_notes__icontains" in url for url in logged)


def test_a_refused_or_missing_page_writes_no_row(
    client_for: Callable[[User], Client], world: dict[str, Model], coordinator: User
) -> None:
    person = world["participants.Participant"]
    client = client_for(coordinator)
    for url in (
        reverse("admin:participants_participant_simple_history", args=[person.pk, 999999]),
        reverse("admin:participants_participant_history", args=[999999]),
        changelist(Registration) + "?participant__notes__icontains=notes",
    ):
        assert client.get(url).status_code in (400, 404)
    assert not AccessLog.objects.exists()


class _Undeclared(admin.SimpleListFilter):
    title = "status"
    parameter_name = "situation"

    def lookups(self, request: Any, model_admin: Any) -> list[tuple[str, str]]:
        return [("undocumented", "undocumented")]

    def queryset(self, request: Any, queryset: Any) -> Any:
        if self.value():
            return queryset.filter(participant__legal_status=self.value())
        return queryset


class _Declared(_Undeclared):
    field_paths = ("participant__legal_status",)


def test_a_custom_list_filter_must_say_which_fields_it_filters_on() -> None:
    site = SensitiveAdminSite(name="trial")

    class Undeclared(admin.ModelAdmin):
        list_filter = (_Undeclared,)

    with pytest.raises(ImproperlyConfigured, match="field_paths"):
        site.register(Registration, Undeclared)


def test_a_declared_custom_filter_on_a_sensitive_field_is_left_out_for_an_officer(
    officer: User,
) -> None:
    site = SensitiveAdminSite(name="trial")

    class Declared(admin.ModelAdmin):
        list_filter = ("status", _Declared)

    site.register(Registration, Declared)
    model_admin = site.get_model_admin(Registration)
    request = RequestFactory().get("/")
    request.user = officer
    assert list(model_admin.get_list_filter(request)) == ["status"]
