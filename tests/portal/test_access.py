"""Who reaches the portal, where a partner user lands, and that a partner user never
reaches the admin or any staff page."""

import re
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from belfaa.models import User
from partners.models import Agreement, Membership, Organisation, Party, ProgressReport
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


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


def test_an_inactive_partner_account_is_refused(partner_md: User, client_for: Any) -> None:
    client = client_for(partner_md)
    User.objects.filter(pk=partner_md.pk).update(is_active=False)
    assert client.get("/fr/portal/").status_code in {302, 403}


# --- Landing -------------------------------------------------------------------


def sign_in(client: Client, email: str, lang: str = "fr", **extra: str) -> Any:
    return client.post(f"/{lang}/accounts/login/", {"login": email, "password": PASSWORD, **extra})


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_a_partner_user_lands_on_the_portal_in_the_language_they_signed_in(
    client: Client, partner_md: User, lang: str
) -> None:
    response = sign_in(client, partner_md.email, lang)
    assert response.status_code == 302
    assert response["Location"] == f"/{lang}/portal/"


def test_staff_land_where_they_did_before(client: Client, coordinator: User) -> None:
    response = sign_in(client, coordinator.email)
    assert response["Location"] == "/fr/"


def test_the_public_header_offers_the_portal_to_partner_users_only(
    client_for: Callable[[User], Client], client: Client, partner_md: User, officer: User
) -> None:
    link = '<a href="/fr/portal/">Portail des partenaires</a>'
    assert link in client_for(partner_md).get("/fr/").content.decode()
    assert link not in client_for(officer).get("/fr/").content.decode()
    assert "/fr/portal/" not in client.get("/fr/").content.decode()


# --- Two-step verification -----------------------------------------------------


def test_with_mfa_required_a_partner_user_without_totp_is_sent_to_set_it_up(
    settings: Any, client_for: Callable[[User], Client], partner_md: User
) -> None:
    settings.STAFF_MFA_REQUIRED = True
    client = client_for(partner_md)
    for url in ("/fr/portal/", "/fr/portal/agreements/", "/ar/portal/reports/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].endswith("/accounts/2fa/totp/activate/")
    page = client.get("/fr/portal/", follow=True).content.decode()
    assert "Les comptes partenaires doivent utiliser la vérification en deux étapes" in page
    # The set-up page (which first asks for the password again) and the public site
    # stay open.
    set_up = client.get("/fr/accounts/2fa/totp/activate/")
    assert set_up.status_code == 200 or "/accounts/reauthenticate/" in set_up["Location"]
    assert client.get("/fr/").status_code == 200


def test_with_mfa_required_a_partner_user_with_totp_passes(
    settings: Any, client_for: Callable[[User], Client], partner_md: User
) -> None:
    settings.STAFF_MFA_REQUIRED = True
    TOTP.activate(partner_md, generate_totp_secret())
    response = client_for(partner_md).get("/fr/portal/")
    assert response.status_code == 200
    assert "Migrations &amp; Développement" in response.content.decode()


def test_without_the_setting_a_partner_user_passes_without_totp(
    settings: Any, client_for: Callable[[User], Client], partner_md: User
) -> None:
    settings.STAFF_MFA_REQUIRED = False
    assert client_for(partner_md).get("/fr/portal/").status_code == 200


def test_with_mfa_required_the_invitation_link_stays_open(settings: Any, client: Client) -> None:
    settings.STAFF_MFA_REQUIRED = True
    assert client.get("/fr/portal/invitation/nothing-here/").status_code == 404


def test_with_mfa_required_staff_on_the_portal_are_refused_not_redirected(
    settings: Any, client_for: Callable[[User], Client], officer: User
) -> None:
    settings.STAFF_MFA_REQUIRED = True
    assert client_for(officer).get("/fr/portal/").status_code == 403


# --- Isolation: no admin, no staff page -----------------------------------------

# A parameter that picks among fixed values gets a real one (else the page is a 404).
NAMED = {"kind": "agreement"}
SAMPLE = {
    "int": "1",
    "str": "x",
    "slug": "x",
    "uuid": "00000000-0000-0000-0000-000000000001",
    "path": "x",
}


def _routes(patterns: list[Any], prefix: str = "") -> Iterator[str]:
    for pattern in patterns:
        route = str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + route)
        elif isinstance(pattern, URLPattern):
            yield prefix + route


def staff_urls() -> list[str]:
    """Every staff address (/<lang>/staff/…) with sample values in its parameters."""
    found = set()
    for route in _routes(get_resolver().url_patterns):
        route = re.sub(r"^(\^)?[a-z]{2}/", "", route)
        if not route.startswith("staff/"):
            continue
        url = re.sub(
            r"<(?:(\w+):)?(\w+)>",
            lambda m: NAMED.get(m.group(2)) or SAMPLE[m.group(1) or "str"],
            route,
        )
        found.add("/fr/" + url.rstrip("$"))
    return sorted(found)


def test_the_staff_area_has_addresses_to_check() -> None:
    urls = staff_urls()
    assert len(urls) >= 3
    assert any(url.startswith("/fr/staff/participants/") for url in urls)
    assert any(url.startswith("/fr/staff/events/") for url in urls)


@pytest.mark.parametrize("url", staff_urls())
def test_every_staff_page_refuses_partner_users(
    client_for: Callable[[User], Client], partner_md: User, url: str
) -> None:
    client = client_for(partner_md)
    for response in (client.get(url), client.post(url, {"x": "1"})):
        assert response.status_code in {403, 405}, (url, response.status_code)


@pytest.mark.parametrize(
    "url",
    [
        "/fr/admin/",
        "/fr/admin/partners/agreement/",
        "/fr/admin/participants/participant/",
        "/fr/admin/portal/invitation/",
        "/ar/admin/belfaa/user/",
    ],
)
def test_a_partner_user_never_reaches_the_admin(
    client_for: Callable[[User], Client], partner_md: User, url: str
) -> None:
    client = client_for(partner_md)
    response = client.get(url)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert client.get(response["Location"]).status_code == 403


def test_signing_in_through_the_admin_login_does_not_open_the_admin_to_a_partner(
    client: Client, partner_md: User
) -> None:
    # The admin's own form is never used: it hands over to allauth's sign-in.
    response = client.post(
        "/fr/admin/login/?next=/fr/admin/", {"username": partner_md.email, "password": PASSWORD}
    )
    assert response.status_code == 302 and response["Location"].startswith("/fr/accounts/login/")
    assert "_auth_user_id" not in client.session
    # Signing in there with next=/fr/admin/ signs the partner in, and the admin stays shut.
    signed_in = client.post(
        "/fr/accounts/login/?next=/fr/admin/", {"login": partner_md.email, "password": PASSWORD}
    )
    assert signed_in["Location"] == "/fr/admin/"
    admin = client.get("/fr/admin/", follow=True)
    assert admin.status_code == 403
    assert "Site d'administration" not in admin.content.decode()


def test_a_crafted_admin_post_by_a_partner_changes_nothing(
    client_for: Callable[[User], Client], partner_md: User, partner_jette: User
) -> None:
    membership = partner_jette.partner_membership
    response = client_for(partner_md).post(
        f"/fr/admin/partners/membership/{membership.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert Membership.objects.filter(pk=membership.pk).exists()


# --- The home page: the organisation's agreements and reports --------------------


def agreement(
    reference: str, organisation: Organisation, ends_on: date, **fields: Any
) -> Agreement:
    made = Agreement.objects.create(
        reference=reference,
        kind=Agreement.Kind.PARTNERSHIP,
        title=f"Convention {reference}",
        status=Agreement.Status.ACTIVE,
        signed_on=date(2024, 1, 1),
        starts_on=date(2024, 1, 1),
        ends_on=ends_on,
        **fields,
    )
    Party.objects.create(agreement=made, organisation=organisation, role=Party.Role.SIGNATORY)
    return made


def report(
    on: Agreement, organisation: Organisation, start: date, due: date, status: str
) -> ProgressReport:
    return ProgressReport.objects.create(
        agreement=on,
        organisation=organisation,
        period_start=start,
        period_end=start + timedelta(days=90),
        due_on=due,
        status=status,
    )


def test_the_home_lists_own_agreements_with_days_left_and_reports_waiting(
    client_for: Callable[[User], Client], partner_md: User, partner_jette: User
) -> None:
    md = partner_md.partner_membership.organisation
    md.contact_name, md.contact_email = "Hassan Bouzid", "contact@md.test"
    md.save()
    jette = partner_jette.partner_membership.organisation
    today = timezone.localdate()
    baom = agreement("BLF-MD-01", md, today + timedelta(days=40))
    agreement("BLF-JETTE-01", jette, today + timedelta(days=400))
    report(baom, md, date(2024, 1, 1), today - timedelta(days=3), ProgressReport.Status.DRAFT)
    report(baom, md, date(2024, 6, 1), today + timedelta(days=10), ProgressReport.Status.DRAFT)
    report(baom, md, date(2024, 9, 1), today - timedelta(days=1), ProgressReport.Status.SENT_BACK)
    report(baom, md, date(2023, 6, 1), today - timedelta(days=100), ProgressReport.Status.ACCEPTED)
    html = client_for(partner_md).get("/en/portal/").content.decode()
    assert "Hassan Bouzid" in html and "contact@md.test" in html
    assert "BLF-MD-01" in html and "40 days left" in html and "active" in html
    assert "BLF-JETTE-01" not in html
    overdue, rest = html.split("Overdue", 1)[1].split("Sent back to you", 1)
    sent_back, due = rest.split("<h3>Due</h3>", 1)
    assert overdue.count("BLF-MD-01") == 1 and sent_back.count("BLF-MD-01") == 1
    assert due.split("</section>")[0].count("BLF-MD-01") == 1
    assert "No progress report is waiting for you" not in html


def test_the_home_says_when_there_is_nothing(
    client_for: Callable[[User], Client], partner_jette: User
) -> None:
    html = client_for(partner_jette).get("/fr/portal/").content.decode()
    assert "partie à aucune convention pour" in html
    assert "avancement ne vous attend." in html


def test_the_home_costs_the_same_queries_for_one_agreement_or_many(
    client_for: Callable[[User], Client],
    partner_md: User,
    django_assert_num_queries: Any,
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    md = partner_md.partner_membership.organisation
    client = client_for(partner_md)
    today = timezone.localdate()
    first = agreement("A-1", md, today + timedelta(days=30))
    report(first, md, date(2024, 1, 1), today, ProgressReport.Status.DRAFT)
    client.get("/fr/portal/")  # warm the session and caches
    with CaptureQueriesContext(connection) as one:
        client.get("/fr/portal/")
    assert len(one.captured_queries) <= 8
    for number in range(2, 8):
        other = agreement(f"A-{number}", md, today + timedelta(days=30 * number))
        report(other, md, date(2024, number, 1), today, ProgressReport.Status.DRAFT)
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get("/fr/portal/")
    assert response.content.decode().count("A-7") >= 2
