"""`manage.py pac_report --year 2025 --lang ar --format pdf --output report.pdf`: the
PAC report as a file, computed and drawn like the admin's (no file is kept)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from programs.models import ReportFile
from programs.report_data import Scope, organisation_name
from programs.report_outputs import report_render
from programs.reports import ReportError, languages, report_build


class Command(BaseCommand):
    help = "Write the PAC report of a year as a PDF, XLSX, CSV or HTML file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--lang", required=True, help=", ".join(languages()))
        parser.add_argument("--format", required=True, help=", ".join(ReportFile.Format.values))
        parser.add_argument("--output", required=True, help="the file to write")
        parser.add_argument("--cumulative", action="store_true", help="the plan so far")
        parser.add_argument("--partner", type=int, help="id of a partner: its version")

    def handle(self, *args: Any, **options: Any) -> None:
        language, file_format = options["lang"], options["format"]
        if language not in languages():
            raise CommandError(
                f"unknown language {language!r}: choose one of {', '.join(languages())}"
            )
        if file_format not in ReportFile.Format.values:
            raise CommandError(
                f"unknown format {file_format!r}: choose one of "
                f"{', '.join(ReportFile.Format.values)}"
            )
        partner = options["partner"]
        if partner is not None and organisation_name(partner) is None:
            raise CommandError(f"no partner has the id {partner}")
        scope = Scope(
            year=options["year"], cumulative=options["cumulative"], organisation_id=partner
        )
        try:
            report = report_build(scope, language)
        except ReportError as error:
            raise CommandError(str(error)) from None
        content = report_render(report, file_format)
        try:
            Path(options["output"]).write_bytes(content)
        except OSError as error:
            raise CommandError(f"cannot write {options['output']}: {error.strerror}") from None
        self.stdout.write(f"{options['output']}: {len(content)} bytes")
