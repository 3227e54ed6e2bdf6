"""The partner portal's door in a real browser: a partner user of Migrations &
Développement signs in in French with a password and an authenticator code and lands
on the portal; axe-core finds no violation on the portal home or the invitation page
in Arabic, French and English, at desktop and phone width without horizontal scroll."""

import re
import time
from collections.abc import Callable
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from axe_playwright_python.sync_playwright import Axe
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import expect

from belfaa.demo import DEMO_PASSWORD, coordinator
from belfaa.models import User
from partners.demo import organisation
from portal.invitations import invitation_create
from tests.e2e.conftest import PageLog

PARTNER_EMAIL = "partner@md.demo"
LANGUAGES = ["ar", "fr", "en"]
LINK = re.compile(r"/(?:ar|fr|en)/portal/invitation/[A-Za-z0-9_-]+/")

Screenshot = Callable[[Any, str], None]


@pytest.fixture
def demo(transactional_db: None, settings: Any) -> str:
    settings.STAFF_MFA_REQUIRED = True
    call_command("seed_demo", force=True, verbosity=0)
    secret = generate_totp_secret()
    TOTP.activate(User.objects.get(email=PARTNER_EMAIL), secret)
    return secret


def current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def sign_in(page: Any, live_server: Any, lang: str, secret: str) -> None:
    page.goto(f"{live_server.url}/{lang}/accounts/login/")
    page.locator("input[name=login]").fill(PARTNER_EMAIL)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    page.locator("input[name=code]").fill(current_code(secret))
    page.locator("main form button[type=submit]").first.click()


def test_a_partner_user_signs_in_with_a_code_in_french_and_lands_on_the_portal(
    live_server: Any, demo: str, page: Any, page_log: PageLog, screenshot: Screenshot
) -> None:
    sign_in(page, live_server, "fr", demo)
    expect(page).to_have_url(f"{live_server.url}/fr/portal/")
    expect(page.locator("h1")).to_have_text("Migrations & Développement (antenne d'Agadir)")
    expect(page.locator("main")).to_contain_text("BLF-CONV-2022-01")
    expect(page.locator("main")).to_contain_text("Renvoyés")
    expect(page.locator(".site-nav")).to_contain_text("Portail des partenaires")
    assert_no_axe_violation(page, "/fr/portal/ at desktop width")
    screenshot(page, "portal-home-fr")
    page_log.assert_clean()


def assert_no_axe_violation(page: Any, where: str) -> None:
    results = Axe().run(page)
    assert results.response["passes"], "axe ran no rule at all"
    assert results.violations_count == 0, f"{where} ({page.url}):\n{results.generate_report()}"


def assert_fits(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"scrolls sideways: {width}px"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_portal_home_has_no_axe_violation_and_fits_a_phone(
    live_server: Any,
    demo: str,
    phone_page: Any,
    page_log: PageLog,
    screenshot: Screenshot,
    lang: str,
) -> None:
    # One sign-in per test: a code is accepted once (the desktop page is the test above).
    sign_in(phone_page, live_server, lang, demo)
    expect(phone_page).to_have_url(f"{live_server.url}/{lang}/portal/")
    expect(phone_page.locator("html")).to_have_attribute("dir", "rtl" if lang == "ar" else "ltr")
    expect(phone_page.locator(".portal-card")).to_have_count(3)
    assert_no_axe_violation(phone_page, f"/{lang}/portal/")
    assert_fits(phone_page)
    screenshot(phone_page, f"portal-home-phone-{lang}")
    page_log.assert_clean()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_invitation_page_has_no_axe_violation_in_each_language(
    live_server: Any,
    demo: str,
    phone_page: Any,
    page_log: PageLog,
    screenshot: Screenshot,
    lang: str,
) -> None:
    mail.outbox.clear()
    invitation_create(
        by=coordinator(),
        email=f"nouvelle-{lang}@md.demo",
        organisation_id=organisation("md").pk,
        language=lang,
    )
    found = LINK.search(mail.outbox[-1].body)
    assert found, mail.outbox[-1].body
    phone_page.goto(f"{live_server.url}{found.group(0)}")
    expect(phone_page.locator("html")).to_have_attribute("lang", lang)
    expect(phone_page.locator("input[type=password]")).to_have_count(2)
    assert_no_axe_violation(phone_page, f"invitation page in {lang}")
    assert_fits(phone_page)
    # With errors: the summary too.
    phone_page.locator("input[name=new_password1]").fill("short")
    phone_page.locator("input[name=new_password2]").fill("short")
    phone_page.locator("main form button[type=submit]").click()
    expect(phone_page.get_by_role("alert")).to_be_visible()
    assert_no_axe_violation(phone_page, f"invitation page with errors in {lang}")
    screenshot(phone_page, f"portal-invitation-{lang}")
    problems = [p for p in page_log.problems() if "400 (Bad Request)" not in p]
    assert not problems, problems


def portal_pages() -> list[str]:
    """Every page a partner reads in the portal, with the demo's objects of M&D."""
    from django.urls import reverse

    from participants.models import SupportRequest
    from partners.models import Agreement, ProgressReport

    md = organisation("md")
    agreement = Agreement.objects.for_organisation(md).order_by("pk").first()
    report = ProgressReport.objects.for_organisation(md).order_by("pk").first()
    referral = SupportRequest.objects.filter(referred_to=md).order_by("pk").first()
    assert agreement and report and referral, "M&D has an agreement, a report, a referral"
    return [
        reverse("portal:home"),
        reverse("portal:agreements"),
        reverse("portal:agreement", kwargs={"pk": agreement.pk}),
        reverse("portal:contributions"),
        reverse("portal:activities"),
        reverse("portal:reports"),
        reverse("portal:report_detail", kwargs={"pk": report.pk}),
        reverse("portal:referrals"),
        reverse("portal:referral", kwargs={"pk": referral.pk}),
        reverse("portal:pac"),
    ]


def test_axe_finds_no_violation_on_any_portal_page_in_the_three_languages(
    live_server: Any, demo: str, page: Any, page_log: PageLog
) -> None:
    sign_in(page, live_server, "fr", demo)
    expect(page).to_have_url(f"{live_server.url}/fr/portal/")
    for path in portal_pages():
        for lang in LANGUAGES:
            localised = re.sub(r"^/(ar|fr|en)/", f"/{lang}/", path)
            page.goto(f"{live_server.url}{localised}")
            expect(page.locator("html")).to_have_attribute("lang", lang)
            expect(page.locator(".portal-nav")).to_be_visible()
            assert_no_axe_violation(page, localised)
    page_log.assert_clean()


def test_every_portal_page_fits_a_phone_in_arabic(
    live_server: Any, demo: str, phone_page: Any, page_log: PageLog
) -> None:
    sign_in(phone_page, live_server, "ar", demo)
    expect(phone_page).to_have_url(f"{live_server.url}/ar/portal/")
    for path in portal_pages():
        phone_page.goto(f"{live_server.url}{re.sub(r'^/(ar|fr|en)/', '/ar/', path)}")
        expect(phone_page.locator("html")).to_have_attribute("dir", "rtl")
        assert_fits(phone_page)
    page_log.assert_clean()
