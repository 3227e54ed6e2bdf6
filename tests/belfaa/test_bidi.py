"""Values that read left to right (phones, time and year ranges, references, e-mail
addresses, URLs) are isolated so that Arabic text around them cannot reverse them:
the `ltr` filter and its helpers, then every place that shows such a value.

The PDFs are checked on WeasyPrint's layout (the direction each text box is set in)
and, where poppler's pdftotext is installed, on the order of the printed words."""

import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from django.template import Context, Template
from django.test import Client
from django.utils import translation
from django.utils.safestring import mark_safe

from belfaa.bidi import LRI, PDI, ltr_html, ltr_text
from belfaa.models import User
from events import poster, services
from events.ics import event_ics
from events.models import Notification, Registration
from events.outbox import render_message
from participants.models import Participant
from participants.rights.data import participant_export_data
from participants.rights.display import export_display, export_document, export_pdf
from participants.services import participant_create
from programs.models import Commune, PlanPeriod
from tests.conftest import need
from tests.factories import EventFactory

BDI = '<bdi dir="ltr">'
# 08:00 and 12:00 UTC are 09:00 and 13:00 in Casablanca (UTC+1 outside Ramadan).
MORNING = {
    "starts_at": datetime(2026, 5, 16, 8, 0, tzinfo=UTC),
    "ends_at": datetime(2026, 5, 16, 12, 0, tzinfo=UTC),
}
HOURS = "09:00\N{EN DASH}13:00"
REVERSED_HOURS = "13:00\N{EN DASH}09:00"


def render(source: str, **context: object) -> str:
    return Template("{% load belfaa %}" + source).render(Context(context))


def isolated(value: str) -> str:
    return f"{BDI}{value}</bdi>"


# --- The filter and the helpers ----------------------------------------------------


def test_the_filter_isolates_a_value_left_to_right() -> None:
    assert render("{{ phone|ltr }}", phone="+212611000000") == isolated("+212611000000")


def test_the_filter_escapes_what_it_isolates() -> None:
    html = render("{{ value|ltr }}", value='<script>alert("x")</script>')
    assert html == isolated("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;")
    assert "<script>" not in html


def test_the_filter_keeps_safe_html_as_it_is() -> None:
    html = render("{{ value|ltr }}", value=mark_safe("<b>BLF-2026-00001</b>"))
    assert html == isolated("<b>BLF-2026-00001</b>")


@pytest.mark.parametrize("value", [None, ""])
def test_the_filter_leaves_nothing_for_a_missing_value(value: object) -> None:
    assert render("[{{ value|ltr }}]", value=value) == "[]"
    assert ltr_html(value) == ""
    assert ltr_text(value) == ""


def test_the_filter_takes_numbers_and_formatted_times() -> None:
    assert render("{{ n|ltr }}", n=2026) == isolated("2026")
    moment = datetime(2026, 5, 16, 9, 5)
    assert render('{{ moment|time:"H:i"|ltr }}', moment=moment) == isolated("09:05")


def test_in_plain_text_the_filter_uses_unicode_isolates() -> None:
    text = render("{% autoescape off %}{{ value|ltr }}{% endautoescape %}", value="<+212>")
    assert text == f"{LRI}<+212>{PDI}"


def test_the_python_helper_builds_html_for_the_admin() -> None:
    assert ltr_html("a&b") == isolated("a&amp;b")
    assert ltr_text("2021-2027") == "\u20662021-2027\u2069"


# --- Year ranges ---------------------------------------------------------------------


@pytest.mark.django_db
def test_a_plans_years_read_left_to_right_after_an_arabic_title() -> None:
    commune = Commune.objects.create(name="بلفاع")
    period = PlanPeriod.objects.create(
        commune=commune, title="برنامج عمل الجماعة", start_year=2021, end_year=2027
    )
    assert str(period) == f"برنامج عمل الجماعة ({LRI}2021-2027{PDI})"


# --- The poster ----------------------------------------------------------------------


def test_the_posters_hours_are_isolated_in_every_language() -> None:
    event = EventFactory.build(**MORNING)
    for code in ("ar", "fr", "en"):
        assert poster._language_block(event, code).hours == isolated(HOURS)


def test_over_several_days_only_the_start_time_is_isolated() -> None:
    event = EventFactory.build(
        starts_at=MORNING["starts_at"], ends_at=datetime(2026, 5, 17, 16, 0, tzinfo=UTC)
    )
    hours = poster._language_block(event, "ar").hours
    assert hours.startswith(isolated("09:00") + " \N{EN DASH} ")
    assert "17:00" in hours and hours.count(BDI) == 1


@pytest.fixture
def weasyprint_boxes() -> Any:
    """WeasyPrint's box classes, imported when a test needs them: without Pango the
    import fails, and only these tests are skipped."""
    try:
        from weasyprint.formatting_structure import boxes
    except OSError as error:  # Pango missing: WeasyPrint cannot load it
        need(False, f"WeasyPrint cannot run here ({error})")
    return boxes


def _text_boxes(document: Any, boxes: Any) -> Iterator[Any]:
    for page in document.pages:
        for box in page._page_box.descendants(placeholders=True):
            if isinstance(box, boxes.TextBox):
                yield box


def _printed_words(pdf: bytes, tmp_path: Path) -> list[str]:
    """The words of a PDF in the order they are printed, left to right on each line,
    as poppler reads them."""
    pdftotext = shutil.which("pdftotext")
    need(pdftotext is not None, "pdftotext (poppler-utils) is not installed")
    assert pdftotext is not None
    path = tmp_path / "document.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(
        [pdftotext, "-bbox", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    return re.findall(r"<word [^>]*>([^<]*)</word>", out)


def test_the_arabic_poster_sets_the_hours_left_to_right(weasyprint_boxes: Any) -> None:
    event = EventFactory.build(title_ar="مهرجان", venue_ar="الملعب البلدي", **MORNING)
    with translation.override("ar"):
        document = poster.poster_document(event, signup_url="https://belfaa.example.ma/ar/e/")
    hours = [box for box in _text_boxes(document, weasyprint_boxes) if box.text == HOURS]
    # One per language block; in the Arabic block too, the box runs left to right.
    assert len(hours) == 3
    assert {box.style["direction"] for box in hours} == {"ltr"}
    assert {box.element_tag for box in hours} == {"bdi"}


def test_the_arabic_poster_pdf_prints_09_00_before_13_00(
    weasyprint_boxes: Any, tmp_path: Path
) -> None:
    event = EventFactory.build(title_ar="مهرجان", venue_ar="الملعب البلدي", **MORNING)
    with translation.override("ar"):
        pdf = poster.render_poster(event, signup_url="https://belfaa.example.ma/ar/e/")
    words = _printed_words(pdf, tmp_path)
    assert words.count(HOURS) == 3
    assert REVERSED_HOURS not in words


# --- The right-of-access export --------------------------------------------------------


@pytest.fixture
def person(db: None, coordinator: User) -> Participant:
    participant = participant_create(
        given_name="Zeinabou",
        family_name="Kouyaté",
        sex=Participant.Sex.FEMALE,
        birth_year=1994,
        group=Participant.Group.NEWCOMER,
        phone="+212611000000",
        email="zeinabou@example.test",
        id_document_number='RC-<script>alert("x")</script>',
    )
    Registration.objects.create(
        event=EventFactory(),
        participant=participant,
        name="Zeinabou K.",
        phone="+212611000001",
        email="signup@example.test",
        birth_year=1994,
        sex="female",
        group="newcomer",
        language="ar",
        consent_processing=True,
        status="confirmed",
    )
    participant.consents.create(
        purpose="registry", given_at=datetime(2024, 3, 5).date(), recorded_by=coordinator
    )
    return participant


def test_the_arabic_access_page_isolates_phones_emails_and_the_reference(
    client_for: Callable[[User], Client], coordinator: User, person: Participant
) -> None:
    response = client_for(coordinator).get(f"/ar/staff/participants/{person.pk}/access/")
    html = response.content.decode()
    assert 'dir="rtl"' in html
    for value in (
        "+212611000000",
        "zeinabou@example.test",
        "+212611000001",
        "signup@example.test",
        # The Coordinator who recorded the consent.
        coordinator.email,
    ):
        assert isolated(value) in html, value
    assert re.search(r"<h1>[^<]*" + re.escape(isolated(person.reference)), html)
    # A typed value stays escaped inside its isolate.
    assert isolated("RC-&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;") in html
    assert "<script>alert" not in html


def test_the_arabic_access_pdf_sets_phones_left_to_right(
    weasyprint_boxes: Any, person: Participant, tmp_path: Path
) -> None:
    with translation.override("ar"):
        data = participant_export_data(person)
        document = export_document(data)
        pdf = export_pdf(data)
    phones = [
        box
        for box in _text_boxes(document, weasyprint_boxes)
        if box.text in {"+212611000000", "+212611000001"}
    ]
    assert len(phones) >= 2  # the contact, and again in the history of the record
    assert {box.style["direction"] for box in phones} == {"ltr"}
    words = _printed_words(pdf, tmp_path)
    assert "+212611000000" in words and "212611000000+" not in words
    # Law 09-08 in the Arabic lead paragraph, not "08-09".
    assert "09-08" in words and "08-09" not in words


def test_the_export_display_isolates_only_latin_identifiers(person: Participant) -> None:
    with translation.override("ar"):
        display = export_display(participant_export_data(person))
    shown = {s.label: s for s in display.sections[0].items[0]}
    assert [s.ltr for s in shown.values() if s.value == "+212611000000"] == [True]
    assert [s.ltr for s in shown.values() if s.value == "Zeinabou"] == [False]


# --- Public pages -------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_arabic_signup_form_takes_phone_and_email_left_to_right(client: Client) -> None:
    event = EventFactory()
    html = client.get(f"/ar/events/{event.slug}/").content.decode()
    phone = re.search(r'<input[^>]*name="phone"[^>]*>', html)
    email = re.search(r'<input[^>]*name="email"[^>]*>', html)
    assert phone and 'dir="ltr"' in phone.group(0)
    assert email and 'dir="ltr"' in email.group(0)
    # A name is typed in either script: it follows the page.
    name = re.search(r'<input[^>]*name="name"[^>]*>', html)
    assert name and "dir=" not in name.group(0)


@pytest.mark.django_db
def test_a_phone_typed_wrong_comes_back_left_to_right_and_escaped(client: Client) -> None:
    event = EventFactory()
    response = client.post(
        f"/ar/events/{event.slug}/",
        {"name": "Aminata", "phone": '+212"><script>x</script>', "birth_year": "2001"},
    )
    html = response.content.decode()
    phone = re.search(r'<input[^>]*name="phone"[^>]*>', html)
    assert phone and 'dir="ltr"' in phone.group(0)
    assert "<script>x" not in html


@pytest.mark.django_db
def test_the_door_pages_walk_in_form_takes_phone_and_email_left_to_right(
    client_for: Callable[[User], Client], officer: User
) -> None:
    event = EventFactory(starts_at=datetime.now(UTC))
    html = client_for(officer).get(f"/ar/staff/events/{event.pk}/attendance/").content.decode()
    for name in ("phone", "email"):
        found = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
        assert found and 'dir="ltr"' in found.group(0), name


# --- The admin ------------------------------------------------------------------------------


def test_the_arabic_registry_list_isolates_references(
    client_for: Callable[[User], Client], coordinator: User, person: Participant
) -> None:
    html = client_for(coordinator).get("/ar/admin/participants/participant/").content.decode()
    assert isolated(person.reference) in html


def test_the_admin_takes_phones_and_emails_left_to_right(
    client_for: Callable[[User], Client], coordinator: User, person: Participant
) -> None:
    client = client_for(coordinator)
    pages = (
        f"/ar/admin/participants/participant/{person.pk}/change/",
        f"/ar/admin/events/registration/{person.registrations.get().pk}/change/",
    )
    for url in pages:
        html = client.get(url).content.decode()
        for name in ("phone", "email"):
            found = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
            assert found and 'dir="ltr"' in found.group(0), (url, name)


def test_read_only_phones_in_the_admin_are_styled_left_to_right(
    client_for: Callable[[User], Client], viewer: User, person: Participant
) -> None:
    # Django's read-only display takes no markup: the admin stylesheet turns the
    # field's box left to right, by the class Django gives it.
    html = (
        client_for(viewer)
        .get(f"/ar/admin/participants/participant/{person.pk}/change/")
        .content.decode()
    )
    assert re.search(r'field-phone[\s\S]*?<div class="readonly">\+212611000000</div>', html)
    assert "css/admin.css" in html
    css = (Path(__file__).parents[2] / "static/css/admin.css").read_text()
    assert ":is(.field-phone, .field-email) .readonly" in css
    assert "direction: ltr" in css


def test_a_suggested_record_is_shown_by_its_isolated_reference(
    client_for: Callable[[User], Client], coordinator: User, person: Participant
) -> None:
    registration = Registration.objects.create(
        event=EventFactory(),
        name="Zeinabou",
        phone=person.phone,
        birth_year=1994,
        sex="female",
        group="newcomer",
        language="ar",
        consent_processing=True,
        status="confirmed",
    )
    html = (
        client_for(coordinator)
        .get(f"/ar/admin/events/registration/{registration.pk}/change/")
        .content.decode()
    )
    assert f">{isolated(person.reference)}</a>" in html


# --- E-mails and calendar files ---------------------------------------------------------------


@pytest.mark.django_db
def test_urls_in_an_arabic_email_stand_alone_on_their_lines() -> None:
    event = EventFactory(title_ar="لقاء مفتوح")
    registration = services.registration_create(
        event_id=event.pk,
        name="Aminata",
        phone="",
        email="aminata@example.test",
        birth_year=2001,
        sex="female",
        group="newcomer",
        language="ar",
    ).registration
    notification = Notification.objects.filter(registration=registration).first()
    assert notification is not None
    body = render_message(notification).body
    urls = re.findall(r"https?://\S+", body)
    assert len(urls) == 3
    lines = body.splitlines()
    for url in urls:
        # Alone on its line: read left to right by its first letter, and nothing
        # invisible next to it for a mail client to take into the link.
        assert url in lines, url
    assert LRI not in body and PDI not in body


@pytest.mark.django_db
def test_calendar_files_carry_no_isolates() -> None:
    # Calendar apps format the times themselves; the texts are the activity's own.
    event = EventFactory(title_ar="لقاء 2026-2027", **MORNING)
    with translation.override("ar"):
        ics = event_ics(event, url_path=f"/ar/events/{event.slug}/").decode()
    assert LRI not in ics and PDI not in ics
    assert "SUMMARY:لقاء 2026-2027" in ics
