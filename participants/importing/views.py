"""Staff import people from a spreadsheet in two steps: upload (a dry run that writes
nothing, kept server-side under a random token) and confirm (one transaction).
The pages only check their forms; reading, checking and writing are the package's."""

from typing import cast

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from belfaa.cache import cache_answers
from belfaa.models import User
from belfaa.permissions import staff_with
from participants.importing.checking import missing_message, sheet_check, sheet_read
from participants.importing.mapping import ColumnsForm, mapping_remembered, mapping_save
from participants.importing.preview import STATUS_LABELS, ImportPreview
from participants.importing.reading import ImportFileError, too_large
from participants.importing.vocabulary import COLUMN_ALIASES, IMPORTABLE_FIELDS, REQUIRED_COLUMNS
from participants.importing.writing import (
    ALL_OR_NOTHING,
    VALID_ONLY,
    ImportExpired,
    ImportHasErrors,
    import_confirm,
    preview_forget,
    preview_get,
    preview_keep,
    preview_replace,
)
from participants.models import Participant

# Rows per page of the preview (all of a file's rows are there, page by page, and each
# status can be shown alone); links listed after an import.
ROWS_PER_PAGE = 250
LISTED_MAX = 500
# Room for the multipart envelope around the file in a request's declared length.
ENVELOPE_BYTES = 64 * 1024
CACHE_DOWN = _(
    "The preview cannot be kept now: the server's cache does not answer. Nothing was "
    "written. Try again in a few minutes."
)
ACCEPT = ".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"


# Coordinators and Officers.
staff_importer = staff_with("participants.add_participant")


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet (.xlsx or .csv)"),
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
        error_messages={"required": _("Please choose a file.")},
    )


class ConfirmForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("What to import"),
        choices=[
            (ALL_OR_NOTHING, _("All rows, and only if no row has an error")),
            (VALID_ONLY, _("Only the valid rows; leave out the rows with errors")),
        ],
        initial=ALL_OR_NOTHING,
        widget=forms.RadioSelect,
    )
    create_duplicates = forms.BooleanField(
        label=_("Also create the rows that look like duplicates"), required=False
    )


def _columns() -> list[tuple[str, tuple[str, ...], bool]]:
    """(label in the page's language, header names accepted, needed) for the help."""
    labels = {
        name: capfirst(Participant._meta.get_field(name).verbose_name)  # type: ignore[union-attr]
        for name in IMPORTABLE_FIELDS
    }
    labels["birth_date"] = _("Date of birth (instead of the birth year)")
    order = [*IMPORTABLE_FIELDS[:4], "birth_date", *IMPORTABLE_FIELDS[4:]]
    return [(str(labels[name]), COLUMN_ALIASES[name], name in REQUIRED_COLUMNS) for name in order]


def _upload_page(
    request: HttpRequest, form: UploadForm, status: int = 200, **context: object
) -> HttpResponse:
    return render(
        request,
        "participants/import.html",
        {
            "form": form,
            "max_bytes": settings.PARTICIPANTS_IMPORT_MAX_BYTES,
            "columns": _columns(),
            **context,
        },
        status=status,
    )


@never_cache
@staff_importer
@csrf_exempt  # checked by _upload, once a too large request has been turned away
def import_upload(request: HttpRequest) -> HttpResponse:
    """The upload form; a POSTed file gets a dry run and its preview."""
    declared = request.META.get("CONTENT_LENGTH") or "0"
    too_long = declared.isdigit() and int(declared) > (
        settings.PARTICIPANTS_IMPORT_MAX_BYTES + ENVELOPE_BYTES
    )
    if request.method == "POST" and too_long:
        # Refuse before Django reads the body (and spools it to disk).
        form = UploadForm(data={})
        form.is_valid()  # bound, and empty: its only error is replaced by ours
        form.errors["file"] = form.error_class([too_large().message])
        return _upload_page(request, form, status=413)
    return _upload(request)


@csrf_protect
@require_http_methods(["GET", "POST"])
def _upload(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _upload_page(request, UploadForm())
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            sheet = sheet_read(form.cleaned_data["file"])
            remembered = mapping_remembered(header=sheet.header)
            preview = sheet_check(sheet, mapping=remembered, remembered=remembered is not None)
        except ImportFileError as error:
            form.add_error("file", error.message)
        else:
            token = preview_keep(preview=preview, user=cast(User, request.user))
            if token is not None:
                return redirect(_next_page(preview), token=token)
            form.add_error("file", CACHE_DOWN)
            return _upload_page(request, form, status=503)
    return _upload_page(request, form, status=400)


def _next_page(preview: ImportPreview) -> str:
    """The preview, or first the choice of columns when a required one is missing or two
    columns mean the same thing."""
    return "participants:import_columns" if preview.needs_columns else "participants:import_preview"


def _preview_page(
    request: HttpRequest,
    token: str,
    preview: ImportPreview,
    form: ConfirmForm,
    status: int = 200,
) -> HttpResponse:
    shown = request.GET.get("status", "")
    rows = preview.rows
    if shown in STATUS_LABELS:
        rows = [row for row in rows if row.status == shown]
    else:
        shown = ""
    page = Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "participants/import_preview.html",
        {
            "token": token,
            "preview": preview,
            "page": page,
            "shown": shown,
            "shown_label": STATUS_LABELS.get(shown, ""),
            "form": form,
        },
        status=status,
    )


def _expired(request: HttpRequest) -> HttpResponse:
    if not cache_answers():
        messages.error(request, CACHE_DOWN)
        return redirect("participants:import")
    messages.error(
        request,
        gettext(
            "This preview has expired or was already imported. Nothing more was written: "
            "upload the file again if needed."
        ),
    )
    return redirect("participants:import")


@never_cache
@staff_importer
@require_http_methods(["GET", "POST"])
def import_preview(request: HttpRequest, token: str) -> HttpResponse:
    """What an import would do, row by row; POST confirms (or cancels) it."""
    user = cast(User, request.user)
    preview = preview_get(token=token, user=user)
    if preview is None:
        return _expired(request)
    if request.method == "POST" and "cancel" in request.POST:
        preview_forget(token=token, user=user)
        messages.info(request, gettext("The import was cancelled: nothing was written."))
        return redirect("participants:import")
    if preview.needs_columns:
        # No row was checked: nothing to confirm before the columns are chosen.
        return redirect("participants:import_columns", token=token)
    if request.method != "POST":
        return _preview_page(request, token, preview, ConfirmForm())
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        return _preview_page(request, token, preview, form, status=400)
    mode = form.cleaned_data["mode"]
    create_duplicates = form.cleaned_data["create_duplicates"]
    try:
        created = import_confirm(
            token=token, mode=mode, create_duplicates=create_duplicates, by=user
        )
    except ImportExpired:
        return _expired(request)
    except ImportHasErrors as error:
        form.add_error("mode", error.message)
        return _preview_page(request, token, preview, form, status=400)
    links = [
        (
            participant.reference,
            reverse("admin:participants_participant_change", args=[participant.pk]),
        )
        for participant in created[:LISTED_MAX]
    ]
    return _upload_page(
        request,
        UploadForm(),
        done=True,
        created_count=len(created),
        created_links=links,
        created_not_listed=max(0, len(created) - LISTED_MAX),
        skipped_errors=preview.with_errors if mode == VALID_ONLY else 0,
        skipped_duplicates=0 if create_duplicates else preview.duplicates,
        file_name=preview.file_name,
    )


def _columns_page(
    request: HttpRequest, token: str, preview: ImportPreview, form: ColumnsForm, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "participants/import_columns.html",
        {
            "token": token,
            "preview": preview,
            "form": form,
            "missing": missing_message(preview) if preview.needs_columns else "",
        },
        status=status,
    )


@never_cache
@staff_importer
@require_http_methods(["GET", "POST"])
def import_columns(request: HttpRequest, token: str) -> HttpResponse:
    """Which column of the file is which: one select per column, filled in with what
    the header gave; POST checks the file again with the choice, remembers it for
    files with the same headers and shows the new preview. Nothing is imported here."""
    user = cast(User, request.user)
    preview = preview_get(token=token, user=user)
    if preview is None or preview.sheet is None:
        return _expired(request)
    sheet = preview.sheet
    if request.method != "POST":
        initial = {f"column-{position}": name for position, name in preview.columns.items()}
        return _columns_page(request, token, preview, ColumnsForm(initial=initial, sheet=sheet))
    form = ColumnsForm(request.POST, sheet=sheet)
    if not form.is_valid():
        return _columns_page(request, token, preview, form, status=400)
    mapping = form.mapping()
    try:
        checked = sheet_check(sheet, mapping=mapping)
    except ImportFileError as error:
        form.add_error(None, error.message)
        return _columns_page(request, token, preview, form, status=400)
    if checked.needs_columns:
        form.add_error(None, missing_message(checked))
        return _columns_page(request, token, preview, form, status=400)
    new_token = preview_replace(token=token, preview=checked, user=user)
    if new_token is None:
        return _expired(request)
    mapping_save(header=sheet.header, columns=mapping, by=user)
    messages.success(
        request,
        gettext(
            "The file was checked again with your column choices. They will be used for "
            "the next file with the same headers."
        ),
    )
    return redirect("participants:import_preview", token=new_token)
