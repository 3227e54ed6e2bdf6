"""Results entered by hand: four eyes, a new approval after a change, the history kept,
checked breakdowns, and evidence downloaded only by staff allowed to read it."""

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from belfaa.models import User
from programs.indicators import indicator_actuals
from programs.models import Indicator, ManualResult
from programs.services import result_approve, result_change, result_enter
from tests.programs.plan_builders import PDF_BYTES, indicator, plan, programme

pytestmark = pytest.mark.django_db
ClientFor = Callable[[User], Client]


@pytest.fixture
def enrolled() -> Indicator:
    return indicator(programme(plan()), "school", disaggregations=["sex"])


def test_a_result_is_never_approved_by_its_author(enrolled: Indicator, coordinator: User) -> None:
    result = result_enter(indicator=enrolled, year=2025, value=Decimal(5), by=coordinator)
    with pytest.raises(ValidationError, match="another staff member must approve it"):
        result_approve(result=result, by=coordinator)
    result.refresh_from_db()
    assert result.approved_by is None


def test_an_officer_enters_and_a_coordinator_approves(
    enrolled: Indicator, officer: User, coordinator: User
) -> None:
    result = result_enter(indicator=enrolled, year=2025, value=Decimal(5), by=coordinator)
    with pytest.raises(ValidationError, match="may not approve"):
        result_approve(result=result, by=officer)
    mine = result_enter(indicator=enrolled, year=2024, value=Decimal(3), by=officer)
    approved = result_approve(result=mine, by=coordinator)
    assert approved.approved_by == coordinator
    assert approved.approved_at is not None
    actuals = indicator_actuals([enrolled], years=(2024, 2025))
    assert actuals[enrolled.pk].value == Decimal(3)  # the 2025 one waits for approval


def test_a_change_after_approval_needs_a_new_one_and_the_history_keeps_both(
    enrolled: Indicator, officer: User, coordinator: User
) -> None:
    result = result_enter(indicator=enrolled, year=2025, value=Decimal(5), by=officer)
    result_approve(result=result, by=coordinator)
    changed = result_change(result=result, by=officer, value=Decimal(7))
    assert changed.approved_by is None
    assert indicator_actuals([enrolled], years=2025)[enrolled.pk].value is None
    versions = list(changed.history.order_by("history_date"))
    assert [(v.value, v.approved_by_id) for v in versions] == [
        (Decimal(5), None),
        (Decimal(5), coordinator.pk),
        (Decimal(7), None),
    ]
    result_approve(result=changed, by=coordinator)
    assert indicator_actuals([enrolled], years=2025)[enrolled.pk].value == Decimal(7)


@pytest.mark.parametrize(
    ("year", "breakdown", "message"),
    [
        (2030, {}, "outside the plan"),
        (2025, {"sex": {"female": 1, "male": 1}}, "add up to 2, not to the result 5"),
        (2025, {"group": {"newcomer": 5}}, "not broken down by “group”"),
        (2025, {"sex": {"alien": 5}}, "Unknown values for “sex”: alien"),
        (2025, {"sex": {"female": -1, "male": 6}}, "cannot be negative"),
    ],
)
def test_a_bad_result_is_refused_and_nothing_is_stored(
    enrolled: Indicator, officer: User, year: int, breakdown: dict, message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        result_enter(
            indicator=enrolled, year=year, value=Decimal(5), breakdown=breakdown, by=officer
        )
    assert not ManualResult.objects.exists()


def test_a_measured_indicator_takes_no_result_by_hand(officer: User) -> None:
    counted = indicator(
        programme(plan()),
        "sport",
        source=Indicator.Source.MEASURE,
        unit=Indicator.Unit.ACTIVITIES,
        measure_code="events.activities_held",
    )
    with pytest.raises(ValidationError, match="takes no result by hand"):
        result_enter(indicator=counted, year=2025, value=Decimal(1), by=officer)


def test_the_admin_action_refuses_self_approval_and_approves_another_s_entry(
    enrolled: Indicator, officer: User, coordinator: User, client_for: ClientFor
) -> None:
    own = result_enter(indicator=enrolled, year=2024, value=Decimal(2), by=coordinator)
    theirs = result_enter(indicator=enrolled, year=2025, value=Decimal(3), by=officer)
    response = client_for(coordinator).post(
        "/en/admin/programs/manualresult/",
        {"action": "approve", "_selected_action": [own.pk, theirs.pk]},
        follow=True,
    )
    page = response.content.decode()
    assert "another staff member must approve it" in page
    assert "1 result approved." in page
    own.refresh_from_db()
    theirs.refresh_from_db()
    assert own.approved_by is None
    assert theirs.approved_by == coordinator


def test_an_officer_has_no_approve_action_and_saving_makes_them_the_author(
    enrolled: Indicator, officer: User, coordinator: User, client_for: ClientFor
) -> None:
    result = result_enter(indicator=enrolled, year=2025, value=Decimal(3), by=coordinator)
    client = client_for(officer)
    listing = client.get("/en/admin/programs/manualresult/").content.decode()
    assert 'value="approve"' not in listing
    client.post(
        "/en/admin/programs/manualresult/",
        {"action": "approve", "_selected_action": [result.pk]},
    )
    result.refresh_from_db()
    assert result.approved_by is None
    response = client.post(
        f"/en/admin/programs/manualresult/{result.pk}/change/",
        {
            "indicator": enrolled.pk,
            "year": 2025,
            "value": "4",
            "breakdown": '{"sex": {"female": 3, "male": 1}}',
            "source_note": "school register",
        },
    )
    assert response.status_code == 302
    result.refresh_from_db()
    assert (result.value, result.entered_by, result.approved_by) == (Decimal(4), officer, None)


def test_the_evidence_is_downloaded_by_staff_only(
    enrolled: Indicator,
    officer: User,
    viewer: User,
    partner_md: User,
    outsider: User,
    client_for: ClientFor,
) -> None:
    result = result_enter(
        indicator=enrolled,
        year=2025,
        value=Decimal(3),
        by=officer,
        evidence=SimpleUploadedFile("list.pdf", PDF_BYTES),
    )
    url = f"/en/admin/programs/manualresult/{result.pk}/evidence/"
    download = client_for(viewer).get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF_BYTES
    assert download["Content-Disposition"].startswith("attachment")
    assert "list" not in result.evidence.name
    for other in (partner_md, outsider):
        assert client_for(other).get(url).status_code in (302, 403)
    assert (
        client_for(viewer)
        .get(f"/en/admin/programs/manualresult/{result.pk + 99}/evidence/")
        .status_code
        == 404
    )


def test_an_executable_named_pdf_is_refused_as_evidence(enrolled: Indicator, officer: User) -> None:
    with pytest.raises(ValidationError, match="not accepted"):
        result_enter(
            indicator=enrolled,
            year=2025,
            value=Decimal(3),
            by=officer,
            evidence=SimpleUploadedFile("list.pdf", b"MZ\x90\x00binary"),
        )
    assert not ManualResult.objects.exists()
