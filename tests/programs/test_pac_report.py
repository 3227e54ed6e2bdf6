"""The PAC report: figures against direct counts, one computed report in four
formats, the command, the partner version, the files and who may download them."""

import csv
import io
import subprocess
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from belfaa.models import User
from events.models import Event, MeetingOutcome, Registration
from participants.models import Participant, SupportRequest
from partners.models import Membership
from programs.models import Commune, PlanPeriod, Programme, ReportFile
from programs.report_data import Report, Scope
from programs.report_files import report_file_generate, report_file_request
from programs.report_outputs import report_csv, report_html, report_lines, report_xlsx
from programs.reports import report_build
from programs.suppression import Suppressed
from tests.factories import EventFactory, OrganisationFactory, make_participant

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


@pytest.fixture
def plan() -> PlanPeriod:
    commune = Commune.objects.create(name="Belfaa")
    return PlanPeriod.objects.create(
        commune=commune, title="PAC", start_year=YEAR - 3, end_year=YEAR + 2
    )


def dataset(scale: int, organisation_id: int | None = None) -> None:
    """People, requests, activities with attendance and meeting outcomes, `scale` times."""
    held_at = timezone.now() - timedelta(days=1)
    for n in range(scale):
        woman = make_participant(sex="female", group=Participant.Group.NEWCOMER, phone="", email="")
        man = make_participant(sex="male", group=Participant.Group.LOCAL_YOUTH, phone="", email="")
        SupportRequest.objects.create(participant=woman, kind="health", opened_on=held_at.date())
        SupportRequest.objects.create(
            participant=man, kind="legal", opened_on=held_at.date(), outcome="met"
        )
        for kind in (Event.Kind.SPORT, Event.Kind.MEETING):
            event = EventFactory(kind=kind, starts_at=held_at, ends_at=held_at + timedelta(hours=1))
            if organisation_id:
                event.partners.add(organisation_id)
            for i, group in enumerate(("resident", "newcomer", "newcomer")):
                Registration.objects.create(
                    event=event,
                    sex="female" if i else "male",
                    group=group,
                    language="fr",
                    status="confirmed",
                    attended_at=held_at,
                    phone=f"+2126{n:04d}{i}{kind[:1] == 's'}",
                )
            if kind == Event.Kind.MEETING:
                MeetingOutcome.objects.create(
                    event=event, kind="concern", theme="housing", raised_by="newcomer", text="Rents"
                )
                MeetingOutcome.objects.create(
                    event=event,
                    kind="concern",
                    theme="health",
                    raised_by="resident",
                    text="Clinic hours",
                    programme=Programme.objects.first(),
                )


def table(report: Report, section: str, title: str) -> list[list[object]]:
    found = next(s for s in report.sections if s.key == section)
    return next(t for t in found.tables if t.title == title).rows


def test_every_figure_equals_a_direct_count(plan: PlanPeriod) -> None:
    Programme.objects.create(period=plan, code="p1", title="Housing")
    dataset(3)
    report = report_build(Scope(year=YEAR), "en")
    by_sex = {row[0]: row[1:] for row in table(report, "people", "By sex")}
    women = Participant.objects.filter(sex="female", created_at__year=YEAR).count()
    assert by_sex["female"][0] == women == 3
    assert by_sex["Total"][0] == Participant.objects.count()
    kinds = {row[0]: row[1] for row in table(report, "requests", "Support requests by kind")}
    assert kinds["health referral"] == SupportRequest.objects.filter(kind="health").count()
    held = {row[0]: row for row in table(report, "activities", "Activities held by kind")}
    assert held["sport"][1] == Event.objects.filter(kind="sport").count() == 3
    people = Registration.objects.filter(attended_at__isnull=False)
    assert held["Total"][3] == people.values("person_key").distinct().count()
    joint = table(report, "activities", "Joint activities of local youth and newcomers")
    assert joint[1][1] == 6  # every activity had residents and newcomers
    assert str(joint[2][1]) == "100.0"
    heard = {row[0]: row for row in table(report, "heard", "Concerns and proposals by theme")}
    assert heard["housing"][1] == MeetingOutcome.objects.filter(theme="housing").count()
    assert heard["Total"][2] == MeetingOutcome.objects.filter(programme__isnull=False).count()
    assert str(heard["Total"][-1]) == "50.0"


def _queries(year: int) -> int:
    with CaptureQueriesContext(connection) as queries:
        report_build(Scope(year=year), "fr")
    return len(queries)


def test_the_query_count_does_not_grow_with_the_data(plan: PlanPeriod) -> None:
    dataset(1)
    small = _queries(YEAR)
    dataset(9)
    assert _queries(YEAR) == small


def test_the_csv_the_xlsx_and_the_html_show_the_same_numbers(plan: PlanPeriod) -> None:
    dataset(2)
    report = report_build(Scope(year=YEAR), "ar")
    lines = list(report_lines(report))
    rows = list(csv.reader(io.StringIO(report_csv(report).decode("utf-8-sig"))))[1:]
    assert [row[4] for row in rows] == [str(line[4]) for line in lines]
    book = load_workbook(io.BytesIO(report_xlsx(report)))
    # A year copied from a data file is the year: no invisible isolates in any text.
    texts = [cell for row in rows for cell in row] + [
        cell.value for sheet in book.worksheets for row in sheet.iter_rows() for cell in row
    ]
    assert any("2025" in str(text) for text in texts)
    assert not any("\u2066" in str(text) or "\u2069" in str(text) for text in texts)
    # The first section drawn from the records (the plan's own come first, and this
    # plan has no programmes): one sheet per section, in order.
    index = next(i for i, section in enumerate(report.sections) if section.key == "people")
    sheet = book.worksheets[index]
    first = report.sections[index].tables[0]
    assert sheet.freeze_panes == "B2"
    assert [c.value for c in sheet[2]] == first.rows[0]
    assert all(isinstance(c.value, int) for c in sheet[2][1:])
    html = report_html(report)
    assert f'<bdi dir="ltr">{first.rows[-1][1]}</bdi>' in html


@pytest.mark.pango
def test_the_arabic_pdf_says_its_words_in_arabic(plan: PlanPeriod, tmp_path: Path) -> None:
    dataset(1)
    out = tmp_path / "r.pdf"
    call_command("pac_report", year=YEAR, lang="ar", format="pdf", output=str(out))
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    assert "PAC" in text
    assert str(YEAR) in text


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"year": YEAR, "lang": "de", "format": "pdf"}, "unknown language"),
        ({"year": YEAR, "lang": "ar", "format": "doc"}, "unknown format"),
        ({"year": 1990, "lang": "ar", "format": "csv"}, "1990"),
        ({"year": YEAR, "lang": "ar", "format": "csv", "partner": 999999}, "no partner"),
    ],
)
def test_the_command_refuses_bad_input(
    plan: PlanPeriod, tmp_path: Path, options: dict[str, object], message: str
) -> None:
    out = tmp_path / "r.out"
    with pytest.raises(CommandError, match=message):
        call_command("pac_report", output=str(out), **options)
    assert not out.exists()


def test_the_partner_version_hides_small_counts_and_others_activities(
    plan: PlanPeriod, partner_md: User
) -> None:
    organisation = Membership.objects.get(user=partner_md).organisation
    dataset(1, organisation_id=organisation.pk)
    dataset(2)  # not the partner's
    report = report_build(Scope(year=YEAR, organisation_id=organisation.pk), "fr")
    # The plan (status and completion, no budget) and the partner's own figures.
    assert {s.key for s in report.sections} == {
        "plan",
        "indicators",
        "activities",
        "partners",
        "heard",
    }
    activities = next(s for s in report.sections if s.key == "activities").tables[0].rows
    cells = [cell for row in activities for cell in row[1:]]
    assert all(cell == 0 or isinstance(cell, Suppressed) or cell >= 5 for cell in cells)
    # One sport activity of the partner: 1 is shown as "< 5", not the others' 3.
    assert any(isinstance(cell, Suppressed) for cell in cells)


def test_a_second_request_reuses_the_file_until_the_data_changes(plan: PlanPeriod) -> None:
    dataset(1)
    asked = report_file_request(year=YEAR, language="fr", file_format="csv")
    first = report_file_generate(report_file_id=asked.pk)
    asked = report_file_request(year=YEAR, language="fr", file_format="csv")
    second = report_file_generate(report_file_id=asked.pk)
    assert first and second and first.pk != second.pk
    assert second.file.name == first.file.name
    dataset(1)
    asked = report_file_request(year=YEAR, language="fr", file_format="csv")
    third = report_file_generate(report_file_id=asked.pk)
    assert third and third.status == "done" and third.file.name != first.file.name


def test_only_staff_with_the_report_permission_download(
    plan: PlanPeriod,
    client_for: Callable[[User], Client],
    officer: User,
    viewer: User,
    partner_md: User,
) -> None:
    made = report_file_request(year=YEAR, language="en", file_format="csv")
    report_file_generate(report_file_id=made.pk)
    url = f"/en/admin/programs/reportfile/{made.pk}/download/"
    answer = client_for(officer).get(url)
    assert answer.status_code == 200 and answer["Content-Disposition"].startswith("attachment")
    assert client_for(viewer).get(url).status_code == 403
    assert client_for(partner_md).get(url).status_code in (302, 403)


def test_the_progress_page_refreshes_itself_until_ready(
    plan: PlanPeriod, client_for: Callable[[User], Client], coordinator: User
) -> None:
    made = report_file_request(year=YEAR, language="en", file_format="html")
    page = client_for(coordinator).get(f"/en/admin/programs/reportfile/{made.pk}/progress/")
    assert b'http-equiv="refresh"' in page.content
    report_file_generate(report_file_id=made.pk)
    page = client_for(coordinator).get(f"/en/admin/programs/reportfile/{made.pk}/progress/")
    assert b'http-equiv="refresh"' not in page.content and b"Download" in page.content


def test_the_portal_gives_a_partner_its_version(
    plan: PlanPeriod, client_for: Callable[[User], Client], partner_md: User
) -> None:
    other = OrganisationFactory()
    dataset(1, organisation_id=other.pk)
    page = client_for(partner_md).get(f"/en/portal/pac/?year={YEAR}&language=en&format=csv")
    assert page.status_code == 200
    assert page["Content-Type"].startswith("text/csv")
    # Another partner's activities are not in this partner's figures.
    body = page.content.decode("utf-8-sig")
    assert "sport" not in body or ",3" not in body


def test_outcomes_are_refused_before_the_meeting_and_for_other_kinds(plan: PlanPeriod) -> None:
    from django.core.exceptions import ValidationError
    from django.utils import translation

    from events.outcomes import outcomes_check

    translation.activate("en")
    with pytest.raises(ValidationError, match="after the meeting"):
        outcomes_check(EventFactory(kind=Event.Kind.MEETING))
    held_at = timezone.now() - timedelta(days=2)
    with pytest.raises(ValidationError, match="meetings / dialogues only"):
        outcomes_check(
            EventFactory(
                kind=Event.Kind.SPORT, starts_at=held_at, ends_at=held_at + timedelta(hours=1)
            )
        )


def test_expired_files_are_deleted_with_their_rows(plan: PlanPeriod) -> None:
    from programs.report_files import report_files_cleanup

    made = report_file_generate(
        report_file_id=report_file_request(year=YEAR, language="en", file_format="csv").pk
    )
    assert made is not None and made.expires_at is not None
    storage = made.file.storage
    name = made.file.name
    assert storage.exists(name)
    assert report_files_cleanup(now=made.expires_at - timedelta(seconds=1)) == 0
    assert report_files_cleanup(now=made.expires_at + timedelta(seconds=1)) == 1
    assert not storage.exists(name) and not ReportFile.objects.filter(pk=made.pk).exists()
