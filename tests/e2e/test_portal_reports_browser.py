"""A progress report's round trip in a real browser: a partner user of Migrations &
Développement signs in, writes and submits a report with an attachment in French; a
Coordinator sends it back from the Arabic admin with a reason; the partner reads the
reason and resubmits. Then axe-core on every portal report page in ar, fr and en.

Two-step verification is off in the test settings (tests/conftest.py), so both sign in
through the ordinary sign-in form; tests/belfaa/test_two_step.py covers the second step."""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from belfaa.models import User
from belfaa.roles import COORDINATOR, roles_sync
from partners import services
from partners.models import Agreement, Membership, Party, ProgressReport
from tests.e2e.conftest import PageLog
from tests.factories import PASSWORD, OrganisationFactory, UserFactory
from tests.partners.helpers import PDF_BYTES

LANGUAGES = ["ar", "fr", "en"]
PARTNER_EMAIL = "partenaire@md.example.test"
COORDINATOR_EMAIL = "coordinatrice@example.test"
REASON_AR = "يرجى إضافة لائحة الحضور وعدد المستفيدين حسب الجنس."

# What the French-speaking partner reads (locale/fr/LC_MESSAGES/django.po).
FR_WRITE = "Rédiger le récit et les chiffres"
FR_SAVE = "Enregistrer le rapport"
FR_ATTACH = "Joindre le document"
FR_SUBMIT = "Soumettre le rapport"
FR_RESUBMIT = "Soumettre à nouveau le rapport"
FR_SUBMITTED = "Le rapport a été soumis à la commune."
FR_READ_ONLY = "Ce rapport a été remis : il ne peut plus être modifié."
FR_SENT_BACK = "La commune a renvoyé ce rapport"
# And the Arabic-speaking Coordinator.
AR_SEND_BACK = "إرجاع"
AR_SENT_BACK_DONE = "تم إرجاع التقرير إلى الشريك مع تعليلكم."


@dataclass
class Cast:
    partner: User
    coordinator: User
    report: ProgressReport


@pytest.fixture
def cast(transactional_db: None) -> Cast:
    roles_sync()
    md = OrganisationFactory(name="Migrations & Développement", acronym="M&D")
    partner = UserFactory(email=PARTNER_EMAIL, first_name="Salma", last_name="Idrissi")
    Membership.objects.create(user=partner, organisation=md)
    coordinator = UserFactory(email=COORDINATOR_EMAIL, is_staff=True)
    coordinator.groups.add(Group.objects.get(name=COORDINATOR))
    agreement = Agreement.objects.create(
        reference="BAOM-2022",
        kind=Agreement.Kind.PARTNERSHIP,
        title_ar="اتفاقية مكتب استقبال وتوجيه المهاجرين",
        title_fr="Convention du bureau d'accueil et d'orientation des migrants",
        title_en="Reception and orientation office agreement",
        status=Agreement.Status.ACTIVE,
        signed_on=date(2022, 6, 1),
        starts_on=date(2022, 6, 1),
    )
    services.party_add(
        agreement_id=agreement.pk, organisation_id=md.pk, role=Party.Role.IMPLEMENTER
    )
    report = ProgressReport.objects.create(
        agreement=agreement,
        organisation=md,
        period_start=date(2026, 1, 1),
        period_end=date(2026, 6, 30),
        due_on=date(2026, 7, 30),
    )
    return Cast(partner=partner, coordinator=coordinator, report=report)


def sign_in(page: Any, live_server: Any, lang: str, email: str, next_url: str) -> None:
    page.goto(f"{live_server.url}/{lang}/accounts/login/?next={next_url}")
    page.locator('input[name="login"]').fill(email)
    page.locator('input[name="password"]').fill(PASSWORD)
    page.locator('form:has(input[name="password"]) [type="submit"]').click()
    expect(page).to_have_url(f"{live_server.url}{next_url}")


def test_a_report_is_submitted_in_french_sent_back_in_arabic_and_resubmitted(
    live_server: Any, cast: Cast, new_page: Callable[..., Any], page_log: PageLog
) -> None:
    report = cast.report
    detail = f"/fr/portal/reports/{report.pk}/"

    partner = new_page()
    sign_in(partner, live_server, "fr", PARTNER_EMAIL, "/fr/portal/reports/")
    expect(partner.locator("html")).to_have_attribute("lang", "fr")
    partner.get_by_role("link", name=re.compile("Rapport pour la période")).click()
    expect(partner).to_have_url(f"{live_server.url}{detail}")

    partner.get_by_role("link", name=FR_WRITE).click()
    partner.get_by_label("Réalisations").fill("412 personnes accueillies et orientées.")
    partner.get_by_label("Prochaines étapes").fill("Ouvrir une permanence le samedi.")
    first = partner.locator("fieldset.figure-row").first
    first.get_by_label("Libellé").fill("Personnes accueillies")
    first.get_by_label("Valeur").fill("412")
    first.get_by_label("Unité").fill("personnes")
    partner.get_by_role("button", name=FR_SAVE).click()
    expect(partner).to_have_url(f"{live_server.url}{detail}")
    expect(partner.locator(".report-figures")).to_contain_text("Personnes accueillies")

    partner.get_by_label("Titre du document").fill("Liste de présence")
    partner.get_by_label("Fichier").set_input_files(
        {"name": "presence.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}
    )
    partner.get_by_role("button", name=FR_ATTACH).click()
    expect(partner.locator(".report-attachments")).to_contain_text("Liste de présence")

    partner.get_by_role("button", name=FR_SUBMIT).click()
    expect(partner.locator(".messages")).to_contain_text(FR_SUBMITTED)
    expect(partner.get_by_text(FR_READ_ONLY)).to_be_visible()
    expect(partner.get_by_role("button", name=FR_SUBMIT)).to_have_count(0)

    admin = new_page()
    change = f"/ar/admin/partners/progressreport/{report.pk}/change/"
    sign_in(admin, live_server, "ar", COORDINATOR_EMAIL, change)
    expect(admin.locator("html")).to_have_attribute("dir", "rtl")
    admin.locator(".object-tools").get_by_role("link", name=AR_SEND_BACK).click()
    admin.locator('textarea[name="reason"]').fill(REASON_AR)
    admin.locator('#decision-form input[type="submit"]').click()
    expect(admin).to_have_url(f"{live_server.url}{change}")
    expect(admin.locator(".messagelist")).to_contain_text(AR_SENT_BACK_DONE)
    expect(admin.locator("body")).to_contain_text(REASON_AR)

    partner.goto(f"{live_server.url}{detail}")
    feedback = partner.locator(".report-feedback")
    expect(feedback).to_contain_text(FR_SENT_BACK)
    expect(feedback).to_contain_text(REASON_AR)
    partner.get_by_role("button", name=FR_RESUBMIT).click()
    expect(partner.locator(".messages")).to_contain_text(FR_SUBMITTED)
    history = partner.locator(".report-history li")
    expect(history).to_have_count(3)
    expect(history.nth(1)).to_contain_text(REASON_AR)

    report.refresh_from_db()
    assert report.status == ProgressReport.Status.RESUBMITTED
    assert list(report.figures.values_list("label", flat=True)) == ["Personnes accueillies"]
    assert report.attachments.get().title == "Liste de présence"
    page_log.assert_clean()


def _sent_back(cast: Cast) -> None:
    report = cast.report
    report.achievements = "412 personnes accueillies."
    report.save()
    services.report_submit(report_id=report.pk, by=cast.partner)
    services.report_send_back(report_id=report.pk, by=cast.coordinator, reason=REASON_AR)


SCREENS: dict[str, Callable[[Cast], str]] = {
    "list": lambda cast: "reports/",
    "create": lambda cast: "reports/new/",
    "detail": lambda cast: f"reports/{cast.report.pk}/",
    "edit": lambda cast: f"reports/{cast.report.pk}/edit/",
}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_portal_report_pages_have_no_axe_violations(
    live_server: Any, cast: Cast, new_page: Callable[..., Any], page_log: PageLog, lang: str
) -> None:
    _sent_back(cast)  # the richest state: feedback, history, forms all on the page
    page = new_page()
    sign_in(page, live_server, lang, PARTNER_EMAIL, f"/{lang}/portal/reports/")
    for screen, address in SCREENS.items():
        page.goto(f"{live_server.url}/{lang}/portal/{address(cast)}")
        expect(page.locator("html")).to_have_attribute("dir", "rtl" if lang == "ar" else "ltr")
        expect(page.locator("main h1")).to_be_visible()
        results = Axe().run(page)
        assert results.response["passes"], "axe ran no rule at all"
        assert results.violations_count == 0, (
            f"/{lang}/ {screen} page ({page.url}):\n{results.generate_report()}"
        )
    page_log.assert_clean()


def test_the_arabic_report_page_fits_a_phone_without_horizontal_scrolling(
    live_server: Any, cast: Cast, phone_page: Any, page_log: PageLog
) -> None:
    _sent_back(cast)
    sign_in(phone_page, live_server, "ar", PARTNER_EMAIL, "/ar/portal/reports/")
    for address in (f"reports/{cast.report.pk}/", f"reports/{cast.report.pk}/edit/"):
        phone_page.goto(f"{live_server.url}/ar/portal/{address}")
        expect(phone_page.locator("main h1")).to_be_visible()
        widths = phone_page.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert widths[0] <= widths[1], f"{address} scrolls sideways on a phone: {widths}"
    page_log.assert_clean()
