"""The foundation in a real browser: Arabic right-to-left by default, the language
switcher, the staff sign-in to the Arabic admin, a phone-sized home page, and no
Content-Security-Policy violation or script error on any of these pages."""

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.e2e.conftest import PageLog

COORDINATOR_EMAIL = "coordinator@belfaa.demo"
DEMO_PASSWORD = "belfaa-demo-2026"
EVENT_AR = "لقاء مفتوح بين شباب بلفاع والوافدين الجدد"
EVENT_FR = "Rencontre ouverte : jeunes de Belfaa et nouveaux arrivants"
LOG_OUT_AR = "تسجيل الخروج"
ACTIVITIES_AR = "الأنشطة"

Screenshot = Callable[[Any, str], None]


@pytest.fixture
def demo(transactional_db: None) -> None:
    call_command("seed_demo", force=True, verbosity=0)


def body_direction(page: Any) -> str:
    # Through a locator, which waits for the body of the page being loaded.
    return page.locator("body").evaluate("body => getComputedStyle(body).direction")


def expect_document(page: Any, lang: str, direction: str) -> None:
    html = page.locator("html")
    expect(html).to_have_attribute("lang", lang)
    expect(html).to_have_attribute("dir", direction)
    assert body_direction(page) == direction


def event_title(page: Any, title: str) -> Any:
    return page.locator(".event-card h3", has_text=title)


def test_arabic_home_is_right_to_left_and_lists_upcoming_activities(
    live_server: Any, demo: None, page: Any, page_log: PageLog, screenshot: Screenshot
) -> None:
    response = page.goto(f"{live_server.url}/ar/")

    assert response is not None and response.status == 200
    expect_document(page, "ar", "rtl")
    expect(event_title(page, EVENT_AR)).to_be_visible()
    expect(page.get_by_text(EVENT_FR)).to_have_count(0)
    screenshot(page, "home-ar")
    page_log.assert_clean()


def test_language_switcher_moves_between_arabic_and_french(
    live_server: Any, demo: None, page: Any, page_log: PageLog, screenshot: Screenshot
) -> None:
    page.goto(f"{live_server.url}/ar/")
    switcher = page.locator("nav.language-switcher")
    expect(switcher.locator("a[aria-current]")).to_have_attribute("hreflang", "ar")

    switcher.locator('a[hreflang="fr"]').click()

    expect(page).to_have_url(f"{live_server.url}/fr/")
    expect_document(page, "fr", "ltr")
    expect(event_title(page, EVENT_FR)).to_be_visible()
    expect(page.get_by_text(EVENT_AR)).to_have_count(0)
    expect(switcher.locator("a[aria-current]")).to_have_attribute("hreflang", "fr")
    screenshot(page, "home-fr")

    switcher.locator('a[hreflang="ar"]').click()

    expect(page).to_have_url(f"{live_server.url}/ar/")
    expect_document(page, "ar", "rtl")
    expect(event_title(page, EVENT_AR)).to_be_visible()
    page_log.assert_clean()


def test_staff_sign_in_through_allauth_to_the_arabic_admin(
    live_server: Any, demo: None, page: Any, page_log: PageLog, screenshot: Screenshot
) -> None:
    page.goto(f"{live_server.url}/ar/admin/")

    expect(page).to_have_url(re.compile(re.escape(f"{live_server.url}/ar/accounts/login/")))
    expect_document(page, "ar", "rtl")
    screenshot(page, "login-ar")

    page.locator('input[name="login"]').fill(COORDINATOR_EMAIL)
    page.locator('input[name="password"]').fill(DEMO_PASSWORD)
    page.locator('form:has(input[name="password"]) [type="submit"]').click()

    expect(page).to_have_url(f"{live_server.url}/ar/admin/")
    expect_document(page, "ar", "rtl")
    # Django admin's own Arabic (the log-out button), and ours: the activities section
    # (from locale/ar, compiled by scripts/compile_messages.py).
    expect(page.locator("#logout-form button")).to_have_text(LOG_OUT_AR)
    expect(page.locator("#content-main caption", has_text=ACTIVITIES_AR)).to_be_visible()
    screenshot(page, "admin-ar")
    page_log.assert_clean()


def test_arabic_home_fits_a_phone_without_horizontal_scrolling(
    live_server: Any, demo: None, phone_page: Any, page_log: PageLog, screenshot: Screenshot
) -> None:
    phone_page.goto(f"{live_server.url}/ar/")
    expect(event_title(phone_page, EVENT_AR)).to_be_visible()

    inner_width = phone_page.evaluate("window.innerWidth")
    scroll_width = phone_page.evaluate("document.scrollingElement.scrollWidth")

    assert inner_width == 360
    assert scroll_width <= inner_width, (
        f"the page is {scroll_width}px wide on a {inner_width}px phone screen"
    )
    screenshot(phone_page, "home-ar-phone")
    page_log.assert_clean()


def test_the_page_log_catches_csp_violations_and_script_errors(
    live_server: Any, demo: None, page: Any, page_log: PageLog
) -> None:
    """The check above can fail: an inline script is refused by the site's CSP, and an
    uncaught exception is recorded."""
    page.goto(f"{live_server.url}/ar/")
    page_log.assert_clean()

    page.evaluate(
        """() => {
          const script = document.createElement("script");
          script.textContent = "window.inlineRan = true";
          document.head.append(script);
          setTimeout(() => { throw new Error("deliberate e2e probe"); });
        }"""
    )

    for _ in range(50):  # The reports arrive while Playwright waits on the page.
        if page_log.errors and page_log.csp_violations:
            break
        page.wait_for_timeout(100)

    assert page.evaluate("window.inlineRan") is None
    assert [v["directive"] for v in page_log.csp_violations] == ["script-src-elem"]
    assert any("deliberate e2e probe" in error for error in page_log.errors), page_log
    assert any("Content Security Policy" in entry.text for entry in page_log.console_errors())
    with pytest.raises(AssertionError, match="CSP violation"):
        page_log.assert_clean()


def test_translated_fields_show_as_language_tabs_in_the_admin(
    live_server: Any, demo: None, page: Any, page_log: PageLog, screenshot: Screenshot
) -> None:
    page.goto(f"{live_server.url}/fr/accounts/login/?next=/fr/admin/events/event/add/")
    page.locator('input[name="login"]').fill(COORDINATOR_EMAIL)
    page.locator('input[name="password"]').fill(DEMO_PASSWORD)
    page.locator('form:has(input[name="password"]) [type="submit"]').click()
    expect(page).to_have_url(f"{live_server.url}/fr/admin/events/event/add/")

    # jQuery UI (our own static copy) turned title_ar/_fr/_en into three tabs.
    title_tabs = page.locator(".ui-tabs").first.locator(".ui-tabs-nav li")
    expect(title_tabs).to_have_count(3)
    expect(page.locator("#id_title_fr")).to_be_visible()
    expect(page.locator("#id_title_ar")).to_be_hidden()
    title_tabs.nth(0).click()
    expect(page.locator("#id_title_ar")).to_be_visible()
    screenshot(page, "admin-tabs-fr")
    page_log.assert_clean()
