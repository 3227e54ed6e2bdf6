"""Progress reports: due by the schedule, reminded once, reviewed by someone else."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from partners import services
from partners.models import Agreement, Alert, Party, ProgressReport
from partners.tasks import daily_run
from tests.partners.helpers import agreement

pytestmark = pytest.mark.django_db
R = ProgressReport.Status


@pytest.fixture
def report(partner_md) -> ProgressReport:
    md = partner_md.partner_membership.organisation
    made = agreement(
        status=Agreement.Status.ACTIVE, signed_on=date(2025, 1, 1), partner=md, reference="R-1"
    )
    return ProgressReport.objects.create(
        agreement=made,
        organisation=md,
        period_start=date(2025, 1, 1),
        period_end=date(2025, 6, 30),
        due_on=date(2025, 7, 30),
        achievements="412 people received",
    )


def test_a_report_with_an_empty_narrative_cannot_be_submitted(report, partner_md) -> None:
    report.achievements = "  "
    report.save()
    with pytest.raises(ValidationError, match="Write what was achieved"):
        services.report_submit(report_id=report.pk, by=partner_md)
    report.refresh_from_db()
    assert report.status == R.DRAFT and not report.transitions.exists()


def test_another_partner_cannot_submit_the_report(report, partner_jette) -> None:
    with pytest.raises(PermissionDenied):
        services.report_submit(report_id=report.pk, by=partner_jette)


def test_sending_back_needs_a_reason_then_resubmitted_then_accepted_all_kept(
    report, partner_md, coordinator
) -> None:
    services.report_submit(report_id=report.pk, by=partner_md)
    with pytest.raises(ValidationError, match="Say why"):
        services.report_send_back(report_id=report.pk, by=coordinator, reason="   ")
    report.refresh_from_db()
    assert report.status == R.SUBMITTED

    services.report_send_back(report_id=report.pk, by=coordinator, reason="Figures missing")
    services.report_submit(report_id=report.pk, by=partner_md)
    services.report_accept(report_id=report.pk, by=coordinator)

    report.refresh_from_db()
    assert report.status == R.ACCEPTED
    steps = list(report.transitions.values_list("from_status", "to_status", "by", "reason"))
    assert steps == [
        (R.DRAFT, R.SUBMITTED, partner_md.pk, ""),
        (R.SUBMITTED, R.SENT_BACK, coordinator.pk, "Figures missing"),
        (R.SENT_BACK, R.RESUBMITTED, partner_md.pk, ""),
        (R.RESUBMITTED, R.ACCEPTED, coordinator.pk, ""),
    ]


def test_a_reviewer_never_accepts_a_report_they_submitted(report, coordinator) -> None:
    services.report_submit(report_id=report.pk, by=coordinator)
    with pytest.raises(ValidationError, match="someone else must review it"):
        services.report_accept(report_id=report.pk, by=coordinator)
    with pytest.raises(ValidationError, match="someone else must review it"):
        services.report_send_back(report_id=report.pk, by=coordinator, reason="mine")
    report.refresh_from_db()
    assert report.status == R.SUBMITTED and report.transitions.count() == 1


@pytest.mark.parametrize("role", ["officer", "viewer", "partner_md"])
def test_only_coordinators_review(report, partner_md, role, request) -> None:
    user = request.getfixturevalue(role)
    services.report_submit(report_id=report.pk, by=partner_md)
    with pytest.raises(PermissionDenied):
        services.report_accept(report_id=report.pk, by=user)
    with pytest.raises(PermissionDenied):
        services.report_send_back(report_id=report.pk, by=user, reason="no")
    report.refresh_from_db()
    assert report.status == R.SUBMITTED


def test_the_schedule_makes_reports_due_and_each_reminder_goes_once(
    partner_md, coordinator, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    md = partner_md.partner_membership.organisation
    md.contact_email = "Contact@MD.example.test"
    md.contact_language = "fr"
    md.save()
    quarterly = agreement(
        status=Agreement.Status.ACTIVE,
        signed_on=date(2025, 1, 1),
        starts_on=date(2025, 1, 15),
        ends_on=date(2025, 12, 31),
        partner=md,
        reporting=Agreement.Reporting.QUARTERLY,
    )
    services.party_add(
        agreement_id=quarterly.pk, organisation_id=md.pk, role=Party.Role.IMPLEMENTER
    )

    with django_capture_on_commit_callbacks(execute=True):
        first = daily_run(today="2025-07-20")
    periods = list(
        ProgressReport.objects.order_by("period_start").values_list(
            "period_start", "period_end", "due_on"
        )
    )
    assert periods == [
        (date(2025, 1, 15), date(2025, 4, 14), date(2025, 5, 14)),
        (date(2025, 4, 15), date(2025, 7, 14), date(2025, 8, 13)),
    ]
    assert len(first["reports"]) == 2
    kinds = sorted(Alert.objects.values_list("kind", flat=True))
    assert kinds == ["report_due"] * 3 + ["report_overdue"] * 3
    assert len(mailoutbox) == 6
    assert {m.to[0] for m in mailoutbox} == {
        "contact@md.example.test",
        partner_md.email,
        coordinator.email,
    }
    to_contact = [m for m in mailoutbox if m.to[0].startswith("contact")]
    assert all("Rapport d'avancement" in m.subject for m in to_contact)

    with django_capture_on_commit_callbacks(execute=True):
        again = daily_run(today="2025-07-21")
    assert again["reports"] == [] and again["reminders"] == []
    assert len(mailoutbox) == 6
    overdue = ProgressReport.objects.overdue(date(2025, 7, 21))
    assert list(overdue.values_list("period_start", flat=True)) == [date(2025, 1, 15)]


def test_sending_a_reminder_twice_sends_it_once(report, mailoutbox) -> None:
    from partners.tasks import alert_send

    alert = Alert.objects.create(
        kind=Alert.Kind.REPORT_DUE, report=report, email="x@example.test", language="ar"
    )
    assert alert_send(alert.pk) == "sent"
    assert alert_send(alert.pk) == "sent"
    assert len(mailoutbox) == 1
