"""The public activity pages in a real browser: signing up in Arabic on a phone and
cancelling through one's own link (the seat goes back, or to the first person
waiting), an axe-core accessibility scan of every public page in the three languages,
the sign-up form by keyboard, and form errors that assistive technology announces."""

import re
from collections.abc import Callable
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from events import services
from events.links import registration_url
from events.models import Event, Notification, Registration
from tests.e2e.conftest import PageLog
from tests.factories import EventFactory

Screenshot = Callable[[Any, str], None]

LANGUAGES = ["ar", "fr", "en"]
TITLES = {
    "ar": "ورشة الطبخ المغربي للجميع",
    "fr": "Atelier de cuisine marocaine pour tous",
    "en": "Moroccan cooking workshop for everyone",
}

# What an Arabic-speaking visitor reads (locale/ar/LC_MESSAGES/django.po).
AR_NAME = "اسمك"
AR_PHONE = "الهاتف"
AR_EMAIL = "البريد الإلكتروني"
AR_BIRTH_YEAR = "سنة الازدياد"
AR_SEX = "الجنس"
AR_GROUP = "أنت"
AR_LANGUAGE = "لغة رسائلنا إليك"
AR_CONSENT_PROCESSING = "أوافق على أن تحتفظ الجماعة بهذه المعطيات"
AR_CONSENT_CONTACT = "يمكنكم إخباري بالأنشطة المقبلة."
AR_SIGN_UP = "التسجيل"
AR_CONFIRMED = "تم تأكيد مقعدك"
AR_CANCEL_LINK = "إلغاء تسجيلي"
AR_CANCEL_BUTTON = "نعم، ألغِ تسجيلي"
AR_CANCELLED = "تم إلغاء تسجيلك."
AR_BACK_TO_EVENT = "العودة إلى النشاط"
AR_ERROR_SUMMARY = "يرجى تصحيح ما يلي:"
AR_NAME_REQUIRED = "يرجى كتابة اسمك."
AR_CONSENT_REQUIRED = "نحتاج إلى موافقتك لتسجيلك."
FR_WAITING = "vous êtes sur liste d'attente"
FR_POSITION_1 = "Votre position : 1."
FR_CONFIRMED = "votre place est confirmée"


def ar_seats_left(seats: int) -> str:
    return f"المقاعد المتبقية: {seats}."


# The sign-up form's controls, in the order of the page (and of the Tab key).
FORM_CONTROLS = [
    "id_name",
    "id_phone",
    "id_email",
    "id_birth_year",
    "id_sex",
    "id_group",
    "id_language",
    "id_consent_processing",
    "id_consent_contact",
    "id_consent_photos",
    "submit",
]


@pytest.fixture
def event(transactional_db: None) -> Event:
    return EventFactory(
        capacity=1,
        kind=Event.Kind.CULTURE,
        **{f"title_{lang}": title for lang, title in TITLES.items()},
        summary_ar="نطبخ معا أطباقا من الجهة.",
        summary_fr="Nous cuisinons ensemble des plats de la région.",
        summary_en="We cook dishes of the region together.",
    )


def event_url(live_server: Any, lang: str, event: Event) -> str:
    return f"{live_server.url}/{lang}/events/{event.slug}/"


def registration_page_pattern(live_server: Any, lang: str) -> re.Pattern[str]:
    return re.compile(rf"^{re.escape(live_server.url)}/{lang}/events/r/[^/]+/$")


def expect_document(page: Any, lang: str, direction: str) -> None:
    html = page.locator("html")
    expect(html).to_have_attribute("lang", lang)
    expect(html).to_have_attribute("dir", direction)
    assert page.locator("body").evaluate("body => getComputedStyle(body).direction") == direction


def field(page: Any, label: str) -> Any:
    """A form control by its whole label (Django adds a colon to most labels)."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}:?$"))


def signup_button(page: Any) -> Any:
    return page.locator("form.signup-form").get_by_role("button")


def sign_up_in_arabic(page: Any, *, name: str, phone: str) -> None:
    """Fill the sign-up form by its Arabic labels, as a visitor would, and send it."""
    field(page, AR_NAME).fill(name)
    field(page, AR_PHONE).fill(phone)
    field(page, AR_EMAIL).fill("")
    field(page, AR_BIRTH_YEAR).fill("2001")
    field(page, AR_SEX).select_option(label="أنثى")
    field(page, AR_GROUP).select_option(label="من ساكنة الجماعة")
    expect(field(page, AR_LANGUAGE)).to_have_value("ar")
    page.get_by_label(AR_CONSENT_PROCESSING).check()
    field(page, AR_CONSENT_CONTACT).check()
    expect(page.locator('input[name="website"]')).to_have_value("")
    signup_button(page).click()


def cancel_through_own_link(page: Any) -> None:
    """From the person's page: the cancel link, then the confirm button (a POST)."""
    registration_page = page.url
    page.get_by_role("link", name=AR_CANCEL_LINK).click()
    expect(page).to_have_url(re.compile(rf"^{re.escape(registration_page)}cancel/$"))
    expect_document(page, "ar", "rtl")
    page.get_by_role("button", name=AR_CANCEL_BUTTON).click()
    expect(page).to_have_url(registration_page)


def waiting_person(event: Event) -> Registration:
    result = services.registration_create(
        event_id=event.pk,
        name="Yassine",
        phone="0661234567",
        email="",
        birth_year=1999,
        sex=Registration.Sex.MALE,
        group=Registration.Group.NEWCOMER,
        language="fr",
    )
    assert result.created
    return result.registration


# --- 1. Signing up in Arabic on a phone, and cancelling ---------------------------


def test_arabic_sign_up_on_a_phone_then_cancelling_gives_the_seat_back(
    live_server: Any, event: Event, phone_page: Any, page_log: PageLog, screenshot: Screenshot
) -> None:
    page = phone_page
    page.goto(event_url(live_server, "ar", event))
    expect_document(page, "ar", "rtl")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLES["ar"])
    expect(page.locator("p.seats")).to_contain_text(ar_seats_left(1))

    sign_up_in_arabic(page, name="سلمى", phone="06 12 34 56 78")

    expect(page).to_have_url(registration_page_pattern(live_server, "ar"))
    expect_document(page, "ar", "rtl")
    expect(page.get_by_role("status")).to_contain_text(f"سلمى، {AR_CONFIRMED}")
    screenshot(page, "events-confirmed-ar-phone")
    registration = Registration.objects.get(event=event)
    assert registration.status == Registration.Status.CONFIRMED
    assert (registration.name, registration.phone, registration.language) == (
        "سلمى",
        "+212612345678",
        "ar",
    )
    assert (registration.sex, registration.group) == ("female", "resident")
    assert registration.consent_processing and registration.consent_contact
    assert not registration.consent_photos

    # The one seat is taken.
    registration_page = page.url
    page.get_by_role("link", name=AR_BACK_TO_EVENT).click()
    expect(page.locator("p.seats")).to_contain_text(ar_seats_left(0))
    page.goto(registration_page)

    cancel_through_own_link(page)

    expect(page.get_by_role("status")).to_contain_text(AR_CANCELLED)
    expect(page.get_by_role("link", name=AR_CANCEL_LINK)).to_have_count(0)
    screenshot(page, "events-cancelled-ar-phone")
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED

    # The seat is free again: back to the capacity.
    page.get_by_role("link", name=AR_BACK_TO_EVENT).click()
    expect(page).to_have_url(event_url(live_server, "ar", event))
    expect(page.locator("p.seats")).to_contain_text(ar_seats_left(event.capacity))
    page_log.assert_clean()


def test_arabic_cancellation_gives_the_seat_to_the_first_person_waiting(
    live_server: Any, event: Event, phone_page: Any, page_log: PageLog
) -> None:
    page = phone_page
    page.goto(event_url(live_server, "ar", event))
    sign_up_in_arabic(page, name="سلمى", phone="06 12 34 56 78")
    expect(page.get_by_role("status")).to_contain_text(AR_CONFIRMED)
    own_page = page.url

    # The only seat is taken: the next person waits, and their page says where.
    waiting = waiting_person(event)
    assert waiting.status == Registration.Status.WAITLISTED
    page.goto(f"{live_server.url}{registration_url(waiting)}")
    expect_document(page, "fr", "ltr")
    expect(page.get_by_role("status")).to_contain_text(f"Yassine, {FR_WAITING}")
    expect(page.get_by_role("status")).to_contain_text(FR_POSITION_1)

    page.goto(own_page)
    cancel_through_own_link(page)
    expect(page.get_by_role("status")).to_contain_text(AR_CANCELLED)

    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.CONFIRMED
    assert Notification.objects.filter(
        registration=waiting, kind=Notification.Kind.PROMOTED
    ).exists()
    # The freed seat went to them: still none left.
    page.goto(event_url(live_server, "ar", event))
    expect(page.locator("p.seats")).to_contain_text(ar_seats_left(0))
    page.goto(f"{live_server.url}{registration_url(waiting)}")
    expect(page.get_by_role("status")).to_contain_text(f"Yassine, {FR_CONFIRMED}")
    page_log.assert_clean()


# --- 2. Accessibility: axe-core on every public page -------------------------------


def open_list(page: Any, live_server: Any, lang: str, event: Event) -> None:
    EventFactory(kind=Event.Kind.SPORT)  # more than one card, of another kind
    page.goto(f"{live_server.url}/{lang}/events/")
    expect(page.locator(".event-card")).to_have_count(2)


def open_event(page: Any, live_server: Any, lang: str, event: Event) -> None:
    page.goto(event_url(live_server, lang, event))
    expect(signup_button(page)).to_be_visible()


def open_event_with_errors(page: Any, live_server: Any, lang: str, event: Event) -> None:
    open_event(page, live_server, lang, event)
    signup_button(page).click()
    expect(page.get_by_role("alert")).to_be_visible()


def _registration(event: Event, lang: str) -> Registration:
    return services.registration_create(
        event_id=event.pk,
        name="Amina",
        phone="0612345678",
        email="",
        birth_year=2000,
        sex=Registration.Sex.FEMALE,
        group=Registration.Group.RESIDENT,
        language=lang,
    ).registration


def open_confirmation(page: Any, live_server: Any, lang: str, event: Event) -> None:
    page.goto(f"{live_server.url}{registration_url(_registration(event, lang))}")
    expect(page.locator(".outcome-confirmed")).to_be_visible()


def open_cancel(page: Any, live_server: Any, lang: str, event: Event) -> None:
    open_confirmation(page, live_server, lang, event)
    page.locator(f'a[href$="/cancel/"][href^="/{lang}/"]').click()
    expect(page.locator("main form button")).to_be_visible()


SCREENS: dict[str, Callable[[Any, Any, str, Event], None]] = {
    "list": open_list,
    "event": open_event,
    "event-with-errors": open_event_with_errors,
    "confirmation": open_confirmation,
    "cancel": open_cancel,
}


@pytest.mark.parametrize("screen", SCREENS)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_public_event_pages_have_no_axe_violations(
    live_server: Any,
    event: Event,
    page: Any,
    page_log: PageLog,
    screenshot: Screenshot,
    lang: str,
    screen: str,
) -> None:
    SCREENS[screen](page, live_server, lang, event)
    expect_document(page, lang, "rtl" if lang == "ar" else "ltr")
    screenshot(page, f"events-{screen}-{lang}")

    # axe.min.js comes with the package (no network). Playwright evaluates it through
    # the DevTools protocol, which the page's CSP (script-src 'self') does not govern,
    # so no bypass_csp is needed: the page log below proves nothing was refused.
    results = Axe().run(page)

    assert results.response["passes"], "axe ran no rule at all"
    assert results.violations_count == 0, (
        f"/{lang}/ {screen} page ({page.url}):\n{results.generate_report()}"
    )
    if screen == "event-with-errors":
        assert_clean_but_for_the_400(page_log, event_url(live_server, lang, event))
    else:
        page_log.assert_clean()


# --- 3. Keyboard -------------------------------------------------------------------

FOCUSED = """() => {
  const element = document.activeElement;
  if (element.matches("form.signup-form button")) return "submit";
  return element.id || element.className || element.tagName.toLowerCase();
}"""


def test_keyboard_reaches_skip_link_first_then_the_form_fields_in_order(
    live_server: Any, event: Event, page: Any, page_log: PageLog
) -> None:
    page.goto(event_url(live_server, "fr", event))

    page.keyboard.press("Tab")
    skip_link = page.locator("a.skip-link")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()  # shown when focused, not left off-screen

    # Following it moves the focus to the content, past the header.
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()

    visited: list[str] = []
    for _ in range(40):
        page.keyboard.press("Tab")
        visited.append(page.evaluate(FOCUSED))
        if visited[-1] == "submit":
            break

    assert "id_website" not in visited, f"the honeypot was focused: {visited}"
    assert "id_name" in visited, f"the name field cannot be reached by keyboard: {visited}"
    start = visited.index("id_name")
    assert visited[start:] == FORM_CONTROLS, visited

    # The honeypot is out of the tab order and out of the accessibility tree.
    honeypot = page.locator("#id_website")
    expect(honeypot).to_have_attribute("tabindex", "-1")
    expect(honeypot).not_to_be_in_viewport()
    expect(page.get_by_role("textbox", name="Laissez ce champ vide")).to_have_count(0)
    page_log.assert_clean()


# --- 4. Errors announced -------------------------------------------------------------


def assert_clean_but_for_the_400(page_log: PageLog, url: str) -> None:
    """The form with errors is answered "400 Bad Request" on purpose; Chromium logs any
    4xx document as a console error. Only that entry is expected; nothing else is."""
    expected = f"the server responded with a status of 400 (Bad Request) (at {url})"
    page_log.console = [entry for entry in page_log.console if not str(entry).endswith(expected)]
    page_log.assert_clean()


def described_by_texts(page: Any, field: Any) -> list[str]:
    ids = (field.get_attribute("aria-describedby") or "").split()
    return [page.locator(f"#{element_id}").inner_text().strip() for element_id in ids]


def test_errors_of_an_empty_form_are_announced_and_tied_to_their_fields(
    live_server: Any, event: Event, page: Any, page_log: PageLog, screenshot: Screenshot
) -> None:
    page.goto(event_url(live_server, "ar", event))

    with page.expect_response(lambda response: response.request.method == "POST") as posted:
        signup_button(page).click()

    assert posted.value.status == 400
    alert = page.get_by_role("alert")
    expect(alert).to_have_count(1)
    expect(alert).to_contain_text(AR_ERROR_SUMMARY)
    expect(alert).to_contain_text(AR_NAME_REQUIRED)
    expect(alert).to_contain_text(AR_CONSENT_REQUIRED)
    screenshot(page, "events-errors-ar")

    name = field(page, AR_NAME)
    expect(name).to_have_attribute("aria-invalid", "true")
    assert AR_NAME_REQUIRED in described_by_texts(page, name)
    expect(name).to_have_accessible_description(AR_NAME_REQUIRED)

    consent = page.get_by_label(AR_CONSENT_PROCESSING)
    expect(consent).to_have_attribute("aria-invalid", "true")
    assert AR_CONSENT_REQUIRED in described_by_texts(page, consent)

    # Fields without an error are not marked invalid.
    expect(field(page, AR_EMAIL)).not_to_have_attribute("aria-invalid", "true")

    # Each error in the summary leads to its field.
    alert.get_by_role("link", name=re.compile(AR_NAME_REQUIRED)).click()
    expect(name).to_be_focused()
    assert_clean_but_for_the_400(page_log, event_url(live_server, "ar", event))


def test_list_filters_by_kind(live_server: Any, event: Event, page: Any, page_log: PageLog) -> None:
    EventFactory(kind=Event.Kind.SPORT, title_fr="Tournoi de football")
    page.goto(f"{live_server.url}/fr/events/")
    cards = page.locator(".event-card h2")
    expect(cards).to_have_count(2)

    field(page, "Type d'activité").select_option(Event.Kind.SPORT)
    page.get_by_role("button", name="Afficher").click()

    expect(page).to_have_url(f"{live_server.url}/fr/events/?kind=sport")
    expect(cards).to_have_text(["Tournoi de football"])
    expect(field(page, "Type d'activité")).to_have_value("sport")
    page_log.assert_clean()
