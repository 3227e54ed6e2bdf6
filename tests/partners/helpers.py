"""Small builders for the partners tests: real rows through the services."""

import io
import zipfile
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from partners import services
from partners.models import Agreement, Organisation, Party
from tests.factories import OrganisationFactory

PDF_BYTES = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name: str = "signed.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def office(main_part: str, name: str) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types><Override PartName="/x" '
            f'ContentType="{main_part}"/></Types>',
        )
        archive.writestr("x", "content")
    return SimpleUploadedFile(name, buffer.getvalue())


def agreement(
    *,
    status: str = Agreement.Status.DRAFT,
    signed_on: date | None = None,
    starts_on: date | None = None,
    ends_on: date | None = None,
    partner: Organisation | None = None,
    reference: str = "AGR-TEST-1",
    reporting: str = "",
) -> Agreement:
    made = Agreement.objects.create(
        reference=reference,
        kind=Agreement.Kind.PARTNERSHIP,
        title_fr="Convention de test",
        status=status,
        signed_on=signed_on,
        starts_on=starts_on,
        ends_on=ends_on,
        reporting=reporting,
    )
    party = (
        partner if partner is not None else Organisation.objects.get(pk=OrganisationFactory().pk)
    )
    services.party_add(agreement_id=made.pk, organisation_id=party.pk, role=Party.Role.SIGNATORY)
    return made
