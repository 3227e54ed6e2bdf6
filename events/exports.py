"""Registrations taken out of the platform, as CSV or XLSX, for coordinators (the
admin's export actions). Every cell a spreadsheet would run as a formula is defused."""

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import datetime

from django.db import models
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import get_language_bidi, gettext
from openpyxl import Workbook

from belfaa.spreadsheets import XLSX_TYPE, neutralise
from events.models import Registration


def _local(moment: datetime | None) -> datetime | None:
    # Shown in the commune's time (Africa/Casablanca), without a zone: spreadsheets
    # have no time zones.
    if moment is None:
        return None
    return timezone.localtime(moment, timezone.get_default_timezone()).replace(tzinfo=None)


EXPORT_FIELDS = (
    "event",
    "name",
    "phone",
    "email",
    "birth_year",
    "sex",
    "group",
    "language",
    "status",
    "attended_at",
    "walk_in",
)


def export_header() -> list[str]:
    header = []
    for name in EXPORT_FIELDS:
        field = Registration._meta.get_field(name)
        assert isinstance(field, models.Field)
        header.append(str(field.verbose_name))
    return [*header, gettext("registered at")]


def export_rows(event_ids: Iterable[int]) -> Iterator[list[object]]:
    """One row per registration of the given activities, as spreadsheet values."""
    registrations = (
        Registration.objects.filter(event_id__in=list(event_ids))
        .select_related("event")
        .order_by("event__starts_at", "event_id", "queued_at", "pk")
    )
    yes, no = gettext("yes"), gettext("no")
    for registration in registrations.iterator(chunk_size=500):
        row: list[object] = [
            registration.event.title,
            registration.name,
            registration.phone,
            registration.email,
            registration.birth_year,
            registration.get_sex_display(),
            registration.get_group_display(),
            registration.get_language_display(),
            registration.get_status_display(),
            yes if registration.attended else no,
            yes if registration.walk_in else no,
            _local(registration.created_at),
        ]
        yield [neutralise(value) for value in row]


def _attachment(response: HttpResponse, extension: str) -> HttpResponse:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="registrations-{stamp}.{extension}"'
    return response


def export_csv_response(event_ids: Iterable[int]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    # The byte order mark makes Excel read UTF-8, so Arabic names show as written.
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(export_header())
    for row in export_rows(event_ids):
        writer.writerow(
            value.strftime("%Y-%m-%d %H:%M") if isinstance(value, datetime) else value
            for value in row
        )
    return _attachment(response, "csv")


def export_xlsx_response(event_ids: Iterable[int]) -> HttpResponse:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = gettext("Registrations")[:31]
    sheet.sheet_view.rightToLeft = get_language_bidi()
    sheet.append(export_header())
    for row in export_rows(event_ids):
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                # openpyxl stores a string starting with "=" as a formula: never here.
                cell.data_type = "s"
            elif isinstance(cell.value, datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _attachment(HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE), "xlsx")
