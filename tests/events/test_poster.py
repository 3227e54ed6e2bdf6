"""The printable A4 poster: one page, three languages, a QR code, nothing fetched.

Most checks read the layout WeasyPrint built (its boxes and their text), so no PDF
text extractor is needed; one poster is laid out for the module and shared, to keep
the file fast.

Nothing here imports WeasyPrint at collection: without Pango the import fails, and the
`pango` mark makes every test skip (or fail under REQUIRE_SERVICES=1) saying why.
"""

# WeasyPrint's types appear in annotations only; they must not be evaluated at import.
from __future__ import annotations

import base64
import contextlib
import hashlib
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import pytest
from django.test import Client
from django.utils import translation

from belfaa.pdf import FONTS_DIR, no_network_fetcher
from events import poster
from events.models import Event
from tests.factories import EventFactory

if TYPE_CHECKING:
    import weasyprint

with contextlib.suppress(OSError):
    from weasyprint.formatting_structure import boxes

pytestmark = pytest.mark.pango

SIGNUP_URL = "https://belfaa.example.ma/fr/events/tournoi-2026/"
MM_PER_CSS_PX = 25.4 / 96


def _boxes(document: weasyprint.Document) -> Iterator[boxes.Box]:
    # placeholders=True: the sign-up box is position: fixed, outside the normal flow.
    yield from document.pages[0]._page_box.descendants(placeholders=True)


def _text(document: weasyprint.Document) -> str:
    return " ".join(box.text for box in _boxes(document) if isinstance(box, boxes.TextBox))


def _block(document: weasyprint.Document, lang: str) -> boxes.Box:
    return next(
        box
        for box in _boxes(document)
        if box.element_tag == "section" and box.element.get("lang") == lang
    )


def _block_text(document: weasyprint.Document, lang: str) -> str:
    return " ".join(
        box.text for box in _block(document, lang).descendants() if isinstance(box, boxes.TextBox)
    )


def _poster(**fields: object) -> weasyprint.Document:
    # build(), not create(): laying out a poster needs no database row.
    defaults: dict[str, object] = {
        "kind": Event.Kind.SPORT,
        "venue_fr": "Stade municipal",
        "venue_ar": "الملعب البلدي",
        # 15:00 UTC is 16:00 in Casablanca (UTC+1 outside Ramadan).
        "starts_at": datetime(2026, 5, 16, 15, 0, tzinfo=UTC),
        "ends_at": datetime(2026, 5, 16, 18, 0, tzinfo=UTC),
    }
    event = EventFactory.build(**{**defaults, **fields})
    with translation.override("fr"):
        return poster.poster_document(event, signup_url=SIGNUP_URL)


@pytest.fixture(scope="module")
def document() -> weasyprint.Document:
    return _poster(
        title_ar="مهرجان الشباب 2026",
        title_fr="Festival de la jeunesse 2026",
        title_en="Youth festival 2026",
    )


@pytest.mark.django_db
def test_poster_is_served_as_an_inline_pdf(client: Client) -> None:
    event = EventFactory()
    response = client.get(f"/fr/events/{event.slug}/poster.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="{event.slug}.pdf"'
    assert response.content.startswith(b"%PDF")


@pytest.mark.django_db
def test_draft_activity_has_no_poster(client: Client) -> None:
    event = EventFactory(status=Event.Status.DRAFT)
    assert client.get(f"/fr/events/{event.slug}/poster.pdf").status_code == 404


@pytest.mark.django_db
def test_poster_asked_in_arabic_with_a_year_in_the_title_renders(client: Client) -> None:
    event = EventFactory(title_ar="مهرجان 2026 الثقافي")
    response = client.get(f"/ar/events/{event.slug}/poster.pdf")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_poster_is_one_a4_page(document: weasyprint.Document) -> None:
    assert len(document.pages) == 1
    page = document.pages[0]
    assert page.width * MM_PER_CSS_PX == pytest.approx(210, abs=0.5)
    assert page.height * MM_PER_CSS_PX == pytest.approx(297, abs=0.5)


def test_poster_has_the_title_in_the_three_languages(document: weasyprint.Document) -> None:
    assert "مهرجان الشباب 2026" in _block_text(document, "ar")
    assert "Festival de la jeunesse 2026" in _block_text(document, "fr")
    assert "Youth festival 2026" in _block_text(document, "en")


def test_poster_gives_casablanca_time_day_venue_and_kind_per_language(
    document: weasyprint.Document,
) -> None:
    french = _block_text(document, "fr")
    assert "samedi 16 mai 2026" in french
    assert "16:00\N{EN DASH}19:00" in french
    assert "Stade municipal" in french
    assert "sport" in french
    assert "Saturday 16 May 2026" in _block_text(document, "en")
    arabic = _block_text(document, "ar")
    assert "2026" in arabic
    assert "mai" not in arabic
    assert "الملعب البلدي" in arabic


def test_arabic_block_is_set_right_to_left(document: weasyprint.Document) -> None:
    block = _block(document, "ar")
    assert block.element.get("dir") == "rtl"
    title = next(
        box
        for box in block.descendants()
        if isinstance(box, boxes.TextBox) and "مهرجان" in box.text
    )
    assert title.style["direction"] == "rtl"
    # The date is isolated in its own box, laid out in the block's direction, so
    # "16 ماي 2026" reads in the right order (forcing it left-to-right would not).
    day = next(
        box
        for box in block.descendants()
        if isinstance(box, boxes.TextBox) and box.element_tag == "bdi" and "2026" in box.text
    )
    assert day.style["direction"] == "rtl"
    assert _block(document, "fr").style["direction"] == "ltr"


def test_poster_embeds_the_qr_code_of_the_signup_url(document: weasyprint.Document) -> None:
    images = [box for box in _boxes(document) if isinstance(box, boxes.ReplacedBox)]
    assert len(images) == 1
    src = images[0].element.get("src")
    assert src == poster._qr_data_uri(SIGNUP_URL)
    assert src != poster._qr_data_uri("https://belfaa.example.ma/fr/events/another/")
    svg = base64.b64decode(src.removeprefix("data:image/svg+xml;base64,"))
    assert svg.startswith(b"<svg")
    # Big enough to scan from a step back.
    assert images[0].width * MM_PER_CSS_PX > 50
    # Printed under the code for those who cannot scan it; it may break over lines.
    printed_url = "".join(
        box.text
        for box in _boxes(document)
        if isinstance(box, boxes.TextBox) and box.element.get("class") == "url"
    )
    assert printed_url == SIGNUP_URL


def test_poster_asks_to_sign_up_in_each_language(document: weasyprint.Document) -> None:
    calls = [
        box
        for box in _boxes(document)
        if isinstance(box, boxes.TextBox) and box.element_tag == "li"
    ]
    assert {box.element.get("lang") for box in calls} == {"ar", "fr", "en"}


def test_arabic_and_latin_text_are_set_in_noto_fonts(document: weasyprint.Document) -> None:
    # The faces come from the project's files, whatever fonts the host has: without
    # them, Arabic would come out in whatever font fontconfig finds, or as empty boxes.
    document.write_pdf()
    families = {(font.family, font.weight) for font in document.fonts.values()}
    assert families == {
        ("Belfaa Naskh", 400),
        ("Belfaa Naskh", 700),
        ("Belfaa Sans", 400),
        ("Belfaa Sans", 700),
    }


def test_the_fonts_are_the_files_shipped_with_the_project(
    document: weasyprint.Document,
) -> None:
    from weasyprint.text.fonts import get_hb_object_data

    shipped = {
        hashlib.sha256(path.read_bytes()).hexdigest(): path.name for path in FONTS_DIR.glob("*.ttf")
    }
    document.write_pdf()
    # HarfBuzz keeps the whole file each face was loaded from (the PDF holds a subset).
    used = {
        shipped.get(hashlib.sha256(get_hb_object_data(font.hb_face)).hexdigest())
        for font in document.fonts.values()
    }
    assert used == {
        "NotoNaskhArabic-Regular.ttf",
        "NotoNaskhArabic-Bold.ttf",
        "NotoSans-Regular.ttf",
        "NotoSans-Bold.ttf",
    }
    assert (FONTS_DIR / "OFL.txt").read_text().startswith("Noto Sans: Copyright")


def test_arabic_letters_are_joined(document: weasyprint.Document) -> None:
    # Shaped Arabic uses one glyph per position of a letter in its word: the lam of
    # "الشباب" and of "البلدي" is drawn by several glyphs, unshaped text by one.
    document.write_pdf()
    naskh = next(
        font
        for font in document.fonts.values()
        if (font.family, font.weight) == ("Belfaa Naskh", 400)
    )
    glyphs_per_letter = Counter(naskh.to_unicode.values())
    assert glyphs_per_letter["ل"] >= 2


def test_missing_titles_fall_back_to_french_then_arabic() -> None:
    document = _poster(title_ar="أمسية ثقافية", title_fr="", title_en="")
    assert "أمسية ثقافية" in _block_text(document, "fr")
    assert "أمسية ثقافية" in _block_text(document, "en")
    document = _poster(title_ar="", title_fr="Soirée culturelle", title_en="")
    assert "Soirée culturelle" in _block_text(document, "ar")
    assert "Soirée culturelle" in _block_text(document, "en")


def test_longest_titles_and_venues_still_fit_on_one_page() -> None:
    document = _poster(
        title_ar=("ورشة تكوينية حول الحقوق والواجبات " * 8)[:200],
        title_fr=("Atelier de formation sur les droits et devoirs " * 6)[:200],
        title_en=("Training workshop on rights and duties " * 8)[:200],
        venue_ar=("دار الشباب بلفاع، قرب المدرسة " * 10)[:200],
        venue_fr=("Maison des jeunes de Belfaa, près de l'école " * 6)[:200],
    )
    assert len(document.pages) == 1
    assert "Training workshop" in _block_text(document, "en")


def test_renderer_fetches_only_data_urls_and_the_shipped_fonts() -> None:
    fetcher = no_network_fetcher()
    for url in ("https://example.org/logo.png", "http://169.254.169.254/", "file:///etc/passwd"):
        with pytest.raises(ValueError, match="disallowed protocol"):
            fetcher.fetch(url)
    assert fetcher.fetch("data:text/plain;base64,b2s=").read() == b"ok"
    font = fetcher.fetch("belfaa-font:NotoSans-Bold.ttf").read()
    assert font == (FONTS_DIR / "NotoSans-Bold.ttf").read_bytes()
    for url in (
        "belfaa-font:../settings.py",
        "belfaa-font:/etc/passwd",
        "belfaa-font:OFL.txt",
        "belfaa-font:",
        "belfaa-font:%2e%2e/settings.py",
    ):
        with pytest.raises(ValueError, match="not a font shipped with Belfaa"):
            fetcher.fetch(url)
