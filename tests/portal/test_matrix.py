"""The access matrix over every portal URL: who gets what. The URL list is read from
the portal's own urlconf, so a page added later without a row here fails the build.

- an anonymous visitor is sent to sign in;
- staff (Officer, Coordinator) and an account with no organisation get 403;
- a portal user of Jette gets 404 on every one of M&D's objects (ids reveal nothing)
  and, on the lists, none of M&D's references;
- a portal user of M&D reaches each page (or 405 on a page that only takes POST)."""

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, reverse

from participants.models import SupportRequest
from partners.models import ProgressReport, ReportAttachment
from portal import urls as portal_urls
from tests.factories import make_participant
from tests.partners.helpers import pdf
from tests.portal.helpers import md_agreement, org_of

pytestmark = pytest.mark.django_db

# name -> the kwargs built from M&D's world (None: a page without an object)
OBJECT_KWARGS: dict[str, Any] = {
    "home": None,
    "agreements": None,
    "contributions": None,
    "activities": None,
    "reports": None,
    "report_create": None,
    "referrals": None,
    "referrals_export": None,
    "pac": None,
    "agreements_export": lambda w: {"fmt": "csv"},
    "activities_export": lambda w: {"fmt": "csv"},
    "agreement": lambda w: {"pk": w["agreement"].pk},
    "agreement_document": lambda w: {"pk": w["agreement"].pk, "which": "signed"},
    "amendment_document": lambda w: {"pk": w["amendment"].pk},
    "report_detail": lambda w: {"pk": w["report"].pk},
    "report_edit": lambda w: {"pk": w["report"].pk},
    "report_submit": lambda w: {"pk": w["report"].pk},
    "report_attachment_add": lambda w: {"pk": w["report"].pk},
    "report_attachment": lambda w: {"pk": w["report"].pk, "attachment_pk": w["attachment"].pk},
    "report_attachment_remove": lambda w: {
        "pk": w["report"].pk,
        "attachment_pk": w["attachment"].pk,
    },
    "referral": lambda w: {"pk": w["referral"].pk},
    "referral_outcome": lambda w: {"pk": w["referral"].pk},
}
# Exports name no object of M&D but are scoped to the reader's own organisation.
SCOPED_EXPORTS = {"agreements_export", "activities_export"}
POST_ONLY = {
    "report_submit",
    "report_attachment_add",
    "report_attachment_remove",
    "referral_outcome",
}


def portal_names(patterns: list[Any] | None = None) -> set[str]:
    names: set[str] = set()
    for entry in patterns if patterns is not None else portal_urls.urlpatterns:
        if isinstance(entry, URLResolver):
            names |= portal_names(entry.url_patterns)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(entry.name)
    return names


@pytest.fixture
def world(partner_md, partner_jette, coordinator, settings, tmp_path) -> dict[str, Any]:
    settings.MEDIA_ROOT = tmp_path / "media"
    md = org_of(partner_md)
    agreement = md_agreement(md)
    report = ProgressReport.objects.create(
        agreement=agreement,
        organisation=md,
        period_start=date(2025, 1, 1),
        period_end=date(2025, 6, 30),
        due_on=date(2025, 7, 30),
    )
    attachment = ReportAttachment(report=report, title="Annex")
    attachment.file.save("annex.pdf", pdf(), save=False)
    attachment.save()
    referral = SupportRequest.objects.create(
        participant=make_participant(),
        kind="legal",
        opened_on=date(2026, 1, 5),
        status="referred",
        referred_to=md,
    )
    return {
        "agreement": agreement,
        "amendment": agreement.amendments.get(),
        "report": report,
        "attachment": attachment,
        "referral": referral,
    }


def urls(world: dict[str, Any]) -> dict[str, str]:
    return {
        name: reverse(f"portal:{name}", kwargs=make(world) if make else None)
        for name, make in OBJECT_KWARGS.items()
    }


def test_every_portal_url_has_a_row_in_the_matrix() -> None:
    assert portal_names() == set(OBJECT_KWARGS)


def ask(client: Client, name: str, url: str) -> Any:
    """The page asked the way it is used: POST for an action, GET for the rest."""
    return client.post(url) if name in POST_ONLY else client.get(url)


def test_visitors_are_sent_to_sign_in_everywhere(world) -> None:
    for name, url in urls(world).items():
        response = ask(Client(), name, url)
        assert response.status_code == 302, name
        assert "/accounts/login/" in response["Location"], name


@pytest.mark.parametrize("who", ["officer", "coordinator", "outsider"])
def test_staff_and_accounts_without_an_organisation_get_403_everywhere(
    request, world, client_for, who
) -> None:
    client = client_for(request.getfixturevalue(who))
    for name, url in urls(world).items():
        assert ask(client, name, url).status_code == 403, name


def test_another_partner_gets_404_on_every_object_and_sees_none_on_the_lists(
    world, partner_jette, client_for
) -> None:
    client = client_for(partner_jette)
    for name, url in urls(world).items():
        response = ask(client, name, url)
        if OBJECT_KWARGS[name] is not None and name not in SCOPED_EXPORTS:
            assert response.status_code == 404, name
        else:
            assert response.status_code == 200, name
            body = response.content.decode(errors="replace")
            assert world["agreement"].reference not in body, name


def test_the_partner_reaches_each_of_its_pages(world, partner_md, client_for) -> None:
    client = client_for(partner_md)
    for name, url in urls(world).items():
        if name in POST_ONLY:
            assert client.get(url).status_code == 405, name
        else:
            response = client.get(url)
            assert response.status_code == 200, name
    listing = client.get(reverse("portal:agreements")).content.decode()
    assert world["agreement"].reference in listing
