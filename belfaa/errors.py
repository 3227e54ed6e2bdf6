"""The error page for a server error, in the language of the URL.

Django renders 500.html without context processors; ours also activates the language
of the URL's prefix (the middleware that would have may not have run) and reads
nothing else: no database, no cache, no session, since any of them may be the reason
for the error."""

import sys

from django.conf import settings
from django.http import HttpRequest, HttpResponseServerError
from django.template.loader import render_to_string
from django.utils import translation

from belfaa.pdf import PdfUnavailable

LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}


def path_language(path: str) -> str:
    """The language of /<code>/… paths; the default language for any other path."""
    first = path.lstrip("/").split("/", 1)[0]
    return first if first in LANGUAGE_CODES else settings.LANGUAGE_CODE


def server_error(request: HttpRequest) -> HttpResponseServerError:
    # Django calls this while handling the exception, so it is still at hand.
    pdf_unavailable = isinstance(sys.exc_info()[1], PdfUnavailable)
    with translation.override(path_language(request.path)):
        page = render_to_string("500.html", {"pdf_unavailable": pdf_unavailable})
    return HttpResponseServerError(page, status=503 if pdf_unavailable else 500)
