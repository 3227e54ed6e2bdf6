"""The partner's progress reports on the portal: of its own organisation only, written
with figures and attachments, submitted, read-only once handed in, sent back with a
reason that the partner reads, resubmitted; the whole history shown."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import translation

from partners import services
from partners.models import Agreement, ProgressReport, ReportAttachment, ReportFigure
from tests.partners.helpers import PDF_BYTES, agreement, office, pdf

pytestmark = pytest.mark.django_db
R = ProgressReport.Status
HTML_AS_PDF = b"<!DOCTYPE html><html><script>alert(1)</script></html>"
EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64
XLSX_PART = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"


@pytest.fixture(autouse=True)
def _english_and_private_media(settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    translation.activate("en")


def _report(organisation, *, reference: str, start: date = date(2025, 1, 1)) -> ProgressReport:
    made = agreement(
        status=Agreement.Status.ACTIVE,
        signed_on=date(2025, 1, 1),
        partner=organisation,
        reference=reference,
    )
    return ProgressReport.objects.create(
        agreement=made,
        organisation=organisation,
        period_start=start,
        period_end=date(2025, 6, 30),
        due_on=date(2025, 7, 30),
    )


@pytest.fixture
def md(partner_md):
    return partner_md.partner_membership.organisation


@pytest.fixture
def jette(partner_jette):
    return partner_jette.partner_membership.organisation


@pytest.fixture
def report(md) -> ProgressReport:
    return _report(md, reference="MD-2025")


@pytest.fixture
def their_report(jette) -> ProgressReport:
    return _report(jette, reference="JETTE-2025")


def url(name: str, *args: int) -> str:
    return reverse(f"portal:{name}", args=args)


def edit_data(achievements: str = "", **figures: str) -> dict[str, str]:
    data = {
        "achievements": achievements,
        "difficulties": "",
        "next_steps": "",
        "figures-TOTAL_FORMS": "3",
        "figures-INITIAL_FORMS": "0",
        "figures-MIN_NUM_FORMS": "0",
        "figures-MAX_NUM_FORMS": "100",
    }
    data.update(figures)
    return data


# --- Lists and ownership ------------------------------------------------------------


def test_the_list_shows_the_organisations_reports_per_agreement_and_no_one_elses(
    partner_md, report, their_report, client_for
) -> None:
    page = client_for(partner_md).get(url("reports")).content.decode()
    assert "MD-2025" in page and "Convention de test" in page
    assert "JETTE-2025" not in page
    assert url("report_detail", report.pk) in page
    assert url("report_detail", their_report.pk) not in page
    # Its due date passed in 2025 and it is still a draft.
    assert "overdue" in page and "draft" in page


def test_a_due_report_made_by_the_schedule_is_in_the_list_to_open(partner_md, md, client_for):
    made = agreement(
        status=Agreement.Status.ACTIVE,
        signed_on=date(2025, 1, 1),
        starts_on=date(2025, 1, 1),
        partner=md,
        reference="SCHED-1",
        reporting=Agreement.Reporting.QUARTERLY,
    )
    services.reports_make_due(today=date(2025, 4, 2))
    due = ProgressReport.objects.get(agreement=made)
    page = client_for(partner_md).get(url("reports")).content.decode()
    assert url("report_detail", due.pk) in page and "2025-01-01 \u2013 2025-03-31" in page


def test_another_partners_report_and_attachment_answer_404_everywhere(
    partner_md, their_report, client_for
) -> None:
    attachment = ReportAttachment.objects.create(report=their_report, title="theirs", file="x")
    client = client_for(partner_md)
    pk = their_report.pk
    assert client.get(url("report_detail", pk)).status_code == 404
    assert client.get(url("report_edit", pk)).status_code == 404
    assert client.post(url("report_edit", pk), edit_data("mine now")).status_code == 404
    assert client.post(url("report_submit", pk)).status_code == 404
    response = client.post(url("report_attachment_add", pk), {"title": "x", "file": pdf()})
    assert response.status_code == 404
    assert client.get(url("report_attachment", pk, attachment.pk)).status_code == 404
    assert client.post(url("report_attachment_remove", pk, attachment.pk)).status_code == 404
    their_report.refresh_from_db()
    assert their_report.achievements == "" and their_report.status == R.DRAFT
    assert their_report.attachments.count() == 1


def test_an_attachment_cannot_be_reached_through_ones_own_report_id(
    partner_md, report, their_report, client_for
) -> None:
    theirs = ReportAttachment.objects.create(report=their_report, title="theirs", file="x")
    client = client_for(partner_md)
    assert client.get(url("report_attachment", report.pk, theirs.pk)).status_code == 404
    assert client.post(url("report_attachment_remove", report.pk, theirs.pk)).status_code == 404
    assert ReportAttachment.objects.filter(pk=theirs.pk).exists()


def test_staff_and_visitors_do_not_reach_the_portal_reports(
    coordinator, report, client, client_for
) -> None:
    assert client_for(coordinator).get(url("report_detail", report.pk)).status_code == 403
    response = client.get(url("reports"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- Opening a report -----------------------------------------------------------------


def test_a_partner_opens_a_report_for_a_period_of_its_agreement(partner_md, md, client_for):
    made = agreement(
        status=Agreement.Status.ACTIVE, signed_on=date(2025, 1, 1), partner=md, reference="NEW-1"
    )
    response = client_for(partner_md).post(
        url("report_create"),
        {"agreement": made.pk, "period_start": "2025-01-01", "period_end": "2025-03-31"},
    )
    created = ProgressReport.objects.get(agreement=made)
    assert response.status_code == 302 and response["Location"] == url("report_edit", created.pk)
    assert created.organisation == md and created.status == R.DRAFT
    assert created.due_on == date(2025, 4, 30)  # PARTNERS_REPORT_DUE_DAYS = 30


def test_a_report_cannot_be_opened_on_another_partners_agreement(
    partner_md, their_report, client_for
) -> None:
    client = client_for(partner_md)
    assert "JETTE-2025" not in client.get(url("report_create")).content.decode()
    response = client.post(
        url("report_create"),
        {
            "agreement": their_report.agreement_id,
            "period_start": "2025-07-01",
            "period_end": "2025-12-31",
        },
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert ProgressReport.objects.count() == 1


def test_a_period_ending_before_it_starts_or_a_second_report_is_refused(
    partner_md, report, client_for
) -> None:
    client = client_for(partner_md)
    backwards = client.post(
        url("report_create"),
        {
            "agreement": report.agreement_id,
            "period_start": "2025-06-01",
            "period_end": "2025-01-01",
        },
    )
    assert backwards.status_code == 400
    assert "The period cannot end before it starts." in backwards.content.decode()
    again = client.post(
        url("report_create"),
        {
            "agreement": report.agreement_id,
            "period_start": "2025-01-01",
            "period_end": "2025-06-30",
        },
    )
    assert again.status_code == 400
    assert "already has a report for this period" in again.content.decode()
    assert ProgressReport.objects.count() == 1


# --- Writing ------------------------------------------------------------------------


def test_the_narrative_and_figures_are_saved_and_rows_deleted_without_javascript(
    partner_md, report, client_for
) -> None:
    ReportFigure.objects.create(report=report, label="old", value=Decimal("1"), unit="")
    client = client_for(partner_md)
    page = client.get(url("report_edit", report.pk)).content.decode()
    # The existing row and three empty ones, each with its delete box.
    assert 'name="figures-TOTAL_FORMS" value="4"' in page
    assert 'name="figures-3-DELETE"' in page
    data = edit_data(
        "412 people received",
        **{
            "figures-TOTAL_FORMS": "4",
            "figures-INITIAL_FORMS": "1",
            "figures-0-label": "old",
            "figures-0-value": "1",
            "figures-0-DELETE": "on",
            "figures-1-label": "People received",
            "figures-1-value": "412",
            "figures-1-unit": "people",
            "figures-2-label": "Budget spent",
            "figures-2-value": "10500.75",
            "figures-2-unit": "MAD",
        },
    )
    data["next_steps"] = "Open a second desk"
    response = client.post(url("report_edit", report.pk), data)
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.achievements == "412 people received"
    assert report.next_steps == "Open a second desk"
    figures = list(report.figures.values_list("label", "value", "unit"))
    assert figures == [
        ("People received", Decimal("412.00"), "people"),
        ("Budget spent", Decimal("10500.75"), "MAD"),
    ]
    detail = client.get(url("report_detail", report.pk)).content.decode()
    assert "People received" in detail and "10500.75" in detail and "old" not in detail


def test_a_figure_without_a_number_is_refused_and_nothing_is_saved(
    partner_md, report, client_for
) -> None:
    response = client_for(partner_md).post(
        url("report_edit", report.pk),
        edit_data("written", **{"figures-0-label": "People", "figures-0-value": "many"}),
    )
    assert response.status_code == 400
    assert "Enter a number." in response.content.decode()
    report.refresh_from_db()
    assert report.achievements == "" and not report.figures.exists()


def test_submitting_an_empty_narrative_is_refused_with_a_clear_message(
    partner_md, report, client_for
) -> None:
    response = client_for(partner_md).post(url("report_submit", report.pk), follow=True)
    assert "Write what was achieved before submitting the report." in response.content.decode()
    report.refresh_from_db()
    assert report.status == R.DRAFT and not report.transitions.exists()


# --- Read-only once handed in -----------------------------------------------------


def _submitted(report: ProgressReport, user) -> ProgressReport:
    report.achievements = "412 people received"
    report.save()
    return services.report_submit(report_id=report.pk, by=user)


def test_a_submitted_report_is_read_only_and_crafted_posts_are_refused(
    partner_md, report, client_for
) -> None:
    kept = ReportAttachment.objects.create(report=report, title="kept", file="x")
    _submitted(report, partner_md)
    client = client_for(partner_md)
    detail = client.get(url("report_detail", report.pk)).content.decode()
    assert url("report_edit", report.pk) not in detail
    assert url("report_submit", report.pk) not in detail
    assert 'enctype="multipart/form-data"' not in detail
    assert "it can no longer be changed" in detail

    edit = client.get(url("report_edit", report.pk), follow=True)
    assert "it can no longer be changed" in edit.content.decode()
    client.post(url("report_edit", report.pk), edit_data("rewritten afterwards"))
    client.post(url("report_attachment_add", report.pk), {"title": "late", "file": pdf()})
    client.post(url("report_attachment_remove", report.pk, kept.pk))
    again = client.post(url("report_submit", report.pk), follow=True)
    assert "This report has been handed in already." in again.content.decode()

    report.refresh_from_db()
    assert report.achievements == "412 people received" and report.status == R.SUBMITTED
    assert list(report.attachments.values_list("title", flat=True)) == ["kept"]
    assert report.transitions.count() == 1


def test_an_accepted_report_is_read_only_too(partner_md, report, coordinator, client_for):
    _submitted(report, partner_md)
    services.report_accept(report_id=report.pk, by=coordinator)
    client = client_for(partner_md)
    client.post(url("report_edit", report.pk), edit_data("changed after acceptance"))
    report.refresh_from_db()
    assert report.achievements == "412 people received" and report.status == R.ACCEPTED


# --- Attachments ------------------------------------------------------------------


def _stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def test_a_pdf_is_attached_under_an_unguessable_name_and_downloaded_by_its_partner_only(
    partner_md, partner_jette, report, client_for, settings
) -> None:
    client = client_for(partner_md)
    response = client.post(
        url("report_attachment_add", report.pk), {"title": "Liste de présence", "file": pdf()}
    )
    assert response.status_code == 302
    attachment = report.attachments.get()
    assert attachment.title == "Liste de présence"
    assert "signed" not in attachment.file.name and not attachment.file.name.endswith(".pdf")
    download = client.get(url("report_attachment", report.pk, attachment.pk))
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == PDF_BYTES
    other = client_for(partner_jette).get(url("report_attachment", report.pk, attachment.pk))
    assert other.status_code == 404


def test_an_xlsx_is_accepted_by_its_content(partner_md, report, client_for) -> None:
    client_for(partner_md).post(
        url("report_attachment_add", report.pk),
        {"title": "Tableau", "file": office(XLSX_PART, "tableau.xlsx")},
    )
    assert report.attachments.get().title == "Tableau"


@pytest.mark.parametrize(
    ("name", "content"),
    [("report.pdf", EXECUTABLE), ("report.pdf", HTML_AS_PDF), ("setup.exe", EXECUTABLE)],
)
def test_a_wrong_type_upload_is_refused_and_nothing_is_stored(
    partner_md, report, client_for, settings, name, content
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client_for(partner_md).post(
        url("report_attachment_add", report.pk),
        {"title": "Rapport", "file": SimpleUploadedFile(name, content, "application/pdf")},
    )
    assert response.status_code == 400
    assert "only PDF, PNG, JPEG, XLSX and DOCX documents are" in response.content.decode()
    assert not report.attachments.exists() and _stored_files(settings) == []


def test_an_oversize_upload_is_refused_and_nothing_is_stored(
    partner_md, report, client_for, settings
) -> None:
    settings.UPLOAD_MAX_BYTES = len(PDF_BYTES) - 1
    response = client_for(partner_md).post(
        url("report_attachment_add", report.pk), {"title": "Rapport", "file": pdf()}
    )
    assert response.status_code == 400
    assert "This file is too large" in response.content.decode()
    assert not report.attachments.exists() and _stored_files(settings) == []


def test_an_attachment_is_removed_from_a_draft_with_its_file_once_committed(
    partner_md, report, client_for, django_capture_on_commit_callbacks
) -> None:
    client = client_for(partner_md)
    client.post(url("report_attachment_add", report.pk), {"title": "Draft", "file": pdf()})
    name = report.attachments.get().file.name
    assert default_storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("report_attachment_remove", report.pk, report.attachments.get().pk)
        )
    assert response.status_code == 302 and not report.attachments.exists()
    assert not default_storage.exists(name)


# --- Feedback and history ---------------------------------------------------------


def test_the_partner_reads_the_reason_resubmits_and_sees_the_whole_history(
    partner_md, report, coordinator, client_for
) -> None:
    _submitted(report, partner_md)
    services.report_send_back(
        report_id=report.pk, by=coordinator, reason="Add the attendance <b>figures</b>."
    )
    client = client_for(partner_md)
    listing = client.get(url("reports")).content.decode()
    assert "sent back" in listing and "Add the attendance &lt;b&gt;figures&lt;/b&gt;." in listing
    detail = client.get(url("report_detail", report.pk)).content.decode()
    assert "The commune sent this report back" in detail
    assert "Add the attendance &lt;b&gt;figures&lt;/b&gt;." in detail
    assert "Resubmit the report" in detail

    client.post(url("report_submit", report.pk))
    report.refresh_from_db()
    assert report.status == R.RESUBMITTED
    history = client.get(url("report_detail", report.pk)).content.decode()
    history = history[history.index('id="history-title"') :]
    assert history.index("draft → submitted") < history.index("submitted → sent back")
    assert history.index("submitted → sent back") < history.index("sent back → resubmitted")
    # The partner sees that the commune sent it back, not which staff account did.
    assert "the commune" in history and coordinator.email not in history
    assert "The commune sent this report back" not in history
