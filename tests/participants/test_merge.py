"""Merging two records: it erases one of them, so it takes the right to erase, a
confirmation showing both records, and it keeps the merged record's access log findable."""

import json
import threading
from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.db import connection, transaction
from django.test import Client

from belfaa.models import User
from events.models import Registration
from participants import services
from participants.models import AccessLog, Consent, Participant, ParticipantMerge, SupportRequest
from tests.conftest import need
from tests.factories import EventFactory, UserFactory, make_participant

pytestmark = pytest.mark.django_db

CHANGELIST = "/en/admin/participants/participant/"


@pytest.fixture
def older(coordinator: User) -> Participant:
    return make_participant(phone="", email="", notes="OLDERNOTE")


@pytest.fixture
def newer(coordinator: User) -> Participant:
    record = make_participant(given_name="Aminatou", notes="NEWERNOTE")
    Consent.objects.create(
        participant=record,
        purpose="contact",
        given_at=date(2026, 1, 1),
        method="oral",
        recorded_by=coordinator,
    )
    SupportRequest.objects.create(
        participant=record,
        kind="legal",
        opened_on=date(2026, 2, 1),
        follow_up_notes="NEWERFOLLOWUP",
    )
    Registration.objects.create(
        event=EventFactory(),
        participant=record,
        name="A",
        sex="female",
        group="newcomer",
        language="fr",
        status="confirmed",
    )
    return record


def stranger() -> Participant:
    """A record nothing suggests is a duplicate of the planted ones."""
    return make_participant(
        given_name="Youssef",
        family_name="Benali",
        sex="male",
        birth_year=1970,
        phone="+212611999888",
        email="youssef@example.test",
    )


def merge_post(first: Participant, second: Participant, **extra: Any) -> dict[str, Any]:
    return {"action": "merge_two", "_selected_action": [first.pk, second.pk], **extra}


def unchanged(older: Participant, newer: Participant) -> bool:
    older.refresh_from_db()
    newer.refresh_from_db()
    return (
        older.anonymised_at is None
        and newer.anonymised_at is None
        and newer.given_name == "Aminatou"
        and newer.consents.count() == 1
        and newer.support_requests.count() == 1
        and not ParticipantMerge.objects.exists()
    )


def user_with(*codenames: str) -> User:
    user = UserFactory(is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="participants", codename__in=codenames)
    )
    return user


def test_officers_are_not_offered_the_merge(
    client_for: Any, officer: User, coordinator: User, older: Participant
) -> None:
    assert 'value="merge_two"' not in client_for(officer).get(CHANGELIST).content.decode()
    assert 'value="merge_two"' in client_for(coordinator).get(CHANGELIST).content.decode()


@pytest.mark.parametrize("confirmed", [{}, {"confirmed": "yes"}])
def test_a_crafted_merge_post_by_an_officer_changes_nothing(
    client_for: Any, officer: User, older: Participant, newer: Participant, confirmed: dict
) -> None:
    response = client_for(officer).post(
        CHANGELIST, merge_post(older, newer, keep=older.pk, **confirmed), follow=True
    )
    assert response.status_code in (200, 403)
    assert "Merge these two records?" not in response.content.decode()
    assert unchanged(older, newer)
    assert not AccessLog.objects.exists()


def test_the_right_to_change_records_is_not_enough_to_merge(
    client_for: Any, older: Participant, newer: Participant
) -> None:
    editor = user_with("view_participant", "change_participant", "view_sensitive")
    client_for(editor).post(CHANGELIST, merge_post(older, newer, confirmed="yes", keep=older.pk))
    assert unchanged(older, newer)


def test_the_confirmation_shows_both_records_side_by_side_and_what_moves(
    client_for: Any, coordinator: User, older: Participant, newer: Participant
) -> None:
    response = client_for(coordinator).post(CHANGELIST, merge_post(newer, older))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Merge these two records?" in html
    table = html[html.index('<table id="merge-records">') :].split("</table>")[0]
    assert table.index(older.reference) < table.index(newer.reference)  # older first
    for text in ("Aminata", "Aminatou", "OLDERNOTE", "NEWERNOTE", "without papers"):
        assert text in table, text
    # What each would hand over: consents, support requests, sign-ups.
    for label in ("Consents", "Support requests", "Sign-ups to activities"):
        row = table[table.index(f'<th scope="row">{label}</th>') :].split("</tr>")[0]
        assert ">0<" in row and ">1<" in row, label
    assert f'value="{older.pk}" checked' in html  # the older is kept unless chosen otherwise
    assert "not suggested as possible duplicates" not in html
    assert unchanged(older, newer)
    # The sensitive part was shown: one row per record, for this page.
    assert sorted(AccessLog.objects.values_list("reference", "purpose")) == sorted(
        [
            (older.reference, AccessLog.Purpose.ADMIN_MERGE),
            (newer.reference, AccessLog.Purpose.ADMIN_MERGE),
        ]
    )


def test_the_confirmation_warns_when_the_two_were_not_suggested_as_duplicates(
    client_for: Any, coordinator: User, older: Participant
) -> None:
    other = stranger()
    html = client_for(coordinator).post(CHANGELIST, merge_post(older, other)).content.decode()
    assert "were not suggested as possible duplicates" in html


def test_the_confirmation_in_arabic_warns_in_arabic(
    client_for: Any, coordinator: User, older: Participant
) -> None:
    other = stranger()
    response = client_for(coordinator).post(
        CHANGELIST.replace("/en/", "/ar/"), merge_post(older, other)
    )
    assert "لم يُقترح هذان الملفان كتكرار محتمل" in response.content.decode()


def test_the_confirmation_hides_the_sensitive_part_from_those_who_may_not_see_it(
    client_for: Any, older: Participant, newer: Participant
) -> None:
    eraser = user_with("view_participant", "change_participant", "erase_participant")
    response = client_for(eraser).post(CHANGELIST, merge_post(older, newer))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Merge these two records?" in html and "Aminatou" in html
    for value in ("OLDERNOTE", "NEWERNOTE", "without papers", "PLANTEDDOC123", "Legal status"):
        assert value not in html, value
    assert not AccessLog.objects.exists()  # nothing sensitive shown, nothing logged


def test_a_confirmed_merge_keeps_the_chosen_record_and_records_the_merge(
    client_for: Any, coordinator: User, older: Participant, newer: Participant
) -> None:
    response = client_for(coordinator).post(
        CHANGELIST, merge_post(older, newer, confirmed="yes", keep=newer.pk), follow=True
    )
    assert f"{older.reference} was merged into {newer.reference}." in response.content.decode()
    older.refresh_from_db()
    newer.refresh_from_db()
    assert older.anonymised_at is not None and older.given_name == ""
    assert newer.anonymised_at is None and newer.given_name == "Aminatou"
    assert newer.consents.count() == 1 and newer.support_requests.count() == 1
    merge = ParticipantMerge.objects.get()
    assert (merge.kept, merge.merged, merge.merged_by, merge.suggested) == (
        newer,
        older,
        coordinator,
        True,
    )
    assert merge.moved == {"consents": 0, "support_requests": 0, "registrations": 0}
    latest = Participant.history.filter(id=newer.pk).latest()
    assert (latest.history_user, latest.history_change_reason) == (
        coordinator,
        f"merged with {older.reference}",
    )


def test_the_merge_moves_everything_and_keeps_the_moved_requests_history(
    coordinator: User, older: Participant, newer: Participant
) -> None:
    services.participant_merge(keep_id=older.pk, merge_id=newer.pk, by=coordinator)
    older.refresh_from_db()
    assert older.phone == "+212612000111"  # empty on the kept record: taken from the other
    assert older.notes == "OLDERNOTE"  # filled on the kept record: stays
    assert Registration.objects.get().participant == older
    request = older.support_requests.get()
    assert request.follow_up_notes == "NEWERFOLLOWUP"
    moves = SupportRequest.history.filter(id=request.pk).order_by("history_date")
    assert [h.follow_up_notes for h in moves] == ["NEWERFOLLOWUP", "NEWERFOLLOWUP"]
    assert moves.last().history_change_reason == f"moved from {newer.reference} (merge)"
    assert moves.last().history_user == coordinator
    assert ParticipantMerge.objects.get().moved == {
        "consents": 1,
        "support_requests": 1,
        "registrations": 1,
    }


@pytest.mark.parametrize(
    "case", ["keep_elsewhere", "no_keep", "three", "one", "anonymised", "missing"]
)
def test_bad_merge_input_is_refused_with_a_message_and_changes_nothing(
    client_for: Any, coordinator: User, older: Participant, newer: Participant, case: str
) -> None:
    third = stranger()
    selected = {
        "three": [older.pk, newer.pk, third.pk],
        "one": [older.pk],
        "missing": [older.pk, 999999],
    }.get(case, [older.pk, newer.pk])
    keep = {"keep_elsewhere": third.pk, "no_keep": ""}.get(case, older.pk)
    if case == "anonymised":
        services.participant_erase(participant_id=third.pk)
        selected = [older.pk, third.pk]
    before = AccessLog.objects.count()
    response = client_for(coordinator).post(
        CHANGELIST,
        {"action": "merge_two", "_selected_action": selected, "confirmed": "yes", "keep": keep},
        follow=True,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        "Select exactly two records to merge." in html
        or "Choose the record to keep." in html
        or "An anonymised record cannot be merged" in html
    )
    assert unchanged(older, newer)
    assert AccessLog.objects.count() == before


def test_the_service_refuses_a_record_merged_into_itself_or_an_anonymised_one(
    coordinator: User, older: Participant, newer: Participant
) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.participant_merge(keep_id=older.pk, merge_id=older.pk, by=coordinator)
    services.participant_erase(participant_id=newer.pk)
    with pytest.raises(ValidationError):
        services.participant_merge(keep_id=older.pk, merge_id=newer.pk, by=coordinator)
    older.refresh_from_db()
    assert older.anonymised_at is None and not ParticipantMerge.objects.exists()


def test_access_log_rows_of_merged_records_are_found_under_the_kept_one(
    client_for: Any, coordinator: User, older: Participant, newer: Participant
) -> None:
    client = client_for(coordinator)
    auditor = UserFactory(first_name="Rachid", last_name="Auditor")
    AccessLog.objects.create(
        user=auditor, reference=newer.reference, fields=["notes"], purpose="admin_record"
    )
    services.participant_merge(keep_id=older.pk, merge_id=newer.pk, by=coordinator)
    # And the kept record merged in turn into a third: the chain is followed.
    third = make_participant(given_name="Aminata", family_name="Plantedname")
    services.participant_merge(keep_id=third.pk, merge_id=older.pk, by=coordinator)

    page = client.get(f"/en/admin/participants/participant/{third.pk}/change/").content.decode()
    assert "Rachid Auditor" in page
    assert f"under {newer.reference}, merged into this record" in page
    log_list = client.get(
        "/en/admin/participants/accesslog/",
        {"reference__in": f"{third.reference},{newer.reference}"},
    )
    assert log_list.status_code == 200 and newer.reference in log_list.content.decode()

    data = json.loads(client.get(f"/en/staff/participants/{third.pk}/access.json").content)
    logged = {(row["reference"], row["user"]["name"]) for row in data["access_log"]}
    assert (newer.reference, "Rachid Auditor") in logged
    assert [m["reference"] for m in data["merged_records"]] == [older.reference, newer.reference]


@pytest.mark.django_db(transaction=True)
def test_the_merge_waits_for_a_record_locked_elsewhere() -> None:
    need(connection.vendor == "postgresql", "row locks need PostgreSQL (set DATABASE_URL)")
    coordinator = UserFactory(is_staff=True)
    keep = make_participant(phone="", email="")
    gone = make_participant(given_name="Aminatou")
    locked, release = threading.Event(), threading.Event()

    def hold_the_merged_row() -> None:
        with transaction.atomic():
            Participant.objects.select_for_update().get(pk=gone.pk)
            locked.set()
            release.wait(10)
            Participant.objects.filter(pk=gone.pk).update(phone="+212699000000")
        connection.close()

    holder = threading.Thread(target=hold_the_merged_row)
    holder.start()
    locked.wait(10)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL lock_timeout = '300ms'")
        with pytest.raises(Exception, match="lock timeout"):
            services.participant_merge(keep_id=keep.pk, merge_id=gone.pk, by=coordinator)
    release.set()
    holder.join()
    # Nothing of the refused merge remains; once free, the merge sees the latest row.
    assert not ParticipantMerge.objects.exists()
    services.participant_merge(keep_id=keep.pk, merge_id=gone.pk, by=coordinator)
    keep.refresh_from_db()
    assert keep.phone == "+212699000000"


def test_merging_is_refused_to_anonymous_visitors(older: Participant, newer: Participant) -> None:
    response = Client().post(CHANGELIST, merge_post(older, newer, confirmed="yes", keep=older.pk))
    assert response.status_code == 302
    assert unchanged(older, newer)


def test_erasing_the_kept_record_also_wipes_the_past_of_what_it_absorbed(
    coordinator: User, older: Participant, newer: Participant
) -> None:
    services.participant_merge(keep_id=older.pk, merge_id=newer.pk, by=coordinator)
    services.participant_erase(participant_id=older.pk)
    request = older.support_requests.get()
    assert set(
        SupportRequest.history.filter(id=request.pk).values_list("follow_up_notes", flat=True)
    ) == {""}
    assert not Participant.history.filter(notes__contains="NOTE").exists()
