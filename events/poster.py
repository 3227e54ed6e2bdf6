"""The printable A4 poster of an activity (PDF), for the commune's notice boards.

One sheet speaks to all three publics at once: the title, date, place and kind in
every language of `settings.LANGUAGES` (each in its own block and direction), and a
QR code to the sign-up page for people who will not type a URL on a cheap phone.
"""

import base64
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

import qrcode
import qrcode.constants
import qrcode.image.svg
from django.conf import settings
from django.db import models
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format, time_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from modeltranslation.utils import build_localized_fieldname, resolution_order

from belfaa.bidi import ltr_html
from belfaa.pdf import html_document
from events.models import Event

if TYPE_CHECKING:
    import weasyprint

# Font sizes of the whole sheet, tried in turn until everything fits on one page: the
# first one fits ordinary titles; the smaller ones only serve very long texts.
SCALES = (1.0, 0.9, 0.8, 0.7, 0.6, 0.5)
BASE_PT = 13
EN_DASH = "\N{EN DASH}"


@dataclass(frozen=True)
class PosterLanguage:
    """What one language block of the poster says, already formatted in that language."""

    code: str
    bidi: bool
    title: str
    kind: str
    day: str
    hours: SafeString
    venue: str
    call_to_action: str
    brand: str


def poster_document(event: Event, *, signup_url: str) -> "weasyprint.Document":
    """Lay out the poster, shrinking the type until it fits on one A4 page.

    Returned rather than written so that tests (and callers who want a PNG preview)
    can inspect the pages and their boxes without parsing the PDF.
    """
    languages = [_language_block(event, code) for code, _name in settings.LANGUAGES]
    context: dict[str, Any] = {
        "languages": languages,
        "title_em": _title_em(max(len(language.title) for language in languages)),
        "qr_data_uri": _qr_data_uri(signup_url),
        "signup_url": signup_url,
        "page_title": _translated(
            event, "title", translation.get_language() or settings.LANGUAGE_CODE
        ),
        "page_language": translation.get_language() or settings.LANGUAGE_CODE,
        "page_bidi": translation.get_language_bidi(),
    }
    for scale in SCALES:
        document = _render(context, scale=scale)
        if len(document.pages) == 1:
            return document
    # Texts so long that even the smallest type overflows: the template clips rather
    # than starting a second sheet nobody would pin up.
    return _render({**context, "clip": True}, scale=SCALES[-1])


def render_poster(event: Event, *, signup_url: str) -> bytes:
    """The poster as PDF bytes, ready to serve or to attach."""
    pdf: bytes = poster_document(event, signup_url=signup_url).write_pdf()
    return pdf


def _render(context: dict[str, Any], *, scale: float) -> "weasyprint.Document":
    # A string, not a float: the template would localise 12.5 as "12,5" in French and
    # Arabic, which is not CSS.
    html = render_to_string("events/poster.html", {**context, "base_pt": f"{BASE_PT * scale:.2f}"})
    return html_document(html)


def _title_em(length: int) -> str:
    # Short titles are set big enough to read across a corridor; long ones smaller,
    # so that the usual poster fits at the first try.
    if length <= 24:
        return "2.8"
    if length <= 40:
        return "2.1"
    if length <= 80:
        return "1.7"
    if length <= 140:
        return "1.35"
    return "1.15"


def _translated(instance: models.Model, field: str, language: str) -> str:
    """One language's column of a translated field, with modeltranslation's fallbacks.

    Read column by column (title_ar, title_fr…) rather than through the `title`
    descriptor, so the result does not depend on which language is active when
    it is read; `resolution_order` applies MODELTRANSLATION_FALLBACK_LANGUAGES (a
    missing English title shows the French one, then the Arabic one).
    """
    for code in resolution_order(language):
        value = getattr(instance, build_localized_fieldname(field, code), "")
        if value:
            return str(value)
    return ""


def _language_block(event: Event, code: str) -> PosterLanguage:
    # The sign-up page and the notice board are in Belfaa: times are Moroccan local
    # time (the project's TIME_ZONE), whatever time zone the request came with.
    starts = timezone.localtime(event.starts_at, timezone.get_default_timezone())
    ends = timezone.localtime(event.ends_at, timezone.get_default_timezone())
    with translation.override(code):
        return PosterLanguage(
            code=code,
            bidi=translation.get_language_bidi(),
            title=_translated(event, "title", code),
            kind=str(event.get_kind_display()),
            day=_day(starts),
            hours=_hours(starts, ends),
            venue=_translated(event, "venue", code),
            call_to_action=gettext("Sign up: scan the code with your phone."),
            brand=gettext("Belfaa: migration and integration"),
        )


def _day(moment: datetime) -> str:
    # The weekday helps more than the date on a notice board ("Saturday" is read
    # before "14 March"); both come from the active language's formats.
    return f"{date_format(moment, 'l')} {date_format(moment, 'DATE_FORMAT')}"


def _hours(starts: datetime, ends: datetime) -> SafeString:
    # The times read left to right in every language: in Arabic, "09:00-13:00" would
    # otherwise show as "13:00-09:00".
    if starts.date() == ends.date():
        return ltr_html(
            f"{time_format(starts, 'TIME_FORMAT')}{EN_DASH}{time_format(ends, 'TIME_FORMAT')}"
        )
    # A camp or an outing over several days: say when it ends, day included. Only the
    # start time is isolated: the end's date has words that follow the language.
    return format_html(
        "{} {} {}",
        ltr_html(time_format(starts, "TIME_FORMAT")),
        EN_DASH,
        date_format(ends, "DATETIME_FORMAT"),
    )


def _qr_data_uri(url: str) -> str:
    """The sign-up URL as a QR code, an SVG inlined as a data: URI.

    Vector, so it stays sharp however the poster is printed or enlarged; error
    correction level M survives a fold or a drawing pin through a corner.
    """
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=4,
        image_factory=qrcode.image.svg.SvgPathImage,
    )
    code.add_data(url)
    code.make(fit=True)
    svg = code.make_image().to_string(encoding="unicode")
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii")
