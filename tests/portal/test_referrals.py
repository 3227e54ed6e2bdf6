"""Referral consent in the partner portal: the name and contact show only while the
person's sharing consent naming the partner is in force, every display is logged, and
another partner's ids answer 404."""

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from participants.models import AccessLog, Consent, SupportRequest
from participants.services import consent_withdraw
from partners.models import Membership
from tests.factories import make_participant

NAME = "Plantedname"
PHONE = "+212612000111"
EMAIL = "planted.contact@example.test"


def _md(user):
    return Membership.objects.get(user=user).organisation


def _referral(org, *, consent: bool, recorder, **fields) -> SupportRequest:
    person = make_participant()
    if consent:
        Consent.objects.create(
            participant=person,
            purpose="sharing",
            partner=org,
            given_at=timezone.localdate() - timedelta(days=3),
            method="written",
            recorded_by=recorder,
        )
    values = {"kind": "legal", "opened_on": date(2026, 1, 5), "status": "referred"}
    values.update(fields)
    return SupportRequest.objects.create(
        participant=person, referred_to=org, follow_up_notes="PLANTEDFOLLOWUP", **values
    )


def _pages(client: Client, referral: SupportRequest) -> list[str]:
    return [
        client.get(reverse("portal:referrals")).content.decode(),
        client.get(reverse("portal:referral", kwargs={"pk": referral.pk})).content.decode(),
        client.get(reverse("portal:referrals_export")).content.decode(),
    ]


@pytest.fixture(autouse=True)
def _english():
    """Pages read in English here: the addresses carry the language."""
    with translation.override("en"):
        yield


@pytest.mark.django_db
def test_with_consent_the_partner_sees_name_and_contact_and_each_display_is_logged(
    partner_md, coordinator, client_for
):
    referral = _referral(_md(partner_md), consent=True, recorder=coordinator)
    client = client_for(partner_md)
    list_page, detail, export = _pages(client, referral)
    assert "Aminata Plantedname" in list_page
    assert PHONE in detail and EMAIL in detail
    assert NAME in export and PHONE in export
    for shown in (list_page, detail, export):
        assert "PLANTEDFOLLOWUP" not in shown and "PLANTEDDOC123" not in shown
        assert referral.participant.reference not in shown
    rows = AccessLog.objects.filter(reference=referral.participant.reference, user=partner_md)
    assert sorted(rows.values_list("purpose", flat=True)) == sorted(
        ["portal_referral_list", "portal_referral", "portal_referral_csv"]
    )
    assert rows.values_list("fields", flat=True)[0] == [
        "given_name",
        "family_name",
        "phone",
        "email",
    ]


@pytest.mark.django_db
def test_after_withdrawal_no_page_or_export_shows_the_person_and_nothing_is_logged(
    partner_md, coordinator, client_for
):
    referral = _referral(_md(partner_md), consent=True, recorder=coordinator)
    client = client_for(partner_md)
    assert NAME in _pages(client, referral)[0]
    consent_withdraw(consent_id=Consent.objects.get(purpose="sharing").pk)
    logged = AccessLog.objects.count()
    for shown in _pages(client, referral):
        assert NAME not in shown and PHONE not in shown and EMAIL not in shown
    assert f">{referral.pk}<" in client.get(reverse("portal:referrals")).content.decode()
    assert AccessLog.objects.count() == logged


@pytest.mark.django_db
def test_without_consent_only_the_request_facts_show(partner_md, coordinator, client_for):
    referral = _referral(_md(partner_md), consent=False, recorder=coordinator)
    detail = client_for(partner_md).get(reverse("portal:referral", kwargs={"pk": referral.pk}))
    text = detail.content.decode()
    assert NAME not in text and PHONE not in text
    assert "legal orientation" in text and "Not shared" in text
    assert not AccessLog.objects.exists()


@pytest.mark.django_db
def test_consent_to_another_partner_or_an_erased_record_does_not_share(
    partner_md, partner_jette, coordinator, client_for
):
    md, jette = _md(partner_md), _md(partner_jette)
    to_jette = _referral(md, consent=False, recorder=coordinator)
    Consent.objects.create(
        participant=to_jette.participant,
        purpose="sharing",
        partner=jette,
        given_at=timezone.localdate(),
        method="oral",
        recorded_by=coordinator,
    )
    erased = _referral(md, consent=True, recorder=coordinator)
    erased.participant.anonymised_at = timezone.now()
    erased.participant.save(update_fields=["anonymised_at"])
    page = client_for(partner_md).get(reverse("portal:referrals")).content.decode()
    assert NAME not in page
    assert not AccessLog.objects.exists()


@pytest.mark.django_db
def test_list_puts_open_ones_first_and_ignores_filters_on_the_person(
    partner_md, coordinator, client_for, django_assert_max_num_queries
):
    md = _md(partner_md)
    closed = _referral(
        md, consent=True, recorder=coordinator, status="closed", opened_on=date(2026, 3, 1)
    )
    referred = _referral(md, consent=True, recorder=coordinator, opened_on=date(2026, 1, 1))
    client = client_for(partner_md)
    page = client.get(reverse("portal:referrals")).content.decode()
    assert page.index(f">{referred.pk}<") < page.index(f">{closed.pk}<")
    crafted = client.get(
        reverse("portal:referrals"),
        {"participant__family_name__icontains": "zzz", "participant__legal_status": "refugee"},
    ).content.decode()
    assert f">{referred.pk}<" in crafted and f">{closed.pk}<" in crafted
    only_closed = client.get(reverse("portal:referrals"), {"status": "closed"}).content.decode()
    assert f">{closed.pk}<" in only_closed and f">{referred.pk}<" not in only_closed
    for _n in range(5):
        _referral(md, consent=True, recorder=coordinator)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("portal:referrals")).status_code == 200


@pytest.mark.django_db
def test_partner_records_and_updates_the_outcome_with_history(partner_md, coordinator, client_for):
    referral = _referral(_md(partner_md), consent=False, recorder=coordinator)
    client = client_for(partner_md)
    url = reverse("portal:referral_outcome", kwargs={"pk": referral.pk})
    assert client.post(url, {"outcome": "taken_up", "note": "Rendez-vous"}).status_code == 302
    assert client.post(url, {"outcome": "done", "note": "Dossier déposé"}).status_code == 302
    referral.refresh_from_db()
    assert (referral.partner_outcome, referral.partner_note) == ("done", "Dossier déposé")
    assert referral.partner_outcome_by == partner_md
    assert list(referral.history.values_list("partner_outcome", flat=True)[:2]) == [
        "done",
        "taken_up",
    ]


@pytest.mark.django_db
def test_a_bad_outcome_is_refused_with_a_message_and_nothing_stored(
    partner_md, coordinator, client_for
):
    referral = _referral(_md(partner_md), consent=False, recorder=coordinator)
    with translation.override("en"):
        url = reverse("portal:referral_outcome", kwargs={"pk": referral.pk})
    response = client_for(partner_md).post(url, {"outcome": "hacked"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    referral.refresh_from_db()
    assert referral.partner_outcome == ""


@pytest.mark.django_db
def test_another_partner_gets_404_and_a_crafted_post_changes_nothing(
    partner_md, partner_jette, coordinator, client_for
):
    referral = _referral(_md(partner_md), consent=True, recorder=coordinator)
    jette = client_for(partner_jette)
    assert jette.get(reverse("portal:referral", kwargs={"pk": referral.pk})).status_code == 404
    post = jette.post(
        reverse("portal:referral_outcome", kwargs={"pk": referral.pk}), {"outcome": "done"}
    )
    assert post.status_code == 404
    referral.refresh_from_db()
    assert referral.partner_outcome == ""
    assert NAME not in jette.get(reverse("portal:referrals_export")).content.decode()
    assert not AccessLog.objects.exists()


@pytest.mark.django_db
def test_outcome_refused_once_the_request_is_no_longer_referred(
    partner_md, coordinator, client_for
):
    referral = _referral(_md(partner_md), consent=False, recorder=coordinator, status="closed")
    with translation.override("en"):
        url = reverse("portal:referral_outcome", kwargs={"pk": referral.pk})
    response = client_for(partner_md).post(url, {"outcome": "done"})
    assert response.status_code == 400
    assert "no longer referred" in response.content.decode()


@pytest.mark.django_db
def test_outcome_form_needs_csrf(partner_md, coordinator):
    referral = _referral(_md(partner_md), consent=False, recorder=coordinator)
    client = Client(enforce_csrf_checks=True)
    client.force_login(partner_md)
    url = reverse("portal:referral_outcome", kwargs={"pk": referral.pk})
    assert client.post(url, {"outcome": "done"}).status_code == 403
    referral.refresh_from_db()
    assert referral.partner_outcome == ""


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["officer", "coordinator", "outsider"])
def test_staff_and_outsiders_are_refused_the_referral_pages(
    who, request, partner_md, coordinator, client_for
):
    referral = _referral(_md(partner_md), consent=True, recorder=coordinator)
    client = client_for(request.getfixturevalue(who))
    for url in (
        reverse("portal:referrals"),
        reverse("portal:referrals_export"),
        reverse("portal:referral", kwargs={"pk": referral.pk}),
    ):
        assert client.get(url).status_code == 403
    assert (
        client.post(
            reverse("portal:referral_outcome", kwargs={"pk": referral.pk}), {"outcome": "done"}
        ).status_code
        == 403
    )


@pytest.mark.django_db
def test_anonymous_visitor_is_sent_to_sign_in():
    response = Client().get(reverse("portal:referrals"))
    assert response.status_code == 302 and "login" in response["Location"]
