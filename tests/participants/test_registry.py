"""The registry: who sees what, the access log, duplicates, merge, erasure, retention."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.core import mail
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

from belfaa.models import User
from events.models import Registration
from participants import services
from participants.models import AccessLog, Consent, Participant, SupportRequest
from tests.conftest import need
from tests.factories import EventFactory, make_participant

pytestmark = pytest.mark.django_db

PLANTED = ("UNDOCUMENTED", "PLANTEDDOC123", "PLANTEDNOTE", "PLANTEDFOLLOWUP")
SENSITIVE_LABELS = ("without papers", "PLANTEDDOC123", "PLANTEDNOTE", "PLANTEDFOLLOWUP")


@pytest.fixture
def person(coordinator: User) -> Participant:
    participant = make_participant()
    SupportRequest.objects.create(
        participant=participant,
        kind="legal",
        opened_on=date(2026, 3, 1),
        follow_up_notes="PLANTEDFOLLOWUP seen at the office",
    )
    Consent.objects.create(
        participant=participant,
        purpose="registry",
        given_at=date(2026, 3, 1),
        method="written",
        recorded_by=coordinator,
    )
    return participant


def pages(person: Participant) -> dict[str, str]:
    request = person.support_requests.get()
    return {
        "list": "/en/admin/participants/participant/",
        "search": "/en/admin/participants/participant/?q=Plantedname",
        "filter": "/en/admin/participants/participant/?legal_status__exact=undocumented",
        "change": f"/en/admin/participants/participant/{person.pk}/change/",
        "history": f"/en/admin/participants/participant/{person.pk}/history/",
        "request": f"/en/admin/participants/supportrequest/{request.pk}/change/",
        "requests": "/en/admin/participants/supportrequest/",
        "consents": "/en/admin/participants/consent/",
        "log": "/en/admin/participants/accesslog/",
    }


# page -> expected status per role; None means "redirect to sign in"
MATRIX = {
    "list": {"coordinator": 200, "officer": 200, "viewer": 200, "partner": 403, "anon": None},
    "search": {"coordinator": 200, "officer": 200, "viewer": 200, "partner": 403, "anon": None},
    "change": {"coordinator": 200, "officer": 200, "viewer": 200, "partner": 403, "anon": None},
    "history": {"coordinator": 200, "officer": 403, "viewer": 403, "partner": 403, "anon": None},
    "request": {"coordinator": 200, "officer": 200, "viewer": 200, "partner": 403, "anon": None},
    "requests": {"coordinator": 200, "officer": 200, "viewer": 200, "partner": 403, "anon": None},
    "consents": {"coordinator": 200, "officer": 200, "viewer": 200, "partner": 403, "anon": None},
    "log": {"coordinator": 200, "officer": 403, "viewer": 403, "partner": 403, "anon": None},
}


@pytest.mark.parametrize("page", sorted(MATRIX))
@pytest.mark.parametrize("role", ["coordinator", "officer", "viewer", "partner", "anon"])
def test_access_matrix_and_no_sensitive_value_leaks(
    request: pytest.FixtureRequest, person: Participant, page: str, role: str
) -> None:
    client = Client()
    if role != "anon":
        user = request.getfixturevalue("partner_md" if role == "partner" else role)
        client.force_login(user)
    response = client.get(pages(person)[page], follow=role in {"partner", "anon"})
    expected = MATRIX[page][role]
    html = response.content.decode()
    if expected is None:
        assert response.redirect_chain[-1][0].startswith("/en/accounts/login/")
    else:
        assert response.status_code == expected
    if role != "coordinator":
        for value in (*PLANTED, "without papers", "undocumented"):
            if page == "filter":
                continue
            assert value not in html, f"{value} shown to {role} on {page}"


def test_officers_cannot_filter_or_search_by_sensitive_fields(
    client_for, officer: User, person: Participant
) -> None:
    client = client_for(officer)
    html = client.get("/en/admin/participants/participant/").content.decode()
    assert "legal_status" not in html
    found = client.get("/en/admin/participants/participant/?q=PLANTEDNOTE").content.decode()
    assert person.reference not in found
    filtered = client.get("/en/admin/participants/participant/?legal_status__exact=undocumented")
    assert filtered.status_code == 400 or person.reference not in filtered.content.decode()


def test_the_coordinator_sees_the_sensitive_part(
    client_for, coordinator: User, person: Participant
) -> None:
    html = client_for(coordinator).get(pages(person)["change"]).content.decode()
    for value in ("PLANTEDDOC123", "PLANTEDNOTE", "PLANTEDFOLLOWUP"):
        assert value in html


def test_each_sensitive_display_writes_exactly_one_log_row(
    client_for, coordinator: User, officer: User, person: Participant
) -> None:
    client_for(officer).get(pages(person)["change"])
    assert AccessLog.objects.count() == 0
    client = client_for(coordinator)
    client.get(pages(person)["change"], REMOTE_ADDR="203.0.113.7")
    row = AccessLog.objects.get()
    assert (row.user, row.reference, row.ip, row.purpose) == (
        coordinator,
        person.reference,
        "203.0.113.7",
        AccessLog.Purpose.ADMIN_RECORD,
    )
    assert "notes" in row.fields and "given_name" not in row.fields
    client.get(pages(person)["request"])
    assert AccessLog.objects.count() == 2
    client.get(pages(person)["list"])
    assert AccessLog.objects.count() == 2  # the list shows nothing sensitive


def test_the_log_never_names_the_person(client_for, coordinator: User, person: Participant) -> None:
    client_for(coordinator).get(pages(person)["change"])
    row = AccessLog.objects.values().get()
    assert "Aminata" not in str(row) and "Plantedname" not in str(row)


def test_the_coordinator_sees_who_looked_at_a_record(
    client_for, coordinator: User, person: Participant
) -> None:
    client = client_for(coordinator)
    client.get(pages(person)["change"])
    html = client.get(pages(person)["change"]).content.decode()
    assert "who looked at this record" in html.lower()
    assert "record in the admin" in html


def test_the_log_cannot_be_changed_through_the_admin(
    client_for, coordinator: User, person: Participant
) -> None:
    client = client_for(coordinator)
    client.get(pages(person)["change"])
    row = AccessLog.objects.get()
    assert client.get(f"/en/admin/participants/accesslog/{row.pk}/delete/").status_code == 403
    client.post(f"/en/admin/participants/accesslog/{row.pk}/change/", {"reference": "X"})
    assert AccessLog.objects.get().reference == person.reference


def test_postgresql_refuses_update_and_delete_on_the_log(coordinator: User) -> None:
    need(connection.vendor == "postgresql", "the append-only trigger exists on PostgreSQL only")
    services.access_log_write(
        user=coordinator, references=["BLF-2026-00001"], purpose=AccessLog.Purpose.ADMIN_RECORD
    )
    from django.db.utils import ProgrammingError

    for statement in (
        "UPDATE participants_accesslog SET reference = 'changed'",
        "DELETE FROM participants_accesslog",
    ):
        with (
            pytest.raises(ProgrammingError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement)
    assert AccessLog.objects.get().reference == "BLF-2026-00001"


def test_references_carry_no_personal_data() -> None:
    person = make_participant()
    year = timezone.now().year
    assert person.reference == f"BLF-{year}-{person.pk:05d}"
    assert Participant.history.get(id=person.pk).reference == person.reference


def test_possible_duplicates_by_contact_and_by_similar_name() -> None:
    first = make_participant()
    assert services.possible_duplicates(
        given_name="X", family_name="Y", birth_year=None, phone="+212612000111"
    ) == [first]
    similar = services.possible_duplicates(
        given_name="Aminata", family_name="Plantedname", birth_year=1998, phone="+212600000999"
    )
    assert similar == [first]
    other_year = services.possible_duplicates(
        given_name="Aminata", family_name="Plantedname", birth_year=1970
    )
    assert other_year == []


def test_creating_a_record_in_the_admin_warns_about_a_duplicate(client_for, officer: User) -> None:
    existing = make_participant()
    response = client_for(officer).post(
        "/en/admin/participants/participant/add/",
        {
            "given_name": "Aminata",
            "family_name": "Plantedname",
            "sex": "female",
            "birth_year": "1998",
            "group": "newcomer",
            "phone": "06 12 00 01 11",
            **EMPTY_INLINES,
        },
        follow=True,
    )
    assert existing.reference in response.content.decode()
    assert Participant.objects.count() == 2


EMPTY_INLINES = {
    "consents-TOTAL_FORMS": "0",
    "consents-INITIAL_FORMS": "0",
    "support_requests-TOTAL_FORMS": "0",
    "support_requests-INITIAL_FORMS": "0",
}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("given_name", "   ", "Please write your name."),
        ("given_name", "Ali\u202eBaba", "not allowed"),
        ("given_name", "x" * 151, "at most 150 characters"),
        ("birth_year", "1899", "between 1900"),
        ("birth_year", str(date.today().year + 1), "between 1900"),
        ("phone", "123", "not valid"),
        ("email", "nope", "valid email"),
        ("nationality", "XX", "valid choice"),
    ],
)
def test_bad_input_in_the_admin_is_refused_and_stores_nothing(
    client_for, officer: User, field: str, value: str, message: str
) -> None:
    data = {
        "given_name": "Awa",
        "family_name": "Diop",
        "sex": "female",
        "birth_year": "2000",
        "group": "newcomer",
        field: value,
        **EMPTY_INLINES,
    }
    response = client_for(officer).post("/en/admin/participants/participant/add/", data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Participant.objects.count() == 0


def test_a_consent_cannot_be_withdrawn_before_it_was_given(coordinator: User) -> None:
    from django.core.exceptions import ValidationError

    consent = Consent(
        participant=make_participant(),
        purpose="contact",
        given_at=date(2026, 5, 1),
        method="oral",
        recorded_by=coordinator,
        withdrawn_at=date(2026, 4, 1),
    )
    with pytest.raises(ValidationError, match="before it was given"):
        consent.full_clean()


def test_withdrawal_is_one_action_and_takes_effect_at_once(
    client_for, officer: User, coordinator: User
) -> None:
    consent = Consent.objects.create(
        participant=make_participant(),
        purpose="photos",
        given_at=date(2026, 1, 1),
        method="written",
        recorded_by=coordinator,
    )
    client_for(officer).post(
        "/en/admin/participants/consent/",
        {"action": "withdraw", "_selected_action": [consent.pk]},
    )
    consent.refresh_from_db()
    assert consent.withdrawn_at == timezone.localdate()
    assert not consent.active


def test_merge_moves_everything_onto_one_record(coordinator: User) -> None:
    keep = make_participant(phone="", email="")
    gone = make_participant(given_name="Aminatou")
    Consent.objects.create(
        participant=gone,
        purpose="contact",
        given_at=date(2026, 1, 1),
        method="oral",
        recorded_by=coordinator,
    )
    registration = Registration.objects.create(
        event=EventFactory(),
        participant=gone,
        name="A",
        sex="female",
        group="newcomer",
        language="fr",
        status="confirmed",
    )
    services.participant_merge(keep_id=keep.pk, merge_id=gone.pk, by=coordinator)
    keep.refresh_from_db()
    gone.refresh_from_db()
    assert keep.consents.count() == 1
    registration.refresh_from_db()
    assert registration.participant == keep
    assert keep.phone == "+212612000111"  # taken from the merged record
    assert gone.anonymised_at is not None
    assert Participant.history.filter(id=keep.pk).count() >= 2


def all_text_in_the_database() -> str:
    """Every text value of every table, main and history alike."""
    chunks: list[str] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 (table names from the schema)
            chunks.extend(str(row) for row in cursor.fetchall())
    return "\n".join(chunks)


def test_erasure_leaves_no_planted_value_anywhere_and_counts_unchanged(
    client_for, coordinator: User, person: Participant
) -> None:
    Registration.objects.create(
        event=EventFactory(),
        participant=person,
        name="Aminata Plantedname",
        phone="+212612000111",
        sex="female",
        group="newcomer",
        language="fr",
        status="confirmed",
    )
    person.notes = "PLANTEDNOTE changed once"
    person.save()  # a second history row holding the planted values
    client = client_for(coordinator)
    client.get(pages(person)["change"])  # an access-log row
    counts = (
        Participant.objects.filter(group="newcomer", sex="female", birth_year=1998).count(),
        Participant.objects.filter(nationality="SN").count(),
    )
    response = client.post(
        "/en/admin/participants/participant/",
        {"action": "erase_selected", "_selected_action": [person.pk], "confirmed": "yes"},
    )
    assert response.status_code == 302
    text = all_text_in_the_database()
    for value in (
        "Plantedname",
        "PLANTEDDOC123",
        "PLANTEDNOTE",
        "PLANTEDFOLLOWUP",
        "+212612000111",
        "planted.contact@example.test",
    ):
        assert value not in text, value
    person.refresh_from_db()
    assert person.reference and person.anonymised_at
    assert counts == (
        Participant.objects.filter(group="newcomer", sex="female", birth_year=1998).count(),
        Participant.objects.filter(nationality="SN").count(),
    )
    assert AccessLog.objects.filter(reference=person.reference).count() >= 1


def test_erasure_asks_for_confirmation_and_is_for_coordinators_only(
    client_for, coordinator: User, officer: User, person: Participant
) -> None:
    action = {"action": "erase_selected", "_selected_action": [person.pk]}
    page = client_for(coordinator).post("/en/admin/participants/participant/", action)
    assert "cannot be undone" in page.content.decode()
    client_for(officer).post("/en/admin/participants/participant/", {**action, "confirmed": "yes"})
    person.refresh_from_db()
    assert person.anonymised_at is None


def test_retention_warns_coordinators_then_anonymises(
    coordinator: User, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.PARTICIPANTS_RETENTION_YEARS = 5
    settings.PARTICIPANTS_RETENTION_NOTICE_DAYS = 30
    old = make_participant()
    fresh = make_participant(phone="+212612000222", email="")
    long_ago = timezone.now() - timedelta(days=5 * 365 + 10)
    Participant.objects.filter(pk=old.pk).update(updated_at=long_ago, created_at=long_ago)
    with django_capture_on_commit_callbacks(execute=True):
        warned = services.retention_warn()
    assert warned == [old.reference]
    assert [m.to for m in mail.outbox] == [[coordinator.email]]
    assert old.reference in mail.outbox[0].body
    assert "Plantedname" not in mail.outbox[0].body
    assert services.retention_apply() == []  # the notice has not run out yet
    Participant.objects.filter(pk=old.pk).update(
        retention_warned_at=timezone.now() - timedelta(days=31)
    )
    assert services.retention_apply() == [old.reference]
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert old.anonymised_at is not None and old.given_name == ""
    assert fresh.anonymised_at is None
    assert services.retention_warn() == []
