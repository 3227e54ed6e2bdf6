from django.urls import reverse


def test_a_partner_user_sees_their_organisation_on_the_portal_home(partner_md, client_for):
    response = client_for(partner_md).get(reverse("portal:home"))
    assert response.status_code == 200
    assert "Migrations &amp; Développement" in response.content.decode()


def test_staff_and_outsiders_are_refused_and_visitors_sent_to_sign_in(
    coordinator, outsider, client, client_for
):
    assert client_for(coordinator).get(reverse("portal:home")).status_code == 403
    assert client_for(outsider).get(reverse("portal:home")).status_code == 403
    response = client.get(reverse("portal:home"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
