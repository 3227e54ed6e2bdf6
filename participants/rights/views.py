"""The right of access, for Coordinators: everything held on one person as a page, a
PDF to hand over, and JSON (the right to portability). Each export is one read of the
sensitive part, logged in the same transaction; nothing is cached anywhere."""

import json
import re
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.middleware.csp import get_nonce
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import translation
from django.utils.csp import CSP
from django.views.decorators.cache import never_cache
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_GET

from belfaa.permissions import staff_with
from participants.models import SENSITIVE_FIELDS, SENSITIVE_REQUEST_FIELDS, AccessLog, Participant
from participants.rights.data import participant_export_data
from participants.rights.display import TEMPLATE, export_display, export_pdf
from participants.services import access_log_write

LOGGED_FIELDS = (*SENSITIVE_FIELDS, *SENSITIVE_REQUEST_FIELDS)


def _with_style_nonce(policy: Mapping[str, Any]) -> dict[str, Any]:
    """The site's policy, plus this response's nonce for styles: the page carries its own
    small stylesheet (the one the PDF is laid out with). Scripts stay forbidden."""
    styles = policy.get("style-src", [CSP.SELF])
    return {**policy, "style-src": [*([styles] if isinstance(styles, str) else styles), CSP.NONCE]}


_PAGE_CSP = _with_style_nonce(settings.SECURE_CSP)


# Coordinators.
sensitive_readers_only = staff_with("participants.view_sensitive")


def _export_language(request: HttpRequest) -> str:
    """The person's language, chosen by the staff member; else the page's."""
    asked = request.GET.get("lang", "")
    if asked in {code for code, _name in settings.LANGUAGES}:
        return asked
    return translation.get_language() or settings.LANGUAGE_CODE


def _read(request: HttpRequest, pk: int, *, purpose: AccessLog.Purpose) -> dict[str, Any]:
    """One logged read of the whole record; call it inside the response's transaction."""
    participant = get_object_or_404(Participant.objects.select_related("neighbourhood"), pk=pk)
    data = participant_export_data(participant)
    access_log_write(
        user=request.user,  # type: ignore[arg-type]
        references=[participant.reference],
        fields=LOGGED_FIELDS,
        purpose=purpose,
        request=request,
    )
    return data


def _filename(reference: str, extension: str) -> str:
    return f"{re.sub(r'[^A-Za-z0-9._-]', '_', reference)}.{extension}"


def _links(pk: int, language: str) -> dict[str, Any]:
    # Reversed in the staff member's page language, before switching to the export's.
    page = reverse("participants:access", args=[pk])
    return {
        "record": reverse("admin:participants_participant_change", args=[pk]),
        "pdf": f"{reverse('participants:access_pdf', args=[pk])}?lang={language}",
        "json": f"{reverse('participants:access_json', args=[pk])}?lang={language}",
        "languages": [
            {
                "code": code,
                "name": translation.get_language_info(code)["name_local"],
                "bidi": translation.get_language_info(code)["bidi"],
                "url": f"{page}?lang={code}",
                "current": code == language,
            }
            for code, _name in settings.LANGUAGES
        ],
    }


@require_GET
@never_cache
@csp_override(_PAGE_CSP)
@sensitive_readers_only
def access_export(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything held on the person, as a page in the language they choose."""
    language = _export_language(request)
    links = _links(pk, language)
    with transaction.atomic(), translation.override(language):
        data = _read(request, pk, purpose=AccessLog.Purpose.EXPORT_PAGE)
        response = render(
            request,
            TEMPLATE,
            {
                "export": export_display(data),
                "links": links,
                "pdf": False,
                "csp_nonce": get_nonce(request),
            },
        )
    response["Content-Language"] = language
    return response


@require_GET
@never_cache
@sensitive_readers_only
def access_export_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The same page as an A4 PDF, to hand or send to the person."""
    language = _export_language(request)
    with transaction.atomic(), translation.override(language):
        data = _read(request, pk, purpose=AccessLog.Purpose.EXPORT_PDF)
        # Laid out inside the transaction: if it fails, the read is not logged.
        pdf = export_pdf(data)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{_filename(data["participant"]["reference"], "pdf")}"'
    )
    response["Content-Language"] = language
    return response


@require_GET
@never_cache
@sensitive_readers_only
def access_export_json(request: HttpRequest, pk: int) -> HttpResponse:
    """The same data, machine-readable (the right to portability): codes, ISO dates."""
    with transaction.atomic(), translation.override(_export_language(request)):
        data = _read(request, pk, purpose=AccessLog.Purpose.EXPORT_JSON)
        body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{_filename(data["participant"]["reference"], "json")}"'
    )
    return response
