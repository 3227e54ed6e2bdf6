"""Uploads are checked by content and size; downloads need permission and are attachments."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from belfaa.uploads import validate_upload
from partners import services
from tests.partners.helpers import agreement, office, pdf

XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
MACRO_MAIN = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"


@pytest.mark.parametrize(
    "upload",
    [
        pdf("x.bin"),
        SimpleUploadedFile("a.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20),
        SimpleUploadedFile("a.jpg", b"\xff\xd8\xff\xe0" + b"0" * 20),
        office(XLSX_MAIN, "a.xlsx"),
        office(DOCX_MAIN, "a.docx"),
    ],
)
def test_the_accepted_kinds_pass(upload) -> None:
    validate_upload(upload)


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("report.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 60),
        SimpleUploadedFile("report.pdf", b"<!DOCTYPE html><html><script>x()</script></html>"),
        SimpleUploadedFile("sheet.xlsx", b"PK\x03\x04 not really a zip"),
        office(MACRO_MAIN, "sheet.xlsx"),
        SimpleUploadedFile("notes.txt", b"plain text"),
    ],
)
def test_a_wrong_type_is_refused_whatever_its_name(upload) -> None:
    with pytest.raises(ValidationError, match="only PDF, PNG, JPEG, XLSX and DOCX"):
        validate_upload(upload)


def test_an_oversize_file_is_refused(settings) -> None:
    settings.UPLOAD_MAX_BYTES = 10
    with pytest.raises(ValidationError, match="too large"):
        validate_upload(pdf())


@pytest.fixture
def signed_document(db, coordinator):
    draft = agreement()
    services.agreement_sign(
        agreement_id=draft.pk, by=coordinator, signed_on=date(2024, 1, 1), document=pdf()
    )
    return draft


def test_staff_download_an_attachment_that_is_not_sniffed(
    signed_document, viewer, client_for
) -> None:
    response = client_for(viewer).get(
        f"/fr/staff/partners/documents/agreement/{signed_document.pk}/"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_a_download_needs_staff_permission(
    signed_document, partner_md, outsider, client_for, client
) -> None:
    url = f"/fr/staff/partners/documents/agreement/{signed_document.pk}/"
    assert client_for(partner_md).get(url).status_code == 403
    assert client_for(outsider).get(url).status_code == 403
    assert client.get(url).status_code == 302
    assert client_for(partner_md).get("/fr/staff/partners/documents/other/1/").status_code == 404


def test_a_missing_document_is_not_found(db, viewer, client_for) -> None:
    draft = agreement()
    response = client_for(viewer).get(f"/fr/staff/partners/documents/termination/{draft.pk}/")
    assert response.status_code == 404
