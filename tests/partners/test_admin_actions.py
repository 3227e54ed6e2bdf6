"""The Coordinators' decisions in the admin (accept, send back, sign, suspend, resume,
terminate) and the agreement page's inlines, which refuse what the services refuse.
Everything goes through the admin as a browser would post it, hand-made posts too."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from partners import services
from partners.models import Agreement, Amendment, Commitment, Contribution, ProgressReport
from tests.factories import OrganisationFactory
from tests.partners.helpers import agreement, pdf

pytestmark = pytest.mark.django_db
R = ProgressReport.Status
A = Agreement.Status
AGREEMENTS = "/en/admin/partners/agreement"
REPORTS = "/en/admin/partners/progressreport"


@pytest.fixture
def report(partner_md) -> ProgressReport:
    md = partner_md.partner_membership.organisation
    made = agreement(status=A.ACTIVE, signed_on=date(2025, 1, 1), partner=md, reference="R-ADMIN")
    report = ProgressReport.objects.create(
        agreement=made,
        organisation=md,
        period_start=date(2025, 1, 1),
        period_end=date(2025, 6, 30),
        due_on=date(2025, 7, 30),
        achievements="412 people received",
    )
    return services.report_submit(report_id=report.pk, by=partner_md)


def decide(client: Client, base: str, pk: int, slug: str, data: dict[str, Any] | None = None):
    return client.post(f"{base}/{pk}/decide/{slug}/", data or {}, follow=True)


# --- Progress reports ---------------------------------------------------------------


def test_the_change_page_offers_accept_and_send_back_to_a_reviewer_only(
    report, coordinator, officer, client_for
) -> None:
    page = client_for(coordinator).get(f"{REPORTS}/{report.pk}/change/").content.decode()
    assert f"{REPORTS}/{report.pk}/decide/accept/" in page
    assert f"{REPORTS}/{report.pk}/decide/send-back/" in page
    officers = client_for(officer).get(f"{REPORTS}/{report.pk}/change/").content.decode()
    assert "/decide/" not in officers


def test_a_coordinator_accepts_a_submitted_report(report, coordinator, client_for) -> None:
    response = decide(client_for(coordinator), REPORTS, report.pk, "accept")
    assert "The report was accepted." in response.content.decode()
    report.refresh_from_db()
    assert report.status == R.ACCEPTED
    assert report.transitions.last().by == coordinator


def test_sending_back_without_a_reason_is_refused_with_the_message(
    report, coordinator, client_for
) -> None:
    response = decide(client_for(coordinator), REPORTS, report.pk, "send-back", {"reason": "  "})
    assert response.status_code == 400
    assert "Say why the report is sent back." in response.content.decode()
    report.refresh_from_db()
    assert report.status == R.SUBMITTED and report.transitions.count() == 1


def test_a_report_sent_back_keeps_its_reason_in_the_history_shown_in_the_admin(
    report, coordinator, client_for
) -> None:
    client = client_for(coordinator)
    decide(client, REPORTS, report.pk, "send-back", {"reason": "Figures missing"})
    report.refresh_from_db()
    assert report.status == R.SENT_BACK
    page = client.get(f"{REPORTS}/{report.pk}/change/").content.decode()
    assert "Figures missing" in page and "sent back" in page
    # Nothing left to decide until the partner resubmits.
    assert "/decide/" not in page


def test_nobody_reviews_a_report_they_submitted_themselves_and_no_500(
    partner_md, coordinator, client_for
) -> None:
    md = partner_md.partner_membership.organisation
    made = agreement(status=A.ACTIVE, signed_on=date(2025, 1, 1), partner=md, reference="SELF")
    mine = ProgressReport.objects.create(
        agreement=made,
        organisation=md,
        period_start=date(2025, 1, 1),
        period_end=date(2025, 6, 30),
        due_on=date(2025, 7, 30),
        achievements="written by the Coordinator on the partner's behalf",
    )
    services.report_submit(report_id=mine.pk, by=coordinator)
    client = client_for(coordinator)
    for slug, data in (("accept", {}), ("send-back", {"reason": "mine"})):
        response = decide(client, REPORTS, mine.pk, slug, data)
        assert response.status_code == 400
        assert "You submitted this report: someone else must review it." in (
            response.content.decode()
        )
    mine.refresh_from_db()
    assert mine.status == R.SUBMITTED and mine.transitions.count() == 1


def test_an_officer_cannot_review_even_by_a_crafted_post(report, officer, client_for) -> None:
    client = client_for(officer)
    assert client.get(f"{REPORTS}/{report.pk}/decide/accept/").status_code == 403
    assert client.post(f"{REPORTS}/{report.pk}/decide/accept/").status_code == 403
    report.refresh_from_db()
    assert report.status == R.SUBMITTED


def test_a_draft_cannot_be_accepted_and_the_page_says_so(partner_md, coordinator, client_for):
    md = partner_md.partner_membership.organisation
    made = agreement(status=A.ACTIVE, signed_on=date(2025, 1, 1), partner=md, reference="DRAFT")
    draft = ProgressReport.objects.create(
        agreement=made,
        organisation=md,
        period_start=date(2025, 1, 1),
        period_end=date(2025, 6, 30),
        due_on=date(2025, 7, 30),
    )
    response = decide(client_for(coordinator), REPORTS, draft.pk, "accept")
    assert "Only a submitted report can be reviewed." in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == R.DRAFT


def test_the_partners_narrative_is_read_only_in_the_admin(report, coordinator, client_for):
    client_for(coordinator).post(
        f"{REPORTS}/{report.pk}/change/",
        {
            "agreement": report.agreement_id,
            "organisation": report.organisation_id,
            "period_start": "2025-01-01",
            "period_end": "2025-06-30",
            "due_on": "2025-07-30",
            "achievements": "rewritten by staff",
            "figures-TOTAL_FORMS": "0",
            "figures-INITIAL_FORMS": "0",
            "attachments-TOTAL_FORMS": "0",
            "attachments-INITIAL_FORMS": "0",
            "transitions-TOTAL_FORMS": "0",
            "transitions-INITIAL_FORMS": "0",
        },
    )
    report.refresh_from_db()
    assert report.achievements == "412 people received"


# --- Agreement status ---------------------------------------------------------------


def test_a_coordinator_signs_suspends_resumes_and_terminates_through_the_buttons(
    coordinator, client_for
) -> None:
    made = agreement(starts_on=date(2025, 1, 1), ends_on=date(2099, 12, 31))
    client = client_for(coordinator)
    change = client.get(f"{AGREEMENTS}/{made.pk}/change/").content.decode()
    assert f"{AGREEMENTS}/{made.pk}/decide/sign/" in change
    assert "/decide/terminate/" not in change

    decide(client, AGREEMENTS, made.pk, "sign", {"signed_on": "2025-01-01"})
    made.refresh_from_db()
    assert made.status == A.ACTIVE and made.signed_on == date(2025, 1, 1)

    refused = decide(client, AGREEMENTS, made.pk, "suspend", {"reason": ""})
    assert "Give the reason for the suspension." in refused.content.decode()
    made.refresh_from_db()
    assert made.status == A.ACTIVE

    decide(client, AGREEMENTS, made.pk, "suspend", {"reason": "Audit under way"})
    made.refresh_from_db()
    assert made.status == A.SUSPENDED
    decide(client, AGREEMENTS, made.pk, "resume")
    made.refresh_from_db()
    assert made.status == A.ACTIVE

    no_document = decide(client, AGREEMENTS, made.pk, "terminate", {"reason": "Ended early"})
    assert "Attach the document that terminates the agreement." in no_document.content.decode()
    made.refresh_from_db()
    assert made.status == A.ACTIVE

    done = decide(
        client, AGREEMENTS, made.pk, "terminate", {"reason": "Ended early", "document": pdf()}
    )
    assert "The agreement was terminated." in done.content.decode()
    made.refresh_from_db()
    assert made.status == A.TERMINATED and made.termination_reason == "Ended early"
    steps = list(made.status_changes.values_list("to_status", "by", "note"))
    assert steps[-1] == (A.TERMINATED, coordinator.pk, "Ended early")
    assert (A.SUSPENDED, coordinator.pk, "Audit under way") in steps


def test_an_officer_cannot_change_an_agreements_status(officer, client_for) -> None:
    made = agreement()
    client = client_for(officer)
    assert "/decide/" not in client.get(f"{AGREEMENTS}/{made.pk}/change/").content.decode()
    response = client.post(f"{AGREEMENTS}/{made.pk}/decide/sign/", {"signed_on": "2025-01-01"})
    assert response.status_code == 403
    made.refresh_from_db()
    assert made.status == A.DRAFT


def test_an_unknown_decision_answers_404(coordinator, client_for) -> None:
    made = agreement()
    response = client_for(coordinator).post(f"{AGREEMENTS}/{made.pk}/decide/delete/")
    assert response.status_code == 404


# --- Inlines: the services' cross-row rules on a crafted POST -------------------------


def change_form_data(client: Client, pk: int) -> dict[str, Any]:
    """What the agreement's change page would post back untouched."""
    response = client.get(f"{AGREEMENTS}/{pk}/change/")
    data: dict[str, Any] = {}
    form = response.context["adminform"].form
    for field in form:
        value = field.value()
        if value is None or field.name in {"document"}:
            continue
        data[field.html_name] = [str(v) for v in value] if isinstance(value, list) else value
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for field in formset.management_form:
            data[field.html_name] = field.value()
        for row in formset.forms:
            for field in row:
                value = field.value()
                if value is not None and field.name not in {"document", "DELETE"}:
                    data[field.html_name] = value
    # The helper's agreements have a French title only; the admin requires the Arabic.
    data.setdefault("title_ar", "اتفاقية اختبار")
    return data


def add_row(data: dict[str, Any], prefix: str, values: dict[str, Any]) -> None:
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    for name, value in values.items():
        data[f"{prefix}-{index}-{name}"] = value
    data[f"{prefix}-TOTAL_FORMS"] = str(index + 1)


@pytest.fixture
def active(db) -> Agreement:
    return agreement(
        status=A.ACTIVE,
        signed_on=date(2025, 1, 1),
        starts_on=date(2025, 1, 1),
        ends_on=date(2026, 12, 31),
    )


def post_change(client: Client, pk: int, data: dict[str, Any]):
    return client.post(f"{AGREEMENTS}/{pk}/change/", data)


def test_a_commitment_due_outside_the_agreements_dates_is_refused(
    active, coordinator, client_for
) -> None:
    client = client_for(coordinator)
    data = change_form_data(client, active.pk)
    party = active.parties.get().organisation_id
    add_row(
        data,
        "commitments",
        {
            "organisation": party,
            "description": "Train 20 people",
            "due_on": "2027-03-01",
            "status": "planned",
        },
    )
    response = post_change(client, active.pk, data)
    assert response.status_code == 200
    assert "The due date must fall within the agreement&#x27;s dates" in response.content.decode()
    assert not Commitment.objects.exists()


def test_a_commitment_is_refused_when_the_same_post_moves_the_end_before_it(
    active, coordinator, client_for
) -> None:
    client = client_for(coordinator)
    data = change_form_data(client, active.pk)
    add_row(
        data,
        "commitments",
        {
            "organisation": active.parties.get().organisation_id,
            "description": "Train 20 people",
            "due_on": "2026-06-01",
            "status": "planned",
        },
    )
    data["ends_on"] = "2026-03-31"
    response = post_change(client, active.pk, data)
    assert "The due date must fall within" in response.content.decode()
    active.refresh_from_db()
    assert active.ends_on == date(2026, 12, 31) and not Commitment.objects.exists()


def test_an_amendment_whose_new_end_precedes_the_start_is_refused(
    active, coordinator, client_for
) -> None:
    client = client_for(coordinator)
    data = change_form_data(client, active.pk)
    add_row(
        data,
        "amendments",
        {
            "number": "1",
            "signed_on": "2025-06-01",
            "changes": "Shorter",
            "new_ends_on": "2024-12-31",
        },
    )
    response = post_change(client, active.pk, data)
    assert "The new end date cannot come before the start" in response.content.decode()
    active.refresh_from_db()
    assert not Amendment.objects.exists() and active.ends_on == date(2026, 12, 31)


def test_an_amendment_saved_in_the_admin_moves_the_agreements_end_and_status(
    coordinator, client_for
) -> None:
    ended = agreement(
        status=A.ENDED,
        signed_on=date(2023, 1, 1),
        starts_on=date(2023, 1, 1),
        ends_on=date(2024, 12, 31),
    )
    client = client_for(coordinator)
    data = change_form_data(client, ended.pk)
    add_row(
        data,
        "amendments",
        {
            "number": "1",
            "signed_on": "2025-01-10",
            "changes": "Extended",
            "new_ends_on": "2099-12-31",
        },
    )
    response = post_change(client, ended.pk, data)
    assert response.status_code == 302
    ended.refresh_from_db()
    assert ended.ends_on == date(2099, 12, 31) and ended.status == A.ACTIVE


def test_a_contribution_not_in_mad_without_its_rate_is_refused(
    active, coordinator, client_for
) -> None:
    client = client_for(coordinator)
    data = change_form_data(client, active.pk)
    add_row(
        data,
        "contributions",
        {
            "organisation": active.parties.get().organisation_id,
            "year": "2025",
            "amount": "1000",
            "currency": "EUR",
            "nature": "cash",
        },
    )
    response = post_change(client, active.pk, data)
    assert "An amount not in MAD needs its rate to MAD" in response.content.decode()
    assert not Contribution.objects.exists()


def test_money_or_a_promise_from_an_organisation_that_is_not_a_party_is_refused(
    active, coordinator, client_for
) -> None:
    outsider = OrganisationFactory(name="Not a party")
    client = client_for(coordinator)
    data = change_form_data(client, active.pk)
    add_row(
        data,
        "contributions",
        {
            "organisation": outsider.pk,
            "year": "2025",
            "amount": "1000",
            "currency": "MAD",
            "nature": "cash",
        },
    )
    add_row(
        data,
        "commitments",
        {
            "organisation": outsider.pk,
            "description": "Promise",
            "due_on": "2025-06-01",
            "status": "planned",
        },
    )
    response = post_change(client, active.pk, data)
    assert (
        response.content.decode().count("This organisation is not a party to the agreement.") == 2
    )
    assert not Contribution.objects.exists() and not Commitment.objects.exists()


def test_a_party_added_on_the_same_page_may_contribute(active, coordinator, client_for) -> None:
    funder = OrganisationFactory(name="Enabel")
    client = client_for(coordinator)
    data = change_form_data(client, active.pk)
    add_row(data, "parties", {"organisation": funder.pk, "role": "funder"})
    add_row(
        data,
        "contributions",
        {
            "organisation": funder.pk,
            "year": "2025",
            "amount": "5000",
            "currency": "EUR",
            "nature": "cash",
            "rate_to_mad": "10.9",
            "rate_on": "2025-01-02",
        },
    )
    response = post_change(client, active.pk, data)
    assert response.status_code == 302
    assert Contribution.objects.get().amount_mad == Decimal("54500.00")


def test_a_party_cannot_be_removed_while_it_keeps_contributions(
    active, coordinator, client_for
) -> None:
    party = active.parties.get()
    services.contribution_add(
        agreement_id=active.pk,
        organisation_id=party.organisation_id,
        year=2025,
        amount=Decimal("100"),
        currency="MAD",
    )
    client = client_for(coordinator)
    data = change_form_data(client, active.pk)
    data["parties-0-DELETE"] = "on"
    response = post_change(client, active.pk, data)
    assert "This organisation is not a party to the agreement." in response.content.decode()
    assert active.parties.count() == 1
