"""Documents people upload (signed agreements, amendments, report attachments) and how
they go back out.

A file is accepted by what it is, never by what it is called: its first bytes must be
those of a PDF, PNG or JPEG, or it must be an Office Open XML zip whose
`[Content_Types].xml` declares a workbook or a Word document (so a renamed executable,
an HTML page named `.pdf` or a macro-enabled workbook is refused). It is stored through
Django's STORAGES under a random name without extension, so that no address can be
guessed, and it leaves only through a view that checked the reader's permission, as an
attachment the browser must not sniff."""

import secrets
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db.models.fields.files import FieldFile
from django.http import FileResponse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Kind:
    extension: str
    content_type: str


PDF = Kind("pdf", "application/pdf")
PNG = Kind("png", "image/png")
JPEG = Kind("jpg", "image/jpeg")
XLSX = Kind("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
DOCX = Kind("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")

MAGIC: tuple[tuple[bytes, Kind], ...] = (
    (b"%PDF-", PDF),
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"\xff\xd8\xff", JPEG),
)
ZIP_MAGIC = b"PK\x03\x04"
# The main part each Office format declares in [Content_Types].xml.
OFFICE_MAIN_PARTS: tuple[tuple[bytes, Kind], ...] = (
    (b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml", XLSX),
    (b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml", DOCX),
)
# A [Content_Types].xml is a few kilobytes; more is not an Office file we want to read.
CONTENT_TYPES_MAX = 256 * 1024

WRONG_TYPE = _("This file is not accepted: only PDF, PNG, JPEG, XLSX and DOCX documents are.")


def _office_kind(file: File) -> Kind | None:
    try:
        with zipfile.ZipFile(file) as archive:
            info = archive.getinfo("[Content_Types].xml")
            if info.file_size > CONTENT_TYPES_MAX:
                return None
            declared = archive.read(info)
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, NotImplementedError):
        return None
    return next((kind for part, kind in OFFICE_MAIN_PARTS if part in declared), None)


def sniff(file: File) -> Kind | None:
    """The kind of document this is by its content, or None if it is none we accept."""
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    try:
        found = next((kind for magic, kind in MAGIC if head.startswith(magic)), None)
        if found is None and head.startswith(ZIP_MAGIC):
            found = _office_kind(file)
        return found
    finally:
        file.seek(0)


def validate_upload(file: File) -> None:
    """A model field validator: the size limit (UPLOAD_MAX_BYTES), then the content."""
    limit = settings.UPLOAD_MAX_BYTES
    if file.size is not None and file.size > limit:
        raise ValidationError(
            _("This file is too large: at most %(size)s MB."),
            code="too_large",
            params={"size": f"{limit / 1024 / 1024:.0f}"},
        )
    if sniff(file) is None:
        raise ValidationError(WRONG_TYPE, code="wrong_type")


def unguessable_name(instance: object, filename: str) -> str:
    """`upload_to` for every checked upload: a random name, not the person's, and no
    extension a web server could act on."""
    return f"uploads/{secrets.token_urlsafe(24)}"


def attachment_response(file: FieldFile, *, title: str) -> FileResponse:
    """A stored document as a download: the type read from its content again, saved
    under a name made from `title`, never displayed inline nor sniffed."""
    handle = file.open("rb")
    kind = sniff(handle) or Kind("bin", "application/octet-stream")
    name = f"{slugify(title, allow_unicode=True) or 'document'}.{kind.extension}"
    response = FileResponse(
        handle, as_attachment=True, filename=name, content_type=kind.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response
