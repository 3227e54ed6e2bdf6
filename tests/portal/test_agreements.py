from decimal import Decimal

import pytest

from partners.models import AgreementStatusChange, Party
from tests.factories import OrganisationFactory, UserFactory
from tests.portal.helpers import md_agreement, money, org_of

pytestmark = pytest.mark.django_db


def test_list_shows_the_partners_agreements_only(partner_md, partner_jette, client_for):
    md = org_of(partner_md)
    md_agreement(md)
    md_agreement(org_of(partner_jette), reference="TWIN-JETTE")
    page = client_for(partner_md).get("/en/portal/agreements/").content.decode()
    assert "CONV-MD-2022" in page
    assert "Reception and orientation office" in page
    assert "TWIN-JETTE" not in page


def test_detail_shows_parties_amendments_commitments_and_hides_staff(
    partner_md, coordinator, client_for
):
    md = org_of(partner_md)
    made = md_agreement(md)
    money(made, md, OrganisationFactory(name="Commune de Belfaa"))
    AgreementStatusChange.objects.create(
        agreement=made, from_status="draft", to_status="signed", by=coordinator
    )
    AgreementStatusChange.objects.create(
        agreement=made, from_status="signed", to_status="active", by=partner_md
    )
    page = client_for(partner_md).get(f"/en/portal/agreements/{made.pk}/").content.decode()
    assert "Commune de Belfaa" in page and "funder" in page
    assert "Budget raised" in page
    assert 'class="portal-late"' in page
    assert "the commune" in page
    assert coordinator.last_name not in page or coordinator.last_name == partner_md.last_name
    assert coordinator.email not in page
    assert partner_md.get_full_name() in page


def test_documents_download_as_attachments(partner_md, client_for):
    made = md_agreement(org_of(partner_md))
    client = client_for(partner_md)
    response = client.get(f"/en/portal/agreements/{made.pk}/document/signed/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    amendment = made.amendments.get()
    response = client.get(f"/en/portal/agreements/amendments/{amendment.pk}/document/")
    assert response["Content-Disposition"].startswith("attachment")
    assert client.get(f"/en/portal/agreements/{made.pk}/document/termination/").status_code == 404


def test_jette_gets_404_on_every_md_object(partner_md, partner_jette, client_for):
    made = md_agreement(org_of(partner_md))
    amendment = made.amendments.get()
    client = client_for(partner_jette)
    for url in (
        f"/en/portal/agreements/{made.pk}/",
        f"/en/portal/agreements/{made.pk}/document/signed/",
        f"/en/portal/agreements/amendments/{amendment.pk}/document/",
    ):
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("name", ["coordinator", "officer", "outsider"])
def test_staff_and_outsiders_are_refused(name, request, client_for):
    client = client_for(request.getfixturevalue(name))
    for url in ("/en/portal/agreements/", "/en/portal/agreements/contributions/"):
        assert client.get(url).status_code == 403


def test_anonymous_goes_to_sign_in(client):
    response = client.get("/en/portal/agreements/")
    assert response.status_code == 302 and "login" in response["Location"]


def test_withdrawn_party_no_longer_sees_the_agreement(partner_md, client_for):
    made = md_agreement(org_of(partner_md))
    Party.objects.filter(agreement=made).delete()
    client = client_for(partner_md)
    assert client.get(f"/en/portal/agreements/{made.pk}/").status_code == 404
    assert "CONV-MD-2022" not in client.get("/en/portal/agreements/").content.decode()


def test_contributions_totals_in_decimal_across_mad_and_eur(partner_md, client_for):
    md = org_of(partner_md)
    made = md_agreement(md)
    money(made, md, OrganisationFactory(name="Commune de Jette"))
    response = client_for(partner_md).get("/en/portal/agreements/contributions/")
    page = response.content.decode()
    # 100000.10 MAD + 1000 EUR at 10.912345 = 10912.35 MAD, + 0.20 MAD in 2024
    assert response.context["total_mad"] == Decimal("110912.65")
    assert "110,912.65" in page
    assert "Commune de Jette" in page
    by_party = dict((name, mad) for name, mad, _c in response.context["by_party"])
    assert by_party["Commune de Jette"] == Decimal("10912.35")
    assert isinstance(by_party["Migrations & Développement"], Decimal)


def test_contributions_of_agreements_the_partner_is_not_party_to_are_hidden(
    partner_md, partner_jette, client_for
):
    jette = org_of(partner_jette)
    money(md_agreement(jette, reference="TWIN-JETTE"), jette, OrganisationFactory(name="Enabel"))
    page = client_for(partner_md).get("/en/portal/agreements/contributions/").content.decode()
    assert "TWIN-JETTE" not in page and "Enabel" not in page


def test_arabic_page_isolates_references(partner_md, client_for):
    made = md_agreement(org_of(partner_md))
    page = client_for(partner_md).get(f"/ar/portal/agreements/{made.pk}/").content.decode()
    assert 'dir="rtl"' in page
    assert "CONV-MD-2022" in page
    assert UserFactory._meta.model.objects.count() >= 1
