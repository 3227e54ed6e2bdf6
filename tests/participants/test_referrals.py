"""The partner's side of a referral on the registry: the service, the admin, the measure."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from participants.models import SupportRequest
from participants.selectors import referrals_for
from participants.services import referral_outcome_record
from partners.models import Membership, Organisation
from programs.measures import measure_get
from tests.factories import OrganisationFactory, make_participant


def _request(org, **fields) -> SupportRequest:
    values = {"kind": "health", "opened_on": date(2026, 2, 1), "status": "referred"}
    values.update(fields)
    return SupportRequest.objects.create(participant=make_participant(), referred_to=org, **values)


@pytest.fixture(autouse=True)
def _english():
    """Pages read in English here: the addresses carry the language."""
    with translation.override("en"):
        yield


@pytest.mark.django_db
def test_outcome_refused_for_a_request_referred_to_another_partner(partner_md):
    request = _request(OrganisationFactory(name="Autre"))
    with pytest.raises(SupportRequest.DoesNotExist):
        referral_outcome_record(
            request_id=request.pk,
            organisation_id=OrganisationFactory().pk,
            by=partner_md,
            outcome="done",
            note="",
        )
    request.refresh_from_db()
    assert request.partner_outcome == ""


@pytest.mark.django_db
def test_unknown_outcome_is_refused(partner_md):
    org = OrganisationFactory()
    request = _request(org)
    with pytest.raises(ValidationError):
        referral_outcome_record(
            request_id=request.pk, organisation_id=org.pk, by=partner_md, outcome="x", note=""
        )


@pytest.mark.django_db
def test_the_partners_outcome_appears_in_the_admin(coordinator, partner_md, client_for):
    org = OrganisationFactory(name="Migrations & Développement")
    request = _request(org)
    referral_outcome_record(
        request_id=request.pk,
        organisation_id=org.pk,
        by=partner_md,
        outcome="could_not_help",
        note="Hors de notre champ",
    )
    client = client_for(coordinator)
    change = client.get(reverse("admin:participants_supportrequest_change", args=[request.pk]))
    text = change.content.decode()
    assert "could not help" in text and "Hors de notre champ" in text
    assert 'name="partner_outcome"' not in text  # read-only for the BAOM
    listed = client.get(
        reverse("admin:participants_supportrequest_changelist"), {"partner_outcome": "done"}
    )
    assert listed.status_code == 200
    assert f"/{request.pk}/change/" not in listed.content.decode()


@pytest.mark.django_db
def test_referrals_measure_equals_a_direct_count(partner_md):
    md, jette = OrganisationFactory(name="M&D"), OrganisationFactory(name="Jette")
    for _n in range(3):
        _request(md)
    done = _request(jette)
    referral_outcome_record(
        request_id=done.pk, organisation_id=jette.pk, by=partner_md, outcome="done", note=""
    )
    _request(None, status="open")
    _request(md, opened_on=date(2025, 1, 1))
    measure = measure_get("participants.referrals")
    period = {"start": date(2026, 1, 1), "end": date(2026, 12, 31)}
    direct = SupportRequest.objects.filter(referred_to__isnull=False, opened_on__year=2026).count()
    assert measure.counter(**period, by=None) == direct == 4
    assert measure.counter(**period, by="partner") == {"M&D": 3, "Jette": 1}
    assert measure.counter(**period, by="partner", partner_outcome="done") == {"Jette": 1}


@pytest.mark.django_db
def test_the_demo_has_referrals_to_md_with_and_without_consent_and_an_outcome(
    client_for,
) -> None:
    call_command("seed_demo", force=True)
    md = Organisation.objects.get(acronym="M&D")
    shared = referrals_for(md.pk)
    assert any(row.shared for row in shared) and not all(row.shared for row in shared)
    answered = shared.filter(status="referred").exclude(partner_outcome="").get()
    assert answered.partner_outcome == "taken_up" and answered.shared
    member = Membership.objects.filter(organisation=md).first()
    assert member is not None and answered.partner_outcome_by == member.user
