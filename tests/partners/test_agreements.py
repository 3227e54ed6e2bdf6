"""Agreements move by their dates, by decisions of Coordinators, and keep every change."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from partners import services
from partners.models import Agreement, AgreementStatusChange, Amendment, Party
from partners.tasks import daily_run
from tests.factories import OrganisationFactory
from tests.partners.helpers import agreement, pdf

pytestmark = pytest.mark.django_db
S = Agreement.Status


def test_dates_move_the_status_and_the_daily_task_is_idempotent() -> None:
    starting = agreement(
        status=S.SIGNED, signed_on=date(2026, 1, 5), starts_on=date(2026, 2, 1), reference="A-1"
    )
    ending = agreement(
        status=S.ACTIVE, signed_on=date(2025, 1, 1), ends_on=date(2026, 1, 31), reference="A-2"
    )
    draft = agreement(starts_on=date(2026, 1, 1), reference="A-3")

    first = daily_run(today="2026-02-01")
    second = daily_run(today="2026-02-01")

    assert sorted(first["agreements"]) == sorted([starting.pk, ending.pk])
    assert second["agreements"] == []
    starting.refresh_from_db()
    ending.refresh_from_db()
    draft.refresh_from_db()
    assert (starting.status, ending.status, draft.status) == (S.ACTIVE, S.ENDED, S.DRAFT)
    change = AgreementStatusChange.objects.get(agreement=starting)
    assert (change.from_status, change.to_status, change.by) == (S.SIGNED, S.ACTIVE, None)
    assert AgreementStatusChange.objects.count() == 2


def test_signing_a_draft_records_who_and_follows_the_dates(coordinator) -> None:
    draft = agreement(starts_on=date(2020, 1, 1))
    services.agreement_sign(
        agreement_id=draft.pk, by=coordinator, signed_on=date(2019, 12, 1), document=pdf()
    )
    draft.refresh_from_db()
    assert draft.status == S.ACTIVE
    name = draft.document.name or ""
    assert name.startswith("uploads/") and "signed" not in name
    steps = list(draft.status_changes.values_list("from_status", "to_status", "by"))
    assert steps == [(S.DRAFT, S.SIGNED, coordinator.pk), (S.SIGNED, S.ACTIVE, None)]


def test_suspend_and_resume_are_kept_in_the_history(coordinator) -> None:
    active = agreement(status=S.ACTIVE, signed_on=date(2024, 1, 1))
    services.agreement_suspend(agreement_id=active.pk, by=coordinator, reason="Audit")
    services.agreement_resume(agreement_id=active.pk, by=coordinator)
    active.refresh_from_db()
    assert active.status == S.ACTIVE
    notes = list(active.status_changes.values_list("to_status", "note"))
    assert notes == [(S.SUSPENDED, "Audit"), (S.SIGNED, ""), (S.ACTIVE, "")]


def test_terminating_needs_a_reason_and_a_document(coordinator) -> None:
    active = agreement(status=S.ACTIVE, signed_on=date(2024, 1, 1))
    with pytest.raises(ValidationError) as refused:
        services.agreement_terminate(
            agreement_id=active.pk, by=coordinator, reason=" ", document=None
        )
    assert set(refused.value.message_dict) == {"reason", "document"}
    active.refresh_from_db()
    assert active.status == S.ACTIVE and not active.status_changes.exists()

    services.agreement_terminate(
        agreement_id=active.pk, by=coordinator, reason="Partner dissolved", document=pdf()
    )
    active.refresh_from_db()
    assert active.status == S.TERMINATED
    assert active.termination_reason == "Partner dissolved" and active.termination_document


def test_terminating_with_a_disguised_file_is_refused(coordinator) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    active = agreement(status=S.ACTIVE, signed_on=date(2024, 1, 1))
    fake = SimpleUploadedFile("decision.pdf", b"<html><script>alert(1)</script></html>")
    with pytest.raises(ValidationError, match="not accepted"):
        services.agreement_terminate(
            agreement_id=active.pk, by=coordinator, reason="x", document=fake
        )
    active.refresh_from_db()
    assert active.status == S.ACTIVE


@pytest.mark.parametrize("role", ["officer", "viewer"])
def test_only_coordinators_change_an_agreements_status(role, request) -> None:
    user = request.getfixturevalue(role)
    active = agreement(status=S.ACTIVE, signed_on=date(2024, 1, 1))
    draft = agreement(reference="A-draft")
    with pytest.raises(PermissionDenied):
        services.agreement_suspend(agreement_id=active.pk, by=user, reason="no")
    with pytest.raises(PermissionDenied):
        services.agreement_terminate(agreement_id=active.pk, by=user, reason="no", document=pdf())
    with pytest.raises(PermissionDenied):
        services.agreement_sign(agreement_id=draft.pk, by=user, signed_on=date(2024, 1, 1))
    assert not AgreementStatusChange.objects.exists()


def test_an_end_before_the_start_is_refused_with_its_message() -> None:
    bad = Agreement(
        reference="X",
        kind=Agreement.Kind.MOU,
        title="x",
        starts_on=date(2026, 5, 1),
        ends_on=date(2026, 4, 1),
    )
    with pytest.raises(ValidationError, match="The end date cannot come before the start date"):
        bad.full_clean()


def test_an_amendment_ending_before_the_start_is_refused_and_nothing_stored() -> None:
    active = agreement(
        status=S.ACTIVE,
        signed_on=date(2024, 1, 1),
        starts_on=date(2024, 2, 1),
        ends_on=date(2025, 1, 1),
    )
    with pytest.raises(ValidationError) as refused:
        services.amendment_add(
            agreement_id=active.pk,
            number=1,
            signed_on=date(2024, 6, 1),
            changes="Shorter",
            new_ends_on=date(2024, 1, 15),
        )
    assert "cannot come before the start" in refused.value.message_dict["new_ends_on"][0]
    assert not Amendment.objects.exists()
    active.refresh_from_db()
    assert active.ends_on == date(2025, 1, 1)


def test_an_amendment_extending_an_ended_agreement_makes_it_active_again() -> None:
    ended = agreement(status=S.ENDED, signed_on=date(2020, 1, 1), ends_on=date(2021, 1, 1))
    services.amendment_add(
        agreement_id=ended.pk,
        number=1,
        signed_on=date(2020, 12, 1),
        changes="Two more years",
        new_ends_on=date(2099, 1, 1),
        document=pdf(),
    )
    ended.refresh_from_db()
    assert (ended.status, ended.ends_on) == (S.ACTIVE, date(2099, 1, 1))
    assert ended.status_changes.get().to_status == S.ACTIVE


def test_for_organisation_scopes_agreements_by_party() -> None:
    md, jette = OrganisationFactory(), OrganisationFactory()
    ours = agreement(partner=md, reference="MD-1")
    agreement(partner=jette, reference="JE-1")
    services.party_add(agreement_id=ours.pk, organisation_id=md.pk, role=Party.Role.FUNDER)
    assert list(Agreement.objects.for_organisation(md)) == [ours]
